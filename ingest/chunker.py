"""Chunking: pack a section's paragraphs into quotable chunks that never cross a section or page."""
from __future__ import annotations

import re

from .models import Chunk, Document, Section
from .refs import doc_kind

TARGET = 700  # characters: a paragraph or a few
LIMIT = 1200  # a single paragraph longer than this is cut at sentence ends
SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+(?=[\"“(]?[A-Z])")


def _pieces(text: str) -> list[str]:
    """Cut an over-long paragraph at sentence ends into pieces no longer than LIMIT."""
    if len(text) <= LIMIT:
        return [text]
    out, cur = [], ""
    for sent in SENTENCE_END_RE.split(text):
        while len(sent) > LIMIT:  # a run-on without sentence ends: cut at a space
            cut = sent.rfind(" ", 0, LIMIT)
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


def chunk_document(doc: Document, sections: list[Section]) -> list[Chunk]:
    """Chunks for every section of a document, in reading order."""
    kind = doc.kind if doc.kind != "other" else doc_kind(doc.title, doc.url, doc.doc)
    chunks: list[Chunk] = []
    for sec in sections:
        buf: list[str] = []
        page = None

        def flush():
            if buf:
                chunks.append(Chunk(text="\n".join(buf), doc=doc.doc, title=doc.title, section=sec.ref,
                                    heading=sec.heading, page=page, url=sec.url, kind=kind,
                                    subdivision=sec.subdivision, label=sec.label, position=len(chunks)))
                buf.clear()

        for para in sec.paragraphs:
            for piece in _pieces(para.text):
                size = sum(len(x) + 1 for x in buf)
                if buf and (para.page != page or size + len(piece) > TARGET):
                    flush()
                if not buf:
                    page = para.page
                buf.append(piece)
        flush()
    return chunks
