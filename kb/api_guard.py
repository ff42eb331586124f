"""The API's door: bearer tokens and the body-size limit, checked before a request reaches a route."""
from __future__ import annotations

import hmac

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse

KINDS = {401: "authentication_error", 404: "not_found_error", 413: "request_too_large"}


def error(status: int, message: str, param: str | None = None, headers: dict | None = None) -> JSONResponse:
    """An error in the shape OpenAI clients read: {"error": {"message", "type", "param", "code"}}."""
    body = {"message": message, "type": KINDS.get(status, "invalid_request_error"), "param": param, "code": None}
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def too_large(limit_kb: int) -> str:
    return f"the request body is larger than the {limit_kb} KB limit (KB_API_MAX_BODY_KB)"


class Guard:
    """ASGI middleware. Under /v1/ a request needs one of the tokens (when there are any), checked
    before its body is read; every body is limited to limit_kb, by its Content-Length at once, and
    by the bytes that arrive when it has none (the route's body reading then fails with a 413).

    Not FastAPI's max_body_size: its middleware replaces any answer to an over-long request with a
    plain-text 'Content Too Large', where this API answers in JSON and names the limit."""

    def __init__(self, app, tokens: set[str], limit_kb: int):
        self.app, self.limit_kb = app, limit_kb
        self.tokens = [t.encode() for t in tokens]

    def _allowed(self, headers: dict) -> bool:
        scheme, _, given = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
        return scheme.lower() == "bearer" and any(hmac.compare_digest(given.strip().encode(), t) for t in self.tokens)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        if self.tokens and scope["path"].startswith("/v1/") and not self._allowed(headers):
            return await error(401, "a valid bearer token is required: Authorization: Bearer TOKEN",
                               headers={"WWW-Authenticate": "Bearer"})(scope, receive, send)
        limit = self.limit_kb * 1024
        length = headers.get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            return await error(413, too_large(self.limit_kb))(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, too_large(self.limit_kb))
            return message

        await self.app(scope, counted, send)
