"""A table of DSNs, good and bad, through the parser, the API and the form."""

import pytest

from integrations.dsn import mask_dsn, parse_dsn
from integrations.models import SentryIntegration

from .conftest import GOOD_DSN

GOOD = {
    "saas": "https://abc123@o1.ingest.sentry.io/2",
    "regional": "https://abc123@o447951.ingest.us.sentry.io/4505",
    "self-hosted with port and path prefix": "https://key@sentry.example.com:9000/sentry/42",
    "self-hosted over http": "http://key@sentry.internal/7",
    "legacy with secret key": "https://public:secret@o1.ingest.sentry.io/2",
}
BAD = {
    "no key": ("https://o1.ingest.sentry.io/2", "no public key before the @"),
    "no project id": ("https://abc@o1.ingest.sentry.io/", "numeric project id"),
    "non-numeric id": ("https://abc@o1.ingest.sentry.io/abc", "numeric project id"),
    "ftp scheme": ("ftp://abc@o1.ingest.sentry.io/2", "must start with https://"),
    "http to sentry.io": ("http://abc@o1.ingest.sentry.io/2", "only for a self-hosted Sentry"),
    "spaces inside": ("https://abc @o1.ingest.sentry.io/2", "contains spaces"),
    "empty": ("", "empty"),
    "600 characters": ("https://" + "a" * 570 + "@o1.ingest.sentry.io/2", "at most 500"),
}


@pytest.mark.parametrize("dsn", GOOD.values(), ids=GOOD.keys())
def test_good_dsns_parse(dsn):
    assert parse_dsn(f"  {dsn}\n").dsn == dsn


def test_parsed_parts():
    parsed = parse_dsn(GOOD["self-hosted with port and path prefix"])
    assert (parsed.host, parsed.port, parsed.path_prefix) == (
        "sentry.example.com",
        9000,
        "/sentry/",
    )
    assert (parsed.public_key, parsed.project_id) == ("key", "42")
    assert parse_dsn(GOOD["legacy with secret key"]).secret_key == "secret"


@pytest.mark.parametrize(("dsn", "message"), BAD.values(), ids=BAD.keys())
def test_bad_dsns_say_what_is_wrong(dsn, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        parse_dsn(dsn)
    assert message in error.value.messages[0]


def test_mask_hides_the_keys():
    assert mask_dsn(GOOD["saas"]) == "https://••••••••@o1.ingest.sentry.io/2"
    assert "secret" not in mask_dsn(GOOD["legacy with secret key"])


@pytest.mark.django_db
@pytest.mark.parametrize("dsn", GOOD.values(), ids=GOOD.keys())
def test_good_dsns_are_stored_through_the_api(api, make_project, dsn):
    project = make_project()
    body = {"environment": "production", "dsn": dsn, "org": "acme", "project": "checkout"}
    response = api.post(f"/api/projects/{project.id}/sentry", body, format="json")
    assert response.status_code == 201, response.json()
    assert SentryIntegration.objects.get().dsn == dsn


@pytest.mark.django_db
@pytest.mark.parametrize(("dsn", "message"), BAD.values(), ids=BAD.keys())
def test_bad_dsns_through_the_api_store_nothing(api, make_project, dsn, message):
    project = make_project()
    body = {"environment": "production", "dsn": dsn, "org": "acme", "project": "checkout"}
    response = api.post(f"/api/projects/{project.id}/sentry", body, format="json")
    assert response.status_code == 400
    assert any(message in text for text in response.json()["fields"]["dsn"])
    assert not SentryIntegration.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("dsn", "message"), BAD.values(), ids=BAD.keys())
def test_bad_dsns_through_the_form_store_nothing(browser_client, make_project, dsn, message):
    project = make_project()
    data = {
        "environment": "production",
        "dsn": dsn,
        "org": "acme",
        "sentry_project": "checkout",
        "api_base_url": "https://sentry.io",
        "traces_sample_rate": "0.1",
        "replays_session_sample_rate": "0.1",
        "replays_on_error_sample_rate": "1",
    }
    response = browser_client.post(
        f"/projects/{project.slug}/integrations/new", data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_dsn_error"' in page
    assert not SentryIntegration.objects.exists()


@pytest.mark.django_db
def test_bad_dsn_on_patch_changes_nothing(api, make_integration):
    integration = make_integration()
    response = api.patch(
        f"/api/projects/{integration.project_id}/sentry/{integration.id}",
        {"dsn": BAD["no key"][0], "org": "changed"},
        format="json",
    )
    assert response.status_code == 400
    integration.refresh_from_db()
    assert (integration.dsn, integration.org) == (GOOD_DSN, "acme")
