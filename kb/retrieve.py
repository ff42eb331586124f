"""Hybrid retrieval: dense (Chroma) and lexical (BM25) fused by reciprocal rank, plus section routing."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ingest.refs import LEVEL_RE, Ref, find_refs, ref_key

from . import embed
from .index import Index, Record
from .store import Store
from .text import same_passage, tokens

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
    lexical: object = None  # every record's BM25 score for the query (numpy array)
    lexical_best: list[int] = field(default_factory=list)  # records with a BM25 score, best first (DEPTH of them)


def section_rows(index: Index, ref: str) -> list[int]:
    """Record positions of a section, in reading order, across every document that holds it (or,
    when no passage is labelled with it, the unlabelled text of documents that say they hold it)."""
    rows = index.sections.get(ref_key(ref)) or index.covering(ref)
    return sorted(rows, key=lambda i: (index.records[i].doc, index.records[i].position))


def holds_subdivision(index: Index, ref: str, subdivision: str | None) -> bool:
    """Whether the index holds a section's subdivision ('(c)(2)' of GC 11541), not only the section:
    in one copy of the section, each level's marker in turn, the first at a passage's start or after
    a space or a stop, the next after it. A copy cut off before (c)(2) does not hold it. A section
    whose text marks no subdivision at all cannot tell, so it holds every one."""
    levels = LEVEL_RE.findall(subdivision or "")
    rows = section_rows(index, ref)
    copies: dict[tuple, list[str]] = {}  # a copy: a document, or a copy inside one, as `kb lookup` shows them
    for i in rows:
        copies.setdefault((index.records[i].doc, index.records[i].label), []).append(index.records[i].text)
    if not levels or not any(LEVEL_RE.search(t) for texts in copies.values() for t in texts):
        return True
    for texts in copies.values():
        text, pos = "\n".join(texts), 0
        for level in levels:
            m = re.compile(rf"(?:^|(?<=[\s.;:]))\({re.escape(level)}\)").search(text, pos)
            if m is None:
                break
            pos = m.end()
        else:
            return True
    return False


def retrieve(index: Index, store: Store, query: str, k: int = 10,
             vector: list[float] | None = None, phrase: str | None = None, prefer=None,
             also: list[list[float]] = ()) -> Retrieval:
    """The k best chunks for a query: section references first, then fused dense + lexical,
    with passages that hold `phrase` word for word (a term being defined) lifted; `also` holds
    other question vectors (the question in the documents' words, the question adapted to them)
    whose neighbours join the fusion, while similarities stay those to `vector`. Of two copies
    of one passage (two publishers, two versions of a statute) one takes a place: the one
    `prefer(position)` accepts (the version the question's time asks for), else the better ranked."""
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
    for other in also if index.records else ():
        for rank, (cid, _) in enumerate(store.query(other, DEPTH, index.fids)):
            i = index.by_id.get(cid)
            if i is not None:
                fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
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
        twin = next((n for n, h in enumerate(hits) if same_passage(rec.text, h.record.text)), None)
        if twin is not None:
            if prefer is not None and prefer(i) and not prefer(hits[twin].i):
                hits[twin] = Hit(i, rec, fused[i], dense_sim.get(i, 0.0), float(lex[i]) if len(lex) else 0.0,
                                 i in routed_set)
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
    return Retrieval(hits, refs, routed_sections, vector, float(lex.max()) if len(lex) else 0.0, lex,
                     [int(i) for i in lex_order if lex[i] > 0])


def widen(index: Index, store: Store, ret: Retrieval, rows: list[int], limit: int = 24) -> list[Hit]:
    """The retrieved hits plus the records at `rows` (a guided path's sections, the passages next
    to the best ones), each with its similarity and BM25 score; at most `limit` in all."""
    have = {h.i for h in ret.hits}
    extra = [i for i in dict.fromkeys(rows) if i not in have][:max(0, limit - len(ret.hits))]
    if not extra:
        return list(ret.hits)
    vecs = _record_vectors(store, [index.records[i].id for i in extra])
    q = np.asarray(ret.query_vector, dtype=np.float32) if ret.query_vector is not None else None
    out = list(ret.hits)
    for i in extra:
        rec = index.records[i]
        v = vecs.get(rec.id)
        dense = float(np.dot(v, q)) if v is not None and q is not None else 0.0
        lexical = float(ret.lexical[i]) if ret.lexical is not None and len(ret.lexical) > i else 0.0
        out.append(Hit(i, rec, 0.0, dense, lexical, False))
    return out


def adjacent(index: Index, i: int) -> list[int]:
    """The records just before and after record i in its document, within its section."""
    r = index.records[i]
    rows = index.by_fid.get(r.fid, [])
    at = rows.index(i) if i in rows else -1
    return [j for j in (rows[at - 1] if at > 0 else None, rows[at + 1] if 0 <= at < len(rows) - 1 else None)
            if j is not None and index.records[j].section == r.section]


def _record_vectors(store: Store, ids: list[str]) -> dict[str, np.ndarray]:
    got = store.chunks.get(ids=ids, include=["embeddings"])
    return {cid: np.asarray(v, dtype=np.float32) for cid, v in zip(got["ids"], got["embeddings"])}


def query_terms(query: str) -> list[str]:
    return tokens(query)
