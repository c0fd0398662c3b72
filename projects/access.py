"""The access policy: the one module that decides who sees and does what.

A *principal* is whoever makes a request: a signed-in user acting through their role in each
team they belong to, or an API key acting for its team within its restrictions (one project,
one environment, an access level), or a verified Sentry webhook acting for one project. Every
page, API view, admin queryset, task, webhook and the config endpoint asks here; no other
module filters by team, membership, key restriction or level.

Two answers, never a 500:
- not visible (another team's project, another environment's integration, a malformed id)
  → Http404, so that existence does not leak;
- visible but not allowed → a 403 naming what is missing: AccessRefused
  (`insufficient_key_scope`: a read key writing, a `staging` key reading `production`'s
  issues, a project key creating projects, a ci key doing anything but fetch CI credentials,
  any other key fetching them) or RoleRefused (`insufficient_role`: a member setting a token,
  an admin deleting a project).

Rows of other models are scoped through the `access_scope` they declare: the path to their
project and, when they belong to one environment, to that environment. This module never
imports another app, so `integrations` and `explainer` depend on it, not the other way round.
"""

from dataclasses import dataclass
from enum import Enum
from functools import cached_property

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404

from .keys.models import ApiKey
from .models import Project
from .teams.models import Membership, Team

# --- What can be asked ------------------------------------------------------------------------

# Key levels on a ladder, each including the ones below it.
LEVELS = (ApiKey.CONFIG, ApiKey.READ, ApiKey.WRITE)
LEVEL_ORDER = {level: rank for rank, level in enumerate(LEVELS)}
# Levels off the ladder: a key of one may do only the actions that need exactly that level, and
# only such a key may do them (a ci key fetches CI credentials; no other key, and no user, may).
# Each says what its keys may do, for the messages.
SEPARATE_LEVELS = {
    ApiKey.CI: "fetch the CI credentials of its project (GET /api/integrations/sentry/<slug>/ci)",
}


def level_allows(key_level: str, needed: str) -> bool:
    """Whether a key of `key_level` may do an action that needs `needed`."""
    if key_level in LEVEL_ORDER and needed in LEVEL_ORDER:
        return LEVEL_ORDER[key_level] >= LEVEL_ORDER[needed]
    return key_level == needed


# Team roles, each including the ones before it.
ROLES = (Membership.MEMBER, Membership.ADMIN, Membership.OWNER)
ROLE_ORDER = {role: rank for rank, role in enumerate(ROLES)}
MEMBER, ADMIN, OWNER = ROLES

# How much of the caller's reach an action needs:
WITHIN_ENVIRONMENT = "environment"  # things of one environment (a key's environment will do)
WHOLE_PROJECT = "project"  # the project itself: not for keys restricted to an environment
ALL_PROJECTS = "account"  # beyond one project: not for keys restricted to a project


class Action(Enum):
    """(what it is called in messages, the key level it needs, the reach it needs, the team
    role a signed-in user needs)"""

    CONFIG = ("read the config endpoint", ApiKey.CONFIG, WITHIN_ENVIRONMENT, MEMBER)
    READ = (
        "read projects, integrations and explanations",
        ApiKey.READ,
        WITHIN_ENVIRONMENT,
        MEMBER,
    )
    REVEAL_DSN = ("reveal or copy DSNs", ApiKey.READ, WITHIN_ENVIRONMENT, MEMBER)
    READ_ISSUES = ("read Sentry issues", ApiKey.READ, WITHIN_ENVIRONMENT, MEMBER)
    IMPORT_EVENT = ("import events", ApiKey.WRITE, WITHIN_ENVIRONMENT, MEMBER)
    EXPLAIN = ("request explanations", ApiKey.WRITE, WITHIN_ENVIRONMENT, MEMBER)
    CHANGE = ("change integrations and their auth tokens", ApiKey.WRITE, WITHIN_ENVIRONMENT, ADMIN)
    CHANGE_PROJECT = ("change the project", ApiKey.WRITE, WHOLE_PROJECT, ADMIN)
    CREATE_PROJECT = ("create projects", ApiKey.WRITE, ALL_PROJECTS, ADMIN)
    READ_KEYS = ("list API keys", ApiKey.READ, ALL_PROJECTS, ADMIN)
    MANAGE_KEYS = ("create, roll or revoke API keys", ApiKey.WRITE, ALL_PROJECTS, ADMIN)
    DELETE_PROJECT = ("delete the project", ApiKey.WRITE, WHOLE_PROJECT, OWNER)
    MANAGE_MEMBERS = ("manage members and invitations", None, ALL_PROJECTS, OWNER)
    READ_AUDIT = ("read the audit log", ApiKey.READ, ALL_PROJECTS, ADMIN)
    READ_TEAM = ("see the team's members", None, ALL_PROJECTS, MEMBER)
    # Role None: no signed-in user may; only a ci key.
    CI_CREDENTIALS = (
        "fetch CI credentials (the Sentry auth token)",
        ApiKey.CI,
        WITHIN_ENVIRONMENT,
        None,
    )

    def __init__(self, verb, level, reach, role):
        self.verb, self.level, self.reach, self.role = verb, level, reach, role


