"""Regenerate the README's Results section: both libraries (seeds alone; seeds + laws-safety statutes),
each on the dev set and on our own larger question set, our statute question sets in seeds + laws
(default mode only), plus STARD's validation split.

    .venv/bin/python -m evaluation.readme_results [--no-stard]   (or: make results)

The section between the markers below is replaced; the full reports land in results/readme-*/.
Each library is built (or brought up to date) in its own data folder; STARD reuses cached vectors
after its first run (an hour or more on 2 CPU cores).
"""

from __future__ import annotations

import logging
import re
import sys

from evaluation.calibration_report import FIT_SETS
from evaluation.gold import load_gold
from evaluation.harness import DEFAULT_GOLD, run_gold
from evaluation.libraries import LIBRARIES
from evaluation.report import machine
from evaluation.significance import interval, read_results
from evaluation.stard import run_stard
from service.settings import PROJECT_ROOT, Settings

START, END = "<!-- results:start -->", "<!-- results:end -->"
README = PROJECT_ROOT / "README.md"
OWN_SET = PROJECT_ROOT / "evaluation" / "questions" / "seeds-own.jsonl"
GOLD_SETS = {"dev": None, "own": OWN_SET}
MODES = ["bm25", "dense", "hybrid-weighted"]
# non-seed question sets: those answer decisions are fitted on (calibration_report.FIT_SETS), those whose
# failures general readings were written from though nothing is fitted on them (heldout and fresh on
# 2026-12-06; blind-statutes in the eighth session of that day), and one measured only, written before
# any measurement of the readings it judges and never read for a rule
# unseen-statutes (2026-12-07, eleventh session: 17 over the 2025 video-surveillance regulation) was
# measured once, then read to judge the statute-sentence floor
READ_FOR_RULES = ("heldout-statutes", "fresh-statutes", "blind-statutes", "unseen-statutes")
MEASURED_ONLY = ("sealed-statutes",)
# sets whose per-question answers were shown once though no rule was to be read from them (sealed-statutes:
# 2026-12-07, thirteenth session, listed by mistake beside unseen-statutes; nothing was built from it)
ANSWERS_SEEN = ("sealed-statutes",)
# a set written together with the rule it measures (lengths-own: 多远 / 多宽 questions, for the length
# ask of service.answering.asking; district-statutes, 2026-12-08: questions naming a district whose answer
# is a statute that binds there, for service.answering.jurisdiction.binds_there; unheld-places, the same
# day: questions naming a Chongqing district the library holds no document of, 10 asking what only a
# district's own plan would say, 8 answered by a statute, for QueryAnalysis.unheld): it shows what the rule
# does, not how it carries
WITH_A_RULE = ("lengths-own", "district-statutes", "unheld-places")
STATUTE_SETS = (*FIT_SETS, *READ_FOR_RULES, *MEASURED_ONLY, *WITH_A_RULE)
# further seed question sets (2026-12-07), run in both libraries: fresh-seeds was measured once as written,
# then its failures were read for general readings; sealed-seeds was written after those readings and is
# measured only (by this report), never read for a rule
# compare-own (2026-12-07, fourteenth session: 15 comparisons of two places, gold quotes from each side,
# none a dev gold quote) was written to measure comparisons and read while their sides were mended
# (service.answering.compare)
SEED_READ_FOR_RULES = ("fresh-seeds",)
SEED_WITH_A_RULE = ("compare-own",)
# fourth-seeds (2026-12-07, seventeenth session): 24 answerable questions, 22 of them in everyday words, over
# sentences drawn at random from the seeds (none holding a quote of another set), and 10 near-misses;
# measured only, as sealed-seeds is
SEED_MEASURED_ONLY = ("sealed-seeds", "fourth-seeds")
SEED_SETS = (*SEED_READ_FOR_RULES, *SEED_MEASURED_ONLY, *SEED_WITH_A_RULE)
# questions outside what either library is about, all unanswerable: whether the answerer declines what no
# document speaks of; measured, nothing fitted on them. out-of-scope (护照, 公积金, 火锅; eleventh session of
# 2026-12-07) was looked at while the relevance floor was built; out-of-scope-2 (daily life, and household
# safety and first aid the documents do not teach) was written after it (twelfth session)
OUT_OF_SCOPE_SETS = ("out-of-scope", "out-of-scope-2")


def role(name: str) -> str:
    if name in FIT_SETS:
        return "fit"
    if name in READ_FOR_RULES or name in SEED_READ_FOR_RULES:
        return "read for rules"
    if name in ANSWERS_SEEN:
        return "measured; answers seen once"
    return "written with its rule" if name in WITH_A_RULE or name in SEED_WITH_A_RULE else "measured only"


def table(summary: dict, columns: list[str], wording: bool = False) -> list[str]:
    extra = " everyday R@5 | official R@5 |" if wording else ""
    lines = [
        "| mode | " + " | ".join(columns) + f" |{extra} search p50 ms |",
        "|---" * (len(columns) + 2 + (2 if wording else 0)) + "|",
    ]
    for name, m in summary["modes"].items():
        cells = " | ".join(f"{m['metrics'][c]:.3f}" for c in columns)
        if wording:
            w = m.get("by_wording", {})
            cells += " | " + " | ".join(
                f"{w[k]['R@5']:.3f} (n={int(w[k]['n'])})" if k in w else "" for k in ("everyday", "official")
            )
        lines.append(f"| {name} | {cells} | {m['latency_ms']['p50']:.1f} |")
    return lines


