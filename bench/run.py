"""Benchmark PropertySearch and PropertyDetail against bare Django views running the same SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rental_bench10k \\
        .venv/bin/python -m bench.run --label 10k --port 8101

For each operation and each server path (the GraphQL endpoint, the bare view) it prints:
SQL statements per request (counted in process), throughput with gunicorn (sync, two
workers: the production setup, backend/gunicorn.conf.py) under a closed loop of
`--concurrency` clients, median and p95 latency at half of that throughput (an open loop: a
request every 1/rate seconds whatever the answers, so slow answers are not hidden), median and
p95 of one client alone, and the peak RSS of one worker. Results also go to
bench/results/<label>.json. The load generator runs on the same machine (a few per cent of a
core).
"""

import argparse
import http.client
import json
import os
import queue
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-with-enough-bytes-0123456789")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


# --- requests -----------------------------------------------------------------------------------


def search_variables(rng: random.Random, count: int) -> list[dict]:
    """City + dates + guests, first 20: cities weighted as the data, stays 2-7 nights starting
    within three months."""
    from backend.demo_data import pick_city

    today = date.today()
    result = []
    for _ in range(count):
        check_in = today + timedelta(days=rng.randint(1, 90))
        result.append(
            {
                "filter": {
                    "city": pick_city(rng).name,
                    "checkIn": check_in.isoformat(),
                    "checkOut": (check_in + timedelta(days=rng.randint(2, 7))).isoformat(),
                    "guests": rng.randint(1, 4),
                },
                "first": 20,
            }
        )
    return result


def detail_variables(rng: random.Random, count: int) -> list[dict]:
    from strawberry.relay import to_base64

    from domains.properties.selectors import published_properties

    ids = list(published_properties().values_list("pk", flat=True))
    return [{"id": to_base64("Property", pk), "reviewsFirst": 5} for pk in rng.sample(ids, count)]


def bodies(operation: str, variables: list[dict]) -> dict[str, list[tuple[str, bytes]]]:
    """(path, body) per server path."""
    from tests.domains.properties.documents import DETAIL, SEARCH

    document = {"search": SEARCH, "detail": DETAIL}[operation]
    name = {"search": "PropertySearch", "detail": "PropertyDetail"}[operation]
    return {
        "graphql": [
            (
                "/graphql/",
                json.dumps({"query": document, "operationName": name, "variables": v}).encode(),
            )
            for v in variables
        ],
        "bare": [(f"/bench/{operation}", json.dumps(v).encode()) for v in variables],
    }


def count_queries(requests: list[tuple[str, bytes]]) -> tuple[int, int, bool]:
    """SQL statements of the first and the largest-page request, in process; and whether
    every answer is free of errors."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts, clean = [], True
    for path, body in requests[:10]:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(path, body, content_type="application/json")
        answer = response.json()
        clean = clean and response.status_code == 200 and "errors" not in answer
        counts.append(len(captured))
    return min(counts), max(counts), clean


# --- the server ---------------------------------------------------------------------------------


class Server:
    def __init__(self, port: int, workers: int, log: Path) -> None:
        self.port, self.workers, self.log = port, workers, log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        env = dict(os.environ, GUNICORN_BIND=f"127.0.0.1:{self.port}")
        env["GUNICORN_WORKERS"] = str(self.workers)
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "backend.wsgi:application",
                "-c",
                str(ROOT / "backend" / "gunicorn.conf.py"),
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _ = request(self.port, "GET", "/healthz", None)
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


class PeakMemory(threading.Thread):
    """Samples the resident set size of every worker (they are recycled after
    GUNICORN_MAX_REQUESTS) and keeps the largest."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server, self.peak_kib, self.stopped = server, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            for pid in self.server.worker_pids():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kib = max(self.peak_kib, int(line.split()[1]))


