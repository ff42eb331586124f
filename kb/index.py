"""The reader's view of one committed index generation: live chunks, BM25 over them, section map."""
from __future__ import annotations

import bisect
import itertools
import math
import os
import pickle
import re
from collections import Counter
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.refs import doc_ranges, ref_key

from . import lexicon
from .config import Settings
from .store import Store
from .text import tokens

CACHE_VERSION = 7
SEP = "\n\x00\n"  # between record texts in Index.matching: no word, no phrase spans it
CODE_NAME_RE = re.compile(r"\b(?:Government|Gov\.|Public Contract|Revenue and Taxation)\s+Code\b")
AMBIGUOUS = "\u212a\u017f\u0130\u0131"  # K, ſ, İ, ı: equal to ASCII letters for a re.I pattern


@dataclass
class Record:
    """One live chunk with everything a citation needs."""

    id: str
    text: str
    doc: str
    title: str
    section: str | None
    heading: str | None
    page: int | None
    url: str | None
    kind: str
    subdivision: str | None
    label: str | None
    position: int
    fid: str
    lead: str | None = None  # the lead-in of a list the chunk continues (ingest chunker)

    @classmethod
    def from_chroma(cls, cid: str, text: str, m: dict) -> "Record":
        return cls(id=cid, text=text, doc=m.get("doc", ""), title=m.get("title", ""),
                   section=m.get("section"), heading=m.get("heading"), page=m.get("page"),
                   url=m.get("url"), kind=m.get("kind", "other"), subdivision=m.get("subdivision"),
                   label=m.get("label"), position=int(m.get("position", 0)), fid=m.get("fid", ""),
                   lead=m.get("lead"))

    def context(self, lead: bool = True) -> str:
        """What word search reads: where the chunk sits, the lead-in of a list it continues, the chunk."""
        where = " ".join(p for p in (self.section, self.heading, self.label, self.lead if lead else None) if p)
        return f"{self.title} {where} {self.text}"


