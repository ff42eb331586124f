"""Structure detection on the real excerpts and on fixtures: sections, headings, subdivisions."""
from __future__ import annotations

import re

import pytest

from ingest import parse
from ingest.refs import doc_ranges, find_refs, ref_key
from tests.fixtures import CORPUS, pdf_bytes


def _chunks(name):
    path = CORPUS / name
    if not path.exists():
        pytest.skip("shared corpus not present")
    return parse(path.read_bytes(), name)[1]


def test_stmm_chapter_and_its_headings():
    chunks = _chunks("stmm-3-501.0-calnet-exemption-requests.md")
    assert {c.section for c in chunks} == {"STMM 3-501.0"}
    headings = [c.heading for c in chunks]
    for h in ("Purpose", "Policy", "Exemption Requests"):
        assert h in headings
    signed = [c for c in chunks if "Agency Information Officer" in c.text]
    assert signed and signed[0].heading == "Exemption Requests"
    assert signed[0].url == "https://cdt.ca.gov/services/calnet-policies/stmm-chapter-3-501-0"


def test_sam_section_and_government_code_subdivisions():
    assert {c.section for c in _chunks("sam-4605-calnet-exemption.md")} == {"SAM 4605"}
    gc = _chunks("gc-11541.md")
    assert {c.section for c in gc} == {"GC 11541"}
    subs = [c.subdivision for c in gc]
    assert "(a)" in subs and "(b)" in subs and "(c)" in subs
    b = [c for c in gc if c.subdivision == "(b)"]
    assert b[0].text.startswith("(b) With respect to business telecommunications")


def test_statute_numbers_inside_a_multi_section_copy():
    chunks = _chunks("gc-11534-11537-2007.md")
    assert {"GC 11534", "GC 11535", "GC 11536", "GC 11537"} <= {c.section for c in chunks}
    assert all("11536." not in c.text for c in chunks if c.section == "GC 11535")


def test_copies_carry_their_own_source_url():
    chunks = _chunks("sam-8422.106-telephone-invoices.md")
    archived = [c for c in chunks if c.label and "archived" in c.label]
    assert archived and archived[0].url.endswith("8422-106-FEB-2015")
    assert {c.section for c in chunks} == {"SAM 8422.106"}


def test_pdf_extracted_introduction_headings():
    chunks = _chunks("stmm-introduction.md")
    assert {"VISION", "STRATEGY", "POLICY"} <= {c.heading for c in chunks}
    assert any("procured from and operated by private contractor(s)." in c.text for c in chunks)


def test_chunks_never_cross_sections_and_stay_quotable():
    for path in sorted(CORPUS.glob("*.md")):
        for c in parse(path.read_bytes(), path.name)[1]:
            assert len(c.text) <= 1300, (path.name, c.section)


def test_contract_clauses_and_public_contract_code_in_fixture_pdf():
    data = pdf_bytes([
        "FIXTURE Master Services Agreement\n1.1 Definitions\nContractor means the fixture carrier that\n"
        "signs this agreement with the State.\n1.2 Term\nThe term is five years from award.",
        "2.3.1 Service Levels\nThe Contractor shall restore service within four hours.",
    ], title="FIXTURE CALNET Master Services Agreement contract")
    chunks = parse(data, "fixture-msa.pdf")[1]
    by = {c.section: c for c in chunks}
    assert by["Clause 1.2"].heading == "Term" and by["Clause 1.2"].page == 1
    assert by["Clause 2.3.1"].page == 2 and "four hours" in by["Clause 2.3.1"].text


@pytest.mark.parametrize("text,expected", [
    ("GC 11541", ("GC 11541", None)),
    ("Gov. Code \u00a7 11541(b)", ("GC 11541", "(b)")),
    ("Government Code section 11534", ("GC 11534", None)),
    ("STMM 0507.0", ("STMM 0507.0", None)),
    ("Chapter 3-501.0", ("STMM 3-501.0", None)),
    ("SAM 4605", ("SAM 4605", None)),
    ("Public Contract Code 12120", ("PCC 12120", None)),
    ("GC 11541(b)(1)", ("GC 11541", "(b)(1)")),
])
def test_reference_forms(text, expected):
    r = find_refs(text)[0]
    assert (r.ref, r.subdivision) == expected


def test_former_stmm_numbers_share_a_key():
    assert ref_key("STMM 0501.0") == ref_key("STMM 3-501.0") == ref_key("STMM 501")


@pytest.mark.parametrize("title,url,name,expected", [
    ('California Government Code §§ 11531-11532 (Chapter 5.5 "Technology")', "https://example.org/section-11532",
     "gc-11531-11532.md", [("GC", 11531, 11532)]),
    ("Statutes (Communications Law, Gov. Code 15250 ff.; Rev. & Tax. Code 41135 ff.)",
     "https://example.org/california/government-code/15250-15254", "gc-15250.md",
     [("GC", 15250, 15250), ("RTC", 41135, 41135), ("GC", 15250, 15254)]),
    ("Cal. Gov. Code § 11534 - Purpose", "https://example.org/section-11534-purpose", "gc-11534.md", []),
])
def test_a_document_names_the_sections_it_holds(title, url, name, expected):
    assert doc_ranges(title, url, name) == expected


def test_a_chunk_that_continues_a_numbered_list_keeps_its_lead_in():
    """'(3) Recommend to public agencies ...' is read for word search with '... the Office of Technology
    Services may do all of the following:', which the chunk before it holds; a bulleted list's
    lead-in is not carried, and the next subdivision '(c) ...' ends the list."""
    from ingest.chunker import chunk_document
    from ingest.models import Document, Page, Paragraph, Section

    lead = "(b) With respect to telephone systems, the Office may do all of the following:"
    items = [f"({n}) {'Provide a long clause about one duty of the Office. ' * 8}" for n in (1, 2)]
    paras = [lead, *items, "(3) Recommend rules to public agencies.", "(c) The Office has these duties:",
             "- plan the network", "- review the budget " * 30, "- report each year"]
    doc = Document("law.md", [Page("")], title="A statute", kind="statute")
    chunks = chunk_document(doc, [Section("GC 1", None, [Paragraph(p) for p in paras])])
    later = [c for c in chunks if re.match(r"\(\d\)", c.text)]  # chunks that open on an item of the list
    assert later and all(c.lead == lead for c in later)
    assert all("all of the following" not in c.text for c in later)  # quoted text stays the chunk's own
    assert all(c.lead is None for c in chunks if c.text.startswith(("(c)", "-")))


def test_a_run_on_act_title_is_cut_between_its_clauses():
    """An act's title runs past the chunk limit in one sentence; it is cut before a ', to amend ...'
    clause, so that 'Sections 2872.5, 2892, and 2892.1 of the Public Utilities Code' stays whole."""
    from ingest.chunker import LIMIT, _pieces

    codes = ["Government Code", "Public Contract Code", "Public Utilities Code", "Revenue and Taxation Code"]
    clauses = [f"to amend Sections {', '.join(str(1000 + 37 * k + n) for n in range(40))}, and 2892.1 of the {code}"
               for k, code in enumerate(codes)]
    title = "An act " + ", ".join(clauses) + ", relating to technology."
    assert len(title) > LIMIT
    pieces = _pieces(title)
    assert len(pieces) > 1 and all(len(p) <= LIMIT for p in pieces)
    assert all(p.startswith(("An act", "to amend")) for p in pieces), [p[:30] for p in pieces]
    assert sum(p.count("and 2892.1 of the") for p in pieces) == len(codes)
