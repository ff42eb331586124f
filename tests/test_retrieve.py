"""Hybrid retrieval: references route to their section, both retrievers contribute, duplicates give way."""
from __future__ import annotations

import re

import pytest

from kb.retrieve import retrieve
from kb.text import same_passage


def _hits(kb, query, k=10):
    return retrieve(kb.index(), kb.store, query, k=k).hits


@pytest.mark.parametrize("query,section", [
    ("What does GC 11541 say about advice to public agencies?", "GC 11541"),
    ("Government Code section 11534 purpose", "GC 11534"),
    ("toll-free rules in STMM 0507.0", "STMM 0507.0"),
    ("Chapter 3-501.0 exemption", "STMM 3-501.0"),
    ("SAM 4605 requirements", "SAM 4605"),
])
def test_a_named_section_comes_first(corpus_kb, query, section):
    hits = _hits(corpus_kb, query)
    assert hits[0].record.section == section and hits[0].routed


def test_the_same_statute_from_two_publishers_takes_one_place(corpus_kb):
    hits = _hits(corpus_kb, "purpose of the Office of Technology Services general purpose technology services provider")
    texts = [h.record.text for h in hits]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert not same_passage(a, b)
    assert len({h.record.doc for h in hits}) >= 3


def test_a_short_definition_a_longer_passage_quotes_keeps_its_place(corpus_kb):
    """'"Chief" means the Chief of the Office of Technology Services' is not a copy of the passage
    that says old titles refer to that Chief, though nearly all its words are in it."""
    hits = _hits(corpus_kb, "Who is the Chief, and what does a mention of the Director of Technology Services "
                            "now refer to?")
    texts = [h.record.text for h in hits]
    assert any("deemed to refer to the Chief" in t for t in texts)
    assert any(re.match(r'^\(a\) ["“]?Chief["”] means', t) for t in texts)


def test_an_exact_form_number_is_found_by_words(corpus_kb):
    hits = _hits(corpus_kb, "CDT-965", k=3)
    assert any("CDT-965" in h.record.text for h in hits)


def test_a_paraphrase_is_found_by_meaning(corpus_kb):
    hits = _hits(corpus_kb, "Which organizations are not obliged to purchase through the statewide contracts?", k=5)
    assert any(h.record.section == "STMM 3-501.0" for h in hits)


def test_the_nearest_passages_are_the_exact_nearest_every_time(corpus_kb):
    """The same question gets the same passages from one run to the next: the vector search's k
    nearest are the exact k nearest, in order of similarity (asked with many passages' openings)."""
    import numpy as np

    from kb import embed

    idx = corpus_kb.index()
    everything = corpus_kb.store.chunks.get(include=["embeddings", "metadatas"])
    live = set(idx.fids)
    rows = [(cid, np.asarray(v, dtype=np.float32)) for cid, v, m in
            zip(everything["ids"], everything["embeddings"], everything["metadatas"]) if m.get("fid") in live]
    ids, matrix = [r[0] for r in rows], np.stack([r[1] for r in rows])
    for rec in idx.records[::7]:
        vec = np.asarray(embed.embed_query(rec.text[:200]), dtype=np.float32)
        got = [cid for cid, _ in corpus_kb.store.query(vec.tolist(), 40, idx.fids)]
        exact = [ids[j] for j in np.argsort(-(matrix @ vec), kind="stable")[:40]]
        assert got == exact, rec.text[:80]
