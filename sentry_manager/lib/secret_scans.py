"""Detectors that read the whole text rather than match one pattern: `name=value` pairs whose
name is sensitive, and PEM private keys. Also the two kinds of detector (`Detector`, `Scan`)
the table in `secret_shapes` is made of.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from .secret_keys import is_sensitive_key

Mark = Callable[[str], str]  # kind ("email", "token", ...) -> the placeholder to insert


@dataclass(frozen=True)
class Detector:
    """One kind of secret: a pattern, what to put instead, and when it is worth running."""

    name: str
    pattern: re.Pattern
    replace: Callable[[re.Match, Mark], str | None]  # None: not a secret after all
    triggers: tuple[str, ...] = ()  # lowercase substrings one of which must be in the text

    def apply(self, text: str, lowered: str, mark: Mark) -> str:
        if self.triggers and not any(trigger in lowered for trigger in self.triggers):
            return text

        def substitute(match):
            replaced = self.replace(match, mark)
            return match.group(0) if replaced is None else replaced

        return self.pattern.sub(substitute, text)


@dataclass(frozen=True)
class Scan:
    """A detector written as a function of the whole text (when a pattern alone is not enough)."""

    name: str
    function: Callable[[str, "Mark"], str]
    triggers: tuple[str, ...] = ()

    def apply(self, text: str, lowered: str, mark: "Mark") -> str:
        if self.triggers and not any(trigger in lowered for trigger in self.triggers):
            return text
        return self.function(text, mark)


# Values after `name:` that are a status, not a secret ("token: expired").
STATUS_WORDS = {
    "none",
    "null",
    "nil",
    "undefined",
    "true",
    "false",
    "yes",
    "no",
    "missing",
    "required",
    "invalid",
    "expired",
    "empty",
    "wrong",
    "incorrect",
    "unknown",
    "unset",
    "revoked",
    "ok",
    "set",
}


def _is_prose(value: str, after: str, quoted: bool) -> bool:
    """`password: must be at least 8 characters`: the words after the name are a message."""
    bare = value.strip()
    if bare.lower().rstrip(".!") in STATUS_WORDS:
        return True
    if quoted:
        return len(bare.split()) >= 3 and bare.endswith((".", "!"))
    return bare.isalpha() and re.match(r"\s{1,3}[A-Za-z]", after) is not None


_KEY_SEPARATOR = re.compile(
    r"(?<![\w.-])(?P<key>[A-Za-z_][\w.-]{0,63})(?P<sep>[\"']?\s{0,3}[:=]\s{0,3})"
)
_VALUE = re.compile(
    r"\"[^\"\r\n]{0,512}\"|'[^'\r\n]{0,512}'"
    r"|(?P<scheme>(?i:bearer|basic|digest|token|sentry)\s{1,3})?[^\s\"',;&)}\]<>]{1,4096}"
)


def _key_value_secret(text, key_match, value_match, mark) -> str | None:
    """The replacement of a sensitive name's value, or None to keep it."""
    separator, value = key_match.group("sep"), value_match.group(0)
    quote = value[0] if value[:1] in ("'", '"') else ""
    inner = value[1:-1] if quote else value
    scheme = value_match.group("scheme") or ""
    if not inner or inner.startswith("[") or inner.endswith("…"):
        return None  # empty, already replaced, or elided by whoever wrote it
    after = text[value_match.end() : value_match.end() + 8]
    if not scheme and ":" in separator and _is_prose(inner, after, bool(quote)):
        return None
    if not scheme and "=" in separator and inner.lower() in STATUS_WORDS:
        return None
    return f"{quote}{scheme}{mark('token' if scheme else 'filtered')}{quote}"


def key_values(text: str, mark) -> str:
    """`password=...`, `"api_key": "..."`, `Authorization: Bearer ...`, `X-Api-Key: ...`.

    Only `name` + separator is matched while scanning, so a name that is not sensitive
    (`https:` of a URL) does not swallow the `token=...` that follows it. A value is read only
    after a sensitive name, and names inside it are not looked at again: linear.
    """
    out, position, examined = [], 0, 0
    for key_match in _KEY_SEPARATOR.finditer(text):
        key = key_match.group("key")
        if key_match.start() < examined or not is_sensitive_key(key):
            continue
        if key.lower().replace("-", "_") in ("cookie", "set_cookie"):
            continue  # cookies have their own detector
        value_match = _VALUE.match(text, key_match.end())
        if value_match is None:
            continue
        examined = value_match.end()
        replacement = _key_value_secret(text, key_match, value_match, mark)
        if replacement is not None:
            out.append(text[position : key_match.end()] + replacement)
            position = value_match.end()
    out.append(text[position:])
    return "".join(out)


def pem_block(text: str, mark: Mark) -> str:
    """PEM private keys, BEGIN to END (or to the end of a truncated text); plain string search."""
    out, position = [], 0
    while True:
        begin = text.find("-----BEGIN ", position)
        if begin < 0:
            break
        header_end = text.find("-----", begin + 11)
        if header_end < 0 or header_end - begin > 80:
            out.append(text[position : begin + 11])
            position = begin + 11
            continue
        if not text[begin:header_end].endswith("PRIVATE KEY"):
            out.append(text[position : header_end + 5])
            position = header_end + 5
            continue
        end = text.find("-----END ", header_end)
        stop = len(text) if end < 0 else text.find("-----", end + 9)
        stop = len(text) if stop < 0 else stop + 5
        out.append(text[position:begin] + mark("private-key"))
        position = stop
    out.append(text[position:])
    return "".join(out)
