"""Faults with real processes: kill -9 during ingest and index at several points, two writers at once,
and a rebuild while a server answers 4 clients. Nothing already indexed is lost, no leftovers stay
after the next run, and no request fails."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from corpus.store import CorpusStore
from index.store import IndexStore
from service.settings import Settings

pytestmark = pytest.mark.slow
POLICYQA = str(Path(sys.executable).parent / "policyqa")
SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"


def run(env: dict, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([POLICYQA, *args], env=env, capture_output=True, text=True, timeout=timeout)


def start(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [POLICYQA, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def share_models(cache: Path) -> None:
    """The converted model and query towers (about 1.4 GB) linked into a test's own cache folder, not
    copied: copies for every test filled a CI machine's /tmp."""
    models = Settings().cache_dir / "models"
    if models.exists():
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "models").symlink_to(models.resolve(), target_is_directory=True)


@pytest.fixture()
def env(tmp_path) -> dict:
    # a fresh vector cache makes the build embed for real (tens of seconds), so kills land mid-work
    cache = tmp_path / "cache"
    share_models(cache)
    return {**os.environ, "POLICYQA_DATA_DIR": str(tmp_path / "data"), "POLICYQA_CACHE_DIR": str(cache)}


@pytest.fixture(scope="module")
def seeds_vectors(tmp_path_factory) -> Path:
    """A vector cache holding the bundled seeds' vectors, embedded once for the tests that copy it."""
    root = tmp_path_factory.mktemp("seeds-vectors")
    cache = root / "cache"
    share_models(cache)
    env = {**os.environ, "POLICYQA_DATA_DIR": str(root / "data"), "POLICYQA_CACHE_DIR": str(cache)}
    assert run(env, "ingest", str(SEEDS), "--json").returncode == 0
    assert run(env, "index", "--json").returncode == 0
    return cache / "vectors.sqlite"


def data_dir(env) -> Path:
    return Path(env["POLICYQA_DATA_DIR"])


def leftovers(env) -> list[str]:
    index = data_dir(env) / "index"
    live = IndexStore(index).current_name()
    if not index.exists():
        return []
    return sorted(
        p.name
        for p in index.iterdir()
        if p.name.endswith(".partial") or (p.name.startswith("gen-") and p.name != live)
    )


def kill_after(proc: subprocess.Popen, seconds: float) -> None:
    time.sleep(seconds)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait()


def indexed_seeds_and_three_new_copies(env) -> str:
    """The seeds indexed, then three changed copies of one ingested (the next build has work to do);
    returns the live generation."""
    assert run(env, "ingest", str(SEEDS), "--json").returncode == 0
    first = run(env, "index", "--json")
    assert first.returncode == 0, first.stderr
    generation = IndexStore(data_dir(env) / "index").current_name()
    extra = data_dir(env).parent / "extra"
    extra.mkdir()
    for i in range(3):
        text = (SEEDS / "003_dc79079f3b1ada4e.txt").read_text(encoding="utf-8").replace("渝中", f"某{i}区")
        (extra / f"copy{i}.txt").write_text(text, encoding="utf-8")
    assert run(env, "ingest", str(extra), "--json").returncode == 0
    return generation


def assert_killed_build_lost_nothing(env, generation: str) -> None:
    """The live index is whole and loadable (the one from before, killed before the switch, or the new
    one); the next build finishes with all 8 documents, leaves nothing over, and search answers."""
    store = IndexStore(data_dir(env) / "index")
    documents = len(store.load().documents)
    assert (store.current_name(), documents) == (generation, 5) or documents == 8
    again = run(env, "index", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["documents"] == 8
    assert leftovers(env) == []
    assert json.loads(run(env, "search", "街道应急救援队伍人数", "--json").stdout)["results"]


@pytest.mark.parametrize("delay", [1.0, 4.0, 8.0])
def test_kill_9_during_index_loses_nothing_and_the_next_run_finishes(env, delay):
    generation = indexed_seeds_and_three_new_copies(env)
    (Path(env["POLICYQA_CACHE_DIR"]) / "vectors.sqlite").unlink(missing_ok=True)  # embed for real
    kill_after(start(env, "index"), delay)
    assert_killed_build_lost_nothing(env, generation)


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_kill_9_during_ingest_keeps_the_store_readable(env, delay, laws_dir):
    assert run(env, "ingest", str(SEEDS), "--json").returncode == 0
    before = set(CorpusStore(data_dir(env) / "corpus").load().documents)
    kill_after(start(env, "ingest", str(laws_dir)), delay)
    after = set(CorpusStore(data_dir(env) / "corpus").load().documents)  # loads: never half written
    assert before <= after
    done = run(env, "ingest", str(laws_dir), "--json")
    assert done.returncode == 0, done.stderr
    assert (
        len(CorpusStore(data_dir(env) / "corpus").load().documents)
        == 5 + json.loads(done.stdout)["documents"]
    )


def run_killed_at(env: dict, point: str, *args: str) -> subprocess.CompletedProcess:
    """The CLI run by tests.slow.kill_at, which kill -9s itself at ``point``."""
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "tests.slow.kill_at", point, *args],
        env={**env, "PYTHONPATH": str(root)},
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == -signal.SIGKILL, (point, result.returncode, result.stderr[-2000:])
    return result


