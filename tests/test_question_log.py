"""The question log: what is recorded for each question, feedback on it, retention, KB_QUESTION_LOG=off, and
question text (HTML, 10,000 characters) stored and shown as text."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from kb import audit, questionlog
from tests import apphome

# FIXTURE answer: made up by the tests, not policy text.
RESULT = {"question": "FIXTURE: who approves pager orders?", "status": "answered", "mode": "extractive",
          "answer": "FIXTURE: the fixture office approves pager orders [1].",
          "citations": [{"n": 1, "section": "STMM 9-999.0", "quote": "FIXTURE"},
                        {"n": 2, "section": "STMM 9-999.0", "quote": "FIXTURE again"},
                        {"n": 3, "section": None, "quote": "FIXTURE, no section"}],
          "guidance": {"path": "calnet", "title": "FIXTURE", "steps": []}}


@pytest.fixture
def home(corpus_settings, tmp_path, monkeypatch):
    """KB_HOME holding the ingested corpus and no recorded questions; settings read from it."""
    yield from apphome.private_home(corpus_settings, tmp_path, monkeypatch)


def test_a_question_is_recorded_with_who_when_status_route_mode_sections_latency_and_feedback(settings):
    row = questionlog.record(settings, RESULT["question"], 2, RESULT, "pat@agency.example", 123.45, session="s1")
    assert questionlog.path(settings) == settings.home / "questions.sqlite"
    [r] = questionlog.rows(settings)
    assert r["id"] == row and r["user"] == "pat@agency.example" and r["history_len"] == 2
    assert (r["status"], r["route"], r["mode"], r["latency_ms"]) == ("answered", "calnet", "extractive", 123.5)
    assert r["sections"] == ["STMM 9-999.0"]  # each cited section once
    assert datetime.fromisoformat(r["asked_at"]) > datetime.now(timezone.utc) - timedelta(minutes=1)
    assert r["rating"] is None
    questionlog.set_feedback(settings, row, rating=-1)
    questionlog.set_feedback(settings, row, comment="  FIXTURE: wrong office ")
    [r] = questionlog.rows(settings)
    assert (r["rating"], r["comment"]) == (-1, "FIXTURE: wrong office")


def test_rows_older_than_the_retention_are_deleted(settings):
    settings = settings.model_copy(update={"log_retention_days": 30})
    now = datetime.now(timezone.utc)
    questionlog.record(settings, "FIXTURE: asked 31 days ago", 0, RESULT, "a", 1.0, now=now - timedelta(days=31))
    questionlog.record(settings, "FIXTURE: asked 20 days ago", 0, RESULT, "a", 1.0, now=now - timedelta(days=20))
    audit.record(settings, "a", "export", now=now - timedelta(days=31))
    assert len(questionlog.rows(settings)) == 2 and len(audit.rows(settings)) == 1  # nothing had expired then
    questionlog.record(settings, "FIXTURE: asked today", 0, RESULT, "a", 1.0)
    assert [r["question"] for r in questionlog.rows(settings)] == ["FIXTURE: asked 20 days ago", "FIXTURE: asked today"]
    assert audit.rows(settings) == []
    assert questionlog.prune(settings, now=now + timedelta(days=11)) == 1  # eleven days on, the next one goes


def test_kb_question_log_off_records_nothing(settings, monkeypatch):
    from kb.config import Settings

    monkeypatch.setenv("KB_QUESTION_LOG", "off")
    monkeypatch.setenv("KB_LOG_RETENTION_DAYS", "7")
    off = Settings(home=settings.home)
    assert (off.question_log, off.log_retention_days) == (False, 7)
    assert questionlog.record(off, "FIXTURE", 0, RESULT, "a", 1.0) is None
    questionlog.set_feedback(off, None, rating=1)
    assert not questionlog.path(off).exists()


def test_the_app_logs_each_question_and_the_thumbs_given(home):
    at = apphome.ask(apphome.app().run(), apphome.SIGN)
    assert any("Questions asked here are recorded" in c.value and "90 days" in c.value for c in at.caption)
    apphome.ask(at, "and how long does it last?")
    at.feedback[1].set_value(0).run()  # thumbs down on the follow-up
    first, second = questionlog.rows(kb_settings())
    assert first["user"].startswith("anon-") and first["user"] == second["user"]  # one anonymous session
    assert first["question"] == apphome.SIGN and first["status"] == "answered" and "STMM 3-501.0" in first["sections"]
    assert (first["history_len"], second["history_len"]) == (0, 1)
    assert second["rating"] == -1 and first["rating"] is None
    assert 0 < first["latency_ms"] < 120_000 and first["mode"] == "extractive"


def test_with_the_log_off_the_app_records_nothing_and_says_nothing_about_it(home, monkeypatch):
    apphome.use(monkeypatch, home, question_log="off")
    at = apphome.ask(apphome.app().run(), apphome.SIGN)
    assert not any("recorded" in c.value for c in at.caption)
    assert questionlog.rows(kb_settings()) == []


def test_html_and_a_10000_character_question_are_stored_and_shown_as_text(home, monkeypatch):
    apphome.use(monkeypatch, home, maintainers="*")
    html = "<script>alert('x')</script><b>bold</b> [link](https://evil.invalid) who signs an exemption?"
    long = ("FIXTURE pasted memo about pager service. " * 250)[:10_000]
    at = apphome.ask(apphome.ask(apphome.app().run(), html), long)
    assert [r["question"] for r in questionlog.rows(kb_settings())] == [html, long]  # stored exactly
    at.switch_page("app_pages/maintainers.py").run()
    assert not at.exception
    assert not any(m.proto.allow_html for m in at.markdown)
    shown = "\n".join(m.value for m in at.markdown)
    assert not re.search(r"(?<!\\)<(?:script|b>)", shown) and "](https://evil" not in shown
    log = next(d.value for d in at.dataframe if "history_len" in d.value.columns)  # the table of all questions
    cells = log["question"].tolist()  # holds the text itself
    assert cells == [long, html]


def kb_settings():
    from kb.config import get_settings

    return get_settings()
