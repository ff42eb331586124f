"""Safe display text for the app: escaped Markdown, answers with markers, sources with the quote highlighted."""
from __future__ import annotations

import re
from datetime import datetime

from .lookup import cite_line, highlight
from .text import content_terms

# Every ASCII punctuation character may be backslash-escaped in Markdown; escaping them all keeps
# document and user text from turning into links, images, emphasis, lists, LaTeX ($) or colour
# directives (:red[...]) when the app renders it with st.markdown.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^])")
_URL_RE = re.compile(r"^https?://[^\s()<>\[\]\"'`\\]+$")
_MARKER_RE = re.compile(r"\\\[(\d+)\\\]")
HIGHLIGHT = ":orange-background[{}]"


def escape_md(text: str | None) -> str:
    """Text shown literally by st.markdown: no Markdown or HTML from it takes effect."""
    if not text:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def safe_url(url: str | None) -> str | None:
    """The URL when it is a plain http(s) address safe to put in a Markdown link, else None."""
    if url and _URL_RE.match(url.strip()):
        return url.strip()
    return None


def link(label: str, url: str | None) -> str:
    """A Markdown link with an escaped label, or just the escaped label when the URL is unsafe."""
    u = safe_url(url)
    return f"[{escape_md(label)}]({u})" if u else escape_md(label)


def answer_md(answer: str) -> str:
    """The answer text escaped, with its [n] markers shown in bold."""
    lines = [escape_md(line) for line in answer.split("\n")]
    return "  \n".join(_MARKER_RE.sub(r"**\\[\1\\]**", line) for line in lines)


def where(c: dict) -> str:
    """'STMM 3-501.0 · Exemption Requests · p. 4' for a citation or search result."""
    page = c.get("page")
    bits = [c.get("section") or c.get("ref"), c.get("heading"), f"p. {page}" if page else None]
    return " · ".join(str(b) for b in bits if b)


def when(iso: str | None) -> str:
    """'2026-11-25 19:57 UTC' for an ISO timestamp; 'never' when there is none."""
    if not iso:
        return "never"
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M %Z").strip()
    except ValueError:
        return iso


def citation_line(c: dict) -> str:
    """A one-line citation to paste into an email or case note."""
    return cite_line(c["title"], c.get("section"), c["doc"], c.get("url"), [c["page"]] if c.get("page") else None)


def _flex(quote: str) -> re.Pattern | None:
    """A pattern for the quote that tolerates any run of whitespace between its words."""
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def _doc_rows(idx, doc: str) -> list[int]:
    """Record positions of one document, in reading order."""
    fid = next((e.get("fid") for e in idx.files.values() if e.get("doc") == doc), None)
    if fid in idx.by_fid:
        return idx.by_fid[fid]
    return [i for i, r in enumerate(idx.records) if r.doc == doc]


def _row_with(idx, c: dict) -> int | None:
    """Position of the indexed passage that holds the citation's quote."""
    pat = _flex(c["quote"])
    fallback = None
    for i in _doc_rows(idx, c["doc"]):
        r = idx.records[i]
        if pat and pat.search(r.text):
            return i
        if fallback is None and r.section == c.get("section") and r.heading == c.get("heading"):
            fallback = i
    return fallback


def mark_quote(text: str, quote: str) -> str:
    """Escaped text with every line of the quote wrapped in a highlight (Markdown)."""
    pat = _flex(quote)
    m = pat.search(text) if pat else None
    if not m:
        return escape_md(text).replace("\n", "  \n")
    before, hit, after = text[:m.start()], text[m.start():m.end()], text[m.end():]
    marked = "\n".join(HIGHLIGHT.format(escape_md(line)) if line.strip() else line for line in hit.split("\n"))
    return (escape_md(before) + marked + escape_md(after)).replace("\n", "  \n")


def source_context(idx, c: dict) -> dict | None:
    """The whole section around a citation's quote: plain text and Markdown with the quote highlighted."""
    i = _row_with(idx, c)
    if i is None:
        return None
    rows = idx.neighbours(i)
    text = "\n".join(idx.records[j].text for j in rows)
    return {"text": text, "markdown": mark_quote(text, c["quote"]), "doc": c["doc"],
            "title": idx.records[i].title, "url": idx.records[i].url}


def snippet_md(query: str, snippet: str) -> str:
    """An escaped search snippet with the query's words in bold."""
    return highlight(escape_md(snippet), content_terms(query))


def result_context(idx, result: dict) -> str:
    """The whole section a keyword search result comes from, as plain text."""
    for i in _doc_rows(idx, result["doc"]):
        r = idx.records[i]
        if (r.section, r.heading) == (result["ref"], result["heading"]):
            return "\n".join(idx.records[j].text for j in idx.neighbours(i))
    return result["snippet"]


def footer(result: dict) -> str:
    """The line under an answer: how long it took, and what kind of answer it is (an abstention
    quotes nothing, and says so)."""
    took = f"{result['timing_ms']['total'] / 1000:.2f} s"
    if result["status"] == "not_found":
        return f"Searched in {took} · the documents do not state this; nothing here is cited as an answer."
    if result["status"] != "answered":
        return f"Searched in {took} · outside what the documents cover, so nothing is quoted."
    if result.get("mode") == "llm":
        return (f"Answered in {took} · worded by a language model; each sentence was checked against "
                "the source it cites.")
    return f"Answered in {took} · extractive: every sentence is quoted from the cited source."
