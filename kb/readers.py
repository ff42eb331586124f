"""Answer readers: the extractive reader, and the stream object both readers return to the app."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass
class Draft:
    """What the extractive pipeline worked out for one question: its cited result and the passages
    it read. A reader turns a draft into the final answer."""

    question: str
    history: list[dict]
    result: dict
    hits: list = field(default_factory=list)
    candidates: list = field(default_factory=list)  # scored sentences, best first (kb/features.py)
    path: str | None = None  # the guided path the question is on
    vector: list | None = None  # the question's embedding
    sections: list = field(default_factory=list)  # sections of the best passages
    in_field: bool = False  # a word of the field, or a section the index holds, named (the field gate is open)

    @property
    def answered(self) -> bool:
        return self.result.get("status") == "answered"


class Extractive:
    """Answers are the chosen document sentences themselves, each with its citation."""

    mode = "extractive"

    def read(self, draft: Draft) -> dict:
        return draft.result

    def pieces(self, draft: Draft, out: dict) -> Iterator[str]:
        out["result"] = draft.result
        yield draft.result["answer"]


class Stream:
    """An answer as it arrives: iterate for text pieces (`st.write_stream(s)`); afterwards
    `s.result` holds the JSON contract, the same as the non-streaming answer."""

    def __init__(self, reader, draft: Draft):
        self.reader, self.draft = reader, draft
        self.result: dict | None = None

    def __iter__(self) -> Iterator[str]:
        box: dict = {}
        yield from self.reader.pieces(self.draft, box)
        self.result = box["result"]
