"""What the index holds: documents, chunks, recognised sections, model and location."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from .config import Settings


def _ref_sort(ref: str):
    prefix, _, num = ref.partition(" ")
    return (prefix, [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", num)])


def _age_days(stamp: str | None, now: datetime) -> float | None:
    try:
        when = datetime.fromisoformat(stamp or "")
    except ValueError:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return (now - when).total_seconds() / 86400


def stale(docs: list[dict], days: int, now: datetime | None = None) -> list[dict]:
    """Fetched documents last checked against their source more than `days` days ago, oldest first."""
    now = now or datetime.now(timezone.utc)
    out = [{**d, "age_days": int(age)} for d in docs
           if (age := _age_days(d.get("fetched_at"), now)) is not None and age > days]
    return sorted(out, key=lambda d: d["fetched_at"])


def summary(manifest: dict, settings: Settings) -> dict:
    files = manifest.get("files", {})
    sections = sorted({s for e in files.values() for s in e.get("sections", [])}, key=_ref_sort)
    docs = sorted(files.values(), key=lambda e: e["doc"])
    listed = [{k: e.get(k) for k in ("doc", "title", "chunks", "url", "date", "fragment", "kind",
                                     "ingested_at", "fetched_at", "source_url")} for e in docs]
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
        "docs": listed,
        "fetched": sum(1 for d in listed if d["fetched_at"]),
        "stale_days": settings.stale_days,
        "stale": [{k: d[k] for k in ("doc", "fetched_at", "age_days", "source_url")}
                  for d in stale(listed, settings.stale_days)],
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
    if s.get("fetched"):
        days = s["stale_days"]
        if s["stale"]:
            lines.append(f"Stale:      {len(s['stale'])} of {s['fetched']} fetched documents last checked "
                         f"more than {days} days ago (KB_STALE_DAYS); run `kb fetch`")
            for d in s["stale"]:
                lines.append(f"  {d['doc']}  fetched {d['fetched_at'][:10]} ({d['age_days']} days)  "
                             f"{d['source_url'] or ''}".rstrip())
        else:
            lines.append(f"Fetched:    {s['fetched']} documents, all checked within {days} days")
    if show_all:
        lines.append("Documents:")
        for d in s["docs"]:
            flag = " [fragment]" if d.get("fragment") else ""
            lines.append(f"  {d['doc']}  ({d['chunks']} chunks){flag}  {d['title'][:80]}")
            if d.get("fetched_at"):
                lines.append(f"      fetched {d['fetched_at'][:10]} from {d['source_url']}")
    if not s["documents"]:
        lines.append("The index is empty: run `kb fetch` to download the official documents, or add "
                     "documents to data/stmm/ and run `kb ingest`.")
    return "\n".join(lines)
