"""The HTTP API on a live `kb api` (127.0.0.1): cited answers, look-ups, exports, tokens, limits and bad input."""
from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

SIGN = "Who must sign a CALNET exemption request?"


def call(api, method: str, path: str, token: str | None = "", **kw) -> httpx.Response:
    """A request with the fixture's token (token="" ), another token, or none (token=None)."""
    url, good = api
    headers = kw.pop("headers", {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token or good}"
    return httpx.request(method, url + path, headers=headers, timeout=180, **kw)


def ask(api, question: str, history=None) -> dict:
    r = call(api, "POST", "/v1/ask", json={"question": question, "history": history or []})
    assert r.status_code == 200, r.text
    return r.json()


def test_ask_returns_the_cited_answer_contract(api):
    r = ask(api, SIGN)
    assert r["status"] == "answered" and "Agency Information Officer (AIO)" in r["answer"]
    assert r["citations"][0]["section"] == "STMM 3-501.0"
    assert "All written requests must be signed" in r["citations"][0]["quote"]
    assert {"question", "status", "answer", "citations", "guidance", "timing_ms"} <= set(r)


def test_a_follow_up_is_read_with_its_history(api):
    alone = ask(api, "and how long does it last?")
    follow = ask(api, "and how long does it last?", history=[SIGN])
    assert alone["status"] != "answered"
    assert follow["status"] == "answered" and "limited term" in follow["answer"]


def test_without_a_valid_token_every_v1_route_says_401(api):
    routes = [("POST", "/v1/ask"), ("POST", "/v1/chat/completions"), ("GET", "/v1/lookup?ref=SAM+4605"),
              ("POST", "/v1/export"), ("GET", "/v1/models")]
    for method, path in routes:
        for token, headers in [(None, {}), ("wrong-token", {}), (None, {"Authorization": "fixture-token-a"})]:
            r = call(api, method, path, token=token, headers=headers, json={"question": SIGN})
            assert r.status_code == 401, (method, path, token, headers)
            assert "bearer token" in r.json()["error"]["message"] and r.headers["www-authenticate"] == "Bearer"
    assert call(api, "POST", "/v1/ask", token="fixture-token-a", json={"question": SIGN}).status_code == 200
    assert call(api, "GET", "/healthz", token=None).json()["status"] == "ok"  # the health check is open


def test_eight_clients_at_once_each_get_their_own_answer(api):
    questions = [SIGN, "How does a county order CALNET services?", "What does SAM 4605 require?",
                 "Where must an agency publish its toll-free numbers?"] * 2
    alone = {q: ask(api, q) for q in set(questions)}
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda q: ask(api, q), questions))
    assert [r["question"] for r in got] == questions
    assert [(r["answer"], r["citations"]) for r in got] == [(alone[q]["answer"], alone[q]["citations"])
                                                            for q in questions]


@pytest.mark.parametrize("body,status,param,words", [
    ('{"question": "Who must sign", }', 400, "body", "not valid JSON"),
    ('[1, 2]', 422, "body", "must be a JSON object"),
    ('{"history": []}', 422, "question", "Field required"),
    (json.dumps({"question": "x" * 10_000}), 422, "question", "10,000 characters; at most 2,000"),
    (json.dumps({"question": SIGN, "history": "not a list"}), 422, "history", "valid list"),
    (json.dumps({"question": SIGN, "colour": "red"}), 422, "colour", "Extra inputs"),
])
def test_bad_input_gets_a_4xx_that_names_the_field(api, body, status, param, words):
    r = call(api, "POST", "/v1/ask", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status, r.text
    assert r.json()["error"]["param"] == param and words in r.json()["error"]["message"]


def test_an_oversized_body_is_refused_with_the_limit_named(api):
    big = json.dumps({"question": SIGN, "history": ["x" * 1000] * 70}).encode()  # about 70 KB
    for content in (big, iter([big[:40_000], big[40_000:]])):  # with a Content-Length, and chunked
        r = call(api, "POST", "/v1/ask", content=content, headers={"Content-Type": "application/json"})
        assert r.status_code == 413
        assert "larger than the 64 KB limit" in r.json()["error"]["message"]


def test_lookup_gives_what_kb_lookup_json_gives(api, corpus_kb):
    from kb import lookup

    for ref in ("GC 11541", "toll-free"):
        r = call(api, "GET", "/v1/lookup", params={"ref": ref})
        assert r.status_code == 200 and r.json() == lookup.search(corpus_kb, corpus_kb.index(), ref, limit=10)
    assert call(api, "GET", "/v1/lookup", params={"ref": "GC 11541"}).json()["sections"][0]["ref"] == "GC 11541"
    r = call(api, "GET", "/v1/lookup")
    assert r.status_code == 422 and r.json()["error"]["param"] == "ref"


def test_export_returns_the_answers_as_markdown_docx_and_pdf(api):
    import docx
    from pypdf import PdfReader

    answers = [ask(api, SIGN), ask(api, "How does a county order CALNET services?")]
    read = {"md": lambda b: b.decode(), "docx": lambda b: "\n".join(p.text for p in docx.Document(io.BytesIO(b)).paragraphs),
            "pdf": lambda b: "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(b)).pages)}
    for fmt, reader in read.items():
        r = call(api, "POST", "/v1/export", json={"answers": answers, "format": fmt})
        assert r.status_code == 200
        assert r.headers["content-disposition"].startswith('attachment; filename="conversation-')
        text = reader(r.content)
        assert "Question 2: How does a county order CALNET services?" in text
        assert "All written requests must be signed" in text and "What the index held" in text
    broken = dict(answers[0], citations=[{"n": 1, "doc": "x.md"}])
    r = call(api, "POST", "/v1/export", json={"answers": [broken], "format": "pdf"})
    assert r.status_code == 422 and r.json()["error"]["param"] == "answers.0.citations.0.quote"
    r = call(api, "POST", "/v1/export", json={"answers": answers, "format": "xlsx"})
    assert r.status_code == 422 and r.json()["error"]["param"] == "format"


def test_the_docs_describe_every_route_and_the_bearer_scheme(api):
    assert "swagger" in call(api, "GET", "/docs", token=None).text.lower()
    spec = call(api, "GET", "/openapi.json", token=None).json()
    assert {"/v1/ask", "/v1/lookup", "/v1/export", "/v1/chat/completions", "/v1/models", "/healthz"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_kb_api_stays_on_loopback_unless_tokens_are_set(monkeypatch, capsys):
    from kb import cli
    from kb.config import get_settings

    monkeypatch.delenv("KB_API_TOKENS", raising=False)
    get_settings.cache_clear()
    try:
        assert cli.main(["api", "--host", "0.0.0.0", "--port", "9"]) == 2
    finally:
        get_settings.cache_clear()
    assert "refusing to listen on 0.0.0.0 without KB_API_TOKENS" in capsys.readouterr().err


def test_questions_asked_through_the_api_are_in_the_question_log(corpus_settings, tmp_path):
    from kb import questionlog
    from kb.api import answered

    settings = corpus_settings.model_copy(update={"home": tmp_path / "home"})
    result = {"status": "not_found", "answer": "The documents in this knowledge base don't cover this.",
              "citations": [], "guidance": None, "mode": "extractive", "timing_ms": {"total": 12.0}}
    answered(settings, "What is the fine for late invoices?", ["earlier"], result)
    rows = questionlog.rows(settings)
    assert [(r["question"], r["source"], r["status"], r["history_len"]) for r in rows] == [
        ("What is the fine for late invoices?", "api", "not_found", 1)]
