"""Readable prose or extraction debris: headings, letterheads, codes and leader lines never answer."""
from __future__ import annotations

import pytest

from kb.features import MIN_PROSE, prose

KNOWN = set("""the each state agency should designate one catr a quorum shall consist of seven members board
introduced by assembly smyth and huber telephone service in private residences or vehicles use consolidated
services bill analysis page date hearing march committee on utilities commerce chair subject emergency
contents overview budget act item may appoint more atr to assist day telecommunications activities their
to amend sections of public utilities code revenue and taxation relating government information technology""".split())


def known(word: str) -> bool:
    return word.lower() in KNOWN


@pytest.mark.parametrize("text", [
    "Each State agency should designate one CATR.",
    "A quorum shall consist of seven members of the board.",
    "The CATR may appoint one or more ATR(s) to assist in the day-to-day telecommunications activities.",
    "INTRODUCED BY Assembly Members Smyth and Huber",  # a dateline, read with the date under it
    # an act's title: the numbers are the sections it amends, not a table
    "to amend Sections " + ", ".join(str(51000 + n) for n in range(12)) + ", and 51012.5 of the Revenue and "
    "Taxation Code, relating to state government information technology.",
])
def test_sentences_read_as_prose(text):
    assert prose(text, known) >= MIN_PROSE


@pytest.mark.parametrize("text", [
    "Telephone Service in Private Residences or Vehicles",  # a heading in title case
    "Use of Consolidated Services",
    "BILL ANALYSIS Page 1 Date of Hearing: March 30, 2016 ASSEMBLY COMMITTEE ON UTILITIES AND COMMERCE",  # a letterhead
    "0250-101-0001 Budget Act item",  # a budget code
    "Contents .......... Overview .......... 3",  # a line of leaders
    "Q X,ighj",
])
def test_debris_does_not_read_as_prose(text):
    assert prose(text, known) < MIN_PROSE


def test_an_answer_does_not_open_on_a_heading(corpus_kb):
    r = corpus_kb.ask("what are the rules on telephone service in private residences or vehicles")
    assert not r["answer"].startswith("Telephone Service in Private Residences")
    assert "Use of Consolidated Services" not in r["answer"]
