"""What self-monitoring sends is scrubbed here: `before_send` and `before_breadcrumb`."""

import re

FILTERED = "[Filtered]"

_SENSITIVE_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pwd",
        "secret",
        "token",
        "authorization",
        "cookie",
        "cookies",
        "dsn",
        "apikey",
        "csrftoken",
        "sessionid",
        "credential",
        "credentials",
    }
)
_SENSITIVE_PHRASES = ("api_key", "access_key", "private_key", "set_cookie", "session_id")
_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")

_SECRET_PATTERNS = [
    # Sentry organization and user auth tokens.
    (re.compile(r"\bsntry[su]_[A-Za-z0-9_+/=.\-]+"), FILTERED),
    # API keys of this app: smk_<prefix>_<secret>.
    (re.compile(r"\bsmk_[A-Za-z0-9_\-]+"), FILTERED),
    # OpenAI-style API keys.
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"), FILTERED),
    # JSON Web Tokens.
    (re.compile(r"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"), FILTERED),
    # Authorization header values.
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]+"), rf"\1 {FILTERED}"),
    # Credentials in URLs, DSN public keys included: https://<key>@host/1.
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/\s:@]+(?::[^/\s@]*)?@"), rf"\1{FILTERED}@"),
    # name=value pairs (query strings, form bodies, log lines) with a secret-looking name.
    (
        re.compile(
            r"(?i)(?<![a-z0-9_\-])([a-z0-9_\-]*(?:password|secret|token|api_?key|dsn|sessionid)"
            r"[a-z0-9_\-]*)=[^&;\s\"']+"
        ),
        rf"\1={FILTERED}",
    ),
]


def is_sensitive_key(key) -> bool:
    """Whether a dict key (header, variable, field name) names something secret."""
    if not isinstance(key, str):
        return False
    name = _NON_WORD.sub("_", _CAMEL_BOUNDARY.sub("_", key).lower())
    return bool(_SENSITIVE_WORDS.intersection(name.split("_"))) or any(
        phrase in name for phrase in _SENSITIVE_PHRASES
    )


def scrub_string(text: str) -> str:
    for pattern, replacement in _SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _filtered(value):
    # Booleans and absent values say nothing secret ("hasAuthToken": true stays readable).
    return value if value is None or isinstance(value, bool) else FILTERED


def scrub(value, _depth: int = 0):
    """A copy of `value` with secrets replaced by "[Filtered]", at any depth."""
    if _depth > 64:
        return value
    if isinstance(value, str):
        return scrub_string(value)
    if isinstance(value, dict):
        return {
            key: _filtered(item) if is_sensitive_key(key) else scrub(item, _depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        # Header lists: [["Authorization", "Bearer ..."], ...]
        if len(value) == 2 and is_sensitive_key(value[0]):
            return type(value)([value[0], _filtered(value[1])])
        return type(value)(scrub(item, _depth + 1) for item in value)
    return value


def scrub_event(event, hint):
    """`before_send` / `before_send_transaction`: the event without secrets."""
    return scrub(event)


def scrub_breadcrumb(crumb, hint):
    """`before_breadcrumb`: the breadcrumb without secrets."""
    return scrub(crumb)
