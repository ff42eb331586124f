"""Text normalisation: repair PDF hyphenation and hard line breaks, fold whitespace, keep the words."""
from __future__ import annotations

import re
import unicodedata

# Characters that extraction leaves behind and that carry no meaning of their own.
_REPLACE = {
    "\u00ad": "",  # soft hyphen
    "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ",
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\r\n": "\n", "\r": "\n", "\t": " ", "\f": "\n\n", "\v": "\n",
}
_REPLACE_RE = re.compile("|".join(re.escape(k) for k in sorted(_REPLACE, key=len, reverse=True)))
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES_RE = re.compile(r"[ ]{2,}")

BULLET_RE = re.compile(
    r"^(?:[•●▪◦○■□·\-\*]\s+|\((?:[a-z]{1,2}|\d{1,3}|[ivxlIVXL]{1,5}|[A-Z])\)\s*|\d{1,3}[.)]\s+|[A-Z][.)]\s+[A-Z])"
)
STATUTE_START_RE = re.compile(r"^\d{4,5}(?:\.\d+)?\.\s|^\d{1,2}(?:\.\d{1,3}){1,3}\.?\s+[A-Z]")
MARKER_RE = re.compile(r"^(?:={3}|SOURCE\s*:|STMM Chapter\b|Section \d[\d.]*\s+[-–]|\[\.\.\.)", re.IGNORECASE)
LABEL_RE = re.compile(r"^[A-Z][A-Z ]{2,30}(?:\([^)]{0,20}\))?\s*:")  # "DATE:", "ORIGINAL PUBLISHER (per text):"
LEADER_RE = re.compile(r"\.{5,}\s*\d+$")  # a table-of-contents entry
RULE_RE = re.compile(r"^[-=_*~.\s]{3,}$")  # a drawn separator line
ENUM_ONLY_RE = re.compile(r"^\((?:[a-z]{1,2}|\d{1,3}|[ivxlIVXL]{1,5}|[A-Z])\)$")
KNOWN_HEADINGS = {
    "purpose", "policy", "guidelines", "responsibilities", "exemption requests",
    "authority and references", "vision", "strategy", "introduction", "background",
    "definitions", "scope", "procedures", "revisions", "eligibility", "description",
    "recommendation", "discussion", "table of contents", "contents",
}
TERMINAL = (".", "?", "!", ";", ":", "\"", "”", ")")
# A line that ends on one of these words runs on into the next line, whatever its case.
RUN_ON = {"a", "an", "the", "of", "to", "in", "for", "and", "or", "with", "by", "on", "at",
          "from", "as", "that", "which", "than", "instead", "under", "between", "including"}


def clean_chars(text: str) -> str:
    """Normalise line ends, odd spaces, ligatures and control characters; keep every word."""
    text = unicodedata.normalize("NFC", text)
    text = _REPLACE_RE.sub(lambda m: _REPLACE[m.group(0)], text)
    return _CONTROL_RE.sub("", text)


def fold(line: str) -> str:
    """Collapse runs of spaces inside a line and trim it."""
    return _SPACES_RE.sub(" ", line).strip()


DATE_LINE_RE = re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
                          r"December)\s+\d{1,2},?\s+\d{4}", re.I)


def is_heading(line: str) -> bool:
    """A short line that names what follows: 'Purpose:', 'VISION', 'Exemption Requests'."""
    s = line.strip()
    if not s or len(s) > 80 or s.endswith((".", ",", ";")):
        return False
    words = s.rstrip(":").split()
    if DATE_LINE_RE.fullmatch(s):
        return False  # a dateline ('FEBRUARY 19, 2010') is a fact of the text above it, not a heading
    if s.rstrip(":").strip().lower() in KNOWN_HEADINGS:
        return True
    if s.endswith(":") and len(words) <= 8 and s[0].isupper():
        # 'Authority and References:' is a heading; 'Exemption requests must:' leads into a list.
        return all(w[0].isupper() or not w[0].isalpha() for w in words if len(w) > 3)
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(words) <= 12


