"""Events as the SDKs really send them, end to end: import, built-in analysis, LLM prompt.

Python events are produced here by the real sentry-sdk (an application behind its WSGI
middleware, `sdk_app`, reporting to the local ingest of `tests/fakes/sentry_ingest.py`).
JavaScript, Java, Ruby and PHP events are fixtures in the shapes those SDKs send, with
Sentry's own legacy-keys samples, a CSP report and a message event beside them. Each one
imports, the built-in analysis names its type and its raise site (the innermost frame), and
the prompt the fake OpenAI server receives holds the chain, the request line and no planted
secret.
"""

import json

import pytest
import sentry_sdk
from sentry_sdk.integrations.wsgi import SentryWsgiMiddleware
from sentry_sdk.scope import Scope, ScopeType, use_isolation_scope, use_scope
from sentry_sdk.scrubber import EventScrubber
from werkzeug.test import EnvironBuilder

from tests.explainer import sdk_app
from tests.fakes.sentry_ingest import reset_sentry
from tests.fakes.sentry_server import load_event

# The application's SDK sends everything unscrubbed (send_default_pii, an empty denylist),
# the worst case for what reaches us; sentry-sdk 2.75 warns that send_default_pii is deprecated.
pytestmark = pytest.mark.filterwarnings("ignore:The send_default_pii option is deprecated")

HEADERS = {
    "Authorization": "Bearer sk-proj-PLANTEDopenai0123456789abcdef",
    "Cookie": "sessionid=PLANTEDcookie77; theme=dark",
    "X-Shop-Key": "smk_plantd1234_PLANTEDappkey0123456789abcdef",
    "X-Deploy-Token": "ghp_PLANTEDgithub0123456789abcdefghijklmn",
    "X-Forwarded-For": "203.0.113.200",
}

# route: (exception type, function of the raise site, in-app raise site?)
PYTHON = {
    "/zero-division": ("ZeroDivisionError", "apply_discount", True),
    "/key-error": ("KeyError", "coupon_rate", True),
    "/chained": ("RuntimeError", "price_cart", True),
    "/index-error": ("IndexError", "first_item", True),
    "/attribute-error": ("AttributeError", "customer_name", True),
    "/type-error": ("TypeError", "line_total", True),
    "/value-error": ("ValueError", "parse_quantity", True),
    "/json-error": ("JSONDecodeError", "raw_decode", False),
    "/file-not-found": ("FileNotFoundError", "read_template", True),
    "/unicode-error": ("UnicodeDecodeError", "decode_upload", True),
    "/not-implemented": ("NotImplementedError", "refund", True),
    "/assertion": ("AssertionError", "reserve", True),
    "/connection-refused": ("ConnectionRefusedError", "create_connection", False),
    "/overflow": ("OverflowError", "growth", True),
    "/recursion": ("RecursionError", "walk", True),
    # importlib is frozen stdlib, yet the SDK reports it in-app (its path is not a library).
    "/module-not-found": ("ModuleNotFoundError", "_find_and_load_unlocked", True),
    "/stop-iteration": ("StopIteration", "nothing_found", True),
    "/name-error": ("NameError", "total_with_tax", True),
    "/none-attribute": ("AttributeError", "<lambda>", True),
}


@pytest.fixture
def sdk_capture(sentry_ingest):
    """`capture(route)` -> what the real sentry-sdk sends when `route` fails in a request.

    The SDK is set up as an application configures it (locals, PII, no SDK-side scrubbing,
    so everything reaches the event and our scrubber) and switched off again before the
    event is handed to Sentry Manager, whose own monitoring must not mix with it.
    """

    def capture(route=None, *, message=None) -> dict:
        sentry_sdk.init(
            dsn=sentry_ingest.dsn,
            send_default_pii=True,  # with data_collection the SDK would scrub before we can
            include_local_variables=True,
            default_integrations=False,
            event_scrubber=EventScrubber(denylist=[], pii_denylist=[], send_default_pii=True),
            environment="production",
            release="shop@4.2.0",
        )
        try:
            # Fresh scopes: other tests' requests leave event processors on the shared ones.
            with use_isolation_scope(Scope(ty=ScopeType.ISOLATION)), use_scope(Scope()) as scope:
                scope.set_user(sdk_app.PLANTED_USER)
                if message:
                    scope.add_breadcrumb(category="billing", message="nightly run for planted_user")
                    scope.capture_message(message, "warning")
                else:
                    environ = EnvironBuilder(
                        path=route,
                        method="POST",
                        base_url="https://shop.example.com",
                        query_string={"coupon": "SPRING24", "token": "PLANTEDquerytoken9"},
                        headers=HEADERS,
                    ).get_environ()
                    with pytest.raises(Exception):  # noqa: B017 - each route raises its own
                        SentryWsgiMiddleware(sdk_app.application)(environ, lambda *args: None)
            sentry_sdk.flush()
        finally:
            reset_sentry()
        return sentry_ingest.events()[-1]

    return capture


