"""Load benchmark: a real `policyqa serve` on 127.0.0.1 under N concurrent clients for a fixed time
(bounded: it stops by itself), half asking /api/search and half /api/ask with questions of the
dev set. Prints throughput, p50/p95/p99 per route, errors, and the cores the server used.

    .venv/bin/python bench/load.py [--clients 32] [--seconds 60] [--workers 2] [--library seeds] [--json]

The server runs on the named evaluation library (built and cached by `policyqa eval --library`),
with the anonymous rate limit off (the clients share one address; the limit has its own tests).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.libraries import LIBRARIES, library_settings, prepare_library
from service.settings import SHARED_DIR, Settings

GOLD = SHARED_DIR / "gold" / "dev.jsonl"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its live children (the server's workers)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        proc, ppid = int(stat.parent.name), int(fields[1])
        if proc == pid or ppid == pid:
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def run_clients(
    base: str, ids: list[int], clients: int, stop_at: float, questions: list[str]
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Clients ``ids`` (threads of one process) until ``stop_at``: even ids search, odd ids ask."""
    latencies: dict[str, list[float]] = {"search": [], "ask": []}
    errors: dict[str, int] = {"search": 0, "ask": 0}
    lock = threading.Lock()

    def client(i: int) -> None:
        route = "search" if i % 2 == 0 else "ask"
        with httpx.Client(base_url=base, timeout=30) as http:
            n = i
            while time.time() < stop_at:
                q = questions[n % len(questions)]
                n += clients
                body = {"query": q, "k": 10} if route == "search" else {"question": q}
                t = time.perf_counter()
                try:
                    ok = http.post(f"/api/{route}", json=body).status_code == 200
                except httpx.HTTPError:
                    ok = False
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    if ok:
                        latencies[route].append(ms)
                    else:
                        errors[route] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--workers", type=int, default=0, help="server processes (0: one per core)")
    ap.add_argument("--library", default="seeds", choices=sorted(LIBRARIES))
    ap.add_argument("--processes", type=int, default=4, help="client processes sharing the clients")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    settings = library_settings(Settings(), LIBRARIES[args.library])
    prepare_library(Settings(), LIBRARIES[args.library])  # the index exists before the server starts
    port = free_port()
    env = {
        **os.environ,
        "POLICYQA_DATA_DIR": str(settings.data_dir),
        "POLICYQA_RATE_LIMIT_PER_S": "0",
    }
    cmd = [str(Path(sys.executable).parent / "policyqa"), "serve", "--port", str(port)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    workers = args.workers or settings.worker_count()
    # the server's log, read for each worker's start: a worker still loading the index accepts nothing,
    # so clients that connect as soon as the first one answers all stay on it (measured: every one of
    # 32 keep-alive connections on one of two workers, 1.1 cores used, in four of nine runs)
    with tempfile.TemporaryFile(mode="w+") as log_file:
        server = subprocess.Popen(cmd, env=env, stdout=log_file, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                log_file.seek(0)
                started = log_file.read().count("Application startup complete")
                try:
                    if started >= workers and httpx.get(base + "/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.5)
            else:
                raise SystemExit(f"the server's {workers} workers were not all ready in 300 s")
            questions = [json.loads(line)["question"] for line in GOLD.open(encoding="utf-8")]
            stop_at = time.time() + args.seconds
            # clients in several processes: one Python process of 32 threads is itself the bottleneck
            procs = max(1, min(args.processes, args.clients))
            groups = [list(range(i, args.clients, procs)) for i in range(procs)]
            cpu0, wall0 = cpu_seconds(server.pid), time.monotonic()
            with ProcessPoolExecutor(procs) as pool:
                parts = list(
                    pool.map(
                        run_clients,
                        [base] * procs,
                        groups,
                        [args.clients] * procs,
                        [stop_at] * procs,
                        [questions] * procs,
                    )
                )
            wall = time.monotonic() - wall0
            latencies: dict[str, list[float]] = {"search": [], "ask": []}
            errors: dict[str, int] = {"search": 0, "ask": 0}
            for lat, err in parts:
                for route in latencies:
                    latencies[route] += lat[route]
                    errors[route] += err[route]
            cores = (cpu_seconds(server.pid) - cpu0) / wall
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()

    result = {
        "library": args.library,
        "clients": args.clients,
        "seconds": round(wall, 1),
        "workers": workers,
        "server_cores_used": round(cores, 2),
        "machine_cores": len(os.sched_getaffinity(0)),
    }
    for route, times in latencies.items():
        result[route] = {
            "requests": len(times),
            "errors": errors[route],
            "per_s": round(len(times) / wall, 1),
            "p50_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(float(np.percentile(times, 95)), 1) if times else None,
            "p99_ms": round(float(np.percentile(times, 99)), 1) if times else None,
        }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for k, v in result.items():
            print(f"{k:>18}: {v}")


if __name__ == "__main__":
    main()
