"""`make run` (DEBUG on) prints each log line once, runserver's request lines included."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import logging
import django
django.setup()
logging.getLogger("django.request").warning("request-marker")
logging.getLogger("django.server").info("server-marker")
logging.getLogger("projects").warning("app-marker")
"""


def test_each_log_line_is_printed_once_in_development(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "sentry_manager.settings",
        "ENV_FILE": str(tmp_path / "none.env"),
        "DEBUG": "true",
        "SECRET_KEY": "x" * 50,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    for marker in ("request-marker", "server-marker", "app-marker"):
        assert result.stderr.count(marker) == 1, result.stderr
    assert "] server-marker" in result.stderr  # runserver's lines keep their timestamp
