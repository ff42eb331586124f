"""Fixture writers: small documents made by the tests themselves (FIXTURE text, not real policy)."""
from __future__ import annotations

import io
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def pdf_bytes(pages: list[str], title: str = "FIXTURE manual") -> bytes:
    """A text PDF with one string per page (line breaks kept as hard breaks)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        for line in text.split("\n"):
            pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def encrypted_pdf_bytes(password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(["FIXTURE locked page"]))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf_bytes() -> bytes:
    """A PDF whose only page is a picture: a scan that needs OCR."""
    from fpdf import FPDF
    from PIL import Image

    img = Image.new("RGB", (200, 100), "white")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(buf, x=10, y=10, w=100)
    return bytes(pdf.output())


def docx_bytes(paragraphs: list[tuple[str, str | None]]) -> bytes:
    """A Word file from (text, style) pairs, e.g. ("Purpose", "Heading 1")."""
    import docx

    d = docx.Document()
    d.core_properties.title = "FIXTURE Word policy"
    for text, style in paragraphs:
        d.add_paragraph(text, style=style)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


HTML_PAGE = """<!doctype html><html><head><title>FIXTURE STMM Chapter 9-999.0</title>
<link rel="canonical" href="https://example.invalid/stmm-chapter-9-999-0">
<script>window.alert('should never be indexed')</script><style>.nav{}</style></head>
<body><nav class="nav"><ul><li><a href="/">Home</a></li><li><a href="/services">Services menu</a></li></ul></nav>
<main><article><h1>STMM Chapter 9-999.0</h1><h2>Fixture Pager Service</h2>
<h3>Purpose:</h3><p>This fixture chapter describes how agencies order pager service through the
fixture program, so that parsing of real manual pages can be tested.</p>
<h3>Policy:</h3><p>Agencies shall order pager service from the fixture contract unless an exemption
has been approved in writing by the fixture office, and shall keep the approval on file.</p>
<p>Agencies should review pager inventories every year and cancel units that are no longer used.</p>
</article></main>
<footer>Copyright footer text. Privacy policy. Contact us.</footer></body></html>"""


def write(dirpath: Path, name: str, data: bytes | str) -> Path:
    p = dirpath / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return p


EDITIONS = ("edition one", "edition two")


def policy_text(k: int, edition: str) -> str:
    """A small FIXTURE chapter whose every rule sentence names its edition."""
    return (f"---\ntitle: \"FIXTURE STMM Chapter 9-{400 + k}.0 - Pager Rules {k}\"\n---\n"
            f"STMM Chapter 9-{400 + k}.0\nPager Rules {k} ({edition})\nPolicy:\n"
            f"Agencies shall order fixture pagers of kind {k} through the fixture contract, {edition}.\n"
            f"Agencies shall return unused fixture pagers of kind {k} to the fixture office, {edition}.\n")


def policy_files(dirpath: Path, n: int, edition: str) -> list[Path]:
    """n FIXTURE chapters (chapter-00.txt ...) in one edition."""
    return [write(dirpath, f"chapter-{k:02d}.txt", policy_text(k, edition)) for k in range(n)]


def kb_env(home: Path, **extra: str) -> dict:
    """Environment for a `kb` subprocess on its own KB_HOME, offline."""
    import os

    env = {"KB_HOME": str(home), "HF_HUB_OFFLINE": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    env.update(extra)
    return env
