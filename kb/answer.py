"""Cited extractive answers: retrieve, score each sentence once, answer with the best or say what is not stated."""
from __future__ import annotations

import re
import threading
import time

import numpy as np

from ingest.refs import find_refs

from . import adapter, embed, features, index as index_mod, lexicon, readers, revisions, routes, scorer, select, thread, versions
from .compose import abstain_text, compose, coverage, nearest_records, sourced
from .config import Settings, get_settings
from .guide import guidance
from .question import Question, analyse
from .retrieve import Hit, Retrieval, adjacent, holds_subdivision, retrieve, section_rows, widen
from .select import MIN_PROSE, choose, nearest
from .store import Store
from .text import sentences
from .wording import EMPTY, NOT_FOUND, OUT_OF_SCOPE  # noqa: F401 (also read from here)


ROUTE_PASSAGES = 8  # passages of a guided path's own sections added to the candidates
# The best BM25 passages, added to the candidates though the fused ranking left them out: a passage
# that holds the question's rare words but embeds far from it (a statute's list item) is still read.
LEXICAL_SURE = 2
# A question plainly on a path (its examples this much closer than the others') that asks whether it
# may, or how to, do something (not for one fact) is answered from the path's own sections, on a
# path whose sections say so (routes.answers_whether: the exemption path, not the ordering one).
PATH_QUESTION_LEAD = 0.1
WHETHER_OR_HOW = re.compile(r"^\s*(?:so\s+|and\s+|but\s+)?(?:can|could|may|must|do|does|is|are|should|would|will|am)\b"
                            r"|^\s*how (?:do|can|should|would|does|to)\b|\bwhat (?:should|do|must|can) (?:we|i)\b.*\bdo\b", re.I)


