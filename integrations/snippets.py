"""The code an application runs to fetch its Sentry config: curl, Python, Node/Next.js.

The key is never in a snippet: each reads it from the SENTRY_MANAGER_KEY environment variable
(a config-level key, the only kind an application should ship).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

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
