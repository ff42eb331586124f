"""`kb ask` and `kb eval` from the command line: the JSON contract, JSON Lines, readable text."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest


@pytest.fixture
def env(corpus_settings):
    return {"KB_HOME": str(corpus_settings.home), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}


def _kb(env, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "kb.cli", *args], env=env, capture_output=True,
                          text=True, input=stdin)


def test_ask_file_gives_one_json_line_per_question_in_order(env, tmp_path):
    qs = tmp_path / "q.txt"
    qs.write_text("What is a CATR?\n\nWhat will the weather be in Sacramento tomorrow?\nSAM 4605\n")
    out = _kb(env, "ask", "--json", "--file", str(qs))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["question"] for r in rows] == ["What is a CATR?",
                                             "What will the weather be in Sacramento tomorrow?", "SAM 4605"]
    assert [r["status"] for r in rows] == ["answered", "out_of_scope", "answered"]


def test_plain_text_answer_lists_sources_with_quotes(env):
    out = _kb(env, "ask", "Where must an agency publish its toll-free numbers?")
    assert out.returncode == 0
    assert "[1]" in out.stdout and "California Regulatory Notice Register" in out.stdout
    assert "https://cdt.ca.gov/services/calnet-policies/stmm-chapter-0507-0" in out.stdout


def test_eval_reports_each_question_and_the_total(env, tmp_path):
    qs = tmp_path / "eval.jsonl"
    qs.write_text("\n".join(json.dumps(q) for q in [
        {"id": "a", "question": "What is a CATR?", "expect": "answer", "guide": None,
         "sources": ["stmm-glossary.md", "stmm-0300.0-catr-responsibilities.md"],
         "mentions": ["Chief Agency Telecommunications Representative"]},
        {"id": "b", "question": "Who won the 2022 World Cup?", "expect": "abstain", "guide": None,
         "sources": [], "mentions": []},
        {"id": "c", "question": "What is a CATR?", "expect": "answer", "guide": None,
         "sources": ["gc-11541.md"], "mentions": []},
    ]))
    out = _kb(env, "eval", str(qs), "--min-pass", "0.6")
    assert out.returncode == 0, out.stdout
    assert "PASS a:" in out.stdout and "PASS b:" in out.stdout and "FAIL c:" in out.stdout
    assert "passed 2/3" in out.stdout


def test_a_json_line_is_a_follow_up_read_with_its_earlier_questions(env, tmp_path):
    qs = tmp_path / "q.txt"
    qs.write_text(json.dumps({"question": "Who has to sign it?",
                              "history": ["How do I request a CALNET exemption?"]}) + "\n"
                  + json.dumps({"question": "which form registers them?",
                                "history": ["What does an Agency Telecommunications Representative do?"]}) + "\n")
    out = _kb(env, "ask", "--json", "--file", str(qs))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]  # earlier questions are not printed
    assert [r["question"] for r in rows] == ["Who has to sign it?", "which form registers them?"]
    assert "Agency Information Officer" in rows[0]["answer"]
    assert rows[1]["status"] == "answered" and "CDT-965" in rows[1]["answer"]
