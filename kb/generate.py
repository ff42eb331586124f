"""LLM mode: fluent answers from an OpenAI-compatible endpoint, kept only where each sentence is verified."""
from __future__ import annotations

import logging
import time
from contextvars import ContextVar

from . import llm, prompt
from .reply import split
from .verify import Verifier
from .wording import NOT_FOUND

log = logging.getLogger(__name__)
# Set by stream(): KnowledgeBase.ask then hands over its inputs instead of calling the endpoint.
_capture: ContextVar[dict | None] = ContextVar("kb_llm_capture", default=None)


def answer(settings, question: str, history: list[dict] | None, hits, extractive: dict) -> dict:
    """The LLM answer for a question the extractive pipeline answered, or that extractive answer
    (mode 'extractive') when the endpoint fails, abstains or no sentence survives verification."""
    box = _capture.get()
    if box is not None:
        box.update(settings=settings, question=question, history=history, hits=hits, extractive=extractive)
        return extractive
    t0 = time.perf_counter()
    passages = prompt.select(hits, extractive)
    checker = Verifier(passages)
    try:
        reply = llm.chat(settings, prompt.messages(question, history, passages, NOT_FOUND))
    except llm.LLMError as e:
        log.warning("LLM mode: %s; answering extractively", e)
        return finish(extractive, checker, t0)
    for sentence in split(reply):
        checker.feed(sentence, NOT_FOUND)
    return finish(extractive, checker, t0)


def prepare(kb, question: str, history: list[dict] | None = None) -> dict:
    """Run the extractive pipeline without calling the endpoint: {'extractive': result} and, when
    LLM mode would take over, also the settings, question, history and retrieved hits it would use."""
    box: dict = {}
    token = _capture.set(box)
    try:
        result = kb.ask(question, history)
    finally:
        _capture.reset(token)
    box["extractive"] = result
    return box


def finish(extractive: dict, checker: Verifier, t0: float) -> dict:
    """The final JSON contract: verified sentences with renumbered citations, or the extractive answer."""
    result = dict(extractive)
    ms = (time.perf_counter() - t0) * 1000
    timing = dict(extractive.get("timing_ms") or {})
    timing.update(llm=round(ms, 1), answer=round(timing.get("answer", 0.0) + ms, 1),
                  total=round(timing.get("total", 0.0) + ms, 1))
    result.update(timing_ms=timing, dropped=checker.dropped, mode="extractive")
    if checker.claims == 0:
        return result
    cites = checker.citations()
    result.update(answer=checker.answer(), citations=cites, mode="llm",
                  guidance=_guidance(extractive, cites))
    return result


def _guidance(extractive: dict, cites: list[dict]) -> dict | None:
    """The extractive guidance, its step citations re-pointed at (or appended to) the new list."""
    guide = extractive.get("guidance")
    if not guide:
        return guide
    old = {c["n"]: c for c in extractive.get("citations") or []}
    steps = []
    for step in guide.get("steps", []):
        ns = []
        for n in step.get("cite", []):
            c = old.get(n)
            if c is None:
                continue
            m = next((x["n"] for x in cites if x["doc"] == c["doc"] and c["quote"] in x["quote"]), None)
            if m is None:
                m = len(cites) + 1
                cites.append(dict(c, n=m))
            ns.append(m)
        steps.append(dict(step, cite=ns))
    return dict(guide, steps=steps)


class Stream:
    """Streaming LLM answer for the app: iterate for the answer text, verified sentence by sentence
    (`st.write_stream(s)`); afterwards `s.result` holds the same JSON contract as KnowledgeBase.ask.
    Without LLM mode, or when the question is not answered, the whole answer comes as one piece."""

    def __init__(self, kb, question: str, history: list[dict] | None = None):
        self.kb, self.question, self.history = kb, question, history
        self.result: dict | None = None

    def __iter__(self):
        box = prepare(self.kb, self.question, self.history)
        extractive = box["extractive"]
        if "hits" not in box:
            self.result = extractive
            yield extractive["answer"]
            return
        t0 = time.perf_counter()
        passages = prompt.select(box["hits"], extractive)
        checker = Verifier(passages)
        msgs = prompt.messages(box["question"], box["history"], passages, NOT_FOUND)
        shown, buffer, done = 0, "", 0
        try:
            for delta in llm.chat_stream(box["settings"], msgs):
                buffer += delta
                units = split(buffer)
                for sentence in units[done:-1]:  # the last unit may still be growing
                    checker.feed(sentence, NOT_FOUND)
                done = max(done, len(units) - 1)
                if checker.claims and shown < len(checker.kept):
                    yield (" " if shown else "") + " ".join(checker.kept[shown:])
                    shown = len(checker.kept)
            for sentence in split(buffer)[done:]:
                checker.feed(sentence, NOT_FOUND)
        except llm.LLMError as e:
            log.warning("LLM mode: %s", e)
        self.result = finish(extractive, checker, t0)
        text = self.result["answer"]
        prefix = " ".join(checker.kept[:shown])
        yield text[len(prefix):] if self.result["mode"] == "llm" and text.startswith(prefix) else text


def stream(kb, question: str, history: list[dict] | None = None) -> Stream:
    """See Stream: `s = stream(kb, q, history); st.write_stream(s); show(s.result)`."""
    return Stream(kb, question, history)
