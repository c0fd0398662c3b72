from datetime import timedelta

import pytest
from django.utils import timezone

from projects.keys.services import issue_api_key
from projects.models import ApiKey

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_list_shows_name_prefix_scope_and_status(browser_client, user, make_project):
    shop = make_project("Shop")
    issued = issue_api_key(owner=user, name="shop-prod", project=shop, environment="production")
    page = browser_client.get("/settings/api-keys").content.decode()
    assert "shop-prod" in page
    assert f"smk_{issued.api_key.prefix}_…" in page
    assert 'Shop <code class="slug">(shop)</code> · production' in page
    assert "never" in page  # last used / expires
    assert "active" in page
    assert issued.plaintext not in page


def test_create_shows_the_key_once(browser_client, make_project):
    shop = make_project("Shop")
    response = browser_client.post(
        "/settings/api-keys",
        {"name": "web", "project": str(shop.id), "environment": "", "access": "read"},
        **HTMX,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "you will not see it again" in page
    key = page.split('id="new-key">')[1].split("<")[0]
    assert key.startswith("smk_")
    assert 'data-copy-text="' + key in page
    assert key not in browser_client.get("/settings/api-keys").content.decode()
    assert ApiKey.objects.get().project == shop


def test_create_with_bad_input_shows_errors_and_stores_nothing(browser_client):
    response = browser_client.post(
        "/settings/api-keys",
        {
            "name": "web",
            "environment": "production",
            "access": "read",
            "allowed_origins": "nope",
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "is not an origin" in page
    assert "Restricting to an environment needs a project." in page
    assert ApiKey.objects.count() == 0


def test_someone_elses_project_is_not_offered(browser_client, make_project, other_user):
    theirs = make_project("Theirs", owner=other_user)
    page = browser_client.get("/settings/api-keys?new=1").content.decode()
    assert "Theirs" not in page
    response = browser_client.post(
        "/settings/api-keys", {"name": "x", "project": str(theirs.id), "access": "read"}
    )
    assert response.status_code == 422
    assert ApiKey.objects.count() == 0


def test_revoke_asks_then_revokes(browser_client, user):
    issued = issue_api_key(owner=user, name="app")
    url = f"/settings/api-keys/{issued.api_key.id}/revoke"
    assert "Revoke “app”" in browser_client.get(url).content.decode()
    assert ApiKey.objects.get().revoked_at is None
    browser_client.post(url)
    assert ApiKey.objects.get().revoked_at is not None


def test_roll_shows_the_new_key_and_keeps_the_old_one_for_the_grace(browser_client, user):
    issued = issue_api_key(owner=user, name="app")
    response = browser_client.post(
        f"/settings/api-keys/{issued.api_key.id}/roll", {"grace_hours": "2"}, **HTMX
    )
    page = response.content.decode()
    assert "you will not see it again" in page
    assert ApiKey.objects.count() == 2
    old = ApiKey.objects.get(id=issued.api_key.id)
    assert old.replaced_by_id is not None and old.expires_at is not None


def test_roll_rejects_a_bad_grace_period(browser_client, user):
    issued = issue_api_key(owner=user, name="app")
    response = browser_client.post(
        f"/settings/api-keys/{issued.api_key.id}/roll", {"grace_hours": "-1"}
    )
    assert response.status_code == 422
    assert ApiKey.objects.count() == 1


def test_other_users_keys_are_404(browser_client, other_user):
    theirs = issue_api_key(owner=other_user, name="theirs")
    for action in ("revoke", "roll"):
        assert (
            browser_client.post(f"/settings/api-keys/{theirs.api_key.id}/{action}").status_code
            == 404
        )
    assert ApiKey.objects.get().revoked_at is None


def test_last_used_reads_naturally(browser_client, user):
    issued = issue_api_key(owner=user, name="web")
    ApiKey.objects.filter(pk=issued.api_key.pk).update(last_used_at=timezone.now())
    page = browser_client.get("/settings/api-keys").content.decode()
    assert ">just now</time>" in page
    ApiKey.objects.filter(pk=issued.api_key.pk).update(
        last_used_at=timezone.now() - timedelta(hours=3, minutes=5)
    )
    page = browser_client.get("/settings/api-keys").content.decode()
    assert ">3 hours ago</time>" in page