def import_and_explain(api, project, explain_now, event) -> tuple[dict, dict]:
    response = api.post(f"/api/projects/{project.id}/events", event, format="json")
    assert response.status_code == 201, response.json()
    imported = response.json()
    return imported, explain_now(project, eventId=imported["id"])


def assert_no_planted_secret(text, planted):
    for value in planted:
        assert value not in text, value


@pytest.mark.parametrize("route", sorted(PYTHON))
def test_python_sdk_events_import_and_the_analysis_names_type_and_raise_site(
    api, make_project, explain_now, sdk_capture, route
):
    exc_type, function, in_app = PYTHON[route]
    event = sdk_capture(route)
    assert event["request"]["headers"]["Cookie"]  # the SDK did send the planted values
    imported, done = import_and_explain(api, make_project(), explain_now, event)
    raised = imported["event"]["exceptions"][0]
    assert raised["type"] == exc_type
    site = raised["frames"][-1]
    assert (site["function"], site["inApp"], site["isRaiseSite"]) == (function, in_app, True)
    assert done["status"] == "done", done["error"]
    assert done["summary"].startswith(f"`{exc_type}")
    label = f"{site['filename']}:{site['lineno']} in {function}"
    assert f"was raised at `{label}`" in done["summary"]
    assert done["codeLocations"][0]["function"] == function
    assert_no_planted_secret(json.dumps([imported, done]), sdk_app.PLANTED_SECRETS)


@pytest.mark.parametrize("route", sorted(PYTHON))
def test_python_sdk_events_prompt_holds_the_request_line_and_no_secret(
    api, make_project, explain_now, sdk_capture, fake_openai, route
):
    event = sdk_capture(route)
    _, done = import_and_explain(api, make_project(), explain_now, event)
    assert done["status"] == "done", done["error"]
    prompt = fake_openai.requests[-1]["body"]["messages"][1]["content"]
    assert (
        f"Request: POST https://shop.example.com{route}?coupon=SPRING24&token=[filtered]" in prompt
    )
    assert f"1. `{PYTHON[route][0]}" in prompt
    assert_no_planted_secret(prompt, sdk_app.PLANTED_SECRETS)


def test_the_chain_reaches_the_prompt_analysis_and_page_as_a_chain(
    api, make_project, explain_now, sdk_capture, fake_openai, browser_client, settings
):
    project = make_project()
    event = sdk_capture("/chained")
    imported, _ = import_and_explain(api, project, explain_now, event)
    prompt = fake_openai.requests[-1]["body"]["messages"][1]["content"]
    chain = prompt.split("Exception chain (the raised exception first):\n")[1]
    assert chain.startswith(
        "  1. `RuntimeError: Could not price the cart of [user] with coupon SPRING24` at "
        "`tests/explainer/sdk_app.py:"
    )
    assert "  2. raised while handling `KeyError: 'SPRING24'` at `tests/explainer/sdk_app.py:" in (
        chain
    )
    settings.OPENAI_API_KEY = ""  # the same event, explained by the built-in analysis now
    done = explain_now(project, eventId=imported["id"])
    assert (
        "It was raised while handling `KeyError: 'SPRING24'` at `tests/explainer/sdk_app.py:"
        in (done["summary"])
    )
    assert "explicit failure raised by the code" in done["rootCause"]
    html = browser_client.get(f"/projects/{project.slug}/events/{imported['id']}").content
    assert b"Raised while handling" in html and b"KeyError" in html


def test_locals_show_the_zero_divisor(api, make_project, explain_now, sdk_capture):
    event = sdk_capture("/zero-division")
    _, done = import_and_explain(api, make_project(), explain_now, event)
    assert "The divisor `periods` was 0 at the raise site." in done["summary"]
    assert "local at the raise site: periods = 0" in done["evidence"]


def test_an_empty_list_is_named(api, make_project, explain_now, sdk_capture):
    _, index = import_and_explain(api, make_project(), explain_now, sdk_capture("/index-error"))
    assert "`items` was empty ([]) when the failing line indexed it." in index["summary"]


# --- other SDKs, Sentry's samples, CSP and message events ------------------------------------

