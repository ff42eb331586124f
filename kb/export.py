"""Export an answer or a conversation, with every citation, the index snapshot and a notice, as Markdown, DOCX or PDF."""
from __future__ import annotations

import io
from datetime import datetime

NOTICE = ("The official State Telecommunications Management Manual and the cited sources govern; "
          "this export is an aid. Check each quote against its source before relying on it.")
FORMATS = {"md": ("text/markdown", "md"),
           "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
           "pdf": ("application/pdf", "pdf")}
STATUS = {"answered": "Answered from the documents", "not_found": "Not covered by the documents",
          "out_of_scope": "Outside what the knowledge base covers"}


def snapshot(idx) -> dict:
    """What the index held: when it was built, and each document with its title, date and address."""
    docs = [{k: e.get(k) for k in ("doc", "title", "date", "fetched_at", "url", "fragment")}
            for e in sorted(idx.files.values(), key=lambda e: e["doc"])]
    return {"ingested_at": idx.manifest.get("ingested_at"), "documents": docs}


def _now() -> str:
    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


def _source(c: dict) -> str:
    where = ", ".join(str(x) for x in (c.get("section"), c.get("heading")) if x)
    page = f", p. {c['page']}" if c.get("page") else ""
    return f"{c['title']}" + (f" ({where}{page})" if where or page else "")


def _doc_line(d: dict) -> str:
    dated = "; ".join(x for x in (f"dated {d['date']}" if d.get("date") else "",
                                  f"fetched {d['fetched_at']}" if d.get("fetched_at") else "") if x)
    frag = " [fragment]" if d.get("fragment") else ""
    return f"{d['title'] or d['doc']}{frag} ({d['doc']}{'; ' + dated if dated else ''})"


def blocks(turns: list[dict], snap: dict, generated_at: str | None = None) -> list[tuple[str, str, str | None]]:
    """The export as (kind, text, link) blocks; kind is title, h2, h3, p, quote, item or small.
    Each turn is {"question": ..., "result": <the kb ask JSON>}. All three formats render these."""
    out = [("title", "California telecom policy: cited answers" if len(turns) > 1 else
            "California telecom policy: cited answer", None),
           ("small", f"Generated {generated_at or _now()}. {len(turns)} question(s).", None),
           ("small", NOTICE, None)]
    for k, t in enumerate(turns, 1):
        r = t["result"]
        out.append(("h2", f"Question {k}: {t['question']}", None))
        out.append(("small", STATUS.get(r["status"], r["status"]), None))
        out.append(("p", r["answer"], None))
        g = r.get("guidance")
        if g:
            out.append(("h3", g["title"], None))
            for n, step in enumerate(g["steps"], 1):
                out.append(("item", f"{n}. {step['text']} " + "".join(f"[{c}]" for c in step["cite"]), None))
        if r["citations"]:
            out.append(("h3", "Sources", None))
        for c in r["citations"]:
            out.append(("item", f"[{c['n']}] {_source(c)}", None))
            out.append(("quote", f"\u201c{c['quote']}\u201d", None))
            out.append(("link", c.get("url") or c["doc"], c.get("url")))
    out.append(("h2", "What the index held", None))
    out.append(("small", f"Last ingest: {snap.get('ingested_at') or 'unknown'}; "
                         f"{len(snap['documents'])} documents.", None))
    for d in snap["documents"]:
        out.append(("item", "- " + _doc_line(d) + (f" {d['url']}" if d.get("url") else ""), None))
    out.append(("small", NOTICE, None))
    return out


def to_markdown(turns: list[dict], snap: dict, generated_at: str | None = None) -> str:
    md = {"title": "# {}", "h2": "## {}", "h3": "### {}", "p": "{}", "quote": "> {}", "item": "{}", "small": "_{}_"}
    lines: list[str] = []
    for kind, text, url in blocks(turns, snap, generated_at):
        if lines and lines[-1] and not (kind == "item" and lines[-1][:1] in "-[0123456789"):
            lines.append("")
        lines.append(f"  <{url}>" if kind == "link" and url else
                     f"  {text}" if kind == "link" else md[kind].format(text))
    return "\n".join(lines).rstrip() + "\n"


def _docx_link(paragraph, url: str) -> None:
    """A clickable hyperlink run (python-docx has no public call for one)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rid = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    h = OxmlElement("w:hyperlink")
    h.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    props.append(style)
    props.append(underline)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = url
    run.append(text)
    h.append(run)
    paragraph._p.append(h)


def to_docx(turns: list[dict], snap: dict, generated_at: str | None = None) -> bytes:
    import docx

    d = docx.Document()
    d.core_properties.title = "California telecom policy: cited answers"
    for kind, text, url in blocks(turns, snap, generated_at):
        if kind == "title":
            d.add_heading(text, level=0)
        elif kind in ("h2", "h3"):
            d.add_heading(text, level=1 if kind == "h2" else 2)
        elif kind == "quote":
            d.add_paragraph(text, style="Quote")
        elif kind == "link":
            p = d.add_paragraph()
            _docx_link(p, url) if url else p.add_run(text)
        elif kind == "small":
            d.add_paragraph().add_run(text).italic = True
        else:
            d.add_paragraph(text)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


_LATIN1 = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                         "\u2014": "-", "\u2022": "-", "\u00b7": "-", "\u2026": "...", "\u00a0": " "})


def pdf_text(text: str) -> str:
    """Text the PDF's built-in fonts can show: typographic quotes and dashes become plain ones."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def to_pdf(turns: list[dict], snap: dict, generated_at: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("California telecom policy: cited answers")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    styles = {"title": ("B", 16), "h2": ("B", 13), "h3": ("B", 11), "p": ("", 11), "quote": ("I", 10),
              "item": ("", 10), "small": ("I", 9), "link": ("U", 9)}
    for kind, text, url in blocks(turns, snap, generated_at):
        style, size = styles[kind]
        pdf.set_font("Helvetica", style=style, size=size)
        pdf.set_x(pdf.l_margin + (8 if kind in ("quote", "link") else 0))
        pdf.multi_cell(0, size * 0.5, pdf_text(text), align="L", link=url or "", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5 if kind in ("item", "quote") else 3)
    return bytes(pdf.output())


def render(turns: list[dict], snap: dict, fmt: str, generated_at: str | None = None) -> bytes:
    """The export as bytes in one of FORMATS (md, docx, pdf)."""
    if fmt == "md":
        return to_markdown(turns, snap, generated_at).encode("utf-8")
    if fmt == "docx":
        return to_docx(turns, snap, generated_at)
    if fmt == "pdf":
        return to_pdf(turns, snap, generated_at)
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")


def file_name(turns: list[dict], fmt: str) -> str:
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    return f"{'conversation' if len(turns) > 1 else 'answer'}-{stamp}.{FORMATS[fmt][1]}"
