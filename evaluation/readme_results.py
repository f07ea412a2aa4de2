"""Regenerate the README's Results section: the dev-set mode comparison (with answers) and STARD.

    .venv/bin/python -m evaluation.readme_results   (or: make results)

The section between the markers below is replaced; the full reports land in results/readme-*/.
STARD reuses cached vectors after its first run (about an hour on 2 CPU cores).
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path

from evaluation.harness import run_gold
from evaluation.report import machine
from evaluation.stard import run_stard
from service.settings import PROJECT_ROOT, Settings

START, END = "<!-- results:start -->", "<!-- results:end -->"
README = PROJECT_ROOT / "README.md"
DEV_MODES = ["bm25", "dense", "hybrid-rrf", "hybrid-weighted", "hybrid-rrf-noqu", "hybrid-weighted-noqu"]


def table(summary: dict, columns: list[str]) -> list[str]:
    lines = ["| mode | " + " | ".join(columns) + " | search p50 ms |", "|---" * (len(columns) + 2) + "|"]
    for name, m in summary["modes"].items():
        lines.append(
            f"| {name} | "
            + " | ".join(f"{m['metrics'][c]:.3f}" for c in columns)
            + f" | {m['latency_ms']['p50']:.1f} |"
        )
    return lines


def section(dev: dict, stard: dict | None) -> str:
    lines = [START, "", f"Measured {dev['date']} on {machine()} (the 2-core CI machine class).", ""]
    lines += [f"### Dev set ({dev['questions']} questions, `{Path(dev['gold']).name}`), `policyqa eval`", ""]
    lines += table(dev, ["R@1", "R@3", "R@5", "R@10", "MRR@10", "nDCG@10"])
    answers = next((m["answers"] for m in dev["modes"].values() if m.get("answers")), None)
    if answers:
        lines += [
            "",
            "Answers (default mode, extractive): "
            f"gold quote in the answer {answers['contains_gold']:.3f} of answerable questions; "
            f"citations verbatim at their offsets {answers['citations_verbatim']:.3f}; "
            f"unanswerable declined {answers['unanswerable_declined']:.3f}; answerable wrongly declined "
            f"{answers['answerable_declined']:.3f}; ask p50 {answers['latency_ms']['p50']:.0f} ms in process.",
        ]
    if stard:
        lines += [
            "",
            f"### STARD train ({stard['title'].split('(')[1].rstrip(')')}), `policyqa eval --benchmark stard`",
            "",
        ]
        lines += table(stard, ["R@1", "R@5", "R@10", "R@20", "R@100", "MRR@10"])
        lines += [
            "",
            "Reference figures (shared/bench/stard/NOTES.md): BM25 on this corpus, train: R@10 0.436, R@100 0.626, "
            "MRR@10 0.350 (0.437 / 0.654 before the id fix); the paper's best method: R@100 0.907 (its own corpus).",
        ]
    lines += ["", END]
    return "\n".join(lines)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    dev, _ = run_gold(settings, None, DEV_MODES, PROJECT_ROOT / "results" / "readme-dev", progress=True)
    stard = None
    if "--no-stard" not in sys.argv:
        stard, _ = run_stard(settings, None, PROJECT_ROOT / "results" / "readme-stard", progress=True)
    text = README.read_text(encoding="utf-8")
    new = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section(dev, stard), text, flags=re.S)
    README.write_text(new, encoding="utf-8")
    print(section(dev, stard))


if __name__ == "__main__":
    main()
