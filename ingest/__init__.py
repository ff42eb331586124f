"""Documents to sections to chunks: pure parsing, no index (kb imports ingest, never the reverse)."""
from __future__ import annotations

from .chunker import chunk_document
from .loaders import SUPPORTED, load_bytes
from .refs import doc_kind
from .models import Chunk, Document, LoadError, Page, Paragraph, Section
from .structure import sections

# Bump when parsing or chunking changes, so every file is parsed again on the next ingest.
PARSER_VERSION = "7"

__all__ = ["PARSER_VERSION", "SUPPORTED", "Chunk", "Document", "LoadError", "Page", "Paragraph", "Section",
           "chunk_document", "load_bytes", "parse", "sections"]


def parse(data: bytes, name: str) -> tuple[Document, list[Chunk]]:
    """Load one file's bytes and cut it into chunks; raises LoadError with a plain reason."""
    doc = load_bytes(data, name)
    if doc.kind == "other":
        doc.kind = doc_kind(doc.title, doc.url, doc.doc)
    chunks = chunk_document(doc, sections(doc))
    if not chunks:
        raise LoadError("no text left after extraction")
    return doc, chunks
