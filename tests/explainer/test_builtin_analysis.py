"""The built-in analysis (no LLM configured): grounded in the event, shaped like an RCA."""

import pytest

from explainer.analysis import MODEL, analyse
from explainer.analysis.evidence import lookup
from explainer.analysis.knowledge import ENTRIES
from explainer.events import modernize, normalize_event
from explainer.scrubbing import scrub
from tests.fakes.sentry_server import load_event


def analysed(name, facts=None):
    return analyse(normalize_event(scrub(modernize(load_event(name)))), facts)


@pytest.mark.parametrize(
    ("name", "exception", "raise_site", "topic"),
    [
        (
            "python_api.json",
            "ZeroDivisionError",
            "checkout/pricing.py:12 in apply_discount",
            "division by zero",
        ),
        (
            "javascript_api.json",
            "TypeError",
            "app:///static/js/cart.js:17 in renderLine",
            "null reference",
        ),
        (
            "java_api.json",
            "IllegalStateException",
            "PaymentService.java:73 in capture",
            "state that does not allow it",
        ),
        (
            "javascript_sdk.json",
            "TypeError",
            "app:///src/checkout/format.ts:6 in formatTotal",
            "null reference",
        ),
        (
            "java_sdk.json",
            "IllegalStateException",
            "PaymentService.java:73 in capture",
            "state that does not allow it",
        ),
        (
            "ruby_sdk.json",
            "NoMethodError",
            "app/controllers/checkouts_controller.rb:18 in create",
            "null reference",
        ),
        (
            "php_sdk.json",
            "DivisionByZeroError",
            "/app/Services/PriceCalculator.php:27 in App\\Services\\PriceCalculator::perUnit",
            "division by zero",
        ),
        (
            "ruby_legacy_sample.json",
            "ZeroDivisionError",
            "raven/cli.rb:31 in /",
            "division by zero",
        ),
        (
            "php_legacy_sample.json",
            "Exception",
            "/Users/example/Development/raven-php/bin/raven:16 in raven_cli_test",
            "explicit failure",
        ),
        ("native_sdk.json", "EXC_BAD_ACCESS", "libobjc.A.dylib in objc_msgSend", "invalid memory"),
    ],
)
def test_it_names_the_exception_the_raise_site_and_a_known_cause(
    name, exception, raise_site, topic
):
    result = analysed(name)
    assert result["summary"].startswith(f"`{exception}")
    assert f"was raised at `{raise_site}`" in result["summary"]
    assert topic in result["root_cause"]
    assert result["evidence"][0].startswith(f"raise site: {raise_site}")
    assert result["code_locations"][0]["why"].startswith(f"raise site of `{exception}")
    for section in (
        "Problem",
        "Affected components",
        "Proposed change",
        "Acceptance criteria",
        "Test plan",
        "Risks",
    ):
        assert f"## {section}" in result["specification"]


def test_a_library_raise_site_is_named_and_the_calling_app_code_too():
    result = analysed("native_sdk.json")
    assert "That is library code; the application called it from " in result["summary"]
    assert "`CartViewController.m:88 in -[CartViewController updateTotal]`" in result["summary"]


def test_division_by_zero_names_the_zero_divisor_from_the_locals():
    result = analysed("python_api.json")
    assert "The divisor `periods` was 0 at the raise site." in result["summary"]
    assert "local at the raise site: periods = 0" in result["evidence"]
    assert "Handle `periods` = 0 before `return total / periods`" in result["suggested_fix"]
    assert result["confidence"] == "high"
    assert result["confidence_reason"].startswith("High: the exception is a known kind")


def test_a_literal_zero_divisor_and_a_php_divisor_are_named():
    assert "divides by the literal 0" in analysed("ruby_legacy_sample.json")["summary"]
    assert "The divisor `$quantity` was 0" in analysed("php_sdk.json")["summary"]


def test_a_null_receiver_is_named_from_the_message_and_the_failing_line():
    assert "`quote.price` was null/undefined" in analysed("javascript_sdk.json")["summary"]
    assert "`@discount` was null/undefined" in analysed("ruby_sdk.json")["summary"]


def test_the_chain_is_explained_as_a_chain():
    result = analysed("ruby_sdk.json")
    caused = (
        'caused by `KeyError: key not found: "SPRING24"` at '
        "`app/services/coupon_lookup.rb:9 in rate_for`"
    )
    assert f"It was {caused}." in result["summary"]
    assert caused in result["specification"]
    assert {
        "file": "app/services/coupon_lookup.rb",
        "line": 9,
        "function": "rate_for",
        "why": "raised the earlier `KeyError` in the chain",
    } in result["code_locations"]


def test_reproduction_steps_start_from_the_request_and_end_at_the_raise_site():
    steps = analysed("java_sdk.json")["reproduction_steps"].splitlines()
    assert steps[0] == (
        "1. Send the request of the event: "
        "`POST https://billing.example.com/api/payments?order=5512 (HTTP 500)`."
    )
    assert steps[-1].endswith(
        "Expect `IllegalStateException: Order 5512 is already paid` at "
        "`PaymentService.java:73 in capture`."
    )


