import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from projects.keys.services import ApiKeyError, authenticate_key, issue_api_key, roll_api_key
from projects.models import ApiKey

pytestmark = pytest.mark.django_db
KEY_RE = re.compile(r"^smk_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$")


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_key_format_entropy_and_only_a_hash_is_stored(user):
    issued = issue_api_key(owner=user, name="web")
    match = KEY_RE.match(issued.plaintext)
    assert match, issued.plaintext
    prefix, secret = match.groups()
    assert len(secret) * 6 >= 192
    row = ApiKey.objects.get()
    assert row.prefix == prefix
    assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiKey.objects.values_list(flat=False).get()]
    assert not any(secret in value for value in stored)


def test_two_keys_differ(user):
    assert (
        issue_api_key(owner=user, name="a").plaintext
        != issue_api_key(owner=user, name="b").plaintext
    )


def test_authenticate_each_state(user):
    now = timezone.now()
    valid = issue_api_key(owner=user, name="ok")
    assert authenticate_key(valid.plaintext).id == valid.api_key.id

    tampered = valid.plaintext[:-1] + ("A" if valid.plaintext[-1] != "A" else "B")
    with pytest.raises(ApiKeyError) as error:
        authenticate_key(tampered)
    assert error.value.code == "invalid_api_key"

    with pytest.raises(ApiKeyError) as error:
        authenticate_key("smk_unknown000_" + "x" * 43)
    assert error.value.code == "invalid_api_key"

    revoked = issue_api_key(owner=user, name="gone")
    ApiKey.objects.filter(id=revoked.api_key.id).update(revoked_at=now)
    with pytest.raises(ApiKeyError) as error:
        authenticate_key(revoked.plaintext)
    assert error.value.code == "revoked_api_key"

    expired = issue_api_key(owner=user, name="old", expires_at=now + timedelta(hours=1))
    with pytest.raises(ApiKeyError) as error:
        authenticate_key(expired.plaintext, now=now + timedelta(hours=2))
    assert error.value.code == "expired_api_key"
    assert "expired on" in error.value.message


def test_roll_keeps_the_old_key_for_the_grace_period(user):
    old = issue_api_key(
        owner=user, name="app", access=ApiKey.WRITE, allowed_origins=["https://a.example"]
    )
    new = roll_api_key(old.api_key, grace=timedelta(hours=2))
    assert new.api_key.access == ApiKey.WRITE
    assert new.api_key.allowed_origins == ["https://a.example"]
    now = timezone.now()
    assert authenticate_key(old.plaintext, now=now + timedelta(hours=1)).id == old.api_key.id
    with pytest.raises(ApiKeyError) as error:
        authenticate_key(old.plaintext, now=now + timedelta(hours=3))
    assert error.value.code == "expired_api_key"
    assert authenticate_key(new.plaintext, now=now + timedelta(hours=3)).id == new.api_key.id


