"""`make bench`: the config endpoint against a bare JsonResponse view, on SQLite and PostgreSQL.

Both are served by the same gunicorn with the same settings; wrk drives a bounded loopback
load against each in turn, alternating for several short rounds so that a drift in the
machine's speed (a shared host) hits both alike. Prints the median requests/s, p50 and p99 of
each and the median of the rounds' config/bare ratios, and, for reference, the ratio of the
bare view plus one `SELECT 1` (what a single database round trip costs on this machine).
"""

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from tests.servers import ROOT, free_port, seed_project_with_key, start_gunicorn

DURATION = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sentry_manager_bench"
)


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def wrk(url: str, key: str | None) -> dict:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", url]
    if key:
        command[1:1] = ["-H", f"Authorization: Bearer {key}"]
    out = subprocess.run(command, capture_output=True, text=True, timeout=DURATION + 30).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        raise SystemExit(f"{url} answered errors during the bench:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
        "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def bench(label: str, database_url: str) -> float:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONFIG_ENDPOINT_RATE_PER_MINUTE": "1000000000",
        "ENV_FILE": str(ROOT / ".env"),
    }
    key = seed_project_with_key(
        env,
        slug="bench",
        dsn="https://0123456789abcdef0123456789abcdef@o123456.ingest.sentry.io/4501234567890",
        org="bench-org",
        sentry_project="bench-project",
    )
    port = free_port()
    server = start_gunicorn(env, port, workers=WORKERS)
    base = f"http://127.0.0.1:{port}"
    config_url = f"{base}/api/integrations/sentry/bench?environment=production"
    try:
        for _ in range(100):
            try:
                request = urllib.request.Request(
                    config_url, headers={"Authorization": f"Bearer {key}"}
                )
                urllib.request.urlopen(request, timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        # Warm both, then measure each in turn.
        subprocess.run(["wrk", "-t1", "-c2", "-d1s", f"{base}/bench/bare"], capture_output=True)
        subprocess.run(
            ["wrk", "-t1", "-c2", "-d1s", "-H", f"Authorization: Bearer {key}", config_url],
            capture_output=True,
        )
        rounds = []
        for _ in range(ROUNDS):
            rounds.append(
                (
                    wrk(f"{base}/bench/bare", None),
                    wrk(config_url, key),
                    wrk(f"{base}/bench/bare-select-1", None),
                )
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
    names = ("bare JsonResponse", "config endpoint", "bare + SELECT 1")
    for index, name in enumerate(names):
        figures = _medians([run[index] for run in rounds])
        line = f"{label:<11} {name:<18} {figures['rps']:>9.0f} {figures['p50']:>8.2f}"
        print(f"{line} {figures['p99']:>8.2f}")
    ratio = statistics.median(config["rps"] / bare["rps"] for bare, config, _floor in rounds)
    floor = statistics.median(floor["rps"] / bare["rps"] for bare, _config, floor in rounds)
    rounds_text = ", ".join(f"{config['rps'] / bare['rps']:.2f}" for bare, config, _ in rounds)
    print(f"{label:<11} ratio config/bare: {ratio:.2f} (rounds: {rounds_text})")
    print(f"{label:<11} ratio (bare + SELECT 1)/bare: {floor:.2f}")
    return ratio


def _medians(runs: list[dict]) -> dict:
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def main() -> int:
    if not shutil.which("wrk"):
        print(
            "error: wrk is needed (Debian package 'wrk'); `make bench` installs it", file=sys.stderr
        )
        return 2
    print(
        f"gunicorn {WORKERS} workers; wrk 1 thread, {CONNECTIONS} connections; "
        f"{ROUNDS} rounds of {DURATION} s on each endpoint, alternating; medians"
    )
    print(f"{'database':<11} {'endpoint':<18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    ratios = {}
    with tempfile.TemporaryDirectory() as tmp:
        ratios["SQLite"] = bench("SQLite", f"sqlite:///{tmp}/bench.sqlite3")
    ensure_postgres_database(POSTGRES_URL)
    ratios["PostgreSQL"] = bench("PostgreSQL", POSTGRES_URL)
    ok = all(ratio >= 0.85 for ratio in ratios.values())
    print("target: ratio >= 0.85 on both databases:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
