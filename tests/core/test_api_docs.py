import re

import pytest

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_lists_the_projects_api(client):
    response = client.get("/api/schema", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/projects" in schema["paths"]
    assert "/api/projects/{project_id}" in schema["paths"]


@pytest.mark.parametrize("url", ["/docs", "/redoc"])
def test_docs_pages_load_their_assets_locally(browser_client, url):
    response = browser_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", page), "no CDN may be referenced"
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", page)
    assert assets
    for asset in assets:
        assert browser_client.get(asset).status_code == 200, asset
