"""A real CI job: the GitLab CI snippet of the project page, run by bash with real curl and the
real sentry-cli (npm @sentry/cli, installed by `make test`), uploads source maps to a local
fake Sentry with the token stored in Sentry Manager — the job holds only a ci key."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from integrations import snippets
from projects.keys.services import issue_api_key
from tests.fakes.sentry_server import TOKEN, FakeSentry

ROOT = Path(__file__).resolve().parents[2]
SENTRY_CLI = ROOT / "var" / "node" / "node_modules" / ".bin" / "sentry-cli"

APP_JS = 'function boom(){throw new Error("boom")}boom();\n//# sourceMappingURL=app.js.map\n'
APP_MAP = {
    "version": 3,
    "file": "app.js",
    "sources": ["src/app.ts"],
    "sourcesContent": ['function boom() { throw new Error("boom"); }\n'],
    "names": [],
    "mappings": "AAAA",
}


@pytest.fixture
def sentry_cli():
    if not SENTRY_CLI.exists():
        pytest.fail(f"sentry-cli not found at {SENTRY_CLI}: run `make test`, which installs it.")
    for tool in ("bash", "curl"):
        if not shutil.which(tool):
            pytest.fail(f"The CI snippet needs {tool} on PATH.")
    return SENTRY_CLI


@pytest.fixture
def fake_sentry(httpserver):
    return FakeSentry(org="acme", project="shop-web").install(httpserver)


@pytest.fixture
def build(tmp_path):
    """A job's checkout after the build step: ./dist with a minified file and its map."""
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "app.js").write_text(APP_JS)
    (dist / "app.js.map").write_text(json.dumps(APP_MAP))
    return tmp_path


def _job_environment(tmp_path, **variables) -> dict:
    """What a CI runner gives the job: PATH, a HOME of its own, the CI secret. Nothing of
    Sentry from this machine (no SENTRY_* variable, no ~/.sentryclirc)."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "home"),
        "SENTRY_DISABLE_UPDATE_CHECK": "true",
        **variables,
    }
    (tmp_path / "home").mkdir()
    return env


def _gitlab_script(page_url: str) -> list[str]:
    job = yaml.safe_load(snippets.gitlab_ci(page_url))["sentry-sourcemaps"]
    return job["script"]


def test_gitlab_snippet_uploads_source_maps_with_the_stored_token(
    live_server, user, make_project, make_integration, fake_sentry, build, sentry_cli
):
    shop = make_project("Shop", environment="production")
    make_integration(
        shop,
        org="acme",
        sentry_project="shop-web",
        api_base_url=fake_sentry.base_url.rstrip("/"),
        auth_token=TOKEN,
    )
    ci_key = issue_api_key(owner=user, name="build", project=shop, access="ci").plaintext
    url = snippets.ci_credentials_url(live_server.url, shop.slug, "production")
    script = [line.replace("npx @sentry/cli", str(sentry_cli)) for line in _gitlab_script(url)]
    assert script[0].startswith("curl ")

    job = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(script)],
        cwd=build,
        env=_job_environment(
            build, **{snippets.CI_KEY_VARIABLE: ci_key, "CI_COMMIT_SHA": "abc123"}
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert job.returncode == 0, job.stdout + job.stderr

    assert len(fake_sentry.bundles) == 1, [r.path for r in fake_sentry.requests]
    bundle = fake_sentry.bundles[0]
    assert bundle["authorization"] == f"Bearer {TOKEN}"
    assert bundle["projects"] == ["shop-web"]
    assert bundle["version"] == "abc123"
    assert bundle["files"] == ["~/app.js", "~/app.js.map"]
    assert {request.headers.get("Authorization") for request in fake_sentry.requests} == {
        f"Bearer {TOKEN}"
    }
    assert not (build / ".env.sentry").exists(), "the job removes the credentials file"


def test_github_snippet_runs_the_same_commands(live_server):
    url = snippets.ci_credentials_url(live_server.url, "shop", "production")
    [step] = yaml.safe_load(snippets.github_actions(url))
    assert step["env"] == {"SENTRY_MANAGER_CI_KEY": "${{ secrets.SENTRY_MANAGER_CI_KEY }}"}
    lines = step["run"].splitlines()
    assert 'echo "::add-mask::$SENTRY_AUTH_TOKEN"' in lines
    lines.remove('echo "::add-mask::$SENTRY_AUTH_TOKEN"')
    assert lines == [line.replace("$CI_COMMIT_SHA", "$GITHUB_SHA") for line in _gitlab_script(url)]