FIXTURES = {
    # name: (type, raise site function, request line or "", chain text or "", planted values)
    "javascript_sdk.json": (
        "TypeError",
        "formatTotal",
        "Request: (method unknown) https://shop.example.com/checkout?coupon=SPRING24",
        "2. caused by `Error: Quote service answered 503 for cart of [email]`",
        ["jane.roe@example.net", "janeroe", "u_829113", "198.51.100.42", "jsPLANTEDcookie",
         "c2lnbmF0dXJlMTIz"],
    ),
    "java_sdk.json": (
        "IllegalStateException",
        "capture",
        "Request: POST https://billing.example.com/api/payments?order=5512 -> HTTP 500",
        "2. caused by `SQLIntegrityConstraintViolationException: Duplicate entry '5512'",
        ["max.mustermann@example.de", "buyer-5512", "203.0.113.99", "JAVAsignatureXYZ",
         "JAVAcookie0042", "JAVAstripe0123456789"],
    ),
    "ruby_sdk.json": (
        "NoMethodError",
        "create",
        "Request: POST https://shop.example.com/checkout?coupon=SPRING24",
        '2. caused by `KeyError: key not found: "SPRING24"` at '
        "`app/services/coupon_lookup.rb:9 in rate_for`",
        ["erika.musterfrau@example.org", "203.0.113.5", "RUBYcookie99", "RUBYcsrf123"],
    ),
    "php_sdk.json": (
        "DivisionByZeroError",
        "App\\Services\\PriceCalculator::perUnit",
        "Request: POST https://shop.example.com/cart/price",
        "",
        ["kim.park@example.com", "203.0.113.8", "PHPcookie555", "PHPxsrf777", "4111 1111 1111"],
    ),
    "native_sdk.json": ("EXC_BAD_ACCESS", "objc_msgSend", "", "", ["app-user-77"]),
    "ruby_legacy_sample.json": ("ZeroDivisionError", "/", "", "", ["192.168.0.1"]),
    "php_legacy_sample.json": (
        "Exception",
        "raven_cli_test",
        "",
        "",
        ["e9ebbd88548a441288393c457ec90441", "399aaee02d454e2ca91351f29bdc3a07"],
    ),
    "legacy_full_event.json": (
        "TypeError",
        "batchedUpdates",
        "Request: (method unknown) https://sentry.io/katon-direct/localhost/issues/112734598/",
        "",
        ["test@example.com", "41656"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_other_sdk_events_import_explain_and_prompt(
    api, make_project, explain_now, fake_openai, settings, name
):
    exc_type, function, request_line, chain, planted = FIXTURES[name]
    project = make_project()
    imported, done = import_and_explain(api, project, explain_now, load_event(name))
    assert imported["event"]["exceptions"][0]["type"] == exc_type
    assert imported["event"]["exceptions"][0]["frames"][-1]["function"] == function
    prompt = fake_openai.requests[-1]["body"]["messages"][1]["content"]
    assert f"1. `{exc_type}" in prompt
    assert request_line in prompt and chain in prompt
    assert_no_planted_secret(prompt + json.dumps([imported, done]), planted)

    settings.OPENAI_API_KEY = ""  # now the built-in analysis
    builtin = explain_now(project, eventId=imported["id"])
    assert builtin["status"] == "done", builtin["error"]
    assert builtin["summary"].startswith(f"`{exc_type}")
    assert builtin["codeLocations"][0]["function"] == function
    assert_no_planted_secret(json.dumps(builtin), planted)


@pytest.mark.parametrize("name", ["csp_sample.json", "csp_browser_report.json"])
def test_a_csp_report_imports_and_is_explained(api, make_project, explain_now, fake_openai, name):
    imported, done = import_and_explain(api, make_project(), explain_now, load_event(name))
    report = imported["event"]["securityReport"]
    prompt = fake_openai.requests[-1]["body"]["messages"][1]["content"]
    assert "Security report (csp):" in prompt
    for key in ("blockedUri", "documentUri", "violatedDirective"):
        assert f"  {key}: {report[key]}" in prompt
    assert done["status"] == "done"


def test_a_message_event_from_the_sdk(api, make_project, explain_now, sdk_capture, fake_openai):
    event = sdk_capture(message="Billing run took 812 s for planted.user@example.com")
    imported, done = import_and_explain(api, make_project(), explain_now, event)
    assert imported["title"] == "Billing run took 812 s for [email]"
    prompt = fake_openai.requests[-1]["body"]["messages"][1]["content"]
    assert "Message: Billing run took 812 s for [email]" in prompt
    assert "[billing] nightly run for [user]" in prompt
    assert_no_planted_secret(prompt + json.dumps(imported), sdk_app.PLANTED_SECRETS)
