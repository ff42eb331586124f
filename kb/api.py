"""The HTTP API (`kb api`): FastAPI over KnowledgeBase.ask, section look-up and export, with bearer tokens."""
from __future__ import annotations

import logging

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException

from . import export, lookup, openai_compat, questionlog, serve
from .api_guard import Guard, error
from .api_models import AskRequest, ExportRequest
from .config import Settings, get_settings

log = logging.getLogger(__name__)


def answered(settings: Settings, question: str, history: list, result: dict) -> dict:
    """Every answer the API gives passes through here, streamed or not: it goes into the question
    log (source 'api'; the bearer token itself is never stored). Returns the result unchanged."""
    log.info("answer: status=%s mode=%s %.0f ms, %d earlier turn(s)", result.get("status"),
             result.get("mode"), (result.get("timing_ms") or {}).get("total", 0.0), len(history))
    questionlog.record(settings, question, len(history), result, "api",
                       (result.get("timing_ms") or {}).get("total"), source="api")
    return result


def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 naming the field: 'question: String should have at most 2000 characters'."""
    e = exc.errors()[0]
    if e["type"] == "json_invalid":
        where = e["loc"][-1] if isinstance(e["loc"][-1], int) else "?"
        return error(400, f"the request body is not valid JSON: {e['ctx']['error']} (at character {where})",
                     "body")
    if tuple(e["loc"]) == ("body",):
        return error(422, "the request body must be a JSON object (Content-Type: application/json)", "body")
    field = ".".join(str(x) for x in e["loc"] if x not in ("body", "query"))
    return error(422, f"{field}: {e['msg']}", field)


def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    return error(exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))


def _check(settings: Settings, text: str, field: str) -> None:
    if len(text) > settings.api_max_question_chars:
        raise RequestValidationError([{"type": "string_too_long", "loc": ("body", field), "msg": (
            f"{len(text):,} characters; at most {settings.api_max_question_chars:,} are accepted "
            "(KB_API_MAX_QUESTION_CHARS)")}])


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API for these settings; its knowledge base starts loading at once (kb.serve)."""
    settings = settings or get_settings()
    app = FastAPI(title="CALNET policy knowledge base", version="1", strict_content_type=False,
                  description="Cited answers on California state telecommunications policy. Every `/v1` "
                  "request needs `Authorization: Bearer TOKEN` when KB_API_TOKENS is set.")
    app.add_middleware(Guard, tokens=settings.tokens, limit_kb=settings.api_max_body_kb)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http_error)
    kb = serve.knowledge_base(settings)

    # Declares the bearer scheme in /docs; the check itself is api_guard.Guard's.
    v1 = [Depends(HTTPBearer(auto_error=False))]

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict:
        return {"status": "ok", "documents": len(kb.store.read_manifest().get("files", {})),
                "mode": kb.reader.mode}

    @app.post("/v1/ask", dependencies=v1, tags=["answers"])
    def ask(req: AskRequest) -> dict:
        """The `kb ask --json` contract for a question and the conversation before it."""
        _check(settings, req.question, "question")
        history = req.turns()
        return answered(settings, req.question, history, kb.ask(req.question, history=history))

    @app.get("/v1/lookup", dependencies=v1, tags=["answers"])
    def find(ref: str = Query(min_length=1, max_length=200, description="GC 11541, SAM 4605, or keywords"),
             limit: int = Query(10, ge=1, le=50)) -> dict:
        """The `kb lookup --json` results: a section by reference, or sections matching keywords."""
        return lookup.search(kb, kb.index(), ref, limit=limit)

    @app.post("/v1/export", dependencies=v1, tags=["answers"])
    def export_(req: ExportRequest) -> Response:
        """Answers (as /v1/ask returns them) as one Markdown, DOCX or PDF file."""
        turns = [{"question": a.question, "result": a.model_dump()} for a in req.answers]
        data = export.render(turns, export.snapshot(kb.index()), req.format)
        return Response(data, media_type=export.FORMATS[req.format][0], headers={
            "Content-Disposition": f'attachment; filename="{export.file_name(turns, req.format)}"'})

    @app.get("/v1/models", dependencies=v1, tags=["openai"])
    def models() -> dict:
        return openai_compat.models()

    @app.post("/v1/chat/completions", dependencies=v1, tags=["openai"])
    def chat(req: openai_compat.ChatRequest):
        """OpenAI-compatible: the last user message is the question, the earlier ones its history."""
        question, history = openai_compat.conversation(req)
        if question is None:
            return error(422, "messages: no user message to answer", "messages")
        _check(settings, question, "messages")
        if not req.stream:
            result = answered(settings, question, history, kb.ask(question, history=history))
            return openai_compat.completion(req.model, result)
        s = kb.ask(question, history=history, stream=True)
        return StreamingResponse(openai_compat.events(req.model, s, lambda: answered(settings, question, history, s.result)),
                                 media_type="text/event-stream")

    return app
