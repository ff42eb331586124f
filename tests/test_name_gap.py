"""A name the question gives (a company, a board, an act) that a passage never mentions tells against its sentences."""
from __future__ import annotations

from kb import embed, features
from kb.question import analyse
from kb.retrieve import retrieve


def _candidates(kb, text):
    idx = kb.index()
    q = analyse(text, [], idx)
    qvec = embed.embed_query(q.fixed)
    hits = retrieve(idx, kb.store, q.query, k=8, vector=qvec).hits
    return features.candidates(idx, q, hits, qvec, [], lambda w: True)


def test_a_passage_that_never_names_what_the_question_names_has_a_name_gap(corpus_kb):
    cands = _candidates(corpus_kb, "Who signed the amendment to the NWN Corporation agreement for the Department of Technology?")
    naming = [c for c in cands if "nwn" in c.hit.record.text.lower()]
    silent = [c for c in cands if "nwn" not in c.hit.record.text.lower()]
    assert naming and silent
    assert all(c.f("name_gap") < s.f("name_gap") for c in naming for s in silent)


def test_a_question_without_names_has_no_name_gap(corpus_kb):
    cands = _candidates(corpus_kb, "how many members sit on the board")
    assert cands and all(c.f("name_gap") == 0.0 for c in cands)


def test_a_fee_the_documents_do_not_state_for_a_named_carrier_is_not_answered(corpus_kb):
    r = corpus_kb.ask("What does the Verizon Wireless early termination fee cost on CALNET?")
    assert r["status"] == "not_found"
