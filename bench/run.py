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
# One client address sends all the load: the per-IP limits of production would refuse it.
for limit in ("RATE_LIMIT_ANONYMOUS", "RATE_LIMIT_USER", "RATE_LIMIT_IP"):
    os.environ.setdefault(limit, "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # a log line a request would be load of its own


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

    def cpu_seconds(self) -> float:
        """CPU time of the workers so far: the live ones, and the recycled ones (the master's
        children time)."""
        tick = os.sysconf("SC_CLK_TCK")

        def times(pid: int, fields: slice) -> int:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                return 0
            values = stat.rsplit(")", 1)[1].split()
            return sum(int(v) for v in values[fields])

        live = sum(times(pid, slice(11, 13)) for pid in self.worker_pids())  # utime, stime
        reaped = times(self.process.pid, slice(13, 15))  # cutime, cstime
        return (live + reaped) / tick

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
        "count": len(latencies),
        "latencies_ms": [seconds * 1000 for seconds in latencies],
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
        "latencies_ms": [seconds * 1000 for seconds in latencies],
        "failures": failures[0],
    }


def measure(server: Server, per_path: dict[str, list], args) -> dict[str, dict]:
    """The paths take turns, round after round, so the machine's other load falls on both
    alike: one client alone, `concurrency` clients (the maximum), then an open loop at half
    of each path's maximum."""
    port = server.port
    for requests in per_path.values():
        closed_loop(port, requests, args.concurrency, args.warmup)
    runs: dict[str, dict[str, list]] = {
        name: {"alone": [], "max": [], "half": [], "cpu_ms": []} for name in per_path
    }
    order = list(per_path)
    for round_ in range(args.rounds):
        for name in order if round_ % 2 == 0 else order[::-1]:
            requests = per_path[name]
            runs[name]["alone"].append(closed_loop(port, requests, 1, args.duration / 2))
            cpu_before = server.cpu_seconds()
            loaded = closed_loop(port, requests, args.concurrency, args.duration)
            cpu = server.cpu_seconds() - cpu_before
            runs[name]["max"].append(loaded)
            runs[name]["cpu_ms"].append(cpu * 1000 / max(1, loaded["count"]))
    for round_ in range(args.rounds):
        for name in order if round_ % 2 == 0 else order[::-1]:
            rate = statistics.median(r["rps"] for r in runs[name]["max"]) / 2
            runs[name]["half"].append(open_loop(port, per_path[name], rate, args.duration))
    return {name: summarize(run) for name, run in runs.items()}


def summarize(run: dict[str, list]) -> dict:
    def pooled(phase: str) -> tuple[float, float]:
        latencies = [ms for r in run[phase] for ms in r["latencies_ms"]]
        return statistics.median(latencies), percentile(latencies, 0.95)

    rps = [r["rps"] for r in run["max"]]
    return {
        "alone_ms": pooled("alone"),
        "max_rps": statistics.median(rps),
        "max_rps_range": (min(rps), max(rps)),
        "rps_rounds": rps,
        "half_rate": run["half"][0]["rate"],
        "half_ms": pooled("half"),
        "worker_cpu_ms": statistics.median(run["cpu_ms"]),
        "failures": sum(r["failures"] for phase in ("alone", "max", "half") for r in run[phase]),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="run", help="name of the data set, e.g. 10k")
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per phase")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each path")
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
            figures = measure(server, per_path, args)
            for path_name, requests in per_path.items():
                low, high, clean = count_queries(requests)
                figures[path_name] |= {"queries": [low, high], "clean": clean}
            results["operations"][operation] = figures
        memory.stopped.set()
        results["peak_worker_rss_mb"] = memory.peak_kib / 1024
    report(results)
    (results_dir / f"{args.label}.json").write_text(json.dumps(results, indent=2))
    return 0


def report(results: dict) -> None:
    print(f"\n== {results['label']}: gunicorn sync, {results['workers']} workers ==")
    print(
        f"{'':15} {'SQL':>3} {'alone p50/p95 ms':>17} {'max req/s (range)':>19} "
        f"{'ratio':>5} {'at half p50/p95 ms':>19} {'CPU ms/req':>10}"
    )
    for operation, paths in results["operations"].items():
        bare = paths["bare"]
        for path_name, f in paths.items():
            queries = f["queries"][0] if f["queries"][0] == f["queries"][1] else f["queries"]
            low, high = f["max_rps_range"]
            print(
                f"{operation + ' ' + path_name:15} {queries!s:>3} "
                f"{f['alone_ms'][0]:8.1f}/{f['alone_ms'][1]:<8.1f} "
                f"{f['max_rps']:5.0f} ({low:3.0f}-{high:3.0f}){'':5} "
                f"{f['max_rps'] / bare['max_rps']:5.2f} "
                f"{f['half_ms'][0]:9.1f}/{f['half_ms'][1]:<9.1f} "
                f"{f['worker_cpu_ms']:7.1f}"
                + ("" if f["clean"] and not f["failures"] else "  (errors!)")
            )
    print(f"peak RSS of one worker: {results['peak_worker_rss_mb']:.0f} MB")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
