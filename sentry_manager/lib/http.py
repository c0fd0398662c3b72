"""Small HTTP helpers shared by the endpoints that answer with an ETag."""

import hashlib


def etag_for(body: bytes) -> str:
    """A strong ETag for `body`."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (weak or strong) or `*`."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return etag in tags or "*" in tags
