"""One typed settings object, read from KB_* environment variables."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Nothing is fetched from a model hub at run time, and Chroma reports nothing home.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


class Settings(BaseSettings):
    """Where the index lives, where documents come from, and the optional services."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    home: Path = Field(Path(".kb"), description="folder holding the index and local databases")
    docs: Path = Field(Path("data/stmm"), description="default documents folder for `kb ingest`")
    chroma_url: str | None = Field(None, description="Chroma server, e.g. http://127.0.0.1:8000")
    collection: str = Field("kb", description="name prefix of the Chroma collections")
    max_file_mb: float = Field(50.0, description="files larger than this are refused")
    embed_model: Literal["minilm-int8", "minilm"] = Field(
        "minilm-int8", description="all-MiniLM-L6-v2 as int8 ONNX (default, faster), or on PyTorch")
    ingest_batch: int = Field(256, ge=1, description="chunks embedded and written per batch by `kb ingest`")
    stale_days: int = Field(365, description="documents fetched longer ago than this are listed as stale")
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 30.0

    @property
    def location(self) -> str:
        return self.chroma_url or str(self.home.resolve() / "chroma")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