def request(port: int, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


# --- load ---------------------------------------------------------------------------------------


def closed_loop(port: int, requests: list, clients: int, seconds: float) -> dict:
    """`clients` clients sending back to back: the most the server does."""
    latencies, failures, stop = [], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def client(offset: int) -> None:
        index = offset
        while time.monotonic() < stop:
            path, body = requests[index % len(requests)]
            index += clients
            started = time.perf_counter()
            status, _ = request(port, "POST", path, body)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    failures[0] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "rps": len(latencies) / (time.monotonic() - started),
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "failures": failures[0],
    }


def open_loop(port: int, requests: list, rate: float, seconds: float, pool: int = 16) -> dict:
    """A request every 1/rate s on schedule; latency counts from the scheduled start."""
    schedule: queue.Queue = queue.Queue()
    start = time.perf_counter() + 0.1
    total = int(rate * seconds)
    for i in range(total):
        schedule.put((start + i / rate, requests[i % len(requests)]))
    latencies, failures = [], [0]
    lock = threading.Lock()

    def sender() -> None:
        while True:
            try:
                due, (path, body) = schedule.get_nowait()
            except queue.Empty:
                return
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            status, _ = request(port, "POST", path, body)
            with lock:
                latencies.append(time.perf_counter() - due)
                if status != 200:
                    failures[0] += 1

    threads = [threading.Thread(target=sender) for _ in range(pool)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "rate": rate,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "failures": failures[0],
    }


def measure(port: int, requests: list, args) -> dict:
    closed_loop(port, requests, args.concurrency, args.warmup)
    alone = closed_loop(port, requests, 1, args.duration / 2)
    loaded = closed_loop(port, requests, args.concurrency, args.duration)
    half = open_loop(port, requests, loaded["rps"] / 2, args.duration)
    return {"alone": alone, "max": loaded, "half": half}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="run", help="name of the data set, e.g. 10k")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per phase")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--only", choices=["search", "detail"])
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    django.setup()

    rng = random.Random(args.seed)
    operations = [args.only] if args.only else ["search", "detail"]
    variables = {"search": search_variables(rng, 300), "detail": detail_variables(rng, 300)}
    results: dict = {"label": args.label, "workers": args.workers, "operations": {}}
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(exist_ok=True)
    with Server(args.port, args.workers, results_dir / f"gunicorn-{args.label}.log") as server:
        memory = PeakMemory(server)
        memory.start()
        for operation in operations:
            per_path = bodies(operation, variables[operation])
            results["operations"][operation] = {}
            for path_name, requests in per_path.items():
                low, high, clean = count_queries(requests)
                figures = measure(args.port, requests, args)
                figures |= {"queries": [low, high], "clean": clean}
                results["operations"][operation][path_name] = figures
        memory.stopped.set()
        results["peak_worker_rss_mb"] = memory.peak_kib / 1024
    report(results)
    (results_dir / f"{args.label}.json").write_text(json.dumps(results, indent=2))
    return 0


def report(results: dict) -> None:
    print(f"\n== {results['label']}: gunicorn sync, {results['workers']} workers ==")
    header = (
        f"{'':18} {'SQL':>5} {'alone p50/p95 ms':>17} {'max req/s':>10} "
        f"{'at half: p50/p95 ms':>20} {'ratio':>6}"
    )
    print(header)
    for operation, paths in results["operations"].items():
        bare_rps = paths["bare"]["max"]["rps"]
        for path_name, f in paths.items():
            queries = f["queries"][0] if f["queries"][0] == f["queries"][1] else f["queries"]
            print(
                f"{operation + ' ' + path_name:18} {queries!s:>5} "
                f"{f['alone']['p50_ms']:8.1f}/{f['alone']['p95_ms']:<8.1f} "
                f"{f['max']['rps']:10.0f} "
                f"{f['half']['p50_ms']:10.1f}/{f['half']['p95_ms']:<9.1f} "
                f"{f['max']['rps'] / bare_rps:6.2f}"
                + ("" if f["clean"] and not f["max"]["failures"] else "  (errors!)")
            )
    print(f"peak RSS of a worker: {results['peak_worker_rss_mb']:.0f} MB")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
