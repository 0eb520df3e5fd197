"""Load generator for the GraphQL endpoint: a weighted mix of operations for a fixed time.

    python -m bench.load.loadgen --url http://127.0.0.1:8200/graphql/ \\
        --scenario bench.load.scenarios.smoke --data bench/results/fixtures.json \\
        --duration 20 --concurrency 16 [--processes 2] [--apq] [--json out.json]

Each worker (an asyncio task with a keep-alive connection) picks an operation by weight, sends
it, waits for the answer and repeats until the time is up. Printed: throughput, p50/p95/p99 and
max latency per operation, failures by kind, SQL queries per operation (when the server runs
with GRAPHQL_METRICS_IN_RESPONSE=1) and a per-second timeline (where an outage shows).

A request fails when the HTTP status is not 200, the body is not JSON, or the body has
top-level errors (other than the operation's `expected_codes`). With `--apq` the client
speaks Apollo's persisted-query protocol: the hash first, the text after a
PersistedQueryNotFound (both round trips count as one operation's latency).
"""

import argparse
import asyncio
import hashlib
import json
import multiprocessing
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.load import scenario as scenarios

ACCEPT = "application/graphql-response+json, application/json;q=0.9"


@dataclass
class Sample:
    operation: str
    started: float  # wall clock, so processes can be merged
    latency: float  # seconds
    status: int  # HTTP status, 0 for a transport error
    failure: str | None  # None when the answer is good
    sql: int | None
    apq_miss: bool = False
    outcome: str = "ok"  # "ok", or the payload error code(s) of a mutation that said no


def payload_codes(body) -> list[str]:
    """The codes of `errors` in the payloads of `data` (the mutation payload convention)."""
    data = (body or {}).get("data") if isinstance(body, dict) else None
    codes = []
    for value in (data or {}).values():
        if isinstance(value, dict) and isinstance(value.get("errors"), list):
            codes += [str(e.get("code")) for e in value["errors"] if isinstance(e, dict)]
    return codes


