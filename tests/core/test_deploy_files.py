"""Cheap guards on the Dockerfile, .dockerignore and compose.yaml (Docker does not run here;
test_entrypoint.py runs what the image runs): the facts an operator relies on."""

import re

import pytest
import yaml

from tests.core.deploy import ROOT, dockerfile_env

DOCKERFILE = (ROOT / "Dockerfile").read_text()
INSTRUCTIONS = DOCKERFILE.replace("\\\n", " ")


def instruction(name):
    return [line[len(name) + 1 :] for line in INSTRUCTIONS.splitlines() if line.startswith(name)]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_the_image_is_slim_python_312_or_newer():
    [base] = instruction("FROM")
    version = re.fullmatch(r"python:3\.(\d+)-slim(-\w+)?", base.strip())
    assert version and int(version.group(1)) >= 12, base


def test_dependencies_come_from_the_lock_with_hashes():
    [install] = [run for run in instruction("RUN") if "pip install" in run]
    assert "--require-hashes" in install and "-r /tmp/requirements.lock" in install
    assert "COPY requirements.lock /tmp/requirements.lock" in DOCKERFILE


def test_static_files_are_collected_at_build_hashed_and_compressed():
    assert any("manage.py collectstatic --no-input" in run for run in instruction("RUN"))
    assert dockerfile_env()["STATICFILES_MANIFEST"] == "true"


def test_the_server_runs_as_a_user_that_is_not_root():
    [user] = instruction("USER")
    assert user.split(":")[0] not in ("root", "0")
    # Nothing runs after USER that would need root.
    assert DOCKERFILE.index("USER ") > max(m.start() for m in re.finditer(r"(?m)^RUN ", DOCKERFILE))


def test_the_healthcheck_asks_healthz_with_python():
    [check] = instruction("HEALTHCHECK")
    assert '"python", "-m", "sentry_manager.deploy.healthcheck"' in check
    source = (ROOT / "sentry_manager" / "deploy" / "healthcheck.py").read_text()
    assert "/healthz" in source and "urllib.request" in source


def test_the_entrypoint_is_the_script_the_tests_run():
    assert instruction("ENTRYPOINT") == ['["/app/sentry_manager/deploy/entrypoint.sh"]']
    assert instruction("CMD") == ['["web"]']


def test_secrets_and_local_state_stay_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    for name in (".env", ".git", ".venv", "var/", "tests/"):
        assert name in ignored


def test_compose_has_web_worker_postgresql_and_redis(compose):
    services = compose["services"]
    assert services["web"]["command"] == ["web"]
    assert services["worker"]["command"] == ["worker"]
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_compose_keeps_the_data_in_named_volumes(compose):
    assert set(compose["volumes"]) == {"postgres-data", "redis-data"}
    assert "postgres-data:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    assert "redis-data:/data" in compose["services"]["redis"]["volumes"]


def test_compose_reads_the_secrets_from_the_env_file(compose):
    for name in ("web", "worker", "migrate"):
        service = compose["services"][name]
        assert service["env_file"] == ".env"
        assert "SECRET_KEY" not in service["environment"]
    database_url = compose["services"]["web"]["environment"]["DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in database_url and "@postgres:5432/" in database_url
    assert compose["services"]["web"]["environment"]["CACHE_URL"] == "redis://redis:6379/0"


def test_compose_starts_the_app_once_the_database_is_migrated_and_healthy(compose):
    services = compose["services"]
    assert services["migrate"]["command"] == ["migrate"]
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}
        assert depends["postgres"] == depends["redis"] == {"condition": "service_healthy"}
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
