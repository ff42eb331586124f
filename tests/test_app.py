"""The Streamlit app through AppTest: chat, citations, guidance, draft download, lookup, export, feedback, escaping."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
SIGN = "Who must sign a CALNET exemption request?"


def _use_home(monkeypatch, home: Path) -> None:
    from kb.config import get_settings

    monkeypatch.setenv("KB_HOME", str(home))
    get_settings.cache_clear()


@pytest.fixture
def app(corpus_settings, monkeypatch):
    """A fresh session of the app over the ingested corpus."""
    from streamlit.testing.v1 import AppTest

    _use_home(monkeypatch, corpus_settings.home)
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception
    yield at
    from kb.config import get_settings

    get_settings.cache_clear()


@pytest.fixture
def downloads(monkeypatch):
    """What each download button would hand the browser: element id -> (file name, callable giving bytes)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    got: dict[str, tuple[str, object]] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, fn, mimetype, coordinates, file_name=None, *, element_id=""):
        got[element_id] = (file_name, fn)
        return original(self, fn, mimetype, coordinates, file_name=file_name, element_id=element_id)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return got


def ask(at, question: str):
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def download(at, downloads, key: str) -> tuple[str, bytes]:
    button = next(b for b in at.get("download_button") if b.id.endswith(key))
    name, fn = downloads[button.id]
    data = fn()
    return name, data.encode() if isinstance(data, str) else data


def test_chat_answers_with_markers_and_checkable_sources(app):
    ask(app, SIGN)
    users = [m for m in app.chat_message if m.name == "user"]
    assert [u.markdown[0].value for u in users] == [SIGN]
    body = texts(app)
    assert "Agency Information Officer \\(AIO\\), or equivalent **\\[1\\]**" in body  # answer with its marker
    assert "**\\[1\\]** [State Telecommunications Management Manual" in body  # source title linked ...
    assert "(https://cdt.ca.gov/services/calnet-policies/stmm-chapter-3-501-0)" in body  # ... to the official page
    assert "STMM 3\\-501\\.0 · Exemption Requests" in body  # section and heading
    assert "> All written requests must be signed" in body  # the exact quote
    # the quote expands to its section, highlighted, with a citation to copy
    ctx = next(e for e in app.expander if e.label.startswith("Read \\[1\\]"))
    assert ":orange-background[All written requests must be signed" in ctx.markdown[0].value
    assert "Non\\-exempt state agencies" in ctx.markdown[0].value  # the surrounding text, not only the quote
    assert ctx.code[0].value.startswith("STMM 3-501.0, State Telecommunications Management Manual")


