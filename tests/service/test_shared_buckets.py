"""The rate limit holds for a server as a whole: worker processes share their buckets through a file."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from service.api.shared_buckets import SharedTokenBuckets


def test_two_workers_draw_from_the_same_bucket(tmp_path):
    path = tmp_path / "rate-limit.sqlite"
    one, two = SharedTokenBuckets(path, rate=2.0, burst=3), SharedTokenBuckets(path, rate=2.0, burst=3)
    assert [one.take("a", 100.0), two.take("a", 100.0), one.take("a", 100.0)] == [0.0, 0.0, 0.0]
    assert two.take("a", 100.0) == pytest.approx(0.5)  # the burst is spent across both
    assert one.take("b", 100.0) == 0.0  # clients apart
    assert two.take("a", 101.0) == 0.0 and one.take("a", 101.0) == 0.0  # refilled by the clock
    assert two.take("a", 101.0) == pytest.approx(0.5)


def test_an_unusable_file_leaves_each_worker_its_own_buckets(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    buckets = SharedTokenBuckets(blocker / "rate-limit.sqlite", rate=1.0, burst=1)  # parent is a file
    assert buckets.take("a", 0.0) == 0.0
    assert buckets.take("a", 0.0) == pytest.approx(1.0)


def _take_many(path: str, n: int, out) -> None:
    buckets = SharedTokenBuckets(Path(path), rate=0.001, burst=50, timeout=5.0)
    out.put(sum(buckets.take("client", 1000.0) == 0.0 for _ in range(n)))


def test_separate_processes_share_the_limit(tmp_path):
    path = str(tmp_path / "rate-limit.sqlite")
    SharedTokenBuckets(Path(path), rate=0.001, burst=50)  # create the table before the race
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    workers = [ctx.Process(target=_take_many, args=(path, 40, out)) for _ in range(2)]
    for w in workers:
        w.start()
    allowed = sum(out.get(timeout=60) for _ in workers)
    for w in workers:
        w.join(timeout=60)
    assert allowed == 50  # 80 requests from two processes, one burst of 50 for the server
