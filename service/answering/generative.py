"""Optional generative answers through an OpenAI-compatible chat endpoint.

The model sees the retrieved passages numbered [1]..[n] and must cite them with [n] marks. Output is
accepted only when every sentence carries a mark and every mark points at a passage that was given;
otherwise (or when the endpoint fails) the extractive answer stands.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import httpx

from index.retriever import Hit
from service.answering.asking import asked
from service.answering.models import Answer, Citation
from service.answering.verify import answers

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "你是政策文件问答助手。只根据给出的编号段落回答问题，使用段落原文的表述；"
    "每一句话后面都要用 [编号] 标明出处，只能引用给出的编号。段落不能回答问题时，回答“无法从所给文件中找到答案”。"
)
_MARK = re.compile(r"\[(\d{1,2})\]")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


@dataclass(frozen=True)
class GenerativeConfig:
    base_url: str
    model: str
    api_key: str | None = None
    timeout: float = 30.0
    passages: int = 5


def build_messages(question: str, hits: list[Hit]) -> list[dict[str, str]]:
    passages = "\n\n".join(
        f"[{i}] 《{h.chunk.title}》{' > '.join(h.chunk.section)}\n{h.chunk.text}"
        for i, h in enumerate(hits, start=1)
    )
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"段落：\n{passages}\n\n问题：{question}"},
    ]


def verify(text: str, n_passages: int) -> list[int] | None:
    """The passage numbers cited, or None when the text is uncited or cites a passage not given."""
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip(" \n[]0123456789")]
    if not sentences:
        return None
    marks = [int(m) for m in _MARK.findall(text)]
    if not marks or any(not 1 <= m <= n_passages for m in marks):
        return None
    if any(not _MARK.search(s) for s in _split_keeping_marks(text)):
        return None
    return sorted(set(marks))


def _split_keeping_marks(text: str) -> list[str]:
    """Sentences with the marks that follow them ('甲。[1]乙[2]。' -> ['甲。[1]', '乙[2]。'])."""
    parts = re.findall(r"[^。！？!?\n]+[。！？!?]?(?:\s*\[\d{1,2}\])*", text)
    return [p for p in (x.strip() for x in parts) if p.strip(" []0123456789")]


class GenerativeAnswerer:
    def __init__(self, config: GenerativeConfig, client: httpx.Client | None = None):
        self.config = config
        self.client = client or httpx.Client(timeout=config.timeout)

    def complete(self, messages: list[dict[str, str]]) -> str:
        headers = {"Authorization": f"Bearer {self.config.api_key}"} if self.config.api_key else {}
        url = self.config.base_url.rstrip("/") + "/chat/completions"
        resp = self.client.post(
            url, json={"model": self.config.model, "messages": messages, "temperature": 0}, headers=headers
        )
        resp.raise_for_status()
        return resp.json()["choices"][0]["message"]["content"]

    def answer(self, question: str, hits: list[Hit], fallback: Answer) -> Answer:
        if not fallback.answerable:
            return fallback
        given = hits[: self.config.passages]
        try:
            text = self.complete(build_messages(question, given)).strip()
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            log.warning("generative endpoint failed (%s); using the extractive answer", exc)
            return fallback
        cited = verify(text, len(given))
        if cited is None:
            log.info("generated answer was uncited or cited passages not given; using the extractive answer")
            return fallback
        ask = asked(question)
        if ask and not (answers(ask, text) and any(answers(ask, given[n - 1].chunk.text) for n in cited)):
            # held to the same check as the extractive answer: the asked-for kind of fact, in a cited passage
            log.info(
                "generated answer does not state the asked-for %s from a cited passage; extractive", ask.kind
            )
            return fallback
        citations = []
        for n in cited:
            h = given[n - 1]
            meta = h.doc.meta
            citations.append(
                Citation(
                    n,
                    h.chunk.chunk_id,
                    h.chunk.doc_id,
                    h.chunk.source,
                    h.chunk.title,
                    h.chunk.section,
                    h.chunk.text,
                    h.chunk.start,
                    h.chunk.end,
                    meta.doc_number,
                    meta.region,
                    meta.issued_date or meta.published_date,
                    validity=h.doc.validity,
                    ocr=h.chunk.ocr,
                )
            )
        return Answer(
            question,
            True,
            text,
            citations,
            related=fallback.related,
            confidence=fallback.confidence,
            mode="generative",
            direct=fallback.direct,
        )
