"""A synthetic corpus shaped like the real one: STMM-style chapters, statute sections, contract PDFs.

All text is generated here from a made-up vocabulary; nothing is copied from real documents.
A page is PAGE_CHARS characters of body text (a PDF page holds about that much).
"""
from __future__ import annotations

import json
import random
from pathlib import Path

PAGE_CHARS = 2400
SYLLABLES = ("tel", "var", "quon", "dra", "mis", "pel", "cor", "ax", "lin", "bru", "sen", "tor",
             "fal", "nim", "rud", "ost", "ker", "vel", "pra", "zin", "mo", "gra", "dul", "hex")
POLICY_WORDS = ("service", "contract", "agency", "request", "approval", "circuit", "network",
                "carrier", "invoice", "order", "exemption", "category", "rate", "facility",
                "equipment", "line", "plan", "record", "office", "program", "module", "form")
VERBS = ("order", "review", "approve", "submit", "retain", "verify", "cancel", "install",
         "report", "certify", "inventory", "transfer", "renew", "document")
HEADINGS = ("Purpose:", "Policy:", "Guidelines:", "Procedures:", "Exemption Requests:",
            "Responsibilities:", "Authority and References:")
CLAUSE_TITLES = ("Service Levels", "Ordering Procedures", "Billing and Invoices", "Trouble Reporting",
                 "Installation Intervals", "Rate Adjustments", "Security Requirements",
                 "Acceptance Testing", "Warranty", "Termination", "Reports", "Network Management")


def past(verb: str) -> str:
    """'order' -> 'ordered', 'verify' -> 'verified', 'submit' -> 'submitted'."""
    if verb.endswith("e"):
        return verb + "d"
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    if verb in ("submit", "transfer"):
        return verb + verb[-1] + "ed"
    return verb + "ed"


class Writer:
    """Deterministic text from a seeded generator and a made-up vocabulary."""

    def __init__(self, seed: int):
        self.rnd = random.Random(seed)
        self.terms = sorted({self._word() for _ in range(3000)})

    def _word(self) -> str:
        return "".join(self.rnd.choice(SYLLABLES) for _ in range(self.rnd.randint(2, 3)))

    def term(self) -> str:
        return self.rnd.choice(self.terms)

    def phrase(self) -> str:
        return f"{self.term()} {self.rnd.choice(POLICY_WORDS)}"

    def sentence(self) -> str:
        r = self.rnd
        forms = (
            f"Agencies shall {r.choice(VERBS)} each {self.phrase()} through the {self.phrase()} "
            f"before the {self.term()} {r.choice(POLICY_WORDS)} is {past(r.choice(VERBS))}.",
            f"The {self.phrase()} must be {past(r.choice(VERBS))} by the {self.phrase()} within "
            f"{r.randint(5, 90)} days of the {self.phrase()}.",
            f"A {self.phrase()} may be {past(r.choice(VERBS))} only when the {self.phrase()} "
            f"has been {past(r.choice(VERBS))} in writing.",
            f"Each {self.term()} {r.choice(POLICY_WORDS)} includes the {self.phrase()}, the "
            f"{self.phrase()} and the {self.phrase()}.",
        )
        return r.choice(forms)

    def paragraph(self, lo: int = 2, hi: int = 6) -> str:
        return " ".join(self.sentence() for _ in range(self.rnd.randint(lo, hi)))

    def title(self) -> str:
        return f"{self.term().title()} {self.rnd.choice(POLICY_WORDS).title()} {self.rnd.choice(('Rules', 'Policy', 'Services', 'Management'))}"


def stmm_chapter(w: Writer, num: str, pages: int) -> tuple[str, str]:
    """An STMM-style chapter: marker, title, headings, numbered subsections, paragraphs."""
    title = w.title()
    lines = ["---", f'title: "STMM Chapter {num} - {title}"', "---", f"STMM Chapter {num}", title, ""]
    size, sub = 0, 0
    budget = pages * PAGE_CHARS
    while size < budget:
        lines += [w.rnd.choice(HEADINGS), ""]
        for _ in range(w.rnd.randint(2, 4)):
            sub += 1
            para = f"{num.rsplit('.', 1)[0]}.{sub} {w.paragraph()}"
            lines += [para, ""]
            size += len(para)
    return f"stmm-{num}.md", "\n".join(lines) + "\n"


