"""OpenAI's chat completions protocol over cited answers: messages in, the answer with its sources out."""
from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable, Iterator

from pydantic import BaseModel, ConfigDict, Field

from .view import where

MODEL = "calnet-kb"  # the one model /v1/models lists
HISTORY = 10  # earlier turns (a user message and the reply to it) passed on as the conversation
PART = "\n\n"  # what a reply's guidance and sources each follow the answer after (see `sources`)


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str = Field(description="system, user, assistant, ...")
    content: str | list[dict] | None = Field(None, description="text, or a list of parts of type text")


class ChatRequest(BaseModel):
    """A chat completions request; sampling settings (temperature, max_tokens ...) are accepted and
    have no effect: the answer is the knowledge base's."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(MODEL, description=f"any name; replies say {MODEL!r} unless one is given")
    messages: list[Message] = Field(min_length=1, max_length=200)
    stream: bool = False


def text_of(message: Message) -> str:
    """A message's text: its content string, or its text parts joined."""
    if isinstance(message.content, list):
        return "\n".join(str(p.get("text", "")) for p in message.content if p.get("type") == "text")
    return message.content or ""


def conversation(req: ChatRequest) -> tuple[str | None, list[dict]]:
    """The question (the last user message) and the history: each user message before it, with the
    answer of the assistant reply that followed it (the reply up to its guidance and sources), so
    that a follow-up is read beside the sentences that answer quoted."""
    turns: list[dict] = []
    for m in req.messages:
        if m.role == "user":
            turns.append({"question": text_of(m)})
        elif m.role == "assistant" and turns and "answer" not in turns[-1]:
            turns[-1]["answer"] = text_of(m).split(PART)[0]
    if not turns:
        return None, []
    return turns[-1]["question"], turns[:-1][-HISTORY:]


def sources(result: dict) -> str:
    """What follows the answer text: guidance steps, then each citation with its source and quote."""
    parts = []
    g = result.get("guidance")
    if g:
        steps = [f"{k}. {s['text']} " + "".join(f"[{n}]" for n in s.get("cite", []))
                 for k, s in enumerate(g["steps"], 1)]
        parts.append(f"{g['title']}:\n" + "\n".join(steps))
    if result.get("citations"):
        lines = [f"[{c['n']}] {c['title']}" + (f" ({where(c)})" if where(c) else "")
                 + f", {c.get('url') or c['doc']}: \u201c{c['quote']}\u201d" for c in result["citations"]]
        parts.append("Sources:\n\n" + "\n\n".join(lines))
    return "".join(PART + p for p in parts)


def reply(result: dict) -> str:
    """The whole reply: the cited answer with its sources listed under it."""
    return result["answer"] + sources(result)


def _envelope(model: str, obj: str) -> dict:
    return {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": obj, "created": int(time.time()), "model": model}


def completion(model: str, result: dict) -> dict:
    """A chat.completion object holding the reply."""
    return {**_envelope(model, "chat.completion"), "choices": [
        {"index": 0, "message": {"role": "assistant", "content": reply(result)}, "finish_reason": "stop"}]}


def events(model: str, pieces: Iterable[str], result: Callable[[], dict]) -> Iterator[str]:
    """Server-sent events of chat.completion.chunk objects: the answer as it arrives, then its
    sources once `result()` holds the finished answer, then [DONE]. Joined, the deltas are reply()."""
    head = _envelope(model, "chat.completion.chunk")

    def chunk(delta: dict, finish: str | None = None) -> str:
        body = {**head, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for piece in pieces:
        if piece:
            yield chunk({"content": piece})
    rest = sources(result())
    if rest:
        yield chunk({"content": rest})
    yield chunk({}, "stop")
    yield "data: [DONE]\n\n"


def models() -> dict:
    return {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "calnet-kb"}]}
