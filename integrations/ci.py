"""CI credentials: what `sentry-cli` needs to upload source maps, handed to a ci key.

`ci_credentials(principal, slug, requested)` applies the rules — the access policy (only a ci
key of the project, within its environment), the project's default environment, an active
integration, a stored and readable auth token — and returns CiCredentials or raises
ConfigError (the config endpoint's error, with its status, code and message). The view in
api.py keeps HTTP: JSON or dotenv, `Cache-Control: no-store`.

The token in the answer is the reason this exists, so it is never logged here, and the view
answers nothing else with it.
"""

import re
from typing import NamedTuple

from projects import access
from projects.access import Action
from projects.services import environment_or_default

from . import config, crypto, services
from .config import ConfigError

# Values written bare in dotenv lines; anything else is single-quoted (shells and dotenv
# libraries read both; CI systems' own env files take bare values).
_BARE = re.compile(r"[A-Za-z0-9_./:@+=,-]*")


class CiCredentials(NamedTuple):
    auth_token: str
    org: str
    project: str
    url: str

    def as_json(self) -> dict:
        """The variables sentry-cli reads, by their names."""
        return {
            "SENTRY_AUTH_TOKEN": self.auth_token,
            "SENTRY_ORG": self.org,
            "SENTRY_PROJECT": self.project,
            "SENTRY_URL": self.url,
        }


def dotenv(variables: dict) -> str:
    """`NAME=value` lines, for `curl … > .env.sentry` and `set -a; . ./.env.sentry`."""
    lines = []
    for name, value in variables.items():
        value = str(value)
        if not _BARE.fullmatch(value):
            value = "'" + value.replace("'", "'\\''") + "'"
        lines.append(f"{name}={value}\n")
    return "".join(lines)


def ci_credentials(principal, slug: str, requested: str | None) -> CiCredentials:
    """The credentials of project `slug`'s integration for `requested` (the project's default
    environment when None), or ConfigError / Http404 / AccessRefused saying why not."""
    config.check_environment(requested)
    project = access.get_project(principal, Action.CI_CREDENTIALS, slug=slug)
    if not project.is_active:
        raise config.project_inactive(slug)
    environment = environment_or_default(requested, project.environment)
    access.require(principal, Action.CI_CREDENTIALS, environment)
    active = list(access.visible(principal, project.sentry_integrations.filter(is_active=True)))
    integration = next((row for row in active if row.environment == environment), None)
    if integration is None:
        raise config.no_integration(environment, (row.environment for row in active))
    try:
        token = services.read_auth_token(integration)
    except crypto.DecryptionError:
        raise ConfigError(
            409,
            "auth_token_undecryptable",
            f"The Sentry auth token stored for '{slug}' ({environment}) "
            f"{services.UNDECRYPTABLE_MESSAGE} Paste the token again on the project page "
            "(Edit the integration → Sentry auth token).",
        ) from None
    if token is None:
        raise ConfigError(
            404,
            "no_auth_token",
            f"The '{environment}' integration of '{slug}' has no Sentry auth token. Add one on "
            "the project page: Edit the integration and paste a token that may upload source "
            "maps (a Sentry organization token, or a user token with project:releases).",
        )
    # Issue 16's audit log hooks in here: "principal.api_key fetched the auth token of
    # integration". Until then the key's last_used_at (recorded when it authenticated) shows use.
    return CiCredentials(
        token, integration.org, integration.sentry_project, integration.api_base_url
    )
