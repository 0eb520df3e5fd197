"""Search latency on a large data set next to a small one, measured side by side.

    .venv/bin/python -m bench.scale \\
        --small postgres://postgres@127.0.0.1:5432/rental_bench10k \\
        --large postgres://postgres@127.0.0.1:5432/rental_bench100k

Starts one production-style server (gunicorn, sync, two workers) per database and sends the
same PropertySearch requests (a city + dates + guests, first 20) to them in turn, one at a
time, so that whatever else the machine does falls on both alike. Prints the median and p95
latency of each, and their ratio; the bare view's too.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import django

from bench import run

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", required=True, help="DATABASE_URL of the small data set")
    parser.add_argument("--large", required=True, help="DATABASE_URL of the large data set")
    parser.add_argument("--port", type=int, default=8111, help="the large one's is port + 1")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    os.environ["DATABASE_URL"] = args.small
    sys.path.insert(0, str(ROOT))
    django.setup()
    requests = run.bodies("search", run.search_variables(random.Random(args.seed), 300))
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    servers = {}
    latencies: dict[tuple[str, str], list[float]] = {}
    try:
        for offset, (name, url) in enumerate((("small", args.small), ("large", args.large))):
            os.environ["DATABASE_URL"] = url
            servers[name] = run.Server(
                args.port + offset, 2, results_dir / f"gunicorn-scale-{name}.log"
            ).__enter__()
        for path_name, bodies in requests.items():
            for index in range(20):  # warm both
                for server in servers.values():
                    run.request(server.port, "POST", *bodies[index % len(bodies)])
            stop = time.monotonic() + args.seconds / 2
            index = 0
            while time.monotonic() < stop:
                path, body = bodies[index % len(bodies)]
                order = list(servers.items()) if index % 2 else list(servers.items())[::-1]
                for name, server in order:
                    started = time.perf_counter()
                    status, _ = run.request(server.port, "POST", path, body)
                    elapsed = (time.perf_counter() - started) * 1000
                    assert status == 200, (name, status)
                    latencies.setdefault((path_name, name), []).append(elapsed)
                index += 1
    finally:
        for server in servers.values():
            server.__exit__(None, None, None)
    print("\nPropertySearch (city + dates + guests, first 20), one request at a time")
    print(f"{'':9} {'small p50/p95 ms':>17} {'large p50/p95 ms':>17} {'ratio of medians':>17}")
    for path_name in requests:
        small, large = latencies[(path_name, "small")], latencies[(path_name, "large")]
        print(
            f"{path_name:9} {statistics.median(small):8.1f}/{run.percentile(small, 0.95):<8.1f} "
            f"{statistics.median(large):8.1f}/{run.percentile(large, 0.95):<8.1f} "
            f"{statistics.median(large) / statistics.median(small):10.2f}"
            f"   ({len(small)} requests each)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
