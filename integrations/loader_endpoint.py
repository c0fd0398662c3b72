"""GET /js/<loader id>.js (the browser loader) and GET /js/sdk/<file> (the vendored SDK).

Public, like the DSN they carry. The loader is cacheable for LOADER_CACHE_MAX_AGE seconds by
browsers and any cache or CDN in front (`public`), with an ETag for cheap revalidation, so
page loads rarely reach the app; a change of sample rate reaches browsers within that time.
A revoked or regenerated id answers 404 at once here (caches may keep the old answer up to
the same max-age). CORS: the allowed page origins of the integration, any origin when it lists
none. The rules are in loader.py.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from sentry_manager.lib.http import etag_for, etag_matches

from . import loader

JAVASCRIPT = "text/javascript; charset=utf-8"
SDK_MAX_AGE = 365 * 24 * 3600  # the version is in the file name


def _public(response, max_age: int) -> None:
    response["Cache-Control"] = f"public, max-age={max_age}"


@login_not_required
@require_safe
def browser_loader(request, loader_id: str):
    integration = loader.integration_for(loader_id)
    if integration is None:
        response = HttpResponse(
            "/* Sentry Manager: no browser loader with this id (revoked, regenerated or never "
            "issued). Copy the current <script> tag from the project page. */\n",
            content_type=JAVASCRIPT,
            status=404,
        )
        _public(response, settings.LOADER_CACHE_MAX_AGE)
        return response
    sdk_url = request.build_absolute_uri(reverse("sentry-browser-sdk", args=[loader.SDK_FILE]))
    body = loader.script(integration, sdk_url).encode()
    etag = etag_for(body)
    if etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=JAVASCRIPT)
    response["ETag"] = etag
    _public(response, settings.LOADER_CACHE_MAX_AGE)
    origin = request.META.get("HTTP_ORIGIN", "")
    allowed = integration.loader_origins
    if not allowed:
        response["Access-Control-Allow-Origin"] = "*"
    elif origin.lower() in allowed:
        response["Access-Control-Allow-Origin"] = origin
    patch_vary_headers(response, ["Origin"])
    return response


@login_not_required
@require_safe
@gzip_page
def browser_sdk(request, filename: str):
    if filename != loader.SDK_FILE:
        raise Http404("No such SDK file.")
    response = HttpResponse(loader.sdk_bundle(), content_type=JAVASCRIPT)
    response["Access-Control-Allow-Origin"] = "*"  # the loader asks with crossorigin + SRI
    _public(response, SDK_MAX_AGE)
    response["Cache-Control"] += ", immutable"
    return response
