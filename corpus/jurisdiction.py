"""Which province-level jurisdiction a document belongs to: a 江北区 plan is Chongqing's, a 杭州市
regulation is Zhejiang's, a national law is everyone's.

Rule (general, not fitted to any question): a local regulation binds only inside its province, so a
search on behalf of staff in one jurisdiction can rank other provinces' local rules below the ones that
apply to them. The names come from China's administrative division codes (the ``adcodes.csv`` table
shipped in the ``cpca`` package: the first two digits of a code are its province), read as data.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

NATIONAL = "全国"
_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")


def _adcodes_file() -> Path:
    # the table is read as data: cpca's own __init__ is not imported (it needs pkg_resources)
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package (administrative division codes) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "adcodes.csv"


@lru_cache(maxsize=1)
def gazetteer() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """(province code -> province name, place name -> the province codes it occurs in)."""
    provinces: dict[str, str] = {}
    places: dict[str, set[str]] = defaultdict(set)
    with _adcodes_file().open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"], row["name"]
            if code[2:].strip("0") == "":
                provinces[code[:2]] = name
            places[name].add(code[:2])
    return provinces, {name: frozenset(codes) for name, codes in places.items()}


# the division table's placeholders (市辖区: a city's districts as a group; 县: its counties), no places
_PLACEHOLDERS = frozenset({"市辖区", "县"})


def places_within(province: str) -> frozenset[str]:
    """The names of the places the division table lists inside ``province`` (a province-level name such
    as 重庆市), itself aside, of three characters or more: the shorter ones (忠县) are also ordinary words.
    A county's name is also given as a district's (梁平县, 梁平区): a county made a district (撤县设区)
    keeps its name, and the table may be older than the change.

    >>> places = places_within("重庆市")
    >>> sorted(p for p in places if p.startswith(("九龙坡", "梁平"))), "忠县" in places, "市辖区" in places
    (['九龙坡区', '梁平区', '梁平县'], False, False)
    >>> places_within("没有这个省")
    frozenset()
    """
    provinces, places = gazetteer()
    code = next((c for c, name in provinces.items() if name == province), None)
    if code is None:
        return frozenset()
    names = {n for n, codes in places.items() if code in codes and n != province and n not in _PLACEHOLDERS}
    names |= {n[:-1] + "区" for n in names if n.endswith("县") and not n.endswith("自治县")}
    return frozenset(n for n in names if len(n) >= 3)


def short_name(province: str) -> str:
    """'重庆市' -> '重庆', '广西壮族自治区' -> '广西'."""
    for suffix in _PROVINCE_SUFFIXES:
        if province.endswith(suffix) and len(province) > len(suffix) + 1:
            return province[: -len(suffix)]
    return province


def provinces_named(text: str) -> frozenset[str]:
    """The province-level jurisdictions a text names, in full or short (四川省, 重庆 -> 重庆市).

    >>> sorted(provinces_named("四川省消防条例和重庆的规定有何不同"))
    ['四川省', '重庆市']
    """
    provinces, _ = gazetteer()
    return frozenset(p for p in provinces.values() if p in text or short_name(p) in text)


def jurisdiction_of(region: str | None, *texts: str | None) -> str | None:
    """The province-level name a document's region lies in; NATIONAL for national law; None if unknown.

    A province named in the issuer or title wins (重庆市江北区人民政府 -> 重庆市: 江北区 alone is also a
    district of Ningbo); otherwise the region is looked up, and kept only when it is unambiguous.
    """
    if region == NATIONAL:
        return NATIONAL
    provinces, places = gazetteer()
    for text in texts:
        if not text:
            continue
        for name in provinces.values():
            if text.startswith(name) or text.startswith(short_name(name)):
                return name
    if not region:
        return None
    codes: set[str] = set()
    for place in _places_in(region, places):
        codes |= places[place]
    if len(codes) == 1:
        return provinces.get(next(iter(codes)))
    return None


def _places_in(region: str, places: dict[str, frozenset[str]]) -> list[str]:
    """'南川区南平镇' -> ['南川区'] (the known place names it is made of, longest first from the left)."""
    found, i = [], 0
    while i < len(region):
        for j in range(len(region), i, -1):
            if region[i:j] in places:
                found.append(region[i:j])
                i = j
                break
        else:
            i += 1
    return found
