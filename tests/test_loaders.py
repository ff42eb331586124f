"""Each loader turns its format into text with metadata; PDF pages keep their numbers."""
from __future__ import annotations

import pytest

from ingest import LoadError, load_bytes, parse
from tests.fixtures import HTML_PAGE, docx_bytes, pdf_bytes


def test_pdf_pages_keep_their_numbers():
    data = pdf_bytes([
        "STMM Chapter 9-100.0\nFixture Network Service\nPurpose:\nThis FIXTURE page one explains the "
        "service for\nagencies that order it.",
        "Policy:\nAgencies shall use the fixture network for all voice traffic on page two.",
        "Guidelines:\nAgencies should check invoices monthly on page three.",
    ])
    doc, chunks = parse(data, "fixture-manual.pdf")
    assert [p.page for p in doc.pages] == [1, 2, 3]
    pages = {c.page for c in chunks if "page two" in c.text}
    assert pages == {2}
    assert any(c.page == 3 and c.heading == "Guidelines" for c in chunks)
    # the hard line break inside a sentence is repaired
    assert any("explains the service for agencies that order it." in c.text for c in chunks)


def test_html_keeps_main_text_and_drops_navigation_and_scripts():
    doc, chunks = parse(HTML_PAGE.encode(), "fixture-page.html")
    text = " ".join(c.text for c in chunks)
    assert "order pager service from the fixture contract" in text
    assert "alert" not in text and "Services menu" not in text
    assert any(c.section == "STMM 9-999.0" for c in chunks)
    assert any(c.heading == "Policy" for c in chunks)


def test_markdown_front_matter_becomes_metadata():
    md = ("---\ntitle: \"FIXTURE SAM Section 9999 - PAGER POLICY\"\nsource: \"https://example.invalid/SAM/TOC/9900/9999\"\n"
          "publisher: Fixture Dept\ndate: \"2024-01-01\"\ncompleteness: \"FRAGMENT - cut\"\n---\n"
          "PAGER POLICY - 9999\n\nAgencies must return unused pagers to the fixture office.\n")
    doc = load_bytes(md.encode(), "fixture.md")
    assert doc.title.startswith("FIXTURE SAM Section 9999")
    assert doc.url == "https://example.invalid/SAM/TOC/9900/9999"
    assert doc.publisher == "Fixture Dept" and doc.date == "2024-01-01" and doc.fragment
    _, chunks = parse(md.encode(), "fixture.md")
    assert chunks[0].section == "SAM 9999"


def test_plain_text_and_windows_1252():
    text = "Agencies shall file the \u201cfixture\u201d form \u2013 within 30 days of the caf\u00e9 order.\n"
    doc = load_bytes(text.encode("cp1252"), "legacy.txt")
    assert "\u201cfixture\u201d form \u2013 within 30 days" in doc.pages[0].text
    assert "caf\u00e9" in doc.pages[0].text


def test_docx_headings_and_paragraphs():
    data = docx_bytes([("STMM Chapter 9-200.0", "Heading 1"), ("Purpose:", "Heading 2"),
                       ("This FIXTURE Word chapter covers conference bridges for agencies.", None),
                       ("Policy:", "Heading 2"),
                       ("Agencies shall reserve conference bridges two days ahead.", None)])
    doc, chunks = parse(data, "fixture.docx")
    assert doc.title == "FIXTURE Word policy"
    policy = [c for c in chunks if c.heading == "Policy"]
    assert policy and "two days ahead" in policy[0].text
    assert all(c.section == "STMM 9-200.0" for c in chunks)


def test_unsupported_type_is_refused_with_reason():
    with pytest.raises(LoadError, match="unsupported file type '.xls'"):
        load_bytes(b"data", "sheet.xls")
