"""The README's screenshots, taken from the real pages: `make screenshots`.

Not a test (pytest collects only test_*.py): run explicitly, it seeds the demo data, opens the
pages in Chromium on a desktop and on a phone, in the light and in the dark, and writes
static/screenshots/*.png.
"""

from pathlib import Path

from django.contrib.auth import get_user_model

from . import demo
from .conftest import DESKTOP, PHONE, use_width

OUT = Path(__file__).resolve().parents[2] / "static" / "screenshots"


def shoot(page, name, *, selector=None, full_page=True):
    page.wait_for_timeout(150)  # fonts and the last swap settle
    path = OUT / f"{name}.png"
    if selector:
        page.locator(selector).screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=full_page)


def test_take_the_readme_screenshots(logged_in_page, encryption_key):
    # No page shot here reads Sentry's API: the integrations keep the default sentry.io URL.
    world = demo.seed(get_user_model().objects.get(username="alice"))
    project = f"/projects/{world.project.slug}"
    page = logged_in_page
    OUT.mkdir(exist_ok=True)

    for scheme, suffix in (("light", ""), ("dark", "-dark")):
        page.emulate_media(color_scheme=scheme)
        use_width(page, DESKTOP)
        page.goto("/projects")
        shoot(page, f"projects{suffix}")
        page.goto(project)
        shoot(page, f"project-detail{suffix}")
        page.goto("/settings/api-keys")
        shoot(page, f"api-keys{suffix}")
        page.goto(f"{project}/explanations/{world.done.pk}")
        shoot(page, f"explanation{suffix}", full_page=False)

        use_width(page, PHONE)
        page.goto(project)
        shoot(page, f"project-phone{suffix}", full_page=False)
        shoot(page, f"integrations-phone{suffix}", selector="#integration-table")

    page.emulate_media(color_scheme="light")
    use_width(page, DESKTOP)
    page.goto(f"{project}/events/{world.imported.pk}")
    shoot(page, "imported-event", full_page=False)
    page.goto(f"{project}/delete")
    shoot(page, "delete-project", selector="#project-card")
