"""What secrets and personal data look like in text: the detectors behind `redact_text`.

Each detector is a pattern, a check of what it matched (a card number must pass Luhn, an
address must parse, "Bearer token" is a word and not a credential) and the substrings without
which it cannot match (so most texts skip most patterns). See `sentry_manager.lib.secrets` for
the rules every pattern follows to stay linear in the length of the text.
"""

import binascii
import ipaddress
import re
from base64 import b64decode

from .secret_scans import Detector, Scan, key_values, pem_block

# Set-Cookie attributes: not secrets, and they say how the cookie behaves.
COOKIE_ATTRIBUTES = {
    "path",
    "domain",
    "expires",
    "max-age",
    "samesite",
    "secure",
    "httponly",
    "priority",
    "partitioned",
}

# --- Shapes -----------------------------------------------------------------------------------


def _whole(kind):
    return lambda match, mark: mark(kind)


def _has_digit_and_letter(value: str) -> bool:
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def _looks_like_credential(value: str, strict: bool) -> bool:
    """A random-looking token, not a word ("Bearer abc.def-1" yes, "Bearer token" no)."""
    if value.startswith("["):
        return False
    if len(value) >= 32 or (len(value) >= 16 and _has_digit_and_letter(value)):
        return True
    if strict:
        return False
    mixed_case = any(c.isupper() for c in value) and any(c.islower() for c in value)
    symbols = any(c in "._~+/=-" for c in value)
    return len(value) >= 6 and (any(c.isdigit() for c in value) or symbols or mixed_case)


