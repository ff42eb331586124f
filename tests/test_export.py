"""Export: an answer or a conversation as Markdown, DOCX and PDF, each file opened and read back."""
from __future__ import annotations

import io
import json
import re

import pytest

from kb import export

QUESTIONS = ["Who must sign a CALNET exemption request?", "How does a county order CALNET services?"]


@pytest.fixture(scope="module")
def conversation(corpus_settings):
    from kb.answer import KnowledgeBase

    kb = KnowledgeBase(corpus_settings)
    turns = []
    for q in QUESTIONS:
        history = [{"question": t["question"], "answer": t["result"]["answer"]} for t in turns]
        turns.append({"question": q, "result": kb.ask(q, history=history)})
    assert all(t["result"]["status"] == "answered" and t["result"]["citations"] for t in turns)
    return turns, export.snapshot(kb.index())


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_back(fmt: str, data: bytes) -> str:
    """The text a person sees when opening the exported file."""
    if fmt == "md":
        return data.decode("utf-8")
    if fmt == "docx":
        import docx

        d = docx.Document(io.BytesIO(data))
        links = [r._target for r in d.part.rels.values() if r.reltype.endswith("/hyperlink")]
        return "\n".join([p.text for p in d.paragraphs] + links)
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_conversation_export_holds_questions_answers_citations_snapshot_and_notice(conversation, fmt):
    turns, snap = conversation
    text = _flat(read_back(fmt, export.render(turns, snap, fmt, generated_at="2026-01-02 03:04 UTC")))
    norm = (lambda s: _flat(export.pdf_text(s))) if fmt == "pdf" else _flat
    assert "Generated 2026-01-02 03:04 UTC" in text
    assert norm(export.NOTICE) in text
    for t in turns:
        assert norm(t["question"]) in text
        first_sentence = t["result"]["answer"].split(" [1]")[0]
        assert norm(first_sentence) in text
        for c in t["result"]["citations"]:
            assert norm(c["quote"]) in text, c["quote"]
            assert c["url"] in text.replace(" ", "") or c["url"] in text
    # what the index held: every document, with its date when it has one
    for d in snap["documents"]:
        assert norm(d["title"]) in text or d["doc"] in text
    dated = next(d for d in snap["documents"] if d.get("date"))
    assert f"dated {dated['date']}" in text
    assert "[fragment]" in text


def test_single_answer_export_names_the_file_and_holds_only_that_answer(conversation):
    turns, snap = conversation
    md = export.render(turns[:1], snap, "md").decode()
    assert turns[0]["question"] in md and turns[1]["question"] not in md
    assert export.file_name(turns[:1], "pdf").startswith("answer-") and export.file_name(turns, "docx").endswith(".docx")


def test_unknown_format_is_refused(conversation):
    turns, snap = conversation
    with pytest.raises(ValueError, match="md, docx, pdf"):
        export.render(turns, snap, "odt")


def test_kb_export_from_saved_answers_writes_each_format(conversation, corpus_env, tmp_path):
    from kb.cli import main

    turns, _ = conversation
    saved = tmp_path / "answers.jsonl"  # as `kb ask --json` / `kb ask --file` print them
    saved.write_text("\n".join(json.dumps(t["result"]) for t in turns) + "\n")
    for fmt in ("md", "docx", "pdf"):
        out = tmp_path / f"conversation.{fmt}"
        assert main(["export", "--from", str(saved), "-o", str(out)]) == 0
        text = read_back(fmt, out.read_bytes())
        assert "Question 2" in text and "What the index held" in text


def test_kb_export_asks_questions_as_a_conversation(corpus_env, capsysbinary):
    from kb.cli import main

    assert main(["export", "-q", QUESTIONS[0], "-q", "and how long does it last?", "--format", "md"]) == 0
    md = capsysbinary.readouterr().out.decode()
    assert "## Question 2: and how long does it last?" in md
    assert "Answered from the documents" in md.split("## Question 2")[1]


def test_kb_export_without_questions_says_what_to_give(corpus_env, capsys):
    from kb.cli import main

    assert main(["export", "-o", "x.pdf"]) == 2
    assert "--question" in capsys.readouterr().err
