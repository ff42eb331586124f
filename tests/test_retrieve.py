"""Hybrid retrieval: references route to their section, both retrievers contribute, duplicates give way."""
from __future__ import annotations

import pytest

from kb.retrieve import near_duplicate, retrieve


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
            assert not near_duplicate(a, b)
    assert len({h.record.doc for h in hits}) >= 3


def test_an_exact_form_number_is_found_by_words(corpus_kb):
    hits = _hits(corpus_kb, "CDT-965", k=3)
    assert any("CDT-965" in h.record.text for h in hits)


def test_a_paraphrase_is_found_by_meaning(corpus_kb):
    hits = _hits(corpus_kb, "Which organizations are not obliged to purchase through the statewide contracts?", k=5)
    assert any(h.record.section == "STMM 3-501.0" for h in hits)
