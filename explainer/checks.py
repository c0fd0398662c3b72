"""System check: OPENAI_BASE_URL is refused when it resolves to a private address (its key
would be sent there); said at start-up, refused again on every connection."""

from django.conf import settings
from django.core.checks import Warning, register

from sentry_manager.lib.outbound import OutboundRefused, check_url


@register()
def check_openai_base_url(app_configs, **kwargs):
    if not (settings.OPENAI_API_KEY and settings.OPENAI_BASE_URL):
        return []
    try:
        check_url(settings.OPENAI_BASE_URL, "OPENAI_BASE_URL")
    except OutboundRefused as refused:
        return [Warning(refused.message, id="explainer.W001")]
    return []