def percentile(sorted_values: list[float], share: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


def _failure(operation: scenarios.Operation, status: int, body) -> str | None:
    if status != 200:
        return f"HTTP {status}"
    if not isinstance(body, dict):
        return "not a GraphQL response"
    codes = [
        (error.get("extensions") or {}).get("code") or "NO_CODE"
        for error in body.get("errors") or ()
    ]
    unexpected = [code for code in codes if code not in operation.expected_codes]
    if unexpected:
        return unexpected[0]
    allowed = operation.allowed_payload_codes
    failing = [
        code
        for code in payload_codes(body)
        if code in operation.failing_payload_codes or (allowed is not None and code not in allowed)
    ]
    return f"payload {failing[0]}" if failing else None


async def _send(client, url, operation, variables, headers, apq: bool):
    payload = {"operationName": operation.name, "variables": variables}
    miss = False
    if apq:
        digest = hashlib.sha256(operation.query.encode()).hexdigest()
        extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
        response = await client.post(
            url, json={**payload, "extensions": extensions}, headers=headers
        )
        body = _json(response)
        codes = {(e.get("extensions") or {}).get("code") for e in (body or {}).get("errors") or ()}
        if "PERSISTED_QUERY_NOT_FOUND" not in codes:
            return response.status_code, body, miss
        miss = True
        payload = {**payload, "extensions": extensions}
    response = await client.post(url, json={**payload, "query": operation.query}, headers=headers)
    return response.status_code, _json(response), miss


def _json(response):
    try:
        return response.json()
    except ValueError:
        return None


async def _worker(args, ops, weights, data, seed, deadline, record_after, samples):
    rng = random.Random(seed)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    timeout = httpx.Timeout(args.timeout)
    async with httpx.AsyncClient(
        limits=limits, timeout=timeout, headers={"Accept": ACCEPT}
    ) as client:
        while time.monotonic() < deadline:
            operation = rng.choices(ops, weights)[0]
            variables = operation.variables(rng, data) if operation.variables else {}
            headers = operation.headers(rng, data) if operation.headers else {}
            wall, start = time.time(), time.perf_counter()
            try:
                status, body, miss = await _send(
                    client, args.url, operation, variables, headers, args.apq
                )
                failure = _failure(operation, status, body)
            except httpx.HTTPError as error:
                status, body, miss, failure = 0, None, False, type(error).__name__
            latency = time.perf_counter() - start
            if wall >= record_after:
                metrics = ((body or {}).get("extensions") or {}).get("metrics") or {}
                samples.append(
                    Sample(
                        operation.name,
                        wall,
                        latency,
                        status,
                        failure,
                        metrics.get("sqlQueries"),
                        miss,
                        "+".join(sorted(set(payload_codes(body)))) or "ok",
                    )
                )


async def _run(args, worker_count: int, seed: int) -> list[Sample]:
    module = scenarios.load(args.scenario)
    ops = scenarios.operations(module)
    weights = [op.weight for op in ops]
    data = json.loads(Path(args.data).read_text()) if args.data else {}
    start = time.monotonic()
    record_after = time.time() + args.warmup
    deadline = start + args.warmup + args.duration
    samples: list[Sample] = []
    await asyncio.gather(
        *(
            _worker(args, ops, weights, data, seed * 1000 + i, deadline, record_after, samples)
            for i in range(worker_count)
        )
    )
    return samples


def _process(args_and_share) -> list[Sample]:
    args, count, seed = args_and_share
    return asyncio.run(_run(args, count, seed))


def run(args) -> list[Sample]:
    processes = max(1, args.processes)
    shares = [
        args.concurrency // processes + (i < args.concurrency % processes) for i in range(processes)
    ]
    if processes == 1:
        return _process((args, shares[0], args.seed))
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        parts = pool.map(_process, [(args, n, args.seed + i) for i, n in enumerate(shares) if n])
    return [sample for part in parts for sample in part]


def report(samples: list[Sample], args) -> dict:
    if not samples:
        print("No samples: is the server up?", file=sys.stderr)
        return {}
    first = min(s.started for s in samples)
    elapsed = max(args.duration, max(s.started + s.latency for s in samples) - first)
    by_op: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_op[sample.operation].append(sample)
    rows = []
    for name in sorted(by_op, key=lambda n: -len(by_op[n])):
        group = by_op[name]
        latencies = sorted(s.latency * 1000 for s in group)
        sql = [s.sql for s in group if s.sql is not None]
        rows.append(
            {
                "operation": name,
                "count": len(group),
                "rps": len(group) / elapsed,
                "p50_ms": percentile(latencies, 0.50),
                "p95_ms": percentile(latencies, 0.95),
                "p99_ms": percentile(latencies, 0.99),
                "max_ms": latencies[-1],
                "failures": sum(1 for s in group if s.failure),
                "sql_per_op": sum(sql) / len(sql) if sql else None,
                "apq_misses": sum(1 for s in group if s.apq_miss),
            }
        )
    all_latencies = sorted(s.latency * 1000 for s in samples)
    total = {
        "operation": "TOTAL",
        "count": len(samples),
        "rps": len(samples) / elapsed,
        "p50_ms": percentile(all_latencies, 0.50),
        "p95_ms": percentile(all_latencies, 0.95),
        "p99_ms": percentile(all_latencies, 0.99),
        "max_ms": all_latencies[-1],
        "failures": sum(1 for s in samples if s.failure),
        "sql_per_op": None,
        "apq_misses": sum(1 for s in samples if s.apq_miss),
    }
    header = f"{'operation':24} {'count':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
    header += f"{'p99 ms':>8} {'max ms':>8} {'fail':>6} {'sql/op':>7}"
    print(f"\n{args.url}  {args.scenario}  {args.concurrency} clients, {elapsed:.1f}s measured")
    print(header)
    for row in [*rows, total]:
        sql = "-" if row["sql_per_op"] is None else f"{row['sql_per_op']:.1f}"
        print(
            f"{row['operation']:24} {row['count']:7d} {row['rps']:8.1f} {row['p50_ms']:8.1f} "
            f"{row['p95_ms']:8.1f} {row['p99_ms']:8.1f} {row['max_ms']:8.1f} "
            f"{row['failures']:6d} {sql:>7}"
        )
    outcomes = {
        name: Counter(s.outcome for s in group if not s.failure)
        for name, group in by_op.items()
        if any(s.outcome != "ok" for s in group)
    }
    for name, counts in outcomes.items():
        print(f"{name} answers: {dict(counts.most_common())}")
    failures = Counter(s.failure for s in samples if s.failure)
    statuses = Counter(s.status for s in samples)
    print(f"\nHTTP statuses: {dict(sorted(statuses.items()))}")
    print(f"failures: {dict(failures.most_common()) or 'none'}")
    if args.apq:
        print(f"APQ misses (text sent after PersistedQueryNotFound): {total['apq_misses']}")
    if statuses.get(429):
        print("Rate limits answered 429: serve with RATE_LIMIT_ANONYMOUS=0 RATE_LIMIT_USER=0 "
              "RATE_LIMIT_IP=0 to measure the application.")  # fmt: skip
    timeline = defaultdict(lambda: [0, 0])
    for sample in samples:
        second = int(sample.started - first)
        timeline[second][1 if sample.failure else 0] += 1
    print("\nper second (ok/failed): " + " ".join(
        f"{second}:{ok}/{failed}" for second, (ok, failed) in sorted(timeline.items())
    ))  # fmt: skip
    return {
        "rows": rows,
        "total": total,
        "statuses": statuses,
        "failures": failures,
        "outcomes": outcomes,
        "timeline": {str(k): v for k, v in sorted(timeline.items())},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8200/graphql/")
    parser.add_argument("--scenario", default="bench.load.scenarios.smoke")
    parser.add_argument("--data", help="JSON file handed to the variable generators")
    parser.add_argument("--duration", type=float, default=20, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=2, help="seconds run but not measured")
    parser.add_argument("--concurrency", type=int, default=16, help="clients in flight")
    parser.add_argument("--processes", type=int, default=1, help="client processes")
    parser.add_argument("--timeout", type=float, default=10, help="seconds per request")
    parser.add_argument("--apq", action="store_true", help="send persisted-query hashes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args(argv)
    results = report(run(args), args)
    if args.json and results:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 0 if results and not results["total"]["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
