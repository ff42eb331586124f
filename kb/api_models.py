"""Request bodies of the HTTP API, checked field by field (a bad one is a 4xx naming the field)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Turn(BaseModel):
    """An earlier turn of the conversation."""

    question: str = Field(max_length=20_000)
    answer: str | None = Field(None, max_length=50_000)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, description="the question", examples=["Who must sign a CALNET exemption request?"])
    history: list[str | Turn] = Field(default_factory=list, max_length=20, description=(
        "the conversation before it: earlier questions, or {question, answer} turns, oldest first"))

    def turns(self) -> list:
        return [h if isinstance(h, str) else h.model_dump(exclude_none=True) for h in self.history]


class Citation(BaseModel):
    model_config = ConfigDict(extra="allow")

    n: int
    doc: str
    title: str = ""
    section: str | None = None
    heading: str | None = None
    page: int | None = None
    url: str | None = None
    quote: str


class Step(BaseModel):
    model_config = ConfigDict(extra="allow")

    text: str
    cite: list[int] = []


class Guidance(BaseModel):
    model_config = ConfigDict(extra="allow")

    path: str | None = None
    title: str
    steps: list[Step] = []


class Answer(BaseModel):
    """One answer as /v1/ask (or `kb ask --json`) returns it."""

    model_config = ConfigDict(extra="allow")

    question: str
    status: Literal["answered", "not_found", "out_of_scope"]
    answer: str
    citations: list[Citation] = []
    guidance: Guidance | None = None


class ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: list[Answer] = Field(min_length=1, max_length=50, description="answers in order, as /v1/ask returns them")
    format: Literal["md", "docx", "pdf"] = "md"