def test_api_create_returns_the_key_once(api, make_project):
    project = make_project("Shop")
    response = api.post(
        "/api/keys",
        {"name": "shop-prod", "projectId": str(project.id), "environment": "production"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert KEY_RE.match(body["key"])
    assert body["access"] == "config"  # the safe default
    assert body["status"] == "active"
    assert body["projectId"] == str(project.id)
    listed = api.get("/api/keys").json()["results"]
    assert [k["name"] for k in listed] == ["shop-prod"]
    assert "key" not in listed[0]
    assert "key" not in api.get(f"/api/keys/{body['id']}").json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x", "environment": "prod"}, "environment"),  # needs a project
        ({"name": "x", "access": "admin"}, "access"),
        ({"name": "x", "allowedOrigins": ["not an origin"]}, "allowedOrigins"),
        ({"name": "x", "allowedOrigins": ["https://a.example/path"]}, "allowedOrigins"),
        ({"name": "x", "expiresAt": "2001-01-01T00:00:00Z"}, "expiresAt"),
        ({"name": 5}, "name"),
    ],
)
def test_api_create_rejects_bad_input_and_stores_nothing(api, payload, field):
    response = api.post("/api/keys", payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert ApiKey.objects.count() == 0


def test_api_create_for_someone_elses_project_is_404(api, make_project, other_user):
    theirs = make_project("Theirs", owner=other_user)
    response = api.post("/api/keys", {"name": "x", "projectId": str(theirs.id)}, format="json")
    assert response.status_code == 404
    assert ApiKey.objects.count() == 0


def test_api_revoke_takes_effect_on_the_next_request(api, user):
    issued = issue_api_key(owner=user, name="app", access=ApiKey.READ)
    client = bearer(issued.plaintext)
    assert client.get("/api/projects").status_code == 200
    response = api.delete(f"/api/keys/{issued.api_key.id}")
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    refused = client.get("/api/projects")
    assert refused.status_code == 401
    assert refused.json()["code"] == "revoked_api_key"
    assert refused["WWW-Authenticate"] == "Bearer"


def test_api_roll_returns_a_new_key(api, user):
    issued = issue_api_key(owner=user, name="app", access=ApiKey.READ)
    response = api.post(f"/api/keys/{issued.api_key.id}/roll", {"graceHours": 1}, format="json")
    assert response.status_code == 201
    new_key = response.json()["key"]
    assert new_key != issued.plaintext
    assert bearer(new_key).get("/api/projects").status_code == 200
    assert bearer(issued.plaintext).get("/api/projects").status_code == 200  # grace period
    old = ApiKey.objects.get(id=issued.api_key.id)
    assert (
        old.replaced_by_id == response.json()["id"]
        or str(old.replaced_by_id) == response.json()["id"]
    )
    assert timedelta(minutes=59) < old.expires_at - timezone.now() <= timedelta(hours=1)


def test_another_users_key_is_404(api, other_user):
    theirs = issue_api_key(owner=other_user, name="theirs")
    assert api.delete(f"/api/keys/{theirs.api_key.id}").status_code == 404
    assert api.post(f"/api/keys/{theirs.api_key.id}/roll", {}, format="json").status_code == 404
    assert ApiKey.objects.get(id=theirs.api_key.id).revoked_at is None


def test_keys_authenticate_the_json_api_within_their_scope(user, make_project):
    shop = make_project("Shop")
    blog = make_project("Blog")
    restricted = bearer(
        issue_api_key(owner=user, name="shop", project=shop, access=ApiKey.READ).plaintext
    )
    names = [p["name"] for p in restricted.get("/api/projects").json()["results"]]
    assert names == ["Shop"]
    assert restricted.get(f"/api/projects/{blog.id}").status_code == 404


def test_read_key_cannot_write(user, make_project):
    project = make_project("Shop")
    client = bearer(issue_api_key(owner=user, name="ro", access=ApiKey.READ).plaintext)
    response = client.patch(f"/api/projects/{project.id}", {"name": "Hacked"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_key_scope"
    assert "'read' access level" in response.json()["detail"]
    project.refresh_from_db()
    assert project.name == "Shop"
    assert client.post("/api/keys", {"name": "more"}, format="json").status_code == 403


def test_write_key_can_write_without_csrf(user, make_project):
    project = make_project("Shop")
    client = bearer(issue_api_key(owner=user, name="rw", access=ApiKey.WRITE).plaintext)
    response = client.patch(f"/api/projects/{project.id}", {"name": "Renamed"}, format="json")
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.name == "Renamed"


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Token abc", "malformed_authorization"),
        ("Bearer", "malformed_authorization"),
        ("Bearer a b", "malformed_authorization"),
        ("Bearer nope", "invalid_api_key"),
    ],
)
def test_bad_authorization_headers_are_401(header, code, db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/projects")
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"] == "Bearer"


def test_no_credentials_is_401_with_www_authenticate(db):
    response = APIClient().get("/api/projects")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_last_used_is_written_at_most_once_a_minute(user):
    from django.core.cache import cache

    cache.clear()
    issued = issue_api_key(owner=user, name="app", access=ApiKey.READ)
    client = bearer(issued.plaintext)
    client.get("/api/projects")
    first = ApiKey.objects.get().last_used_at
    assert first is not None
    client.get("/api/projects")
    assert ApiKey.objects.get().last_used_at == first
