"""Upload to searchable: POST a 20-page document to the admin route of a running app over the seeds
library and time it until the response returns (it is searchable then), embedding included.

    .venv/bin/python bench/upload.py [--pages 20] [--json]

The document is seed text with its places renamed afresh on every run, so none of its passages is in
the vector cache;
about 800 characters make a printed page. Works on a copy of the seeds library (nothing changes).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient

from evaluation.libraries import LIBRARIES, library_settings, prepare_library
from service.api.app import create_app
from service.engine import Engine
from service.settings import BUNDLED_CORPUS, Settings, TokenIdentity

CHARS_PER_PAGE = 800


def document(pages: int) -> str:
    salt = uuid.uuid4().hex[:6]  # new text on every run: the vector cache cannot hold it
    text = ""
    seeds = sorted(BUNDLED_CORPUS.glob("*.txt"))
    i = 0
    while len(text) < pages * CHARS_PER_PAGE:
        body = seeds[i % len(seeds)].read_text(encoding="utf-8")
        text += (
            body.replace("渝中", "璧山").replace("江北", "璧山").replace("重庆", f"测试{salt}{i}市") + "\n"
        )
        i += 1
    return "2026年璧山区安全生产工作要点（测试）\n" + text[: pages * CHARS_PER_PAGE]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    base = Settings()
    prepare_library(base, LIBRARIES["seeds"])
    source = library_settings(base, LIBRARIES["seeds"]).data_dir
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(source, data)
        settings = base.model_copy(
            update={
                "data_dir": data,
                "tokens": {"bench-admin": TokenIdentity(name="admin", admin=True)},
                "allowed_hosts": ["testserver"],
            }
        )
        text = document(args.pages)
        with TestClient(create_app(Engine(settings))) as client:
            started = time.perf_counter()
            r = client.post(
                "/api/admin/documents",
                files={"file": ("upload-bench.txt", text.encode("utf-8"))},
                headers={"Authorization": "Bearer bench-admin"},
            )
            seconds = time.perf_counter() - started
            assert r.status_code == 201, r.text
            hit = client.post("/api/search", json={"query": "璧山区安全生产工作要点", "k": 5}).json()[
                "results"
            ]
    result = {
        "pages": args.pages,
        "chars": len(text),
        "chunks": r.json()["chunks"],
        "upload_to_searchable_s": round(seconds, 2),
        "found_in_top5": any(h["source"] == "upload-bench.txt" for h in hit),
    }
    print(json.dumps(result, ensure_ascii=False) if args.json else result)


if __name__ == "__main__":
    main()
