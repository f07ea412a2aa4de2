"""Run the policyqa CLI and kill -9 this very process at a named point of its work.

``python -m tests.slow.kill_at POINT policyqa-args...``: the point's function is wrapped so that the
process sends itself SIGKILL there, before or after the real call, then the CLI runs as usual. A
timed kill lands wherever the work happens to be; this one lands exactly between two writes, where a
missing step of an atomic switch would show. Nothing in the product knows about it.
"""

from __future__ import annotations

import os
import pathlib
import signal
import sys
from collections.abc import Callable

import numpy as np

from index.embeddings import VectorCache


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def wrap(owner: object, name: str, when: Callable[..., bool], after: bool) -> None:
    """Replace ``owner.name`` by a version that dies when ``when(*args)`` holds (after the call if asked)."""
    real = getattr(owner, name)

    def wrapped(*args, **kwargs):
        hit = when(*args, **kwargs)
        if hit and not after:
            die()
        result = real(*args, **kwargs)
        if hit:
            die()
        return result

    setattr(owner, name, wrapped)


def named(suffix: str, argument: int = 1) -> Callable[..., bool]:
    """True for a call whose path argument (by default the second: a rename's destination) ends so."""

    def when(*args, **_kwargs) -> bool:
        return str(args[argument]).endswith(suffix)

    return when


def calls(n: int) -> Callable[..., bool]:
    """True on the n-th call."""
    count = {"n": 0}

    def when(*_args, **_kwargs) -> bool:
        count["n"] += 1
        return count["n"] == n

    return when


def partial_to_generation(source, target, *_args, **_kwargs) -> bool:
    """True for the rename that turns a written ``.gen-*.partial`` folder into its generation."""
    return str(source).endswith(".partial") and pathlib.Path(target).name.startswith("gen-")


POINTS: dict[str, Callable[[], None]] = {
    # ingest: the corpus store's write
    "corpus-chunks-written": lambda: wrap(os, "replace", named("chunks.jsonl"), after=True),
    "corpus-documents-written": lambda: wrap(os, "replace", named("documents.jsonl"), after=True),
    "corpus-pointer": lambda: wrap(os, "replace", named("corpus/CURRENT"), after=False),
    # index: embedding, into the vector cache
    "embed-first-batch": lambda: wrap(VectorCache, "put_many", calls(1), after=False),
    "embed-second-batch": lambda: wrap(VectorCache, "put_many", calls(2), after=True),
    # index: saving the generation
    "save-vectors": lambda: wrap(np, "save", named("vectors.npy", argument=0), after=False),
    "save-renamed": lambda: wrap(pathlib.Path, "rename", partial_to_generation, after=True),
    "save-switched": lambda: wrap(os, "replace", named("index/CURRENT"), after=True),
}


def main() -> None:
    point, *args = sys.argv[1:]
    POINTS[point]()
    from service.cli import app

    sys.argv = ["policyqa", *args]
    app()


if __name__ == "__main__":
    main()
