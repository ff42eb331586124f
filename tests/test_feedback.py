"""Feedback: thumbs up or down and a comment per answer, in SQLite under KB_HOME, exported as CSV."""
from __future__ import annotations

import csv
import io
import json

import pytest

from kb.feedback import Feedback

# FIXTURE answers: made up by the tests, not policy text.
ANSWER = {"question": "FIXTURE: who approves pager orders?", "status": "answered",
          "answer": "FIXTURE: the fixture office approves pager orders [1].",
          "citations": [{"n": 1, "doc": "fixture.md", "title": "FIXTURE manual", "section": "STMM 9-999.0",
                         "heading": "Policy", "page": None, "url": "https://example.invalid/fixture",
                         "quote": "FIXTURE: the fixture office approves pager orders."}]}
ABSTAINED = {"question": "FIXTURE: what is the weather?", "status": "out_of_scope",
             "answer": "FIXTURE: outside what this knowledge base covers.", "citations": []}


@pytest.fixture
def fb(settings):
    return Feedback(settings)


def test_ratings_and_comments_are_kept_in_sqlite_under_kb_home(fb, settings):
    up = fb.add(ANSWER, 1)
    down = fb.add(ABSTAINED, -1, comment="FIXTURE: should have known this")
    fb.update(up, comment="FIXTURE: exactly right")
    assert fb.path == settings.home / "feedback.sqlite" and fb.path.exists()
    rows = Feedback(settings).rows()  # a new reader sees what was stored
    assert [(r["id"], r["rating"], r["status"]) for r in rows] == [(up, 1, "answered"), (down, -1, "out_of_scope")]
    assert rows[0]["comment"] == "FIXTURE: exactly right"
    assert json.loads(rows[0]["citations"])[0]["quote"] == ANSWER["citations"][0]["quote"]
    fb.update(down, rating=1)
    assert Feedback(settings).counts() == {"total": 2, "up": 2, "down": 0, "path": str(fb.path)}


def test_only_thumbs_up_or_down_is_accepted(fb):
    with pytest.raises(ValueError):
        fb.add(ANSWER, 0)
    assert fb.rows() == []


def test_kb_feedback_export_csv_to_stdout_and_file(fb, settings, tmp_path, capsys):
    from kb.cli import main
    from kb.config import get_settings

    fb.add(ANSWER, 1, comment='FIXTURE: "quoted", with a comma')
    fb.add(ABSTAINED, -1)
    get_settings.cache_clear()
    try:
        assert main(["feedback", "--export", "csv"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        out = tmp_path / "feedback.csv"
        assert main(["feedback", "--export", "csv", "-o", str(out)]) == 0
        assert main(["feedback"]) == 0
        assert "2 ratings (1 up, 1 down)" in capsys.readouterr().out
    finally:
        get_settings.cache_clear()
    assert [r["rating"] for r in rows] == ["1", "-1"]
    assert rows[0]["comment"] == 'FIXTURE: "quoted", with a comma'
    assert rows[0]["question"] == ANSWER["question"] and rows[1]["status"] == "out_of_scope"
    assert list(rows[0]) == ["id", "created_at", "question", "status", "answer", "rating", "comment", "citations"]
    with open(out, newline="", encoding="utf-8") as f:
        assert list(csv.DictReader(f)) == rows


def test_export_with_no_feedback_yet_is_just_the_header(fb):
    out = io.StringIO()
    assert fb.write_csv(out) == 0
    assert out.getvalue().strip() == "id,created_at,question,status,answer,rating,comment,citations"
