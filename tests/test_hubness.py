"""A sentence close to every question of the field is weighed by how much closer it is to this one."""
from __future__ import annotations

from kb import embed, features
from kb.answer import KnowledgeBase
from kb.question import analyse
from kb.retrieve import retrieve

GENERIC = ("This allows state and local governmental entities to easily order cellular services avoiding lengthy "
           "and costly procurement process.")
SPECIFIC = "The board shall consist of 13 members, as follows:"


def test_a_sentence_close_to_every_question_is_a_hub(corpus_kb):
    idx = corpus_kb.index()
    hub = features.hubness(idx, [GENERIC, SPECIFIC], features.sentence_vectors(idx, [GENERIC, SPECIFIC]))
    assert hub[0] > hub[1] + 0.1


def test_the_closeness_the_ranker_reads_is_less_the_sentences_closeness_to_any_question(corpus_kb):
    kb: KnowledgeBase = corpus_kb
    idx = kb.index()
    q = analyse("How many members did the Technology Services Board have in 2007?", [], idx)
    qvec = embed.embed_query(q.fixed)
    hits = retrieve(idx, kb.store, q.query, k=3, vector=qvec).hits
    cands = features.candidates(idx, q, hits, qvec, [], lambda w: True)
    assert cands
    hubs = features.hubness(idx, [c.text for c in cands], features.sentence_vectors(idx, [c.text for c in cands]))
    for c, h in zip(cands, hubs):
        assert abs(c.f("dense_specific") - (c.f("dense_sentence") - h)) < 1e-5
