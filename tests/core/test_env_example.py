"""Every setting read from the environment is documented in .env.example and the README."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""")


def settings_read_from_the_environment() -> set[str]:
    return set(READ.findall((ROOT / "sentry_manager" / "settings.py").read_text()))


def test_every_setting_is_in_env_example_with_a_comment():
    example = (ROOT / ".env.example").read_text()
    names = settings_read_from_the_environment()
    assert len(names) > 10
    missing = sorted(name for name in names if not re.search(rf"(?m)^#? ?{name}=", example))
    assert missing == [], f"not in .env.example: {missing}"


def test_every_setting_is_named_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in settings_read_from_the_environment() if name not in readme)
    assert missing == [], f"not explained in README.md: {missing}"
