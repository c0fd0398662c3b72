"""Every page, on a desktop in the light and on a phone in the dark: nothing wider than the
screen, no serious or critical axe-core finding, no console error or CSP violation (the `page`
fixture). One test per width visits them all: a browser context per page would cost more than
the checks."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from tests.fakes.sentry_server import FakeSentry

from . import demo
from .conftest import DESKTOP, PHONE, check_page, use_width

ISSUE = "4504123457"


def signed_in_pages(world: demo.Demo) -> list[str]:
    project = f"/projects/{world.project.slug}"
    production = f"{project}/integrations/{world.production.id}"
    key = f"/settings/api-keys/{world.key.id}"
    return [
        "/projects",
        "/projects?new=1",
        project,
        f"{project}/edit",
        f"{project}/active",
        f"{project}/delete",
        f"{project}/use-config?environment=staging",
        f"{project}/integrations/new",
        f"{production}/edit",
        f"{production}/active",
        f"{production}/delete",
        f"/projects/{world.twin.slug}",
        "/settings/api-keys",
        f"/settings/api-keys?new=1&project={world.project.id}&environment=production",
        "/settings/api-keys?revoked=1",
        f"{key}/roll",
        f"{key}/revoke",
        f"{project}/issues",
        f"{project}/issues?environment=staging",  # no auth token: an empty state
        f"/projects/{world.twin.slug}/issues",  # no integration: an empty state
        f"{project}/issues/{ISSUE}?environment=production",
        f"{project}/events/import",
        f"{project}/events/{world.imported.pk}",
        f"{project}/explanations",
        f"{project}/explanations/{world.done.pk}",
        f"{project}/explanations/{world.failed.pk}",
        "/accounts/password_change/",
        "/accounts/password_change/done/",
        "/accounts/logout/",
        "/no-such-page",
    ]


SIGNED_OUT_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/logout/"]


@pytest.mark.parametrize(
    ("width", "scheme"), [(DESKTOP, "light"), (PHONE, "dark")], ids=["desktop", "phone-dark"]
)
def test_every_page_fits_the_screen_and_passes_axe(
    logged_in_page, httpserver, settings, encryption_key, width, scheme
):
    settings.ALLOW_SIGNUP = True
    cache.clear()
    fake = FakeSentry().install(httpserver)
    world = demo.seed(get_user_model().objects.get(username="alice"), fake.base_url.rstrip("/"))
    page = logged_in_page
    use_width(page, width)
    page.emulate_media(color_scheme=scheme)
    for path in signed_in_pages(world):
        page.goto(path)
        check_page(page)

    page.context.clear_cookies()
    for path in SIGNED_OUT_PAGES:
        page.goto(path)
        check_page(page)


def test_redoc_asks_for_nothing_remote_such_as_its_logo(logged_in_page, live_server):
    # A CSP violation (ReDoc's logo from cdn.redoc.ly) would fail the `page` fixture too.
    requested = []
    logged_in_page.on("request", lambda request: requested.append(request.url))
    logged_in_page.goto("/redoc")
    logged_in_page.get_by_text("API docs by Redocly").wait_for()
    remote = [url for url in requested if url.startswith("http") and live_server.url not in url]
    assert remote == []
