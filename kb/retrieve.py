"""Hybrid retrieval: dense (Chroma) and lexical (BM25) fused by reciprocal rank, plus section routing."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ingest.refs import Ref, find_refs, ref_key

from . import embed
from .index import Index, Record
from .store import Store
from .text import tokens

RRF_K = 60
IDENTIFIER_RE = re.compile(r"\b(?:[A-Z]{2,6}|Form|STD\.?)[- ]?\d{2,}(?:-[\w]+)*\b")
DEPTH = 40  # candidates taken from each retriever


@dataclass
class Hit:
    """A retrieved chunk with the evidence for it."""

    i: int  # position in Index.records
    record: Record
    score: float  # fused score
    dense: float = 0.0  # cosine similarity to the question
    lexical: float = 0.0  # BM25 score
    routed: bool = False  # the question named this chunk's section


@dataclass
class Retrieval:
    hits: list[Hit]
    refs: list[Ref] = field(default_factory=list)
    routed_sections: list[str] = field(default_factory=list)
    query_vector: list[float] | None = None
    lexical_max: float = 0.0


def section_rows(index: Index, ref: str) -> list[int]:
    """Record positions of a section, in reading order, across every document that holds it."""
    rows = index.sections.get(ref_key(ref), [])
    return sorted(rows, key=lambda i: (index.records[i].doc, index.records[i].position))


def _shingles(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(words[k:k + 3]) for k in range(max(1, len(words) - 2))}


def near_duplicate(a: str, b: str, threshold: float = 0.6) -> bool:
    """Whether two passages carry the same text (the same statute from two publishers)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return False
    return len(sa & sb) / min(len(sa), len(sb)) >= threshold


def retrieve(index: Index, store: Store, query: str, k: int = 10,
             vector: list[float] | None = None, phrase: str | None = None) -> Retrieval:
    """The k best chunks for a query: section references first, then fused dense + lexical,
    with passages that hold `phrase` word for word (a term being defined) lifted."""
    refs = find_refs(query)
    routed: list[int] = []
    routed_sections: list[str] = []
    for r in refs:
        rows = section_rows(index, r.ref)
        if rows:
            routed_sections.append(r.ref)
            if r.subdivision:  # 'GC 11541(b)' puts that subdivision first
                top = r.subdivision.split(")")[0] + ")"
                rows = sorted(rows, key=lambda i: index.records[i].subdivision != top)
            routed.extend(rows)

    vector = vector if vector is not None else embed.embed_query(query)
    dense = store.query(vector, DEPTH, index.fids) if index.records else []
    lex = index.lexical_scores(query)
    lex_order = np.argsort(-lex)[:DEPTH] if len(lex) else []

    fused: dict[int, float] = {}
    dense_sim: dict[int, float] = {}
    for rank, (cid, sim) in enumerate(dense):
        i = index.by_id.get(cid)
        if i is not None:
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
            dense_sim[i] = sim
    for rank, i in enumerate(lex_order):
        if lex[i] <= 0:
            break
        fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (RRF_K + rank)
    for rank, i in enumerate(routed):
        fused[i] = fused.get(i, 0.0) + 2.0 / (RRF_K + rank)  # a named section outranks similarity
    # An identifier in the question ('CDT-965', 'Form 400', 'C3-B-12-10-TS-01') is matched as written.
    for ident in dict.fromkeys(m.group(0) for m in IDENTIFIER_RE.finditer(query)):
        parts = re.split(r"[-\s]", ident)
        written = r"[-\s]?".join(re.escape(part) for part in parts)
        pat = re.compile(rf"(?<![\w-]){written}(?![\w-])", re.I)
        # performance: every match holds the identifier's longest part as written
        holders = sorted(index.matching(pat, max(parts, key=len)), key=lambda i: -fused.get(i, 0.0))
        for rank, i in enumerate(holders[:DEPTH]):
            fused[i] = fused.get(i, 0.0) + 2.0 / (RRF_K + rank)
    if phrase and len(phrase) >= 3:
        # Passages that define the phrase ('"X" includes', 'X – ...', 'X means') come first.
        esc = re.escape(phrase)
        pat = re.compile(rf"(?<![\w-]){esc}(?![\w-])", re.I)
        defining = re.compile(rf"(?<![\w-]){esc}[\"”]?\s*(?:includes?\b|means\b|refers\b|is defined|[–—:]|-\s|\()", re.I)
        holders = index.matching(pat, phrase)  # performance: a literal scan first, same records
        holders.sort(key=lambda i: (not defining.search(index.records[i].text), -fused.get(i, 0.0)))
        for rank, i in enumerate(holders[:DEPTH]):
            weight = 2.0 if defining.search(index.records[i].text) else 1.0
            fused[i] = fused.get(i, 0.0) + weight / (RRF_K + rank)

    order = sorted(fused, key=lambda i: -fused[i])
    hits: list[Hit] = []
    routed_set = set(routed)
    for i in order:
        rec = index.records[i]
        # The same passage from another publisher does not take a second place.
        if any(near_duplicate(rec.text, h.record.text) for h in hits):
            continue
        hits.append(Hit(i, rec, fused[i], dense_sim.get(i, 0.0), float(lex[i]) if len(lex) else 0.0,
                        i in routed_set))
        if len(hits) >= k:
            break
    missing = [h for h in hits if h.i not in dense_sim]
    if missing:  # similarity for chunks only the lexical side or routing found
        vecs = _record_vectors(store, [h.record.id for h in missing])
        for h in missing:
            v = vecs.get(h.record.id)
            if v is not None:
                h.dense = float(np.dot(v, vector))
    return Retrieval(hits, refs, routed_sections, vector, float(lex.max()) if len(lex) else 0.0)


def _record_vectors(store: Store, ids: list[str]) -> dict[str, np.ndarray]:
    got = store.chunks.get(ids=ids, include=["embeddings"])
    return {cid: np.asarray(v, dtype=np.float32) for cid, v in zip(got["ids"], got["embeddings"])}


def query_terms(query: str) -> list[str]:
    return tokens(query)
