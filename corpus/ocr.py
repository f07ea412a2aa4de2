"""Optical character recognition for scanned pages: one engine behind one small interface.

``ocr_engine(name)`` returns a function from a page image (PIL) to its text in reading order, with the
stretches the engine was unsure of (``OcrPage.uncertain``: a word tesseract scored, or a box RapidOCR
scored, under ``UNCERTAIN_BELOW``), so a citation can show which characters to check on paper.
Engines: ``rapidocr`` (PP-OCRv4 detection and recognition as ONNX weights inside the
rapidocr_onnxruntime wheel, so it works offline) and ``tesseract`` (Debian's tesseract-ocr with
tesseract-ocr-chi-sim, called as a program). ``default_engine`` takes the first one installed, in
the order bench/ocr_engines.py measured best; a machine with neither gets OcrUnavailable with what
to install, never a crash.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from corpus.errors import UnreadableDocument

log = logging.getLogger(__name__)

__all__ = [
    "ENGINES",
    "OcrPage",
    "OcrUnavailable",
    "default_engine",
    "ocr_engine",
    "reading_order",
    "tesseract_page",
]


@dataclass(frozen=True)
class OcrPage:
    text: str
    uncertain: tuple[tuple[int, int], ...] = ()  # [start, end) of text read with low confidence


Engine = Callable[[object], OcrPage]
# an engine's own confidence (0-1) under which what it read is marked for checking; tesseract's word
# confidences and RapidOCR's box scores both sit near 0.9 and above on clean print
UNCERTAIN_BELOW = 0.6
# preference order, by bench/ocr_engines.py (CER on rendered seed pages, 2026-11-24: tesseract 0.016,
# rapidocr 0.024)
ENGINES = ("tesseract", "rapidocr")
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_CHAR = re.compile(rf"[{_CJK}]")


class OcrUnavailable(UnreadableDocument):
    """No OCR engine is installed here."""


def _joined(words: Sequence[tuple[str, float]]) -> tuple[str, list[tuple[int, int]]]:
    """Words of one line as text (no space between two Chinese characters, as Chinese is written)
    and the [start, end) of those read with confidence under ``UNCERTAIN_BELOW``."""
    text, uncertain = "", []
    for word, confidence in words:
        if text and not (_CJK_CHAR.match(text[-1]) and _CJK_CHAR.match(word[0])):
            text += " "
        if confidence < UNCERTAIN_BELOW:
            uncertain.append((len(text), len(text) + len(word)))
        text += word
    return text, uncertain


def _page(lines: Sequence[Sequence[tuple[str, float]]]) -> OcrPage:
    text, uncertain = "", []
    for words in lines:
        line, marks = _joined(words)
        if text:
            text += "\n"
        uncertain.extend((len(text) + a, len(text) + b) for a, b in marks)
        text += line
    return OcrPage(text, tuple(uncertain))


def reading_order(boxes: list[tuple[float, float, float, str, float]]) -> OcrPage:
    """Text boxes (top, left, height, text, confidence) as lines, top to bottom then left to right:
    boxes whose tops lie within half a line of each other share a line."""
    lines: list[list[tuple[float, float, float, str, float]]] = []
    for box in sorted(boxes):
        if lines and abs(lines[-1][0][0] - box[0]) <= lines[-1][0][2] / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return _page([[(b[3], b[4]) for b in sorted(line, key=lambda b: b[1])] for line in lines])


def tesseract_page(tsv: str) -> OcrPage:
    """Tesseract's TSV output (one row per word, with its confidence 0-100) as a page: words grouped
    into their lines in the order tesseract gives them."""
    lines: dict[tuple[str, ...], list[tuple[str, float]]] = {}
    rows = tsv.splitlines()
    for row in rows[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        try:
            confidence = float(cells[10]) / 100
        except ValueError:
            continue
        lines.setdefault(tuple(cells[1:5]), []).append((cells[11].strip(), confidence))
    return _page(list(lines.values()))


@cache
def _rapidocr():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable(f"rapidocr_onnxruntime is not installed ({exc})") from None
    return RapidOCR()


def _read_rapidocr(image) -> OcrPage:
    import numpy as np

    result, _ = _rapidocr()(np.asarray(image.convert("RGB")))
    boxes = []
    for points, text, score in result or []:
        ys = [p[1] for p in points]
        xs = [p[0] for p in points]
        boxes.append((min(ys), min(xs), max(ys) - min(ys), text, float(score)))
    return reading_order(boxes)


def _read_tesseract(image) -> OcrPage:
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrUnavailable("the tesseract program is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        done = subprocess.run(
            [binary, str(path), "stdout", "-l", "chi_sim", "--psm", "6", "tsv"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if done.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {done.stderr.strip()[:200]}")
    return tesseract_page(done.stdout)


def ocr_engine(name: str) -> Engine:
    if name == "rapidocr":
        _rapidocr()  # fails now, with the reason, when it is not installed
        return _read_rapidocr
    if name == "tesseract":
        if shutil.which("tesseract") is None:
            raise OcrUnavailable(
                "the tesseract program is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)"
            )
        return _read_tesseract
    raise ValueError(f"unknown OCR engine {name!r}; engines: {', '.join(ENGINES)}")


def default_engine() -> Engine:
    reasons = []
    for name in ENGINES:
        try:
            return ocr_engine(name)
        except OcrUnavailable as exc:
            reasons.append(f"{name}: {exc}")
    raise OcrUnavailable(
        "this PDF page has no text layer and no OCR engine is installed here ("
        + "; ".join(reasons)
        + "): `pip install rapidocr_onnxruntime`, or `apt-get install tesseract-ocr tesseract-ocr-chi-sim`"
    )