def _basic_credentials(value: str) -> bool:
    try:
        decoded = b64decode(value + "=" * (-len(value) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in decoded


def _scheme_credential(match, mark):
    scheme, space, value = match.group(1), match.group(2), match.group(3)
    if match.string.startswith("…", match.end()):
        return None  # "Bearer smk_abc123_…": elided by whoever wrote it
    lowered = scheme.lower()
    if lowered == "basic" and _basic_credentials(value):
        return f"{scheme}{space}{mark('token')}"
    if _looks_like_credential(value, strict=lowered == "token"):
        return f"{scheme}{space}{mark('token')}"
    return None


def _cookie_header(match, mark):
    name, separator, region = match.group(1), match.group(2), match.group(3)
    parts = []
    for part in region.split(";"):
        if "=" not in part:
            whole = "=" in separator and not parts and part.strip()
            parts.append(part.replace(part.strip(), mark("filtered")) if whole else part)
            continue
        cookie, _, rest = part.partition("=")
        if cookie.strip().lower() in COOKIE_ATTRIBUTES or not rest.strip():
            parts.append(part)
            continue
        value, space, tail = rest.partition(" ")
        redacted = value if value.startswith("[") else mark("filtered")
        parts.append(f"{cookie}={redacted}{space}{tail}")
    return f"{name}{separator}{';'.join(parts)}"


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match, mark):
    digits = match.group(0).replace(" ", "").replace("-", "")
    return mark("card") if 13 <= len(digits) <= 19 and _luhn_ok(digits) else None


def _email(match, mark):
    domain = match.group(2)
    trailing = len(domain) - len(domain.rstrip("."))
    labels = domain.rstrip(".").split(".")
    tld = labels[-1]
    if len(labels) < 2 or not all(labels) or not (tld.isalpha() and len(tld) >= 2):
        return None
    return mark("email") + "." * trailing


_VERSION_CONTEXT = re.compile(r"(?:version|ver|v|release|build|rev|revision|firmware)[\s:=\"'#]*$")


def _ipv4(match, mark):
    text = match.group(0)
    octets = text.split(".")
    if any(int(octet) > 255 for octet in octets) or octets[0] in ("0", "127"):
        return None  # not an address, or loopback/unspecified: infrastructure, nobody's data
    before = match.string[max(0, match.start() - 24) : match.start()].lower()
    if _VERSION_CONTEXT.search(before) or before.rstrip().endswith(("==", ">=", "<=", "~=")):
        return None  # "Module version 1.2.3.4", "Version=4.2.2.0"
    return mark("ip")


def _ipv6(match, mark):
    text = match.group(0).rstrip(".")
    if not any(c.isdigit() for c in text):
        return None  # "Abc::Def" is a namespace
    try:
        address = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    if address.is_loopback or address.is_unspecified:
        return None
    return mark("ip") + match.group(0)[len(text) :]


def _phone(match, mark):
    digits = sum(c.isdigit() for c in match.group(0))
    return mark("phone") if 8 <= digits <= 15 else None


_B = r"(?<![\w-])"  # starts at a token boundary
DETECTORS = [
    Scan("private-key", pem_block, ("-----begin ",)),
    # Credentials in URLs, DSN public keys included: scheme://user:pass@host, scheme://key@host.
    Detector(
        "url-credentials",
        re.compile(r"(?i)(?<![\w+.-])([a-z][a-z0-9+.-]{0,30}://)[^/?#\s@\"'<>]{1,256}@"),
        lambda match, mark: f"{match.group(1)}{mark('credentials')}@",
        ("://",),
    ),
    Detector(
        "slack-webhook",
        re.compile(r"(?i)(hooks\.slack\.com/(?:services|workflows)/)[A-Za-z0-9_/-]{10,200}"),
        lambda match, mark: match.group(1) + mark("token"),
        ("hooks.slack.com",),
    ),
    Detector(
        "cookie",
        re.compile(r"(?i)(?<![\w-])((?:set-)?cookie)(\s{0,3}[:=]\s{0,3})([^\r\n\"'()<>]{1,4096})"),
        _cookie_header,
        ("cookie",),
    ),
    Scan("key-value", key_values, (":", "=")),
    Detector(
        "auth-scheme",
        re.compile(
            rf"{_B}(?i:(bearer|basic|digest|token))(\s{{1,3}})([A-Za-z0-9._~+/=-]{{6,4096}})"
        ),
        _scheme_credential,
        ("bearer", "basic", "digest", "token"),
    ),
    Detector(
        "sentry-token",
        re.compile(rf"{_B}sntry[su]_[A-Za-z0-9+/=_.-]{{16,4096}}"),
        _whole("token"),
        ("sntry",),
    ),
    Detector(
        "app-key",
        re.compile(rf"{_B}smk_[a-z0-9]{{4,32}}_[A-Za-z0-9_-]{{8,256}}"),
        _whole("token"),
        ("smk_",),
    ),
    Detector(
        "openai-key",
        re.compile(rf"{_B}sk-[A-Za-z0-9_-]{{16,600}}"),
        _whole("token"),
        ("sk-",),
    ),
    Detector(
        "stripe-key",
        re.compile(rf"{_B}(?:(?:sk|pk|rk)_(?:live|test)_|whsec_)[A-Za-z0-9]{{10,255}}"),
        _whole("token"),
        ("_live_", "_test_", "whsec_"),
    ),
    Detector(
        "github-token",
        re.compile(rf"{_B}(?:gh[pousr]_[A-Za-z0-9]{{30,255}}|github_pat_[A-Za-z0-9_]{{20,255}})"),
        _whole("token"),
        ("gh", "github_pat_"),
    ),
    Detector(
        "gitlab-token",
        re.compile(
            rf"{_B}gl(?:pat|dt|rt|ptt|ft|cbt|imt|oas|soat|agent|ffct)-[A-Za-z0-9_-]{{20,255}}"
        ),
        _whole("token"),
        ("gl",),
    ),
    Detector(
        "slack-token",
        re.compile(rf"{_B}(?:xox[abposre]|xapp)-[A-Za-z0-9-]{{10,255}}"),
        _whole("token"),
        ("xox", "xapp-"),
    ),
    Detector(
        "google-key",
        re.compile(rf"{_B}AIza[0-9A-Za-z_-]{{35}}(?![\w-])"),
        _whole("token"),
        ("aiza",),
    ),
    Detector(
        "aws-access-key",
        re.compile(
            r"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)"
            r"[A-Z0-9]{16}(?![A-Za-z0-9])"
        ),
        _whole("aws-key"),
        ("akia", "asia", "abia", "acca", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "apka"),
    ),
    Detector(
        "jwt",
        re.compile(
            rf"{_B}eyJ[A-Za-z0-9_-]{{4,4096}}\.[A-Za-z0-9_-]{{4,4096}}\.[A-Za-z0-9_-]{{0,4096}}"
        ),
        _whole("token"),
        ("eyj",),
    ),
    Detector(
        "email",
        re.compile(r"(?<![\w.%+-])([\w.%+-]{1,64})@([A-Za-z0-9.-]{1,253})"),
        _email,
        ("@",),
    ),
    Detector(
        "card",
        re.compile(
            r"(?<![\w.-])[2-6]\d{3}(?:(?P<sep>[ -]?)\d{4}(?P=sep)\d{4}(?P=sep)\d{1,7}"
            r"|[ -]?\d{6}[ -]?\d{5})(?![\w-])"
        ),
        _card,
        tuple("23456"),
    ),
    Detector(
        "phone",
        re.compile(
            r"(?<![\w+])\+\d[\d ().-]{6,20}\d(?!\w)"
            r"|(?<![\w(])(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4}(?![\w-])"
            r"|(?<![\w.])0[1-9](?:[ .]\d{2}){4}(?![\w.])"
        ),
        _phone,
        tuple("0123456789"),
    ),
    Detector(
        "ipv4",
        re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)"),
        _ipv4,
        (".",),
    ),
    Detector(
        "ipv6",
        re.compile(r"(?<![\w:.])[0-9A-Fa-f]{0,4}:[0-9A-Fa-f:.]{2,44}(?![\w:])"),
        _ipv6,
        (":",),
    ),
    Detector(
        "long-hex",
        re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{64,8192}(?![0-9A-Za-z])"),
        _whole("token"),
    ),
]


def typed(kind: str) -> str:
    return f"[{kind}]"


def redact_text(text, placeholder: str | None = None):
    """`text` with every secret or personal value found by shape replaced.

    The replacement names its kind (`[email]`, `[token]`, `[ip]`, ...) unless `placeholder`
    gives one text for all (self-monitoring uses Sentry's `[Filtered]`). Non-strings pass.
    """
    if not isinstance(text, str) or len(text) < 6:
        return text
    mark = typed if placeholder is None else (lambda kind: placeholder)
    # Triggers are tested on the text as it came: a placeholder never makes a new secret.
    lowered = text.lower()
    for detector in DETECTORS:
        text = detector.apply(text, lowered, mark)
    return text
