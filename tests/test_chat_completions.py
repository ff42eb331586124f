"""OpenAI-compatible chat completions on a live `kb api`, through the official openai client."""
from __future__ import annotations

import httpx
import openai
import pytest

SIGN = "Who must sign a CALNET exemption request?"


def client(api, token: str | None = None) -> openai.OpenAI:
    url, good = api
    return openai.OpenAI(base_url=f"{url}/v1", api_key=token or good, max_retries=0, timeout=180)


def ask(api, question: str, history=None) -> dict:
    url, token = api
    return httpx.post(f"{url}/v1/ask", json={"question": question, "history": history or []},
                      headers={"Authorization": f"Bearer {token}"}, timeout=180).json()


def chat(api, messages, **kw):
    return client(api).chat.completions.create(model="calnet-kb", messages=messages, **kw)


def test_the_reply_is_the_cited_answer_with_its_sources_under_it(api):
    expected = ask(api, SIGN)
    c = chat(api, [{"role": "system", "content": "You are a helpful assistant."}, {"role": "user", "content": SIGN}])
    text = c.choices[0].message.content
    assert c.choices[0].finish_reason == "stop" and c.model == "calnet-kb"
    assert text.startswith(expected["answer"] + "\n\n")
    sources = text.split("Sources:", 1)[1]
    for cite in expected["citations"]:
        assert f"[{cite['n']}] {cite['title']}" in sources and cite["quote"] in sources and cite["url"] in sources


def test_streaming_gives_the_same_reply_piece_by_piece(api):
    whole = chat(api, [{"role": "user", "content": SIGN}]).choices[0].message.content
    pieces = [ch.choices[0].delta.content or "" for ch in chat(api, [{"role": "user", "content": SIGN}], stream=True)]
    assert "".join(pieces) == whole and len([p for p in pieces if p]) >= 2


def test_earlier_user_messages_are_the_history(api):
    follow = "and how long does it last?"
    c = chat(api, [{"role": "user", "content": SIGN}, {"role": "assistant", "content": "FIXTURE earlier reply"},
                   {"role": "user", "content": [{"type": "text", "text": follow}]}])
    expected = ask(api, follow, history=[SIGN])
    assert expected["status"] == "answered"
    assert c.choices[0].message.content.startswith(expected["answer"] + "\n\n")
    alone = chat(api, [{"role": "user", "content": follow}]).choices[0].message.content
    assert alone == ask(api, follow)["answer"] and "Sources:" not in alone  # an abstention cites nothing


def test_a_wrong_key_is_refused_and_the_model_is_listed(api):
    with pytest.raises(openai.AuthenticationError):
        client(api, "wrong-token").chat.completions.create(model="calnet-kb", messages=[{"role": "user", "content": SIGN}])
    assert [m.id for m in client(api).models.list()] == ["calnet-kb"]


def test_a_conversation_without_a_question_gets_a_4xx_with_a_message(api):
    with pytest.raises(openai.UnprocessableEntityError, match="no user message"):
        chat(api, [{"role": "system", "content": "You are a helpful assistant."}])
    with pytest.raises(openai.UnprocessableEntityError, match="at most 2,000"):
        chat(api, [{"role": "user", "content": "x" * 10_000}])


def test_each_earlier_question_is_passed_on_with_the_answer_that_followed_it():
    from kb.openai_compat import ChatRequest, conversation

    req = ChatRequest(messages=[{"role": "system", "content": "be brief"},
                                {"role": "user", "content": "Who signs it?"},
                                {"role": "assistant", "content": "The AIO signs it [1].\n\nSources:\n\n[1] SAM 4605"},
                                {"role": "user", "content": "And then?"}, {"role": "user", "content": "Where to?"}])
    question, history = conversation(req)
    assert question == "Where to?"
    assert history == [{"question": "Who signs it?", "answer": "The AIO signs it [1]."}, {"question": "And then?"}]
