"""Which passages hold the sentences nearest a question, without scoring every sentence.

An exact index scores every sentence of the library for every question (``SentenceVectors.best``).
At 547k passages that is about 1.3M sentence vectors: some 50 ms a question on one core, more than
the rest of a search, and once for each collection a search covers. When the passage side is an
approximate index (an HNSW graph, or a backend such as Milvus), the sentence side becomes one too
above ``exact_up_to`` sentences: an inverted file (faiss IVF, 4-bit product codes) groups the sentences into
k-means cells, and a question is compared only with the sentences of its ``nprobe`` nearest cells. The
passages of the nearest sentences join the candidates, and each candidate's best sentence is then
scored exactly (``SentenceVectors.best_of``), so only *which* passages are candidates is approximate.

Why an inverted file and not a second HNSW graph: building a graph over 1.3M vectors takes about an
hour on 2 cores (the passage graph of 547k takes 27 minutes), an inverted file a k-means over a sample
and one assignment pass. Each sentence is stored under its passage's row number, so a search returns
rows, and a restriction (a collection, what a reader may read) is a bitmap over rows applied inside the
search. The cells are stored beside the generation's vectors, as the HNSW graph is (``index.dense``).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

import faiss
import numpy as np

from index.faiss_files import read_stored, store
from index.ranking import top_k, top_k_within
from index.sentences import SentenceVectors

log = logging.getLogger(__name__)

Codes = Literal["pq4", "sq8", "flat"]  # how the cells keep their vectors (SentenceSearchConfig.codes)
CODES: tuple[str, ...] = get_args(Codes)


@dataclass(frozen=True)
class SentenceSearchConfig:
    exact_up_to: int = 100_000  # sentences scored exactly up to this many (about 4 ms on one core)
    nprobe: int = 256  # cells visited per question (bench/sentence_recall.py)
    sample: int = 100_000  # sentences the k-means cells are trained on
    # how the cells keep their own copy of the vectors. They only choose the candidates (each
    # candidate's best sentence is scored from the float vectors), so a coarse code serves: "pq4",
    # product quantization with 4-bit codes, scanned by faiss' fast-scan SIMD kernels (at 547k passages
    # about 10 times faster than "sq8", one byte a dimension); "flat" keeps float32
    codes: Codes = "pq4"
    # dimensions a 4-bit part codes: 2 keeps the recall of 8-bit codes at a quarter of their memory
    # (96 bytes a 384-dimension vector); 8 (24 bytes) loses a tenth of the top 100 (bench/sentence_recall.py)
    pq_dims: int = 2
    # the shared search asks this many times the candidates a collection needs (index.retriever ranks
    # laws and policy documents apart, each wanting its own k)
    spread: int = 4
    seed: int = 7


def cell_count(n: int) -> int:
    """How many k-means cells for ``n`` vectors: 4·√n rounded to a power of two (faiss' guideline is
    4·√n to 16·√n; fewer cells keep more neighbours together at a given ``nprobe``), at least 1, and
    at most n / 39 so every cell has the 39 training points faiss asks for."""
    if n <= 0:
        return 1
    wanted = 2 ** round(math.log2(max(1.0, 4 * math.sqrt(n))))
    return max(1, min(wanted, n // 39))


def cells_file(folder: Path, config: SentenceSearchConfig, n: int) -> Path:
    """Where a generation keeps its sentence cells: named by what they were built with."""
    codes = f"pq4d{config.pq_dims}" if config.codes == "pq4" else config.codes
    return folder / f"sentence-ivf{cell_count(n)}-{codes}-s{config.seed}.faiss"


def pq_parts(dim: int, dims_per_part: int) -> int:
    """Parts of a 4-bit product code: one per ``dims_per_part`` dimensions, or the nearest count below
    that divides ``dim`` (faiss splits a vector into equal parts)."""
    parts = max(1, dim // max(1, dims_per_part))
    while dim % parts:
        parts -= 1
    return parts


def inverted_file(dim: int, cells: int, codes: str, pq_dims: int = 2):
    """An untrained faiss inverted file over inner products with the given codes."""
    quantizer = faiss.IndexFlatIP(dim)
    metric = faiss.METRIC_INNER_PRODUCT
    if codes == "pq4":
        return faiss.IndexIVFPQFastScan(quantizer, dim, cells, pq_parts(dim, pq_dims), 4, metric)
    if codes == "sq8":
        return faiss.IndexIVFScalarQuantizer(quantizer, dim, cells, faiss.ScalarQuantizer.QT_8bit, metric)
    if codes == "flat":
        return faiss.IndexIVFFlat(quantizer, dim, cells, metric)
    raise ValueError(f"unknown sentence codes: {codes!r}")


class SentenceSearch:
    """Rows (passages) by their best sentence's similarity to a question, nearest first."""

    def __init__(
        self,
        sentences: SentenceVectors,
        config: SentenceSearchConfig | None = None,
        path: Path | None = None,
    ):
        self.sentences = sentences
        self.config = config or SentenceSearchConfig()
        n = len(sentences.vectors)
        self.kind = "ivf" if n > self.config.exact_up_to else "exact"
        self.cells_loaded = False  # True when the cells were read from ``path``, not built
        self.index = None
        self._last: tuple[tuple[bytes, int], np.ndarray] | None = None  # the last question's neighbours
        if self.kind == "ivf":
            self.index = self._stored(path, n) or self._build(path)
            self.index.nprobe = self.config.nprobe

    def _row_of_sentence(self) -> np.ndarray:
        return np.repeat(np.arange(self.sentences.rows, dtype=np.int64), self.sentences.counts)

    def _build(self, path: Path | None):
        vectors = np.ascontiguousarray(self.sentences.vectors, dtype=np.float32)
        n, dim = vectors.shape
        cells = cell_count(n)
        rng = np.random.default_rng(self.config.seed)
        sample = vectors[
            np.sort(rng.choice(n, size=min(n, max(self.config.sample, 39 * cells)), replace=False))
        ]
        index = inverted_file(dim, cells, self.config.codes, self.config.pq_dims)
        index.cp.seed = self.config.seed
        log.info("sentence cells: %d cells (%s) over %d sentences", cells, self.config.codes, n)
        index.train(sample)
        index.add_with_ids(vectors, self._row_of_sentence())
        store(index, path, "sentence cells")
        return index

    def _stored(self, path: Path | None, n: int):
        index = read_stored(path, "sentence cells", n, self.sentences.vectors.shape[1], "nprobe")
        self.cells_loaded = index is not None
        return index

    def nearest_rows(self, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None) -> np.ndarray:
        """Up to ``k`` rows within ``allowed`` (a boolean row mask) whose best sentence is nearest
        ``qvec``, nearest first (``nearest`` without the scores)."""
        return self.nearest(qvec, k, allowed)[0]

    def nearest(
        self, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(rows, their best sentence's similarity): up to ``k`` rows within ``allowed`` whose best
        sentence is nearest ``qvec``, nearest first, scored exactly (as ``SentenceVectors.best_of``),
        so a caller that rescores these rows reads the scores instead. Exact below the size limit or
        when few sentences are allowed, otherwise from the nearest cells."""
        if k <= 0 or self.sentences.rows == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if self.index is None or self._few(allowed):
            return self._exact(qvec, k, allowed)
        rows = self._neighbours(qvec, k)
        if allowed is not None:
            rows = rows[allowed[rows]]
            if len(rows) < k:  # the question's nearest sentences lie mostly outside: search within
                rows = self._search(qvec, k, allowed)
        # the passages found ranked by their best sentence, scored exactly as without cells
        scores = self.sentences.best_of(qvec, rows)
        top = top_k(scores, k)
        return rows[top], scores[top]

    def _neighbours(self, qvec: np.ndarray, k: int) -> np.ndarray:
        """The rows holding the question's nearest sentences, unrestricted and wide enough (``spread``
        sentences a row asked) that each collection a search ranks apart finds its own ``k`` among
        them: one pass through the cells serves the whole search and each collection's, and the
        rows of a collection among the nearest sentences of all are its nearest. The last question's
        are kept (a search asks for them once, then once per collection)."""
        key = (qvec.tobytes(), k)
        last = self._last
        if last is not None and last[0] == key:
            return last[1]
        rows = self._search(qvec, self.config.spread * k, None)
        self._last = (key, rows)
        return rows

    def _search(self, qvec: np.ndarray, k: int, allowed: np.ndarray | None) -> np.ndarray:
        """The distinct rows of the nearest ``4 k`` sentences (a passage holds ~2.4) in the cells,
        within ``allowed``, in row order (they are ranked afterwards, by their exact scores)."""
        q = np.ascontiguousarray(qvec.reshape(1, -1), dtype=np.float32)
        params = None
        if allowed is not None:
            # the cells are read as usual and rows outside are passed over: more cells as the allowed
            # share shrinks, so about as many allowed sentences are met as an unrestricted search meets
            share = max(int(allowed.sum()), 1) / len(allowed)
            bits = np.packbits(allowed.astype(bool), bitorder="little")
            selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
            nprobe = min(self.index.nlist, math.ceil(self.config.nprobe / share))
            params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
            params.keep = (bits, selector)  # read by the search: alive as long as the parameters
        _, found = self.index.search(q, 4 * k, params=params)
        return np.unique(found[0][found[0] >= 0])

    def _exact(self, qvec: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Every allowed row's best sentence scored (``ranking.top_k_within`` decides how)."""
        if allowed is None:
            best = self.sentences.best(qvec)
            top = top_k(best, k)
            return top, best[top]
        return top_k_within(
            allowed, k, lambda r: self.sentences.best_of(qvec, r), lambda: self.sentences.best(qvec)
        )

    def _few(self, allowed: np.ndarray | None) -> bool:
        """Whether the allowed rows hold few enough sentences to score them all (a district's plans
        among hundreds of statutes): exact is then both faster and complete."""
        return allowed is not None and int(self.sentences.counts[allowed].sum()) <= self.config.exact_up_to
