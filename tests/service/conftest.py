"""An engine over the bundled seeds in a temporary data folder, with the fake embedder (fast)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from corpus.pipeline import ingest_paths
from corpus.store import CorpusStore
from service.api.app import create_app
from service.engine import Engine
from service.settings import Settings
from tests.fakes import HashEmbedder


def make_engine(data_dir, seeds_dir, extra=(), **overrides) -> Engine:
    """An engine over the seeds, plus ``extra`` (path, access level) documents."""
    # TestClient's Host is 'testserver'; the rate limit has its own tests (test_guards)
    # the hash embedder's similarities carry no meaning, so no question is declined as unrelated to the
    # library by them (service.answering.relevance: tests/service/test_relevance.py, tests/slow)
    overrides = {
        "allowed_hosts": ["testserver"],
        "rate_limit_per_s": 0,
        "answer_relevance_quantile": 0,
        **overrides,
    }
    settings = Settings(data_dir=data_dir, cache_dir=data_dir / "cache", **overrides)
    store = CorpusStore(settings.corpus_dir)
    for paths, access in [([seeds_dir], "public"), *(([p], a) for p, a in extra)]:
        result = ingest_paths(paths, settings.chunking())
        for doc in result.documents:
            doc.access = access
        store.upsert_all(result.documents, result.chunks)
    store.save()
    engine = Engine(settings, embedder_override=HashEmbedder())
    engine.build()
    return engine


@pytest.fixture(scope="session")
def engine(tmp_path_factory, seeds_dir) -> Engine:
    return make_engine(tmp_path_factory.mktemp("data"), seeds_dir)


@pytest.fixture(scope="session")
def client(engine) -> TestClient:
    with TestClient(create_app(engine)) as c:
        yield c
