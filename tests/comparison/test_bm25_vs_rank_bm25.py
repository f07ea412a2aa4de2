"""Our BM25 must equal rank_bm25's BM25Okapi on the same tokens (a sample of the real corpus)."""

import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from corpus.chunking import ChunkingConfig
from corpus.pipeline import ingest_paths
from index.bm25 import BM25Index
from index.tokenizer import ChineseTokenizer


@pytest.fixture(scope="module")
def sample_tokens(seeds_dir, laws_dir):
    chunks = ingest_paths([seeds_dir, laws_dir], ChunkingConfig()).chunks
    random.Random(7).shuffle(chunks)
    tok = ChineseTokenizer()
    return [tok(c.heading_context + "\n" + c.text) for c in chunks[:1500]]


def test_scores_equal_rank_bm25(sample_tokens):
    ours = BM25Index(sample_tokens)
    theirs = BM25Okapi(sample_tokens, k1=1.5, b=0.75, epsilon=0.25)
    tok = ChineseTokenizer()
    queries = [
        "街道应急救援队伍人数要求",
        "重大事故隐患按期整改率",
        "县级人民政府应急预案",
        "安全生产 安全生产 责任",
        "不存在的词语",
    ]
    for q in queries:
        qt = tok(q)
        np.testing.assert_allclose(ours.scores(qt), theirs.get_scores(qt), rtol=1e-5, atol=1e-6)
