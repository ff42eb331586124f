"""Question analysis: spelling, the documents' words for the question's, follow-up context, field, kind and fact asked."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.refs import Ref, find_refs

from . import facts, lexicon, versions
from .text import STOPWORDS, WORD_RE, sentences, tokens

MAX_CHARS = 2000  # the part of a very long question that is analysed

# Words that place a question in the field of state telecommunications policy.
FIELD_WORDS = set(tokens("""
telecom telecommunications telecommunication calnet stmm sam exemption exemptions exempt network networks
phone phones telephone telephones cellular cell wireless internet broadband voice voip circuit circuits
toll 911 ato catr atr otech cdt dgs delegation delegations procurement procure contract contracts
vendor vendors carrier carriers mpls wan sdwan cgen conferencing ethernet sonet firstnet tariff pager fax
modem fiber subcategory category categories msa ifb erate surcharge invoice invoices technology
communications communication radio statute std nextgen dialing dial hotline trunk pbx centrex
call calls calling long-distance dispatch psap psaps e911
""", keep_stopwords=True))
# Words of the field too common elsewhere to place a question in it on their own.
GENERIC_FIELD = set(tokens("service services order form forms section chapter data agency agencies "
                           "department departments", keep_stopwords=True))
FOLLOW_UP_RE = re.compile(r"^\s*(?:and|but|also|what about|how about|what if|and if|so|then|ok|okay)\b", re.I)
# A time the conversation has named ('back then', 'at that time'): the question is read in it.
BACK_THEN_RE = re.compile(r"\b(?:back then|at (?:that|the) time|by then|since then|in those days|that year|"
                          r"in that year|under that version)\b", re.I)
PRONOUN_RE = re.compile(r"\b(?:it|its|that|this|they|them|their|those|these|he|she|him|her|there|such|one|ones|"
                        r"the (?:request|letter|form|contract|board|office|fund|law|section|statute|report|policy|"
                        r"chapter|bill|program|person|agency|department|number|division))\b", re.I)
DEFINE_RE = re.compile(
    r"^\s*(?:what|who)\s+(?:is|are|was|were|'s)\s+(?:an?\s+|the\s+)?(.+?)\s*\??\s*$"
    r"|^\s*what\s+does\s+(.+?)\s+(?:mean|stand\s+for|include|cover)\s*\??\s*$"
    r"|^\s*(.+?)\s+(?:stands?\s+for|means?)\s*\??\s*$"
    r"|^\s*what\s+(?:counts|qualifies|is\s+meant|is\s+considered)\s+(?:as|by)\s+(?:an?\s+|the\s+)?(.+?)\s*\??\s*$"
    r"|^\s*(?:define|definition\s+of|meaning\s+of)\s+(.+?)\s*\??\s*$", re.I)


@dataclass
class Question:
    """A question as the answerer sees it."""

    text: str  # as asked (trimmed to MAX_CHARS for analysis)
    query: str  # what retrieval searches for: the corrected question, follow-up context, alternatives
    terms: list[str]  # content stems of the corrected question (and, for a follow-up, the turn before)
    refs: list[Ref] = field(default_factory=list)
    subject: str | None = None  # for definitions: the term being defined
    in_field: bool = False
    field_by_words: bool = False  # in the field only by its everyday words ('cell', 'call'): no section, no acronym
    ref_only: bool = False  # nothing but a section reference: show that section
    follow_up: bool = False
    own_terms: set[str] = field(default_factory=set)  # stems of the sentence that asks, in this turn
    alts: dict[str, set] = field(default_factory=dict)  # other ways the documents say a stem
    fact: facts.Asked = field(default_factory=lambda: facts.Asked(None))
    when: int | str | None = None  # the time asked about (versions.asked_time)
    asked: str = ""  # the corrected sentence that asks
    fixed: str = ""  # the whole corrected question (a preamble included)
    worded: str = ""  # the question and follow-up context with the documents' phrases for its words ("" if none)
    context: str = ""  # the earlier question a follow-up leans on
    kind: str = "fact"  # lookup, definition, yesno, procedure or fact (set by meaning: kb/routes.py)


def is_follow_up(text: str, history: list[dict] | None, known) -> bool:
    """Whether a question leans on the conversation before it: it points back ('who signs it?',
    'back then'), opens with 'and'/'what about', or names nothing specific of its own."""
    if not history:
        return False
    if FOLLOW_UP_RE.match(text) or BACK_THEN_RE.search(text):
        return True
    if find_refs(text):
        return False
    words = WORD_RE.findall(text.lower())
    content = [t for t in tokens(text) if t not in GENERIC_FIELD]
    specific = [t for t in content if known(t)]
    return bool(PRONOUN_RE.search(text)) and len(words) <= 14 or len(specific) <= 2 or len(content) <= 4


def unknown_terms(terms, df: dict, alts: dict) -> list[str]:
    """The stems (numbers aside) that no document uses and nothing translates."""
    return [t for t in terms if not t.isdigit() and not df.get(t) and not alts.get(t)]


def analyse(text: str, history: list[dict] | None = None, idx=None) -> Question:
    """Read a question (and, for a follow-up, the question before it) in the documents' words."""
    text = (text or "").strip()
    part = f"{text[:MAX_CHARS // 2]} {text[-MAX_CHARS // 2:]}" if len(text) > MAX_CHARS else text
    short = re.sub(r"\s+", " ", re.sub(r"<[^>]{0,200}>", " ", part)).strip()  # markup is read past
    lex, speller = lexicon.for_index(idx) if idx is not None else (lexicon.Lexicon(), None)
    fixed = speller.fix(short) if speller else short
    asked = _last_question(fixed)
    df = idx.df if idx is not None else {}
    follow = is_follow_up(asked, history, lambda t: df.get(t, 0) > 0 and df.get(t, 0) < 0.05 * max(1, len(df)))
    context = ""
    if follow:
        prev = next((h.get("question", "") for h in reversed(history or []) if h.get("question")), "")
        context = speller.fix(prev[:MAX_CHARS]) if speller else prev[:MAX_CHARS]
    # References written out ('GC 11541(b)', 'ab 2408') or by number alone ('11544'): the question's
    # own, then those of the turn it leans on.
    own, ctx = find_refs(short), find_refs(context) if context else []
    own_bare = bare_refs(short, idx, own)
    bare = own_bare + (bare_refs(context, idx, ctx) if context else [])
    refs = list(dict.fromkeys(own + ctx + bare))
    alts = lexicon.alternatives(f"{fixed} {context}", lex)
    everything = tokens(f"{fixed} {context}", keep_stopwords=True) + [s for a in alts.values() for alt in a for s in alt]
    in_field = bool(refs) or _names_field(everything, lex, f"{fixed} {context}")
    by_words = in_field and not refs and not _names_acronym(everything, lex, f"{fixed} {context}")
    # A question asked in a conversation about the field stays in it, unless it names something no
    # document mentions ('Which city is the capital of France?' after a CALNET question). One that
    # points back ('Can it also recommend procedures, and what is that meant to achieve?') may hold
    # a word the documents don't use; not mostly such words ('and the weather there tomorrow?').
    own_words = [t for t in tokens(asked) if not t.isdigit()]
    unknown = unknown_terms(own_words, df, alts) if idx is not None else []
    strange = bool(unknown) and (not PRONOUN_RE.search(asked) or 2 * len(unknown) >= len(own_words))
    if not in_field and history and not strange:
        before = " ".join(h.get("question", "") for h in history[-2:] if isinstance(h.get("question"), str))
        in_field = _names_field(tokens(before[:MAX_CHARS], keep_stopwords=True), lex, before)
    said = f"{fixed} {context}".strip()
    wording = lexicon.phrasings(said, lex, lambda t: bool(df.get(t)))
    if idx is not None:  # a word no document uses stands for the documents' words nearest in meaning
        from .wordvec import content_words, neighbours

        for w in content_words(fixed):
            stem = tokens(w)
            if stem and not idx.df.get(stem[0]) and not alts.get(stem[0]):
                near = [n for n in neighbours(idx, w) if tokens(n)]
                alts.setdefault(stem[0], set()).update(tuple(tokens(n)) for n in near)
                wording.extend(near)
    extra = sorted({" ".join(a) for t in tokens(fixed) for a in alts.get(t, ())})
    terms = tokens(f"{fixed} {context}")
    subject = _subject(asked)
    if refs:  # the reference itself routes retrieval; its words say nothing about the answer
        ref_words = set(tokens(" ".join(r.ref for r in refs) + " government code section chapter public contract"))
        terms = [t for t in terms if t not in ref_words] or terms
    # 'as it reads today' picks the version (q.when); its words say nothing about the answer either
    said_now = set(tokens(versions.now_words(short))) - set(tokens(versions.NOW_WORDS_RE.sub(" ", short)))
    terms = [t for t in terms if t not in said_now] or terms
    ref_only = bool(own or own_bare) and not [t for t in tokens(_strip_refs(short))
                                              if not t.isdigit() and t not in SECTION_SAYS]
    fact = facts.asked(asked)
    fact.focus = [t for t in fact.focus if t not in said_now] or fact.focus
    if not fact.focus and context:  # 'how long is it?': what it is about is in the turn before; 'how many
        # agencies were using it?' is about agencies, though the word is too common to be a focus elsewhere
        fact.focus = [t for t in tokens(asked) if t in facts.GENERIC and t not in facts.KIND_WORDS][:3] \
            or facts.asked(context).focus
    asking = set(tokens(asked)) or set(tokens(fixed))
    named = " ".join(f"{r.ref}{r.subdivision or ''}" for r in bare)  # so that retrieval goes to the section
    return Question(text=text, query=" ".join(p for p in (fixed, context, " ".join(extra), named) if p), terms=terms,
                    refs=refs, subject=subject, in_field=in_field, field_by_words=by_words, ref_only=ref_only, follow_up=follow,
                    own_terms=(asking - said_now) or asking, alts=alts, fact=fact,
                    when=versions.asked_time(f"{short} {context}"), asked=asked, context=context, fixed=fixed,
                    worded=" ".join([said, *dict.fromkeys(wording)]) if wording else "")


