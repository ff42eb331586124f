"""A section held as of several dates: the current text by default, the text of the time a question asks about."""
from __future__ import annotations

from kb import lookup, versions
from kb.question import analyse


def test_a_date_in_a_question_is_read():
    assert versions.asked_time("under the 2007 statute, who chaired the board?") == 2007
    assert versions.asked_time("where does the office sit today?") == "now"
    assert versions.asked_time("what did the law say when it was first enacted?") == "first"
    assert versions.asked_time("What does GC 11534 say?") is None
    # a year that names a version, with no preposition before it
    assert versions.asked_time("2011 ver of gc 11534 - who was it?") == 2011
    assert versions.asked_time("gc 11534 2011-13 version, who does it name?") == 2011
    assert versions.asked_time("an old contract from around 2011 names the director") == 2011


def test_lookup_opens_the_current_text_and_dates_the_older_ones(corpus_kb):
    found = lookup.search(corpus_kb, corpus_kb.index(), "Gov. Code § 11534(b)")
    docs = [s["doc"] for s in found["sections"]]
    assert docs[0] == "gc-11534.md" and found["sections"][0]["version"] is None
    assert [s["version"] for s in found["sections"][1:]] == ["text as of 2011", "text as of 2007"]


def test_answers_use_the_text_of_the_time_asked_about(corpus_kb):
    now = corpus_kb.ask("Under Government Code 11534 as it reads today, which agency is the Office of Technology Services in?")
    assert now["status"] == "answered" and "Government Operations Agency" in now["answer"]
    then = corpus_kb.ask("Under the 2007 Government Code section 11534, which agency was the department in?")
    assert then["status"] == "answered" and "State and Consumer Services Agency" in then["answer"]
    assert any(c.get("version") == "text as of 2007" for c in then["citations"])


def test_the_words_that_ask_for_the_text_in_force_are_not_the_fact_asked(corpus_kb):
    q = analyse("Under Government Code 11534 as it reads today, which agency is the Office of Technology Services in?",
                None, corpus_kb.index())
    assert q.when == "now"
    assert "today" not in q.terms and "read" not in q.terms and "today" not in q.fact.focus
    assert {"agenc", "offic"} <= set(q.terms)