def corpus_leftovers(env) -> list[str]:
    corpus = data_dir(env) / "corpus"
    return sorted(p.name for p in corpus.iterdir() if p.name.startswith(".")) if corpus.exists() else []


@pytest.mark.parametrize("point", ["corpus-chunks-written", "corpus-documents-written", "corpus-pointer"])
def test_kill_9_at_each_step_of_the_corpus_write_keeps_documents_and_chunks_together(env, point):
    assert run(env, "ingest", str(SEEDS), "--json").returncode == 0
    before = CorpusStore(data_dir(env) / "corpus").load()
    replacement = data_dir(env).parent / "replacement"
    replacement.mkdir()
    name = "003_dc79079f3b1ada4e.txt"
    (replacement / name).write_text(
        (SEEDS / name).read_text(encoding="utf-8").replace("渝中区", "某某区"), encoding="utf-8"
    )
    run_killed_at(env, point, "ingest", str(replacement), "--replace", "--json")
    after = CorpusStore(data_dir(env) / "corpus").load()
    # each document is the version before with its chunks, or the new one with the new chunks:
    # never one version's record with the other's chunks, and nothing else changed
    assert set(after.documents) == set(before.documents)
    for doc_id, doc in after.documents.items():
        texts = [c.text for c in after.chunks[doc_id]]
        if doc.to_dict() == before.documents[doc_id].to_dict():
            assert texts == [c.text for c in before.chunks[doc_id]]
        else:
            assert doc.source.endswith(name) and texts and "渝中区" not in "".join(texts)
    done = run(env, "ingest", str(replacement), "--replace", "--json")
    assert done.returncode == 0, done.stderr
    assert corpus_leftovers(env) == []
    final = CorpusStore(data_dir(env) / "corpus").load()
    (replaced,) = [d for d in final.documents.values() if d.source.endswith(name)]
    assert "渝中区" not in "".join(c.text for c in final.chunks[replaced.doc_id])


@pytest.mark.parametrize(
    "point", ["embed-first-batch", "embed-second-batch", "save-vectors", "save-renamed", "save-switched"]
)
def test_kill_9_at_each_step_of_embedding_and_saving_loses_nothing(env, point, seeds_vectors):
    # the seeds' vectors come from the cache (a quick first build); the copies' changed passages and
    # sentences are new to it, so the killed build embeds them
    shutil.copy(seeds_vectors, Path(env["POLICYQA_CACHE_DIR"]) / "vectors.sqlite")
    generation = indexed_seeds_and_three_new_copies(env)
    run_killed_at(env, point, "index", "--json")
    assert_killed_build_lost_nothing(env, generation)


def test_two_writers_at_once_take_turns(env):
    env = {**env, "POLICYQA_WRITE_LOCK_TIMEOUT_S": "900"}  # the second waits for the first's whole build
    assert run(env, "ingest", str(SEEDS), "--json").returncode == 0
    first, second = start(env, "index", "--rebuild", "--json"), start(env, "index", "--rebuild", "--json")
    outs = [p.communicate(timeout=900) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outs
    assert leftovers(env) == []
    assert len(IndexStore(data_dir(env) / "index").load().documents) == 5


def test_a_rebuild_while_serving_4_clients_fails_no_request(env):
    assert run(env, "ingest", str(SEEDS), "--json").returncode == 0
    assert run(env, "index", "--json").returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # the server's log goes to a file: an unread pipe fills up and stalls the server
    log = (data_dir(env).parent / "serve.log").open("w")
    server = subprocess.Popen(
        [POLICYQA, "serve", "--port", str(port), "--workers", "2"],
        env={**env, "POLICYQA_RATE_LIMIT_PER_S": "0"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        before = httpx.get(base + "/healthz", timeout=60).json()["generation"]
        failures, done = [], threading.Event()
        counts = [0] * 4

        def client(i: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as http:
                while not done.is_set():
                    r = http.post("/api/search", json={"query": "街道应急救援队伍人数要求"})
                    counts[i] += 1
                    if r.status_code != 200 or not r.json()["results"]:
                        failures.append(r.status_code)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for _ in range(2):
            rebuilt = run(env, "index", "--rebuild", "--json")
            assert rebuilt.returncode == 0, rebuilt.stderr
        time.sleep(1.0)
        done.set()
        for t in threads:
            t.join()
        # the request that first sees the new generation loads it (seconds on a busy machine)
        after = httpx.get(base + "/healthz", timeout=60).json()["generation"]
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    assert failures == []
    assert min(counts) > 0
    assert after != before  # the server switched to the rebuilt generation
    assert leftovers(env) == []
