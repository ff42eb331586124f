"""Cited extractive answers: retrieve, pick sentences, cite each one, or abstain and say what is covered."""
from __future__ import annotations

import re
import threading
import time

from . import embed, readers
from . import index as index_mod
from .citations import citation
from .config import Settings, get_settings
from .question import Question, analyse
from .retrieve import Retrieval, retrieve, section_rows
from .select import TYPE_RE, Candidate, answers_type, candidates, choose, is_title, unknown_share
from .store import Store
from .text import sentences
from .wording import EMPTY, NOT_FOUND, OUT_OF_SCOPE  # noqa: F401 (also read from here)


# Calibrated on the development questions (see README, "How answers are chosen").
MIN_SCORE = 0.40  # best sentence score below this: the documents don't answer
MIN_LEXICAL = 0.34  # share of the question's weighted terms the best sentence (or its passage) holds
MIN_LEXICAL_ON_PATH = 0.20
OOS_DENSE = 0.30
MAX_UNKNOWN = 0.4  # share of the question's words that no document uses  # a question outside the field needs at least this similarity to be answered


class KnowledgeBase:
    """A loaded index and the model, ready to answer many questions (load once, ask often)."""

    def __init__(self, settings: Settings | None = None, store: Store | None = None, reader=None):
        self.settings = settings or get_settings()
        self.store = store or Store(self.settings)
        # How answers are worded (kb/readers.py): extractive, or a verified LLM answer in LLM mode.
        self.reader = reader or readers.for_settings(self.settings)
        self._index: index_mod.Index | None = None
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
        coverage(idx)
        if idx.records:
            prepare(self, idx)

    def ask(self, question: str, history: list | None = None, stream: bool = False):
        """The one way to an answer: the JSON contract for a question (and the conversation before
        it: earlier questions as strings, or {"question", "answer"} turns). With stream=True, a
        readers.Stream to iterate for text pieces, whose .result is the same JSON afterwards."""
        d = self.draft(question, history)
        return readers.Stream(self.reader, d) if stream else self.reader.read(d)

    def ask_after(self, earlier: list[str], question: str) -> dict:
        """Ask the earlier questions in order as one conversation, then the question itself."""
        turns: list[dict] = []
        for q in earlier:
            turns.append({"question": q, "answer": self.ask(q, history=list(turns))["answer"]})
        return self.ask(question, history=turns)

    def draft(self, question: str, history: list | None = None) -> readers.Draft:
        """The extractive pipeline for a question: its cited result and the passages it read."""
        turns = _turns(history)
        t0 = time.perf_counter()
        q = analyse(question, turns)
        idx = self.index()

        def done(result: dict, hits=()) -> readers.Draft:
            return readers.Draft(question, turns, result, list(hits))

        if not q.text:
            return done(_abstain(q, "out_of_scope", f"{EMPTY} {coverage(idx)}", t0, t0))
        if not idx.records:
            return done(_abstain(q, "not_found", f"{NOT_FOUND} The index is empty: add documents to "
                                                 "data/stmm/ and run `kb ingest`.", t0, t0))
        qvec = embed.embed_query(q.query[:2000])
        ret = retrieve(idx, self.store, q.query, k=10, vector=qvec, phrase=q.subject)
        t1 = time.perf_counter()
        if q.ref_only and ret.routed_sections:
            chosen = _section_opening(idx, ret)
        else:
            cands = candidates(idx, q, ret.hits, qvec)
            if q.kind in TYPE_RE:  # 'when did', 'how many', 'what number': only sentences holding one
                cands = [c for c in cands if answers_type(q, c.text)]
            from .guide import detect

            verdict = judge(q, cands, on_path=detect(q) is not None, unknown=unknown_share(idx, q))
            if verdict:
                return done(_abstain(q, verdict, _abstain_text(verdict, idx, ret), t0, t1), ret.hits)
            chosen = choose(cands, yesno=q.kind == "yesno")
        text, cites = compose(chosen)
        from .guide import guidance

        guide = guidance(self, idx, q, ret, cites)
        return done(_result(q, "answered", text, cites, guide, t0, t1), ret.hits)


def _turns(history: list | None) -> list[dict]:
    """The conversation so far as {"question", "answer"} turns (a bare string is a question)."""
    out = []
    for h in history or []:
        if isinstance(h, str):
            out.append({"question": h})
        elif isinstance(h, dict) and isinstance(h.get("question"), str):
            out.append(h)
    return out


def judge(q: Question, cands: list[Candidate], on_path: bool = False, unknown: float = 0.0) -> str | None:
    """None when the best sentence answers the question, else 'not_found' or 'out_of_scope'.
    A question that is plainly about ordering or an exemption (on_path) needs less word overlap."""
    miss = "not_found" if q.in_field else "out_of_scope"
    if not cands or unknown >= MAX_UNKNOWN:
        return miss
    best = cands[0]
    if not q.in_field and max(best.dense, best.hit.dense) < OOS_DENSE:
        return "out_of_scope"
    if best.score < MIN_SCORE or best.lexical < (MIN_LEXICAL_ON_PATH if on_path else MIN_LEXICAL):
        return miss
    if not answers_type(q, best.text):
        return miss
    return None