class AccessRefused(PermissionDenied):
    """Visible, but the principal may not do this: a 403 naming what it lacks."""

    error_code = "insufficient_key_scope"


class RoleRefused(PermissionDenied):
    """Visible to a member of the team, but their role does not allow it."""

    error_code = "insufficient_role"


@dataclass(frozen=True)
class Restriction:
    """What a key (or a webhook signature) is limited to; None fields are not limited."""

    level: str
    project_id: object = None
    environment: str = ""
    team_id: object = None


@dataclass(frozen=True)
class Principal:
    user: object = None  # None: anonymous, a webhook or the system
    restriction: Restriction | None = None
    api_key: ApiKey | None = None
    is_system: bool = False  # the task worker, superusers in the admin: everything

    @property
    def is_authenticated(self) -> bool:
        return self.is_system or self.restriction is not None or _signed_in(self.user)

    @cached_property
    def roles(self) -> dict:
        """{team id: role} of a signed-in user (one query, once per principal)."""
        if self.restriction is not None or not _signed_in(self.user):
            return {}
        return dict(Membership.objects.filter(user=self.user).values_list("team_id", "role"))


def _signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


SYSTEM = Principal(is_system=True)
ANONYMOUS = Principal()


def principal_for(request) -> Principal:
    """The principal of a page or API request (DRF puts a verified ApiKey in request.auth)."""
    api_key = getattr(request, "auth", None)
    if isinstance(api_key, ApiKey):
        return for_api_key(api_key)
    user = getattr(request, "user", None)
    return Principal(user=user) if _signed_in(user) else ANONYMOUS


def for_api_key(api_key: ApiKey) -> Principal:
    restriction = Restriction(
        level=api_key.access,
        project_id=api_key.project_id,
        environment=api_key.environment,
        team_id=api_key.team_id,
    )
    return Principal(user=api_key.owner, restriction=restriction, api_key=api_key)


def for_admin(request) -> Principal:
    """Superusers see everything in the admin; other staff see what they see in the pages."""
    user = request.user
    if getattr(user, "is_superuser", False):
        return Principal(user=user, is_system=True)
    return principal_for(request)


def for_webhook(project_id) -> Principal:
    """A delivery signed with the client secret of one of a project's integrations: that
    project, any of its environments (an event names its own)."""
    return Principal(restriction=Restriction(level=ApiKey.WRITE, project_id=project_id))


# --- The rule ---------------------------------------------------------------------------------


def key_refusal(restriction: Restriction, action: Action, environment: str | None = None):
    """Why a restricted principal may not do `action` (in `environment`), or None if it may.

    Plain values in, a message out: the config endpoint asks this on its hot path too.
    """
    if action.level is None:
        return f"API keys cannot {action.verb}; sign in to do it."
    if not level_allows(restriction.level, action.level):
        return _level_refusal(restriction.level, action)
    if action.level in SEPARATE_LEVELS and restriction.project_id is None:
        return (
            f"This API key is not restricted to a project; to {action.verb} use a "
            f"'{action.level}' key restricted to the project."
        )
    if action.reach == ALL_PROJECTS and restriction.project_id is not None:
        return (
            f"This API key is restricted to one project; to {action.verb} use a key that is "
            "not restricted to a project."
        )
    if restriction.environment:
        if action.reach != WITHIN_ENVIRONMENT:
            return (
                f"This API key is restricted to environment '{restriction.environment}'; to "
                f"{action.verb} use a key for the whole project."
            )
        if environment is not None and environment != restriction.environment:
            where = f"in environment '{environment[:64]}'" if environment else "outside it"
            return (
                f"This API key is restricted to environment '{restriction.environment}'; it "
                f"cannot {action.verb} {where}."
            )
    return None


