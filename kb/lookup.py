"""Section lookup for the help desk: a reference goes straight to its section; keywords list matches."""
from __future__ import annotations

import re

from ingest.refs import find_refs

from . import versions
from .retrieve import holds_subdivision, retrieve, section_rows
from .text import content_terms, sentences


def section(idx, ref: str, subdivision: str | None = None) -> list[dict]:
    """The whole text of a section, one entry per copy that holds it (a document, or a copy
    inside one), with its source: the current text first, older versions after it with their date.
    `held` is false when the subdivision asked for is in no copy (the documents' copies end before it)."""
    rows = section_rows(idx, ref)
    vers = versions.of_index(idx)
    by_copy: dict[tuple, list] = {}
    for i in rows:
        by_copy.setdefault((idx.records[i].doc, idx.records[i].label), []).append(i)
    order = sorted(by_copy, key=lambda c: (not vers[by_copy[c][0]].current, -(vers[by_copy[c][0]].year or 0)))
    held = holds_subdivision(idx, ref, subdivision)
    out = []
    for copy in order:
        recs = [idx.records[i] for i in by_copy[copy]]
        doc, first = copy[0], recs[0]
        parts, heading = [], None
        for r in recs:
            if r.heading and r.heading != heading:
                parts.append(f"## {r.heading}")
                heading = r.heading
            parts.append(r.text)
        pages = sorted({r.page for r in recs if r.page})
        out.append({"ref": ref, "subdivision": subdivision, "held": held, "doc": doc, "title": first.title,
                    "version": versions.label(vers[by_copy[copy][0]]),
                    "url": next((r.url for r in recs if r.url), None), "pages": pages,
                    "headings": list(dict.fromkeys(r.heading for r in recs if r.heading)),
                    "text": "\n".join(parts),
                    "citation": cite_line(first.title, ref, doc, first.url, pages)})
    return out


def cite_line(title: str, ref: str | None, doc: str, url: str | None, pages: list[int] | None = None) -> str:
    """A one-line citation to paste into an email or case note."""
    bits = [ref] if ref else []
    bits.append(title)
    if pages:
        bits.append(f"p. {pages[0]}" if len(pages) == 1 else f"pp. {pages[0]}-{pages[-1]}")
    bits.append(url or doc)
    return ", ".join(bits)


def highlight(text: str, terms: set[str], mark: str = "**") -> str:
    """Wrap the words of text whose stems are in terms with a marker (Markdown bold by default)."""
    def sub(m):
        return f"{mark}{m.group(0)}{mark}" if content_terms(m.group(0)) & terms else m.group(0)
    return re.sub(r"[A-Za-z0-9][\w-]*", sub, text)


def search(kb, idx, query: str, limit: int = 10) -> dict:
    """Sections for a reference, or a ranked list of sections with a highlighted snippet."""
    refs = [r for r in find_refs(query) if section_rows(idx, r.ref)]
    if refs:
        return {"kind": "section", "sections": [s for r in refs for s in section(idx, r.ref, r.subdivision)]}
    if not query.strip() or not idx.records:
        return {"kind": "search", "results": []}
    terms = content_terms(query)
    ret = retrieve(idx, kb.store, query, k=limit * 2)
    results, seen = [], set()
    for h in ret.hits:
        r = h.record
        key = (r.doc, r.section, r.heading)
        if key in seen:
            continue
        seen.add(key)
        best = max(sentences(r.text) or [r.text], key=lambda s: len(content_terms(s) & terms))
        results.append({"ref": r.section, "heading": r.heading, "doc": r.doc, "title": r.title,
                        "url": r.url, "page": r.page, "snippet": best,
                        "snippet_marked": highlight(best, terms),
                        "citation": cite_line(r.title, r.section, r.doc, r.url, [r.page] if r.page else None)})
        if len(results) >= limit:
            break
    return {"kind": "search", "results": results}


def render(result: dict) -> str:
    """Plain text for the terminal."""
    lines: list[str] = []
    if result["kind"] == "section":
        for s in result["sections"]:
            lines += [f"{s['ref']}{s['subdivision'] or ''}  {s['title']}" + (f"  ({s['version']})" if s.get("version") else ""),
                      f"Source: {s['doc']}" + (f"  {s['url']}" if s["url"] else "")]
            if not s.get("held", True):
                lines.append(f"{s['ref']}{s['subdivision']} is not in the indexed text of {s['ref']}: "
                             "no copy of it reaches that subdivision. The section as held follows.")
            lines += ["", s["text"], "", f"Cite as: {s['citation']}", "-" * 72]
        return "\n".join(lines).rstrip("-\n")
    if not result["results"]:
        return "No section matches. Try a reference such as `GC 11541`, `SAM 4605` or `STMM 3-501.0`."
    for n, r in enumerate(result["results"], 1):
        where = " · ".join(x for x in (r["ref"], r["heading"]) if x)
        lines += [f"{n}. {where or r['title']}  ({r['doc']}{', p. ' + str(r['page']) if r['page'] else ''})",
                  f"   {r['snippet_marked']}"]
    return "\n".join(lines)
