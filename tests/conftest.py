"""Shared fixtures: the bundled seeds and the shared corpora that live beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "seeds"
SHARED = ROOT.parent / "shared"
LAWS = SHARED / "corpora" / "laws-safety"
GOLD = SHARED / "gold" / "dev.jsonl"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: the tests need ../shared beside the repository (see README)")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def laws_dir() -> Path:
    return require(LAWS)


@pytest.fixture(scope="session")
def gold_path() -> Path:
    return require(GOLD)
