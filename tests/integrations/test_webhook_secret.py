"""The webhook client secret (encrypted, write-only) and the auto-explain flag."""

import pytest

from integrations import crypto, services
from integrations.models import SentryIntegration

pytestmark = pytest.mark.django_db
DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42"


def make(project, **extra):
    return services.create_integration(
        project=project,
        environment="production",
        dsn=DSN,
        org="acme",
        sentry_project="web",
        **extra,
    )


def test_the_secret_is_stored_encrypted_and_bound_to_its_field(make_project):
    integration = make(make_project(), webhook_secret="s3cr3t-client", auto_explain=True)
    stored = SentryIntegration.objects.get().webhook_secret
    assert stored.startswith("v1:") and "s3cr3t" not in stored
    assert services.read_webhook_secret(integration) == "s3cr3t-client"
    integration.auth_token = stored  # the same ciphertext does not open as another field
    with pytest.raises(crypto.DecryptionError):
        services.read_auth_token(integration)


def test_the_api_writes_it_but_never_shows_it(api, make_project):
    project = make_project()
    response = api.post(
        f"/api/projects/{project.id}/sentry",
        {
            "environment": "production",
            "dsn": DSN,
            "org": "acme",
            "project": "web",
            "webhookSecret": "s3cr3t-client",
            "autoExplain": True,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["hasWebhookSecret"] is True and body["autoExplain"] is True
    assert "s3cr3t" not in response.content.decode()
    url = f"/api/projects/{project.id}/sentry/{body['id']}"
    cleared = api.patch(url, {"webhookSecret": None, "autoExplain": False}, format="json").json()
    assert cleared["hasWebhookSecret"] is False and cleared["autoExplain"] is False
    assert api.patch(url, {"autoExplain": "yes"}, format="json").status_code == 400


def test_the_form_keeps_the_secret_when_left_empty(browser_client, make_project):
    project = make_project()
    integration = make(project, webhook_secret="s3cr3t-client")
    url = f"/projects/{project.slug}/integrations/{integration.id}/edit"
    page = browser_client.get(url)
    assert b"s3cr3t" not in page.content and b"Webhook client secret" in page.content
    form = {
        "environment": "production",
        "dsn": "",
        "org": "acme",
        "sentry_project": "web",
        "api_base_url": "https://sentry.io",
        "traces_sample_rate": "0.1",
        "replays_session_sample_rate": "0.1",
        "replays_on_error_sample_rate": "1.0",
        "auto_explain": "on",
    }
    assert browser_client.post(url, form).status_code in (200, 302)
    integration.refresh_from_db()
    assert integration.auto_explain is True
    assert services.read_webhook_secret(integration) == "s3cr3t-client"
    browser_client.post(url, {**form, "webhook_secret": "n3w-secret"})
    integration.refresh_from_db()
    assert services.read_webhook_secret(integration) == "n3w-secret"


def test_key_rotation_covers_the_webhook_secret(settings, make_project):
    import base64
    import os

    integration = make(make_project(), webhook_secret="s3cr3t-client", auth_token="sntryu_x")
    old = settings.ENCRYPTION_KEY
    settings.ENCRYPTION_KEY = base64.b64encode(os.urandom(32)).decode()
    settings.ENCRYPTION_OLD_KEYS = [old]
    assert services.rotate_encryption_key()["reencrypted"] == 2
    integration.refresh_from_db()
    assert crypto.is_current(integration.webhook_secret)
    settings.ENCRYPTION_OLD_KEYS = []
    assert services.read_webhook_secret(integration) == "s3cr3t-client"
