"""A comparison's sides and the passages each is read from.

A question setting places side by side (渝中和江北…有什么不同) gets one row per place. Which places: those
it names, and the home city when named by its level (全市). Which passages: each place's own search for
the point compared, not the question's search, where the places' names rank a plan's preamble (full of
its town's name) above the passage on the point.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence

from index.retriever import Hit
from service.answering.cues import question_cues

# the home city named by its level rather than its name (渝中和全市…对比): 全市 / 本市 / 市级 / 市里
_WHOLE_CITY = re.compile(r"全市|本市|市级|市里")


def compared_regions(
    question: str, regions: tuple[str, ...], home: str | None, held: Callable[[str], bool]
) -> tuple[str, ...]:
    """The places a comparison sets side by side: those the question names (``regions``), and the home
    city when the question names it by its level (渝中和全市对电梯抽查的要求对比: 全市 is the city's own
    plan, one side of the comparison) and the library holds a document of it (``held``: asked only
    then). Only a comparison reads 全市 so: elsewhere it is a scope (全市每年至少…), not a side.

    >>> held = {"渝中区", "重庆市"}.__contains__
    >>> compared_regions("渝中和全市对电梯抽查的要求对比", ("渝中区",), "重庆市", held)
    ('渝中区', '重庆市')
    >>> compared_regions("全市电梯抽查多少台", (), "重庆市", held)
    ()
    >>> compared_regions("渝中和全市对电梯抽查的要求对比", ("渝中区",), "重庆市", {"渝中区"}.__contains__)
    ('渝中区',)
    """
    if not home or home in regions:
        return regions
    if not (question_cues(question).compare and _WHOLE_CITY.search(question)) or not held(home):
        return regions
    return (*regions, home)


def side_by_side(
    per_region: Sequence[Sequence[Hit]], own: Sequence[Hit], regions: Collection[str]
) -> list[Hit]:
    """The passages a comparison reads: each compared place's hits from its own search (``per_region``,
    in the order of ``regions``), then the question's own hits (``own``) of the places it does not
    compare (a statute beside two plans), each passage once (pure)."""
    out: list[Hit] = []
    seen: set[str] = set()
    for hits in per_region:
        for h in hits:
            if h.chunk.chunk_id not in seen:
                seen.add(h.chunk.chunk_id)
                out.append(h)
    return out + [h for h in own if h.chunk.chunk_id not in seen and h.doc.meta.region not in regions]
