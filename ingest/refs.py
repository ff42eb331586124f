"""Section references: recognise them in titles, text and questions, and normalise them."""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"(\d{4,5}(?:\.\d+)?)"
# One level of a subdivision: '(c)', '(2)', '(iv)', '(A)'; a year in brackets, 'GC 15276 (2005)', is none.
_LEVEL = r"[a-zA-Z]{1,4}|\d{1,3}"
LEVEL_RE = re.compile(rf"\(({_LEVEL})\)")  # the levels of a subdivision, one by one
_SUBDIV = rf"((?:\s*\((?:{_LEVEL})\))*)"
_STMM_NUM = r"((?:\d+-)?\d{3,4}(?:\.\d+)?)"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("STMM-PART", re.compile(r"\bSTMM\s+(Glossary|Introduction)\b", re.I)),
    ("STMM", re.compile(rf"\bSTMM\s*(?:Chapter|Ch\.?|Section|§)?\s*{_STMM_NUM}", re.I)),
    ("STMM", re.compile(rf"\bChapter\s+(\d+-\d{{3}}(?:\.\d+)?|0\d{{3}}\.\d+)", re.I)),
    ("SAM", re.compile(rf"\b(?:SAM|State Administrative Manual)\)?\s*(?:Chapter|Section|Sections|§)?\s*{_NUM}", re.I)),
    ("PCC", re.compile(rf"\b(?:PCC|Pub(?:lic|\.)?\s*Cont(?:ract|\.)?\s*Code)\s*(?:Section|Sections|§+|Sec\.)?\s*{_NUM}{_SUBDIV}", re.I)),
    ("GC", re.compile(rf"\b(?:GC|Gov(?:ernment|'t|\.|t)?\s*Code)\s*(?:Section|Sections|§+|Sec\.)?\s*{_NUM}{_SUBDIV}", re.I)),
    ("GC", re.compile(rf"\bSECTION\s+GOV\s?{_NUM}", re.I)),
    ("RTC", re.compile(rf"\bRev(?:enue|\.)?\s*(?:&|and)\s*Tax(?:ation|\.)?\s*Code\s*(?:Section|Sections|§+)?\s*{_NUM}{_SUBDIV}", re.I)),
    ("BILL", re.compile(r"\b(AB|SB)\s?(\d{1,4})\b", re.I)),  # 'ab 2408' as typed at a help desk
]
TITLE_REF_SPAN = 80  # a reference further into a title is a side remark, not what the file is
BARE_SECTION_RE = re.compile(rf"(?:\bsection|§+)\s*{_NUM}{_SUBDIV}", re.I)


@dataclass(frozen=True)
class Ref:
    """A normalised reference such as 'GC 11541' with an optional subdivision '(b)(1)'."""

    ref: str
    subdivision: str | None = None


def _clean_subdiv(s: str | None) -> str | None:
    s = re.sub(r"\s+", "", s or "")
    return s or None


def find_refs(text: str, default_code: str = "GC") -> list[Ref]:
    """Every section reference in a piece of text, in order of appearance, without repeats."""
    hits: list[tuple[int, Ref]] = []
    taken: list[tuple[int, int]] = []
    for prefix, pat in PATTERNS:
        for m in pat.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            if prefix == "STMM-PART":
                hits.append((m.start(), Ref(f"STMM {m.group(1).title()}")))
                taken.append((m.start(), m.end()))
                continue
            if prefix == "BILL":
                hits.append((m.start(), Ref(f"{m.group(1).upper()} {m.group(2)}")))
                taken.append((m.start(), m.end()))
                continue
            num = m.group(1)
            sub = _clean_subdiv(m.group(2)) if pat.groups >= 2 else None
            if prefix == "STMM" and "." not in num and "-" not in num:
                num = f"{num}.0"
            hits.append((m.start(), Ref(f"{prefix} {num}", sub)))
            taken.append((m.start(), m.end()))
    for m in BARE_SECTION_RE.finditer(text):
        if not any(a <= m.start() < b for a, b in taken):
            hits.append((m.start(), Ref(f"{default_code} {m.group(1)}", _clean_subdiv(m.group(2)))))
    seen, out = set(), []
    for _, r in sorted(hits, key=lambda h: h[0]):
        if r not in seen:
            seen.add(r)
            out.append(r)
    return out


def ref_key(ref: str) -> str:
    """A comparison key that treats 'STMM 3-501.0', 'STMM 0501.0' and 'STMM 501' alike."""
    prefix, _, num = ref.partition(" ")
    if prefix.upper() == "STMM" and re.match(r"^[\d.-]+$", num):
        num = num.split("-")[-1].lstrip("0") or "0"
        if "." not in num:
            num += ".0"
    return f"{prefix.upper()} {num}".strip()


