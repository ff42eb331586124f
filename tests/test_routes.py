"""Guided paths by meaning: buying elsewhere in any words gets the exemption path, and a follow-up stays on it."""
from __future__ import annotations

from kb import embed, routes

CHEAPER = "We found a cheaper wireless carrier than CALNET. Can our department just use them?"


def test_paths_come_from_the_closest_examples():
    for q, want in [(CHEAPER, "exemption"), ("Can a city government order services from CALNET?", "calnet"),
                    ("Where must an agency publish its toll-free numbers?", None),
                    ("What is the monthly price of a CALNET cellular data plan?", None),
                    # buying and phones, but neither buying outside CALNET nor ordering through it
                    ("Does our DGS purchasing delegation let us buy telecom equipment too?", None),
                    ("Can our department lease a phone system itself?", None),
                    # whether a service is to be had through CALNET is ordering, not buying elsewhere
                    ("Is mobile phone service available through CALNET?", "calnet"),
                    ("Does the state contract include wireless data plans?", "calnet")]:
        path, _ = routes.path(embed.embed_query(q), 0.05)
        assert path == want, (q, path)


def test_the_plain_words_question_gets_the_exemption_path_and_its_sources(corpus_kb):
    r = corpus_kb.ask(CHEAPER)
    assert r["status"] == "answered" and r["guidance"]["path"] == "exemption"
    assert {"STMM 3-501.0", "SAM 4605"} & {c["section"] for c in r["citations"][:3]}
    follow = corpus_kb.ask("Who has to sign that?", [{"question": CHEAPER, "answer": r["answer"]}])
    assert "Agency Information Officer" in follow["answer"].split("[1]")[0]
    assert follow["guidance"]["path"] == "exemption"


def test_looking_up_a_paths_own_section_shows_that_path(corpus_kb):
    assert routes.home_of("SAM 4605") == "exemption"
    assert routes.home_of("STMM 3-501.0") is None  # home of both paths: the question decides
    r = corpus_kb.ask("SAM 4605")
    assert r["status"] == "answered" and r["guidance"]["path"] == "exemption"
    assert corpus_kb.ask("SAM 8422.106")["guidance"] is None  # no path's section
