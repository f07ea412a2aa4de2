"""Reports of an evaluation: a terminal table, and a results folder with Markdown, JSON, the
per-question runs and a PNG chart comparing the modes."""

from __future__ import annotations

import json
import platform
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from evaluation.metrics import LABELS


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def summary_json(gold: str, results: list, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "gold": gold,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "machine": machine(),
        "modes": {
            r.mode: {
                "metrics": {LABELS.get(k, k): round(v, 4) for k, v in r.metrics.items()},
                "by_type": {
                    t: {LABELS.get(k, k): round(v, 4) for k, v in m.items()} for t, m in r.by_type.items()
                },
                "by_wording": {
                    t: {LABELS.get(k, k): round(v, 4) for k, v in m.items()}
                    for t, m in getattr(r, "by_wording", {}).items()
                },
                "latency_ms": r.latency_ms,
                **({"answers": r.answers} if r.answers else {}),
            }
            for r in results
        },
        **(extra or {}),
    }


def metrics_table(summary: dict[str, Any], title: str) -> Table:
    table = Table(title=title)
    modes = summary["modes"]
    first = next(iter(modes.values()))
    cols = list(first["metrics"])
    table.add_column("mode")
    for c in cols:
        table.add_column(c, justify="right")
    table.add_column("p50 ms", justify="right")
    table.add_column("p95 ms", justify="right")
    for name, m in modes.items():
        table.add_row(
            name,
            *(f"{m['metrics'][c]:.3f}" for c in cols),
            f"{m['latency_ms']['p50']:.1f}",
            f"{m['latency_ms']['p95']:.1f}",
        )
    return table


def markdown(summary: dict[str, Any], title: str) -> str:
    modes = summary["modes"]
    cols = list(next(iter(modes.values()))["metrics"])
    lines = [
        f"# {title}",
        "",
        f"Gold: `{summary['gold']}`; measured {summary['date']} on {summary['machine']}.",
        "",
    ]
    lines.append("| mode | " + " | ".join(cols) + " | search p50 ms | p95 ms |")
    lines.append("|---" * (len(cols) + 3) + "|")
    for name, m in modes.items():
        lines.append(
            f"| {name} | "
            + " | ".join(f"{m['metrics'][c]:.3f}" for c in cols)
            + f" | {m['latency_ms']['p50']:.1f} | {m['latency_ms']['p95']:.1f} |"
        )
    for name, m in modes.items():
        lines += [
            "",
            f"## {name} by question type",
            "",
            "| type | n | " + " | ".join(cols) + " |",
            "|---" * (len(cols) + 2) + "|",
        ]
        for t, tm in m["by_type"].items():
            lines.append(
                f"| {t} | {int(tm.get('n', 0))} | " + " | ".join(f"{tm[c]:.3f}" for c in cols) + " |"
            )
        if m.get("by_wording"):
            lines += ["", "| wording | n | " + " | ".join(cols) + " |", "|---" * (len(cols) + 2) + "|"]
            for t, tm in m["by_wording"].items():
                lines.append(
                    f"| {t} | {int(tm.get('n', 0))} | " + " | ".join(f"{tm[c]:.3f}" for c in cols) + " |"
                )
        if m.get("answers"):
            lines += ["", "Answers: " + ", ".join(f"{k} {v}" for k, v in m["answers"].items())]
    return "\n".join(lines) + "\n"


def chart(summary: dict[str, Any], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    modes = summary["modes"]
    cols = list(next(iter(modes.values()))["metrics"])
    x = np.arange(len(cols))
    width = 0.8 / max(1, len(modes))
    fig, ax = plt.subplots(figsize=(max(8, len(cols) * 1.6), 4.5))
    for i, (name, m) in enumerate(modes.items()):
        ax.bar(x + i * width, [m["metrics"][c] for c in cols], width, label=name)
    ax.set_xticks(x + width * (len(modes) - 1) / 2, cols)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(fontsize=8, ncols=3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_results(folder: Path, summary: dict[str, Any], results: list, title: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    (folder / "report.md").write_text(markdown(summary, title), encoding="utf-8")
    with (folder / "runs.jsonl").open("w", encoding="utf-8") as fh:
        for r in results:
            for q in r.runs:
                fh.write(json.dumps({"mode": r.mode, **asdict(q)}, ensure_ascii=False) + "\n")
    rows = [{"mode": r.mode, **row} for r in results for row in r.answer_rows]
    if rows:  # each answer as judged, for reading the misses
        with (folder / "answers.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    chart(summary, folder / "modes.png", title)
    return folder


def print_table(summary: dict[str, Any], title: str) -> None:
    Console(stderr=False).print(metrics_table(summary, title))
