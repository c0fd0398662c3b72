"""A key revoked through node A is refused by node B on its very next request: neither node
keeps keys of its own, both read the one database."""

import requests


def get_config(base: str, world: dict) -> requests.Response:
    return requests.get(
        f"{base}/api/integrations/sentry/{world['slug']}",
        params={"environment": "production"},
        headers={"Authorization": f"Bearer {world['configKey']}"},
        timeout=10,
    )


def test_a_key_revoked_through_node_a_is_refused_by_node_b(cluster, world):
    node_a, node_b = cluster.nodes
    # Both nodes have just served the key (anything they might keep of it is warm).
    for base in (node_b, node_a, node_b):
        answer = get_config(base, world)
        assert answer.status_code == 200, answer.text
        assert answer.json()["org"] == "acme"

    script = {"Authorization": f"Bearer {world['writeKey']}"}
    revoked = requests.delete(
        f"{node_a}/api/keys/{world['configKeyId']}", headers=script, timeout=10
    )
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked"

    refused = get_config(node_b, world)
    assert refused.status_code == 401, refused.text
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert refused.json() == {
        "detail": "The API key 'app' was revoked. Create a new one under Settings → API keys.",
        "code": "revoked_api_key",
    }
    assert get_config(node_a, world).status_code == 401
    # Node B's API shows the key revoked too.
    shown = requests.get(f"{node_b}/api/keys/{world['configKeyId']}", headers=script, timeout=10)
    assert shown.json()["status"] == "revoked"
