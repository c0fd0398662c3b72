"""DATABASE_URL and the connection options derived from it."""

from tests.core.test_security_settings import run_manage

PRINT_OPTIONS = (
    "from django.conf import settings as s; d = s.DATABASES['default']; "
    "o = d.get('OPTIONS', {}); "
    "print(d['CONN_MAX_AGE'], o.get('server_side_binding'), o.get('prepare_threshold'))"
)
POSTGRES = {"DATABASE_URL": "postgres://app@db.example.com:5432/sentry_manager"}


def options(**env):
    result = run_manage("shell", "--no-imports", "-c", PRINT_OPTIONS, env_overrides=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_postgresql_keeps_plans_of_repeated_statements_by_default():
    assert options(**POSTGRES) == ["60", "True", "5"]


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler():
    env = {**POSTGRES, "DATABASE_PREPARED_STATEMENTS": "false"}
    assert options(**env) == ["60", "None", "None"]


def test_sqlite_has_no_postgresql_options():
    assert options(DATABASE_URL="sqlite:///var/other.sqlite3") == ["60", "None", "None"]
