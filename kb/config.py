"""One typed settings object, read from KB_* environment variables."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Nothing is fetched from a model hub at run time, and Chroma reports nothing home.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


FITTED = Path(__file__).resolve().parent / "data" / "scorer.json"


@lru_cache(maxsize=1)
def fitted() -> dict:
    """The weights and cuts `python -m kb.fit` wrote for the answer settings."""
    import json

    return json.loads(FITTED.read_text(encoding="utf-8")) if FITTED.exists() else {}


def _fitted(key: str, default):
    return fitted().get(key, default)


class AnswerSettings(BaseModel):
    """How answers are chosen: the one scoring step's weights and cuts. The defaults are fit on
    the tuning questions by `python -m kb.fit` (kb/data/scorer.json); override one with
    KB_ANSWER__<NAME> (for example KB_ANSWER__CUT=0.6)."""

    weights: dict[str, float] = Field(default_factory=lambda: _fitted("weights", {}),
                                      description="the ranker's weight of each sentence feature (kb/features.py NAMES)")
    boost: dict = Field(default_factory=lambda: _fitted("boost", {}),
                        description="the ranker's boosted trees over relative features (kb/scorer.py); "
                                    "empty: the weighted sum alone")
    decide_weights: dict[str, float] = Field(default_factory=lambda: _fitted("decide_weights", {}),
                                             description="the decision model's weights (kb/scorer.py DECIDE)")
    decide_bias: float = Field(default_factory=lambda: _fitted("decide_bias", 0.0),
                               description="the decision model's intercept")
    cut: float = Field(default_factory=lambda: _fitted("cut", 0.5),
                       description="the best sentence answers only when the decision model gives it this "
                                   "probability or more (for a question that asks for a kind of fact; see "
                                   "cut_open); set for precision, since a wrong cited answer costs more than "
                                   "'not stated'")
    cut_open: float = Field(default_factory=lambda: _fitted("cut_open", _fitted("cut", 0.5)),
                            description="the cut for a question that asks for no particular kind of fact (an "
                                        "amount, a date, a count, a name ...): such questions the documents leave "
                                        "unanswered are rare, so a wrong answer to one is a smaller risk")
    runner_up: float = Field(default_factory=lambda: _fitted("runner_up", 1.0),
                             description="another sentence joins the answer when its ranker score (log-odds) is "
                                         "within this of the best one's")
    route_margin: float = Field(default_factory=lambda: _fitted("route_margin", 0.06),
                                description="a guided path needs its examples this much closer than the others'")
    route_home_bonus: float = Field(default_factory=lambda: _fitted("route_home_bonus", 0.03),
                                    description="added to a path's score when the best passages come from its sections")
    adapter: str = Field(default_factory=lambda: _fitted("adapter", ""),
                         description="the question adapter `python -m kb.fit` wrote (kb/adapter.py): a file in "
                                     "kb/data or a full path; "
                                     "empty: questions are embedded as the model gives them")
    max_sentences: int = Field(3, description="sentences in an answer at most (with their context)")
    field_dense_words: float = Field(0.25, description="a question that names the field only by its words ('cell', "
                                     "'call', 'contract'; no section, no acronym) is answered only when a passage is "
                                     "at least this close to it in meaning (cosine): on the tuning questions, those "
                                     "the documents answer reach 0.31 or more, off-topic ones as low as 0.06")
    field_dense: float = Field(default_factory=lambda: _fitted("field_dense", 0.3),
                               description="a question with no word of the field is answered only when a passage "
                                           "is at least this close to it in meaning (cosine)")


class Settings(BaseSettings):
    """Where the index lives, where documents come from, and the optional services."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore", env_nested_delimiter="__")

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
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="how answers are chosen")
    # LLM mode (kb/llm.py): off unless an endpoint is configured.
    llm_provider: Literal["openai-like", "azure"] = Field(
        "openai-like", description="`openai-like`: any OpenAI-compatible endpoint at KB_LLM_URL; "
        "`azure`: Azure OpenAI at KB_AZURE_ENDPOINT (needs the `azure` extra)")
    llm_url: str | None = Field(None, description="base URL of an OpenAI-compatible endpoint, e.g. "
                                "http://127.0.0.1:8080/v1")
    llm_model: str | None = Field(None, description="model name sent with each request (Azure: the "
                                  "deployed model, e.g. gpt-4o-mini)")
    llm_api_key: str | None = Field(None, description="API key: a bearer token, or Azure's api-key")
    llm_timeout_s: float = Field(30.0, gt=0, description="time budget for one answer from the endpoint, "
                                 "retries included")
    azure_endpoint: str | None = Field(None, description="Azure OpenAI resource, e.g. "
                                       "https://NAME.openai.azure.com")
    azure_deployment: str | None = Field(None, description="Azure OpenAI deployment name")
    azure_api_version: str = Field("2024-10-21", description="Azure OpenAI API version")
    # The HTTP API (`kb api`, kb/api.py).
    api_tokens: str | None = Field(None, description="comma-separated bearer tokens; when set, every "
                                   "/v1 request needs one of them")
    api_max_body_kb: int = Field(256, ge=1, description="requests with a larger body are refused (413)")
    api_max_question_chars: int = Field(2000, ge=1, description="longer questions are refused (422)")
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
        """Answers go through an LLM only when its endpoint is set: KB_LLM_URL and KB_LLM_MODEL, or
        for Azure its endpoint and deployment."""
        if self.llm_provider == "azure":
            return bool(self.azure_endpoint and self.azure_deployment)
        return bool(self.llm_url and self.llm_model)

    @property
    def tokens(self) -> set[str]:
        """The API's bearer tokens (empty: the API is open, for loopback use)."""
        return {t.strip() for t in (self.api_tokens or "").split(",") if t.strip()}

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
