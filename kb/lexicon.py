"""The question's words and the documents' words: synonyms, shorthand, the corpus's own acronyms, spelling."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .text import tokens

if TYPE_CHECKING:
    from .spelling import Speller

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.txt"
RAW_WORD_RE = re.compile(r"[a-z][a-z0-9'’-]*[a-z0-9]|[a-z0-9]+|#")
# 'Authorization to Order (ATO)': an acronym in brackets after the words it abbreviates.
# A plan's number may stand between ('Reorganization Plan No. 1 of 2009 (GRP No. 1)'), and the acronym
# may be a plural ('Public Safety Answering Points (PSAPs)').
EXPANSION_RE = re.compile(r"((?:[A-Z][\w&’'/-]*[\s-]+(?:(?:of|to|and|for|the|on|in|&)\s+){0,2}){1,8})"
                          r"(?:No\.\s*\d+\s+(?:of\s+\d{4}\s+)?)?\((?:the\s+)?([A-Z][A-Za-z&]{1,9}?)(?:s|\s+No\.\s*\d+)?\)")
# 'local area network (LAN)': the same in lower case, where the acronym is all capitals.
LOWER_EXPANSION_RE = re.compile(r"((?:[a-z][\w-]*\s+){2,6})\(([A-Z]{2,6}?)s?\)")
# 'ATO – Authorization to Order.' at the start of a line: a glossary entry.
GLOSSARY_RE = re.compile(r"^\s*([A-Z][A-Z0-9&]{1,9})\s+[–—-]\s+([A-Z][^.\n]{3,80}?)(?:\.|\s\(|$)", re.M)
MINOR = {"of", "to", "and", "for", "the", "on", "in", "&"}


@dataclass
class Lexicon:
    """Alternatives for a question's terms: groups of synonyms, shorthand, and corpus acronyms."""

    groups: list[list[str]] = field(default_factory=list)  # each a list of lower-case phrases
    shorthand: dict[str, str] = field(default_factory=dict)
    acronyms: dict[str, str] = field(default_factory=dict)  # 'ato' -> 'authorization to order'

    def phrase_groups(self) -> list[list[str]]:
        """Synonym groups plus one group per acronym (the acronym and what it stands for)."""
        return self.groups + [[a, full] for a, full in self.acronyms.items()]


