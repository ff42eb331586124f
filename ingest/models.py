"""Plain data records that flow from loaders through structure detection to chunks."""
from __future__ import annotations

from dataclasses import dataclass, field


class LoadError(Exception):
    """A file that cannot be turned into text; the message is a plain reason for a person."""


@dataclass
class Page:
    """Text of one physical page (PDF) or of a whole non-paginated file (page is None)."""

    text: str
    page: int | None = None


@dataclass
class Document:
    """A loaded file: its pages of raw text plus metadata from front matter or the file itself."""

    doc: str  # path relative to the folder that was ingested
    pages: list[Page]
    title: str = ""
    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    completeness: str | None = None
    kind: str = "other"  # stmm, sam, statute, contract, other
    fmt: str = "text"  # pdf, html, markdown, text, docx

    @property
    def fragment(self) -> bool:
        return (self.completeness or "").strip().upper().startswith(("FRAGMENT", "NEAR-COMPLETE FRAGMENT"))


@dataclass
class Paragraph:
    """One logical paragraph or heading line after normalisation, with where it came from."""

    text: str
    page: int | None = None


@dataclass
class Section:
    """A run of paragraphs under one section reference and heading."""

    ref: str | None
    heading: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)
    url: str | None = None
    label: str | None = None  # e.g. the copy header in a file that bundles several copies
    subdivision: str | None = None


@dataclass
class Chunk:
    """A quotable piece of one section: the unit that is embedded, indexed and cited."""

    text: str
    doc: str
    title: str
    section: str | None
    heading: str | None
    page: int | None
    url: str | None
    kind: str = "other"
    subdivision: str | None = None
    label: str | None = None
    position: int = 0
    lead: str | None = None  # the lead-in of a list this chunk continues (chunker._Lead): read by word
    # search (kb.index.Record.context), not embedded, where it would draw every question about its subject

    def context(self) -> str:
        """Text that is embedded: where the chunk sits, then the chunk (word search also reads its lead)."""
        where = " · ".join(p for p in (self.section, self.heading, self.label) if p)
        return f"{self.title}\n{where}\n{self.text}" if where else f"{self.title}\n{self.text}"
