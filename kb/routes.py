"""Guided paths and kinds of question, recognised by meaning: the closest example questions in kb/data/routes.toml."""
from __future__ import annotations

import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import embed

ROUTES_FILE = Path(__file__).resolve().parent / "data" / "routes.toml"
NEIGHBOURS = 3  # a path's score: the mean cosine of its closest examples
_lock = threading.Lock()
_cache: dict = {}


@dataclass
class Examples:
    """The example questions of each label, embedded once per process."""

    labels: list[str]
    vectors: np.ndarray  # one row per example
    owner: np.ndarray  # the label index of each row
    titles: dict[str, str]
    homes: dict[str, list[str]]
    whether: set[str]  # paths whose home sections answer whether or how to take them (answers_whether)


def _load(group: str, path: Path = ROUTES_FILE) -> Examples:
    key = (group, str(path), path.stat().st_mtime)
    with _lock:
        if key not in _cache:
            data = tomllib.loads(path.read_text(encoding="utf-8"))[group]
            labels = list(data)
            texts, owner = [], []
            for k, label in enumerate(labels):
                for q in data[label]["examples"]:
                    texts.append(q)
                    owner.append(k)
            vecs = np.asarray(embed.embed(texts), dtype=np.float32)
            _cache[key] = Examples(labels, vecs, np.asarray(owner),
                                   {label: data[label].get("title", "") for label in labels},
                                   {label: data[label].get("home", []) for label in labels},
                                   {label for label in labels if data[label].get("answers_whether")})
        return _cache[key]


def scores(group: str, vector) -> dict[str, float]:
    """Each label's score for a question vector: the mean cosine of its closest examples."""
    ex = _load(group)
    sims = ex.vectors @ np.asarray(vector, dtype=np.float32)
    out = {}
    for k, label in enumerate(ex.labels):
        mine = np.sort(sims[ex.owner == k])[::-1][:NEIGHBOURS]
        out[label] = float(mine.mean()) if len(mine) else 0.0
    return out


def path(vector, margin: float, sections: list[str] | None = None, home_bonus: float = 0.0) -> tuple[str | None, float]:
    """The guided path for a question ('exemption', 'calnet' or None) and its lead over 'none'.
    When the question's best passages come from a path's home sections, that path gains
    home_bonus: what the documents say counts beside how the question is worded."""
    s = scores("paths", vector)
    ex = _load("paths")
    for label, homes in ex.homes.items():
        if sections and any(h in sections for h in homes):
            s[label] += home_bonus
    none = s.pop("none", 0.0)
    if not s:
        return None, 0.0
    best = max(s, key=s.get)
    lead = s[best] - none
    return (best if lead >= margin else None), lead


def kind(vector) -> str:
    """The kind of question: lookup, definition, yesno, procedure or fact."""
    s = scores("kinds", vector)
    return max(s, key=s.get)


def homes(label: str | None) -> list[str]:
    """The sections whose passages speak for a path."""
    return _load("paths").homes.get(label, []) if label else []


def home_of(section: str) -> str | None:
    """The one path whose home sections include this section (None when none or several do):
    looking up 'SAM 4605' is looking up the exemption path."""
    owners = [label for label, homes in _load("paths").homes.items() if section in homes]
    return owners[0] if len(owners) == 1 else None


def answers_whether(label: str | None) -> bool:
    """Whether a question asking whether or how to take this path is answered from its home sections."""
    return bool(label) and label in _load("paths").whether


def title(label: str) -> str:
    return _load("paths").titles.get(label, "")


def example_vectors() -> np.ndarray:
    """Every example question's vector (paths and kinds): a sample of what the field asks."""
    return np.vstack([_load("paths").vectors, _load("kinds").vectors])


def warm() -> None:
    _load("paths")
    _load("kinds")
