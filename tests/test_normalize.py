"""Text normalisation repairs extraction damage without losing words."""
from __future__ import annotations

from ingest.normalize import is_heading, paragraphs


def test_hyphenation_and_hard_breaks_repaired():
    raw = ("The Department of Technology develops strategic and tactical poli-\n"
           "cies and plans for business telecommunications with consideration\n"
           "for the systems and requirements of public agencies in the state.\n")
    assert paragraphs(raw) == ["The Department of Technology develops strategic and tactical policies "
                               "and plans for business telecommunications with consideration for the "
                               "systems and requirements of public agencies in the state."]


def test_real_compound_hyphen_kept():
    raw = ("Agencies that are non-exempt must follow this rule, and every non-\n"
           "exempt agency files the form with the office before it buys the service.\n"
           "This third line keeps the block wrapped like a page of a PDF document.\n")
    assert "every non-exempt agency" in paragraphs(raw)[0]


def test_bullets_headings_and_blank_line_mid_sentence():
    raw = ("VISION\n\n\u2022 The network will continue to be procured from\n\n"
           "and operated by private contractors.\n\n\u2022 Second bullet stands alone.\n")
    assert paragraphs(raw) == ["VISION",
                               "\u2022 The network will continue to be procured from and operated by private contractors.",
                               "\u2022 Second bullet stands alone."]


def test_whitespace_folded_and_odd_characters_cleaned():
    assert paragraphs("A\u00a0\u00a0fixture\t\tline with \ufb01le and soft\u00adhyphen.") == \
        ["A fixture line with file and softhyphen."]


def test_run_together_subdivisions_split():
    raw = "(a) There is an office.(b) The purpose of this article is service."
    assert paragraphs(raw) == ["(a) There is an office.", "(b) The purpose of this article is service."]


def test_a_dateline_is_text_not_a_heading():
    """'FEBRUARY 19, 2010' under 'INTRODUCED BY ...' is the date asked about, not a title for what follows."""
    assert not is_heading("FEBRUARY 19, 2010")
    assert is_heading("AMENDED IN SENATE")


def test_a_table_row_is_not_glued_to_the_prose_after_it():
    """A PDF's table rows ('7 Hosted Voice March 26,2014 June 30,2018 2') are lines of their own: the
    sentence that follows them starts a paragraph, so that it never opens on a row of the table."""
    text = ("Category Contract Award Contract End\n"
            "6 Hosted Voice Services March 26,2014 June 30,2018 2\n"
            "7 Network Based Managed March 26,2014 June 30,2018 2\n"
            "Security\n"
            "Pursuant to the Contract, any public agency is allowed to order services as set\n"
            "forth in the Contract.\n")
    paras = paragraphs(text)
    assert any(p.startswith("Pursuant to the Contract") and p.endswith("in the Contract.") for p in paras), paras
    assert not any("June 30,2018" in p and "Pursuant" in p for p in paras)
