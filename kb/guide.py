"""Guidance: ordered steps for a guided path (exemption, or ordering through CALNET), each resting on a quote."""
from __future__ import annotations

import re

import numpy as np

from .citations import citation
from .question import Question
from .retrieve import Retrieval
from .features import ANAPHOR_RE
from .text import content_terms, sentences, tokens

# What a person needs to know, step by step, for each path; each step is filled by the passage
# that answers it best, or left out when no passage does.
STEPS = {
    "exemption": ("Request a CALNET exemption", [
        ("Who may ask", "exemption requests apply only to non-exempt state entities agencies executive branch"),
        ("What the request must contain", "exemption request must apply specific telecommunications project "
                                          "acquisition provide pertinent specific information explanation "
                                          "why calnet would not meet need ramifications"),
        ("Who signs it", "written requests signed submitted agency information officer aio equivalent"),
        ("Where it goes", "compelling business reason submit letter requesting exemption deputy director "
                          "evaluation approval prior purchasing services elsewhere"),
        ("What else is needed", "calnet exemptions require general telecommunications delegation"),
        ("How long it lasts", "exemptions granted limited term established time of approval"),
    ]),
    "calnet": ("Order through CALNET", [
        ("Who must use CALNET", "non-exempt state agencies mandated utilize calnet contracts obtain required "
                                "telecommunications network services"),
        ("Local and other public agencies", "eligible local government agencies signed authorization to order "
                                            "ato agreement may use calnet contracts"),
        ("The Authorization to Order", "ato authorization to order form process federal local governments "
                                       "purchase products services calnet contract"),
        ("Who places orders", "catr atr must register authorized calnet order telephone data network "
                              "products services designation form cdt-965"),
        ("Which forms", "purchases made through telecommunications service request form 20 purchasing "
                        "authority purchase order std 65"),
    ]),
}
PATH_QUERY = {"exemption": "CALNET exemption request non-exempt state agencies required services",
              "calnet": "order CALNET contracts eligible agencies authorization to order ATO CATR ATR forms"}
MIN_STEP_COVERAGE = 0.45


def _pool(kb, idx, path: str) -> list[int]:
    """Passages worth reading for a path: the path query's neighbours plus each step's lexical best."""
    from .retrieve import retrieve

    rows = [h.i for h in retrieve(idx, kb.store, PATH_QUERY[path], k=12).hits]
    for _, query in STEPS[path][1]:
        scores = idx.lexical_scores(query)
        rows.extend(int(i) for i in np.argsort(-scores)[:4] if scores[i] > 0)
    return list(dict.fromkeys(rows))


def _fixed_steps(kb, idx, path: str) -> list[tuple[str, int, str]]:
    """(label, record position, sentence) per step; the same for every question on this path."""
    return idx.memo(("guide", path), lambda: _find_steps(kb, idx, path))


def _find_steps(kb, idx, path: str) -> list[tuple[str, int, str]]:
    pool = _pool(kb, idx, path)
    used: set[tuple[int, str]] = set()
    steps = []
    for label, query in STEPS[path][1]:
        weights = {t: idx.idf(t) for t in dict.fromkeys(tokens(query))}
        total = sum(weights.values()) or 1.0
        best, best_cov = None, 0.0
        for i in pool:
            rec = idx.records[i]
            sents = sentences(rec.text)
            for k, s in enumerate(sents):
                if (i, s) in used or len(s.split()) < 5:
                    continue
                if ANAPHOR_RE.match(s) and k > 0:  # 'These agencies ...' needs what it points back to
                    s = f"{sents[k - 1]} {s}"
                have = content_terms(s)
                cov = sum(w for t, w in weights.items() if t in have) / total
                if cov > best_cov:
                    best, best_cov = (i, s), cov
        if best and best_cov >= MIN_STEP_COVERAGE:
            used.add(best)
            steps.append((label, best[0], best[1]))
    return steps


def prepare(kb, idx) -> None:
    """Work out both paths' fixed steps for this index now, so no question waits for them."""
    for path in STEPS:
        _fixed_steps(kb, idx, path)


def _category_steps(idx, q: Question, ret: Retrieval) -> list[tuple[str, int, str]]:
    """Contract categories or modules whose description matches what the person needs."""
    generic = set(tokens("calnet category categories subcategory module which service services order need "
                         "agency agencies cover covers city cities county counties local state government "
                         "department use buy purchase get can"))
    need = {t for t in q.terms if t not in generic and not t.isdigit()}  # 'CALNET 3' names no category
    if not need:
        return []
    found = []  # of each passage's category lines, the one that names most of what is needed
    for h in ret.hits[:8]:
        lines = [s for s in sentences(h.record.text)
                 if len(s) <= 160 and re.search(r"\b(?:Sub)?[Cc]ategory\b|^\d+(?:\.\d+)?\s+[A-Z]", s)]
        best = max(((len(need & content_terms(s)), -n, s) for n, s in enumerate(lines)), default=(0, 0, ""))
        if best[0]:
            found.append((best[0], h.i, best[2]))
    most = max((f[0] for f in found), default=0)
    if most < min(2, len(need)):  # 'Network Based Managed' is not what 'managed internet service' needs
        return []
    return [("Matching CALNET category", i, s) for got, i, s in found if got == most][:2]


def guidance(kb, idx, q: Question, ret: Retrieval, cites: list[dict], path: str | None) -> dict | None:
    """Ordered steps for the question's path (kb/routes.py), each citing its passage (appended to cites)."""
    if path is None:
        return None
    steps_src = list(_fixed_steps(kb, idx, path))
    if path == "calnet":
        steps_src += _category_steps(idx, q, ret)
    steps = []
    for label, i, sentence in steps_src:
        rec = idx.records[i]
        n = next((c["n"] for c in cites if c["doc"] == rec.doc and sentence in c["quote"]), None)
        if n is None:
            n = len(cites) + 1
            cites.append(citation(rec, sentence, n))
        shown = re.sub(r"^[-•·*]\s+", "", sentence)
        steps.append({"label": label, "text": f"{label}: {shown}", "cite": [n]})
    if not steps:
        return None
    return {"path": path, "title": STEPS[path][0], "steps": steps}
