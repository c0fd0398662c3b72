"""Model rules: one active integration per environment (in the database), slugs, rates, URLs."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from integrations.models import SentryIntegration
from integrations.services import IntegrationExists, create_integration, update_integration

from .conftest import GOOD_DSN

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_active_integration(make_integration):
    existing = make_integration()
    twin = SentryIntegration(
        project=existing.project,
        environment="production",
        dsn=GOOD_DSN,
        org="a",
        sentry_project="b",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_inactive_ones_are_kept_for_history(make_integration):
    first = make_integration()
    update_integration(first, is_active=False)
    second = make_integration(project=first.project)
    update_integration(second, is_active=False)
    make_integration(project=first.project)
    assert SentryIntegration.objects.filter(environment="production").count() == 3


def test_service_names_the_existing_integration(make_integration):
    existing = make_integration()
    with pytest.raises(IntegrationExists) as error:
        make_integration(project=existing.project)
    assert error.value.existing == existing


@pytest.mark.parametrize("slug", ["Acme", "acme corp", "a" * 51, "", "acme.io"])
def test_bad_sentry_slugs(make_project, slug):
    with pytest.raises(ValidationError) as error:
        create_integration(
            project=make_project(), environment="p", dsn=GOOD_DSN, org=slug, sentry_project="ok"
        )
    assert "org" in error.value.error_dict


@pytest.mark.parametrize("slug", ["acme", "acme-corp_2", "a" * 50])
def test_good_sentry_slugs(make_integration, slug):
    assert make_integration(org=slug).org == slug


@pytest.mark.parametrize("rate", [-0.1, 1.01, 2])
def test_sample_rates_are_between_0_and_1(make_integration, rate):
    with pytest.raises(ValidationError) as error:
        make_integration(traces_sample_rate=rate)
    assert "0.0 to 1.0" in error.value.message_dict["traces_sample_rate"][0]


@pytest.mark.parametrize(
    "url", ["https://sentry.io", "https://de.sentry.io", "https://sentry.example.com:8443/"]
)
def test_api_base_urls_allowed(make_integration, url):
    assert make_integration(api_base_url=url).api_base_url == url.rstrip("/")


@pytest.mark.parametrize("url", ["ftp://sentry.io", "sentry.io", "https://", "http://sentry.io"])
def test_api_base_urls_refused(make_integration, settings, url):
    settings.DEBUG = False
    with pytest.raises(ValidationError) as error:
        make_integration(api_base_url=url)
    assert "api_base_url" in error.value.error_dict


def test_http_api_url_allowed_for_loopback_or_debug(make_integration, make_project, settings):
    settings.DEBUG = False
    assert make_integration(api_base_url="http://127.0.0.1:9000").api_base_url
    settings.DEBUG = True
    other = make_project("Other")
    assert make_integration(project=other, api_base_url="http://sentry.lan").api_base_url
