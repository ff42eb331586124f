"""Section lookup: every reference form goes straight to its section; keywords list sections."""
from __future__ import annotations

import pytest

from kb import lookup


@pytest.mark.parametrize("query,ref,doc", [
    ("GC 11541", "GC 11541", "gc-11541.md"),
    ("Gov. Code \u00a7 11541(b)", "GC 11541", "gc-11541.md"),
    ("Government Code section 11539", "GC 11539", "gc-11539.md"),
    ("STMM 0507.0", "STMM 0507.0", "stmm-0507.0-toll-free-service.md"),
    ("Chapter 3-501.0", "STMM 3-501.0", "stmm-3-501.0-calnet-exemption-requests.md"),
    ("STMM 0501.0", "STMM 0501.0", "stmm-3-501.0-calnet-exemption-requests.md"),  # the former number
    ("SAM 4605", "SAM 4605", "sam-4605-calnet-exemption.md"),
    ("PCC 12120", "PCC 12120", "pcc-12120-telecom-acquisition.md"),
])
def test_reference_forms_reach_their_section(corpus_kb, query, ref, doc):
    res = lookup.search(corpus_kb, corpus_kb.index(), query)
    assert res["kind"] == "section"
    docs = [s["doc"] for s in res["sections"]]
    assert doc in docs
    s = res["sections"][docs.index(doc)]
    assert s["ref"] == ref and s["text"] and s["url"]
    assert s["citation"].startswith(ref)


def test_a_section_held_by_several_publishers_lists_each(corpus_kb):
    res = lookup.search(corpus_kb, corpus_kb.index(), "GC 11534")
    assert {"gc-11534.md", "gc-11534-2011.md", "gc-11534-11537-2007.md"} <= {s["doc"] for s in res["sections"]}


def test_keywords_list_sections_with_highlights(corpus_kb):
    res = lookup.search(corpus_kb, corpus_kb.index(), "toll-free numbers publish")
    assert res["kind"] == "search" and res["results"]
    top = res["results"][0]
    assert top["ref"] == "STMM 0507.0"
    assert "**" in top["snippet_marked"]


def test_cli_lookup_prints_section_and_source(corpus_settings, capsys, monkeypatch):
    from kb import cli, config

    monkeypatch.setenv("KB_HOME", str(corpus_settings.home))
    config.get_settings.cache_clear()
    try:
        assert cli.main(["lookup", "SAM", "4605"]) == 0
    finally:
        config.get_settings.cache_clear()
    out = capsys.readouterr().out
    assert out.startswith("SAM 4605") and "Source: sam-4605-calnet-exemption.md" in out
    assert "Non-Exempt State Entities" in out


@pytest.mark.parametrize("ref,doc,phrase", [
    ("GC 15250", "gc-15250-public-safety-communications.md", "may be cited as"),
    ("GC 11531", "gc-11531-11532-definitions.md", "may be cited as"),
])
def test_a_section_whose_copy_does_not_mark_it_is_found_in_the_document_that_holds_it(corpus_kb, ref, doc, phrase):
    """A copy that runs several sections together ('§§ 11531-11532') still answers for each of them."""
    res = lookup.search(corpus_kb, corpus_kb.index(), ref)
    assert res["kind"] == "section"
    s = next(s for s in res["sections"] if s["doc"] == doc)
    assert phrase in s["text"]
    r = corpus_kb.ask(ref)
    assert r["status"] == "answered" and "not in the indexed documents" not in r["answer"]
    assert r["citations"][0]["doc"] == doc and ">>" not in r["answer"]


def test_a_section_number_typed_alone_reaches_its_section(corpus_kb):
    """Help-desk shorthand names a section by its number ('fund 11544', '15277(b)') or writes a bill
    in lowercase ('ab 2408')."""
    r = corpus_kb.ask("revolving fund 11544 - what revenue goes in?")
    assert r["status"] == "answered" and r["citations"][0]["section"] == "GC 11544"
    r = corpus_kb.ask("pscd yearly plan required? 15277(b)")
    assert r["status"] == "answered" and r["citations"][0]["section"] == "GC 15277"
    r = corpus_kb.ask("ab 2408 introduced when?")
    assert r["status"] == "answered" and r["citations"][0]["section"] == "AB 2408"
    assert "february 19, 2010" in (r["answer"] + " ".join(c["quote"] for c in r["citations"])).lower()


