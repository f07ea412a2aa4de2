"""The `policyqa` command line. Output meant for people goes to stdout; logs go to stderr."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from corpus.pipeline import ingest_paths
from corpus.store import CorpusStore
from corpus.summary import summarise
from service.settings import Settings

app = typer.Typer(
    help="policyqa: search and answer questions over Chinese policy documents.", no_args_is_help=True
)
out = Console()
log = logging.getLogger("policyqa")


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="debug logging")] = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="files or folders; default: the bundled corpus")
    ] = None,
    reset: Annotated[bool, typer.Option(help="forget previously ingested documents first")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Parse documents into heading-aware chunks and store them for indexing."""
    settings = Settings()
    started = time.perf_counter()
    result = ingest_paths(paths or settings.corpus_paths, settings.chunking(), progress=not as_json)
    store = CorpusStore(settings.corpus_dir).load()
    if reset:
        store.clear()
    for doc in result.documents:
        store.upsert(doc, [c for c in result.chunks if c.doc_id == doc.doc_id])
    store.save()
    summary = summarise(result, time.perf_counter() - started)
    summary["store"] = {"folder": str(settings.corpus_dir), "documents": len(store.documents)}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        _print_ingest_summary(summary)
    if not result.documents:
        raise typer.Exit(code=1)


def _print_ingest_summary(summary: dict) -> None:
    sizes = summary["chunk_chars"]
    out.print(
        f"[bold]{summary['documents']}[/] documents, [bold]{summary['chunks']}[/] chunks "
        f"in {summary['seconds']} s; chunk size (chars) min {sizes['min']} / p10 {sizes['p10']} / "
        f"median {sizes['median']} / p90 {sizes['p90']} / max {sizes['max']}; "
        f"{summary['removed_lines']} lines of page furniture removed"
    )
    table = Table(title="metadata found", show_header=True)
    for name in summary["metadata_found"]:
        table.add_column(name)
    table.add_row(*(str(v) for v in summary["metadata_found"].values()))
    out.print(table)
    if summary["skipped"]:
        skipped = Table(title=f"{len(summary['skipped'])} files skipped")
        skipped.add_column("file")
        skipped.add_column("reason")
        for s in summary["skipped"]:
            skipped.add_row(s["path"], s["reason"])
        out.print(skipped)
    out.print(f"corpus store: {summary['store']['folder']} ({summary['store']['documents']} documents)")
