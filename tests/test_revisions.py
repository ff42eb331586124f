"""When a section was last revised or added: its own revision note, cited, the current text's first."""
from __future__ import annotations

from kb import revisions


def test_a_question_about_a_sections_revision_is_told_apart():
    assert revisions.asks("When was SAM 8422.106 last revised?")
    assert revisions.asks("Is that section new? When did it go in?")
    assert revisions.asks("sam 4605 calnet exemption - when was it added?")
    assert revisions.asks("Has SAM 4605 been revised since it was added?")
    assert revisions.asks("sam 4605 - any revisions since it came out?")
    assert not revisions.asks("When did the Governor sign SB 834?")
    assert not revisions.asks("Has the department revised its budget?")
    assert not revisions.asks("Which of the new sections describes the cloud and internet access methods?")
    assert not revisions.asks("What new name did the 2003 bill want to give the act?")


def test_the_note_is_read_with_its_dates():
    m = revisions.mark("(Revised 09/02, 03/03)")
    assert m and m.group(1) == "Revised" and m.group(2) == "09/02, 03/03"
    assert revisions.mark("(New: 07/2023)").group(1) == "New"
    assert revisions.mark("The rates were revised in 2013.") is None


def test_a_sections_last_revision_is_answered_from_the_current_text(corpus_kb):
    r = corpus_kb.ask("When was SAM section 8422.106 last revised?")
    assert r["status"] == "answered"
    assert "10/2020" in r["answer"].split(";")[0]
    assert r["citations"][0]["doc"] == "sam-8422.106-telephone-invoices.md"
    assert "10/2020" in r["citations"][0]["quote"] and r["citations"][0].get("version") is None
    # the older text's note is cited to the older text, labelled with its date
    assert any("02/2015" in c["quote"] and c.get("version") for c in r["citations"][1:])


def test_a_follow_up_asks_about_the_section_the_answer_before_quoted(corpus_kb):
    first = corpus_kb.ask("What does SAM 4605 say about CALNET exemptions?")
    r = corpus_kb.ask("When was that section added?", history=[{"question": first["question"], "answer": first["answer"]}])
    assert r["status"] == "answered" and "07/2023" in r["answer"]
    assert r["citations"][0]["doc"] == "sam-4605-calnet-exemption.md"


def test_whether_a_section_has_changed_is_answered_from_its_pages_revisions_list(corpus_kb):
    r = corpus_kb.ask("Has SAM 4605 been revised since it was added?")
    assert r["status"] == "answered" and "07/2023" in r["answer"] and "no revisions" in r["answer"]
    assert [c["doc"] for c in r["citations"]] == ["sam-4605-calnet-exemption.md"] * 2
    assert "No Revisions for this item" in r["citations"][1]["quote"]


def test_a_section_without_a_note_is_not_given_a_date(corpus_kb):
    r = corpus_kb.ask("When was STMM chapter 0507.0 on toll-free service last revised?")
    assert "revised in" not in r["answer"]