def test_follow_up_uses_the_conversation(app, corpus_settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    ask(app, SIGN)
    ask(app, "and how long does it last?")
    assert len([m for m in app.chat_message if m.name == "assistant"]) == 2
    assert len(app.warning) == 0  # the follow-up is answered in context
    alone = ask(AppTest.from_file(APP, default_timeout=180).run(), "and how long does it last?")
    assert len(alone.warning) == 1  # the same words with no conversation are not answerable


def test_buying_elsewhere_in_plain_words_gets_the_exemption_path_and_the_signer(app):
    ask(app, "We found a cheaper wireless carrier than CALNET. Can our department just use them?")
    body = texts(app)
    assert "#### Request a CALNET exemption" in body  # the exemption path ...
    assert "STMM 3-501.0" in body or "SAM 4605" in body  # ... from its own sections ...
    assert any(f.key and f.key.startswith("draft_") for f in app.get("form"))  # ... with the draft
    ask(app, "Who has to sign that?")
    second = [m for m in app.chat_message if m.name == "assistant"][1]
    assert second.markdown[0].value.startswith("All written requests must be signed and submitted by the department")


def test_abstention_says_so_and_suggests_where_to_look(app):
    ask(app, "What is the capital of France?")
    assert "outside what this knowledge base covers" in app.warning[0].value
    body = texts(app)
    assert "Look up a section" in body and "GC 11541" in body
    assert "**Sources**" not in body
    ask(app, "What is the monthly price of a CALNET cellular data plan?")  # in the field, not in the documents
    footers = [c.value for c in app.caption if c.value.startswith(("Searched in", "Answered in"))]
    assert "outside what the documents cover, so nothing is quoted" in footers[0]
    assert "the documents do not state this; nothing here is cited as an answer" in footers[1]
    assert not any("quoted from the cited source" in f for f in footers)  # no claim of quotes that are not there


def test_a_notice_under_the_chat_input_says_what_the_assistant_is(app):
    notice = [c.value for c in app.caption if "Automated assistant" in c.value]
    assert notice == ["Automated assistant: it quotes the documents and can be wrong. The official State "
                      "Telecommunications Management Manual governs."]
    ask(app, SIGN)
    assert any("extractive: every sentence is quoted from the cited source" in c.value for c in app.caption)


def test_exemption_guidance_lists_cited_steps_and_downloads_the_filled_draft(app, downloads):
    ask(app, "Do I need an exemption to buy phone service from another carrier?")
    body = texts(app)
    assert "#### Request a CALNET exemption" in body
    steps = next(m.value for m in app.markdown if m.value.startswith("1. **"))
    lines = steps.split("\n")
    assert len(lines) >= 4 and all(line.rstrip().endswith("\\]**") for line in lines)  # every step cites
    assert "**What the request must contain**" in steps and "**Who signs it**" in steps and "**Where it goes**" in steps
    form = next(f for f in app.get("form") if f.key and f.key.startswith("draft_"))
    tid = form.key.split("_")[1]
    app.text_input(key=f"draft_{tid}_agency").set_value("FIXTURE Department of Examples")
    app.text_area(key=f"draft_{tid}_services").set_value("FIXTURE paging for field staff")
    form.button[0].click()
    app.run()
    name, data = download(app, downloads, f"draft_{tid}_md")
    md = data.decode()
    assert name.endswith(".md") and "FIXTURE paging for field staff" in md
    assert "**Why CALNET cannot meet the need:** [to be completed]" in md
    assert "## What the request must contain [" in md
    import docx

    name, data = download(app, downloads, f"draft_{tid}_docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert name.endswith(".docx") and "From: FIXTURE Department of Examples" in text


def test_calnet_guidance_covers_eligibility_and_forms_each_cited(app):
    ask(app, "How does a county order CALNET services?")
    body = texts(app)
    assert "#### Order through CALNET" in body
    steps = next(m.value for m in app.markdown if m.value.startswith("1. **"))
    assert "Authorization To Order \\(ATO\\)" in steps or "ATO" in steps
    assert "CATR/ATR" in steps and "Form 20" in steps
    assert all(line.rstrip().endswith("\\]**") for line in steps.split("\n"))


def test_lookup_by_reference_shows_the_section_with_source_and_citation(app):
    app.text_input(key="lookup_q").set_value("GC 11541").run()
    assert not app.exception
    tab = app.tabs[1]
    assert any("**GC 11541**" in m.value for m in tab.markdown)
    assert any(c.value.startswith("GC 11541, ") for c in tab.code)  # one click copies this


def test_lookup_by_keywords_lists_sections_with_highlighted_snippets(app):
    app.text_input(key="lookup_q").set_value("toll-free").run()
    tab = app.tabs[1]
    first = next(m.value for m in tab.markdown if m.value.startswith("**1. "))
    assert "STMM 0507\\.0" in first and "**toll**\\-**free**" in first.lower()
    reader = next(e for e in tab.expander if e.label == "Read the whole section")
    assert "cdt.ca.gov" in reader.markdown[0].value and len(reader.markdown[1].value) > len(first) / 2
    assert len(tab.code) >= 3


def test_export_answer_and_conversation_in_three_formats(app, downloads):
    from pypdf import PdfReader
    import docx

    ask(app, SIGN)
    ask(app, "How does a county order CALNET services?")
    read = {"md": lambda b: b.decode(),
            "docx": lambda b: "\n".join(p.text for p in docx.Document(io.BytesIO(b)).paragraphs),
            "pdf": lambda b: "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(b)).pages)}
    for fmt, reader in read.items():
        name, data = download(app, downloads, f"exp_all_{fmt}")
        text = reader(data)
        assert name.startswith("conversation-") and name.endswith("." + fmt)
        assert "Question 2: How does a county order CALNET services?" in text
        assert "All written requests must be signed" in text and "What the index held" in text
        assert "the cited sources govern" in text
        one_name, one = download(app, downloads, f"exp_1_{fmt}")
        assert one_name.startswith("answer-") and "Question 2" not in reader(one)


def test_feedback_thumbs_and_comment_are_stored(app, corpus_settings):
    from kb.feedback import Feedback

    before = len(Feedback(corpus_settings).rows())
    ask(app, SIGN)
    app.feedback[0].set_value(0).run()  # thumbs down
    rows = Feedback(corpus_settings).rows()
    assert len(rows) == before + 1 and rows[-1]["rating"] == -1 and rows[-1]["question"] == SIGN
    comment = next(t for t in app.text_input if t.key and t.key.startswith("fbc_"))
    comment.set_value("FIXTURE: missed the deputy director").run()
    app.feedback[0].set_value(1).run()  # changed to thumbs up: the same row
    rows = Feedback(corpus_settings).rows()
    assert len(rows) == before + 1
    assert (rows[-1]["rating"], rows[-1]["comment"]) == (1, "FIXTURE: missed the deputy director")
    assert "All written requests" in rows[-1]["citations"]


def test_sidebar_says_what_the_index_holds_and_how_to_add_documents(app):
    side = "\n".join(m.value for m in app.sidebar.markdown)
    assert "**29** documents" in side and "marked as fragments" in side and "Last ingest: 20" in side
    assert "*fragment*" in side and "kb ingest" in side


def test_document_and_question_text_is_shown_literally(tmp_path, monkeypatch):
    """Markdown or HTML inside a document or a question is displayed as text, never rendered."""
    from streamlit.testing.v1 import AppTest

    from kb.config import Settings
    from kb.indexer import Ingester

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "fixture-injection.md").write_text(
        "---\ntitle: FIXTURE pager manual <b>bold</b>\nsource: https://example.invalid/pager\n---\n"
        "# STMM 9-999.0 Fixture Pager Service\n\n## Policy\n\n"
        "FIXTURE: agencies shall order pager service from the fixture contract [click here](https://evil.invalid) "
        "<img src=x onerror=alert(1)> and keep the approval **on file** with $x$ and :red[colour].\n")
    home = tmp_path / "home"
    assert not Ingester(Settings(home=home, docs=docs)).run([docs]).failed
    _use_home(monkeypatch, home)
    at = AppTest.from_file(APP, default_timeout=180).run()
    ask(at, "Where must agencies order pager service from? <script>alert(1)</script> [x](https://evil.invalid)")
    at.text_input(key="lookup_q").set_value("pager approval").run()
    shown = [m for m in at.markdown] + [w for w in at.warning]
    assert not any(m.proto.allow_html for m in at.markdown)
    body = "\n".join(m.value for m in shown)
    assert not re.search(r"(?<!\\)<(?:script|img|b>)", body)  # every tag is escaped, so shown as text
    assert "\\<script\\>" in body
    assert "](https://evil" not in body and "\\[x\\]\\(https\\://evil" in body  # no live link from a question
    assert "\\<img src\\=x" in body  # nor an image from a document
    assert "\\$x\\$" in body and "\\:red\\[colour\\]" in body  # nor LaTeX or colour directives
    assert "[FIXTURE pager manual \\<b\\>bold\\</b\\>](https://example.invalid/pager)" in body  # title as text
    from kb.config import get_settings

    get_settings.cache_clear()


def test_the_server_process_loads_one_knowledge_base_and_answers_from_it(corpus_settings):
    from kb import serve

    first = serve.knowledge_base(corpus_settings)
    assert serve.knowledge_base(corpus_settings) is first  # the app's sessions and server start share it
    assert first.ask(SIGN)["status"] == "answered"


def test_llm_mode_shows_only_verified_sentences_with_their_sources(corpus_settings, monkeypatch):
    """With KB_LLM_URL set, the chat streams the model's answer, and a claim its passage does not
    support never appears: not while streaming, not in the answer that stays."""
    from streamlit.testing.v1 import AppTest

    from kb import view
    from kb.verify import SHORTENED
    from tests.fake_llm import FakeLLM
    from tests.test_llm import _copied

    fake = FakeLLM()
    try:
        fake.mode = "reply"
        fake.reply = lambda user: (f"{_copied(user, 1)} [1]. CALNET exemption requests are approved "
                                   f"automatically after 10 days [1]. {_copied(user, 2)} [2].")
        monkeypatch.setenv("KB_LLM_URL", fake.url)
        monkeypatch.setenv("KB_LLM_MODEL", "fixture-model")
        _use_home(monkeypatch, corpus_settings.home)
        at = ask(AppTest.from_file(APP, default_timeout=180).run(), SIGN)
        assert fake.requests and fake.requests[-1]["body"]["stream"] is True
        body = texts(at)
        assert "automatically" not in body
        assert "\\[1\\]" in body and view.escape_md(SHORTENED) in body  # the answer says it was shortened
        assert "> " in body and "[State Telecommunications Management Manual" in body  # sources under it
        assert any("worded by a language model; each sentence was checked" in c.value for c in at.caption)
    finally:
        fake.close()
        from kb.config import get_settings

        get_settings.cache_clear()
