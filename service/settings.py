"""Typed settings, read once from the environment (prefix POLICYQA_) or a .env file, then passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from corpus.chunking import ChunkingConfig

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BUNDLED_CORPUS = PROJECT_ROOT / "data" / "seeds"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYQA_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="where the corpus store and index live")
    corpus_paths: list[Path] = Field(default_factory=lambda: [BUNDLED_CORPUS])
    chunk_max_chars: int = Field(default=400, ge=50, le=4000)
    chunk_min_chars: int = Field(default=40, ge=0, le=1000)

    @property
    def corpus_dir(self) -> Path:
        return self.data_dir / "corpus"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    def chunking(self) -> ChunkingConfig:
        return ChunkingConfig(max_chars=self.chunk_max_chars, min_chars=self.chunk_min_chars)
