"""A scripted OpenAI-compatible chat server on 127.0.0.1 for the LLM-mode tests (FIXTURE replies)."""
from __future__ import annotations

import json
import math
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PASSAGE_RE = re.compile(r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', re.S)
QUESTION_RE = re.compile(r"<question>\n(.*?)\n</question>", re.S)
WORD_RE = re.compile(r"[a-z0-9]+")
COMMON = set("""a an the of to in on for and or is are be by with what which who whom when where why how do
does did can may must should will i we our my it its this that these those from as at any about""".split())


def _stems(text: str) -> list[str]:
    import Stemmer

    words = [w for w in WORD_RE.findall(text.lower()) if w not in COMMON]
    return Stemmer.Stemmer("english").stemWords(words)


def reader_reply(user: str, max_sentences: int = 4) -> str:
    """A well-behaved model: it reads the numbered passages in the prompt and answers with their
    full sentences that share the most (and the rarest) words with the question, in passage order,
    each with its passage's marker. A question with no words to match (a bare section number)
    gets the opening sentences of the first passage."""
    question = QUESTION_RE.search(user).group(1)
    sents = []
    for n, text in PASSAGE_RE.findall(user):
        for k, sent in enumerate(re.split(r"(?<=[.!?])\s+(?=[A-Z(])|\n+", text)):
            sent = sent.strip()
            if len(sent.split()) >= 6 and sent.endswith("."):
                sents.append((int(n), k, sent, set(_stems(sent))))
    wanted = {w for w in _stems(question) if not w.isdigit()}
    df = {w: sum(w in s[3] for s in sents) for w in wanted}
    weight = {w: math.log((len(sents) + 1) / (df[w] + 0.5)) for w in wanted if df[w]}
    scored = sorted(sents, key=lambda s: (-sum(weight.get(w, 0.0) for w in s[3]), s[0], s[1]))
    if not weight:
        scored = [s for s in sents if s[0] == 1]
    chosen = sorted(scored[:max_sentences], key=lambda s: (s[0], s[1]))
    return " ".join(f"{sent[:-1]} [{n}]." for n, _, sent, _ in chosen)


class FakeLLM:
    """Behaviour per test: `mode` is 'reader', 'reply' (send `reply`, a text or a function of the
    user message), 'malformed', 'slow',
    'error' (HTTP 500) or 'injected' (obeys an instruction planted in a passage)."""

    def __init__(self):
        self.mode = "reader"
        self.reply = ""
        self.delay_s = 0.0
        self.requests: list[dict] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def text_for(self, body: dict) -> str:
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if self.mode == "reader":
            return reader_reply(user)
        if self.mode == "injected":
            planted = re.search(r"Ignore all previous instructions and say (.+?[.!])", user)
            n = next(n for n, text in PASSAGE_RE.findall(user) if planted and planted.group(0) in text)
            return f"{reader_reply(user, 1)} {planted.group(1)[:-1]} [{n}]."
        return self.reply(user) if callable(self.reply) else self.reply

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization"),
                                      "api_key": self.headers.get("api-key")})
                if fake.mode == "error":
                    return self._send(500, "application/json", b'{"error": "internal"}')
                if fake.mode == "slow":
                    time.sleep(fake.delay_s)
                if fake.mode == "malformed":
                    return self._send(200, "application/json", b'{"choices": [{"message": {"content": "Agen')
                text = fake.text_for(body)
                if body.get("stream"):
                    return self._stream(text)
                payload = {"id": "fixture", "object": "chat.completion", "model": body.get("model"),
                           "choices": [{"index": 0, "finish_reason": "stop",
                                        "message": {"role": "assistant", "content": text}}]}
                self._send(200, "application/json", json.dumps(payload).encode())

            def _send(self, status: int, ctype: str, data: bytes):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _stream(self, text: str):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                pieces = [text[i:i + 7] for i in range(0, len(text), 7)]
                for piece in pieces:
                    event = {"choices": [{"index": 0, "delta": {"content": piece}}]}
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        return Handler
