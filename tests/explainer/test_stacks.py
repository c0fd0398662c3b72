"""Stacks in call order: the innermost frame is the raise site whatever its origin, in-app
frames are marked, source lines are kept where they help, long library runs are folded."""

from explainer.events import modernize, normalize_event
from tests.fakes.sentry_server import load_event


def raised(name):
    return normalize_event(modernize(load_event(name)))["exceptions"][0]


def test_frames_keep_the_call_order_and_the_innermost_is_the_raise_site():
    frames = raised("python_api.json")["frames"]
    assert [f["function"] for f in frames] == ["_get_response", "checkout", "apply_discount"]
    assert [f["isRaiseSite"] for f in frames] == [False, False, True]
    assert [f["inApp"] for f in frames] == [False, True, True]


def test_a_library_frame_is_the_raise_site_when_it_raised():
    # Sentry's Ruby sample: `1 / 0` inside raven/cli.rb, every frame a library frame.
    site = raised("ruby_legacy_sample.json")["frames"][-1]
    assert (site["function"], site["filename"], site["lineno"]) == ("/", "raven/cli.rb", 31)
    assert site["isRaiseSite"] and not site["inApp"]
    assert site["contextLine"] == "        1 / 0"  # context lines whatever its origin
    assert site["preContext"][-1] == "      begin\n"


def test_source_lines_are_kept_for_the_raise_site_and_in_app_frames_only():
    frames = raised("python_api.json")["frames"]
    library, app, site = frames
    assert library["contextLine"] == "" and library["preContext"] == []
    assert app["contextLine"] == "    total = apply_discount(cart.total, rate)"
    assert site["contextLine"] == "    return total / periods"


def test_a_long_run_of_library_frames_is_folded_with_a_count():
    frames = raised("ruby_legacy_sample.json")["frames"]
    # 37 frames: the entry point, 34 folded, the caller of the raise site, the raise site.
    assert [f["function"] for f in frames] == ["<main>", "test", "/"]
    hidden = frames[1]["hiddenBefore"]
    assert hidden == {
        "count": 34,
        "first": "/Users/sentry/.gem/ruby/2.4.1/bin/bundle:22 in load",
        "last": "raven/integrations/tasks.rb:9 in block (2 levels) in <main>",
        "library": True,
    }
    assert raised("ruby_legacy_sample.json")["frameCount"] == 37


def test_short_library_runs_between_app_frames_stay():
    frames = raised("javascript_sdk.json")["frames"]
    assert [f["function"] for f in frames] == ["Ku", "Vo", "Summary", "formatTotal"]
    assert all(f["hiddenBefore"] is None for f in frames)


def test_thousands_of_frames_keep_the_raise_site_and_stay_bounded():
    event = load_event("python_sdk.json")
    frames = event["exception"]["values"][0]["stacktrace"]["frames"]
    recursion = [
        {"filename": "tree.py", "function": "walk", "lineno": 7, "in_app": True}
        for _ in range(5000)
    ]
    frames[1:1] = recursion
    shown = normalize_event(event)["exceptions"][0]["frames"]
    assert len(shown) <= 60
    assert shown[-1]["function"] == "sync_invoices" and shown[-1]["isRaiseSite"]
    assert sum((f["hiddenBefore"] or {}).get("count", 0) for f in shown) + len(shown) == 5002


def test_without_in_app_flags_library_paths_are_told_apart():
    event = {
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "stacktrace": {
                        "frames": [
                            {"abs_path": "/srv/app/shop/views.py", "function": "order"},
                            {
                                "abs_path": "/usr/lib/python3.12/site-packages/django/db.py",
                                "function": "get",
                            },
                        ]
                    },
                }
            ]
        }
    }
    frames = normalize_event(event)["exceptions"][0]["frames"]
    assert [f["inApp"] for f in frames] == [True, False]


def test_each_frame_has_an_anchor_for_links_on_a_page():
    event = normalize_event(load_event("python_api.json"))
    assert event["exceptions"][0]["frames"][-1]["anchor"] == "frame-0-2"
    assert event["exceptions"][1]["frames"][0]["anchor"] == "frame-1-0"