class KnowledgeBase:
    """A loaded index and the model, ready to answer many questions (load once, ask often)."""

    def __init__(self, settings: Settings | None = None, store: Store | None = None, reader=None):
        self.settings = settings or get_settings()
        self.store = store or Store(self.settings)
        # How answers are worded (kb/readers.py): extractive, or a verified LLM answer in LLM mode.
        self.reader = reader or reader_for(self.settings)
        self._index: index_mod.Index | None = None
        # What moves the question's vector toward the documents' words (kb/adapter.py); None: as embedded.
        self.adapter = adapter.load(self.settings.answer.adapter)
        self._lock = threading.Lock()

    def index(self) -> index_mod.Index:
        """The current generation's index, reloaded when an ingest has committed a new one."""
        manifest = self.store.read_manifest()
        with self._lock:
            if self._index is None or self._index.generation != manifest.get("generation", ""):
                self._index = index_mod.load(self.store, self.settings, manifest)
            return self._index

    def warm(self) -> None:
        """Load the index and the model, and work out what every question on them reuses."""
        from .guide import prepare

        idx = self.index()
        embed.embed(["warm up"])
        routes.warm()
        coverage(idx)
        if idx.records:
            lexicon.for_index(idx)
            versions.of_index(idx)
            prepare(self, idx)

    def ask(self, question: str, history: list | None = None, stream: bool = False):
        """The one way to an answer: the JSON contract for a question (and the conversation before
        it: earlier questions as strings, or {"question", "answer"} turns). With stream=True, a
        readers.Stream to iterate for text pieces, whose .result is the same JSON afterwards."""
        d = self.draft(question, history)
        return readers.Stream(self.reader, d) if stream else self.reader.read(d)

    def conversation(self, earlier: list[str]) -> list[dict]:
        """The earlier questions asked in order as one conversation: its turns, answers included."""
        turns: list[dict] = []
        for q in earlier:
            turns.append({"question": q, "answer": self.ask(q, history=list(turns))["answer"]})
        return turns

    def ask_after(self, earlier: list[str], question: str) -> dict:
        """Ask the earlier questions in order as one conversation, then the question itself."""
        return self.ask(question, history=self.conversation(earlier))

    def _retrieve(self, idx, q: Question, qvec, adapted, k: int):
        """Hybrid retrieval for an analysed question: its vector, the vector of its words in the
        documents' words, its vector adapted to them (kb/adapter.py), BM25 over those words, the
        version its time asks for."""
        vers = versions.of_index(idx)
        worded = q.worded and embed.embed_query(q.worded[:2000])
        words = q.query != q.fixed and embed.embed_query(q.query[:2000])
        also = [v for v in (worded, adapted) if v]
        ret = retrieve(idx, self.store, q.query, k=k, vector=qvec, phrase=q.subject, also=also,
                       prefer=lambda i: versions.fits(vers[i], q.when, versions.years(idx, idx.records[i].section)))
        return ret, words

    def draft(self, question: str, history: list | None = None) -> readers.Draft:
        """The extractive pipeline for a question: its cited result and the passages it read."""
        turns = _turns(history)
        t0 = time.perf_counter()
        idx = self.index()
        q = analyse(question, turns, idx)
        in_field = q.in_field  # and, once retrieved, a question naming a section the index holds

        def done(result: dict, hits=(), cands=(), path=None) -> readers.Draft:
            return readers.Draft(question, turns, result, list(hits), list(cands), path, vector=qvec,
                                 sections=[h.record.section for h in hits[:3]], in_field=in_field)

        qvec = None

        if not q.text:
            return done(_result(q, "out_of_scope", f"{EMPTY} {coverage(idx)}", [], None, t0, t0))
        if not idx.records:
            return done(_result(q, "not_found", f"{NOT_FOUND} The index is empty: add documents to "
                                                "data/stmm/ and run `kb ingest`.", [], None, t0, t0))
        qvec = embed.embed_query(f"{q.fixed} {q.context}".strip()[:2000])
        adapted = adapter.apply(self.adapter, qvec) if self.adapter is not None else None
        q.kind = "lookup" if q.ref_only else routes.kind(qvec)
        vers = versions.of_index(idx)
        ret, words = self._retrieve(idx, q, qvec, adapted, k=features.CANDIDATE_HITS)
        t1 = time.perf_counter()
        a = self.settings.answer
        path, lead = None, 0.0
        in_field = q.in_field or bool(ret.routed_sections)
        if in_field and q.field_by_words and not ret.routed_sections \
                and max((h.dense for h in ret.hits), default=0.0) < a.field_dense_words:
            in_field = False  # 'What does the mitochondria do in a cell?': one everyday word of the field, no more
        if in_field:
            path, lead = routes.path(qvec, a.route_margin, [h.record.section for h in ret.hits[:3]], a.route_home_bonus)
            if q.ref_only and ret.routed_sections:  # a bare look-up of a path's own section
                path = routes.home_of(ret.routed_sections[0]) or path
            elif q.follow_up and q.context:  # a follow-up stays on the path of the question it follows
                before, _ = routes.path(embed.embed_query(q.context[:2000]), a.route_margin)
                path = before or path
        homes = routes.homes(path)
        outside = off_field(in_field, ret.hits, a.field_dense)
        # 'What does GC 11541(c)(2) require?' when the documents' copy of GC 11541 ends before (c)(2):
        # the section is held, that part of it is not, so nothing in it answers.
        lacking = [f"{r.ref}{r.subdivision}" for r in ret.refs if r.subdivision and r.ref in ret.routed_sections
                   and not holds_subdivision(idx, r.ref, r.subdivision)]
        version_of = lambda i: versions.label(vers[i])  # noqa: E731
        # A follow-up is read beside the passages the answer before it quoted.
        quoted = thread.rows(idx, turns[-1].get("answer")) if q.follow_up and turns and not outside else []
        revised = None if outside else revisions.answer(idx, q, ret, quoted)
        if revised:  # 'when was SAM 8422.106 last revised?': the section's own revision note
            _, cites = compose([c for _, c in revised], version_of)
            text = "; ".join(f"{claim} [{n}]" for n, (claim, _) in enumerate(revised, 1)) + "."
            guide = guidance(self, idx, q, ret, cites, path)
            return done(_result(q, "answered", text, cites, guide, t0, t1), ret.hits, [], path)
        if outside:
            chosen, cands = [], []
        elif q.ref_only and ret.routed_sections and not lacking:
            fits = lambda i: versions.fits(vers[i], q.when, versions.years(idx, idx.records[i].section))  # noqa: E731
            chosen = _section_opening(idx, ret, fits, lexicon.for_index(idx)[1].known)
            cands = []
        else:
            _, speller = lexicon.for_index(idx)
            pool = quoted + [j for h in ret.hits[:3] for j in adjacent(idx, h.i)]
            pool += ret.lexical_best[:LEXICAL_SURE]
            pool += [j for sec in homes for j in section_rows(idx, sec)][:ROUTE_PASSAGES]
            hits = widen(idx, self.store, ret, pool, limit=features.CANDIDATE_HITS + 8)
            cands = scorer.rank(features.candidates(idx, q, hits, qvec, homes, speller.known, words or None,
                                                     quoted, thread.said(turns[-1].get("answer")) if quoted else [],
                                                     _asking_vector(q), adapted), a)
            if q.fact.manual:  # 'which SAM section covers ...': a sentence of that manual, or one naming a section of it
                cands = [c for c in cands if in_manual(c, q.fact.manual)]
            # A question that asks whether or how to go down a guided path is answered from the path's
            # own sections: recognising the path (with its margin) is the decision.
            path_question = routes.answers_whether(path) and lead >= PATH_QUESTION_LEAD \
                and WHETHER_OR_HOW.search(q.asked) and q.fact.kind is None \
                and any(c.f("route_home") and select.eligible(c) for c in cands)
            if path_question:
                cands = [c for c in cands if c.f("route_home")] + [c for c in cands if not c.f("route_home")]
            ok = not lacking and (path_question or select.path_fact(cands, bool(path))
                                  or scorer.sure(cands, a, on_path=bool(path)))
            chosen = choose(cands, a.runner_up, a.max_sentences, yesno=q.kind == "yesno", on_path=bool(path)) if ok else []
        if not chosen:
            status = "not_found" if in_field else "out_of_scope"
            absent = [r.ref for r in ret.refs if r.ref not in ret.routed_sections] + lacking
            near = nearest(cands) if status == "not_found" else []
            cites: list[dict] = []
            guide = guidance(self, idx, q, ret, cites, path) if status == "not_found" else None
            result = _result(q, status, abstain_text(status, idx, q, absent, near), cites, guide, t0, t1)
            if near:
                result["nearest"] = nearest_records(near)
            return done(result, ret.hits, cands, path)
        text, cites = compose(chosen, version_of)
        if q.fact.section:  # 'which stmm chapter covers toll-free numbers?': say which
            text = sourced(text, cites[0])
        guide = guidance(self, idx, q, ret, cites, path)
        return done(_result(q, "answered", text, cites, guide, t0, t1), ret.hits, cands, path)


