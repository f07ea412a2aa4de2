"""Extract what a document states about itself: title, issuer, number, dates, region, type, year.

Every rule looks for an explicit statement (a labelled portal field, a notice's 《书名》, a signature
block, a promulgation line); a field the text does not state stays None rather than being guessed.
"""

from __future__ import annotations

import re

from corpus.doctypes import DOC_TYPES, LEGAL_TYPES
from corpus.jurisdiction import jurisdiction_of
from corpus.models import DocumentMeta
from corpus.validity import stated_validity


def document_kind(doc_type: str | None) -> str:
    """'legal' for laws, regulations and rules; 'policy' for everything else (plans, notices, unknown)."""
    return "legal" if doc_type in LEGAL_TYPES else "policy"


_TYPE_RE = re.compile("(" + "|".join(DOC_TYPES) + r")(?:[(（][^()（）]{0,20}[)）])?$")

# 发文字号: 渝安委〔2024〕6号, also written with [] () 【】 ［］ brackets.
DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fa5]{1,12}?)\s*[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]\s*(\d{1,4})\s*号"
)
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_ISSUER_SUFFIX = re.compile(
    r"(?:人民政府|人民代表大会常务委员会|人民代表大会|委员会|办公厅|办公室|政府|管理局|局|委|厅|部|院|指挥部|街道办事处|办事处)$"
)
_PLACE = re.compile(r"(?:(?<![全本该各])[\u4e00-\u9fa5]{2,6}?(?:省|自治区|市|自治州|县|区|镇|乡|街道))+")
_PROVINCIAL = re.compile(
    r"^(?:[\u4e00-\u9fa5]{2,6}?省|[\u4e00-\u9fa5]{2,6}?自治区|北京市|天津市|上海市|重庆市)"
)
_PROMULGATION = re.compile(
    r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日\s*(?:第[^\s]{1,8}届)?([\u4e00-\u9fa5]{2,30}?)(?:第[^\s]{1,8}次)?会议"
)
_HEADER_LINES = 40


def normalise_doc_number(text: str) -> str | None:
    """'渝安委[2024]6号' -> '渝安委〔2024〕6号'; None when the text holds no document number."""
    m = DOC_NUMBER.search(text)
    if not m:
        return None
    return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"


def parse_date(text: str) -> str | None:
    """'2024年3月20日' or '2024-03-20' -> '2024-03-20'."""
    m = _DATE_CN.search(text) or _DATE_ISO.search(text)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def doc_type_of(title: str | None) -> str | None:
    if not title:
        return None
    m = _TYPE_RE.search(title.strip())
    return m.group(1) if m else None


def region_of(*texts: str | None) -> str | None:
    """The most specific place named at the start of an issuer or title: '重庆市南川区南平镇人民政府'
    -> '南川区南平镇'; a municipality or province alone is kept ('重庆市'); national law -> '全国'."""
    for text in texts:
        if not text:
            continue
        if (
            text.startswith("中华人民共和国")
            or text.startswith("全国人民代表大会")
            or text.startswith("国务院")
        ):
            return "全国"
        m = _PLACE.match(text.lstrip("0123456789年度 "))
        if not m:
            continue
        place = m.group(0)
        place = re.sub(r"(人民政府|政府)$", "", place)
        lower = _PROVINCIAL.sub("", place)
        return lower or place
    return None


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def title_of(text: str, stated: str | None = None) -> str | None:
    """A title the format states, else 《X》 in a notice of issue, else the first title-like line(s)."""
    if stated and doc_type_of(stated):
        return stated
    head = "\n".join(_lines(text)[:_HEADER_LINES])
    for m in re.finditer(r"《([^《》\n]{4,80})》", head):
        window = head[max(0, m.start() - 12) : m.end() + 20]
        if re.search(r"印发|发布|转发|已经.{0,12}同意|现将|颁布", window) and doc_type_of(m.group(1)):
            return m.group(1)
    lines = _lines(text)[:_HEADER_LINES]
    for i, line in enumerate(lines):
        if len(line) > 60 or (line.startswith("关于") and "通知" in line):
            continue
        if doc_type_of(line):
            return line
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _continues_title(line, nxt):
            return line + nxt  # a title printed over two lines
    return stated


def _continues_title(line: str, nxt: str) -> bool:
    return (
        bool(nxt)
        and len(line) + len(nxt) <= 60
        and doc_type_of(nxt) is not None
        and not nxt.startswith(("关于", "《"))
        and not _ISSUER_SUFFIX.search(line)
        and not _DATE_CN.search(line)
    )


def issuer_of(text: str, fields: dict[str, str]) -> str | None:
    """A labelled 发文机关, a promulgating congress, or the organ that signs above the date."""
    for label in ("发文机关", "发文单位"):
        if fields.get(label):
            return fields[label]
    lines = _lines(text)
    for line in lines[:6]:
        m = _PROMULGATION.search(line)
        if m and "人民代表大会" in m.group(4):
            return re.sub(r"第[^届\s]{1,6}届", "", m.group(4))
    for i, line in enumerate(lines[:_HEADER_LINES]):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _is_organ(line) and nxt.startswith("关于") and doc_type_of(nxt):
            return line  # '重庆市安全生产委员会' above '关于印发《...》的通知'
    for i, line in enumerate(lines):
        if (
            _DATE_CN.fullmatch(line)
            and i > 0
            and _ISSUER_SUFFIX.search(lines[i - 1])
            and len(lines[i - 1]) <= 30
        ):
            return lines[i - 1]
    first = lines[0] if lines else ""
    return first if _is_organ(first) else None


