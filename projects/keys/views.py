"""Pages under /settings/api-keys: list, create (key shown once), revoke, roll."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from sentry_manager.lib import times
from sentry_manager.lib.htmx import render_page_or_fragment

from .. import access
from ..access import Action
from . import services as api_keys
from . import usage
from .forms import ApiKeyForm, RollKeyForm
from .models import ApiKey, UsageFlag

TEMPLATE = "projects/api_keys.html"


def _key_or_404(request, key_id) -> ApiKey:
    return access.get_api_key(access.principal_for(request), id=key_id)


def _team_keys(request):
    """The keys of the team chosen in the header's switcher (its admins and owners only)."""
    principal = access.principal_for(request)
    access.require(principal, Action.READ_KEYS, team_id=request.team.pk)
    recent = UsageFlag.objects.filter(hour__gte=timezone.now() - timedelta(days=7))
    keys = access.visible_api_keys(principal).filter(team=request.team)
    return keys.prefetch_related(Prefetch("flags", queryset=recent))


def _render(request, *, form=None, issued=None, confirm=None, roll_form=None, status=200):
    keys = _team_keys(request)
    # Revoked keys no longer work: out of the way unless asked for (?revoked=1).
    show_revoked = request.GET.get("revoked") == "1"
    context = {
        "keys": keys if show_revoked else keys.filter(revoked_at__isnull=True),
        "show_revoked": show_revoked,
        "revoked_count": keys.filter(revoked_at__isnull=False).count(),
        "team": request.team,
        "rotate_before": timezone.now() - timedelta(days=request.team.rotation_days),
        "now": timezone.now(),
        "form": form,
        "issued": issued,
        "confirm": confirm,
        "roll_form": roll_form,
    }
    response = render_page_or_fragment(request, TEMPLATE, "key-section", context, status)
    if issued is not None:
        # The only copy of the key: no browser or proxy may keep this page.
        add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "POST"])
def api_key_list(request):
    _team_keys(request)  # 403 naming the role for a member
    if request.method == "POST":
        access.require(access.principal_for(request), Action.MANAGE_KEYS, team_id=request.team.pk)
        form = ApiKeyForm(request.POST, user=request.user, team=request.team)
        issued = form.save()
        if issued is None:
            return _render(request, form=form, status=422)
        # The plaintext is rendered in this response only; it is never stored.
        return _render(request, issued=issued)
    form = None
    if "new" in request.GET:
        # "Create a config key" links from a project's "Use this config" panel prefill it.
        wanted = {
            name: request.GET[name] for name in ("project", "environment") if name in request.GET
        }
        form = ApiKeyForm(user=request.user, team=request.team, initial=wanted)
    return _render(request, form=form)


@require_http_methods(["GET", "POST"])
def api_key_revoke(request, key_id):
    api_key = _key_or_404(request, key_id)
    if request.method == "POST":
        api_keys.revoke_api_key(api_key)
        messages.success(request, f"API key “{api_key.name}” revoked. It no longer works.")
        if not request.htmx:
            return redirect("api-keys:list")
        return _render(request)
    return _render(request, confirm=("revoke", api_key))


@require_http_methods(["GET", "POST"])
def api_key_roll(request, key_id):
    api_key = _key_or_404(request, key_id)
    if request.method == "POST":
        roll_form = RollKeyForm(request.POST)
        if roll_form.is_valid():
            try:
                hours = roll_form.cleaned_data["grace_hours"]
                issued = api_keys.roll_api_key(api_key, grace=timedelta(hours=hours))
            except ValidationError as error:
                roll_form.add_error(None, error)
            else:
                until = times.exact(api_key.expires_at)
                messages.success(
                    request,
                    f"API key “{api_key.name}” rolled: copy the new key below. The old one "
                    f"keeps working until {until}.",
                )
                return _render(request, issued=issued)
        return _render(request, confirm=("roll", api_key), roll_form=roll_form, status=422)
    return _render(request, confirm=("roll", api_key), roll_form=RollKeyForm())


def api_key_detail(request, key_id):
    """One key: its usage over the last 7 days, top error codes, anomaly flags."""
    principal = access.principal_for(request)
    api_key = access.get_api_key(principal, Action.READ_KEYS, id=key_id)
    usage.refresh(api_key)
    days = usage.daily(api_key)
    peak = max((requests for _day, requests, _errors in days), default=0) or 1
    bars = [
        {
            "day": day,
            "requests": requests,
            "errors": errors,
            "height": round(100 * requests / peak),
            "y": 110 - round(100 * requests / peak),
            "error_height": round(100 * errors / peak),
            "error_y": 110 - round(100 * errors / peak),
            "x": index * 40 + 6,
        }
        for index, (day, requests, errors) in enumerate(days)
    ]
    context = {
        "key": api_key,
        "now": timezone.now(),
        "bars": bars,
        "total": sum(bar["requests"] for bar in bars),
        "top_errors": usage.top_errors(api_key),
        "flags": api_key.flags.all()[:20],
    }
    return render(request, "projects/api_key_detail.html", context)