@lru_cache(maxsize=4)
def _read_synonyms(path: str, mtime: float) -> tuple[list[list[str]], dict[str, str]]:
    groups, short = [], {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("# ") or line == "#":
            continue
        if ">" in line:
            abbr, full = (p.strip().lower() for p in line.split(">", 1))
            if abbr and full:
                short[abbr] = full
            continue
        terms = [t.strip().lower() for t in line.split(",") if t.strip()]
        if len(terms) > 1:
            groups.append(terms)
    # A question's shorthand is written out before its phrases are matched ('main telecom contact'
    # is read as 'main telecommunications contact'), so each term is also held written out.
    def written_out(term: str) -> str:
        return " ".join(short.get(w, w) for w in term.split())
    return [list(dict.fromkeys(g + [written_out(t) for t in g])) for g in groups], short


def synonym_list(path: Path = SYNONYMS_FILE) -> tuple[list[list[str]], dict[str, str]]:
    """The editable synonym groups and shorthand (re-read when the file changes)."""
    return _read_synonyms(str(path), path.stat().st_mtime if path.exists() else 0.0)


def _spells(words: list[str], parts: list[str]) -> bool:
    """Whether the words begin with the acronym's parts in turn (its letters, or a mixed-case
    acronym's syllables: 'O', 'Tech'), each minor word ('of', 'to') used or skipped."""
    if not words:
        return not parts
    first, rest = words[0], words[1:]
    if parts and first.lower().startswith(parts[0]) and _spells(rest, parts[1:]):
        return True
    return first.lower() in MINOR and _spells(rest, parts)


def _parts(acronym: str) -> list[str]:
    """An acronym's letters ('ATO' -> a, t, o), or, when it mixes cases, its capitalised syllables
    ('OTech' -> o, tech; 'CalREN' -> cal, r, e, n)."""
    bare = acronym.replace("&", "")
    if bare.isupper():
        return list(bare.lower())
    return [p.lower() for p in re.findall(r"[A-Z][a-z]*", bare)]


def _initials_match(words: list[str], acronym: str) -> list[str] | None:
    """The trailing words whose initials spell the acronym ('Authorization to Order' for ATO), or None."""
    parts = _parts(acronym)
    for start in range(len(words)):
        if words[start].lower() not in MINOR and _spells(words[start:], parts):
            return words[start:]
    return None


def corpus_acronyms(texts) -> dict[str, str]:
    """Acronyms the documents define: 'Full Name (ABC)' where the initials agree, and glossary
    entries 'ABC – Full Name'. The most frequent expansion of each acronym wins."""
    seen: dict[str, Counter] = {}
    for text in texts:
        for m in [*EXPANSION_RE.finditer(text), *LOWER_EXPANSION_RE.finditer(text)]:
            words = m.group(1).split()
            got = _initials_match(words, m.group(2))
            if got:
                seen.setdefault(m.group(2).lower(), Counter())[" ".join(got).lower()] += 1
        for m in GLOSSARY_RE.finditer(text):
            full = m.group(2).strip()
            if _initials_match(full.split(), m.group(1)):
                seen.setdefault(m.group(1).lower(), Counter())[full.lower()] += 2
    # 'Department of Finance (Finance)' names, it does not abbreviate
    return {a: full for a, c in seen.items() if a not in ("calnet",) and (full := c.most_common(1)[0][0]) != a}


def raw_words(text: str) -> list[str]:
    return RAW_WORD_RE.findall(text.lower().replace("’", "'"))


def corpus_words(texts) -> Counter:
    """How often each lower-case word occurs in the documents (for spelling correction)."""
    c: Counter = Counter()
    for text in texts:
        c.update(raw_words(text))
    return c


def build(texts) -> Lexicon:
    groups, short = synonym_list()
    return Lexicon(groups=groups, shorthand=short, acronyms=corpus_acronyms(texts))


def stems(phrase: str) -> tuple[str, ...]:
    """The content stems of a phrase, in order ('authorization to order' -> ('author', 'order'))."""
    return tuple(tokens(phrase))


def for_index(idx) -> tuple[Lexicon, Speller]:
    """The lexicon and speller of an index generation (the synonym file is re-read when edited)."""
    groups, short = synonym_list()
    key = ("lexicon", id(groups))

    def make():
        from .spelling import Speller

        lex = Lexicon(groups=groups, shorthand=short, acronyms=dict(idx.vocabulary.get("acronyms", {})))
        known = {w for g in lex.phrase_groups() for p in g for w in raw_words(p)}
        return lex, Speller(Counter(idx.vocabulary.get("words", {})), short, known)
    return idx.memo(key, make)


def _groups_in(text: str, lex: Lexicon):
    """Each group of terms one of whose phrases the text holds, with the phrases it holds."""
    low = " " + " ".join(raw_words(text)) + " "
    for group in lex.phrase_groups():
        present = [p for p in group if f" {' '.join(raw_words(p))} " in low]
        if present:
            yield group, present


def alternatives(text: str, lex: Lexicon) -> dict[str, set[tuple[str, ...]]]:
    """For each content stem of the text, the other ways the documents may say it: the stems of
    the other terms of every group one of its phrases belongs to ('ato' -> ('author', 'order'))."""
    out: dict[str, set[tuple[str, ...]]] = {t: set() for t in tokens(text)}
    for group, present in _groups_in(text, lex):
        others = {stems(q) for q in group if q not in present} - {()}
        for p in present:
            for s in stems(p):
                out.setdefault(s, set()).update(o for o in others if o != (s,))
    return out


def phrasings(text: str, lex: Lexicon, used) -> list[str]:
    """The documents' own phrases for what a text says: the other terms of every group one of its
    phrases belongs to, written out (not stemmed), that the documents use (`used(stem)` for each
    stem); 'state tech department' -> 'department of technology', 'cdt'."""
    out: list[str] = []
    for group, present in _groups_in(text, lex):
        out.extend(p for p in group if p not in present and stems(p) and all(used(s) for s in stems(p)))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _synonym_map() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for group in synonym_list()[0]:
        single = {t for term in group if len(stems(term)) == 1 for t in stems(term)}
        for t in single:
            out.setdefault(t, set()).update(single)
    return {k: frozenset(v) for k, v in out.items()}


def synonyms(term: str) -> frozenset[str]:
    """The one-word stems the synonym list makes equal to a stem (itself included), for checking
    an LLM's sentence against its passage (read once per process: it runs for every word checked)."""
    return _synonym_map().get(term, frozenset((term,)))
