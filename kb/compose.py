"""Answer text and citations from chosen sentences; abstentions that say what is stated nearby."""
from __future__ import annotations

from .citations import citation
from .wording import NOT_FOUND, OUT_OF_SCOPE, not_stated

NEAREST = 2  # sentences quoted as 'stated nearby' in a 'not found' answer


def _marked(sentence: str, n: int) -> str:
    s = sentence.rstrip()
    if s and s[-1] in ".!?":
        return f"{s[:-1].rstrip()} [{n}]{s[-1]}"
    return f"{s} [{n}]"


def compose(chosen: list, version_of=None) -> tuple[str, list[dict]]:
    """Answer text whose every sentence carries a [n] marker, and the citations they point to.
    Neighbouring sentences of one passage share one citation, quoted together; runs come in the
    order they were chosen, so the answer leads with its best sentence."""
    runs: list[list] = []
    for c in chosen:  # a sentence joins the run it continues in reading order, else starts its own
        run = next((r for r in runs if r[-1].hit.i == c.hit.i and r[-1].k + 1 == c.k), None)
        if run is not None:
            run.append(c)
        else:
            runs.append([c])
    parts: list[str] = []
    cites: list[dict] = []
    for run in runs:
        n = len(cites) + 1
        rec = run[0].hit.record
        cites.append(citation(rec, " ".join(c.text for c in run), n,
                              version_of(run[0].hit.i) if version_of else None))
        for c in run:
            sep = "\n" if c.text.startswith(("-", "•", "·")) else " "
            parts.append(sep + _marked(c.text, n))
    return "".join(parts).strip(), cites


def sourced(text: str, cite: dict) -> str:
    """For a question asking which section covers something: the answer led by the section its first
    citation quotes ('From STMM 0507.0 [1]: ...'), unless the text already names it."""
    section = cite.get("section")
    if not section or section.split(" ")[-1] in text:
        return text
    return f"From {section} [{cite['n']}]: {text}"


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


def abstain_text(status: str, idx, q=None, refs_absent=(), nearest=()) -> str:
    """What the knowledge base says when it does not answer: which fact the documents don't
    state, what they say nearest to it (labelled as not answering), and what they cover."""
    if status == "not_found":
        lead = not_stated(q.fact.kind, q.fact.phrase, q.fact.needs) if q is not None else NOT_FOUND
    else:
        lead = OUT_OF_SCOPE
    if refs_absent:
        lead += f" {', '.join(refs_absent)} {'is' if len(refs_absent) == 1 else 'are'} not in the indexed documents."
    near = ""
    if status == "not_found" and nearest:
        quoted = "; ".join(f"“{c.text}” ({c.hit.record.section or c.hit.record.title})" for c in nearest[:NEAREST])
        near = f" Nearest in the documents, which does not answer it: {quoted}."
    return f"{lead}{near} {coverage(idx)}"


def nearest_records(nearest) -> list[dict]:
    """The nearby sentences as citation-shaped records (n is null: they support no claim)."""
    return [citation(c.hit.record, c.text, None) for c in nearest[:NEAREST]]