def _section_opening(idx, ret: Retrieval, n: int = 3) -> list[Candidate]:
    """For a bare reference ('SAM 4605'): the first substantive sentences of that section."""
    hits = [h for h in ret.hits if h.routed]
    if not hits:
        return []
    doc = hits[0].record.doc
    rows = [i for i in section_rows(idx, ret.routed_sections[0]) if idx.records[i].doc == doc]
    sub = next((r.subdivision for r in ret.refs if r.subdivision), None)
    if sub:  # 'GC 11541(b)': start at subdivision (b)
        top = sub.split(")")[0] + ")"
        rows = [i for i in rows if idx.records[i].subdivision == top] or rows
    hit_by_i = {h.i: h for h in ret.hits}
    out: list[Candidate] = []
    from .retrieve import Hit

    for i in rows:
        rec = idx.records[i]
        hit = hit_by_i.get(i) or Hit(i, rec, 0.0, routed=True)
        for k, s in enumerate(sentences(rec.text)):
            letters = [c for c in s if c.isalpha()]
            if len(s.split()) < 5 or is_title(s) or (letters and sum(c.isupper() for c in letters) / len(letters) > 0.6):
                continue
            if re.match(r"^\(?(?:New|Revised|Rev\.)", s):
                continue
            out.append(Candidate(hit, k, s, score=1.0))
            if len(out) >= n:
                return out
    return out


def _marked(sentence: str, n: int) -> str:
    s = sentence.rstrip()
    if s and s[-1] in ".!?":
        return f"{s[:-1].rstrip()} [{n}]{s[-1]}"
    return f"{s} [{n}]"


def compose(chosen: list[Candidate]) -> tuple[str, list[dict]]:
    """Answer text whose every sentence carries a [n] marker, and the citations they point to."""
    groups: dict[int, list[Candidate]] = {}
    for c in chosen:
        groups.setdefault(c.hit.i, []).append(c)
    parts: list[str] = []
    cites: list[dict] = []
    for group in groups.values():
        group.sort(key=lambda c: c.k)
        runs: list[list[Candidate]] = []
        for c in group:
            if runs and c.k == runs[-1][-1].k + 1:
                runs[-1].append(c)
            else:
                runs.append([c])
        for run in runs:
            n = len(cites) + 1
            cites.append(citation(run[0].hit.record, " ".join(c.text for c in run), n))
            for c in run:
                sep = "\n" if c.text.startswith(("-", "•", "·")) else " "
                parts.append(sep + _marked(c.text, n))
    return "".join(parts).strip(), cites


def coverage(idx) -> str:
    """A plain sentence saying what the indexed documents cover (worked out once per generation)."""
    return idx.memo("coverage", lambda: _coverage(idx))


def _coverage(idx) -> str:
    groups: dict[str, list[str]] = {}
    for e in idx.files.values():
        for ref in e.get("sections", []):
            groups.setdefault(ref.split(" ")[0], []).append(ref.split(" ", 1)[1])
    names = {"STMM": "STMM chapters", "SAM": "SAM sections", "GC": "Government Code sections",
             "PCC": "Public Contract Code sections", "RTC": "Revenue and Taxation Code sections"}
    parts = []
    for prefix, label in names.items():
        refs = sorted(set(groups.get(prefix, [])))
        if refs:
            shown = ", ".join(refs[:8]) + (f" and {len(refs) - 8} more" if len(refs) > 8 else "")
            parts.append(f"{label} {shown}")
    others = sum(1 for e in idx.files.values() if not e.get("sections"))
    if others:
        parts.append(f"{others} other documents (CALNET contract documents, reports and notices)")
    if not parts:
        return "The index holds no documents yet."
    return "The documents cover: " + "; ".join(parts) + "."


def _abstain_text(status: str, idx, ret: Retrieval) -> str:
    lead = NOT_FOUND if status == "not_found" else OUT_OF_SCOPE
    absent = [r.ref for r in ret.refs if r.ref not in ret.routed_sections]
    if absent:
        lead += f" {', '.join(absent)} {'is' if len(absent) == 1 else 'are'} not in the indexed documents."
    text = f"{lead} {coverage(idx)}"
    if status == "not_found":
        near = list(dict.fromkeys(h.record.section for h in ret.hits[:5] if h.record.section))[:3]
        if near:
            text += f" The nearest passages, which do not answer it, are in {', '.join(near)}."
    return text


def _abstain(q: Question, status: str, text: str, t0: float, t1: float) -> dict:
    return _result(q, status, text, [], None, t0, t1)


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
