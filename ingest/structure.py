"""Structure detection: find the documents' own numbering and headings and cut sections at them."""
from __future__ import annotations

import re

from .models import Document, Paragraph, Section
from .normalize import LEADER_RE, is_heading, paragraphs
from .refs import code_for, doc_kind, doc_ref, ref_in_text

STMM_RE = re.compile(r"^STMM\s+Chapter\s+((?:\d+-)?\d{3,4}\.\d+)\b", re.I)
SAM_DASH_RE = re.compile(r"^([A-Z][A-Z0-9 ,&/'()-]{2,80}?)\s+[-–]\s+(\d{4}(?:\.\d+)?)(?:-[A-Z]{3}-\d{4})?$")
SAM_GLUED_RE = re.compile(r"^([A-Z][A-Z ,&/'-]{3,80}?)\s?(\d{4}(?:\.\d+)?)$")
STATUTE_NUM_RE = re.compile(r"^(\d{4,5}(?:\.\d+)?)\s*\.\s")
STATUTE_HEAD_RE = re.compile(
    r"^(?:Section\s+(\d{4,5}(?:\.\d+)?)\b"
    r"|(?:CA Gov't|Cal\. Gov\.|Government|Public Contract)\s+Code\b.{0,20}?(?:Section|§)\s*(\d{4,5}(?:\.\d+)?)"
    r"|SECTION\s+(?:GOV|PCC)\s?(\d{4,5}(?:\.\d+)?))"
)
SUBDIV_RE = re.compile(r"^\((?:([a-z]{1,2})|(\d{1,3})|([A-Z]))\)\s")
CLAUSE_RE = re.compile(r"^(\d{1,2}(?:\.\d{1,3}){1,3})\.?\s+([A-Z][^.\d]{0,80})$")  # '2.3.1 Service Levels'
LETTERED_RE = re.compile(r"^[A-Z]\.\s+[A-Z][\w ,/&()'’-]{2,60}$")
COPY_RE = re.compile(r"^={3}\s*(.*?)\s*={3}$")
SOURCE_RE = re.compile(r"^SOURCE\s*:\s*(\S+)", re.I)
TRUNCATION_RE = re.compile(r"^\[\.\.\..*\.\.\.\]$")
# A manual page's own controls. Its revisions list ('No Revisions for this item.') is kept: it says
# whether the section has changed since its note ('(New: 07/2023)').
CHROME = {"calnet", "Search Entire Manual", "Print Entire SAM Manual", "Print page", "Transcription", "Revisions"}


class _Builder:
    """Accumulates paragraphs and opens a new section whenever the place in the document changes."""

    def __init__(self, doc: Document, ref: str | None):
        self.out: list[Section] = []
        self.cur = Section(ref=ref, heading=None, url=doc.url)

    def open(self, **changes) -> None:
        fields = {k: getattr(self.cur, k) for k in ("ref", "heading", "url", "label", "subdivision")}
        fields.update(changes)
        if fields == {k: getattr(self.cur, k) for k in fields}:
            return
        self.close()
        self.cur = Section(**fields)

    def add(self, text: str, page: int | None) -> None:
        self.cur.paragraphs.append(Paragraph(text, page))

    def close(self) -> None:
        if self.cur.paragraphs:
            self.out.append(self.cur)


def sections(doc: Document) -> list[Section]:
    """Cut a loaded document into sections that each know their reference and heading."""
    kind = doc.kind if doc.kind != "other" else doc_kind(doc.title, doc.url, doc.doc)
    code = code_for(doc.title, doc.doc)
    default_ref = doc_ref(doc.title, doc.url, doc.doc)
    b = _Builder(doc, default_ref)
    after_stmm_marker = False
    for page in doc.pages:
        for text in paragraphs(page.text):
            if text in CHROME or TRUNCATION_RE.match(text):
                continue
            if m := COPY_RE.match(text):
                label = m.group(1)
                code = code_for(label, default=None) or code_for(doc.title, doc.doc)
                b.open(label=label, ref=ref_in_text(label, code) or default_ref, heading=None,
                       subdivision=None, url=doc.url)
                continue
            if m := SOURCE_RE.match(text):
                b.open(url=m.group(1))
                continue
            if m := STMM_RE.match(text):
                b.open(ref=f"STMM {m.group(1)}", heading=None, subdivision=None)
                b.add(text, page.page)
                after_stmm_marker = True
                continue
            if after_stmm_marker:
                after_stmm_marker = False
                if len(text) < 120 and not text.endswith(".") and not is_heading(text):
                    b.cur.heading = text  # the chapter's title names the opening lines
                    b.add(text, page.page)
                    continue
            if kind == "sam" and (m := SAM_DASH_RE.match(text) or SAM_GLUED_RE.match(text)):
                b.open(ref=f"SAM {m.group(2)}", heading=_title(m.group(1).strip()), subdivision=None)
                b.add(text, page.page)
                continue
            if kind == "statute" and (m := STATUTE_NUM_RE.match(text) or STATUTE_HEAD_RE.match(text)):
                num = next(g for g in m.groups() if g)
                b.open(ref=f"{code} {num}", heading=None, subdivision=_subdivision(text[m.end():].lstrip()))
                b.add(text, page.page)
                continue
            if kind == "statute" and (m := SUBDIV_RE.match(text)) and m.group(1):
                b.open(subdivision=f"({m.group(1)})")
                b.add(text, page.page)
                continue
            if kind in ("contract", "other") and (m := CLAUSE_RE.match(text)):
                b.open(ref=f"Clause {m.group(1)}", heading=m.group(2).strip(), subdivision=None)
                b.add(text, page.page)
                continue
            if (is_heading(text) or LETTERED_RE.match(text)) and not LEADER_RE.search(text):
                b.open(heading=text.rstrip(":").strip(), subdivision=None)
                continue
            b.add(text, page.page)
    b.close()
    return b.out


ACRONYMS = {"CALNET", "STMM", "SAM", "SIMM", "CDT", "DGS", "ATO", "CATR", "ATR", "IT", "OTECH", "MSA", "CMAS"}


def _title(heading: str) -> str:
    """'CALNET EXEMPTION' -> 'CALNET Exemption': title case that keeps the field's acronyms."""
    return " ".join(w if w.upper() in ACRONYMS else w.capitalize() for w in heading.split())


def _subdivision(text: str) -> str | None:
    m = SUBDIV_RE.match(text)
    return f"({m.group(1)})" if m and m.group(1) else None
