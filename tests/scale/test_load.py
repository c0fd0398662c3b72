"""A bounded loopback load on the config endpoint through both nodes: 50 concurrent clients
for a few seconds, every request answered 200 with the config (the per-key throttle raised for
this test, as an operator raises it for a busy application: its counter, batched per process,
still runs on every request). Throughput and latency are printed, not asserted: they depend on
the machine."""

import statistics
import threading
import time

import requests

CLIENTS = 50
SECONDS = 12
# A floor far below what two nodes serve on any machine (hundreds a second on two cores): the
# load really ran, and nothing stalled for the whole run.
MINIMUM_REQUESTS = 50 * SECONDS
CLUSTER_SETTINGS = {"CONFIG_ENDPOINT_RATE_PER_MINUTE": "1000000"}
WEB_WORKERS = 2


def client(number, nodes, world, stop_at, results):
    """One application polling its config, node A and node B in turn, until `stop_at`."""
    headers = {"Authorization": f"Bearer {world['configKey']}"}
    path = f"/api/integrations/sentry/{world['slug']}?environment=production"
    latencies, errors = [], []
    with requests.Session() as session:
        turn = number
        while time.monotonic() < stop_at:
            base = nodes[turn % 2]
            turn += 1
            started = time.perf_counter()
            try:
                answer = session.get(base + path, headers=headers, timeout=10)
            except requests.RequestException as error:
                errors.append(f"{base}: {type(error).__name__}: {error}")
                continue
            latencies.append(time.perf_counter() - started)
            if answer.status_code != 200 or answer.json()["environment"] != "production":
                errors.append(f"{base}: {answer.status_code} {answer.text[:200]}")
    results[number] = (latencies, errors)


def test_fifty_clients_through_both_nodes_get_no_error(cluster, world):
    for base in cluster.nodes:  # both nodes answer before the clock starts
        warm = requests.get(
            f"{base}/api/integrations/sentry/{world['slug']}?environment=production",
            headers={"Authorization": f"Bearer {world['configKey']}"},
            timeout=10,
        )
        assert warm.status_code == 200, warm.text

    results = {}
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=client, args=(number, cluster.nodes, world, started + SECONDS, results)
        )
        for number in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 30)
    elapsed = time.monotonic() - started

    assert len(results) == CLIENTS, "a client thread did not finish"
    latencies = sorted(latency for found, _ in results.values() for latency in found)
    errors = [error for _, found in results.values() for error in found]
    count = len(latencies)
    p99 = latencies[min(count - 1, int(count * 0.99))] if latencies else float("nan")
    print(
        f"\nconfig endpoint, {CLIENTS} clients, 2 nodes x {WEB_WORKERS} gunicorn workers, "
        f"{elapsed:.1f} s: {count} requests, {count / elapsed:.0f} req/s, "
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"{len(errors)} errors"
    )
    assert not errors, f"{len(errors)} errors, e.g. {errors[:5]}"
    assert count >= MINIMUM_REQUESTS, f"only {count} requests in {elapsed:.1f} s"
