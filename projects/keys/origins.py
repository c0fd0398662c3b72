"""A key's allowed browser origins: normalised, bounded in number and length."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

MAX_ORIGINS = 20
MAX_ORIGIN_LENGTH = 200


def normalize_origins(origins) -> list[str]:
    """`https://app.example.com` style origins: scheme + host (+ port), nothing else; at most
    MAX_ORIGINS of them, each at most MAX_ORIGIN_LENGTH characters."""
    if isinstance(origins, str):
        if len(origins) > MAX_ORIGINS * (MAX_ORIGIN_LENGTH + 1):  # refused before splitting
            raise ValidationError(
                {
                    "allowed_origins": f"A key may list at most {MAX_ORIGINS} allowed origins "
                    f"of at most {MAX_ORIGIN_LENGTH} characters each."
                }
            )
        origins = origins.replace(",", " ").split()
    origins = list(origins or [])
    if len(origins) > MAX_ORIGINS:
        raise ValidationError(
            {
                "allowed_origins": f"A key may list at most {MAX_ORIGINS} allowed origins "
                f"({len(origins)} given); use one key per application."
            }
        )
    too_long = next((str(o) for o in origins if len(str(o)) > MAX_ORIGIN_LENGTH), None)
    if too_long is not None:
        raise ValidationError(
            {
                "allowed_origins": f"An origin is at most {MAX_ORIGIN_LENGTH} characters; "
                f"{too_long[:40]!r}… has {len(too_long)}."
            }
        )
    cleaned = []
    for origin in origins:
        origin = str(origin).strip().rstrip("/")
        parts = urlsplit(origin)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path
            or parts.query
            or parts.fragment
            or parts.username
        ):
            raise ValidationError(
                {
                    "allowed_origins": f"{origin!r} is not an origin; write it as "
                    "https://app.example.com (scheme, host and optional port, no path)."
                }
            )
        if origin not in cleaned:
            cleaned.append(origin.lower())
    return cleaned
