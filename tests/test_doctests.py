"""The examples in the docstrings of the pure modules are executed: each states what a rule does."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "corpus.chunking",
    "corpus.intervals",
    "corpus.jurisdiction",
    "corpus.validity",
    "corpus.metadata",
    "index.fusion",
    "index.milvus",
    "index.feedback",
    "index.pairs",
    "index.query",
    "index.sentences",
    "index.ranking",
    "index.retriever",
    "index.applicability",
    "index.adaptation.pack",
    "index.adaptation.tower",
    "index.adaptation.runtime",
    "index.adaptation.mining",
    "index.adaptation.tower_data",
    "index.adaptation.loss",
    "service.api.guards",
    "service.answering.verify",
    "service.answering.compare",
    "service.answering.cues",
    "service.answering.asking",
    "service.answering.wording",
    "service.answering.extractive",
    "service.answering.spans",
    "service.answering.jurisdiction",
    "service.answering.relevance",
    "evaluation.significance",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples: drop it from the list"
    assert result.failed == 0


def test_every_module_with_examples_is_listed():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    found = {
        ".".join(path.relative_to(root).with_suffix("").parts)
        for package in ("corpus", "index", "service", "evaluation")
        for path in (root / package).rglob("*.py")
        if ">>> " in path.read_text(encoding="utf-8")
    }
    assert found == set(MODULES)
