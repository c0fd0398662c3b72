import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_admin_lists_projects_with_owner_search_and_filters(admin_client, make_project, other_user):
    make_project("Checkout", environment="production")
    make_project("Billing", owner=other_user)
    page = admin_client.get("/admin/projects/project/").content.decode()
    assert "Checkout" in page and "Billing" in page
    assert "mallory" in page  # the owner column
    assert "By active" in page and "By default environment" in page

    searched = admin_client.get("/admin/projects/project/?q=checkout").content.decode()
    assert "Checkout" in searched and "Billing" not in searched

    filtered = admin_client.get("/admin/projects/project/?environment=production").content.decode()
    assert "Checkout" in filtered and "Billing" not in filtered