def in_manual(c: features.Candidate, manual: str) -> bool:
    """Whether a sentence is of a section of this manual or code ('SAM'), or names one ('see SAM Chapter 4603')."""
    return (c.hit.record.section or "").startswith(f"{manual} ") or any(
        r.ref.startswith(f"{manual} ") for r in find_refs(c.text))


def off_field(in_field: bool, hits, field_dense: float) -> bool:
    """The field gate: a question with no word of the field (nor a section it names) is answered only
    from a passage as close to it in meaning as `field_dense`."""
    return not in_field and max((h.dense for h in hits), default=0.0) < field_dense


def _asking_vector(q: Question):
    """The vector of the sentence that asks alone, when the question holds more than it (a
    preamble, the conversation before a follow-up); None when it is the whole question."""
    whole = f"{q.fixed} {q.context}".strip()
    return embed.embed_query(q.asked[:2000]) if q.asked and q.asked.strip() != whole else None


def reader_for(settings: Settings):
    """The reader the settings ask for: LLM mode's when an endpoint and model are set, else extractive."""
    if settings.llm_mode:
        from .generate import LLMReader

        return LLMReader(settings)
    return readers.Extractive()


def _turns(history: list | None) -> list[dict]:
    """The conversation so far as {"question", "answer"} turns (a bare string is a question)."""
    out = []
    for h in history or []:
        if isinstance(h, str):
            out.append({"question": h})
        elif isinstance(h, dict) and isinstance(h.get("question"), str):
            out.append(h)
    return out


def _section_opening(idx, ret: Retrieval, fits, known, n: int = 3) -> list[features.Candidate]:
    """For a bare reference ('SAM 4605'): the first readable sentences of that section, from the
    version the question's time asks for (the current text by default)."""
    rows = section_rows(idx, ret.routed_sections[0])
    if not rows:
        return []
    doc = next((idx.records[i].doc for i in rows if fits(i)), idx.records[rows[0]].doc)
    rows = [i for i in rows if idx.records[i].doc == doc and fits(i)] or [i for i in rows if idx.records[i].doc == doc]
    sub = next((r.subdivision for r in ret.refs if r.subdivision), None)
    if sub:  # 'GC 11541(b)': start at subdivision (b)
        top = sub.split(")")[0] + ")"
        rows = [i for i in rows if idx.records[i].subdivision == top] or rows
    hit_by_i = {h.i: h for h in ret.hits}
    out: list[features.Candidate] = []
    for i in rows:
        rec = idx.records[i]
        hit = hit_by_i.get(i) or Hit(i, rec, 0.0, routed=True)
        for k, s in enumerate(sentences(rec.text)):
            if len(s.split()) < 5 or features.prose(s, known) < MIN_PROSE or re.match(r"^\(?(?:New|Revised|Rev\.)", s):
                continue
            out.append(features.Candidate(hit, k, s, np.zeros(len(features.NAMES), dtype=np.float32)))
            if len(out) >= n:
                return out
    return out


def _result(q: Question, status: str, answer: str, cites: list[dict], guide, t0: float, t1: float) -> dict:
    t2 = time.perf_counter()
    return {"question": q.text, "status": status, "answer": answer, "citations": cites,
            "guidance": guide, "mode": "extractive",
            "timing_ms": {"retrieve": round((t1 - t0) * 1000, 1), "answer": round((t2 - t1) * 1000, 1),
                          "total": round((t2 - t0) * 1000, 1)}}


_DEFAULT: KnowledgeBase | None = None


def answer(question: str, history: list[dict] | None = None) -> dict:
    """Answer with the default knowledge base (settings from the environment)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = KnowledgeBase()
    return _DEFAULT.ask(question, history)
