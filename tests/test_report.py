"""kb report: answer rate, unanswered questions grouped by meaning, answers marked down, sections, --since, and
logged questions added to the evaluation set in the `kb eval` format."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from kb import evalset, questionlog

# FIXTURE results: made up by the tests, not policy text.
ANSWERED = {"status": "answered", "mode": "extractive", "answer": "FIXTURE: the fixture office approves it [1].",
            "citations": [{"n": 1, "section": "STMM 9-999.0"}, {"n": 2, "section": "SAM 9999"}], "guidance": None}
ANSWERED_TOO = {**ANSWERED, "citations": [{"n": 1, "section": "STMM 9-999.0"}]}
MISSED = {"status": "not_found", "mode": "extractive", "answer": "FIXTURE: the documents do not say.", "citations": []}
OFF = {**MISSED, "status": "out_of_scope"}


def log(settings, question, result, user="pat@agency.example", ms=50.0, **kw) -> int:
    return questionlog.record(settings, question, kw.pop("history_len", 0), result, user, ms, **kw)


def cli(capsys, *args) -> dict | str:
    from kb.cli import main
    from kb.config import get_settings

    get_settings.cache_clear()
    try:
        assert main(["report", *args]) == 0
    finally:
        get_settings.cache_clear()
    out = capsys.readouterr().out
    return json.loads(out) if "--json" in args else out


def test_report_counts_groups_the_same_question_and_lists_marked_down_answers(settings, capsys):
    log(settings, "How much does a T1 line cost?", MISSED)
    for q in ("What is the capital of France?", "what's France's capital city", "Which city is the capital of France?",
              "what is the capital of france"):
        log(settings, q, OFF, ms=20.0)
    down = log(settings, "FIXTURE: who approves pager orders?", ANSWERED, ms=900.0)
    questionlog.set_feedback(settings, down, rating=-1, comment="FIXTURE: that office closed")
    log(settings, "FIXTURE: who approves radio orders?", ANSWERED_TOO, user="lee@agency.example")
    rep = cli(capsys, "--json")
    assert rep["questions"] == 7 and rep["answer_rate"] == round(2 / 7, 4)
    first, second = rep["unanswered"]
    assert first["count"] == 4 and first["question"] == "What is the capital of France?"  # four ways of asking
    assert set(first["examples"]) == {"What is the capital of France?", "what's France's capital city",
                                      "Which city is the capital of France?", "what is the capital of france"}
    assert (second["question"], second["count"]) == ("How much does a T1 line cost?", 1)  # a different question
    assert rep["marked_down"] == [{"question": "FIXTURE: who approves pager orders?", "answer": ANSWERED["answer"],
                                   "comment": "FIXTURE: that office closed", "status": "answered",
                                   "asked_at": rep["marked_down"][0]["asked_at"], "user": "pat@agency.example",
                                   "id": down}]
    assert rep["top_sections"] == [{"section": "STMM 9-999.0", "count": 2}, {"section": "SAM 9999", "count": 1}]
    assert rep["slowest"][0]["question"] == "FIXTURE: who approves pager orders?"
    text = cli(capsys)
    assert "Answer rate:  29% (2 answered; 1 not_found, 4 out_of_scope)" in text
    assert "4 x What is the capital of France?" in text and "comment: FIXTURE: that office closed" in text


def test_since_leaves_out_older_questions(settings, capsys):
    log(settings, "FIXTURE: asked ten days ago", MISSED, now=datetime.now(timezone.utc) - timedelta(days=10))
    log(settings, "FIXTURE: asked today", ANSWERED)
    assert cli(capsys, "--json")["questions"] == 2
    recent = cli(capsys, "--since", "7", "--json")
    assert (recent["questions"], recent["answer_rate"], recent["unanswered"]) == (1, 1.0, [])
    assert "Questions:    1 in the last 7 days" in cli(capsys, "--since", "7")


def test_an_empty_log_reports_no_questions(settings, capsys):
    rep = cli(capsys, "--json")
    assert (rep["questions"], rep["answer_rate"], rep["unanswered"], rep["marked_down"]) == (0, None, [], [])
    assert "No questions logged" in cli(capsys)


def test_chosen_questions_join_the_evaluation_set_with_the_expectation_to_fill_in(settings):
    first = log(settings, "FIXTURE: who approves pager orders?", ANSWERED, session="s1")
    follow = log(settings, "and for radios?", MISSED, session="s1", history_len=1)
    rows = {r["id"]: r for r in questionlog.rows(settings)}
    assert evalset.add(settings, [rows[follow], rows[first]]) == 2
    assert evalset.add(settings, [rows[follow]]) == 0  # already there
    lines = [json.loads(x) for x in evalset.path(settings).read_text().splitlines()]
    assert [x["question"] for x in lines] == ["and for radios?", "FIXTURE: who approves pager orders?"]
    assert lines[0]["history"] == ["FIXTURE: who approves pager orders?"]  # a follow-up keeps its conversation
    for x in lines:  # the `kb eval` fields, the expectation left empty
        assert {"id", "question", "expect", "guide", "sources", "mentions"} <= set(x)
        assert (x["expect"], x["sources"], x["mentions"]) == ("", [], []) and "fill in" in x["note"]


def test_two_questions_asked_in_the_app_one_not_answered_are_in_kb_report(corpus_settings, tmp_path, monkeypatch,
                                                                          capsys):
    from tests import apphome

    apphome.use(monkeypatch, apphome.copy_home(corpus_settings.home, tmp_path / "home"))
    apphome.ask(apphome.ask(apphome.app().run(), apphome.SIGN), apphome.OFF_TOPIC)
    rep = cli(capsys, "--json")
    assert (rep["questions"], rep["answered"], rep["answer_rate"]) == (2, 1, 0.5)
    assert [(g["question"], g["count"], g["examples"]) for g in rep["unanswered"]] == \
           [(apphome.OFF_TOPIC, 1, [apphome.OFF_TOPIC])]
    assert "STMM 3-501.0" in [s["section"] for s in rep["top_sections"]]
