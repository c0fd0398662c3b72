import pytest
from django.core.cache import cache

from explainer.sentry_api import SentryClient
from tests.fakes.sentry_server import TOKEN, FakeSentry


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fake_sentry(httpserver):
    return FakeSentry().install(httpserver)


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def make_client(fake_sentry, sleeps):
    def make(**overrides):
        options = {
            "base_url": fake_sentry.base_url,
            "token": TOKEN,
            "org": "acme",
            "project": "backend",
            "read_timeout": 2.0,
            "connect_timeout": 1.0,
            "backoff": 0.01,
            "max_retries": 2,
            "max_retry_after": 5,
            "cache_seconds": 0,
            "sleep": sleeps.append,
        }
        options.update(overrides)
        return SentryClient(**options)

    return make


@pytest.fixture
def make_integration(fake_sentry):
    def make(project, environment="production", token=TOKEN, **extra):
        from integrations.services import create_integration

        fields = {
            "environment": environment,
            "dsn": "https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42",
            "org": "acme",
            "sentry_project": "backend",
            "api_base_url": fake_sentry.base_url.rstrip("/"),
            **extra,
        }
        return create_integration(project=project, auth_token=token, **fields)

    return make


@pytest.fixture
def integrated_project(make_project, make_integration):
    project = make_project("Shop", environment="production")
    make_integration(project)
    return project


@pytest.fixture
def fake_openai(httpserver, settings):
    """The fake OpenAI-compatible server, with the app configured to use it."""
    from tests.fakes.openai_server import FakeOpenAI

    fake = FakeOpenAI().install(httpserver)
    settings.OPENAI_API_KEY = "sk-test-" + "x" * 24
    settings.OPENAI_BASE_URL = fake.base_url
    settings.OPENAI_MODEL = "gpt-4o-mini"
    settings.OPENAI_TIMEOUT = 2.0
    return fake


@pytest.fixture
def no_llm(settings):
    settings.OPENAI_API_KEY = ""


@pytest.fixture
def run_worker():
    """Run every queued task with the real django-tasks-db worker, then return."""
    from django.core.management import call_command

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    return run


@pytest.fixture
def explain_now(api):
    """Queue an explanation through the API, then run it as the worker would; its JSON."""
    from explainer.explanations import run_explanation

    def explain(project, **body):
        response = api.post(f"/api/projects/{project.id}/explanations", body, format="json")
        assert response.status_code == 202, response.json()
        run_explanation(response.json()["id"])
        return api.get(response["Location"]).json()

    return explain