def by_type_line(summary: dict, mode: str = "hybrid-weighted") -> list[str]:
    types = summary["modes"].get(mode, {}).get("by_type", {})
    if not types:
        return []
    cells = ", ".join(f"{t} {m['R@5']:.3f} (n={int(m['n'])})" for t, m in sorted(types.items()))
    return ["", f"R@5 by question type ({mode}): {cells}."]


def answers_line(summary: dict) -> list[str]:
    a = next((m["answers"] for m in summary["modes"].values() if m.get("answers")), None)
    if not a:
        return []
    return [
        "",
        f"Answers (default mode): gold quote in the answer {a['contains_gold']:.3f} of answerable questions "
        f"(held or cited verbatim: {a.get('holds_or_cites_gold', a['contains_gold']):.3f}); "
        f"citations verbatim {a['citations_verbatim']:.3f}; unanswerable declined "
        f"{a['unanswerable_declined']:.3f}; answerable wrongly declined {a['answerable_declined']:.3f}; "
        f"ask p50 {a['latency_ms']['p50']:.0f} ms in process.",
    ]


def intervals_line(scores: dict[str, dict[str, float]]) -> list[str]:
    """The default mode's figures with their 95% bootstrap intervals over questions."""
    cells = [
        f"{name} [{low:.3f}, {high:.3f}]" + (f" (n={len(values)})" if name == "unanswerable declined" else "")
        for name, values in scores.items()
        if values
        for low, high in [interval(list(values.values()))]
    ]
    if not cells:
        return []
    return [
        "",
        "95% intervals (hybrid-weighted; bootstrap over questions, `python -m evaluation.significance "
        "RESULTS_DIR --gold FILE`): " + ", ".join(cells) + ".",
    ]


_SET_COLUMNS = (
    "| R@5 | MRR@10 | everyday R@5 | gold quote | unanswerable declined | answerable declined |",
    "|---|---|---|---|---|---|",
)


def set_cells(summary: dict, mode: str = "hybrid-weighted") -> str:
    """A question set's row cells in the default mode: retrieval, then answers."""
    m = summary["modes"][mode]
    everyday = m.get("by_wording", {}).get("everyday", {}).get("R@5")
    a = m.get("answers", {})
    # a share of no questions is no figure: a set without unanswerable ones (compare-own) leaves it blank
    declined = "" if a.get("unanswerable_questions") == 0 else f"{a.get('unanswerable_declined', 0):.3f}"
    return (
        f"{m['metrics']['R@5']:.3f} | {m['metrics']['MRR@10']:.3f} | "
        f"{'' if everyday is None else f'{everyday:.3f}'} | {a.get('contains_gold', 0):.3f} | "
        f"{declined} | {a.get('answerable_declined', 0):.3f} |"
    )


def statute_table(runs: dict[str, dict], mode: str = "hybrid-weighted") -> list[str]:
    """One row per statute question set: retrieval and answers in the default mode."""
    if not runs:
        return []
    lines = [
        "### Library `seeds+laws`: statute question sets (non-seed; `--mode hybrid-weighted`)",
        "",
        "`policyqa eval --library seeds+laws --gold evaluation/questions/NAME.jsonl --mode hybrid-weighted`",
        "",
        "| set | role | questions " + _SET_COLUMNS[0],
        "|---|---|---" + _SET_COLUMNS[1],
    ]
    for name, summary in runs.items():
        lines.append(f"| {name} | {role(name)} | {summary['questions']} | {set_cells(summary, mode)}")
    return [*lines, ""]


def seed_table(runs: dict[tuple[str, str], dict], mode: str = "hybrid-weighted") -> list[str]:
    """One row per further seed question set and library: retrieval and answers in the default mode."""
    if not runs:
        return []
    lines = [
        "### Further seed question sets, both libraries (`--mode hybrid-weighted`)",
        "",
        "`policyqa eval --library LIBRARY --gold evaluation/questions/NAME.jsonl --mode hybrid-weighted`",
        "",
        "| set | role | library | questions " + _SET_COLUMNS[0],
        "|---|---|---|---" + _SET_COLUMNS[1],
    ]
    sides = []
    for (name, lib), summary in runs.items():
        lines.append(f"| {name} | {role(name)} | {lib} | {summary['questions']} | {set_cells(summary, mode)}")
        every = summary["modes"][mode].get("answers", {}).get("compare_every_side")
        if every is not None:
            sides.append(f"{name} in {lib} {every:.3f}")
    if sides:
        lines += ["", "Comparisons with every side held or cited (not just one): " + "; ".join(sides) + "."]
    return [*lines, ""]