def test_asking_what_a_section_provides_opens_that_section(corpus_kb):
    """'What does GC 11539 provide?' asks for the section itself, not for sentences elsewhere that
    use the word 'provide'."""
    r = corpus_kb.ask("What does Government Code section 11539 provide?")
    assert r["status"] == "answered" and {c["section"] for c in r["citations"]} == {"GC 11539"}
    assert "managing the affairs" in r["answer"]


@pytest.mark.parametrize("query", ["GC 11541(b)(3)", "GC 15276 (2005)"])  # a year in brackets is no subdivision
def test_a_subdivision_the_copies_hold_opens_its_section(corpus_kb, query):
    res = lookup.search(corpus_kb, corpus_kb.index(), query)
    assert res["sections"] and all(s["held"] for s in res["sections"])
    assert "is not in the indexed text" not in lookup.render(res)


def test_a_subdivision_past_the_end_of_every_copy_is_said_to_be_missing(corpus_kb):
    """The corpus's copy of GC 11541 stops inside (c)(1): a help desk looking up (c)(2) is told it is
    not there, and still sees the section as held; asked about it, the answer does not quote (c)."""
    res = lookup.search(corpus_kb, corpus_kb.index(), "GC 11541(c)(2)")
    assert res["sections"] and not any(s["held"] for s in res["sections"])
    assert "GC 11541(c)(2) is not in the indexed text of GC 11541" in lookup.render(res)
    r = corpus_kb.ask("What duties does Government Code 11541(c)(2) give the Office of Technology Services?")
    assert r["status"] == "not_found" and not r["citations"]
    assert "GC 11541(c)(2)" in r["answer"]
    assert corpus_kb.ask("What does GC 11541(c)(1) assign to the Office of Technology Services?")["status"] == "answered"


def test_a_question_asking_which_section_covers_something_is_told_the_section(corpus_kb):
    from kb.facts import section_asked

    assert section_asked("which stmm chapter is about toll-free numbers?") == (True, "STMM")
    assert section_asked("where in SAM are the data center's rates set out?") == (True, "SAM")
    assert section_asked("Which part of the department keeps state data safe?") == (False, None)  # an office
    r = corpus_kb.ask("which stmm chapter is about toll-free numbers?")
    assert r["status"] == "answered" and r["citations"][0]["section"] == "STMM 0507.0"
    assert r["answer"].startswith("From STMM 0507.0 [1]: ")


def test_a_section_asked_of_a_named_manual_comes_from_that_manual(corpus_kb):
    from kb.facts import section_asked

    assert section_asked("where in the state administrative manual is this?") == (True, "SAM")
    assert section_asked("which chapter covers it?") == (True, None)
    r = corpus_kb.ask("In which section of the state administrative manual are CALNET exemptions covered?")
    assert r["status"] == "answered" and r["answer"].startswith("From SAM 4605 [1]: ")
    # the documents hold no section of the SIMM: a sentence about the SIMM in general does not answer
    assert corpus_kb.ask("which simm section has the project approval templates?")["status"] == "not_found"


def test_a_sections_own_heading_line_answers_which_section_covers_it(corpus_kb):
    from types import SimpleNamespace

    from kb.features import _heading_line

    rec = SimpleNamespace(section="SAM 4555", heading="Billing For Services")
    assert _heading_line("BILLING FOR SERVICES 4555", rec)
    assert not _heading_line("Billing is monthly under SAM 4555.", rec)  # prose, read as prose
    assert not _heading_line("11534.", SimpleNamespace(section="GC 11534", heading=None))  # a number line heads nothing
    r = corpus_kb.ask("In the 1997 SAM telecommunications chapter, which section number covered billing for services?")
    assert r["status"] == "answered" and r["citations"][0]["section"] == "SAM 4555" and "4555" in r["answer"]


def test_a_yes_no_question_about_numbered_sections_does_not_ask_which_section():
    from kb.facts import section_asked

    assert section_asked("Are the SIMM sections numbered 05 to 80 mandatory?") == (False, None)
    assert section_asked("stmm chapter number for toll-free lines?") == (True, "STMM")
