"""Remove scraping junk and page furniture, line by line, and keep a record of each removal.

Cleaning only deletes whole lines (and squeezes runs of blank lines): it never rewrites a sentence,
so every body sentence of the raw text is still in the cleaned text, character for character.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from corpus.models import RemovedSpan

# (reason, pattern matched against the stripped line). Order does not matter; the first match wins.
JUNK_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern))
    for reason, pattern in (
        (
            "document-site advert",
            r"整理文档很辛苦|赏杯茶钱|免费阅读已结束|阅读已结束|点击下载阅读|下载文档[,，]?编辑使用|^资源描述$|^保存成功$|^[×✕]$",
        ),
        (
            "document-site footer",
            r"^©|版权所有|备案号|ICP备|公网安备|网站标识码|客服联系|^主办[:：]|^承办[:：]|技术支持[:：]",
        ),
        (
            "portal navigation",
            r"^首页\s*[>＞›]|[>＞›]\s*政务公开|^当前位置|^您的位置|无障碍.*(?:适老|繁體|注册)|^[/|]?\s*注册\s",
        ),
        (
            "portal widgets",
            r"^[【\[]?(?:打印|关闭|打印本页|关闭窗口|收藏|分享到?|扫一扫|字体[:：]?\s*大\s*中\s*小)[】\]]?(?:\s*[【\[]?(?:打印|关闭|收藏|分享)[】\]]?)*$",
        ),
        (
            "portal related links",
            r"^(?:政策推荐|热门词汇|最新政策|换一换|相关链接|相关文件|相关阅读|上一篇[:：]?.*|下一篇[:：]?.*|微信公众号|官方微博|返回顶部)$",
        ),
        (
            "page number",
            r"^[-—－–]\s*\d{1,3}\s*[-—－–]$|^第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?$|^\d{1,3}\s*/\s*\d{1,3}$",
        ),
    )
)
_LONE_NUMBER = re.compile(r"^\d{1,3}$")


@dataclass
class CleanResult:
    text: str
    removed: list[RemovedSpan]
    # kept raw segments, in order: (raw_start, raw_end, clean_start)
    segments: list[tuple[int, int, int]] = field(default_factory=list)

    def to_clean_offset(self, raw_offset: int) -> int:
        """Map an offset in the raw text to the cleaned text (a removed offset maps to the next kept one)."""
        starts = [s[0] for s in self.segments]
        i = bisect.bisect_right(starts, raw_offset) - 1
        if i < 0:
            return 0
        raw_start, raw_end, clean_start = self.segments[i]
        return clean_start + min(raw_offset, raw_end) - raw_start


def junk_reason(line: str, prev_blank: bool, next_blank: bool) -> str | None:
    """Why this line is furniture, or None when it is content."""
    stripped = line.strip()
    if not stripped:
        return None
    for reason, pattern in JUNK_RULES:
        if pattern.search(stripped):
            return reason
    if _LONE_NUMBER.match(stripped) and prev_blank and next_blank:
        return "page number"
    return None


def clean(raw: str) -> CleanResult:
    lines = raw.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    keep: list[bool] = []
    removed: list[RemovedSpan] = []
    for i, line in enumerate(lines):
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        reason = junk_reason(line, prev_blank, next_blank)
        if reason:
            removed.append(RemovedSpan(start=offsets[i], text=line.strip(), reason=reason))
        keep.append(reason is None)
    # squeeze blank lines: at most one empty line in a row, none at the start
    out_parts: list[str] = []
    segments: list[tuple[int, int, int]] = []
    clean_pos = 0
    blank_run = 0
    for i, line in enumerate(lines):
        if not keep[i]:
            continue
        if not line.strip():
            blank_run += 1
            if blank_run > 1 or clean_pos == 0:
                continue
        else:
            blank_run = 0
        piece = line + "\n"
        segments.append((offsets[i], offsets[i] + len(piece), clean_pos))
        out_parts.append(piece)
        clean_pos += len(piece)
    text = "".join(out_parts).rstrip()
    return CleanResult(text=text, removed=removed, segments=segments)
