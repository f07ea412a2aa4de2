"""[start, end) character intervals: the one place their overlap and clipping rules live."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["clip", "overlaps"]


def overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    """Whether any span shares a character with ``[start, end)``."""
    return any(a < end and start < b for a, b in spans)


def clip(spans: Iterable[tuple[int, int]], start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The parts of ``spans`` inside ``[start, end)``, as offsets from ``start``.

    >>> clip([(0, 3), (5, 9), (12, 14)], 2, 8)
    ((0, 1), (3, 6))
    """
    return tuple((max(a, start) - start, min(b, end) - start) for a, b in spans if a < end and start < b)
