"""The access policy: the one module that decides who sees and does what.

A *principal* is whoever makes a request: a signed-in user, or an API key acting for its owner
within its restrictions (one project, one environment, an access level), or a verified Sentry
webhook acting for one integration. Every page, API view, admin queryset, task, webhook and
the config endpoint asks here; no other module filters by owner, key restriction or level.

Two answers, never a 500:
- not visible (another user's project, another environment's integration, a malformed id)
  → Http404, so that existence does not leak;
- visible but not allowed (a read key writing, a key restricted to `staging` reading
  `production`'s issues, a project key creating projects, a ci key doing anything but fetch
  CI credentials, any other key fetching them) → AccessRefused, a 403 with code
  `insufficient_key_scope` and a message naming what the key lacks.

Rows of other models are scoped through the `access_scope` they declare: the path to their
project and, when they belong to one environment, to that environment. This module never
imports another app, so `integrations` and `explainer` depend on it, not the other way round.
"""

from dataclasses import dataclass
from enum import Enum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404

from .keys.models import ApiKey
from .models import Project

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


# How much of the caller's reach an action needs:
WITHIN_ENVIRONMENT = "environment"  # things of one environment (a key's environment will do)
WHOLE_PROJECT = "project"  # the project itself: not for keys restricted to an environment
ALL_PROJECTS = "account"  # beyond one project: not for keys restricted to a project


class Action(Enum):
    """(what it is called in messages, the key level it needs, the reach it needs)"""

    CONFIG = ("read the config endpoint", ApiKey.CONFIG, WITHIN_ENVIRONMENT)
    READ = ("read projects, integrations and explanations", ApiKey.READ, WITHIN_ENVIRONMENT)
    READ_ISSUES = ("read Sentry issues", ApiKey.READ, WITHIN_ENVIRONMENT)
    CHANGE = ("change integrations", ApiKey.WRITE, WITHIN_ENVIRONMENT)
    IMPORT_EVENT = ("import events", ApiKey.WRITE, WITHIN_ENVIRONMENT)
    EXPLAIN = ("request explanations", ApiKey.WRITE, WITHIN_ENVIRONMENT)
    CHANGE_PROJECT = ("change the project", ApiKey.WRITE, WHOLE_PROJECT)
    DELETE_PROJECT = ("delete the project", ApiKey.WRITE, WHOLE_PROJECT)
    CREATE_PROJECT = ("create projects", ApiKey.WRITE, ALL_PROJECTS)
    READ_KEYS = ("list API keys", ApiKey.READ, ALL_PROJECTS)
    MANAGE_KEYS = ("create, roll or revoke API keys", ApiKey.WRITE, ALL_PROJECTS)
    CI_CREDENTIALS = ("fetch CI credentials (the Sentry auth token)", ApiKey.CI, WITHIN_ENVIRONMENT)

    def __init__(self, verb, level, reach):
        self.verb, self.level, self.reach = verb, level, reach


class AccessRefused(PermissionDenied):
    """Visible, but the principal may not do this: a 403 naming what it lacks."""

    error_code = "insufficient_key_scope"


@dataclass(frozen=True)
class Restriction:
    """What a key (or a webhook signature) is limited to; None fields are not limited."""

    level: str
    project_id: object = None
    environment: str = ""


@dataclass(frozen=True)
class Principal:
    user: object = None  # None: anonymous, a webhook or the system
    restriction: Restriction | None = None
    api_key: ApiKey | None = None
    is_system: bool = False  # the task worker, superusers in the admin: everything

    @property
    def is_authenticated(self) -> bool:
        return self.is_system or self.restriction is not None or _signed_in(self.user)


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
        level=api_key.access, project_id=api_key.project_id, environment=api_key.environment
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


def require(principal: Principal, action: Action, environment: str | None = None) -> None:
    """Raise AccessRefused unless `principal` may do `action` (on a project it can see)."""
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


def allowed(principal: Principal, action: Action, environment: str | None = None) -> bool:
    try:
        require(principal, action, environment)
    except PermissionDenied:
        return False
    return True


# --- What a principal can see -----------------------------------------------------------------


def visible_projects(principal: Principal):
    """The projects `principal` may see: its own, narrowed by a key's project restriction."""
    if principal.is_system:
        return Project.objects.all()
    projects = Project.objects.none()
    if _signed_in(principal.user):
        projects = Project.objects.filter(owner=principal.user)
    elif principal.restriction is not None and principal.restriction.project_id is not None:
        projects = Project.objects.all()  # a webhook: the project whose secret signed it
    if principal.restriction is not None and principal.restriction.project_id is not None:
        projects = projects.filter(id=principal.restriction.project_id)
    return projects


def _one_or_404(queryset, **lookup):
    """The row, or Http404 naming what is missing (a malformed id is missing too)."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError) as missing:
        raise Http404(f"No such {queryset.model._meta.verbose_name}.") from missing


def get_project(principal: Principal, action: Action = Action.READ, **lookup) -> Project:
    """One project `principal` may see (else Http404) and act on (else AccessRefused)."""
    project = _one_or_404(visible_projects(principal), **lookup)
    require(principal, action)
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
    """One row `principal` may see (else Http404) and act on (else AccessRefused)."""
    project_path, environment_path = queryset.model.access_scope
    row = _one_or_404(visible(principal, queryset).select_related(project_path), **lookup)
    environment = _follow(row, environment_path) if environment_path else None
    require(principal, action, environment)
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


def visible_api_keys(principal: Principal):
    """The keys `principal` may list: its owner's (a key restricted to a project sees none)."""
    if principal.is_system:
        return ApiKey.objects.select_related("project")
    if not _signed_in(principal.user) or not allowed(principal, Action.READ_KEYS):
        return ApiKey.objects.none()
    return ApiKey.objects.filter(owner=principal.user).select_related("project")


def get_api_key(principal: Principal, action: Action = Action.MANAGE_KEYS, **lookup) -> ApiKey:
    require(principal, Action.READ_KEYS)
    api_key = _one_or_404(visible_api_keys(principal), **lookup)
    require(principal, action)
    return api_key


# The same rule as visible_projects for a request made with an API key, written as a relation
# from ApiKey, so that the config endpoint fetches a key with the project it may see in one query.
KEY_PROJECTS_RELATION = "owner__projects"


def key_visible_projects_condition() -> Q:
    """Projects of the key's owner; only the key's project when it is restricted to one."""
    return Q(project__isnull=True) | Q(owner__projects__id=F("project_id"))
