"""Each Sentry API call is a span and a breadcrumb in the app's own Sentry (real SDK)."""

import json

import sentry_sdk

from explainer.sentry_api import SentryNotFound
from tests.fakes.sentry_server import TOKEN


def test_sentry_api_calls_are_spans_with_endpoint_status_and_duration(sentry_on, make_client):
    with sentry_sdk.start_transaction(name="issues page", op="http.server"):
        make_client().get_issue("4504123456")
    sentry_sdk.flush()

    [transaction] = sentry_on.transactions()
    spans = [s for s in transaction["spans"] if s["op"] == "http.client.sentry_api"]
    assert spans and spans[0]["description"] == "GET issue"
    assert spans[0]["data"]["endpoint"] == "issue"
    assert spans[0]["data"]["status"] == 200
    assert spans[0]["data"]["duration"] >= 0
    assert TOKEN not in json.dumps(transaction)


def test_a_failed_call_leaves_a_sentry_api_breadcrumb(sentry_on, make_client, fake_sentry):
    fake_sentry.fail(404, path_contains="/issues/")
    try:
        make_client(max_retries=0).get_issue("4504123456")
    except SentryNotFound as error:
        sentry_sdk.capture_exception(error)
    sentry_sdk.flush()

    [event] = sentry_on.events()
    crumbs = [c for c in event["breadcrumbs"]["values"] if c.get("category") == "sentry_api"]
    assert crumbs[-1]["data"]["status"] == 404 and crumbs[-1]["level"] == "warning"
    assert TOKEN not in json.dumps(event)
