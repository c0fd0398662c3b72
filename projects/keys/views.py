"""Pages under /settings/api-keys: list, create (key shown once), revoke, roll."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from sentry_manager.lib import times
from sentry_manager.lib.htmx import render_page_or_fragment

from .. import access
from . import services as api_keys
from .forms import ApiKeyForm, RollKeyForm
from .models import ApiKey

TEMPLATE = "projects/api_keys.html"


def _key_or_404(request, key_id) -> ApiKey:
    return access.get_api_key(access.principal_for(request), id=key_id)


def _render(request, *, form=None, issued=None, confirm=None, roll_form=None, status=200):
    keys = access.visible_api_keys(access.principal_for(request))
    # Revoked keys no longer work: out of the way unless asked for (?revoked=1).
    show_revoked = request.GET.get("revoked") == "1"
    context = {
        "keys": keys if show_revoked else keys.filter(revoked_at__isnull=True),
        "show_revoked": show_revoked,
        "revoked_count": keys.filter(revoked_at__isnull=False).count(),
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
    if request.method == "POST":
        form = ApiKeyForm(request.POST, user=request.user)
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
        form = ApiKeyForm(user=request.user, initial=wanted)
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
