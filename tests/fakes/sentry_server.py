"""A fake Sentry web API for tests, speaking Sentry's wire format over real HTTP.

Install it on pytest-httpserver's server (`FakeSentry().install(httpserver)`) and point a
client (or an integration's `api_base_url`) at `httpserver.url_for("/")`. It serves:

- `GET /api/0/organizations/{org}/` and `GET /api/0/projects/{org}/{project}/`
- `GET /api/0/organizations/{org}/issues/?project=&environment=&query=&sort=&limit=&cursor=`
  with `Link` headers (`rel="previous"/"next"; results="..."; cursor="0:<offset>:<is_prev>"`)
- `GET /api/0/organizations/{org}/issues/{id}/` and `.../issues/{id}/events/latest/`
- `GET /api/0/issues/{id}/tags/?key=...&key=...` (tag objects with `topValues`)
- `GET /api/0/projects/{org}/{project}/events/{event_id}/committers/` (suspect commits of
  the Python events; `404 {"detail": "No committers found"}` for the others, as Sentry does)
- what `sentry-cli sourcemaps upload` calls: `GET /api/0/organizations/{org}/chunk-upload/`
  (the upload options), `POST` there (gzipped chunks named by their SHA-1) and
  `POST /api/0/organizations/{org}/artifactbundle/assemble/` (answers the missing chunks, then
  assembles the bundle: `bundles` holds each one's projects and the files in its manifest)

and can be told to fail: `fail(status, times=1, headers=..., path_contains=...)`, `delay`,
`scopes`. Every request is recorded in `requests`.
"""

import copy
import gzip
import hashlib
import io
import json
import re
import time
import zipfile
from pathlib import Path
from urllib.parse import urlencode

from werkzeug import Response

EVENTS = Path(__file__).parent / "events"
TOKEN = "sntryu_" + "0123456789abcdef" * 4
PLATFORM_EVENTS = ["python_api.json", "javascript_api.json", "java_api.json"]