def starts_unit(line: str, heading: bool = True) -> bool:
    """Whether a line begins a new logical unit (never glued to the line before it)."""
    s = line.strip()
    if BULLET_RE.match(s) or STATUTE_START_RE.match(s) or MARKER_RE.match(s) or LABEL_RE.match(s):
        return True
    return heading and is_heading(s)


def _width(lines: list[str]) -> int:
    lengths = sorted(len(x) for x in lines)
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.9))] if lengths else 0


def _glue(a: str, b: str, vocab: set[str]) -> str:
    """Join two wrapped lines, repairing a word split by an end-of-line hyphen."""
    m = re.search(r"(\w+)-$", a)
    if m and b[:1].islower():
        head, tail = m.group(1), re.match(r"\w*", b).group(0)
        if (head + tail).lower() in vocab or f"{head}-{tail}".lower() not in vocab:
            return a[:-1] + b
        return a + b
    return f"{a} {b}"


def _ends_sentence(s: str) -> bool:
    return s.rstrip().endswith(TERMINAL)


def _runs_on(prev: str, line: str) -> bool:
    """Whether prev is cut mid-sentence and line carries on with it."""
    if _ends_sentence(prev) or is_heading(prev) or starts_unit(line):
        return False
    last = prev.rsplit(None, 1)[-1].lower() if prev.split() else ""
    return line[:1].islower() or last in RUN_ON or prev.endswith("-")


# A row of a table that a PDF gives as a line: two dates side by side ('6.1 Hosted IVR/ACD Services
# March 26,2014 June 30,2018 2'), the start and end of a term.
_DATE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s?\d{4}"
TABLE_ROW_RE = re.compile(rf"{_DATE}\s+(?:-\s+|to\s+)?{_DATE}", re.I)


def _block_paragraphs(lines: list[str], wrap: int, vocab: set[str]) -> list[str]:
    out: list[str] = []
    wrapped = 0 < wrap <= 130
    for n, line in enumerate(lines):
        if not out:
            out.append(line)
            continue
        prev = out[-1]  # the paragraph so far; lines[n - 1] is the line read before this one
        join = False
        if is_heading(prev) or LEADER_RE.search(prev) or ENUM_ONLY_RE.match(prev) or " >> " in prev:
            join = False
        elif TABLE_ROW_RE.search(lines[n - 1]) or TABLE_ROW_RE.search(line):
            join = False  # a table's rows are not glued to each other or to the prose around them
        elif wrapped and len(prev) >= 0.6 * wrap:
            # A full-width line is wrapped text; only a list item or marker starts afresh,
            # or a heading after a line that ended its sentence.
            join = not starts_unit(line, heading=_ends_sentence(prev))
        else:
            join = _runs_on(prev, line)
        if join:
            out[-1] = _glue(prev, line, vocab)
        else:
            out.append(line)
    return out


def paragraphs(text: str) -> list[str]:
    """Split raw extracted text into logical paragraphs with hard line breaks repaired."""
    text = clean_chars(text)
    vocab = {w.lower() for w in re.findall(r"\w+(?:-\w+)*", text)}
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = fold(raw)
        if line and not RULE_RE.match(line):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    doc_wrap = _width([ln for b in blocks for ln in b])
    result: list[str] = []
    for block in blocks:
        if not block:
            continue
        wrap = _width(block) if len(block) >= 3 else doc_wrap
        paras = _block_paragraphs(block, wrap, vocab)
        # A sentence that a blank line cut in two carries on in the next block.
        if result and paras and _runs_on(result[-1], paras[0]):
            result[-1] = _glue(result[-1], paras.pop(0), vocab)
        result.extend(paras)
    return _attach_enumerators(result)


RUN_TOGETHER_RE = re.compile(r"(?<=[a-z][.;])(?=\([a-z]\) ?[A-Z\"“])")  # "...Services.(b) The purpose"


def _attach_enumerators(paras: list[str]) -> list[str]:
    """Put a subdivision label that sits alone on its line, '(a)', in front of its text,
    and split subdivisions that extraction ran together into one line."""
    out: list[str] = []
    for p in (piece for para in paras for piece in RUN_TOGETHER_RE.split(para)):
        if out and ENUM_ONLY_RE.match(out[-1]):
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out
