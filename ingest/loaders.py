"""Loaders per format (PDF, HTML, Markdown/text with front matter, DOCX) that return a Document."""
from __future__ import annotations

import io
import re
from pathlib import Path

import yaml

from .models import Document, LoadError, Page

SUPPORTED = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "markdown",
             ".markdown": "markdown", ".txt": "text", ".text": "text", ".docx": "docx"}
FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
URL_RE = re.compile(r"https?://[^\s\"<>]+[^\s\"<>).,;]")
META_KEYS = ("title", "source", "url", "publisher", "date", "completeness", "kind")


def decode_text(data: bytes, name: str) -> str:
    """Bytes to text: UTF-8 when valid, otherwise an encoding that can be told reliably."""
    if b"\x00" in data[:8192]:
        raise LoadError("binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = _windows_1252(data)
    if text is not None:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2 or best.coherence < 0.1:
        raise LoadError("text encoding could not be determined (not UTF-8, and no other encoding fits)")
    text = str(best)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise LoadError("binary file, not text (too many control characters)")
    return text


# What Windows-1252 text from an agency usually holds beyond ASCII: Latin letters and typography.
_PLAUSIBLE_1252 = set("‘’“”–—…•€™©®°§¶·½¼¾±×÷") | {chr(c) for c in range(0xC0, 0x100)} | {"\u00a0"}


def _windows_1252(data: bytes) -> str | None:
    """Decode as Windows-1252 when every non-ASCII character is one such text would hold."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [c for c in text if ord(c) > 127]
    return text if high and all(c in _PLAUSIBLE_1252 for c in high) else None


def _split_front_matter(text: str) -> tuple[dict, str]:
    m = FRONT_MATTER_RE.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError as e:
        raise LoadError(f"front matter is not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(meta, dict):
        return {}, text
    return {k: str(v) for k, v in meta.items() if k in META_KEYS and v is not None}, text[m.end():]


def _strip_markdown(text: str) -> str:
    """Keep the words of Markdown, drop its heading hashes and emphasis marks."""
    text = re.sub(r"^#{1,6}\s+", "", text, flags=re.M)
    text = re.sub(r"\[([^\]]+)\]\((https?://[^)]+)\)", r"\1 (\2)", text)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)


def load_text(data: bytes, name: str, markdown: bool) -> Document:
    text = decode_text(data, name)
    meta, body = _split_front_matter(text)
    if markdown:
        body = _strip_markdown(body)
    return _document(name, [Page(body)], meta, "markdown" if markdown else "text")


def load_pdf(data: bytes, name: str) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("encrypted PDF: it needs a password to open")
        pages = [Page(p.extract_text() or "", i + 1) for i, p in enumerate(reader.pages)]
        info = reader.metadata or {}
    except LoadError:
        raise
    except FileNotDecryptedError:
        raise LoadError("encrypted PDF: it needs a password to open") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise LoadError(f"corrupt or damaged PDF ({type(e).__name__}: {str(e)[:120]})") from None
    if not pages:
        raise LoadError("PDF has no pages")
    if not any(p.text.strip() for p in pages):
        raise LoadError(f"PDF has no extractable text ({len(pages)} page(s) of images?): it needs OCR first")
    meta = {"title": str(info.get("/Title") or "").strip()}
    return _document(name, pages, {k: v for k, v in meta.items() if v}, "pdf")


def load_html(data: bytes, name: str) -> Document:
    import trafilatura

    html = decode_text(data, name)
    text = trafilatura.extract(html, output_format="markdown", include_comments=False,
                               include_tables=True, include_links=False, favor_recall=True)
    if not text or not text.strip():
        text = trafilatura.html2txt(html) or ""
    meta_obj = trafilatura.extract_metadata(html)
    meta = {}
    if meta_obj is not None:
        meta = {k: v for k, v in (("title", meta_obj.title), ("url", meta_obj.url),
                                  ("date", meta_obj.date), ("publisher", meta_obj.sitename)) if v}
    if not text.strip():
        raise LoadError("HTML page has no readable text")
    return _document(name, [Page(_strip_markdown(text))], meta, "html")


def load_docx(data: bytes, name: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as e:
        raise LoadError(f"corrupt or unreadable DOCX ({type(e).__name__})") from None
    lines: list[str] = []
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = ["".join(t.text or "" for t in c.iter() if t.tag.endswith("}t"))
                             for c in row if c.tag.endswith("}tc")]
                    lines.append(" | ".join(cells))
    props = d.core_properties
    meta = {k: v for k, v in (("title", props.title), ("publisher", props.author)) if v}
    return _document(name, [Page("\n\n".join(lines))], meta, "docx")


def _document(name: str, pages: list[Page], meta: dict, fmt: str) -> Document:
    if not any(p.text.strip() for p in pages):
        raise LoadError("file has no text")
    title = meta.get("title") or _first_line(pages) or Path(name).stem
    found = URL_RE.search(f"{meta.get('source', '')} {meta.get('url', '')}")
    return Document(doc=name, pages=pages, title=title, url=found.group(0) if found else None,
                    publisher=meta.get("publisher"), date=meta.get("date"),
                    completeness=meta.get("completeness"), kind=meta.get("kind", "other"), fmt=fmt)


def _first_line(pages: list[Page]) -> str:
    for line in pages[0].text.splitlines():
        if line.strip():
            return line.strip()[:120]
    return ""


def load_bytes(data: bytes, name: str) -> Document:
    """Load a file's bytes by its extension; raise LoadError with a plain reason on failure."""
    ext = Path(name).suffix.lower()
    fmt = SUPPORTED.get(ext)
    if fmt is None:
        kinds = ", ".join(sorted(SUPPORTED))
        raise LoadError(f"unsupported file type '{ext or '(none)'}' (supported: {kinds})")
    if not data.strip():
        raise LoadError("empty file")
    if fmt == "pdf":
        return load_pdf(data, name)
    if fmt == "html":
        return load_html(data, name)
    if fmt == "docx":
        return load_docx(data, name)
    return load_text(data, name, markdown=fmt == "markdown")
