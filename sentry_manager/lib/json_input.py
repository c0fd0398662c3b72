"""JSON from the outside world (API bodies, pasted events, webhooks), read safely.

`loads(raw)` accepts UTF-8 JSON nested at most MAX_DEPTH levels, whose strings and keys hold
no NUL character (PostgreSQL cannot store one) and no unpaired surrogate (no database can);
anything else is a JsonInputError naming where it is. It never recurses on the input: a body
nested 10,000 levels deep is refused, not a RecursionError.
"""

import json
import re

MAX_DEPTH = 64
# A JSON string token (an unrolled loop: linear, no backtracking) or a structural character.
TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]', re.S)


class JsonInputError(ValueError):
    """Why a body is refused; `path` is where (e.g. `exception.values[0].value`), if known."""

    def __init__(self, message: str, *, code: str = "malformed_json", path: str = "", reason=""):
        super().__init__(message)
        self.message, self.code, self.path = message, code, path
        self.reason = reason or message  # without "This is not valid JSON", for other wording

    @property
    def field(self) -> str:
        """The top-level field the problem is in ("" when the body itself is the problem)."""
        return re.split(r"[.\[]", self.path, maxsplit=1)[0] if self.path else ""


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _check_text(text: str, path: str, what: str = "value") -> None:
    where = f" in {path}" if path else ""
    if "\x00" in text:
        raise JsonInputError(
            f"The {what}{where} contains a NUL character (\\u0000), which cannot be stored; "
            "remove it.",
            code="nul_character",
            path=path,
        )
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise JsonInputError(
                f"The {what}{where} contains an unpaired surrogate (a \\ud800–\\udfff escape "
                "without its pair), which is not valid Unicode.",
                code="malformed_unicode",
                path=path,
            ) from None


def _too_deep(path: str, max_depth: int) -> JsonInputError:
    where = f" at {path[:200]}" if path else ""
    return JsonInputError(
        f"The JSON is nested more than {max_depth} levels deep{where}.",
        code="too_deep",
        path=path,
    )


def check(value, max_depth: int = MAX_DEPTH) -> None:
    """Walk a decoded value (without recursion) and raise JsonInputError at the first problem."""
    stack = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict):
            children = item.items()
        elif isinstance(item, list):
            children = enumerate(item)
        elif isinstance(item, str):
            _check_text(item, path)
            continue
        else:
            continue
        if depth > max_depth:
            raise _too_deep(path, max_depth)
        for key, child in children:
            child_path = _join(path, key)
            if isinstance(key, str):
                _check_text(key, child_path, "key")
            if isinstance(child, dict | list | str):
                stack.append((child, child_path, depth + 1))


def _deep_path(text: str, max_depth: int) -> str:
    """Where `text` first nests deeper than `max_depth` (a scan of its tokens; linear)."""
    frames = []  # [key or index, is_list] per open container
    last_string = None
    for match in TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            if len(frames) >= max_depth:
                break
            frames.append([0 if token == "[" else None, token == "["])
        elif token in "]}":
            if frames:
                frames.pop()
        elif token == ":":
            if frames and last_string is not None:
                frames[-1][0] = last_string
        elif token == ",":
            if frames and frames[-1][1]:
                frames[-1][0] += 1
        else:
            try:
                last_string = json.loads(token)
            except ValueError:
                last_string = token[1:-1]
    path = ""
    for key, _is_list in frames:
        if key is not None:
            path = _join(path, key)
    return path


def loads(raw: bytes | str, *, max_depth: int = MAX_DEPTH):
    """Decode and check a JSON document (see the module's docstring)."""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise JsonInputError(
                f"The body is not UTF-8 text (invalid byte at position {error.start}).",
                code="malformed_unicode",
            ) from None
    try:
        value = json.loads(raw)
    except RecursionError:
        raise _too_deep(_deep_path(raw, max_depth), max_depth) from None
    except ValueError as error:
        raise JsonInputError(f"This is not valid JSON: {error}", reason=str(error)) from None
    check(value, max_depth)
    return value
