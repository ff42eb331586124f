"""Client for an OpenAI-compatible chat completions endpoint: one time budget, retries, streaming."""
from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx

from .config import Settings

RETRIES = 2  # extra attempts after a refused connection, a 429 or a 5xx
BACKOFF_S = 0.5  # first wait between attempts; doubles each time
RETRY_STATUS = {429, 500, 502, 503, 504}
MAX_TOKENS = 400


class LLMError(Exception):
    """The endpoint could not give an answer: unreachable, an error status, a timeout or a bad reply."""


class _Retryable(Exception):
    """An answer worth asking again for (a 429 or a 5xx)."""


def endpoint(url: str) -> str:
    """The chat completions URL from a base URL ('http://host:8080/v1') or the full path."""
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else f"{url}/chat/completions"


def _headers(settings: Settings) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if settings.llm_api_key:
        headers["Authorization"] = f"Bearer {settings.llm_api_key}"
    return headers


def _body(settings: Settings, messages: list[dict], stream: bool) -> dict:
    return {"model": settings.llm_model, "messages": messages, "temperature": 0,
            "max_tokens": MAX_TOKENS, "stream": stream}


def _attempts(settings: Settings, send):
    """Call send(timeout) until it succeeds, retrying what may pass on a second try, within the
    settings' time budget (KB_LLM_TIMEOUT_S covers all attempts together)."""
    deadline = time.monotonic() + settings.llm_timeout_s
    for attempt in range(RETRIES + 1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise LLMError(f"no reply within {settings.llm_timeout_s:g} s")
        try:
            return send(httpx.Timeout(left, connect=min(left, 5.0)), deadline)
        except httpx.TimeoutException as e:
            raise LLMError(f"no reply within {settings.llm_timeout_s:g} s") from e
        except (httpx.ConnectError, httpx.RemoteProtocolError, _Retryable) as e:
            if attempt == RETRIES:
                raise LLMError(f"endpoint failed: {e}") from e
            time.sleep(min(BACKOFF_S * 2 ** attempt, max(0.0, deadline - time.monotonic())))
        except httpx.HTTPError as e:
            raise LLMError(f"endpoint failed: {e}") from e


def _check_status(r: httpx.Response) -> None:
    if r.status_code in RETRY_STATUS:
        raise _Retryable(f"HTTP {r.status_code}")
    if r.status_code >= 400:
        raise LLMError(f"HTTP {r.status_code}: {r.text[:200]}")


def _content(payload) -> str:
    try:
        msg = payload["choices"][0]["message"]
        return msg.get("content") or ""
    except (KeyError, IndexError, TypeError, AttributeError) as e:
        raise LLMError("reply has no choices[0].message") from e


def chat(settings: Settings, messages: list[dict]) -> str:
    """The assistant's reply text (possibly empty); LLMError when there is no usable reply."""
    def send(timeout, deadline):
        with httpx.Client(timeout=timeout) as client:
            r = client.post(endpoint(settings.llm_url), json=_body(settings, messages, False),
                            headers=_headers(settings))
        _check_status(r)
        try:
            payload = r.json()
        except ValueError as e:
            raise LLMError("reply is not valid JSON") from e
        return _content(payload)

    return _attempts(settings, send)


def chat_stream(settings: Settings, messages: list[dict]) -> Iterator[str]:
    """Text deltas of the reply as the endpoint streams them (server-sent events). A failure before
    the first delta is retried like chat(); one after it raises LLMError."""
    client = httpx.Client()
    try:
        def open_stream(timeout, deadline):
            req = client.build_request("POST", endpoint(settings.llm_url), timeout=timeout,
                                       json=_body(settings, messages, True), headers=_headers(settings))
            r = client.send(req, stream=True)
            if r.status_code >= 400:
                r.read()
                r.close()
            _check_status(r)
            return r, deadline

        r, deadline = _attempts(settings, open_stream)
        try:
            yield from _events(r, deadline, settings.llm_timeout_s)
        except httpx.TimeoutException as e:
            raise LLMError(f"no reply within {settings.llm_timeout_s:g} s") from e
        except httpx.HTTPError as e:
            raise LLMError(f"stream broke off: {e}") from e
        finally:
            r.close()
    finally:
        client.close()


def _events(r: httpx.Response, deadline: float, budget: float) -> Iterator[str]:
    if not r.headers.get("content-type", "").startswith("text/event-stream"):
        r.read()  # an endpoint that ignores "stream": true answers in one piece
        try:
            yield _content(r.json())
        except ValueError as e:
            raise LLMError("reply is not valid JSON") from e
        return
    for line in r.iter_lines():
        if time.monotonic() > deadline:
            raise LLMError(f"no reply within {budget:g} s")
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            return
        try:
            choice = json.loads(data)["choices"][0]
        except (ValueError, KeyError, IndexError, TypeError) as e:
            raise LLMError("stream event is not valid JSON") from e
        delta = (choice.get("delta") or {}).get("content")
        if delta:
            yield delta
