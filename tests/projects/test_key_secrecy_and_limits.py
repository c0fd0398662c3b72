"""The page and API answers that show a new key once are never cached; a key lists a bounded
number of allowed origins of bounded length."""

import pytest

from projects.keys.models import ApiKey
from projects.keys.services import issue_api_key


def assert_no_store(response):
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")


def test_the_page_showing_a_new_key_is_not_stored(browser_client):
    response = browser_client.post("/settings/api-keys", {"name": "app", "access": "config"})
    assert response.status_code == 200 and "smk_" in response.content.decode()
    assert_no_store(response)


def test_the_page_showing_a_rolled_key_is_not_stored(browser_client, user):
    issued = issue_api_key(owner=user, name="app")
    response = browser_client.post(
        f"/settings/api-keys/{issued.api_key.pk}/roll", {"grace_hours": "1"}
    )
    assert response.status_code == 200 and "smk_" in response.content.decode()
    assert_no_store(response)


def test_api_answers_holding_a_key_are_not_stored(api, user):
    created = api.post("/api/keys", {"name": "script"}, format="json")
    assert created.status_code == 201
    assert_no_store(created)
    rolled = api.post(f"/api/keys/{created.json()['id']}/roll", {}, format="json")
    assert rolled.status_code == 201
    assert_no_store(rolled)


@pytest.mark.parametrize(
    ("origins", "message"),
    [
        ([f"https://app{i}.example.com" for i in range(100_000)], "at most 20 allowed origins"),
        ([f"https://app{i}.example.com" for i in range(21)], "at most 20 allowed origins"),
        (["https://" + "a" * 300 + ".example.com"], "at most 200 characters"),
    ],
)
def test_too_many_or_too_long_origins_are_refused_and_nothing_is_stored(api, origins, message):
    response = api.post("/api/keys", {"name": "web", "allowedOrigins": origins}, format="json")
    assert response.status_code == 400
    assert message in response.json()["fields"]["allowedOrigins"][0]
    assert ApiKey.objects.count() == 0


def test_the_key_form_refuses_a_huge_origin_list(browser_client):
    origins = " ".join(f"https://app{i}.example.com" for i in range(100_000))
    response = browser_client.post(
        "/settings/api-keys", {"name": "web", "access": "config", "allowed_origins": origins}
    )
    assert response.status_code == 422
    assert "at most 20 allowed origins" in response.content.decode()
    assert ApiKey.objects.count() == 0


def test_twenty_origins_are_fine(api):
    origins = [f"https://app{i}.example.com" for i in range(20)]
    response = api.post("/api/keys", {"name": "web", "allowedOrigins": origins}, format="json")
    assert response.status_code == 201
    assert len(response.json()["allowedOrigins"]) == 20
