"""Remove secrets and personal data from Sentry events before anything leaves the server.

Two passes over any JSON-like value:

- by key: fields named like passwords, secrets, tokens, API keys, cookies, sessions or
  authorization headers (in dicts, in `[name, value]` pairs such as Sentry's headers and tags,
  and in `{"key": ..., "value": ...}` pairs) become `[filtered]`; the `user` context and frame
  local variables (`vars`) are dropped;
- by pattern, in every string: emails, IPv4/IPv6 addresses, bearer/basic credentials,
  `name=value` secrets, URL credentials and DSN public keys, AWS access keys, Sentry auth
  tokens, JWTs, PEM private keys and card numbers become typed placeholders (`[email]`,
  `[ip]`, `[token]`, ...) so the text stays readable.
"""

import ipaddress
import re

FILTERED = "[filtered]"
DROPPED_KEYS = {"user", "vars"}
SENSITIVE_KEY = re.compile(
    r"pass(word|wd|phrase)?$|^pwd$|secret|token|api[-_]?key|apikey|auth|cookie|session|"
    r"csrf|xsrf|credential|private[-_]?key|access[-_]?key|signature|^dsn$",
    re.IGNORECASE,
)
SECRET_NAME = (
    r"[\w-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|auth|credential|session[_-]?id"
    r"|access[_-]?key|private[_-]?key|csrf)[\w-]*"
)

PATTERNS = [
    (
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.S
        ),
        "[private-key]",
    ),
    # Cookies: the whole header value.
    (re.compile(r"(?i)\b((?:set-)?cookie\s*[:=]\s*)[^\r\n]+"), r"\1[cookie]"),
    # Authorization-like headers and credentials schemes.
    (
        re.compile(
            r"(?i)\b((?:proxy-)?authorization|x-api-key|x-auth-token|x-sentry-auth)"
            r"(\s*[:=]\s*)[^\r\n]+"
        ),
        r"\1\2[token]",
    ),
    (re.compile(r"(?i)\b(bearer|basic|token|digest)(\s+)[A-Za-z0-9._~+/=-]{6,}"), r"\1\2[token]"),
    # Sentry auth tokens (org and user), JWTs, AWS access keys.
    (re.compile(r"\bsntry[su]_[A-Za-z0-9+/=_.-]+"), "[token]"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"), "[token]"),
    (re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b"), "[aws-key]"),
    # Credentials in URLs, DSN public keys included: scheme://user:pass@host, scheme://key@host.
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@\"'<>]+@"), r"\1[credentials]@"),
    # `password=...`, `"api_key": "..."`, `secret: ...` in query strings, JSON text or logs.
    (
        re.compile(rf"(?i)\b({SECRET_NAME})([\"']?\s*[:=]\s*[\"']?)(?!\[)([^\s\"',;&}}\]]+)"),
        r"\1\2[filtered]",
    ),
    # Emails. Linear: a match starts only where a local part can start (not inside a run of
    # its characters), and every part is bounded, so nothing is rescanned on a long word.
    (
        re.compile(
            r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}"
            r"(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,63}"
        ),
        "[email]",
    ),
    (re.compile(r"\b[0-9a-fA-F]{64,}\b"), "[token]"),
]
IPV4 = re.compile(
    r"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.])"
)
IPV6_CANDIDATE = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{0,4}|[\d.]{7,15})(?![\w:])"
)
CARD_CANDIDATE = re.compile(r"(?<![\w.-])[3-6]\d{3}(?:[ -]?\d){9,15}(?![\w-])")


def _ipv6(match):
    text = match.group(0)
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return text
    return "[ip]"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _card(match):
    digits = re.sub(r"\D", "", match.group(0))
    if 13 <= len(digits) <= 19 and _luhn_ok(digits):
        return "[card]"
    return match.group(0)


def scrub_text(text: str) -> str:
    """Replace every secret or personal value in `text` with a typed placeholder."""
    if not text:
        return text
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    text = IPV4.sub("[ip]", text)
    if ":" in text:
        text = IPV6_CANDIDATE.sub(_ipv6, text)
    return CARD_CANDIDATE.sub(_card, text)


def is_sensitive_key(key) -> bool:
    if not isinstance(key, str):
        return False
    name = key.rsplit(":", 1)[-1].strip()  # Sentry's "sentry:user" tags
    return name.lower() == "user" or bool(SENSITIVE_KEY.search(name))


def scrub(value, _depth=0):
    """A scrubbed copy of any JSON-like value (dicts, lists, strings, numbers)."""
    if _depth > 64:
        return FILTERED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        if "key" in value and "value" in value and is_sensitive_key(value.get("key")):
            return {
                **{k: scrub(v, _depth + 1) for k, v in value.items() if k != "value"},
                "value": FILTERED,
            }
        result = {}
        for key, item in value.items():
            if isinstance(key, str) and key.lower() in DROPPED_KEYS:
                continue
            if is_sensitive_key(key):
                result[key] = FILTERED
            else:
                result[key] = scrub(item, _depth + 1)
        return result
    if isinstance(value, list | tuple):
        if len(value) == 2 and isinstance(value[0], str) and is_sensitive_key(value[0]):
            return [value[0], FILTERED]
        return [scrub(item, _depth + 1) for item in value]
    return value
