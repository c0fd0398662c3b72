"""Times: read from datetimes, ISO strings and epochs; shown relative with the exact ISO time,
in the time zone the browser reported."""

from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from sentry_manager.lib.times import exact, moment, relative, utc_iso

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        "2026-11-24T09:00:00Z",
        "2026-11-24T10:00:00+01:00",
        1795510800,
        1795510800.0,
        "1795510800",
        1795510800000,  # milliseconds
    ],
)
def test_moment_reads_every_shape_a_time_comes_in(value):
    assert moment(value) == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("value", [None, "", "yesterday", True, float("nan"), "1e400", []])
def test_moment_is_none_for_what_is_not_a_time(value):
    assert moment(value) is None


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=10), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=5), "5 minutes ago"),
        (timedelta(hours=3, minutes=5), "3 hours ago"),
        (timedelta(days=2), "2 days ago"),
        (timedelta(days=90), "3 months ago"),
        (timedelta(days=800), "2 years ago"),
        (-timedelta(days=30), "in 30 days"),
        (-timedelta(hours=24), "in 24 hours"),
    ],
)
def test_relative_reads_like_a_person_would_say_it(delta, text):
    assert relative(NOW - delta, NOW) == text


def test_the_filter_shows_relative_text_and_the_exact_local_time_on_hover():
    created = timezone.now() - timedelta(hours=3)
    with timezone.override("Europe/Paris"):
        html = Template("{% load times %}{{ value|when }}").render(Context({"value": created}))
        iso = exact(created)
    assert iso.endswith(("+01:00", "+02:00"))
    utc = utc_iso(created)
    assert utc.endswith("Z")
    assert html == f'<time datetime="{utc}" title="{iso} Europe/Paris">3 hours ago</time>'


def test_the_clock_style_shows_the_time_of_day():
    html = Template('{% load times %}{{ value|when:"clock" }}').render(
        Context({"value": 1795510800.512})
    )
    assert ">09:00:00.512</time>" in html


def test_what_is_not_a_time_is_shown_as_it_is():
    assert Template("{% load times %}{{ value|when }}").render(Context({"value": "soon"})) == "soon"
    assert Template("{% load times %}{{ value|when }}").render(Context({"value": None})) == "—"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cookie", "zone"),
    [("Asia/Tokyo", "+09:00 Asia/Tokyo"), ("Not/AZone", "+00:00 UTC"), ("../etc", "+00:00 UTC")],
)
def test_pages_show_times_in_the_zone_the_browser_reported(
    browser_client, make_project, cookie, zone
):
    make_project("Shop")
    browser_client.cookies["tz"] = cookie
    page = browser_client.get("/projects").content.decode()
    assert f'{zone}">just now</time>' in page


@pytest.mark.django_db
def test_the_api_answers_in_utc_whatever_the_browser_said(api, make_project):
    make_project("Shop")
    api.cookies["tz"] = "Asia/Tokyo"
    created = api.get("/api/projects").json()["results"][0]["createdAt"]
    assert created.endswith(("Z", "+00:00"))
