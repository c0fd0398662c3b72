"""Every request's events carry the user id (never the email) and the project tag."""

import pytest
import sentry_sdk

pytestmark = pytest.mark.django_db

# Far from the frames below: the SDK sends 5 lines of source around each frame.
EMAIL = "alice" + "@example.com"


def test_page_request_is_a_transaction_tagged_with_user_id_and_project(
    sentry_on, user, make_project, wsgi
):
    project = make_project("Checkout")
    status, _, _ = wsgi(
        "GET",
        f"/projects/{project.slug}",
        user=user,
        headers={"Authorization": "Bearer sntrys_PLANTEDpagetoken"},
    )
    assert status == 200
    sentry_sdk.flush()

    [transaction] = sentry_on.transactions()
    assert transaction["transaction"] == "/projects/{slug}"
    assert transaction["contexts"]["trace"]["op"] == "http.server"
    assert transaction["environment"] == "staging-eu"
    assert transaction["release"] == "sentry-manager@9.9.9+test"
    assert transaction["user"] == {"id": str(user.pk)}
    assert transaction["tags"]["project"] == project.slug
    assert "PLANTEDpagetoken" not in sentry_on.raw()


def test_unhandled_error_in_a_project_view_is_tagged_and_scrubbed(
    sentry_on, user, make_project, wsgi, monkeypatch
):
    project = make_project("Checkout")
    user.email = EMAIL
    user.save()

    def explode(*args, **kwargs):
        raise RuntimeError("upstream said: token=sntryu_PLANTEDinmessage Bearer abc.PLANTED")

    # The project page is served by integrations.views (it adds the integrations table).
    monkeypatch.setattr("integrations.views._project", explode)
    status, _, _ = wsgi("GET", f"/projects/{project.slug}", user=user)
    assert status == 500
    sentry_sdk.flush()

    [event] = sentry_on.events()
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["user"] == {"id": str(user.pk)}
    assert event["tags"]["project"] == project.slug
    raw = sentry_on.raw()
    assert "PLANTED" not in raw
    assert EMAIL not in raw


def test_api_request_is_tagged_with_the_project_id(sentry_on, user, make_project, wsgi):
    project = make_project("Checkout")
    status, _, _ = wsgi("GET", f"/api/projects/{project.id}", user=user)
    assert status == 200
    sentry_sdk.flush()

    [transaction] = sentry_on.transactions()
    assert transaction["tags"]["project_id"] == str(project.id)
    assert transaction["user"] == {"id": str(user.pk)}


def test_anonymous_request_has_no_user(sentry_on, wsgi):
    status, _, _ = wsgi("GET", "/healthz")
    assert status == 200
    sentry_sdk.flush()

    [transaction] = sentry_on.transactions()
    assert "id" not in transaction.get("user", {})
    assert "project" not in transaction.get("tags", {})
