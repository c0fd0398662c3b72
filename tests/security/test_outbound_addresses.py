"""The Sentry API URL (sent an integration's auth token) may only be a public address unless
the operator allows more: refused on save, by the API and the page form. Nothing here
connects anywhere (tests/explainer/test_outbound_refused.py checks connection time)."""

import ipaddress

import pytest

from integrations.models import SentryIntegration
from sentry_manager.lib.outbound import address_kind

DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42"
REFUSED_URLS = [
    "http://127.0.0.1:8080",
    "http://localhost:5432",  # a name that resolves to 127.0.0.1
    "https://169.254.169.254",
    "https://10.0.0.1",
    "https://192.168.1.10:9000",
    "https://[::1]",
    "https://[::ffff:127.0.0.1]",
    "https://100.64.0.1",
    "https://0.0.0.0",
]


@pytest.fixture
def loopback_refused(settings):
    settings.OUTBOUND_ALLOWED_HOSTS = []
    settings.OUTBOUND_ALLOWED_NETWORKS = []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "cloud metadata"),
        ("169.254.10.1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("::ffff:192.168.0.1", "private"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "non-public"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kinds(loopback_refused, address, kind):
    assert address_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("url", REFUSED_URLS)
def test_the_api_refuses_a_private_sentry_url_on_save(api, make_project, loopback_refused, url):
    project = make_project()
    body = {"environment": "production", "dsn": DSN, "org": "acme", "project": "backend"}
    response = api.post(
        f"/api/projects/{project.pk}/sentry", {**body, "apiBaseUrl": url}, format="json"
    )
    assert response.status_code == 400, response.json()
    message = response.json()["fields"]["apiBaseUrl"][0]
    assert "public addresses" in message and "OUTBOUND_ALLOWED_HOSTS=" in message
    assert SentryIntegration.objects.count() == 0


def test_an_edit_to_a_private_url_is_refused_and_changes_nothing(
    api, make_project, loopback_refused
):
    from integrations.services import create_integration

    project = make_project()
    integration = create_integration(
        project=project, environment="production", dsn=DSN, org="acme", sentry_project="backend"
    )
    response = api.patch(
        f"/api/projects/{project.pk}/sentry/{integration.pk}",
        {"apiBaseUrl": "https://169.254.169.254"},
        format="json",
    )
    assert response.status_code == 400
    assert "cloud metadata" in response.json()["fields"]["apiBaseUrl"][0]
    integration.refresh_from_db()
    assert integration.api_base_url == "https://sentry.io"


def test_the_page_form_refuses_a_name_resolving_to_loopback(
    browser_client, make_project, loopback_refused
):
    project = make_project()
    form = {
        "environment": "staging",
        "dsn": DSN,
        "org": "acme",
        "sentry_project": "checkout",
        "api_base_url": "http://localhost:5432",
        "traces_sample_rate": "0.1",
        "replays_session_sample_rate": "0.1",
        "replays_on_error_sample_rate": "1.0",
    }
    response = browser_client.post(f"/projects/{project.slug}/integrations/new", form)
    assert response.status_code == 422
    page = response.content.decode()
    assert "localhost resolves to 127.0.0.1" in page and "OUTBOUND_ALLOWED_HOSTS" in page
    assert SentryIntegration.objects.count() == 0


@pytest.mark.parametrize(
    ("allowed", "url"),
    [
        ({"OUTBOUND_ALLOWED_NETWORKS": ["10.0.0.0/8"]}, "https://10.0.0.1"),
        ({"OUTBOUND_ALLOWED_HOSTS": ["localhost"]}, "http://localhost:9000"),
        ({"OUTBOUND_ALLOWED_HOSTS": [".localhost"]}, "http://sentry.localhost"),
    ],
)
def test_what_the_operator_allows_is_saved(api, make_project, settings, allowed, url):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    for name, value in allowed.items():
        setattr(settings, name, value)
    project = make_project()
    body = {"environment": "production", "dsn": DSN, "org": "acme", "project": "backend"}
    response = api.post(
        f"/api/projects/{project.pk}/sentry", {**body, "apiBaseUrl": url}, format="json"
    )
    assert response.status_code == 201, response.json()
