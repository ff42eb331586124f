"""Chunking: pack a section's paragraphs into quotable chunks that never cross a section or page."""
from __future__ import annotations

import re

from .models import Chunk, Document, Section
from .refs import doc_kind

TARGET = 700  # characters: a paragraph or a few
LIMIT = 1200  # a single paragraph longer than this is cut at sentence ends
SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+(?=[\"“(]?[A-Z])")
# Where a run-on (an act's title: '..., to amend Sections 2872.5, 2892, and 2892.1 of the Public
# Utilities Code, to amend ...') may be cut: after a semicolon, or a comma before the next 'to' clause.
CLAUSE_END_RE = re.compile(r"(?:;|,(?=\s+(?:and\s+)?to\s))\s")
LEAD_MAX = 300  # characters of a list's lead-in carried to a chunk that continues the list
# List item markers, by level: a statute's subdivision (a), paragraph (1), subparagraph (A); a bullet.
ITEM_RES = [("letter", re.compile(r"^\([a-z]{1,2}\)\s")), ("number", re.compile(r"^(?:\(\d{1,3}\)|\d{1,2}[.)])\s")),
            ("capital", re.compile(r"^\([A-Z]\)\s")), ("bullet", re.compile(r"^[-•*·]\s"))]
LEVEL = {"letter": 0, "number": 1, "capital": 2}


def _pieces(text: str) -> list[str]:
    """Cut an over-long paragraph at sentence ends into pieces no longer than LIMIT."""
    if len(text) <= LIMIT:
        return [text]
    out, cur = [], ""
    for sent in SENTENCE_END_RE.split(text):
        while len(sent) > LIMIT:  # a run-on without sentence ends: cut between clauses, else at a space
            clauses = [m.end() for m in CLAUSE_END_RE.finditer(sent, 0, LIMIT) if m.end() > LIMIT // 2]
            cut = clauses[-1] if clauses else sent.rfind(" ", 0, LIMIT)
            cut = cut if cut > LIMIT // 2 else LIMIT
            if cur:
                out.append(cur)
                cur = ""
            out.append(sent[:cut].strip())
            sent = sent[cut:].strip()
        if cur and len(cur) + 1 + len(sent) > TARGET:
            out.append(cur)
            cur = sent
        else:
            cur = f"{cur} {sent}".strip()
    if cur:
        out.append(cur)
    return out


def item_kind(text: str) -> str | None:
    """The kind of list item a line opens with ('(3) Recommend ...' -> 'number'), if it is one."""
    return next((kind for kind, rx in ITEM_RES if rx.match(text)), None)


class _Lead:
    """The lead-in of the list being read ('... may do all of the following:'), while its items last:
    an item of its list's kind, or of a deeper level, keeps it; anything else ends it."""

    def __init__(self) -> None:
        self.text: str | None = None
        self.kind: str | None = None  # the kind of its items, once the first is read

    def read(self, piece: str) -> None:
        kind = item_kind(piece)
        if self.text is not None:
            if self.kind is None and kind:
                self.kind = kind
            elif not kind or (kind != self.kind and LEVEL.get(kind, -1) <= LEVEL.get(self.kind, -1)):
                self.text = self.kind = None
        if piece.rstrip().endswith(":"):
            self.text, self.kind = piece.strip()[-LEAD_MAX:], None

    def of(self, piece: str) -> str | None:
        """The lead-in a chunk opening with `piece` continues, if it opens with one of its items."""
        kind = item_kind(piece)
        if self.text is None or kind not in LEVEL:  # a bulleted list's lead-in is too general to carry
            return None
        same_list = self.kind is None or kind == self.kind or LEVEL[kind] > LEVEL.get(self.kind, -1)
        return self.text if same_list else None


def chunk_document(doc: Document, sections: list[Section]) -> list[Chunk]:
    """Chunks for every section of a document, in reading order. A chunk that opens in the middle
    of a list ('(3) Recommend to public agencies rules ...') keeps the list's lead-in ('the Office of
    Technology Services may do all of the following:') for word search, not as quoted text."""
    kind = doc.kind if doc.kind != "other" else doc_kind(doc.title, doc.url, doc.doc)
    chunks: list[Chunk] = []
    for sec in sections:
        buf: list[str] = []
        page = None
        lead = _Lead()
        opened: list[str | None] = [None]  # the lead-in the chunk being filled continues

        def flush():
            if buf:
                chunks.append(Chunk(text="\n".join(buf), doc=doc.doc, title=doc.title, section=sec.ref,
                                    heading=sec.heading, page=page, url=sec.url, kind=kind,
                                    subdivision=sec.subdivision, label=sec.label, position=len(chunks),
                                    lead=opened[0]))
                buf.clear()

        for para in sec.paragraphs:
            for piece in _pieces(para.text):
                size = sum(len(x) + 1 for x in buf)
                if buf and (para.page != page or size + len(piece) > TARGET):
                    flush()
                if not buf:
                    page = para.page
                    opened[0] = lead.of(piece)
                buf.append(piece)
                lead.read(piece)
        flush()
    return chunks
