"""Admin: a superuser finds any API key and revokes a leaked one through the keys service."""

import pytest

from projects.keys.services import ApiKeyError, authenticate_key, issue_api_key
from projects.models import ApiKey

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/projects/apikey/"


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_the_list_shows_every_users_keys_with_prefix_scope_and_status(
    admin_client, other_user, make_project
):
    shop = make_project("Shop", owner=other_user)
    issued = issue_api_key(owner=other_user, name="leaky", project=shop, environment="production")
    page = admin_client.get(CHANGELIST).content.decode()
    assert "leaky" in page and "mallory" in page
    assert f"smk_{issued.api_key.prefix}_…" in page
    assert "Shop (shop) · production" in page
    assert issued.plaintext not in page
    assert "Add API key" not in page  # keys are issued on the keys page, shown once


def test_the_revoke_action_stops_the_key_at_once(admin_client, other_user):
    leaked = issue_api_key(owner=other_user, name="leaked")
    kept = issue_api_key(owner=other_user, name="kept")
    response = admin_client.post(
        CHANGELIST,
        {"action": "revoke", "_selected_action": [str(leaked.api_key.pk)]},
        follow=True,
    )
    assert "1 API key(s) revoked." in response.content.decode()
    with pytest.raises(ApiKeyError) as refused:
        authenticate_key(leaked.plaintext)
    assert refused.value.code == "revoked_api_key"
    assert authenticate_key(kept.plaintext).name == "kept"
    assert ApiKey.objects.get(pk=leaked.api_key.pk).revoked_at is not None


def test_search_finds_a_key_by_its_prefix(admin_client, user):
    wanted = issue_api_key(owner=user, name="wanted").api_key
    issue_api_key(owner=user, name="other")
    page = admin_client.get(CHANGELIST, {"q": wanted.prefix}).content.decode()
    assert "wanted" in page and ">other<" not in page


def test_webhook_deliveries_are_named_in_the_plural(admin_client):
    page = admin_client.get("/admin/").content.decode()
    assert "Webhook deliveries" in page and "Webhook deliverys" not in page
