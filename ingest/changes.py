"""What a fetch run found: one result per source, and which sections of a page changed."""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field

from .models import Chunk


def section_prints(chunks: list[Chunk]) -> dict[str, str]:
    """One fingerprint per section of a parsed page, named by its reference and heading."""
    texts: dict[str, list[str]] = {}
    for c in chunks:
        name = " ".join(p for p in (c.section, c.heading) if p) or "(opening text)"
        texts.setdefault(name, []).append(re.sub(r"\s+", " ", c.text).strip())
    return {k: hashlib.sha1("\n".join(v).encode()).hexdigest()[:16] for k, v in texts.items()}


def diff(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    """Sections added, removed and edited between two sets of fingerprints."""
    return {"added": [k for k in new if k not in old], "removed": [k for k in old if k not in new],
            "edited": [k for k in new if k in old and old[k] != new[k]]}


@dataclass
class Result:
    """What happened to one source: new, changed, unchanged, removed or failed (with the reason)."""

    id: str
    url: str
    status: str
    reason: str = ""
    changes: dict[str, list[str]] = field(default_factory=dict)
    file: str | None = None
    parent: str | None = None

    def line(self) -> str:
        text = self.status
        if self.status == "changed":
            parts = [f"{k}: {_names(v)}" for k, v in self.changes.items() if v]
            text += f" (sections {'; '.join(parts)})" if parts else " (page text the same)"
        elif self.reason:
            text += f": {self.reason}" if self.status == "failed" else f" ({self.reason})"
        return f"{self.id}: {text}"


def _names(names: list[str], shown: int = 6) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


@dataclass
class FetchReport:
    """All results of a run; `offline` says why it stopped when no site could be reached."""

    results: list[Result] = field(default_factory=list)
    offline: str | None = None  # set when no host could be reached at all

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if r.status == "failed"]

    def as_dict(self) -> dict:
        return {"offline": self.offline, "sources": [asdict(r) for r in self.results]}
