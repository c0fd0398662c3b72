import pytest
from django.contrib.auth import get_user_model

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_up_logs_the_new_user_in(client, settings):
    settings.ALLOW_SIGNUP = True
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "password1": "a-long-unusual-pass",
            "password2": "a-long-unusual-pass",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/projects"
    assert client.get("/projects").status_code == 200
    assert get_user_model().objects.filter(username="newbie").exists()


def test_sign_up_with_mismatched_passwords_shows_the_error(client, settings):
    settings.ALLOW_SIGNUP = True
    response = client.post(
        "/accounts/signup/", {"username": "newbie", "password1": "a-long-pass-1", "password2": "x"}
    )
    assert response.status_code == 200
    assert "didn’t match" in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_sign_up_can_be_turned_off(client, settings):
    settings.ALLOW_SIGNUP = False
    assert client.get("/accounts/signup/").status_code == 404
    response = client.post(
        "/accounts/signup/",
        {"username": "x", "password1": "a-long-pass", "password2": "a-long-pass"},
    )
    assert response.status_code == 404
    assert not get_user_model().objects.filter(username="x").exists()
    assert "Sign up" not in client.get("/accounts/login/").content.decode()


def test_log_in_and_log_out(client, user):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/projects").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/projects").status_code == 302


def test_wrong_password_is_refused(client, user):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_change_password(browser_client, user):
    response = browser_client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "brand-new-secret-9",
            "new_password2": "brand-new-secret-9",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-secret-9")


def test_get_logout_shows_a_page_with_the_logout_button(client, user):
    client.force_login(user)
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'action="/accounts/logout/"' in page and ">Log out</button>" in page
    assert client.get("/projects").status_code == 200  # a GET logs nobody out
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/projects").status_code == 302


def test_get_logout_when_logged_out_offers_to_log_in(client):
    response = client.get("/accounts/logout/")
    assert response.status_code == 200
    assert "You are logged out" in response.content.decode()
