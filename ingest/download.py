"""Polite HTTP downloads: per-host delay, timeouts, retries with back-off, a size cap, HTML or PDF only."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urlsplit

import httpx

HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPES = {"application/pdf", "application/x-pdf"}
UNSURE_TYPES = {"", "application/octet-stream", "binary/octet-stream"}


def _user_agent() -> str:
    try:
        v = version("calnet-kb")
    except PackageNotFoundError:
        v = "0.1"
    return f"calnet-kb/{v} (California telecom policy knowledge base; fetches official policy pages)"


@dataclass
class FetchConfig:
    """How politely and how far to download."""

    user_agent: str = field(default_factory=_user_agent)
    rate_s: float = 1.0  # pause between two requests to the same host
    timeout_s: float = 20.0  # waiting for the server to answer or to send more bytes
    connect_timeout_s: float = 5.0
    retries: int = 2  # further tries after a timeout, a 5xx or a dropped connection
    backoff_s: float = 1.0  # first pause before a retry, doubled each time
    max_bytes: int = 25 * 1024 * 1024


class FetchFailed(Exception):
    """A download that did not produce a usable page; the message is the plain reason."""


class Unreachable(FetchFailed):
    """The host could not be connected to at all (no network, wrong name, nothing listening)."""


@dataclass
class Reply:
    """What a GET gave: a new body (`ok`), `not_modified` (304) or `gone` (404/410)."""

    outcome: str
    status: int
    body: bytes = b""
    ext: str = ""  # html or pdf
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    url: str = ""  # after redirects
    phrase: str = ""  # the HTTP reason phrase, e.g. "Not Found"


def _mb(n: int) -> str:
    return f"{n / 1048576:.2f}".rstrip("0").rstrip(".") + " MB"


def _short(e: Exception) -> str:
    text = str(e).strip() or type(e).__name__
    return text.splitlines()[0][:160]


def sniff(body: bytes, content_type: str) -> str:
    """`pdf` or `html` from the body's first bytes and the declared type; FetchFailed otherwise."""
    head = body[:1024].lstrip().lower()
    if head.startswith(b"%pdf-"):
        return "pdf"
    if content_type in HTML_TYPES or (content_type in UNSURE_TYPES
                                      and (head.startswith(b"<!doctype html") or b"<html" in head)):
        return "html"
    if content_type in PDF_TYPES:
        raise FetchFailed(f"declared as PDF (Content-Type {content_type}) but the body is not a PDF")
    raise FetchFailed(f"not HTML or PDF (Content-Type {content_type or 'missing'})")


class Downloader:
    """One HTTP client for a fetch run; remembers hosts that could not be reached."""

    def __init__(self, config: FetchConfig, transport: httpx.BaseTransport | None = None):
        self.config = config
        self.client = httpx.Client(
            headers={"User-Agent": config.user_agent}, follow_redirects=True, max_redirects=5,
            timeout=httpx.Timeout(config.timeout_s, connect=config.connect_timeout_s),
            transport=transport)
        self.last: dict[str, float] = {}
        self.down: dict[str, str] = {}  # host -> why it could not be reached
        self.answered = False  # some host replied during this run

    def close(self) -> None:
        self.client.close()

    def _wait(self, host: str) -> None:
        gap = self.config.rate_s - (time.monotonic() - self.last.get(host, float("-inf")))
        if gap > 0:
            time.sleep(gap)

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Reply:
        """Download one address, retrying timeouts, 5xx and dropped connections with back-off."""
        host = urlsplit(url).netloc.lower()
        if host in self.down:
            raise Unreachable(f"cannot reach {host} ({self.down[host]})")
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        reason, connect_failed = "", False
        tries = self.config.retries + 1
        for attempt in range(tries):
            if attempt:
                time.sleep(self.config.backoff_s * 2 ** (attempt - 1))
            self._wait(host)
            try:
                reply = self._once(url, headers)
            except (httpx.ConnectError, httpx.ConnectTimeout) as e:
                reason, connect_failed = f"connection failed: {_short(e)}", True
                if not self.answered:
                    break  # nothing has answered yet: do not wait on retries, it may be no network
                continue
            except httpx.TimeoutException:
                reason, connect_failed = f"timed out (no reply within {self.config.timeout_s:g} s)", False
                continue
            except httpx.TooManyRedirects:
                raise FetchFailed("too many redirects") from None
            except httpx.TransportError as e:
                reason, connect_failed = f"connection dropped: {_short(e)}", False
                continue
            finally:
                self.last[host] = time.monotonic()
            self.answered = True
            if reply.status >= 500:
                reason, connect_failed = f"HTTP {reply.status} {reply.phrase}".strip(), False
                continue
            return reply
        if connect_failed:
            self.down[host] = reason
            raise Unreachable(f"cannot reach {host} ({reason})")
        tried = f" after {tries} tries" if tries > 1 else ""
        raise FetchFailed(f"{reason}{tried}")

    def _once(self, url: str, headers: dict) -> Reply:
        cap = self.config.max_bytes
        with self.client.stream("GET", url, headers=headers) as r:
            code = r.status_code
            if code >= 500:
                return Reply("error", code, phrase=r.reason_phrase)
            if code == 304:
                return Reply("not_modified", code, url=str(r.url))
            if code in (404, 410):
                return Reply("gone", code, url=str(r.url), phrase=r.reason_phrase)
            if code != 200:
                raise FetchFailed(f"HTTP {code} {r.reason_phrase}".strip())
            ctype = r.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype not in HTML_TYPES | PDF_TYPES | UNSURE_TYPES:
                raise FetchFailed(f"not HTML or PDF (Content-Type {ctype})")
            declared = r.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > cap:
                raise FetchFailed(f"response is {_mb(int(declared))}, over the {_mb(cap)} size limit")
            body = bytearray()
            for part in r.iter_bytes():
                body += part
                if len(body) > cap:
                    raise FetchFailed(f"response is over the {_mb(cap)} size limit (stopped reading)")
            body = bytes(body)
            if not body.strip():
                raise FetchFailed("empty response")
            return Reply("ok", code, body, sniff(body, ctype), ctype, r.headers.get("etag"),
                         r.headers.get("last-modified"), str(r.url))
