"""Index build time for the bundled corpus from scratch, warm search and answer latency in process,
and /api/search and /api/ask latency over HTTP on 127.0.0.1, over the dev questions.

    .venv/bin/python bench/build_and_search.py

A fresh data folder and a fresh vector cache are used (the converted model is reused: converting it
is a one-off of setup, timed separately). Each HTTP endpoint is measured on its own fresh server, so
the query-vector cache that /api/ask and /api/search share never helps the figures.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "gold" / "dev.jsonl"
CLI = str(Path(sys.executable).parent / "policyqa")


def stats(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.1f} ms, p95 {np.percentile(values, 95):.1f} ms (n={len(values)})"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def serve(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [CLI, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not come up")


def main() -> None:
    questions = [json.loads(line)["question"] for line in GOLD.open(encoding="utf-8")]
    warmups = ["安全生产责任制", "应急预案演练", "森林防火", "危险化学品", "消防安全检查"]
    real_cache = Path(os.environ.get("POLICYQA_CACHE_DIR", Path.home() / ".cache" / "policyqa"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cache = tmp / "cache"
        (cache / "models").mkdir(parents=True)
        for model in (real_cache / "models").glob("*"):
            (cache / "models" / model.name).symlink_to(model)
        env = {**os.environ, "POLICYQA_DATA_DIR": str(tmp / "data"), "POLICYQA_CACHE_DIR": str(cache)}
        t_ingest = timed([CLI, "ingest", "--json"], env)
        t_index = timed([CLI, "index", "--json"], env)
        print(
            f"from scratch, bundled corpus: ingest {t_ingest:.1f} s + index {t_index:.1f} s = {t_ingest + t_index:.1f} s (whole commands, model load included)"
        )

        os.environ.update({k: v for k, v in env.items() if k.startswith("POLICYQA_")})
        from service.engine import Engine
        from service.settings import Settings

        engine = Engine(Settings())
        engine.warm_up()
        engine.embedder.clear_query_cache()
        s_times, a_times = [], []
        for q in questions:
            t0 = time.perf_counter()
            engine.search(q, k=10)
            s_times.append((time.perf_counter() - t0) * 1000)
        engine.embedder.clear_query_cache()
        for q in questions:
            t0 = time.perf_counter()
            engine.ask(q)
            a_times.append((time.perf_counter() - t0) * 1000)
        print(f"in process, warm: search {stats(s_times)}; ask {stats(a_times)}")
        del engine

        for name, call in (
            ("/api/search", lambda c, url, q: c.get(url + "/api/search", params={"q": q, "k": 10})),
            ("/api/ask", lambda c, url, q: c.post(url + "/api/ask", json={"question": q})),
        ):
            proc, url = serve(env)
            try:
                with httpx.Client(timeout=30) as client:
                    for w in warmups:
                        call(client, url, w)
                    times = []
                    for q in questions:
                        t0 = time.perf_counter()
                        resp = call(client, url, q)
                        times.append((time.perf_counter() - t0) * 1000)
                        resp.raise_for_status()
                print(f"HTTP {name} on 127.0.0.1, warm server: {stats(times)}")
            finally:
                proc.terminate()
                proc.wait(timeout=30)
        shutil.rmtree(tmp / "data", ignore_errors=True)


if __name__ == "__main__":
    main()
