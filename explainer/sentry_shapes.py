"""Is what Sentry answered the shape its API documents? (A 200 with a list where an object
is expected, or `{}`, must be a clear error, not a 500 or an empty explanation.)"""


def describe_json(data) -> str:
    if isinstance(data, list):
        return "a JSON list" if data else "an empty JSON list"
    if isinstance(data, dict):
        return "a JSON object" if data else "an empty JSON object"
    return "JSON null" if data is None else f"a JSON {type(data).__name__}"


def shape_problem(data, kind, required=()) -> str | None:
    """None when `data` is a `kind` holding one of the `required` keys (with a value); else
    what it is instead, e.g. "an empty JSON object" or "a JSON object without id"."""
    required = (required,) if isinstance(required, str) else tuple(required)
    if isinstance(data, kind) and (
        not required or any(data.get(key) not in (None, "") for key in required)
    ):
        return None
    got = describe_json(data)
    if isinstance(data, dict) and data and required:
        got += f" without {' or '.join(required)}"
    return got
