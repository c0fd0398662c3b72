"""What the project page tells people to paste: how an application fetches its config (curl,
Python, Node/Next.js), CI jobs that upload source maps with the stored token, and the browser
loader's `<script>` tag. Tests run these very snippets. No snippet holds a key: each reads it
from an environment variable or a CI secret."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

# The environment variable that holds an application's config key.
KEY_VARIABLE = "SENTRY_MANAGER_KEY"


@dataclass(frozen=True)
class Snippet:
    name: str  # an id for the page: use-config-curl, ...
    title: str
    text: str


def config_url(endpoint: str, environment: str) -> str:
    return f"{endpoint}?{urlencode({'environment': environment})}"


def snippets(endpoint: str, environment: str) -> list[Snippet]:
    """`endpoint` is the absolute URL of the project's config endpoint."""
    url = config_url(endpoint, environment)
    return [
        Snippet("curl", "curl", _CURL.format(url=url, key=KEY_VARIABLE)),
        Snippet(
            "python",
            "Python (requests + sentry_sdk)",
            _PYTHON.format(endpoint=endpoint, environment=environment, key=KEY_VARIABLE),
        ),
        Snippet("node", "Node / Next.js", _NODE.format(url=url, key=KEY_VARIABLE)),
    ]


_CURL = """curl --fail-with-body \\
  -H "Authorization: Bearer ${key}" \\
  "{url}\""""

_PYTHON = """import os

import requests
import sentry_sdk

response = requests.get(
    "{endpoint}",
    params={{"environment": "{environment}"}},
    headers={{"Authorization": f"Bearer {{os.environ['{key}']}}"}},
    timeout=5,
)
response.raise_for_status()
config = response.json()
sentry_sdk.init(
    dsn=config["dsn"],
    environment=config["environment"],
    traces_sample_rate=config["config"]["tracesSampleRate"],
)"""

_NODE = """// instrumentation.ts (Next.js). In plain Node (@sentry/node), run the body of
// register() when the server starts.
import * as Sentry from "@sentry/nextjs";

export async function register() {{
  const response = await fetch("{url}", {{
    headers: {{ Authorization: `Bearer ${{process.env.{key}}}` }},
  }});
  if (!response.ok) throw new Error(`Sentry config: HTTP ${{response.status}}`);
  const config = await response.json();
  Sentry.init({{
    dsn: config.dsn,
    environment: config.environment,
    tracesSampleRate: config.config.tracesSampleRate,
    replaysSessionSampleRate: config.config.replaysSessionSampleRate,
    replaysOnErrorSampleRate: config.config.replaysOnErrorSampleRate,
  }});
}}"""


# --- CI and the browser loader ----------------------------------------------------------------


# The CI secret that holds the ci key (GitHub Actions secret / GitLab CI/CD variable).
CI_KEY_VARIABLE = "SENTRY_MANAGER_CI_KEY"
BUILD_DIR = "./dist"


def ci_credentials_url(base_url: str, slug: str, environment: str) -> str:
    path = reverse("sentry-ci-credentials", args=[slug])
    return f"{base_url.rstrip('/')}{path}?environment={environment}&format=env"


def ci_commands(url: str, release: str) -> list[str]:
    """The shell lines of a job: fetch the credentials into the environment, then sentry-cli."""
    return [
        f'curl -fsS -H "Authorization: Bearer ${CI_KEY_VARIABLE}" "{url}" -o .env.sentry',
        "set -a; . ./.env.sentry; set +a; rm .env.sentry",
        f"npx @sentry/cli sourcemaps inject {BUILD_DIR}",
        f'npx @sentry/cli sourcemaps upload --release "{release}" {BUILD_DIR}',
    ]


def _yaml_item(line: str) -> str:
    # A plain YAML scalar cannot hold ": " (the Authorization header); single quotes can.
    return "'" + line.replace("'", "''") + "'" if ": " in line else line


def github_actions(url: str) -> str:
    commands = ci_commands(url, "$GITHUB_SHA")
    # The token reaches the job's log only if something prints it; mask it all the same.
    commands.insert(2, 'echo "::add-mask::$SENTRY_AUTH_TOKEN"')
    run = "".join(f"    {line}\n" for line in commands)
    return (
        "# A step for your workflow (.github/workflows/…), after the one that builds "
        f"{BUILD_DIR}.\n"
        f"# Settings → Secrets and variables → Actions: add {CI_KEY_VARIABLE} (a ci key).\n"
        "- name: Upload source maps to Sentry\n"
        "  env:\n"
        f"    {CI_KEY_VARIABLE}: ${{{{ secrets.{CI_KEY_VARIABLE} }}}}\n"
        "  run: |\n"
        f"{run}"
    )


def gitlab_ci(url: str) -> str:
    script = "".join(f"    - {_yaml_item(line)}\n" for line in ci_commands(url, "$CI_COMMIT_SHA"))
    return (
        f"# In .gitlab-ci.yml. Settings → CI/CD → Variables: add {CI_KEY_VARIABLE} (a ci key),\n"
        "# masked and protected. The build job leaves its output as an artifact.\n"
        "sentry-sourcemaps:\n"
        "  stage: deploy\n"
        "  image: node:20\n"
        "  script:\n"
        f"{script}"
    )


def loader_url(base_url: str, loader_id: str) -> str:
    return f"{base_url.rstrip('/')}{reverse('sentry-loader', args=[loader_id])}"


def loader_tag(base_url: str, loader_id: str) -> str:
    """The tag as text to copy (templates escape it; it never runs on our pages)."""
    return f'<script src="{loader_url(base_url, loader_id)}" crossorigin="anonymous"></script>'