def ref_in_text(text: str, code: str = "GC") -> str | None:
    """The first explicit reference in a title or header line, or None."""
    refs = find_refs(text, code)
    return refs[0].ref if refs else None


def code_for(title: str, filename: str = "", default: str | None = "GC") -> str | None:
    """Which code a bare statute number in this text belongs to (default when none is named)."""
    s = f"{title} {filename}".lower()
    if "public contract code" in s or "pcc-" in s:
        return "PCC"
    if re.search(r"rev(?:enue|\.)?\s*(?:&|and)\s*tax", s):
        return "RTC"
    if re.search(r"gov(?:ernment|'t|\.)?\s*code|\bgc-", s):
        return "GC"
    return default


def doc_kind(title: str, url: str | None, filename: str) -> str:
    """Guess a document's kind (stmm, sam, statute, contract, other) from its title and name."""
    s = f"{title} {filename} {url or ''}".lower()
    if re.match(r"(ab|sb)[ -]?\d", title.lower()) or re.match(r"(ab|sb)-\d", filename.lower()):
        return "other"  # a bill, which amends statutes but is not one
    if "stmm" in s or "telecommunications management manual" in s:
        return "stmm"
    if re.search(r"\bsam\b|state administrative manual|/sam/", s):
        return "sam"
    if re.search(r"gov(?:ernment|'t|\.)? code|public contract code|\bgc-|\bpcc-|codes_displaysection", s):
        return "statute"
    if re.search(r"contract|ifb|user instructions|agreement|\bmsa\b|amendment", s):
        return "contract"
    return "other"


def doc_ref(title: str, url: str | None, filename: str) -> str | None:
    """The section a whole document is about, judged from its title, file name or address."""
    low = title.lower()
    if "stmm" in low and "glossary" in low:
        return "STMM Glossary"
    if "stmm" in low and "introduction" in low:
        return "STMM Introduction"
    if "§§" in title or re.search(r"sections?\s+\d{4,5}\s*-\s*\d", title, re.I):
        return None  # a range of sections: each gets its own reference from the text
    refs = find_refs(title[:TITLE_REF_SPAN], code_for(title, filename))
    if refs:
        return refs[0].ref
    if url and (m := re.search(r"/SAM/TOC/\d+/(\d{4})(?:-(\d+))?", url, re.I)):
        return f"SAM {m.group(1)}" + (f".{m.group(2)}" if m.group(2) else "")
    if url and (m := re.search(r"lawCode=(GOV|PCC)&sectionNum=([\d.]+)", url, re.I)):
        return f"{'GC' if m.group(1).upper() == 'GOV' else 'PCC'} {m.group(2)}"
    return None


_CODE_NAME = (r"(?P<code>Gov(?:ernment|'t|\.)?\s*Code|Rev(?:enue|\.)?\s*(?:&|and)\s*Tax(?:ation|\.)?\s*Code|"
              r"Pub(?:lic|\.)?\s*Cont(?:ract|\.)?\s*Code|GC|PCC|RTC)")
RANGE_RE = re.compile(rf"(?:{_CODE_NAME}\s*(?:§§?|Sections?)?|§§|Sections)\s*(?P<lo>\d{{4,5}})"
                      r"(?:\s*(?:-|–|through|to)\s*(?P<hi>\d{4,5})\b|\s*ff\b)", re.I)
URL_RANGE_RE = re.compile(r"/(?P<lo>\d{4,5})-(?P<hi>\d{4,5})(?:\.html?)?/?$")


def doc_ranges(title: str, url: str | None, filename: str) -> list[tuple[str, int, int]]:
    """The runs of sections a document says it holds ('§§ 11531-11532', 'Gov. Code 15250 ff.', an
    address ending '/15250-15254'), as (code, first, last): a copy that does not mark where each
    section starts still holds them."""
    out: list[tuple[str, int, int]] = []
    for m in RANGE_RE.finditer(title or ""):
        name = m.group("code") or ""
        code = name.upper() if name.upper() in ("GC", "PCC", "RTC") else code_for(name, default=None)
        code = code or code_for(title, filename)
        lo = int(m.group("lo"))
        hi = int(m.group("hi")) if m.group("hi") else lo
        if code and lo <= hi <= lo + 200:
            out.append((code, lo, hi))
    m = URL_RANGE_RE.search(url or "")
    # the code from the address's own words ('.../government-code/15250-15254'), else the title's first
    code = code_for(re.sub(r"[-_/]", " ", url or ""), default=None) or (out[0][0] if out else code_for(title, filename, None))
    if m and code:
        lo, hi = int(m.group("lo")), int(m.group("hi"))
        if lo <= hi <= lo + 200:
            out.append((code, lo, hi))
    return list(dict.fromkeys(out))
