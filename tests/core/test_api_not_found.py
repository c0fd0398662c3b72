"""An unknown /api/ URL answers the API's JSON shape, with DEBUG on (as `make run`) or off."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_api_url_is_json_404(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/api/no-such-thing/here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_unknown_page_url_keeps_the_html_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