def test_the_specification_names_this_error_this_function_and_this_input():
    spec = analysed("python_api.json")["specification"]
    criteria = spec.split("## Acceptance criteria")[1].split("## Test plan")[0]
    assert (
        "With `rate = 0`, `periods = 0`, the request "
        "`POST https://shop.example.com/api/cart/checkout`, `apply_discount` no longer raises "
        "`ZeroDivisionError`." in criteria
    )
    tests = spec.split("## Test plan")[1].split("## Risks")[0]
    assert "A unit test of `apply_discount` with `rate = 0`, `periods = 0`" in tests
    assert "not `ZeroDivisionError`" in tests
    other = analysed("php_sdk.json")["specification"]
    assert "`App\\Services\\PriceCalculator::perUnit` no longer raises `DivisionByZeroError`" in (
        other
    )


def test_an_unknown_type_still_gets_an_answer_from_the_evidence():
    event = normalize_event(scrub(load_event("python_sdk.json")))
    event["exceptions"][0]["type"] = "QuotaLedgerMismatch"
    event["exceptions"][0]["value"] = "ledger 7 and quota 9 disagree"
    result = analyse(event)
    assert "not recognise" not in result["root_cause"]
    assert (
        "`QuotaLedgerMismatch` is specific to this application or a library"
        in (result["root_cause"])
    )
    assert "`jobs/invoices.py:27 in sync_invoices`" in result["root_cause"]
    assert "The last step before it: " in result["root_cause"]
    assert "Read the check that raises `QuotaLedgerMismatch`" in result["suggested_fix"]
    assert result["confidence"] == "medium"


def test_a_message_event_is_a_message_not_an_exception():
    result = analyse(normalize_event({"message": "Disk almost full", "level": "warning"}))
    assert result["summary"] == (
        "The message “Disk almost full” was reported (a message, not an exception; no stack trace)."
    )
    assert result["confidence"] == "low"


def test_a_csp_report_is_explained_with_its_blocked_uri_document_and_directive():
    result = analysed("csp_browser_report.json")
    assert result["summary"] == (
        "The browser blocked `https://cdn.evil-analytics.example/tag.js` on "
        "`https://shop.example.com/checkout`: it violates the CSP directive `script-src-elem`."
    )
    assert "allow it in `script-src-elem`" in result["suggested_fix"]


def test_issue_facts_are_part_of_the_answer():
    facts = {
        "count": 150,
        "userCount": 40,
        "firstRelease": "2.4.1",
        "tags": [
            {
                "key": "browser",
                "total": 150,
                "values": [{"value": "Safari 17", "count": 150, "share": 100}],
            }
        ],
        "commits": [],
    }
    result = analysed("python_api.json", facts)
    assert "Sentry: 150 events, 40 users affected" in result["summary"]
    assert "- only on browser Safari 17 (100% of 150 events)" in result["specification"]
    assert "issue: since release 2.4.1 (the first release it was seen in)" in result["evidence"]
    assert "(it has 150 so far)" in result["specification"]


@pytest.mark.parametrize(
    ("exc_type", "value", "topic"),
    [
        ("ZeroDivisionError", "division by zero", "division by zero"),
        ("KeyError", "'SPRING24'", "key the mapping does not hold"),
        ("AttributeError", "'NoneType' object has no attribute 'name'", "null reference"),
        ("TypeError", "'NoneType' object is not subscriptable", "null reference"),
        ("ModuleNotFoundError", "No module named 'x'", "file or module"),
        ("TypeError", "Cannot read properties of undefined (reading 'price')", "null reference"),
        ("TypeError", "fetchCart is not a function", "not a function"),
        ("ReferenceError", "cart is not defined", "not defined"),
        ("RangeError", "Maximum call stack size exceeded", "recursion"),
        ("Error", "connect ECONNREFUSED 127.0.0.1:5432", "could not be reached"),
        (
            "java.lang.NullPointerException",
            'Cannot invoke "String.length()" because "name" is null',
            "null reference",
        ),
        ("NumberFormatException", 'For input string: "12a"', "cannot parse"),
        (
            "kotlin.UninitializedPropertyAccessException",
            "lateinit property cart has not been initialized",
            "not defined",
        ),
        (
            "ActiveRecord::RecordNotFound",
            "Couldn't find Order with 'id'=9",
            "record that does not exist",
        ),
        ("NoMethodError", "undefined method `name' for nil", "null reference"),
        ("Error", "Call to a member function total() on null", "null reference"),
        ("ErrorException", 'Undefined array key "coupon"', "key the mapping does not hold"),
        (
            "panic",
            "runtime error: invalid memory address or nil pointer dereference",
            "null reference",
        ),
        ("panic", "runtime error: index out of range [3] with length 3", "index outside"),
        ("*errors.errorString", "context deadline exceeded", "did not answer in time"),
        ("panic", "assignment to entry in nil map", "Go map"),
        (
            "System.NullReferenceException",
            "Object reference not set to an instance of an object.",
            "null reference",
        ),
        (
            "System.InvalidOperationException",
            "Sequence contains no elements",
            "empty or held more than one",
        ),
        (
            "System.Collections.Generic.KeyNotFoundException",
            "The given key 'x' was not present",
            "key the mapping",
        ),
        ("System.FormatException", "Input string was not in a correct format.", "cannot parse"),
        ("ApiException", "Upstream answered 502", "upstream service"),
        ("exit", "exit", "process exit"),
    ],
)
def test_the_knowledge_base_covers_common_types_of_each_language(exc_type, value, topic):
    entry = lookup(exc_type, value)
    assert entry is not None and topic in entry.topic


def test_every_language_has_entries():
    languages = {language for entry in ENTRIES for language in entry.languages}
    assert {"python", "javascript", "java", "ruby", "php", "go", "dotnet"} <= languages


def test_it_is_labelled_as_the_built_in_analysis():
    assert MODEL == "built-in analysis (no LLM configured)"