def out_of_scope_table(runs: dict[tuple[str, str], dict], mode: str = "hybrid-weighted") -> list[str]:
    """One row per (set, library): how many of the out-of-scope questions are declined (retrieval has
    nothing to find for them, so only the answers' figure means anything)."""
    if not runs:
        return []
    lines = [
        "### Out-of-scope questions, both libraries (`evaluation/questions/NAME.jsonl`)",
        "",
        f"`policyqa eval --library LIBRARY --gold evaluation/questions/NAME.jsonl --mode {mode}`",
        "",
        "| set | library | questions | declined |",
        "|---|---|---|---|",
    ]
    for (name, lib), summary in runs.items():
        declined = summary["modes"][mode].get("answers", {}).get("unanswerable_declined", 0)
        lines.append(f"| {name} | {lib} | {summary['questions']} | {declined:.3f} |")
    return [*lines, ""]


def kept_stard(text: str) -> list[str]:
    """The STARD part of the current Results section, kept as it stands when STARD is not re-run
    (``--no-stard``: its first run embeds 60,727 articles, an hour or more on 2 cores)."""
    m = re.search(r"(### STARD.*?)" + re.escape(END), text, flags=re.S)
    return [*m.group(1).rstrip("\n").split("\n"), ""] if m else []


def section(
    runs: dict[tuple[str, str], dict],
    stard: dict | None,
    kept: list[str] = (),
    statutes: dict[str, dict] | None = None,
    seeds: dict[tuple[str, str], dict] | None = None,
    out_of_scope: dict[tuple[str, str], dict] | None = None,
) -> str:
    first = next(iter(runs.values()))
    lines = [START, "", f"Measured {first['date']} on {machine()} (the 2-core CI machine class).", ""]
    for (lib, gold), summary in runs.items():
        name = (
            "dev set (`dev.jsonl`)" if gold == "dev" else "own set (`evaluation/questions/seeds-own.jsonl`)"
        )
        lines += [
            f"### Library `{lib}` ({summary['documents']} documents): {name}, {summary['questions']} questions",
            "",
            f"`policyqa eval --library {lib}"
            + ("" if gold == "dev" else f" --gold {OWN_SET.relative_to(PROJECT_ROOT)}")
            + "`",
            "",
        ]
        lines += table(summary, ["R@1", "R@5", "R@10", "MRR@10"], wording=gold != "dev")
        lines += by_type_line(summary)
        lines += answers_line(summary)
        lines += intervals_line(summary.get("per_question", {}))
        lines.append("")
    lines += statute_table(statutes or {})
    lines += seed_table(seeds or {})
    lines += out_of_scope_table(out_of_scope or {})
    if stard:
        # dated in its heading: a later ``--no-stard`` run keeps this part as it stands, date and all
        lines += [f"### {stard['title']}, `policyqa eval --benchmark stard` (measured {stard['date']})", ""]
        lines += table(stard, ["R@1", "R@5", "R@10", "R@20", "R@100", "MRR@10"])
        lines += [
            "",
            "Reference figures (shared/bench/stard/NOTES.md), held-out split: BM25 R@10 0.394 / R@100 0.599; "
            "e5-small dense 0.459 / 0.690; RRF of the two 0.469 / 0.714. The paper's best: R@100 0.907.",
            "",
        ]
    else:
        lines += kept
    lines.append(END)
    return "\n".join(lines)


def _default_mode_run(settings: Settings, name: str, lib: str) -> dict:
    """One of our question sets (evaluation/questions/NAME.jsonl) in one library, default mode only."""
    out = PROJECT_ROOT / "results" / f"readme-{lib}-{name}"
    summary, _ = run_gold(
        settings, OWN_SET.parent / f"{name}.jsonl", ["hybrid-weighted"], out, progress=True, library=lib
    )
    return summary


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    runs: dict[tuple[str, str], dict] = {}
    answerable = {
        name: {q.id: q.answerable for q in load_gold(gold or DEFAULT_GOLD)}
        for name, gold in GOLD_SETS.items()
    }
    for lib in LIBRARIES:
        for gold_name, gold in GOLD_SETS.items():
            out = PROJECT_ROOT / "results" / f"readme-{lib}-{gold_name}"
            runs[(lib, gold_name)], folder = run_gold(settings, gold, MODES, out, progress=True, library=lib)
            runs[(lib, gold_name)]["per_question"] = read_results(folder, answerable[gold_name])
    statutes = {name: _default_mode_run(settings, name, "seeds+laws") for name in STATUTE_SETS}
    seeds = {(name, lib): _default_mode_run(settings, name, lib) for name in SEED_SETS for lib in LIBRARIES}
    out_of_scope = {
        (name, lib): _default_mode_run(settings, name, lib) for name in OUT_OF_SCOPE_SETS for lib in LIBRARIES
    }
    stard = None
    if "--no-stard" not in sys.argv:
        stard, _ = run_stard(settings, MODES, PROJECT_ROOT / "results" / "readme-stard", progress=True)
    text = README.read_text(encoding="utf-8")
    body = section(runs, stard, kept_stard(text), statutes, seeds, out_of_scope)
    README.write_text(
        re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: body, text, flags=re.S), encoding="utf-8"
    )
    print(body)


if __name__ == "__main__":
    main()
