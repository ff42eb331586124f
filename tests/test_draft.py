"""The draft exemption request: headings from the cited exemption steps, the user's facts under them, no invented policy."""
from __future__ import annotations

import io
import re

import pytest

from kb import draft

VALUES = {"agency": "FIXTURE Department of Examples", "project": "FIXTURE pager replacement",
          "services": "FIXTURE two-way paging for field staff", "why": "", "consequences": "",
          "signer": "FIXTURE Pat Example, Agency Information Officer"}


@pytest.fixture(scope="module")
def exemption(corpus_settings):
    from kb.answer import KnowledgeBase

    r = KnowledgeBase(corpus_settings).ask("Who must sign a CALNET exemption request?")
    assert r["guidance"] and r["guidance"]["path"] == "exemption"
    return r


def _quoted(md: str) -> list[str]:
    return re.findall(r"^> \u201c(.*)\u201d \[\d+\]$", md, flags=re.M)


def test_headings_follow_the_cited_steps_and_quote_them_exactly(exemption):
    g, cites = exemption["guidance"], exemption["citations"]
    md = draft.to_markdown(g, cites, VALUES, today="2026-01-02")
    by_n = {c["n"]: c for c in cites}
    for step in g["steps"]:
        marks = "".join(f" [{n}]" for n in step["cite"])
        assert f"## {step['label']}{marks}" in md
    # every requirement in the draft is a cited quote, word for word: nothing else states policy
    quotes = _quoted(md)
    assert quotes and all(q in {c["quote"] for c in cites} for q in quotes)
    assert {q for q in quotes} == {by_n[n]["quote"] for s in g["steps"] for n in s["cite"]}
    for n in {n for s in g["steps"] for n in s["cite"]}:
        assert f"[{n}] {by_n[n]['title']}" in md


def test_typed_fields_sit_under_their_requirement_and_blanks_are_marked(exemption):
    md = draft.to_markdown(exemption["guidance"], exemption["citations"], VALUES, today="2026-01-02")
    contain = md.split("## What the request must contain")[1].split("\n## ")[0]
    assert "**Services wanted:** FIXTURE two-way paging for field staff" in contain
    assert f"**Why CALNET cannot meet the need:** {draft.BLANK}" in contain
    signs = md.split("## Who signs it")[1].split("\n## ")[0]
    assert "FIXTURE Pat Example" in signs
    assert "From: FIXTURE Department of Examples" in md and "Date: 2026-01-02" in md


def test_without_exemption_guidance_the_draft_states_no_requirement():
    md = draft.to_markdown(None, [], {"agency": "FIXTURE agency"})
    assert _quoted(md) == [] and "## Request details" in md
    assert md.count(draft.BLANK) == len(draft.FIELDS) - 1  # every field but the agency is blank


def test_docx_draft_opens_with_headings_quotes_and_values(exemption):
    import docx

    data = draft.to_docx(exemption["guidance"], exemption["citations"], VALUES)
    d = docx.Document(io.BytesIO(data))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("What the request must contain [") for h in headings)
    text = "\n".join(p.text for p in d.paragraphs)
    assert "Signer (name and title): FIXTURE Pat Example, Agency Information Officer" in text
    assert f"Consequences if the need is not met: {draft.BLANK}" in text
    for step in exemption["guidance"]["steps"]:
        quote = next(c["quote"] for c in exemption["citations"] if c["n"] == step["cite"][0])
        assert f"\u201c{quote}\u201d" in text
