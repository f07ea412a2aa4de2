"""The retrieval modes the harness can compare; a new mode (reranking, another model) is one more entry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModeSpec:
    name: str
    mode: str  # hybrid, bm25, dense
    fusion: str | None = None  # rrf, weighted (hybrid only)
    understanding: str = "boost"  # boost, filter, off
    sparse_weight: float | None = None  # weighted fusion: BM25's share (None: the configured default)


MODES: dict[str, ModeSpec] = {
    m.name: m
    for m in (
        ModeSpec("bm25", "bm25", understanding="off"),
        ModeSpec("dense", "dense", understanding="off"),
        ModeSpec("hybrid-rrf", "hybrid", "rrf"),
        ModeSpec("hybrid-weighted", "hybrid", "weighted"),
        ModeSpec("hybrid-rrf-noqu", "hybrid", "rrf", "off"),
        ModeSpec("hybrid-weighted-noqu", "hybrid", "weighted", "off"),
        ModeSpec("hybrid-rrf-filter", "hybrid", "rrf", "filter"),
        # dense-heavy, no query understanding: tuned on STARD's training questions (bench/stard_fusion.py)
        ModeSpec("hybrid-weighted-0.2-noqu", "hybrid", "weighted", "off", 0.2),
    )
}
DEFAULT_MODES = ("bm25", "dense", "hybrid-rrf", "hybrid-weighted", "hybrid-rrf-noqu", "hybrid-weighted-noqu")