def role_refusal(role: str | None, action: Action, team_name: str) -> str | None:
    """Why a member with `role` in a team may not do `action` there, or None if they may."""
    if role is not None and ROLE_ORDER[role] >= ROLE_ORDER[action.role]:
        return None
    needed = (
        "an owner"
        if action.role == OWNER
        else f"an {action.role}"
        if action.role == ADMIN
        else "a member"
    )
    current = (
        f"you are {'an' if role in (ADMIN, OWNER) else 'a'} {role}"
        if role
        else "you are not a member"
    )
    return f"To {action.verb} in team '{team_name}' you need to be {needed}; {current}."


def _level_refusal(level: str, action: Action) -> str:
    if level in SEPARATE_LEVELS:
        return (
            f"This API key has the '{level}' access level: it may only {SEPARATE_LEVELS[level]}."
            f" To {action.verb}, use a key with the '{action.level}' level."
        )
    if action.level in SEPARATE_LEVELS:
        return (
            f"This API key has the '{level}' access level; only a key with the "
            f"'{action.level}' level may {action.verb}. Create one restricted to the project "
            "under Settings → API keys."
        )
    if level == ApiKey.CONFIG:
        return (
            f"This API key has the 'config' access level: it may only read the config "
            f"endpoint. To {action.verb}, use a key with the '{action.level}' level."
        )
    return (
        f"This API key has the '{level}' access level; to {action.verb} it needs the "
        f"'{action.level}' level."
    )


def require(
    principal: Principal, action: Action, environment: str | None = None, *, team_id=None
) -> None:
    """Raise unless `principal` may do `action` (in `environment`, in team `team_id`).

    A key is checked against its level and restrictions; a signed-in user against their role
    in the team (when the action concerns one: without a team only signing in is checked).
    """
    if principal.is_system:
        return
    if not principal.is_authenticated:
        raise PermissionDenied("Log in or send an API key.")
    if principal.restriction is None and action.level in SEPARATE_LEVELS:
        raise AccessRefused(
            f"Only an API key with the '{action.level}' access level may {action.verb}."
        )
    if principal.restriction is not None:
        reason = key_refusal(principal.restriction, action, environment)
        if reason is not None:
            raise AccessRefused(reason)
    elif team_id is not None:
        role = principal.roles.get(team_id)
        if role is None or ROLE_ORDER[role] < ROLE_ORDER[action.role]:
            team_name = Team.objects.filter(pk=team_id).values_list("name", flat=True).first()
            raise RoleRefused(role_refusal(role, action, team_name or "?"))


def allowed(principal: Principal, action: Action, environment=None, *, team_id=None) -> bool:
    try:
        require(principal, action, environment, team_id=team_id)
    except PermissionDenied:
        return False
    return True


# --- What a principal can see -----------------------------------------------------------------


def visible_teams(principal: Principal):
    """The teams `principal` belongs to (a key: its own team)."""
    if principal.is_system:
        return Team.objects.all()
    if principal.restriction is not None:
        return Team.objects.filter(pk=principal.restriction.team_id)
    if not _signed_in(principal.user):
        return Team.objects.none()
    return Team.objects.filter(memberships__user=principal.user)


def get_team(principal: Principal, action: Action = Action.READ_TEAM, **lookup) -> Team:
    """A team `principal` belongs to (else Http404) where its role allows `action` (else 403)."""
    team = one_or_404(visible_teams(principal), **lookup)
    require(principal, action, team_id=team.pk)
    return team


