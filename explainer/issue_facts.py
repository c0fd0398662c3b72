"""Facts about a whole Sentry issue (not only its latest event), as pages and prompts show them.

From the issue itself: event and user counts, first and last seen, first and last release.
From `/api/0/issues/{id}/tags/`: how its events spread over browser, OS, release, environment
and URL. From `.../events/{event_id}/committers/`: the suspect commits Sentry links to it.
`statements()` turns them into the sentences a developer (or an LLM) reasons with: "only on
Safari 17.1", "since release 2.4.1". Everything that came from Sentry is scrubbed; commit
authors are left out (a person, and not needed to fix the code).
"""

from .events import iso_time
from .scrubbing import scrub_text

TOP_TAG_KEYS = ("browser", "os", "release", "environment", "url", "device", "runtime")
TOP_VALUES = 3
MAX_COMMITS = 5


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _release(value) -> str:
    if isinstance(value, dict):
        value = value.get("shortVersion") or value.get("version")
    return scrub_text(str(value or ""))[:200]


def _tags(raw_tags) -> list[dict]:
    tags = []
    for raw in raw_tags if isinstance(raw_tags, list) else []:
        if not isinstance(raw, dict) or raw.get("key") not in TOP_TAG_KEYS:
            continue
        total = _int(raw.get("totalValues")) or 0
        values = []
        for top in (raw.get("topValues") or [])[:TOP_VALUES]:
            count = _int(top.get("count")) or 0
            values.append(
                {
                    "value": scrub_text(str(top.get("value") or top.get("name") or ""))[:200],
                    "count": count,
                    "share": round(100 * count / total) if total else None,
                }
            )
        if values:
            tags.append({"key": raw["key"], "total": total, "values": values})
    tags.sort(key=lambda tag: TOP_TAG_KEYS.index(tag["key"]))
    return tags


def _commits(committers) -> list[dict]:
    commits = []
    for committer in committers if isinstance(committers, list) else []:
        for commit in (committer.get("commits") if isinstance(committer, dict) else None) or []:
            sha = str(commit.get("id") or "")
            repository = commit.get("repository") or {}
            commits.append(
                {
                    "id": sha[:40],
                    "shortId": sha[:7],
                    "message": scrub_text(str(commit.get("message") or "").strip())[:300],
                    "date": iso_time(commit.get("dateCreated")),
                    "repository": scrub_text(str(repository.get("name") or ""))[:200],
                    "why": str(commit.get("suspectCommitType") or "")[:100],
                }
            )
    return commits[:MAX_COMMITS]


def facts_from(issue: dict, raw_tags=None, committers=None, unavailable=()) -> dict:
    """The facts of an issue: its row (explainer.sentry_reading.issue_row), tags, committers."""
    return {
        "count": _int(issue.get("count")),
        "userCount": _int(issue.get("userCount")),
        "firstSeen": iso_time(issue.get("firstSeen")),
        "lastSeen": iso_time(issue.get("lastSeen")),
        "firstRelease": _release(issue.get("firstRelease")),
        "lastRelease": _release(issue.get("lastRelease")),
        "tags": _tags(raw_tags),
        "commits": _commits(committers),
        "unavailable": [scrub_text(str(note))[:300] for note in unavailable],
    }


def statements(facts: dict) -> list[str]:
    """What the facts say, one sentence each ("only on Safari 17.1 (100% of 150 events)")."""
    if not facts:
        return []
    said = []
    counts = []
    if facts.get("count") is not None:
        counts.append(f"{facts['count']} events")
    if facts.get("userCount") is not None:
        counts.append(f"{facts['userCount']} users affected")
    if counts:
        said.append(", ".join(counts))
    if facts.get("firstSeen") or facts.get("lastSeen"):
        said.append(
            f"first seen {facts.get('firstSeen') or '?'}, last seen {facts.get('lastSeen') or '?'}"
        )
    if facts.get("firstRelease"):
        said.append(f"since release {facts['firstRelease']} (the first release it was seen in)")
    for tag in facts.get("tags", []):
        top = tag["values"][0]
        if tag["total"] and top["count"] == tag["total"] and tag["key"] != "url":
            said.append(
                f"only on {tag['key']} {top['value']} ({top['share']}% of {tag['total']} events)"
            )
        else:
            spread = ", ".join(
                f"{value['value']} ({value['share']}%)"
                if value["share"] is not None
                else value["value"]
                for value in tag["values"]
            )
            said.append(f"{tag['key']}: {spread}")
    for commit in facts.get("commits", []):
        where = f" in {commit['repository']}" if commit["repository"] else ""
        said.append(
            f"suspect commit {commit['shortId']}{where}: “{commit['message'][:120]}”"
            + (f" ({commit['date']})" if commit["date"] else "")
        )
    return said
