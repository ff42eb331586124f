"""Guidance: the exemption and CALNET paths, each step citing the passage it rests on."""
from __future__ import annotations

import pytest


def _steps(r):
    cites = {c["n"]: c for c in r["citations"]}
    return [(s, [cites[n] for n in s["cite"]]) for s in r["guidance"]["steps"]]


@pytest.mark.parametrize("question", [
    "How do I request an exemption from CALNET?",
    "My agency wants to buy phone service from a non-CALNET vendor because CALNET can't meet our needs. What now?",
])
def test_exemption_path_steps_each_cite_their_source(corpus_kb, question):
    r = corpus_kb.ask(question)
    assert r["guidance"]["path"] == "exemption"
    labels = [s["label"] for s in r["guidance"]["steps"]]
    assert labels[:3] == ["Who may ask", "What the request must contain", "Who signs it"]
    for step, cites in _steps(r):
        assert cites, step
        quote = cites[0]["quote"]
        assert step["text"].split(": ", 1)[1].lstrip("-•· ") in quote or quote in step["text"]
    signs = dict((s["label"], c[0]) for s, c in _steps(r))["Who signs it"]
    assert "Agency Information Officer" in signs["quote"] and signs["section"] == "STMM 3-501.0"
    lasts = dict((s["label"], c[0]) for s, c in _steps(r))["How long it lasts"]
    assert "limited term" in lasts["quote"] and lasts["section"] == "SAM 4605"


def test_calnet_path_for_a_local_government(corpus_kb):
    r = corpus_kb.ask("Can a city government order services from CALNET?")
    assert r["guidance"]["path"] == "calnet"
    text = " ".join(s["text"] for s in r["guidance"]["steps"])
    assert "Authorization To Order" in text and "CDT-965" in text and "Form 20" in text
    for step, cites in _steps(r):
        assert cites and cites[0]["doc"].startswith("stmm-")


def test_no_guidance_for_a_plain_fact(corpus_kb):
    assert corpus_kb.ask("Where must an agency publish its toll-free numbers?")["guidance"] is None


def test_the_category_step_names_the_row_that_matches_what_is_needed(corpus_kb):
    """Of the contract's category rows, the one naming what is asked for ('hosted IVR'); a row that
    shares one word of a two-word need ('Network Based Managed' for 'managed internet') is no match."""
    def categories(question):
        r = corpus_kb.ask(question)
        return [s["text"] for s in r["guidance"]["steps"] if s["label"] == "Matching CALNET category"]

    assert any("Hosted IVR" in t for t in categories("Which CALNET 3 category would we order hosted IVR from?"))
    needs = "We need managed internet service for our office from CALNET 3. Which category is it under?"
    assert not any("Network Based Managed" in t for t in categories(needs))
