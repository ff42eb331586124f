"""One typed settings object, read from KB_* environment variables."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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
    model_cache: Path | None = Field(None, description="where the int8 model is built once (default: "
                                     "share/kb-models in the Python environment)")
    ingest_batch: int = Field(1024, ge=1, description="chunks embedded and written per batch by `kb ingest`")
    stale_days: int = Field(365, description="documents fetched longer ago than this are listed as stale")
    sources: Path | None = Field(None, description="sources file for `kb fetch` (default: sources.toml "
                                 "in KB_DOCS, else the project's data/stmm/sources.toml)")
    fetch_rate_s: float = Field(1.0, description="pause between two requests to the same site")
    fetch_timeout_s: float = Field(20.0, description="seconds to wait for a server to answer")
    fetch_connect_timeout_s: float = Field(5.0, description="seconds to wait for a connection")
    fetch_retries: int = Field(2, description="further tries after a timeout, a 5xx or a dropped connection")
    fetch_backoff_s: float = Field(1.0, description="first pause before a retry, doubled each time")
    fetch_max_mb: float = Field(25.0, description="downloads larger than this are refused")
    question_log: bool = Field(True, description="record each question asked in the app in KB_HOME/questions.sqlite "
                               "(KB_QUESTION_LOG=off turns it off)")
    log_retention_days: int = Field(90, ge=1, description="question log and audit rows older than this many days "
                                    "are deleted")
    maintainers: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="who sees the maintainers' page: e-mail addresses or @domain patterns, "
        "separated by commas or spaces ('*' for everyone, e.g. on a laptop without sign-in)")
    # Paraphrases of one question score 0.86-0.95 (all-MiniLM-L6-v2); two different questions on one
    # topic (who signs an exemption request, how long an exemption lasts) up to 0.75.
    log_group_similarity: float = Field(0.8, description="unanswered questions whose embeddings are at least this "
                                        "similar (cosine) are grouped as one in the report")
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_timeout_s: float = 30.0

    @field_validator("maintainers", mode="before")
    @classmethod
    def _split_maintainers(cls, value):
        if isinstance(value, str):
            return [p for p in value.replace(",", " ").split() if p]
        return value

    @property
    def llm_mode(self) -> bool:
        """Answers go through the LLM endpoint only when both its address and model are set."""
        return bool(self.llm_url and self.llm_model)

    @property
    def location(self) -> str:
        return self.chroma_url or str(self.home.resolve() / "chroma")

    def sources_file(self) -> Path:
        """The sources file `kb fetch` reads: KB_SOURCES, KB_DOCS/sources.toml, or the project's."""
        if self.sources:
            return self.sources
        local = self.docs / "sources.toml"
        return local if local.is_file() else Path(__file__).resolve().parents[1] / "data/stmm/sources.toml"

    def fetch_config(self):
        """The download settings for `ingest.fetch`."""
        from ingest.download import FetchConfig

        return FetchConfig(rate_s=self.fetch_rate_s, timeout_s=self.fetch_timeout_s,
                           connect_timeout_s=self.fetch_connect_timeout_s, retries=self.fetch_retries,
                           backoff_s=self.fetch_backoff_s, max_bytes=int(self.fetch_max_mb * 1048576))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
