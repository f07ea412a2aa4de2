"""Web pages: the article body only, without portal navigation, breadcrumbs or share widgets.

trafilatura finds the main content; labelled metadata that portals print around the article
(发文字号, 成文日期, 发布机构 ...) is read from the whole page and handed on as fields.
"""

from __future__ import annotations

import re

import trafilatura
from lxml import html as lxml_html

from corpus.encoding import decode_text
from corpus.errors import UnreadableDocument
from corpus.readers.base import RawText
from corpus.readers.text import normalise_newlines

_META_LABELS = (
    "发文字号",
    "文号",
    "成文日期",
    "发布日期",
    "印发日期",
    "发布机构",
    "发文机关",
    "索引号",
    "标题",
)
_FIELD = re.compile(
    r"[\[【\s]*(" + "|".join(_META_LABELS) + r")\s*[\]】]?\s*[:：]?\s*\n?\s*[•·]?\s*([^\n\[【]{1,60})"
)
_DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "noscript", "iframe", "form")


def read_html(data: bytes) -> RawText:
    source, encoding = decode_text(data)
    try:
        tree = lxml_html.document_fromstring(source)
    except (ValueError, lxml_html.etree.ParserError) as exc:
        raise UnreadableDocument(f"broken HTML: {exc}") from exc
    page_title = (tree.findtext(".//title") or "").strip() or None
    body = trafilatura.extract(
        source, include_tables=True, include_comments=False, favor_recall=True, deduplicate=False
    )
    if not body or not body.strip():
        body = _fallback_text(tree)
    fields = _labelled_fields(_page_text(tree))
    return RawText(
        text=normalise_newlines(body), format="html", encoding=encoding, title=page_title, fields=fields
    )


def _page_text(tree: lxml_html.HtmlElement) -> str:
    return "\n".join(t.strip() for t in tree.itertext() if t.strip())


def _fallback_text(tree: lxml_html.HtmlElement) -> str:
    for tag in _DROP_TAGS:
        for el in tree.iter(tag):
            el.drop_tree()
    return _page_text(tree)


def _labelled_fields(page_text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for label, value in _FIELD.findall(page_text):
        value = value.strip(" •·\t")
        if value and label not in fields:
            fields[label] = value
    return fields
