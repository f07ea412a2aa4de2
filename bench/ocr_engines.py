"""Which OCR engine reads Chinese policy pages better: character error rate (CER) and seconds per page
on pages rendered from seed text (a scanned page's stand-in), for RapidOCR (PP-OCRv4 ONNX weights in
its PyPI wheel) and Tesseract (Debian's tesseract-ocr + chi_sim), when each is installed.

    .venv/bin/python bench/ocr_engines.py [--pages 6] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.ocr import OcrUnavailable, ocr_engine
from evaluation.ocr import cer, marker_quality, render_page

SEEDS = Path(__file__).resolve().parents[1] / "data" / "seeds"


def seed_pages(n: int, lines_per_page: int = 24, width: int = 32) -> list[str]:
    """Body text of the seeds cut into page-sized blocks of wrapped lines."""
    pages, lines = [], []
    for seed in sorted(SEEDS.glob("*.txt")):
        for para in seed.read_text(encoding="utf-8").splitlines():
            para = para.strip()
            if len(para) < 12 or len(para) > 2000:  # page furniture and scraped blobs are not body text
                continue
            lines.extend(para[i : i + width] for i in range(0, len(para), width))
    for i in range(0, len(lines), lines_per_page):
        pages.append("\n".join(lines[i : i + lines_per_page]))
    step = max(1, len(pages) // n)
    return pages[::step][:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=6)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    pages = seed_pages(args.pages)
    rows = {}
    for name in ("rapidocr", "tesseract"):
        try:
            engine = ocr_engine(name)
        except OcrUnavailable as exc:
            rows[name] = {"available": False, "reason": str(exc)}
            continue
        errors, chars, seconds = 0.0, 0, 0.0
        marks = dict.fromkeys(("misread", "misread_marked", "marked", "chars"), 0)
        for text in pages:
            image = render_page(text)
            t = time.perf_counter()
            page = engine(image)
            seconds += time.perf_counter() - t
            errors += cer(text, page.text) * len("".join(text.split()))
            chars += len("".join(text.split()))
            for key, value in marker_quality(text, page.text, list(page.uncertain)).items():
                marks[key] += value
        rows[name] = {
            "available": True,
            "cer": round(errors / chars, 4),
            "seconds_per_page": round(seconds / len(pages), 2),
            "pages": len(pages),
            "chars": chars,
            # the low-confidence marks (corpus.ocr.UNCERTAIN_BELOW): share of characters marked, and
            # of misread characters, the share that fall inside a mark
            "marked_share": round(marks["marked"] / max(1, marks["chars"]), 4),
            "misread_marked": f"{marks['misread_marked']}/{marks['misread']}",
        }
    rows["tesseract_binary"] = shutil.which("tesseract")
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        for k, v in rows.items():
            print(f"{k}: {v}")


if __name__ == "__main__":
    main()
