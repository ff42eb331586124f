"""Multi-turn: a follow-up is understood in the context of the previous question."""
from __future__ import annotations


def test_what_about_universities(corpus_kb):
    first = "Which state agencies are required to use CALNET?"
    r1 = corpus_kb.ask(first)
    r2 = corpus_kb.ask("what about universities?", [{"question": first, "answer": r1["answer"]}])
    assert r2["status"] == "answered"
    assert "universities" in r2["answer"] and "not mandated" in r2["answer"]


def test_who_signs_it(corpus_kb):
    first = "How do I request an exemption from CALNET?"
    r1 = corpus_kb.ask(first)
    r2 = corpus_kb.ask("who signs it?", [{"question": first, "answer": r1["answer"]}])
    assert "Agency Information Officer" in r2["answer"]


def test_without_history_the_same_words_do_not_guess(corpus_kb):
    r = corpus_kb.ask("who signs it?")
    # without the conversation there is nothing to answer about: at most a nearby sentence, labelled so
    assert r["status"] == "answered" or "Agency Information Officer" not in r["answer"].split("Nearest")[0]
    r2 = corpus_kb.ask("what about universities?")
    assert r2["status"] != "answered" or "universit" in r2["answer"].lower()


def test_a_new_topic_is_not_mixed_with_the_old_one(corpus_kb):
    first = "Who must sign a CALNET exemption request?"
    r = corpus_kb.ask("Where must an agency publish its toll-free numbers?", [{"question": first}])
    assert "California Regulatory Notice Register" in r["answer"]


def test_the_sentences_an_answer_quoted_are_read_back_from_its_markers():
    from kb.thread import quoted

    answer = "Each State agency should designate one CATR [1]. The CATR is the single point of contact [2]."
    assert quoted(answer) == ["Each State agency should designate one CATR.", "The CATR is the single point of contact."]
    abstained = ("The documents in this knowledge base don't cover this. Nearest in the documents, which does "
                 "not answer it: “Each State agency should designate one CATR.” (STMM 0300.0). The documents cover: ...")
    assert quoted(abstained) == ["Each State agency should designate one CATR."]
    assert quoted("No markers and no quotes here.") == [] and quoted(None) == []


def test_a_follow_up_is_read_beside_the_passages_the_answer_before_it_quoted(corpus_kb):
    from kb import thread

    first = "What is a CATR?"
    r1 = corpus_kb.ask(first)
    assert r1["status"] == "answered"
    idx = corpus_kb.index()
    rows = thread.rows(idx, r1["answer"])
    assert rows, r1["answer"]
    quotes = [c["quote"] for c in r1["citations"]]
    assert all(any(" ".join(q.split())[:40] in " ".join(idx.records[i].text.split()) for q in quotes) for i in rows)
    d = corpus_kb.draft("And what do they do?", [{"question": first, "answer": r1["answer"]}])
    read = {c.hit.i for c in d.candidates}
    assert set(rows) <= read
    assert all(c.f("thread") == (c.hit.i in rows) for c in d.candidates)
    # An answer in words no passage holds (an LLM's own) points at nothing.
    assert thread.rows(idx, "They look after the phones for the department [1].") == []


def test_a_huge_pasted_answer_is_read_only_in_part(corpus_kb):
    from kb import thread

    r1 = corpus_kb.ask("What is a CATR?")
    huge = ("Nothing any passage says here [1]. " * 5000) + r1["answer"]
    assert thread.rows(corpus_kb.index(), huge) == []  # its quoted sentences lie past what is read
    r2 = corpus_kb.ask("And what do they do?", [{"question": "What is a CATR?", "answer": huge}])
    assert r2["status"] in ("answered", "not_found")


def test_a_follow_up_pointing_back_stays_in_the_field_despite_a_word_no_document_uses(corpus_kb):
    from kb.question import analyse

    idx = corpus_kb.index()
    history = [{"question": "Can the Office of Technology Services advise agencies on their phone systems?"}]
    q = analyse("When it gives that kind of advice to a county, what is that supposed to achieve for the county "
                "and for the people it serves?", history, idx)
    assert q.in_field  # 'achieve' is in no document, but 'it' and 'that' point back


def test_a_follow_up_that_names_what_it_counts_is_about_that(corpus_kb):
    """'How many agencies were using it?' after 'What contract did CALNET 3 replace?' asks a count of
    agencies; the count need not be of what was replaced."""
    r = corpus_kb.ask_after(["What contract did CALNET 3 replace?"], "How many agencies were using it?")
    text = r["answer"] + " ".join(c["quote"] for c in r["citations"])
    assert r["status"] == "answered" and "211 State" in text and "1710 non-state" in text


def test_back_then_reads_the_question_in_the_time_the_conversation_named(corpus_kb):
    """'back then' after a question about the statute as it read in 2011 asks about that text,
    however many words of its own the question has."""
    from kb.question import analyse

    earlier = [{"question": "What did Government Code 11534 say in 2011 about the California Technology Agency?"}]
    q = analyse("Back then, which official did the law mean by a reference to the Director of Technology "
                "Services in a contract?", earlier, corpus_kb.index())
    assert q.follow_up and q.when == 2011
