"""Reading an LLM reply: its sentences, the [n] markers each carries, and markers written back."""
from __future__ import annotations

import re

from .text import sentences

MARKER_RE = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
MARKERS_AFTER_END_RE = re.compile(r"([.!?])((?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+)")


def words_of(text: str) -> str:
    """Lower-case words and numbers joined by single spaces, for comparing runs of text."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def split(text: str) -> list[str]:
    """The sentences of a reply, with markers written after the full stop moved before it."""
    return sentences(MARKERS_AFTER_END_RE.sub(lambda m: f"{m.group(2)}{m.group(1)}", text or ""))


def markers(sentence: str) -> list[int]:
    """Passage numbers a sentence cites, in order, each once ('[2, 3]' and '[2][3]' alike)."""
    return list(dict.fromkeys(int(x) for g in MARKER_RE.findall(sentence) for x in re.split(r"[,;]", g)))


def body(sentence: str) -> str:
    """The sentence without its markers."""
    text = MARKER_RE.sub(" ", sentence)
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def with_markers(text: str, ns: list[int]) -> str:
    """'Claim.' with markers [1][2] -> 'Claim [1][2].'"""
    tags = "".join(f"[{n}]" for n in ns)
    if text and text[-1] in ".!?:;":
        return f"{text[:-1].rstrip()} {tags}{text[-1]}"
    return f"{text} {tags}"