def statutes(w: Writer, first: int, count: int) -> tuple[str, str]:
    """A run of Government Code-style sections with subdivisions (a), (b) and paragraphs (1), (2)."""
    lines = ["---", f'title: "Government Code Sections {first}-{first + count - 1} (synthetic)"', "---", ""]
    for n in range(first, first + count):
        lines += [f"{n}. {w.paragraph(1, 2)}", ""]
        for letter in "abcdef"[:w.rnd.randint(2, 6)]:
            lines += [f"({letter}) {w.paragraph(1, 3)}", ""]
            if w.rnd.random() < 0.4:
                for k in range(1, w.rnd.randint(2, 4)):
                    lines += [f"({k}) {w.sentence()}", ""]
    return f"gc-{first}-{first + count - 1}.md", "\n".join(lines) + "\n"


def contract_pdf(w: Writer, name: str, pages: int) -> bytes:
    """A long contract PDF with numbered clauses (1.2.3 Title) and body paragraphs, `pages` pages."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(f"Synthetic Network Services Contract {name}")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=8)
    clause = [1, 1, 0]
    for _ in range(pages):
        pdf.add_page()
        size = 0
        while size < PAGE_CHARS:
            clause[2] += 1
            if clause[2] > w.rnd.randint(3, 6):
                clause = [clause[0], clause[1] + 1, 1]
                if clause[1] > 8:
                    clause = [clause[0] + 1, 1, 1]
            head = f"{clause[0]}.{clause[1]}.{clause[2]} {w.rnd.choice(CLAUSE_TITLES)}"
            body = w.paragraph(2, 4)
            pdf.cell(0, 4, head, new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(0, 3.5, body, new_x="LMARGIN", new_y="NEXT")
            size += len(head) + len(body)
    return bytes(pdf.output())


def generate(out: Path, pages: int, seed: int = 7) -> dict:
    """Write a corpus of about `pages` pages into out/docs (60% STMM chapters, 15% statutes,
    25% contract PDFs of 250 pages) and out/questions.txt; returns its description."""
    done = out / "corpus.json"
    if done.exists():
        return json.loads(done.read_text())
    w = Writer(seed)
    docs = out / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    counted, files, refs = 0, 0, []
    pdf_pages = pages // 4
    for k in range(max(1, pdf_pages // 250) if pdf_pages else 0):
        n = min(250, pdf_pages - k * 250) if k < pdf_pages // 250 - 1 else pdf_pages - k * 250
        (docs / f"contract-{k + 1:02d}.pdf").write_bytes(contract_pdf(w, f"C{k + 1:02d}", n))
        counted, files = counted + n, files + 1
    gc = 15000
    while counted < pages * 0.4:
        name, text = statutes(w, gc, 12)
        (docs / name).write_text(text)
        refs.append(f"GC {gc + 3}")
        gc, counted, files = gc + 20, counted + len(text) // PAGE_CHARS, files + 1
    chapter = 0
    while counted < pages:
        chapter += 1
        num = f"{chapter % 9 + 1}-{100 + chapter:03d}.0"
        n = w.rnd.randint(6, 18)
        name, text = stmm_chapter(w, num, n)
        (docs / name).write_text(text)
        refs.append(f"STMM {num}")
        counted, files = counted + len(text) // PAGE_CHARS, files + 1
    questions = _questions(w, refs)
    (out / "questions.txt").write_text("\n".join(questions) + "\n")
    info = {"pages": counted, "files": files, "bytes": sum(p.stat().st_size for p in docs.iterdir()),
            "questions": len(questions)}
    done.write_text(json.dumps(info))
    return info


def _questions(w: Writer, refs: list[str], n: int = 40) -> list[str]:
    """A help desk's mix: section look-ups, policy questions in the corpus's words, and off-topic ones."""
    out = []
    for k in range(n):
        r = k % 5
        if r == 0:
            out.append(w.rnd.choice(refs))
        elif r == 1:
            out.append(f"What does {w.rnd.choice(refs)} say about the {w.phrase()}?")
        elif r == 2:
            out.append(f"Who must {w.rnd.choice(VERBS)} the {w.phrase()}?")
        elif r == 3:
            out.append(f"How long does an agency have to {w.rnd.choice(VERBS)} a {w.phrase()}?")
        else:
            out.append(w.rnd.choice(("What is the best pizza in Sacramento?",
                                     "How do I reset my email password?",
                                     f"Can an agency buy a {w.term()} exemption outside CALNET?")))
    return out
