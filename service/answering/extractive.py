"""Extractive answers: pick the sentences (or table rows) of the top chunks that answer, cite each.

A span's score mixes five signals, all in [0, 1]:
* ``lexical``: idf-weighted share of the question's terms (and their abbreviation expansions) it holds;
* ``chars``: share of the question's character bigrams it holds (robust to word segmentation);
* ``prior``: the retrieval score of its chunk relative to the best chunk;
* ``cue``: whether it holds what the question asks for (a number, a date, an enumeration ...);
* ``meaning``: its sentence vector's similarity to the question, placed between the worst and the best
  sentence of the top chunks in the question's scope (index.sentences): what the question means when it
  shares no word with the answer.
  Without sentence vectors the other four carry the whole score.
Spans outside the regions a question names are discounted. The best span's score is the answer's
confidence; below the calibrated threshold the question is declined.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from corpus.jurisdiction import provinces_named
from corpus.metadata import document_kind, normalise_doc_number, parse_date, years_covered
from corpus.models import Chunk, Document
from corpus.validity import effective_statement
from index.query import QueryAnalysis
from index.retriever import Hit
from index.sentences import cuts_clauses
from service.answering.asking import Ask, about, asked, relative_to, with_head
from service.answering.cues import Cues, cue_score, meets_strict, question_cues, without_compare_words
from service.answering.jurisdiction import binds_then, binds_there
from service.answering.models import Answer, Citation, ComparisonRow
from service.answering.relevance import closest, unrelated
from service.answering.spans import (
    Span,
    branches_of,
    clause_window,
    enumeration_of,
    is_heading_only,
    is_lead_in,
    lead_in_of,
    lead_text,
    spans_of,
    with_items,
)
from service.answering.verify import answers, extract, row_fields, states

_PUNCT = re.compile(r"[\s\W_]+")
_BLANK_LINES = re.compile(r"\n[ \t\u3000]*(?:\n[ \t\u3000]*)+")
# a full date as documents write it (2024年4月7日, 2024-04-07): a metadata value is located by it
_WRITTEN_DATE = re.compile(
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
)
DECLINE_TEXT = "未在现有文件中找到能直接回答该问题的内容。下面是最相关的段落，供参考。"
# a question nothing in the library comes close to (service.answering.relevance): say so, and that the
# passages listed are only the nearest there are
UNRELATED_TEXT = "现有文件似乎没有涉及这个问题：没有与之相近的内容。下面是检索到的最接近的段落，仅供参考。"
NOT_STATED = "现有文件中未找到相关内容。"  # a comparison's row for a place no passage speaks for
SPAN_WORDS_CACHED = 65_536  # spans whose words an answerer keeps (about 20 MB at most)


@dataclass(frozen=True)
class AnswerConfig:
    top_chunks: int = 6
    max_spans: int = 3
    keep_ratio: float = 0.8  # further spans must score at least this share of the best one
    # fitted on statute questions (evaluation/calibration_report.py: statutes-own.jsonl and
    # national-own.jsonl), never on the seeds or a gold question: the training-data rule; 0.1.0's 0.40
    # had been set on the dev set; refitted for the query-tower mix (Settings.adapter_share 0.25), and
    # again (0.519 -> 0.4879) once one-sentence passages kept their own dense score, (-> 0.4943) once
    # policy documents' clauses joined the sentence side (index.sentences), and (-> 0.4831) once a
    # question about a document itself was answered only by its line of the event asked
    # (verify.counts_it): a near-miss it had declined by threshold is declined by that check, which moves
    # the gap the rule centres the threshold in
    threshold: float = 0.4831
    # lexical, chars, prior, cue, meaning: the first four in 0.1.0's proportions (0.35 : 0.25 : 0.3 :
    # 0.1), the sentence signal's 0.3 chosen on statute questions (python -m evaluation.answer_weights)
    weights: tuple[float, float, float, float, float] = (0.245, 0.175, 0.21, 0.07, 0.3)
    off_scope: float = 0.5
    # a statute's sentence that shares no word with the question answers only when its raw similarity to
    # the question reaches this floor (None: no floor). Every signal above but the two lexical ones is
    # relative to the passages at hand, so in a library of statutes the closest article looks confident
    # whatever it says (怎么办理护照 was answered with an immigration fine). Applied to every statute
    # sentence, shared words or not, it also declined everyday questions the statute does answer (装了监控
    # 要不要贴个提示: 设置显著的提示标识, 0.79), so it stands where no word does.
    # Fitted on the sentences that answer the statute fit sets' questions (python -m
    # evaluation.calibration_report: the least similar of them, so that none falls below) with the shipped
    # query side only: cosines of another model or query mix lie on another scale (Settings.answering
    # turns it off there). Plans get none: no non-seed plan question exists to fit one on (the
    # training-data rule).
    legal_floor: float | None = 0.7982
    # a question is declined when no collection of the library holds a sentence closer to it than this
    # quantile of what unrelated questions reach there (service.answering.relevance; None: no such
    # check). Fitted on the statute fit sets (python -m evaluation.calibration_report: the largest that
    # declines none of their answerable questions), never on the seeds or a gold question; 0.84 while
    # only the sentences of the passages an answer reads were measured, 0.87 since the library's nearest
    # sentence is a second measure (relevance.closest)
    relevance_quantile: float | None = 0.87


Signals = tuple[float, float, float, float, float | None]  # lexical, chars, prior, cue, meaning


@dataclass(frozen=True)
class ScoredSpan:
    span: Span
    score: float
    hit: Hit
    # what the score was made of: the five signals and the discount for being off the question's scope
    # (score = factor * combine(signals, weights)); read by evaluation.span_weights to learn the weights
    signals: Signals | None = None
    factor: float = 1.0


def bigrams(text: str) -> set[str]:
    s = _PUNCT.sub("", text)
    return {s[i : i + 2] for i in range(len(s) - 1)}


def span_signals(
    span: Span,
    q_terms: Sequence[str],
    q_bigrams: set[str],
    idf: Callable[[str], float],
    words: Callable[[str], Collection[str]],
    prior: float,
    cues: Cues,
    meaning: float | None = None,
    cue_text: str | None = None,
    lead: str = "",
) -> Signals:
    """The five signals of a span, each in [0, 1] (``words``: a text's words, as the index segments
    them; ``meaning`` None: the index has no sentence vectors; ``cue_text``: where the cue is looked for,
    when not in the span itself: a lead-in's list; ``lead``: the lead-in line an enumerated item
    completes, whose words are the item's too: (一)造成30人以上死亡的 is one of 有下列情形之一的，为特别重大事故)."""
    lexical, chars = overlap(lead + span.text, q_terms, q_bigrams, idf, words)
    return lexical, chars, prior, cue_score(cues, cue_text or span.text), meaning


def shares_a_word(text: str, q_terms: Sequence[str], words: Callable[[str], Collection[str]]) -> bool:
    """Whether a text holds a word of the question's of two characters or more (pure).

    >>> words = lambda t: {t[i : i + 2] for i in range(len(t) - 1)} | set(t)
    >>> shares_a_word("挂上桅顶", ["出", "上", "说"], words), shares_a_word("挂上桅顶", ["桅顶"], words)
    (False, True)
    """
    held = words(text)
    return any(len(t) >= 2 and t in held for t in q_terms)


def overlap(
    text: str,
    q_terms: Sequence[str],
    q_bigrams: set[str],
    idf: Callable[[str], float],
    words: Callable[[str], Collection[str]],
) -> tuple[float, float]:
    """The two lexical signals of a text: the idf-weighted share of the question's terms it holds, and
    the share of the question's character bigrams (pure)."""
    terms = words(text)
    total = sum(idf(t) for t in set(q_terms)) or 1.0
    lexical = sum(idf(t) for t in set(q_terms) if t in terms) / total
    chars = len(q_bigrams & bigrams(text)) / len(q_bigrams) if q_bigrams else 0.0
    return lexical, chars


def combine(signals: Signals, weights: tuple[float, float, float, float, float]) -> float:
    """The weighted sum of the signals; without ``meaning`` the other four are rescaled to the whole
    weight (pure)."""
    *four, meaning = signals
    w_meaning = weights[4]
    score = sum(w * x for w, x in zip(weights[:4], four, strict=True))
    if meaning is None:
        return score / (1 - w_meaning) if w_meaning < 1 else 0.0
    return score + w_meaning * meaning


def scope_free(question: str, analysis: QueryAnalysis | None) -> str:
    """The question without the places and years it names: they say which documents are asked about
    (the off-scope discount reads them), not what a span must say, so a preamble that repeats
    '2025年南平镇' does not outscore the sentence that answers (as in retrieval, index.retriever)."""
    if analysis is None:
        return question
    content = question
    for name in sorted(analysis.scope_names(), key=len, reverse=True):
        content = content.replace(name, " ")
    return content if content.strip() else question


def scope_misses(hit: Hit, analysis: QueryAnalysis | None) -> tuple[bool, bool]:
    """Whether ``hit``'s document is of another place, and of other years, than the question names (never,
    when it names none): such a document answers only at a discount (``AnswerConfig.off_scope``), once
    for each; a plan for 2024—2026年 is of each of those years (``corpus.metadata.years_covered``). A
    statute that binds the places and years named is of them (``binds_there``, ``binds_then``)."""
    if analysis is None:
        return False, False
    meta = hit.doc.meta
    other_place = (
        bool(analysis.regions or analysis.unheld)
        and meta.region not in analysis.regions
        and not binds_there(meta.region, meta.jurisdiction, meta.doc_type, analysis.jurisdictions)
    )
    other_years = (
        bool(analysis.years)
        and not set(analysis.years) & set(years_covered(meta.title, meta.year))
        and not binds_then(meta.year, meta.doc_type, analysis.years)
    )
    return other_place, other_years


def content_of(question: str, analysis: QueryAnalysis | None, cues: Cues) -> str:
    """What a span must speak of: the question without the places and years it names (``scope_free``)
    and, in a comparison, without the words asking for one (``cues.without_compare_words``)."""
    content = scope_free(question, analysis)
    if cues.compare:
        topic = without_compare_words(content)
        content = topic if topic.strip() else content
    return content


def in_scope(hit: Hit, analysis: QueryAnalysis | None) -> bool:
    """Whether ``hit``'s document is of the places and years the question names (all are, when it names
    none)."""
    return not any(scope_misses(hit, analysis))


def within(hit: Hit, span: Span) -> tuple[int, int]:
    """A span's offsets within its hit's passage, as the hit's sentence similarities are keyed."""
    return span.start - hit.chunk.start, span.end - hit.chunk.start


def sentence_meaning(
    hits: Sequence[Hit], range_of: Sequence[Hit] | None = None
) -> Callable[[Hit, Span], float] | None:
    """A span's sentence similarity placed between the worst (0) and the best (1) sentence of ``hits``
    (0 for a span too short to have a vector); None when the hits carry no sentence similarities.

    Relative, because the query tower's cosines are not calibrated: for a question in everyday words
    every sentence may score below zero, and a ratio to the best one (``x / best``, used before) gave
    every span 0, which declined answerable questions whose passage had been found. The range is
    defined whatever the sign, as in min-max fusion (index.fusion). ``range_of``: the hits whose
    sentences set the range (default ``hits``); a sentence beyond it is clamped to 0 or 1."""
    sims = [x for h in (hits if range_of is None else range_of) for _, _, x in h.sentences]
    if not sims:
        sims = [x for h in hits for _, _, x in h.sentences]
    if not sims:
        return None
    best, worst = max(sims), min(sims)
    by_span = {(h.chunk.chunk_id, a, b): x for h in hits for a, b, x in h.sentences}

    def meaning(hit: Hit, span: Span) -> float:
        at = within(hit, span)
        x = by_span.get((hit.chunk.chunk_id, *at))
        if x is None:  # a span joining sentences (spans.branches_of) reads the closest of them
            x = max((y for a, b, y in hit.sentences if at[0] <= a and b <= at[1]), default=None)
        if x is None:
            return 0.0
        # a sentence outside the range's passages may lie beyond it: clamped to the scale's ends
        return min(1.0, max(0.0, (x - worst) / (best - worst))) if best > worst else 1.0

    return meaning


def span_similarity(hit: Hit, span: Span) -> float | None:
    """The raw similarity of a span's sentence to the question: its own sentence vector's, else (a span
    too short to have one, or cut otherwise) the best of its passage's sentences; None when the hit
    carries no sentence similarities (no sentence vectors, or a lexical search)."""
    at = within(hit, span)
    own = next((x for a, b, x in hit.sentences if (a, b) == at), None)
    return own if own is not None else max((x for _, _, x in hit.sentences), default=None)


def below_floor(hit: Hit, span: Span, floor: float | None) -> bool:
    """Whether a statute's span is too far from the question to answer it (``AnswerConfig.legal_floor``);
    never a plan's, and never where no similarity is known."""
    if not floor or document_kind(hit.doc.meta.doc_type) != "legal":
        return False
    similarity = span_similarity(hit, span)
    return similarity is not None and similarity < floor


def citation(n: int, span: Span, hit: Hit, document: Document | None) -> Citation:
    quote = document.text[span.start : span.end] if document is not None else span.text
    meta = hit.doc.meta
    return Citation(
        n=n,
        chunk_id=span.chunk.chunk_id,
        doc_id=span.chunk.doc_id,
        source=span.chunk.source,
        title=span.chunk.title,
        section=span.chunk.section,
        quote=quote,
        start=span.start,
        end=span.end,
        doc_number=meta.doc_number,
        region=meta.region,
        date=meta.issued_date or meta.published_date,
        validity=hit.doc.validity,
        ocr=span.chunk.ocr,
        page=document.page_at(span.start) if document is not None else None,
        uncertain=document.uncertain_in(span.start, span.end) if document is not None else (),
    )


class ExtractiveAnswerer:
    def __init__(
        self,
        tokenize: Callable[[str], list[str]],
        idf: Callable[[str], float],
        documents: Callable[[str], Document | None],
        chunk_at: Callable[[str, int], Chunk | None],
        config: AnswerConfig,
        floors: Callable[[], Mapping[str, float]] | None = None,
    ):
        """``floors``: each collection's relevance floor (``relevance.RelevanceFloors.get``), asked for
        on the first question that needs it; None: no question is declined as unrelated."""
        self.chunk_at = chunk_at
        self.floors = floors
        self.tokenize = tokenize
        # a span's words, segmented once per index generation: the same passages answer many questions,
        # and segmenting them (jieba) was most of an answer's time
        self.span_words = lru_cache(maxsize=SPAN_WORDS_CACHED)(lambda text: frozenset(tokenize(text)))
        self.idf = idf
        self.documents = documents
        self.config = config

    def answer(
        self,
        question: str,
        hits: list[Hit],
        analysis: QueryAnalysis | None,
        idf: Callable[[str], float] | None = None,
        nearest: Mapping[str, float] | None = None,
    ) -> Answer:
        """``idf``: term weights of the documents the asker may read (default: the whole library's);
        ``nearest``: the search's nearest sentence per collection (``SearchResult.nearest``)."""
        cues = question_cues(question)
        if cues.metadata:
            meta_answer = self._metadata_answer(question, cues, hits, analysis)
            if meta_answer:
                return meta_answer
        # nothing in the library closer to the question than what unrelated questions find there: declined
        # (a metadata question is about a document it names, read from its metadata, not its sentences)
        if (
            self.floors is not None
            and not cues.metadata
            and unrelated(closest(self.reading(hits, analysis), nearest), self.floors())
        ):
            return _declined(question, hits, 0.0, UNRELATED_TEXT)
        ask = asked(question)
        if ask:  # read against the passages at hand before any span is admitted on it (a lead-in)
            texts = (s.text for h in self.reading(hits, analysis) for s in spans_of(h.chunk))
            ask = with_head(relative_to(ask, texts), self.tokenize)
        scored = self.score_spans(question, hits, analysis, cues, idf, ask)
        if ask and scored:
            # only a span that states the asked-for kind of fact answers; otherwise say what is there
            fitting = [
                s for s in scored if answers(ask, s.span.text, s.span.chunk.title, _enumeration(s.span))
            ]
            if not fitting or fitting[0].score < self.config.threshold:
                # the passage named: the best that speaks of what is asked about, else the best of all,
                # among those sharing words with the question; none does (a dating line, a preamble):
                # the plain decline, which claims nothing about what the documents mention
                words = bigrams(content_of(question, analysis, cues))
                sharing = [s for s in scored if words & bigrams(s.span.text)]
                mentioned = next(
                    (s for s in sharing if about(ask, s.span.text)), sharing[0] if sharing else None
                )
                if mentioned is None:
                    return _declined(question, hits, scored[0].score)
                return self._decline_missing(question, ask, mentioned, hits)
            scored = fitting
        if not scored or scored[0].score < self.config.threshold:
            return _declined(question, hits, scored[0].score if scored else 0.0)
        chosen = self._narrowed(self._choose(scored, cues, analysis), question, analysis, cues, idf)
        compare = self._is_compare(cues, analysis)
        wanted = tuple(analysis.regions) if compare and analysis else ()
        return self._compose(question, chosen, hits, ask, cues, compare=compare, wanted=wanted)

    def score_spans(
        self,
        question: str,
        hits: list[Hit],
        analysis: QueryAnalysis | None,
        cues: Cues,
        idf: Callable[[str], float] | None = None,
        ask: Ask | None = None,
    ) -> list[ScoredSpan]:
        """Every candidate span of the top hits, scored, best first; ``ask`` (what the question asks
        for, ``asking.asked``) lets a lead-in line that states it take part."""
        top = self.reading(hits, analysis)
        if not top:
            return []
        q_terms, q_bigrams = self._question_terms(question, analysis, cues)
        q_words = {t for t in q_terms if len(t) >= 2}

        def shared(text: str) -> set[str]:
            return q_words & self.span_words(text)

        best = max(h.score for h in top) or 1.0
        # the range a sentence's similarity is placed in is set by the passages the question's scope
        # admits: a statute's sentence, discounted for a question about 渝中区, does not push the plan's
        # answering sentence down the scale (all of them when none is in scope)
        admitted = [h for h in top if in_scope(h, analysis)]
        meaning = sentence_meaning(top, admitted or top)
        scored = []
        years = analysis.years if analysis else ()
        for hit in top:
            prior = max(0.0, hit.score / best)
            off_scope, other_years = scope_misses(hit, analysis)
            sentences = spans_of(hit.chunk)
            for span in sentences + completing_branches(sentences, ask, shared):
                # a lead-in introduces what follows, but one holding the asked-for fact states it
                # (应当在拆除工程施工15日前，将下列资料报送…：), and one opening the list a question asks for
                # (有哪些职责), however short, is quoted with its items, which are what meets the question's cue
                listed = with_items(span) if "list" in cues.wants and is_lead_in(span) else None
                if (is_heading_only(span) and not listed) or not meets_strict(cues, span.text):
                    continue
                if is_lead_in(span) and not (
                    (ask and answers(ask, span.text, span.chunk.title, _enumeration(span))) or listed
                ):
                    continue
                signals = span_signals(
                    span,
                    q_terms,
                    q_bigrams,
                    idf or self.idf,
                    self.span_words,
                    prior,
                    cues,
                    meaning(hit, span) if meaning else None,
                    listed.text if listed else None,
                    lead_text(span),
                )
                # a statute's sentence that shares no word with the question has only its meaning to stand
                # on: it answers when that meaning is as close as a sentence that answered a statute
                # question (``AnswerConfig.legal_floor``); shared words are evidence of their own, but a
                # shared single character (上, 说) is not: alone it is a particle or a morpheme whose
                # sense comes from the word it is part of
                if not shares_a_word(span.text, q_terms, self.span_words) and below_floor(
                    hit, span, self.config.legal_floor
                ):
                    continue
                factor = 1.0
                if off_scope:
                    factor *= self.config.off_scope
                if other_years and not any(str(y) in span.text for y in years):
                    factor *= self.config.off_scope  # a question about 2023 is not answered by a 2024 plan
                s = factor * combine(signals, self.config.weights)
                scored.append(ScoredSpan(span, s, hit, signals, factor))
        scored.sort(key=lambda x: (-x.score, x.hit.rank, x.span.start))
        return scored

    def _question_terms(
        self, question: str, analysis: QueryAnalysis | None, cues: Cues
    ) -> tuple[list[str], set[str]]:
        """The words (with their abbreviations' expansions) and character bigrams spans are matched on."""
        content = content_of(question, analysis, cues)
        q_terms = self.tokenize(content) + (
            [t for e in analysis.expansions for t in self.tokenize(e)] if analysis else []
        )
        return q_terms, bigrams(content)

    def _narrowed(
        self,
        chosen: list[ScoredSpan],
        question: str,
        analysis: QueryAnalysis | None,
        cues: Cues,
        idf: Callable[[str], float] | None,
    ) -> list[ScoredSpan]:
        """A policy document's long sentence quoted as the clauses that answer (``spans.clause_window``);
        a statute's sentence is one rule whose commas join its parts, so it is quoted whole
        (``index.sentences.cuts_clauses``)."""
        q_terms, q_bigrams = self._question_terms(question, analysis, cues)

        def relevance(text: str) -> float:
            return sum(overlap(text, q_terms, q_bigrams, idf or self.idf, self.span_words))

        return [
            replace(s, span=clause_window(s.span, relevance)) if cuts_clauses(s.hit.doc.meta.doc_type) else s
            for s in chosen
        ]

    def reading(self, hits: list[Hit], analysis: QueryAnalysis | None) -> list[Hit]:
        """The hits an answer reads: the top ones, and those of a comparison's per-region searches (ranked
        1-3 within their region)."""
        top = hits[: self.config.top_chunks]
        return top + [
            h
            for h in hits[self.config.top_chunks :]
            if analysis and h.doc.meta.region in analysis.regions and h.rank <= 3
        ]

    @staticmethod
    def _is_compare(cues: Cues, analysis: QueryAnalysis | None) -> bool:
        return cues.compare or bool(analysis and len(analysis.regions) >= 2)

    def _choose(
        self, scored: list[ScoredSpan], cues: Cues, analysis: QueryAnalysis | None
    ) -> list[ScoredSpan]:
        best = scored[0].score
        if self._is_compare(cues, analysis):
            per_doc: dict[str, ScoredSpan] = {}
            wanted = set(analysis.regions) if analysis and analysis.regions else None
            for s in scored:
                region = s.hit.doc.meta.region
                if wanted is not None and region not in wanted:
                    continue
                # a row speaks of the point compared: a span sharing no word with it (a document's title
                # line, its dating line) leaves the place's row saying the documents are silent
                if s.signals is not None and s.signals[0] == 0 and s.signals[1] == 0:
                    continue
                key = region if wanted is not None else s.span.chunk.doc_id
                if key not in per_doc and s.score >= 0.5 * best:
                    per_doc[key] = s
            chosen = speaking_rows(list(per_doc.values())[: max(self.config.max_spans, len(wanted or ()))])
            return chosen or scored[:1]
        return choose_spans(scored, self.config.max_spans, self.config.keep_ratio)

    def _compose(
        self,
        question: str,
        chosen: list[ScoredSpan],
        hits: list[Hit],
        ask: Ask | None,
        cues: Cues,
        compare: bool,
        wanted: tuple[str, ...] = (),
    ) -> Answer:
        # document order inside each document, documents in retrieval order
        doc_rank = {}
        for s in chosen:
            doc_rank.setdefault(
                s.span.chunk.doc_id,
                min(x.hit.rank for x in chosen if x.span.chunk.doc_id == s.span.chunk.doc_id),
            )
        ordered = sorted(chosen, key=lambda s: (doc_rank[s.span.chunk.doc_id], s.span.start))
        if not compare:
            # a list asked for (有哪些职责) is quoted whole; an item otherwise after its lead-in
            ordered = with_lead_ins(with_lists(ordered) if "list" in cues.wants else ordered)
        merged = _merge_adjacent(ordered, self.documents)
        lines, citations, rows = [], [], []
        for n, (span, hit) in enumerate(merged, start=1):
            doc = self.documents(span.chunk.doc_id)
            cite = citation(n, span, hit, doc)
            cite = replace(cite, fields=tuple(table_fields(cite.quote, span)))
            citations.append(cite)
            shown = display_text(cite.quote, span)
            if compare:
                label = hit.doc.meta.region or hit.chunk.title
                rows.append(ComparisonRow(label, shown, n))
                lines.append(f"{label}：{shown}[{n}]")
            else:
                lines.append(f"{shown}[{n}]")
        # a place the comparison names that no passage answers for says so, rather than quoting something weak
        for region in wanted:
            if all(r.label != region for r in rows):
                rows.append(ComparisonRow(region, None, None))
                lines.append(f"{region}：{NOT_STATED}")
        # the precise answer is read from the best span itself, then from the quote that holds it (a lead-in
        # joined to it); it cites that quote
        top = chosen[0].span
        best = next(
            (c for c in citations if c.doc_id == top.chunk.doc_id and c.start <= top.start < c.end),
            next(c for c in citations if c.chunk_id == top.chunk.chunk_id),
        )
        direct = None
        if not compare:
            direct = direct_answer(question, ask, cues, top.text, top) or direct_answer(
                question, ask, cues, best.quote, top
            )
        text = ("\n" if compare else "").join(lines)
        if direct:
            text = f"答：{direct}[{best.n}]\n{text}"
        return Answer(
            question,
            True,
            text,
            citations,
            related=hits[:5],
            confidence=round(chosen[0].score, 4),
            direct=direct,
            comparison=rows,
        )

    def _decline_missing(self, question: str, ask: Ask, best: ScoredSpan, hits: list[Hit]) -> Answer:
        """The documents speak of the topic but do not state the asked-for fact: say both, cite what is there."""
        doc = self.documents(best.span.chunk.doc_id)
        cite = citation(1, best.span, best.hit, doc)
        cite = replace(cite, fields=tuple(table_fields(cite.quote, best.span)))
        # a table row reads as 字段：值 here too (the citation keeps the verbatim row at its offsets)
        mentioned = display_text(cite.quote, best.span).strip().rstrip("。；;，,")
        if len(mentioned) > 80:
            mentioned = mentioned[:80] + "…"
        text = decline_text(mentioned, ask.label, states(ask, best.span.text))
        return Answer(question, False, text, [cite], related=hits[:5], confidence=round(best.score, 4))

    def _metadata_answer(
        self, question: str, cues: Cues, hits: list[Hit], analysis: QueryAnalysis | None
    ) -> Answer | None:
        """发文字号 / 成文日期 / 发文机关: the field of the document the question names, cited where it is stated."""
        target = None
        if analysis and analysis.doc_scores:
            ranked = sorted(analysis.doc_scores.items(), key=lambda kv: -kv[1])
            top_docs = {d for d, s in ranked if s == ranked[0][1]}
            target = next((h for h in hits if h.chunk.doc_id in top_docs), None)
        target = target or (hits[0] if hits else None)
        if target is None or not _is_named(target, cues, analysis):
            return None
        doc = self.documents(target.chunk.doc_id)
        value = getattr(target.doc.meta, cues.metadata or "", None)
        if doc is None or not value:
            return None
        found = _locate_value(doc.text, cues.metadata or "", value)
        if found is None:
            return None
        start, end = found
        span = Span(self.chunk_at(doc.doc_id, start) or target.chunk, start, end, doc.text[start:end], False)
        cite = citation(1, span, target, doc)
        text = f"《{target.chunk.title}》：{cite.quote}[1]"
        # a 施行日期 is stated inside a sentence (本条例自2020年8月1日起施行): the date leads, as written
        dated = _WRITTEN_DATE.search(cite.quote) if cues.metadata == "valid_from" else None
        direct = "".join(dated.group(0).split()) if dated else None  # 2022年5月 1日: layout spaces dropped
        if direct:
            text = f"答：{direct}[1]\n{text}"
        return Answer(question, True, text, [cite], related=hits[:5], confidence=1.0, direct=direct)


def decline_text(mentioned: str, label: str, stated: bool) -> str:
    """What a decline says of the passage it cites: that it gives no such fact, or, when it gives one
    that could not be tied to what is asked (an amount for another act, a figure below the answer
    threshold), that this one is not confirmed to be the one asked for: never that a cited passage
    lacks what it visibly holds.

    >>> decline_text("加强宣传", "金额", False)
    '文件提到了：加强宣传[1]，但没有给出金额。未找到能直接回答该问题的内容。'
    >>> decline_text("处200元罚款", "金额", True)
    '文件提到了：处200元罚款[1]，但不能确认其中的金额就是所问的。未找到能直接回答该问题的内容。'
    """
    missing = f"但不能确认其中的{label}就是所问的" if stated else f"但没有给出{label}"
    return f"文件提到了：{mentioned}[1]，{missing}。未找到能直接回答该问题的内容。"


def _enumeration(span: Span) -> str:
    """The lead-in an enumerated item completes, or the items a lead-in opens (spans.enumeration_of)."""
    return enumeration_of(span.chunk.text, span.start - span.chunk.start)


def _declined(question: str, hits: list[Hit], best: float, text: str = DECLINE_TEXT) -> Answer:
    """A decline with no citation: no passage answers (``text`` says why); the most relevant passages are
    listed for the reader."""
    return Answer(question, False, text, [], related=hits[:5], confidence=round(best, 4))


def _is_named(target: Hit, cues: Cues, analysis: QueryAnalysis | None) -> bool:
    """Whether ``target`` is the document a metadata question asks about: of a place the question names
    (if it names one; 北京市消防条例 is not answered from 重庆市消防条例), and for a 施行日期, among
    those whose title the question names (a library holds many acts, each with its own date)."""
    if analysis is None:
        return cues.metadata != "valid_from"
    if (analysis.regions or analysis.unheld) and target.doc.meta.region not in analysis.regions:
        return False  # another place's document (九龙坡区 holds none here: 渝中区's is not its)
    if cues.metadata != "valid_from":
        return True
    # a province the question names that the library does not hold (四川省消防条例) is not another's
    named = provinces_named(analysis.query)
    mine = target.doc.meta.jurisdiction
    return target.chunk.doc_id in analysis.title_docs and (not named or mine in named)


def table_fields(quote: str, span: Span) -> list[tuple[str, str]]:
    """A table row's cells named by its header ([] for prose)."""
    header = span.table_header or (span.chunk.table_header if "|" in quote else None)
    return row_fields(header, quote) if header else []


def display_text(quote: str, span: Span | None) -> str:
    """How a quoted span reads in a text answer: a table row as 字段：值；…, the blank lines between an
    article's paragraphs and items closed up (the citation stays verbatim).

    >>> display_text("应当遵守下列规定：\\n\\n（一）甲；\\n \\n（二）乙。", None)
    '应当遵守下列规定：\\n（一）甲；\\n（二）乙。'
    """
    fields = table_fields(quote, span) if span is not None else []
    if fields:
        return "；".join(f"{name}：{value}" for name, value in fields)
    return _BLANK_LINES.sub("\n", quote)


def direct_answer(question: str, ask: Ask | None, cues: Cues, quote: str, span: Span) -> str | None:
    """The precise answer in the best quote: the asked-for figure, date or frequency, or for 谁/哪个部门
    the 责任单位 of a table row."""
    if ask is None and "number" in cues.wants:
        ask = Ask("number")
    if ask is not None:
        return extract(ask, quote, question, span.chunk.title, _enumeration(span))
    if "who" in cues.wants:
        return dict(table_fields(quote, span)).get("责任单位")
    return None


def _locate_value(text: str, field: str, value: str) -> tuple[int, int] | None:
    """Where the document states a metadata value, as it is written there."""
    if field == "doc_number":
        for m in re.finditer(r"[^\s•·]{1,12}[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d{1,4}\s*号", text):
            if normalise_doc_number(m.group(0)) == value:
                return m.start(), m.end()
        return None
    if field in ("issued_date", "published_date"):
        for m in _WRITTEN_DATE.finditer(text):
            if parse_date(m.group(0)) == value:
                return m.start(), m.end()
        return None
    if field == "valid_from":
        return effective_statement(text)
    k = text.find(value)
    return (k, k + len(value)) if k >= 0 else None


def speaking_rows(rows: Sequence[ScoredSpan], need: float = 0.5) -> list[ScoredSpan]:
    """A comparison's rows that speak of the point compared: each names at least ``need`` (half, as a
    date or a figure must name the topic it is asked of: ``asking.Ask.need``) of the share of the
    point's character pairs that the fullest row names. A place whose best sentence shares only a
    generic word with the point (灾害 of 灾害信息员培训) says nothing on it, and its row says so (pure).

    >>> from types import SimpleNamespace as S
    >>> rows = [S(signals=(0.4, 0.5, 1, 1, 1)), S(signals=(0.1, 0.1, 1, 1, 1)), S(signals=(0.3, 0.3, 1, 1, 1))]
    >>> [r.signals[1] for r in speaking_rows(rows)]
    [0.5, 0.3]
    """
    fullest = max((r.signals[1] for r in rows if r.signals is not None), default=0.0)
    return [r for r in rows if r.signals is None or r.signals[1] >= need * fullest]


def completing_branches(
    sentences: list[Span], ask: Ask | None, shared: Callable[[str], set[str]] | None = None
) -> list[Span]:
    """The branches of a norm joined (``spans.branches_of``) where together they hold the asked-for fact
    and the branch is needed: the first part does not answer alone (拒绝监督检查的，责令改正；拒不改正的，处
    二万元以上罚款 for 拒绝监督检查罚款多少: the fine is in the branch, the act before it), or the branch holds
    a word of the question the first part does not (``shared``: the question's words a text holds), so it
    speaks to what is asked (应急期一般为10日；必要时，可以延长20日 for 最多能再延长几天). Otherwise the first
    part is quoted as it is (pure).

    >>> from corpus.models import Chunk
    >>> from service.answering.spans import spans_of
    >>> t = "拒绝监督检查的，责令改正；拒不改正的，处二万元以上罚款。"
    >>> ss = spans_of(Chunk("c", "d", "s", "t", (), t, 0, len(t), 0))
    >>> [b.text for b in completing_branches(ss, Ask("money", counted="拒绝监督检查"))]
    ['拒绝监督检查的，责令改正；拒不改正的，处二万元以上罚款。']
    >>> completing_branches(ss, None), completing_branches(ss, Ask("date", counted="拒绝监督检查"))
    ([], [])
    >>> t = "震后应急期一般为10日；必要时，可以延长20日。"
    >>> ss = spans_of(Chunk("c", "d", "s", "t", (), t, 0, len(t), 0))
    >>> words = lambda q: (lambda text: {w for w in q if w in text})
    >>> [b.text for b in completing_branches(ss, Ask("duration"), words(["应急期", "延长"]))]
    ['震后应急期一般为10日；必要时，可以延长20日。']
    >>> completing_branches(ss, Ask("duration"), words(["应急期"]))
    []
    """
    if ask is None:
        return []
    first = {s.start: s for s in sentences}
    out = []
    for joined in branches_of(sentences):
        head = first[joined.start].text
        branch = joined.text[len(head) :]
        if not answers(ask, joined.text, joined.chunk.title):
            continue
        if not answers(ask, head, joined.chunk.title) or (shared and shared(branch) - shared(head)):
            out.append(joined)
    return out


def choose_spans(scored: Sequence[ScoredSpan], max_spans: int, keep_ratio: float) -> list[ScoredSpan]:
    """The spans an answer quotes (``scored`` best first): the best, then those scoring at least
    ``keep_ratio`` of it, up to ``max_spans``, a repeat of a chosen one skipped. When all come from one
    collection (laws; policy documents: ``corpus.metadata.document_kind``) and the other holds a span
    that qualifies on the same terms, that collection's best takes the last place: a question that names
    neither is answered from both, as a district's plan restates the duty a statute lays down, rather
    than every place going to the collection whose passage ranked first (pure)."""
    if not scored:
        return []
    least = keep_ratio * scored[0].score
    chosen = [scored[0]]
    for s in scored[1:]:
        if len(chosen) >= max_spans or s.score < least:
            break
        if not _repeats(s, chosen):
            chosen.append(s)
    kinds = {_kind(s) for s in chosen}
    other = next(
        (s for s in scored if s.score >= least and _kind(s) not in kinds and not _repeats(s, chosen)),
        None,
    )
    if other is not None and max_spans > 1:  # the best span always leads
        chosen = [*chosen[: max_spans - 1], other]
    return chosen


def with_lead_ins(spans: Sequence[ScoredSpan]) -> list[ScoredSpan]:
    """``spans`` (in reading order) with each enumerated item preceded by its list's lead-in sentence
    (``spans.lead_in_of``) unless that is quoted already: quoted alone, an item (（五）占用、堵塞、封闭消防车
    通道，妨碍消防车通行的；) drops what its list is about (…有下列行为之一的，责令改正，处五千元以上五万元以下
    罚款：), the penalty a reader asked for (pure)."""
    out: list[ScoredSpan] = []
    for s in spans:
        lead = lead_in_of(s.span)
        if lead is not None and not any(_overlaps(lead, o.span) for o in (*out, *spans)):
            out.append(replace(s, span=lead))
        out.append(s)
    return out


def with_lists(spans: Sequence[ScoredSpan]) -> list[ScoredSpan]:
    """``spans`` with each lead-in that opens a list in its passage, and each item of one, quoted as the
    whole list (``spans.with_items``: the lead-in through its items); a span then within another, or a
    list quoted twice, left out (pure)."""
    out = [replace(s, span=full) if (full := _whole_list(s.span)) else s for s in spans]
    kept, seen = [], set()
    for s in out:
        place = (s.span.chunk.doc_id, s.span.start, s.span.end)
        if place not in seen and not any(o is not s and _within(s.span, o.span) for o in out):
            kept.append(s)
            seen.add(place)
    return kept


def _whole_list(span: Span) -> Span | None:
    """The list a lead-in opens, or the list an item is one of, through its items (None: neither)."""
    if full := with_items(span):
        return full
    lead = lead_in_of(span)
    return with_items(lead) if lead is not None else None


def _within(inner: Span, outer: Span) -> bool:
    """Whether ``inner`` lies inside ``outer`` and is shorter (one of two equal spans is kept)."""
    return (
        inner.chunk.doc_id == outer.chunk.doc_id
        and outer.start <= inner.start
        and inner.end <= outer.end
        and inner.end - inner.start < outer.end - outer.start
    )


def _kind(s: ScoredSpan) -> str:
    return document_kind(s.hit.doc.meta.doc_type)


def _repeats(s: ScoredSpan, chosen: Sequence[ScoredSpan]) -> bool:
    return any(_overlaps(s.span, c.span) or _same_words(s.span, c.span) for c in chosen)


def _overlaps(a: Span, b: Span) -> bool:
    return a.chunk.doc_id == b.chunk.doc_id and a.start < b.end and b.start < a.end


def _same_words(a: Span, b: Span, share: float = 0.6) -> bool:
    """Mostly the same words in another place (an annex row restating the body) add nothing."""
    x, y = _PUNCT.sub("", a.text), _PUNCT.sub("", b.text)
    if not x or not y:
        return False
    run = SequenceMatcher(None, x, y, autojunk=False).find_longest_match(0, len(x), 0, len(y)).size
    return run >= share * min(len(x), len(y))


def _merge_adjacent(
    spans: list[ScoredSpan], documents: Callable[[str], Document | None]
) -> list[tuple[Span, Hit]]:
    out: list[tuple[Span, Hit]] = []
    for s in spans:
        if out:
            prev, hit = out[-1]
            if prev.chunk.chunk_id == s.span.chunk.chunk_id and 0 <= s.span.start - prev.end <= 2:
                doc = documents(prev.chunk.doc_id)
                gap = doc.text[prev.end : s.span.start] if doc else " "
                if not gap.strip():
                    text = doc.text[prev.start : s.span.end] if doc else prev.text + gap + s.span.text
                    out[-1] = (
                        Span(prev.chunk, prev.start, s.span.end, text, prev.in_table, prev.table_header),
                        hit,
                    )
                    continue
        out.append((s.span, s.hit))
    return out
