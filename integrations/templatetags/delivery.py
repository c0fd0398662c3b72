"""`{% delivery_for integration as d %}`: the CI snippets and the loader tag of an integration,
with this server's own address in them."""

from django import template
from django.conf import settings

from .. import snippets

register = template.Library()


@register.simple_tag(takes_context=True)
def delivery_for(context, integration) -> dict:
    base_url = context["request"].build_absolute_uri("/")
    ci_url = snippets.ci_credentials_url(
        base_url, integration.project.slug, integration.environment
    )
    loader = {}
    if integration.loader_id:
        loader = {
            "tag": snippets.loader_tag(base_url, integration.loader_id),
            "url": snippets.loader_url(base_url, integration.loader_id),
        }
    return {
        "ci_url": ci_url,
        "ci_key_variable": snippets.CI_KEY_VARIABLE,
        "github": snippets.github_actions(ci_url),
        "gitlab": snippets.gitlab_ci(ci_url),
        "loader": loader,
        "max_age": settings.LOADER_CACHE_MAX_AGE,
    }
