"""Question analysis: field detection, expected answer type, definition subject, follow-up context."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.refs import Ref, find_refs

from .text import WORD_RE, sentences, tokens

MAX_CHARS = 2000  # the part of a very long question that is analysed

# Words that place a question in the field of state telecommunications policy.
FIELD_WORDS = set(tokens("""
telecom telecommunications telecommunication calnet stmm sam exemption exemptions exempt network networks
phone phones telephone telephones cellular cell wireless internet broadband voice voip circuit circuits
toll 911 ato catr atr otech cdt dgs delegation delegations procurement procure contract contracts
vendor vendors carrier carriers mpls wan sdwan cgen conferencing ethernet sonet firstnet tariff pager fax
modem fiber subcategory category categories msa ifb erate surcharge invoice invoices technology
communications communication radio statute std
nextgen dialing dial hotline trunk pbx centrex
""", keep_stopwords=True))
# Words of the field too common elsewhere to place a question in it on their own.
GENERIC_FIELD = set(tokens("service services order form forms section chapter data agency agencies "
                           "department departments", keep_stopwords=True))

FOLLOW_UP_RE = re.compile(r"^\s*(?:and|but|also|what about|how about|what if|and if|so|then)\b", re.I)
PRONOUN_RE = re.compile(r"\b(?:it|its|that|this|they|them|those|these|he|she|who signs it|there)\b", re.I)
DEFINE_RE = re.compile(
    r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(.+?)\s*\??\s*$"
    r"|^\s*what\s+does\s+(.+?)\s+(?:mean|stand\s+for|include|cover)\s*\??\s*$"
    r"|^\s*what\s+(?:counts|qualifies|is\s+meant|is\s+considered)\s+(?:as|by)\s+(?:an?\s+|the\s+)?(.+?)\s*\??\s*$"
    r"|^\s*(?:define|definition\s+of|meaning\s+of)\s+(.+?)\s*\??\s*$", re.I)


@dataclass
class Question:
    """A question as the answerer sees it."""

    text: str  # as asked (trimmed to MAX_CHARS for analysis)
    query: str  # what retrieval searches for (with follow-up context)
    terms: list[str]  # content terms of the query
    refs: list[Ref] = field(default_factory=list)
    kind: str = "other"  # date, money, number, define, yesno, who, other
    subject: str | None = None  # for definitions: the term being defined
    in_field: bool = False
    ref_only: bool = False  # nothing but a section reference: show that section
    follow_up: bool = False
    own_terms: set[str] = field(default_factory=set)  # terms of the sentence that asks, in this turn


def _kind(q: str) -> str:
    low = q.lower().strip()
    if re.match(r"^when (?:did|was|were)\b", low) \
            or re.match(r"^(?:what|which) (?:year|date|day|month)\b", low) or re.search(r"\bin what year\b", low):
        return "date"
    if re.match(r"^when\b", low):
        return "when"  # 'when must a request be sent': a condition may answer it
    if re.search(r"\b(?:phone|telephone|fax|contact) (?:number|no)\b|\bwhat number\b|\bnumber to call\b", low):
        return "phone"
    if re.search(r"\be-?mail\b", low) and re.search(r"\baddress\b|^what\b|^where\b", low):
        return "email"
    if re.search(r"\b(?:which|what) (?:\w+ )?forms?\b", low):
        return "form"
    if re.search(r"\b(?:price|prices|pricing|cost|costs|fee|fees|monthly rate|per month|per minute)\b", low) \
            or re.match(r"^how much (?:does|do|is|are|will|would|did)\b", low):
        return "money"
    if re.match(r"^how (?:many|much)\b", low):
        return "number"
    if re.match(r"^how (?:long|often|soon)\b", low):
        return "duration"
    if DEFINE_RE.match(low):
        return "define"
    if re.match(r"^who\b", low):
        return "who"
    if re.match(r"^(?:is|are|does|do|can|may|must|should|will|was|were|has|have)\b", low):
        return "yesno"
    return "other"


def _subject(q: str) -> str | None:
    m = DEFINE_RE.match(q.strip())
    if not m:
        return None
    subj = next(g for g in m.groups() if g)
    subj = re.sub(r"^(?:an?|the)\s+", "", subj.strip(), flags=re.I)
    # 'the role of the CATR' is a question about the CATR
    subj = re.sub(r"^(?:role|job|function|responsibilit(?:y|ies)|duties|meaning|definition)\s+of\s+(?:an?\s+|the\s+)?",
                  "", subj, flags=re.I)
    # 'the CALNET Program responsible for': what is asked about is the CALNET Program
    subj = re.sub(r"\s+(?:responsible for|used for|required for|needed for|about|for)$", "", subj, flags=re.I)
    # 'public agencies in the Technology Act': the qualifier says where, not what
    subj = re.sub(r"\s+(?:in|under|according to|per|as used in|for purposes of)\s+(?:the\s+)?[A-Z0-9].*$", "", subj)
    return subj if 0 < len(subj.split()) <= 6 else None


def is_follow_up(text: str, history: list[dict] | None) -> bool:
    """Whether a question leans on the previous turn ('what about universities?', 'who signs it?')."""
    if not history:
        return False
    words = WORD_RE.findall(text.lower())
    content = [t for t in tokens(text) if t not in GENERIC_FIELD]
    if FOLLOW_UP_RE.match(text):
        return True
    if find_refs(text):
        return False
    return bool(PRONOUN_RE.search(text)) and len(words) <= 10 or len(content) <= 2


def analyse(text: str, history: list[dict] | None = None) -> Question:
    """Read a question (and, for a follow-up, the question before it)."""
    text = (text or "").strip()
    # Markup in a question is text to read past, never to render or obey.
    if len(text) > MAX_CHARS:  # keep the opening and the end, where the question usually is
        text_part = f"{text[:MAX_CHARS // 2]} {text[-MAX_CHARS // 2:]}"
    else:
        text_part = text
    short = re.sub(r"\s+", " ", re.sub(r"<[^>]{0,200}>", " ", text_part)).strip()
    asked = _last_question(short)
    follow = is_follow_up(short, history)
    query = short
    if follow:
        prev = next((h.get("question", "") for h in reversed(history or []) if h.get("question")), "")
        query = f"{short} {prev[:MAX_CHARS]}"
    refs = find_refs(query)
    terms = tokens(query)
    subject = _subject(asked)
    if subject and tokens(subject):  # 'what counts as X': the answer is about X, not about counting
        terms = tokens(subject)
    if refs:  # the reference itself routes retrieval; its words say nothing about the answer
        ref_words = set(tokens(" ".join(r.ref for r in refs) + " government code section chapter public contract"))
        terms = [t for t in terms if t not in ref_words] or terms
    rest = short
    for pattern in (r"\bSTMM\s+(?:Glossary|Introduction)\b", r"\b(?:STMM|SAM|GC|PCC|Gov(?:ernment|'t|\.)?\s*Code|Public Contract Code)\b", r"§+",
                    r"\b(?:chapter|section|sec\.)\b", r"[\d.\-()]+"):
        rest = re.sub(pattern, " ", rest, flags=re.I)
    ref_only = bool(find_refs(short)) and not [t for t in tokens(rest) if not t.isdigit()]
    in_field = bool(refs) or any(t in FIELD_WORDS for t in tokens(query, keep_stopwords=True))
    return Question(text=text, query=query, terms=terms, refs=refs, kind=_kind(asked),
                    subject=subject, in_field=in_field, ref_only=ref_only, follow_up=follow,
                    own_terms=set(tokens(asked)) or set(tokens(short)))


def _last_question(text: str) -> str:
    """The sentence that asks, when a question comes with context: '... What should we do?'."""
    parts = sentences(text)
    asks = [p for p in parts if p.endswith("?")]
    return asks[-1] if asks else text
