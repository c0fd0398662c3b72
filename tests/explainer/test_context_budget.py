"""The LLM context stays within the token budget whatever the size of the event."""

import json

import pytest

from explainer.context import build_context, estimate_tokens
from tests.fakes.sentry_server import load_event


def grown_event(target_bytes: int) -> dict:
    """The Python fixture padded with library frames, breadcrumbs, tags and long strings."""
    event = load_event("python_api.json")
    exc = event["entries"][0]["data"]["values"][-1]
    frames = exc["stacktrace"]["frames"]
    crumbs = event["entries"][1]["data"]["values"]
    n, size = 0, len(json.dumps(event))
    while size < target_bytes:
        n += 1
        if n % 50 == 0:
            size = len(json.dumps(event))
        frames.insert(
            0,
            {
                "filename": f"lib/mod{n}.py",
                "function": f"wrapper_{n}",
                "lineNo": n,
                "inApp": False,
                "context": [[n, "x = call() # " + "y" * 200]],
                "vars": {"blob": "z" * 2000},
            },
        )
        crumbs.insert(0, {"category": "sql", "message": "SELECT " + "col, " * 300, "level": "info"})
        event["tags"].append({"key": f"tag{n}", "value": "v" * 150})
        if n % 50 == 0:
            exc["value"] += " and again" * 500
        size += 4000
    return event


@pytest.mark.parametrize("size", [10_000, 100_000, 1_000_000, 5 * 1024 * 1024])
def test_growing_events_never_exceed_the_budget(size, settings):
    settings.EXPLAINER_TOKEN_BUDGET = 12_000
    event = grown_event(size)
    assert len(json.dumps(event)) >= size * 0.95
    context = build_context(event)
    assert context.tokens <= 12_000
    assert estimate_tokens(context.text) <= 12_000
    # The exception and the in-app frame where it was raised are always there.
    assert "ZeroDivisionError: division by zero" in context.text
    assert "at apply_discount (checkout/pricing.py line 12)" in context.text
    assert "> " + "    return total / periods" in context.text


def test_a_small_budget_keeps_the_exception_and_raising_frame_first():
    context = build_context(grown_event(1_000_000), budget=400)
    assert context.tokens <= 400
    assert "ZeroDivisionError" in context.text
    assert "apply_discount" in context.text
    assert context.omitted  # something had to go, and we say what


def test_the_context_holds_chain_breadcrumbs_tags_runtime_and_release():
    text = build_context(load_event("python_api.json")).text
    assert "Time: 2026-11-20T09:14:03.112Z" in text
    assert (
        "Exception chain (the raised exception first):\n"
        "  1. `ZeroDivisionError: division by zero` at `checkout/pricing.py:12 in apply_discount`\n"
        "  2. raised while handling `KeyError: 'discount_rate'` at "
        "`checkout/pricing.py:31 in load_rate`"
    ) in text
    assert "Request: POST https://shop.example.com/api/cart/checkout" in text
    # Call order: the entry point first, the raise site last and marked.
    assert (
        text.index("_get_response") < text.index("at checkout (") < text.index("at apply_discount")
    )
    assert "at apply_discount (checkout/pricing.py line 12) [app] <- raised here" in text
    assert "at _get_response (django/core/handlers/base.py line 197) [library]" in text
    assert "empty locals here: rate = 0, periods = 0" in text
    assert "Last breadcrumbs" in text and "2026-11-20T09:14:03.010Z [checkout]" in text
    assert "Release: checkout@2.4.1" in text
    assert "Runtime: CPython 3.12.7" in text and "Os: Linux 6.1.0" in text
    assert "Tags: " in text and "server_name=web-3" in text


def test_long_library_runs_are_one_line_with_a_count():
    text = build_context(load_event("java_sdk.json")).text
    assert "  at run (Thread.java line 1583) [library]\n  … 30 library frames not shown " in text
    assert "(TaskThread.java:61 in run … DirectMethodHandleAccessor.java:103 in invoke)" in text
    assert "at pay (PaymentController.java line 41) [app]" in text


@pytest.mark.parametrize("name", ["javascript_api.json", "java_api.json", "python_sdk.json"])
def test_every_platform_yields_its_exception_and_in_app_frame(name):
    event = load_event(name)
    text = build_context(event).text
    expected = {
        "javascript_api.json": ("TypeError", "renderLine"),
        "java_api.json": ("IllegalStateException", "capture"),
        "python_sdk.json": ("ConnectionError", "sync_invoices"),
    }[name]
    for part in expected:
        assert part in text


def test_estimate_is_conservative():
    assert estimate_tokens("abc") == 1
    assert estimate_tokens("abcd") == 2
    assert estimate_tokens("é") == 1  # 2 bytes
    assert estimate_tokens("日本語") == 3  # 9 bytes
