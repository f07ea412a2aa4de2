"""BM25 (Okapi, as in rank_bm25's ``BM25Okapi``) over a sparse document-term matrix.

Scoring is split into small pure functions, one formula each; the index precomputes the
per-(document, term) weight once, so a query is a sum of a few sparse columns (fast at 100k+ docs).
Reference: Robertson & Zaragoza (2009); the idf floor follows rank_bm25 (negative idf -> eps * mean idf).
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

__all__ = ["BM25Index", "BM25Params", "idf_okapi", "term_weight"]


@dataclass(frozen=True)
class BM25Params:
    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25


def idf_okapi(doc_freq: np.ndarray, n_docs: int, epsilon: float) -> np.ndarray:
    """log((N - df + 0.5) / (df + 0.5)); negative values are floored at ``epsilon`` times the mean idf."""
    idf = np.log(n_docs - doc_freq + 0.5) - np.log(doc_freq + 0.5)
    floor = epsilon * idf.mean() if idf.size else 0.0
    return np.where(idf < 0, floor, idf)


def term_weight(tf: np.ndarray, doc_len: np.ndarray, avg_len: float, k1: float, b: float) -> np.ndarray:
    """The saturating term-frequency part: tf (k1 + 1) / (tf + k1 (1 - b + b |d| / avgdl))."""
    return tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avg_len))


class BM25Index:
    """Documents as token lists in; ``scores(query_tokens)`` out, one score per document."""

    def __init__(self, corpus_tokens: Sequence[Sequence[str]], params: BM25Params | None = None):
        self.params = params or BM25Params()
        self.vocab: dict[str, int] = {}
        # typed arrays, not lists: 4 bytes an entry instead of ~36 (tens of millions at 500k passages)
        cols, tfs, row_terms = array("i"), array("i"), array("q", [0])
        doc_len = np.zeros(len(corpus_tokens), dtype=np.float64)
        vocab = self.vocab
        for i, tokens in enumerate(corpus_tokens):
            doc_len[i] = len(tokens)
            counts = Counter(tokens)
            cols.extend([vocab.setdefault(term, len(vocab)) for term in counts])
            tfs.extend(counts.values())
            row_terms.append(len(cols))
        n_docs, n_terms = len(corpus_tokens), len(self.vocab)
        tf_matrix = sparse.csr_matrix(
            (
                np.frombuffer(tfs, dtype=np.int32).astype(np.float64),
                np.frombuffer(cols, dtype=np.int32),
                np.frombuffer(row_terms, dtype=np.int64),
            ),
            shape=(n_docs, n_terms),
        )
        tf_matrix.sort_indices()
        doc_freq = np.bincount(tf_matrix.indices, minlength=n_terms).astype(np.float64)
        avg_len = float(doc_len.mean()) if n_docs and doc_len.sum() else 1.0
        self.idf = idf_okapi(doc_freq, n_docs, self.params.epsilon)
        row_len = np.repeat(doc_len, np.diff(tf_matrix.indptr))
        weights = term_weight(tf_matrix.data, row_len, avg_len, self.params.k1, self.params.b)
        weighted = sparse.csr_matrix((weights, tf_matrix.indices, tf_matrix.indptr), shape=tf_matrix.shape)
        # column-major: a query reads a handful of whole columns
        self.matrix = (weighted @ sparse.diags(self.idf)).tocsc().astype(np.float32)
        self.n_docs = n_docs

    def save(self, path: Path) -> None:
        """Write the index to ``path`` (.npz, uncompressed), whole or not at all."""
        m = self.matrix
        terms = "\n".join(self.vocab).encode("utf-8")  # terms hold no newline: the tokenizer keeps words
        tmp = path.with_name(path.name + ".partial")
        with tmp.open("wb") as fh:
            np.savez(
                fh,
                data=m.data,
                indices=m.indices,
                indptr=m.indptr,
                shape=np.asarray(m.shape, dtype=np.int64),
                idf=self.idf,
                terms=np.frombuffer(terms, dtype=np.uint8),
                params=np.asarray([self.params.k1, self.params.b, self.params.epsilon]),
            )
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path, n_docs: int, params: BM25Params | None = None) -> BM25Index | None:
        """The index stored at ``path``, if it is there and was built over ``n_docs`` documents with
        these parameters (else None: the caller builds it)."""
        params = params or BM25Params()
        if not path.exists():
            return None
        with np.load(path) as f:
            shape = tuple(int(x) for x in f["shape"])
            if shape[0] != n_docs or not np.allclose(f["params"], [params.k1, params.b, params.epsilon]):
                return None
            index = cls.__new__(cls)
            index.params = params
            index.n_docs = n_docs
            index.idf = f["idf"]
            index.matrix = sparse.csc_matrix((f["data"], f["indices"], f["indptr"]), shape=shape)
            terms = f["terms"].tobytes().decode("utf-8")
        index.vocab = {t: i for i, t in enumerate(terms.split("\n"))} if terms else {}
        return index

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every document; a repeated query term counts again, as in rank_bm25."""
        return self.weighted_scores(Counter(query_tokens))

    def weighted_scores(self, weights: Mapping[str, float]) -> np.ndarray:
        """Every document's sum of its BM25 term scores, each term's times its query weight."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        for term, weight in weights.items():
            j = self.vocab.get(term)
            if j is None or weight == 0:
                continue
            start, end = self.matrix.indptr[j], self.matrix.indptr[j + 1]
            out[self.matrix.indices[start:end]] += np.float32(weight) * self.matrix.data[start:end]
        return out

    def postings(self, query_tokens: Sequence[str]) -> tuple[np.ndarray, int]:
        """The rows that hold any query term (a row once per term it holds) and the number of distinct
        terms: every row ``scores`` makes positive is among them."""
        cols = [self.vocab[t] for t in dict.fromkeys(query_tokens) if t in self.vocab]
        ptr, idx = self.matrix.indptr, self.matrix.indices
        parts = [idx[ptr[j] : ptr[j + 1]] for j in cols]
        rows = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        return rows, len(cols)

    def idf_of(self, term: str) -> float:
        """A term's idf; the mean idf for a term the collection does not hold."""
        j = self.vocab.get(term)
        if j is not None:
            return float(self.idf[j])
        return float(self.idf.mean()) if self.idf.size else 1.0

    def matched_terms(self, query_tokens: Sequence[str]) -> list[str]:
        return [t for t in dict.fromkeys(query_tokens) if t in self.vocab]
