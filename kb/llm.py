"""LLM mode's model through llama-index: OpenAILike for any OpenAI-compatible endpoint, or Azure OpenAI."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from .config import Settings

RETRIES = 2  # extra attempts after a refused connection, a 429 or a 5xx
BACKOFF_S = 0.5  # first wait between attempts; doubles each time
MAX_TOKENS = 400
NO_KEY = "no-key"
AZURE_MODEL = "gpt-4o-mini"  # Azure's model name when KB_LLM_MODEL is unset (the deployment decides)


class LLMError(Exception):
    """The endpoint could not give an answer: unreachable, an error status, a timeout or a bad reply."""


class SetupError(RuntimeError):
    """LLM mode is configured but cannot start (its provider package is not installed)."""


def base_url(url: str) -> str:
    """The API base from KB_LLM_URL, given as a base ('http://host:8080/v1') or the full path."""
    return url.rstrip("/").removesuffix("/chat/completions")


def build(settings: Settings):
    """The llama-index LLM the settings name. Retries are off (max_retries=0): Client makes them."""
    # An endpoint without keys gets a placeholder (the openai client refuses none), never the
    # OPENAI_API_KEY of the environment, which belongs to another service.
    common = dict(temperature=0, max_tokens=MAX_TOKENS, max_retries=0, timeout=settings.llm_timeout_s,
                  api_key=settings.llm_api_key or NO_KEY)
    try:
        if settings.llm_provider == "azure":
            if not settings.llm_api_key:
                raise SetupError("KB_LLM_PROVIDER=azure needs the resource's key in KB_LLM_API_KEY")
            from llama_index.llms.azure_openai import AzureOpenAI

            return AzureOpenAI(engine=settings.azure_deployment, model=settings.llm_model or AZURE_MODEL,
                               azure_endpoint=settings.azure_endpoint,
                               api_version=settings.azure_api_version, **common)
        from llama_index.llms.openai_like import OpenAILike

        return OpenAILike(model=settings.llm_model, api_base=base_url(settings.llm_url or ""),
                          is_chat_model=True, **common)
    except ImportError as e:
        extra = "azure" if settings.llm_provider == "azure" else "llm"
        raise SetupError(f"LLM mode needs the `{extra}` extra ({e.name} is not installed): "
                         f"pip install -e '.[{extra}]'") from e


class Client:
    """One LLM for a reader: chat() and stream() within KB_LLM_TIMEOUT_S, retries included."""

    def __init__(self, settings: Settings):
        self.budget = settings.llm_timeout_s
        self.model = build(settings)

    def chat(self, messages: list[dict]) -> str:
        """The assistant's reply text (possibly empty); LLMError when there is no usable reply."""
        reply = self._attempts(lambda timeout: self.model.chat(_chat_messages(messages), timeout=timeout))
        return reply.message.content or ""

    def stream(self, messages: list[dict]) -> Iterator[str]:
        """Text deltas of the reply as they arrive. A failure before the first delta is retried like
        chat(); one after it, or running past the budget, raises LLMError."""
        deadline = time.monotonic() + self.budget

        def first(timeout):
            gen = self.model.stream_chat(_chat_messages(messages), timeout=timeout)
            return gen, next(gen, None)  # the request is sent on the first next()

        gen, head = self._attempts(first, deadline)
        try:
            while head is not None:
                if head.delta:
                    yield head.delta
                if time.monotonic() > deadline:
                    raise LLMError(f"no reply within {self.budget:g} s")
                head = next(gen, None)
        except LLMError:
            raise
        except Exception as e:
            raise _error(e, self.budget) from e

    def _attempts(self, send: Callable, deadline: float | None = None):
        """Call send(timeout) until it succeeds, within one time budget for all attempts.

        The smallest wrapper the library leaves: llama-index retries with tenacity (waits of 1 to 20 s,
        up to 60 s) around the openai client's own retries, each with its own clock, and the client
        honours Retry-After up to 60 s. KB_LLM_TIMEOUT_S is one budget for the whole answer, so both
        are off and the attempts are made here, each with the time that is left."""
        import httpx
        import openai

        deadline = deadline or time.monotonic() + self.budget
        for attempt in range(RETRIES + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                raise LLMError(f"no reply within {self.budget:g} s")
            try:
                return send(httpx.Timeout(left, connect=min(left, 5.0)))
            except openai.APITimeoutError as e:
                raise LLMError(f"no reply within {self.budget:g} s") from e
            except (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError) as e:
                if attempt == RETRIES:
                    raise LLMError(f"endpoint failed: {e}") from e
                time.sleep(min(BACKOFF_S * 2 ** attempt, max(0.0, deadline - time.monotonic())))
            except Exception as e:
                raise _error(e, self.budget) from e


def _error(e: Exception, budget: float) -> LLMError:
    """An LLMError for what went wrong: an error status, a timeout, or a reply that is not JSON."""
    import httpx
    import openai

    if isinstance(e, (openai.APITimeoutError, httpx.TimeoutException)):
        return LLMError(f"no reply within {budget:g} s")
    if isinstance(e, ValueError):
        return LLMError(f"reply is not valid JSON: {e}")
    return LLMError(f"endpoint failed: {type(e).__name__}: {e}")


def _chat_messages(messages: list[dict]):
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role=m["role"], content=m["content"]) for m in messages]
