"""`make bench`: the config endpoint against a bare JsonResponse view and its one-query floor.

Three set-ups, each served by gunicorn with production settings:

- SQLite, one node (2 workers), the local-memory cache — the embedded default;
- PostgreSQL, one node (2 workers), the local-memory cache;
- PostgreSQL + Redis, two nodes (1 worker each) sharing the database and the cache — the
  smallest scaled-out deployment; wrk drives both nodes at once and the figures are summed.

On each, wrk drives a bounded loopback load against three endpoints in turn — the bare view,
the config endpoint and the bare view plus one `SELECT 1` (the floor of any design that checks
the key against shared state on every request) — alternating for several short rounds so that
a drift in the machine's speed hits all alike, then a pass under 50 concurrent clients for the
p99. It prints medians and the config endpoint's ratios to the bare view and to the floor, and
exits non-zero when a target of DESIGN.md §7 / the issue is missed on a single-node set-up:
throughput ≥ 0.90 of the floor, p99 under 50 clients ≤ 2× the bare view's.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.servers import REDIS_URL, ROOT, gunicorn_servers, seed_project_with_key

DURATION = int(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
MANY_CLIENTS = 50
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sentry_manager_bench"
)
FLOOR_TARGET, P99_TARGET = 0.90, 2.0
BARE, CONFIG, FLOOR = "bare JsonResponse", "config endpoint", "bare + SELECT 1"


@dataclass(frozen=True)
class Setup:
    label: str
    database_url: str
    cache_url: str = "locmemcache://bench"
    nodes: int = 1
    workers: int = 2
    gated: bool = True  # its ratios decide the exit status


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _wrk_command(url: str, key: str | None, connections: int, seconds=DURATION) -> list[str]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if key:
        command[1:1] = ["-H", f"Authorization: Bearer {key}"]
    return command


def wrk(urls: list[str], key: str | None, connections: int) -> dict:
    """One wrk per node at once, `connections` shared among them: summed requests/s, the
    median of their p50s and the worst p99."""
    share = max(1, connections // len(urls))
    processes = [
        subprocess.Popen(_wrk_command(url, key, share), stdout=subprocess.PIPE, text=True)
        for url in urls
    ]
    outputs = [process.communicate(timeout=DURATION + 30)[0] for process in processes]
    figures = []
    for url, out in zip(urls, outputs, strict=True):
        if re.search(r"Non-2xx or 3xx responses: (\d+)", out) or "Socket errors" in out:
            raise SystemExit(f"{url} answered errors during the bench:\n{out}")
        figures.append(
            {
                "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
                "p50": _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),
                "p99": _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),
            }
        )
    return {
        "rps": sum(figure["rps"] for figure in figures),
        "p50": statistics.median(figure["p50"] for figure in figures),
        "p99": max(figure["p99"] for figure in figures),
    }


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def bench(setup: Setup, log_dir: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DATABASE_URL": setup.database_url,
        "CACHE_URL": setup.cache_url,
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
    # Each node answers /healthz before the load starts (tests/servers.py, as in tests/scale).
    with gunicorn_servers(env, log_dir, setup.nodes, setup.workers) as bases:
        urls = {
            BARE: ([f"{base}/bench/bare" for base in bases], None),
            CONFIG: (
                [f"{base}/api/integrations/sentry/bench?environment=production" for base in bases],
                key,
            ),
            FLOOR: ([f"{base}/bench/bare-select-1" for base in bases], None),
        }
        for node_urls, node_key in urls.values():  # warm every worker
            for url in node_urls:
                subprocess.run(_wrk_command(url, node_key, 4, 1), check=True, capture_output=True)
        rounds = [
            {name: wrk(*urls[name], CONNECTIONS) for name in (BARE, CONFIG, FLOOR)}
            for _ in range(ROUNDS)
        ]
        # p99 is the most easily disturbed figure on a shared machine: as many rounds.
        many = [
            {name: wrk(*urls[name], MANY_CLIENTS) for name in (BARE, CONFIG)} for _ in range(ROUNDS)
        ]
    return report(setup, rounds, many)


def report(setup: Setup, rounds: list[dict], many: list[dict]) -> dict:
    label = setup.label
    for name in (BARE, CONFIG, FLOOR):
        figures = {
            figure: statistics.median(run[name][figure] for run in rounds)
            for figure in ("rps", "p50", "p99")
        }
        print(
            f"{label:<26} {name:<18} {figures['rps']:>8.0f} {figures['p50']:>7.2f} "
            f"{figures['p99']:>7.2f}"
        )
    to_bare = statistics.median(run[CONFIG]["rps"] / run[BARE]["rps"] for run in rounds)
    floor = statistics.median(run[FLOOR]["rps"] / run[BARE]["rps"] for run in rounds)
    to_floor = statistics.median(run[CONFIG]["rps"] / run[FLOOR]["rps"] for run in rounds)
    p99 = {name: statistics.median(run[name]["p99"] for run in many) for name in (BARE, CONFIG)}
    p99_ratio = p99[CONFIG] / p99[BARE]
    rounds_text = ", ".join(f"{run[CONFIG]['rps'] / run[FLOOR]['rps']:.2f}" for run in rounds)
    print(f"{label:<26} config/bare {to_bare:.2f}; floor (bare + SELECT 1)/bare {floor:.2f}")
    print(f"{label:<26} config/floor {to_floor:.2f} (rounds: {rounds_text})")
    print(
        f"{label:<26} {MANY_CLIENTS} clients: p99 bare {p99[BARE]:.2f} ms, config "
        f"{p99[CONFIG]:.2f} ms, ratio {p99_ratio:.2f}"
    )
    return {"to_floor": to_floor, "p99_ratio": p99_ratio}


def main() -> int:
    if not shutil.which("wrk"):
        print("error: wrk is needed (Debian's wrk); `make bench` installs it", file=sys.stderr)
        return 2
    print(
        f"wrk 1 thread a node, {CONNECTIONS} connections in all; {ROUNDS} rounds of {DURATION} s "
        f"on each endpoint, alternating; then {MANY_CLIENTS} clients for the p99; medians"
    )
    print(f"{'set-up':<26} {'endpoint':<18} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        setups = [
            Setup("SQLite, 1 node", f"sqlite:///{tmp}/bench.sqlite3"),
            Setup("PostgreSQL, 1 node", POSTGRES_URL),
            Setup("PostgreSQL+Redis, 2 nodes", POSTGRES_URL, REDIS_URL, 2, 1, gated=False),
        ]
        for setup in setups:
            if setup.database_url.startswith("postgres"):
                ensure_postgres_database(setup.database_url)
            if setup.cache_url.startswith("redis"):
                import redis

                redis.Redis.from_url(setup.cache_url).flushdb()
            results[setup] = bench(setup, Path(tmp))
    ok = True
    for setup, result in results.items():
        throughput = result["to_floor"] >= FLOOR_TARGET
        p99 = result["p99_ratio"] <= P99_TARGET
        ok = ok and ((throughput and p99) or not setup.gated)
        print(
            f"{setup.label:<26} target throughput ≥ {FLOOR_TARGET} of floor: "
            f"{'met' if throughput else 'NOT met'} ({result['to_floor']:.2f}); p99 ≤ "
            f"{P99_TARGET}× bare: {'met' if p99 else 'NOT met'} ({result['p99_ratio']:.2f})"
            f"{'' if setup.gated else ' — reported only'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
