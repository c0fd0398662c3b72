import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_fails_clearly_without_python_312(tmp_path):
    # A PATH with only an old (or no) python3 and an empty pyenv root.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "sh", "ls", "sort", "env"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "pyenv")}
    result = subprocess.run(
        [shutil.which("make"), "-s", "check-python"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("error: Python 3.12 or newer is needed")
    assert os.path.exists(ROOT / "Makefile")


def test_make_run_listens_where_port_and_host_say_and_the_readme_tells():
    result = subprocess.run(
        [shutil.which("make"), "-n", "run", "PORT=9123", "HOST=0.0.0.0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "runserver 0.0.0.0:9123" in result.stdout
    readme = (ROOT / "README.md").read_text()
    assert "make run PORT=9000" in readme and "HOST=0.0.0.0" in readme
