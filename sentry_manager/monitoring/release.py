"""The release name events carry: APP_SENTRY_RELEASE, else the package version and git sha."""

import functools
import re
import tomllib
from importlib import metadata
from pathlib import Path

from django.conf import settings

PACKAGE = "sentry-manager"


def _package_version(base_dir: Path) -> str:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        pass
    try:
        with open(base_dir / "pyproject.toml", "rb") as file:
            return tomllib.load(file)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0.0.0"


def _git_sha(base_dir: Path) -> str:
    """The checked-out commit, read from the .git files (no subprocess); "" when unknown."""
    git = base_dir / ".git"
    try:
        if git.is_file():  # a worktree or submodule: "gitdir: <path>"
            git = (base_dir / git.read_text().split(":", 1)[1].strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head[4:].strip()
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text().strip()).resolve()
        for root in (git, common):
            if (root / ref).is_file():
                return (root / ref).read_text().strip()
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    except (OSError, IndexError):
        pass
    return ""


@functools.cache
def default_release() -> str:
    """`sentry-manager@<version>` plus `+<git sha>` when there is a checkout; computed once."""
    base_dir = Path(settings.BASE_DIR)
    release = f"{PACKAGE}@{_package_version(base_dir)}"
    sha = _git_sha(base_dir)
    if re.fullmatch(r"[0-9a-f]{40}", sha):
        release += f"+{sha[:12]}"
    return release


def release() -> str:
    return settings.APP_SENTRY_RELEASE or default_release()