def _is_organ(line: str) -> bool:
    return bool(_ISSUER_SUFFIX.search(line)) and len(line) <= 30 and not doc_type_of(line) and "[" not in line


def doc_number_of(text: str, fields: dict[str, str]) -> str | None:
    """A labelled 发文字号, or a number standing alone on a line in the document's header."""
    for label in ("发文字号", "文号"):
        if fields.get(label):
            return normalise_doc_number(fields[label])
    lines = _lines(text)
    for i, line in enumerate(lines[:_HEADER_LINES]):
        if re.search(r"发文字号|文\s*号", line):
            found = normalise_doc_number(line) or (
                normalise_doc_number(lines[i + 1]) if i + 1 < len(lines) else None
            )
            if found:
                return found
        m = DOC_NUMBER.fullmatch(line.strip("•· "))
        if m:
            return normalise_doc_number(line)
    return None


def dates_of(text: str, fields: dict[str, str]) -> tuple[str | None, str | None]:
    """(成文日期, 发布日期): labelled fields first, then the signature date, then a promulgation line."""
    issued = parse_date(fields.get("成文日期", "")) if fields.get("成文日期") else None
    published = parse_date(fields.get("发布日期", "")) if fields.get("发布日期") else None
    lines = _lines(text)
    for i, line in enumerate(lines):
        if issued is None and re.search(r"成文日期", line):
            issued = parse_date(line) or (parse_date(lines[i + 1]) if i + 1 < len(lines) else None)
        if published is None and re.search(r"发布日期|印发日期", line):
            published = parse_date(line) or (parse_date(lines[i + 1]) if i + 1 < len(lines) else None)
    if issued is None:
        signature = [ln for ln in lines if _DATE_CN.fullmatch(ln)]
        if signature:
            issued = parse_date(signature[0])
    if issued is None and published is None:
        for line in lines[:6]:
            m = _PROMULGATION.search(line)
            if m:
                published = parse_date(line)
    return issued, published


# a year a text names (2025年), or a span of years: 三年行动实施方案(2024—2026年), 规划（2021-2025年）,
# 2023至2025年
_YEARS = re.compile(r"((?:19|20)\d{2})\s*(?:年?\s*[—–\-－~～至到]+\s*((?:19|20)\d{2})\s*)?年")
_SPAN_MAX = 10  # a plan's period is a few years; a longer span is a history, not a period


def _period(start: int, end: int) -> tuple[int, ...] | None:
    """Each year from ``start`` to ``end``, when the two make a period (None: a history, or reversed)."""
    return tuple(range(start, end + 1)) if start <= end <= start + _SPAN_MAX else None


def years_covered(title: str | None, year: int | None) -> tuple[int, ...]:
    """The years a document is about: each year of the period its title names (a three-year plan is about
    its middle year too, not only the year it was issued in), else its own year.

    >>> years_covered("重庆市安全生产治本攻坚三年行动实施方案(2024—2026年)", 2024)
    (2024, 2025, 2026)
    >>> years_covered("2025年全区安全生产工作要点", 2025), years_covered(None, None)
    ((2025,), ())
    """
    span = next((m for m in _YEARS.finditer(title or "") if m.group(2)), None)
    if span and (period := _period(int(span.group(1)), int(span.group(2)))):
        return period
    return (year,) if year else ()


def years_named(text: str) -> frozenset[int]:
    """The years ``text`` names, each year of a period it names included.

    >>> sorted(years_named("2024年新开工改造1835个，到2026年完成"))
    [2024, 2026]
    >>> sorted(years_named("行动方案(2024—2026年)")), sorted(years_named("共5人，每年一次"))
    ([2024, 2025, 2026], [])
    """
    found: set[int] = set()
    for m in _YEARS.finditer(text):
        start = int(m.group(1))
        end = int(m.group(2) or start)
        found.update(_period(start, end) or (start, end))
    return frozenset(found)


def year_of(issued: str | None, published: str | None, title: str | None) -> int | None:
    for date in (issued, published):
        if date:
            return int(date[:4])
    if title:
        m = re.search(r"((?:19|20)\d{2})\s*年", title)
        if m:
            return int(m.group(1))
    return None


def extract_metadata(
    text: str, stated_title: str | None = None, fields: dict[str, str] | None = None
) -> DocumentMeta:
    fields = fields or {}
    info = _labelled_lines(text)
    merged = {**info, **fields}
    title = title_of(text, stated_title or merged.get("标题"))
    issuer = issuer_of(text, merged)
    issued, published = dates_of(text, merged)
    region = region_of(issuer, title)
    stated = stated_validity(text, title, issued or published)
    return DocumentMeta(
        title=title,
        issuer=issuer,
        doc_number=doc_number_of(text, merged),
        issued_date=issued,
        published_date=published,
        region=region,
        doc_type=doc_type_of(title),
        year=year_of(issued, published, title),
        jurisdiction=jurisdiction_of(region, issuer, title),
        valid_from=stated.valid_from,
        valid_to=stated.valid_to,
        repeals=stated.repeals,
    )


def _labelled_lines(text: str) -> dict[str, str]:
    """Portal info blocks print '[ 发文字号 ]' on one line and the value on the next."""
    fields: dict[str, str] = {}
    lines = _lines(text)[:_HEADER_LINES]
    for i, line in enumerate(lines[:-1]):
        m = re.fullmatch(r"[•·\s]*[\[【]\s*([\u4e00-\u9fa5]{2,6})\s*[\]】]\s*", line)
        if m:
            fields.setdefault(m.group(1), lines[i + 1].strip("•· "))
    return fields
