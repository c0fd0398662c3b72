"""The built-in analysis (no LLM configured) on Python, JavaScript and Java events."""

import pytest

from explainer.analysis import MODEL, analyse
from explainer.events import normalize_event
from tests.fakes.sentry_server import load_event


@pytest.mark.parametrize(
    ("name", "exception", "frame", "cause"),
    [
        (
            "python_api.json",
            "ZeroDivisionError",
            "`apply_discount` in `checkout/pricing.py`, line 12",
            "division by zero",
        ),
        (
            "javascript_api.json",
            "TypeError",
            "`renderLine` in `app:///static/js/cart.js`, line 17",
            "null/None/undefined",
        ),
        (
            "java_api.json",
            "IllegalStateException",
            "`capture` in `PaymentService.java`, line 73",
            "state that does not allow it",
        ),
    ],
)
def test_it_names_the_exception_the_in_app_frame_and_a_known_cause(name, exception, frame, cause):
    result = analyse(normalize_event(load_event(name)))
    assert f"`{exception}:" in result["summary"]
    assert frame in result["summary"]
    assert frame in result["root_cause"]
    assert cause in result["summary"]
    assert result["evidence"][0].startswith(f"frame: {frame}")
    assert any(item.startswith("breadcrumb: ") for item in result["evidence"])
    assert result["confidence"] == "medium"
    for section in (
        "Problem",
        "Affected components",
        "Proposed change",
        "Acceptance criteria",
        "Test plan",
        "Risks",
    ):
        assert f"## {section}" in result["specification"]
    assert frame in result["specification"]


def test_the_breadcrumbs_before_the_error_are_in_the_specification():
    result = analyse(normalize_event(load_event("javascript_api.json")))
    assert "[navigation] from=/, to=/cart" in result["specification"]


def test_an_event_without_a_stack_is_still_explained_with_low_confidence():
    result = analyse(normalize_event({"message": "Disk almost full", "level": "warning"}))
    assert "Disk almost full" in result["summary"]
    assert "unknown location" in result["root_cause"]
    assert result["confidence"] == "low"


def test_it_is_labelled_as_the_built_in_analysis():
    assert MODEL == "built-in analysis (no LLM configured)"
