"""The image's environment on this machine: sentry_manager/deploy/entrypoint.sh run for real,
with the settings the Dockerfile sets, the virtualenv's programs first on PATH (as
/opt/venv/bin is in the image) and a SQLite file of the test's own."""

import base64
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "sentry_manager" / "deploy" / "entrypoint.sh"
VENV_BIN = Path(sys.executable).parent
HOST_NAME = "sentry-manager.example.com"


def dockerfile_env() -> dict[str, str]:
    """The variables the Dockerfile's ENV instructions set."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            found.update(re.findall(r"([A-Z_][A-Z0-9_]*)=(\S+)", line))
    return found


def image_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """What a container started from the image with an env file of secrets has: the
    Dockerfile's settings (DEBUG off, hashed static files), the secrets and host names."""
    image = dockerfile_env()
    env = {
        "PATH": f"{VENV_BIN}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
        **{
            name: image[name] for name in ("DEBUG", "STATICFILES_MANIFEST", "PORT") if name in image
        },
        # Paths of this machine instead of the image's /app/...
        "STATIC_ROOT": str(tmp_path / "staticfiles"),
        "ENV_FILE": "/nonexistent",
        # The env file's secrets and hosts.
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ENCRYPTION_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "ALLOWED_HOSTS": HOST_NAME,
        "SECURE_PROXY_SSL_HEADER": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.update(extra)
    return env


def entrypoint(env: dict, *args: str, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ENTRYPOINT), *args],
        cwd="/",  # the script finds the application itself
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
