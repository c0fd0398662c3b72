"""When connecting, after DNS resolution, the Sentry client and the LLM client refuse
addresses a token may not be sent to (a name resolving to 127.0.0.1 included), and connect
when the operator allows them. Only 127.0.0.1 is ever connected to."""

import pytest

from explainer import event_import
from explainer.models import Explanation
from projects.access import SYSTEM
from tests.fakes.sentry_server import TOKEN, load_event

DSN = "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42"


@pytest.fixture
def saved_with_loopback(make_project, fake_sentry):
    """An integration saved while loopback was allowed; the tests then take that back."""
    from integrations.services import create_integration

    def make(host):
        port = fake_sentry.base_url.rstrip("/").rsplit(":", 1)[1]
        project = make_project("Shop", environment="production")
        create_integration(
            project=project,
            environment="production",
            dsn=DSN,
            org="acme",
            sentry_project="backend",
            api_base_url=f"http://{host}:{port}",
            auth_token=TOKEN,
        )
        return project

    return make


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_sentry_client_refuses_when_connecting(
    api, saved_with_loopback, fake_sentry, settings, host
):
    project = saved_with_loopback(host)
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    response = api.get(f"/api/projects/{project.pk}/sentry-issues")
    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["code"] == "sentry_address_refused"
    assert "127.0.0.1" in body["detail"] and "OUTBOUND_ALLOWED_NETWORKS" in body["detail"]
    assert fake_sentry.requests == []  # the token never left


def test_the_sentry_client_connects_when_allowed_by_host_name(
    api, saved_with_loopback, fake_sentry, settings
):
    project = saved_with_loopback("localhost")
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    settings.OUTBOUND_ALLOWED_HOSTS = ["localhost"]
    response = api.get(f"/api/projects/{project.pk}/sentry-issues")
    assert response.status_code == 200, response.json()
    assert fake_sentry.requests


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_llm_client_refuses_when_connecting(
    api, make_project, fake_openai, settings, run_worker, host
):
    settings.OPENAI_BASE_URL = fake_openai.base_url.replace("127.0.0.1", host)
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    project = make_project()
    imported = event_import.import_event(SYSTEM, project, load_event("python_sdk.json"))
    response = api.post(
        f"/api/projects/{project.pk}/explanations", {"eventId": str(imported.pk)}, format="json"
    )
    run_worker()
    explanation = Explanation.objects.get(pk=response.json()["id"])
    assert explanation.status == "failed"
    assert "OPENAI_BASE_URL" in explanation.error and "loopback" in explanation.error
    assert fake_openai.requests == []


@pytest.mark.django_db(transaction=True)
def test_the_llm_client_connects_by_name_when_allowed(
    api, make_project, fake_openai, settings, run_worker
):
    settings.OPENAI_BASE_URL = fake_openai.base_url.replace("127.0.0.1", "localhost")
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    settings.OUTBOUND_ALLOWED_HOSTS = ["localhost"]
    project = make_project()
    imported = event_import.import_event(SYSTEM, project, load_event("python_sdk.json"))
    api.post(
        f"/api/projects/{project.pk}/explanations", {"eventId": str(imported.pk)}, format="json"
    )
    run_worker()
    explanation = Explanation.objects.get()
    assert explanation.status == "done", explanation.error
    assert fake_openai.requests[0]["headers"]["Host"].startswith("localhost:")


def test_a_private_openai_base_url_is_reported_at_start_up(settings):
    from explainer.checks import check_openai_base_url

    settings.OPENAI_API_KEY = "sk-test"
    settings.OPENAI_BASE_URL = "http://localhost:11434/v1"
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    [warning] = check_openai_base_url(None)
    assert warning.id == "explainer.W001" and "OUTBOUND_ALLOWED_HOSTS=localhost" in warning.msg
    settings.OUTBOUND_ALLOWED_HOSTS = ["localhost"]
    assert check_openai_base_url(None) == []
