"""Team actions: personal teams, creating teams, invitations, roles, removing and leaving.

Pages, the JSON API and the admin call these. Who may call them is the access policy's
question (projects.access: MANAGE_MEMBERS needs an owner); these keep the team's own rules:
a team always keeps an owner, an invitation is used once and expires.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from sentry_manager.lib import pruning

from ..audit.services import record
from .models import Invitation, Membership, Team

INVITATION_LIFETIME = timedelta(days=7)
TOKEN_BYTES = 32


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once (the link to copy); only its hash is stored


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _free_slug(name: str) -> str:
    base = slugify(name)[:90] or "team"
    taken = set(Team.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def create_team(user, name: str, *, personal: bool = False) -> Team:
    """A new team with `user` as its owner."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the team a name."})
    if len(name) > 100:
        raise ValidationError({"name": "A team name is at most 100 characters."})
    for _attempt in range(5):
        try:
            with transaction.atomic():
                team = Team.objects.create(name=name, slug=_free_slug(name), is_personal=personal)
                Membership.objects.create(team=team, user=user, role=Membership.OWNER)
                record("team.created", team=team, target=team)
                return team
        except IntegrityError:
            continue  # another request took the slug a moment ago
    raise ValidationError({"name": "Could not find a free address for this team; rename it."})


def personal_team(user) -> Team:
    """The user's personal team, made the first time it is needed."""
    team = Team.objects.filter(is_personal=True, memberships__user=user).first()
    if team is None:
        team = create_team(user, user.get_username(), personal=True)
    return team


# --- Invitations --------------------------------------------------------------------------------


def invite(team: Team, email: str, role: str, *, invited_by) -> IssuedInvitation:
    """An invitation link for `email`; mailed too when an email backend is configured."""
    errors = {}
    email = (email or "").strip().lower()
    try:
        Invitation(team=team, email=email, role=role, expires_at=timezone.now()).full_clean(
            exclude=["token_hash", "invited_by"], validate_unique=False
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if not errors and Membership.objects.filter(team=team, user__email__iexact=email).exists():
        errors["email"] = [f"{email} is already a member of {team.name}."]
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        role=role,
        token_hash=_hash(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    record("invitation.created", team=team, target=invitation, changes={"role": [None, role]})
    return IssuedInvitation(invitation, token)


def prune_invitations(before, *, dry_run=False) -> int:
    """Invitations that ended (accepted, withdrawn or expired) before `before`: their links no
    longer work; the audit log keeps who invited whom. Pending invitations stay."""
    ended = Q(expires_at__lt=before) | Q(accepted_at__lt=before) | Q(revoked_at__lt=before)
    return pruning.delete(Invitation.objects.filter(ended), dry_run=dry_run)


def mail_invitation(issued: IssuedInvitation, link: str) -> bool:
    """Send the link when a real email backend is configured; False when none is."""
    if not settings.EMAIL_URL:
        return False
    invitation = issued.invitation
    send_mail(
        subject=f"You are invited to {invitation.team.name} on Sentry Manager",
        message=(
            f"{invitation.invited_by or 'Someone'} invited you to the team "
            f"'{invitation.team.name}' as {invitation.role}.\n\nAccept: {link}\n\n"
            f"The link works once and expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC."
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True


def find_invitation(token: str) -> Invitation | None:
    return Invitation.objects.select_related("team").filter(token_hash=_hash(token or "")).first()


def accept(token: str, user) -> Membership:
    """Join the team of a pending invitation with its role. Raises ValidationError."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=_hash(token or "")).first()
        )
        status = invitation.status(timezone.now()) if invitation else "unknown"
        if status != "pending":
            raise ValidationError(
                {
                    "unknown": "This invitation link is not valid. Ask for a new one.",
                    "accepted": "This invitation was already used. Ask for a new one.",
                    "revoked": "This invitation was withdrawn. Ask for a new one.",
                    "expired": "This invitation has expired. Ask for a new one.",
                }[status],
                code=f"invitation_{status}",
            )
        if Membership.objects.filter(team=invitation.team, user=user).exists():
            raise ValidationError(
                f"You are already a member of {invitation.team.name}.", code="already_member"
            )
        membership = Membership.objects.create(
            team=invitation.team, user=user, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record("invitation.accepted", team=invitation.team, target=invitation)
    return membership


def revoke_invitation(invitation: Invitation) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record("invitation.revoked", team=invitation.team, target=invitation)
    return invitation


# --- Members ------------------------------------------------------------------------------------


def _keeps_an_owner(membership: Membership) -> None:
    """Refuse to take away the team's last owner."""
    if membership.role != Membership.OWNER:
        return
    owners = Membership.objects.filter(team_id=membership.team_id, role=Membership.OWNER)
    if not owners.exclude(pk=membership.pk).exists():
        raise ValidationError(
            "A team needs an owner: make someone else an owner first.", code="last_owner"
        )


def change_role(membership: Membership, role: str) -> Membership:
    if role not in dict(Membership.ROLE_CHOICES):
        raise ValidationError({"role": f"'{role}' is not a role: owner, admin or member."})
    if role != Membership.OWNER:
        _keeps_an_owner(membership)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        "member.role_changed",
        team=membership.team,
        target=membership,
        changes={"role": [before, role]},
    )
    return membership


def remove_member(membership: Membership) -> None:
    """Remove a member (an owner removing someone, or someone leaving)."""
    _keeps_an_owner(membership)
    record("member.removed", team=membership.team, target=membership)
    membership.delete()


# --- Rotation reminders -------------------------------------------------------------------------


def set_rotation_days(team: Team, days) -> Team:
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 3650:
        raise ValidationError({"rotation_days": "Give a number of days between 1 and 3650."})
    before = team.rotation_days
    team.rotation_days = days
    team.save(update_fields=["rotation_days"])
    record("team.changed", team=team, target=team, changes={"rotation_days": [before, days]})
    return team


def rotation_due(team: Team, now=None) -> dict:
    """Keys and auth tokens older than the team's rotation period, with what rotates each."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=team.rotation_days)
    keys = (
        team.api_keys.filter(created_at__lt=cutoff, revoked_at__isnull=True)
        .filter(replaced_by__isnull=True)
        .exclude(expires_at__lte=now)
        .select_related("project")
    )
    # Projects whose active integrations hold a token entered before the cutoff.
    projects = team.projects.filter(
        sentry_integrations__is_active=True, sentry_integrations__auth_token_set_at__lt=cutoff
    ).distinct()
    return {"keys": list(keys), "projects": list(projects), "days": team.rotation_days}
