"""The team the pages show (the header's team switcher), kept in the session."""

from django.utils.functional import SimpleLazyObject

from .. import access
from .services import personal_team

SESSION_KEY = "team_id"


def current_team(request):
    """The team chosen in the switcher if the user still belongs to it, else their personal
    team; None for anonymous requests."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return None
    teams = access.visible_teams(access.principal_for(request))
    chosen = request.session.get(SESSION_KEY)
    team = teams.filter(pk=chosen).first() if chosen else None
    return team or personal_team(request.user)


def choose_team(request, team) -> None:
    request.session[SESSION_KEY] = str(team.pk)


class CurrentTeamMiddleware:
    """`request.team`, looked up the first time something reads it (self-monitoring tags it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.team = SimpleLazyObject(lambda: current_team(request))
        return self.get_response(request)


def teams(request):
    """Context processor: the switcher's teams and the current one."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    principal = access.principal_for(request)
    return {"teams": list(access.visible_teams(principal)), "current_team": request.team}
