"""Team pages: the switcher, the team list, a team's members and invitations, accepting."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sentry_manager.lib.htmx import render_page_or_fragment

from .. import access
from ..access import Action
from ..keys.models import UsageFlag
from . import services
from .current import choose_team
from .forms import InviteForm, RoleForm, TeamForm
from .models import Invitation, Membership

LIST_TEMPLATE = "teams/list.html"
DETAIL_TEMPLATE = "teams/detail.html"


def _team(request, slug, action=Action.READ_TEAM):
    return access.get_team(access.principal_for(request), action, slug=slug)


@require_http_methods(["GET", "POST"])
def team_list(request):
    form = (
        TeamForm(request.POST or None) if request.method == "POST" or "new" in request.GET else None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                team = services.create_team(request.user, form.cleaned_data["name"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                choose_team(request, team)
                messages.success(request, f"Team “{team.name}” created; you are its owner.")
                return redirect("teams:detail", slug=team.slug)
        status = 422
    principal = access.principal_for(request)
    context = {"memberships": _memberships(principal), "form": form}
    return render_page_or_fragment(request, LIST_TEMPLATE, "team-section", context, status)


def _memberships(principal):
    teams = access.visible_teams(principal).prefetch_related("memberships")
    roles = principal.roles
    return [(team, roles.get(team.pk), len(team.memberships.all())) for team in teams]


@require_POST
def switch(request):
    team = _team(request, request.POST.get("team", ""))
    choose_team(request, team)
    messages.success(request, f"Now working in “{team.name}”.")
    after = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(after, {request.get_host()}, request.is_secure()):
        after = reverse("projects:list")
    return redirect(after)


def _detail(request, team, *, invite_form=None, issued=None, status=200):
    principal = access.principal_for(request)
    now = timezone.now()
    context = {
        "team": team,
        "role": principal.roles.get(team.pk),
        "can_manage": access.allowed(principal, Action.MANAGE_MEMBERS, team_id=team.pk),
        "members": team.memberships.select_related("user").order_by("user__username"),
        "invitations": [
            (invitation, invitation.status(now))
            for invitation in team.invitations.select_related("invited_by")[:50]
        ],
        "invite_form": invite_form,
        "due": services.rotation_due(team, now),
        "flags": UsageFlag.objects.filter(
            api_key__team=team, hour__gte=now - timedelta(days=7)
        ).select_related("api_key")[:20],
        "issued": issued,
        "roles": Membership.ROLE_CHOICES,
    }
    return render_page_or_fragment(request, DETAIL_TEMPLATE, "member-section", context, status)


def team_detail(request, slug):
    team = _team(request, slug)
    return _detail(request, team, invite_form=InviteForm() if "invite" in request.GET else None)


@never_cache
@require_POST
def invite(request, slug):
    team = _team(request, slug, Action.MANAGE_MEMBERS)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            issued = services.invite(
                team, form.cleaned_data["email"], form.cleaned_data["role"], invited_by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            link = request.build_absolute_uri(reverse("teams:accept", args=[issued.token]))
            mailed = services.mail_invitation(issued, link)
            response = _detail(
                request, team, issued={"link": link, "mailed": mailed, **vars(issued)}
            )
            response["Cache-Control"] = "no-store"  # the link is shown once
            return response
    return _detail(request, team, invite_form=form, status=422)


def _member(team, member_id) -> Membership:
    return access.one_or_404(team.memberships.select_related("user"), pk=member_id)


def _change(request, team, change, message):
    try:
        change()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect("teams:detail", slug=team.slug)


@require_POST
def change_role(request, slug, member_id):
    team = _team(request, slug, Action.MANAGE_MEMBERS)
    membership = _member(team, member_id)
    form = RoleForm(request.POST)
    role = form.cleaned_data["role"] if form.is_valid() else request.POST.get("role", "")
    message = f"{membership.user.get_username()} is now {role} of {team.name}."
    return _change(request, team, lambda: services.change_role(membership, role), message)


@require_POST
def remove_member(request, slug, member_id):
    team = _team(request, slug, Action.MANAGE_MEMBERS)
    membership = _member(team, member_id)
    message = f"{membership.user.get_username()} was removed from {team.name}."
    return _change(request, team, lambda: services.remove_member(membership), message)


@require_POST
def rotation(request, slug):
    team = _team(request, slug, Action.MANAGE_MEMBERS)
    days = request.POST.get("rotation_days")
    message = f"Keys and tokens older than {days} days are now flagged."
    return _change(request, team, lambda: services.set_rotation_days(team, days), message)


@require_POST
def leave(request, slug):
    team = _team(request, slug)
    membership = team.memberships.get(user=request.user)
    try:
        services.remove_member(membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("teams:detail", slug=team.slug)
    messages.success(request, f"You left {team.name}.")
    return redirect("teams:list")


@require_POST
def revoke_invitation(request, slug, invitation_id):
    team = _team(request, slug, Action.MANAGE_MEMBERS)
    invitation = access.one_or_404(team.invitations.all(), pk=invitation_id)
    services.revoke_invitation(invitation)
    messages.success(request, f"The invitation of {invitation.email} was withdrawn.")
    return redirect("teams:detail", slug=team.slug)


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request, token):
    invitation: Invitation | None = services.find_invitation(token)
    error = None
    if request.method == "POST":
        try:
            membership = services.accept(token, request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            choose_team(request, membership.team)
            messages.success(request, f"You joined {membership.team.name} as {membership.role}.")
            return redirect("projects:list")
    status = invitation.status(timezone.now()) if invitation else "unknown"
    context = {"invitation": invitation, "status": status, "error": error}
    return render(request, "teams/accept.html", context, status=422 if error else 200)