def team_for(principal: Principal, action: Action, team_id=None, *, default=None) -> Team:
    """The team a new project or key goes to: the one named (it must be visible, else 404),
    else a key's own team, else `default`; `action` must be allowed there."""
    if team_id is None and principal.restriction is not None:
        team_id = principal.restriction.team_id
    team = get_team(principal, action, pk=team_id) if team_id is not None else default
    require(principal, action, team_id=team.pk)
    return team


def visible_projects(principal: Principal):
    """The projects of the teams `principal` belongs to, narrowed by a key's restriction."""
    if principal.is_system:
        return Project.objects.all()
    restriction = principal.restriction
    if restriction is not None:
        if restriction.team_id is not None:
            projects = Project.objects.filter(team_id=restriction.team_id)
        else:
            projects = Project.objects.all()  # a webhook: the project whose secret signed it
        if restriction.project_id is not None:
            projects = projects.filter(id=restriction.project_id)
        return projects
    if not _signed_in(principal.user):
        return Project.objects.none()
    return Project.objects.filter(team__memberships__user=principal.user)


def one_or_404(queryset, **lookup):
    """The row, or Http404 naming what is missing (a malformed id is missing too)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError) as missing:
        raise Http404(f"No such {queryset.model._meta.verbose_name}.") from missing


def get_project(principal: Principal, action: Action = Action.READ, **lookup) -> Project:
    """One project `principal` may see (else Http404) and act on (else a 403)."""
    project = one_or_404(visible_projects(principal), **lookup)
    require(principal, action, team_id=project.team_id)
    return project


def visible(principal: Principal, queryset):
    """Rows of `queryset` that belong to projects (and an environment) `principal` sees.

    Its model declares `access_scope = (path to the project, path to the environment or None)`.
    """
    project_path, environment_path = queryset.model.access_scope
    if principal.is_system:
        return queryset
    queryset = queryset.filter(**{f"{project_path}__in": visible_projects(principal)})
    restriction = principal.restriction
    if restriction is not None and restriction.environment and environment_path:
        queryset = queryset.filter(**{environment_path: restriction.environment})
    return queryset


def get_object(principal: Principal, queryset, action: Action = Action.READ, **lookup):
    """One row `principal` may see (else Http404) and act on (else a 403)."""
    project_path, environment_path = queryset.model.access_scope
    row = one_or_404(visible(principal, queryset).select_related(project_path), **lookup)
    environment = _follow(row, environment_path) if environment_path else None
    require(principal, action, environment, team_id=_follow(row, project_path).team_id)
    return row


def _follow(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name)
    return row


def project_environments(principal: Principal, environments) -> list[str]:
    """Of a project's `environments`, the ones `principal` may touch."""
    restriction = principal.restriction
    if restriction is None or not restriction.environment:
        return list(environments)
    return [name for name in environments if name == restriction.environment]


# --- API keys ---------------------------------------------------------------------------------


def visible_api_keys(principal: Principal, action: Action = Action.READ_KEYS):
    """The keys of the teams where `principal` may do `action` (READ_KEYS: admins and owners;
    a key: its own team's, unless it is restricted to a project)."""
    keys = ApiKey.objects.select_related("project", "team")
    if principal.is_system:
        return keys
    if principal.restriction is not None:
        if not allowed(principal, Action.READ_KEYS):
            return keys.none()
        return keys.filter(team_id=principal.restriction.team_id)
    needed = ROLE_ORDER[action.role]
    teams = [team for team, role in principal.roles.items() if ROLE_ORDER[role] >= needed]
    return keys.filter(team_id__in=teams)


def get_api_key(principal: Principal, action: Action = Action.MANAGE_KEYS, **lookup) -> ApiKey:
    """A key of one of `principal`'s teams (else Http404) it may `action` (else a 403)."""
    require(principal, Action.READ_KEYS)
    api_key = one_or_404(visible_api_keys(principal, Action.READ_TEAM), **lookup)
    require(principal, action, team_id=api_key.team_id)
    return api_key


# The same rule as visible_projects for a request made with an API key, written as a relation
# from ApiKey, so that the config endpoint fetches a key with the project it may see in one query.
KEY_PROJECTS_RELATION = "team__projects"


def key_visible_projects_condition() -> Q:
    """Projects of the key's team; only the key's project when it is restricted to one."""
    return Q(project__isnull=True) | Q(team__projects__id=F("project_id"))