# A section number given without its code ('11544', '15277(b)'): not part of an amount, a phone
# number, an identifier or a decimal.
BARE_NUMBER_RE = re.compile(r"(?<![\w$.,/#-])(\d{4,5}(?:\.\d{1,3})?)((?:\([a-zA-Z0-9]{1,4}\))*)(?![\w/-]|[.,]\d)")
YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _names_field(words, lex, text: str) -> bool:
    """Whether the words name the field: a word of it, or an acronym the documents define."""
    return any(t in FIELD_WORDS for t in words) or _names_acronym(words, lex, text)


def _names_acronym(words, lex, text: str) -> bool:
    """Whether the words hold an acronym the documents define. An acronym that is also a common word
    ('IT' and 'it') counts only when the text writes it in capitals."""
    capitals = {w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", text)}
    return any(t in lex.acronyms and (t not in STOPWORDS or t in capitals) for t in words)


def bare_refs(text: str, idx, found: list[Ref] | None = None) -> list[Ref]:
    """The sections a question names by number alone ('revolving fund 11544', '15277(b)'), when the
    index holds a section of that number (a year such as 2010 is not one); `found`: the references
    written out in the text, whose numbers are not counted again."""
    if idx is None:
        return []
    numbers = idx.memo("section-numbers", lambda: _section_numbers(idx))
    taken = {r.ref.split(" ", 1)[-1] for r in (find_refs(text) if found is None else found)}
    out: list[Ref] = []
    for m in BARE_NUMBER_RE.finditer(text):
        num = m.group(1)
        if YEAR_RE.fullmatch(num) or num in taken:
            continue
        keys = numbers.get(num) or [f"{code} {num}" for code in ("GC", "PCC") if idx.covering(f"{code} {num}")]
        out.extend(Ref(key, re.sub(r"\s+", "", m.group(2)) or None) for key in keys)
    return out


def _section_numbers(idx) -> dict[str, list[str]]:
    """Section numbers of the index ('11544') and the references that hold them ('GC 11544')."""
    out: dict[str, list[str]] = {}
    for key in idx.sections:
        code, _, num = key.partition(" ")
        if code in ("GC", "PCC", "SAM", "RTC") and re.fullmatch(r"\d{4,5}(?:\.\d+)?", num):
            out.setdefault(num, []).append(key)
    return out


# Verbs that, beside a reference and nothing else, ask what the section says: 'What does GC 11539
# provide?', 'what does SAM 6780 cover?' are look-ups of the section ('provide' is no word to find in it).
SECTION_SAYS = set(tokens("provide establish cover contain address describe set out mean"))  # stems: 'provides' too


def _strip_refs(text: str) -> str:
    for pattern in (r"\bSTMM\s+(?:Glossary|Introduction)\b", r"\b(?:STMM|SAM|GC|PCC|Gov(?:ernment|'t|\.)?\s*Code|"
                    r"Public Contract Code)\b", r"§+", r"\b(?:chapter|section|sec\.)\b", r"[\d.\-()]+"):
        text = re.sub(pattern, " ", text, flags=re.I)
    return text


def _subject(q: str) -> str | None:
    m = DEFINE_RE.match(q.strip())
    if not m:
        return None
    subj = next(g for g in m.groups() if g)
    subj = re.sub(r"^(?:an?|the)\s+", "", subj.strip(), flags=re.I)
    # 'the role of the CATR' is a question about the CATR
    subj = re.sub(r"^(?:role|job|function|responsibilit(?:y|ies)|duties|meaning|definition|full name)\s+of\s+(?:an?\s+|the\s+)?",
                  "", subj, flags=re.I)
    subj = re.sub(r"\s+(?:responsible for|used for|required for|needed for|about|for)$", "", subj, flags=re.I)
    subj = re.sub(r"\s+(?:in|under|according to|per|as used in|for purposes of)\s+(?:the\s+)?[A-Z0-9].*$", "", subj)
    return subj if 0 < len(subj.split()) <= 6 else None


def _last_question(text: str) -> str:
    """The sentence that asks, when a question comes with context: '... What should we do?'."""
    parts = sentences(text)
    asks = [p for p in parts if p.endswith("?")]
    return asks[-1] if asks else text