class Index:
    """Live chunks of one generation, with a BM25 index and a section-reference map, cached on disk."""

    def __init__(self, generation: str, manifest: dict, records: list[Record], bm25, df: dict[str, int],
                 vocabulary: dict | None = None):
        self.generation = generation
        # The documents' words (for spelling) and the acronyms they define, found at ingest.
        self.vocabulary = vocabulary or {"words": {}, "acronyms": {}}
        self.manifest = manifest
        self.records = records
        self.bm25 = bm25
        self.df = df  # in how many chunks each term occurs
        self.n = max(1, len(records))
        self.by_id = {r.id: i for i, r in enumerate(records)}
        self.fids = sorted({e["fid"] for e in manifest.get("files", {}).values()})
        self.sections: dict[str, list[int]] = {}
        self.by_fid: dict[str, list[int]] = {}
        for i, r in enumerate(records):
            if r.section:
                self.sections.setdefault(ref_key(r.section), []).append(i)
            self.by_fid.setdefault(r.fid, []).append(i)
        for rows in self.by_fid.values():
            rows.sort(key=lambda i: records[i].position)
        self._joined: str | None = None  # all texts lower-cased in one string, on first phrase search
        self._starts: list[int] = []
        self._plain = True
        self._memo: dict = {}

    def memo(self, key, make):
        """`make()` worked out once for this index; the object is one generation's, so never stale."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    @property
    def files(self) -> dict:
        return self.manifest.get("files", {})

    def idf(self, term: str) -> float:
        """Inverse document frequency; a term the documents never use weighs the most."""
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))

    def lexical_scores(self, query: str) -> np.ndarray:
        """BM25 score of every record for the query (zeros when nothing matches)."""
        if self.bm25 is None or not self.records:
            return np.zeros(len(self.records), dtype=np.float32)
        vocab = self.bm25.vocab_dict
        toks = [t for t in tokens(query) if t in vocab]
        if not toks:
            return np.zeros(len(self.records), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(toks), dtype=np.float32)

    def matching(self, pattern: re.Pattern, literal: str | None = None) -> list[int]:
        """Positions of the records whose text the pattern matches, in record order.

        Performance: when the pattern can only match text that holds `literal` (case aside), the
        lower-cased texts, joined once, are searched for the literal with str.find, and the pattern
        is run only on the records that hold it. Characters that a case-insensitive regex equates
        with ASCII letters (Kelvin sign, long s, dotted/dotless i) make it take the plain path."""
        if not literal or not literal.isascii() or not self._lowered():
            return [i for i, r in enumerate(self.records) if pattern.search(r.text)]
        needle = literal.lower()
        out: list[int] = []
        pos = self._joined.find(needle)
        while pos >= 0:
            i = bisect.bisect_right(self._starts, pos) - 1
            if pattern.search(self.records[i].text):
                out.append(i)
            if i + 1 >= len(self._starts):
                break
            pos = self._joined.find(needle, self._starts[i + 1])
        return out

    def _lowered(self) -> bool:
        """Build the joined lower-cased texts (once); False when a text holds an ambiguous character."""
        if self._joined is None:
            texts = [r.text.lower() for r in self.records]
            self._starts = list(itertools.accumulate((len(t) + len(SEP) for t in texts[:-1]), initial=0))
            self._joined = SEP.join(texts)
            self._plain = not any(c in self._joined for c in AMBIGUOUS)
        return self._plain

    def covering(self, ref: str) -> list[int]:
        """For a section no passage is labelled with, the unlabelled passages of documents that say
        they hold it ('§§ 11531-11532' in a title, an address ending '/15250-15254'), in reading order."""
        code, _, num = ref_key(ref).partition(" ")
        try:
            n = float(num)
        except ValueError:
            return []
        return list(dict.fromkeys(i for c, lo, hi, rows in self.memo("ranges", self._ranges)
                                  if c == code and lo <= n <= hi for i in rows))

    def _ranges(self) -> list[tuple[str, int, int, list[int]]]:
        """(code, first, last, rows): the runs of unlabelled statute text (a run opening with the
        code's name: 'California Government Code >> Division 3 ...') of documents that name a range."""
        out = []
        for rows in self.by_fid.values():
            first = self.records[rows[0]]
            ranges = doc_ranges(first.title, first.url, first.doc.rsplit("/", 1)[-1])
            if not ranges:
                continue
            runs = [list(run) for (labelled, _), run in itertools.groupby(
                rows, key=lambda i: (bool(self.records[i].section), self.records[i].label)) if not labelled]
            text = [i for run in runs if CODE_NAME_RE.search(self.records[run[0]].text[:200]) for i in run]
            out.extend((c, lo, hi, text) for c, lo, hi in ranges if text)
        return out

    def neighbours(self, i: int) -> list[int]:
        """Record positions of the whole section that record i belongs to, in reading order."""
        r = self.records[i]
        return [j for j in self.by_fid.get(r.fid, []) if self.records[j].section == r.section
                and self.records[j].label == r.label and self.records[j].heading == r.heading] or [i]


def _build_lexical(records: list[Record]):
    """BM25 over each chunk's context, and document frequencies for term weighting."""
    import bm25s

    if not records:
        return None, {}
    corpus = [tokens(r.context()) or ["_"] for r in records]
    model = bm25s.BM25(k1=1.2, b=0.75)
    model.index(corpus, show_progress=False)
    # A list's lead-in, carried beside the chunks that continue it, is counted once, where it stands.
    df = Counter(t for r, toks in zip(records, corpus) for t in set(tokens(r.context(lead=False)) if r.lead else toks))
    return model, dict(df)


def _cache_key() -> str:
    """Changes whenever the way text is tokenised changes, so stale caches are rebuilt."""
    import hashlib

    from . import text

    spec = f"{CACHE_VERSION}|{sorted(text.STOPWORDS)}|{text.WORD_RE.pattern}|{text.NON_RE.pattern}"
    return hashlib.sha1(spec.encode()).hexdigest()[:10]


def _cache_path(settings: Settings, generation: str) -> Path:
    return settings.home / "cache" / f"index-{_cache_key()}-{generation or 'empty'}.pkl"


def build(store: Store, manifest: dict) -> Index:
    fids = sorted({e["fid"] for e in manifest.get("files", {}).values()})
    records = [Record.from_chroma(i, t, m) for i, t, m in store.all_chunks(fids)]
    records.sort(key=lambda r: (r.doc, r.fid, r.position))
    texts = [r.text for r in records]
    words = lexicon.corpus_words(texts)
    from .wordvec import corpus_vectors

    vocabulary = {"words": words, "acronyms": lexicon.corpus_acronyms(texts), "vectors": corpus_vectors(words)}
    return Index(manifest.get("generation", ""), manifest, records, *_build_lexical(records), vocabulary)


def load(store: Store, settings: Settings, manifest: dict | None = None) -> Index:
    """The index for the store's current generation, from the local cache when it is there."""
    manifest = manifest if manifest is not None else store.read_manifest()
    gen = manifest.get("generation", "")
    path = _cache_path(settings, gen)
    if path.exists():
        try:
            with open(path, "rb") as fh:
                records, bm25, df, vocabulary = pickle.load(fh)
            return Index(gen, manifest, records, bm25, df, vocabulary)
        except Exception:
            pass  # a damaged cache is rebuilt below
    index = build(store, manifest)
    save(index, path)
    return index


def save(index: Index, path: Path) -> None:
    """Write the cache atomically and drop caches of older generations."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump((index.records, index.bm25, index.df, index.vocabulary), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    for old in path.parent.glob("index-*.pkl"):
        if old != path:
            old.unlink(missing_ok=True)