def load_event(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def _issue(index: int, event: dict, project_id: str, project_slug: str, org: str) -> dict:
    issue_id = str(4504123456 + index)
    exc = event["entries"][0]["data"]["values"][-1]
    frame = exc["stacktrace"]["frames"][-1]
    return {
        "id": issue_id,
        "shareId": None,
        "shortId": f"{project_slug.upper()}-{index + 1:X}",
        "title": event["title"] if index < 3 else f"{event['title']} #{index}",
        "culprit": event["culprit"],
        "permalink": f"https://{org}.sentry.io/issues/{issue_id}/",
        "logger": None,
        "level": "error" if index % 5 else "fatal",
        "status": "unresolved",
        "statusDetails": {},
        "substatus": "ongoing",
        "isPublic": False,
        "platform": event["platform"],
        "project": {
            "id": project_id,
            "name": project_slug,
            "slug": project_slug,
            "platform": event["platform"],
        },
        "type": "error",
        "metadata": {
            "type": exc["type"],
            "value": exc["value"],
            "filename": frame["filename"],
            "function": frame["function"],
            "in_app_frame_mix": "mixed",
        },
        "numComments": 0,
        "assignedTo": None,
        "isBookmarked": False,
        "isSubscribed": False,
        "subscriptionDetails": None,
        "hasSeen": False,
        "annotations": [],
        "issueType": "error",
        "issueCategory": "error",
        "isUnhandled": True,
        "firstRelease": {"version": event["release"]["version"]},
        "lastRelease": {"version": event["release"]["version"]},
        "count": str(150 - index),
        "userCount": 40 - index,
        "firstSeen": "2026-11-01T08:00:00.000000Z",
        "lastSeen": f"2026-11-{22 - index % 20:02d}T09:00:00.000000Z",
        "stats": {"24h": [[1763596800, 3], [1763600400, 5]]},
        "environments": ["production"] if index % 3 else ["production", "staging"],
    }


def _tag(key, total, values):
    return {
        "key": key,
        "name": key.title(),
        "uniqueValues": len(values),
        "totalValues": total,
        "topValues": [
            {
                "key": value,
                "name": value,
                "value": value,
                "count": count,
                "lastSeen": "2026-11-22T09:00:00Z",
                "firstSeen": "2026-11-01T08:00:00Z",
            }
            for value, count in values
        ],
    }


def issue_tags(issue: dict) -> list[dict]:
    """How the issue's events spread over its tags, as Sentry answers `/issues/{id}/tags/`."""
    total = int(issue["count"])
    release = issue["firstRelease"]["version"]
    tags = [
        _tag("environment", total, [("production", total)]),
        _tag("release", total, [(release, total - 10), ("0.9.0", 10)]),
        _tag("url", total, [("https://shop.example.com/api/cart/checkout", total)]),
        _tag("user", total, [("email:jane.doe@example.com", total)]),
    ]
    if issue["platform"] == "javascript":
        tags.insert(0, _tag("browser", total, [("Safari 17.1", total)]))
        tags.insert(1, _tag("os", total, [("iOS 17.1", total - 5), ("macOS 14.1", 5)]))
    return tags


COMMITTERS = {
    "committers": [
        {
            "author": {"name": "Jane Doe", "email": "jane.doe@example.com", "username": "jdoe"},
            "commits": [
                {
                    "id": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
                    "message": "Read the discount rate from settings (fallback 0)",
                    "dateCreated": "2026-11-19T16:40:00Z",
                    "repository": {"id": "1", "name": "acme/checkout", "provider": {}},
                    "suspectCommitType": "via commit in release",
                    "score": 2,
                }
            ],
        }
    ]
}


class FakeSentry:
    def __init__(self, org="acme", project="backend", project_id="42", issues=30, token=TOKEN):
        self.org = org
        self.project = project
        self.project_id = project_id
        self.token = token
        self.scopes = {"event:read", "project:read", "org:read", "project:releases"}
        self.delay = 0.0
        self.failures = []
        self.requests = []
        self.events = {}
        self.issues = []
        self.committers = {}  # event id -> the /committers/ body; the others answer 404
        self.chunks = {}  # SHA-1 → bytes, as sentry-cli uploaded them
        self.bundles = []  # assembled artifact bundles
        for index in range(issues):
            event = load_event(PLATFORM_EVENTS[index % 3])
            issue = _issue(index, event, project_id, project, org)
            event["groupID"] = issue["id"]
            self.issues.append(issue)
            self.events[issue["id"]] = event
            if event["platform"] == "python":
                self.committers[event["eventID"]] = COMMITTERS

    def install(self, httpserver):
        self.base_url = httpserver.url_for("/")
        httpserver.expect_request(re.compile(r"^/api/0/.*$")).respond_with_handler(self.handle)
        return self

    def fail(self, status, *, times=1, headers=None, body=None, path_contains=""):
        self.failures.append(
            {
                "status": status,
                "times": times,
                "headers": headers or {},
                "path": path_contains,
                "body": body if body is not None else {"detail": f"Fake failure {status}"},
            }
        )

    # --- the server -----------------------------------------------------------------------

    def handle(self, request):
        self.requests.append(request)
        if self.delay:
            time.sleep(self.delay)
        for failure in self.failures:
            if failure["times"] and failure["path"] in request.path:
                failure["times"] -= 1
                return self._json(failure["body"], failure["status"], failure["headers"])
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return self._json({"detail": "Invalid token"}, 401)
        path = request.path
        routes = [
            (rf"^/api/0/organizations/{self.org}/$", self._organization, "org:read"),
            (rf"^/api/0/projects/{self.org}/(?P<slug>[^/]+)/$", self._project, "project:read"),
            (rf"^/api/0/organizations/{self.org}/issues/$", self._issue_list, "event:read"),
            (rf"^/api/0/organizations/{self.org}/issues/(?P<id>\d+)/$", self._issue, "event:read"),
            (
                rf"^/api/0/organizations/{self.org}/issues/(?P<id>\d+)/events/latest/$",
                self._latest,
                "event:read",
            ),
            (r"^/api/0/issues/(?P<id>\d+)/tags/$", self._tags, "event:read"),
            (
                rf"^/api/0/projects/{self.org}/{self.project}/events/(?P<event_id>[0-9a-f]+)"
                r"/committers/$",
                self._committers,
                "event:read",
            ),
        ]
        routes += [
            (
                rf"^/api/0/organizations/{self.org}/chunk-upload/$",
                self._chunk_upload,
                "project:releases",
            ),
            (
                rf"^/api/0/organizations/{self.org}/artifactbundle/assemble/$",
                self._assemble,
                "project:releases",
            ),
        ]
        for pattern, view, scope in routes:
            match = re.match(pattern, path)
            if match:
                if scope not in self.scopes:
                    return self._json(
                        {"detail": "You do not have permission to perform this action."}, 403
                    )
                return view(request, **match.groupdict())
        return self._json({"detail": "The requested resource does not exist"}, 404)

    def _json(self, body, status=200, headers=None):
        return Response(
            json.dumps(body), status=status, headers=headers or {}, content_type="application/json"
        )

    def _not_found(self):
        return self._json({"detail": "The requested resource does not exist"}, 404)

    def _organization(self, request):
        return self._json({"id": "1", "slug": self.org, "name": self.org.title()})

    def _project(self, request, slug):
        if slug != self.project:
            return self._not_found()
        return self._json({"id": self.project_id, "slug": self.project, "name": self.project})

    def _issue_list(self, request):
        args = request.args
        if args.get("project") and args.get("project") != self.project_id:
            return self._json([])
        issues = self.issues
        if args.get("environment"):
            issues = [i for i in issues if args["environment"] in i["environments"]]
        terms = [t for t in args.get("query", "").split() if ":" not in t]
        for term in terms:
            issues = [i for i in issues if term.lower() in i["title"].lower()]
        limit = min(int(args.get("limit", 100)), 100)
        offset = int(args.get("cursor", "0:0:0").split(":")[1])
        page = issues[offset : offset + limit]
        base = f"{self.base_url.rstrip('/')}{request.path}"
        params = {k: v for k, v in args.items() if k != "cursor"}

        def link(rel, cursor, results):
            url = f"{base}?{urlencode({**params, 'cursor': cursor})}"
            return f'<{url}>; rel="{rel}"; results="{results}"; cursor="{cursor}"'

        prev_cursor = f"0:{max(offset - limit, 0)}:1"
        next_cursor = f"0:{offset + limit}:0"
        header = ", ".join(
            [
                link("previous", prev_cursor, "true" if offset > 0 else "false"),
                link("next", next_cursor, "true" if offset + limit < len(issues) else "false"),
            ]
        )
        body = [{k: v for k, v in i.items() if k != "environments"} for i in page]
        return self._json(body, headers={"Link": header})

    def _issue(self, request, id):
        for issue in self.issues:
            if issue["id"] == id:
                return self._json({k: v for k, v in issue.items() if k != "environments"})
        return self._not_found()

    def _tags(self, request, id):
        issue = next((i for i in self.issues if i["id"] == id), None)
        if issue is None:
            return self._not_found()
        keys = request.args.getlist("key")
        tags = [tag for tag in issue_tags(issue) if not keys or tag["key"] in keys]
        return self._json(tags)

    def _committers(self, request, event_id):
        if event_id not in self.committers:
            return self._json({"detail": "No committers found"}, 404)
        return self._json(copy.deepcopy(self.committers[event_id]))

    def _latest(self, request, id):
        if id not in self.events:
            return self._not_found()
        return self._json(copy.deepcopy(self.events[id]))

    # --- source-map uploads (sentry-cli) ----------------------------------------------------

    def _chunk_upload(self, request):
        if request.method == "GET":
            return self._json(
                {
                    "url": f"{self.base_url.rstrip('/')}{request.path}",
                    "chunkSize": 8 * 1024 * 1024,
                    "chunksPerRequest": 64,
                    "maxFileSize": 2 * 1024**3,
                    "maxRequestSize": 32 * 1024 * 1024,
                    "concurrency": 1,
                    "hashAlgorithm": "sha1",
                    "compression": ["gzip"],
                    "accept": ["release_files", "sources", "artifact_bundles"],
                }
            )
        for name in ("file_gzip", "file"):
            for upload in request.files.getlist(name):
                data = upload.read()
                if name == "file_gzip":
                    data = gzip.decompress(data)
                if hashlib.sha1(data).hexdigest() != upload.filename:
                    return self._json({"detail": "Checksum mismatch"}, 400)
                self.chunks[upload.filename] = data
        return self._json({})

    def _assemble(self, request):
        body = json.loads(request.get_data())
        missing = [chunk for chunk in body["chunks"] if chunk not in self.chunks]
        if missing:
            return self._json({"state": "not_found", "missingChunks": missing})
        data = b"".join(self.chunks[chunk] for chunk in body["chunks"])
        if hashlib.sha1(data).hexdigest() != body["checksum"]:
            return self._json({"state": "error", "detail": "Checksum mismatch"}, 400)
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            manifest = json.loads(bundle.read("manifest.json"))
        self.bundles.append(
            {
                "projects": body.get("projects", []),
                "version": body.get("version"),
                "files": sorted(entry["url"] for entry in manifest["files"].values()),
                "authorization": request.headers.get("Authorization"),
            }
        )
        return self._json({"state": "created", "missingChunks": []})
