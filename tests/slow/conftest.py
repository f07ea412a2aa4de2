"""A real index of the bundled corpus, built through the CLI with the default offline model."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from service.cli import app


@pytest.fixture(scope="session")
def cli_env(tmp_path_factory):
    data = tmp_path_factory.mktemp("real-data")
    env = {"POLICYQA_DATA_DIR": str(data)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield env
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def run_cli(*args: str) -> dict | str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in args else result.stdout


@pytest.fixture(scope="session")
def real_index(cli_env):
    ingest = run_cli("ingest", "--reset", "--json")
    index = run_cli("index", "--json")
    return {"ingest": ingest, "index": index}
