"""Optical character recognition for scanned pages: one engine behind one small interface.

``ocr_engine(name)`` returns a function from a page image (PIL) to its text in reading order.
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
from collections.abc import Callable
from functools import cache
from pathlib import Path

from corpus.errors import UnreadableDocument

log = logging.getLogger(__name__)

__all__ = ["ENGINES", "OcrUnavailable", "default_engine", "join_cjk_spaces", "ocr_engine", "reading_order"]

Engine = Callable[[object], str]
# preference order, by bench/ocr_engines.py (CER on rendered seed pages, 2026-11-24: tesseract 0.016,
# rapidocr 0.024)
ENGINES = ("tesseract", "rapidocr")
_CJK_GAP = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)


class OcrUnavailable(UnreadableDocument):
    """No OCR engine is installed here."""


def join_cjk_spaces(text: str) -> str:
    """Tesseract puts spaces between Chinese characters; Chinese text has none."""
    return _CJK_GAP.sub("", text)


def reading_order(boxes: list[tuple[float, float, float, str]]) -> str:
    """Text boxes (top, left, height, text) as lines, top to bottom then left to right: boxes whose
    tops lie within half a line of each other share a line."""
    lines: list[list[tuple[float, float, float, str]]] = []
    for box in sorted(boxes):
        if lines and abs(lines[-1][0][0] - box[0]) <= lines[-1][0][2] / 2:
            lines[-1].append(box)
        else:
            lines.append([box])
    return "\n".join("".join(b[3] for b in sorted(line, key=lambda b: b[1])) for line in lines)


@cache
def _rapidocr():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable(f"rapidocr_onnxruntime is not installed ({exc})") from None
    return RapidOCR()


def _read_rapidocr(image) -> str:
    import numpy as np

    result, _ = _rapidocr()(np.asarray(image.convert("RGB")))
    boxes = []
    for points, text, _score in result or []:
        ys = [p[1] for p in points]
        xs = [p[0] for p in points]
        boxes.append((min(ys), min(xs), max(ys) - min(ys), text))
    return reading_order(boxes)


def _read_tesseract(image) -> str:
    binary = shutil.which("tesseract")
    if binary is None:
        raise OcrUnavailable("the tesseract program is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        done = subprocess.run(
            [binary, str(path), "stdout", "-l", "chi_sim", "--psm", "6"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if done.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {done.stderr.strip()[:200]}")
    return join_cjk_spaces(done.stdout).strip()


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
