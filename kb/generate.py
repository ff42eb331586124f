"""LLM mode: fluent answers from the configured LLM (kb/llm.py), kept only where each sentence is verified."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator

from . import facts, llm, prompt
from .readers import Draft
from .reply import split
from .verify import Verifier
from .wording import NOT_FOUND

log = logging.getLogger(__name__)


class LLMReader:
    """Reads a draft with the model: the LLM answer for a question the extractive pipeline
    answered, or that extractive answer (mode 'extractive') when the endpoint fails, abstains or no
    sentence survives verification. Questions the pipeline did not answer never reach the model."""

    mode = "llm"

    def __init__(self, settings):
        self.settings = settings
        self.client = llm.Client(settings)

    def read(self, draft: Draft) -> dict:
        if not draft.answered:
            return draft.result
        t0 = time.perf_counter()
        passages = prompt.select(draft.hits, draft.result)
        checker = Verifier(passages)
        try:
            reply = self.client.chat(self._messages(draft, passages))
        except llm.LLMError as e:
            log.warning("LLM mode: %s; answering extractively", e)
            return finish(draft.result, checker, t0)
        for sentence in split(reply):
            checker.feed(sentence, NOT_FOUND)
        return keep_fact(draft, finish(draft.result, checker, t0))

    def pieces(self, draft: Draft, out: dict) -> Iterator[str]:
        """Verified sentences as the model streams them; out['result'] is set at the end."""
        extractive = draft.result
        if not draft.answered:
            out["result"] = extractive
            yield extractive["answer"]
            return
        t0 = time.perf_counter()
        passages = prompt.select(draft.hits, extractive)
        checker = Verifier(passages)
        shown, buffer, done = 0, "", 0
        try:
            for delta in self.client.stream(self._messages(draft, passages)):
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
        result = out["result"] = keep_fact(draft, finish(extractive, checker, t0))
        text = result["answer"]
        prefix = " ".join(checker.kept[:shown])
        yield text[len(prefix):] if result["mode"] == "llm" and text.startswith(prefix) else text

    @staticmethod
    def _messages(draft: Draft, passages) -> list[dict]:
        return prompt.messages(draft.question, draft.history, passages, NOT_FOUND)


def keep_fact(draft: Draft, result: dict) -> dict:
    """The extractive answer instead of a fluent one that leaves out the kind of fact asked for
    (a number to call, an amount, a date ...) when the extractive answer states it."""
    asked = facts.asked(draft.question)
    if result.get("mode") != "llm" or not asked.strict or facts.holds(asked.kind, result["answer"], draft.question) \
            or not facts.holds(asked.kind, draft.result["answer"], draft.question):
        return result
    return dict(draft.result, timing_ms=result["timing_ms"], dropped=result["dropped"],
                fallback=f"the fluent answer left out the {asked.kind} asked for")


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
