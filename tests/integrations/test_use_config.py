"""The project page's "Use this config" panel: snippets for an environment the project serves,
the key as a placeholder, a link to a config key; and the Python snippet, run as written,
fetches the config from a real server and starts the real sentry-sdk with it."""

import html
import os
import re
import shlex
import subprocess
import sys

import pytest
from django.core.cache import cache

from projects.keys.services import issue_api_key

from .test_pages import HTMX

pytestmark = pytest.mark.django_db


def snippet(page: str, name: str) -> str:
    found = re.search(rf'<code id="snippet-{name}">(.*?)</code>', page, re.S)
    return html.unescape(found.group(1))


def test_the_panel_offers_the_default_environment_with_every_snippet(
    browser_client, make_integration, make_project
):
    project = make_project("Shop", environment="staging")
    make_integration(project=project, environment="production")
    make_integration(project=project, environment="staging")
    page = browser_client.get(f"/projects/{project.slug}").content.decode()
    url = "http://testserver/api/integrations/sentry/shop?environment=staging"
    assert '<option value="staging" selected>' in page
    assert shlex.split(snippet(page, "curl").replace("\\\n", " "))[-3:] == [
        "-H",
        "Authorization: Bearer $SENTRY_MANAGER_KEY",
        url,
    ]
    assert 'params={"environment": "staging"}' in snippet(page, "python")
    assert f'fetch("{url}"' in snippet(page, "node")
    assert "process.env.SENTRY_MANAGER_KEY" in snippet(page, "node")
    link = f"/settings/api-keys?new=1&amp;project={project.id}&amp;environment=staging"
    assert f'href="{link}" id="new-config-key"' in page


def test_another_environment_comes_as_a_fragment(browser_client, make_integration):
    project = make_integration(environment="production").project
    make_integration(project=project, environment="qa")
    response = browser_client.get(f"/projects/{project.slug}/use-config?environment=qa", **HTMX)
    fragment = response.content.decode()
    assert fragment.startswith('<section id="use-config"') and "<html" not in fragment
    assert "?environment=qa" in snippet(fragment, "curl")


def test_inactive_integrations_are_not_offered_and_none_left_says_so(
    browser_client, make_integration
):
    from integrations.services import set_integration_active

    integration = make_integration(environment="production")
    set_integration_active(integration, False)
    page = browser_client.get(f"/projects/{integration.project.slug}").content.decode()
    assert 'id="use-config-empty"' in page and "snippet-curl" not in page


def test_the_key_form_opens_prefilled_for_a_config_key(browser_client, make_project):
    project = make_project("Shop")
    query = f"new=1&project={project.id}&environment=staging"
    page = browser_client.get(f"/settings/api-keys?{query}").content.decode()
    assert f'<option value="{project.id}" selected>Shop (shop)</option>' in page
    assert 'name="environment" value="staging"' in page
    assert 'value="config" required id="id_access_0" checked' in page


@pytest.mark.usefixtures("transactional_db")
def test_the_python_snippet_runs_as_written_and_starts_sentry_sdk(
    client, user, make_project, make_integration, live_server, sentry_ingest
):
    cache.clear()
    project = make_project("Shop", environment="production")
    make_integration(project=project, environment="staging", dsn=sentry_ingest.dsn)
    key = issue_api_key(owner=user, name="shop", project=project, environment="staging")
    client.force_login(user)
    host = live_server.url.removeprefix("http://")
    url = f"/projects/{project.slug}/use-config?environment=staging"
    code = snippet(client.get(url, HTTP_HOST=host).content.decode(), "python")
    program = f'{code}\nsentry_sdk.capture_message("started")\nsentry_sdk.flush(timeout=10)\n'
    env = {**os.environ, "SENTRY_MANAGER_KEY": key.plaintext}
    ran = subprocess.run(
        [sys.executable, "-c", program], env=env, capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0, ran.stderr
    events = sentry_ingest.events()
    assert [(event["message"], event["environment"]) for event in events] == [
        ("started", "staging")
    ]
