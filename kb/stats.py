"""What the index holds: documents, chunks, recognised sections, model and location."""
from __future__ import annotations

import re

from .config import Settings


def _ref_sort(ref: str):
    prefix, _, num = ref.partition(" ")
    return (prefix, [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", num)])


def summary(manifest: dict, settings: Settings) -> dict:
    files = manifest.get("files", {})
    sections = sorted({s for e in files.values() for s in e.get("sections", [])}, key=_ref_sort)
    docs = sorted(files.values(), key=lambda e: e["doc"])
    return {
        "location": settings.location,
        "mode": "server" if settings.chroma_url else "embedded",
        "model": manifest.get("model"),
        "ingested_at": manifest.get("ingested_at"),
        "generation": manifest.get("generation"),
        "documents": len(files),
        "fragments": sum(1 for e in files.values() if e.get("fragment")),
        "chunks": sum(e.get("chunks", 0) for e in files.values()),
        "sections": sections,
        "docs": [{k: e.get(k) for k in ("doc", "title", "chunks", "url", "date", "fragment", "kind",
                                         "ingested_at", "fetched_at")} for e in docs],
    }


def render(s: dict, show_all: bool = False) -> str:
    lines = [
        f"Index:      {s['location']} ({s['mode']})",
        f"Model:      {s['model'] or '-'}",
        f"Ingested:   {s['ingested_at'] or 'never'}",
        f"Documents:  {s['documents']} ({s['fragments']} marked as fragments)",
        f"Chunks:     {s['chunks']}",
    ]
    secs = s["sections"]
    shown = secs if show_all or len(secs) <= 80 else secs[:80]
    lines.append(f"Sections:   {len(secs)} recognised")
    by_prefix: dict[str, list[str]] = {}
    for ref in shown:
        by_prefix.setdefault(ref.split(" ")[0], []).append(ref)
    for prefix, refs in by_prefix.items():
        lines.append(f"  {prefix:<6} " + ", ".join(refs))
    if len(shown) < len(secs):
        lines.append(f"  ... and {len(secs) - len(shown)} more (kb stats --all)")
    if show_all:
        lines.append("Documents:")
        for d in s["docs"]:
            flag = " [fragment]" if d.get("fragment") else ""
            lines.append(f"  {d['doc']}  ({d['chunks']} chunks){flag}  {d['title'][:80]}")
    if not s["documents"]:
        lines.append("The index is empty: add documents to data/stmm/ and run `kb ingest`.")
    return "\n".join(lines)
