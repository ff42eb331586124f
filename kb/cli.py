"""The `kb` command: thin functions over the library, one per subcommand."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .config import get_settings


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def cmd_ingest(args) -> int:
    from .indexer import IngestBusy, Ingester

    settings = get_settings()
    paths = [Path(p) for p in args.paths] or [settings.docs]
    progress = (lambda msg: print(msg, file=sys.stderr)) if args.verbose else None
    try:
        ingester = Ingester(settings, progress=progress)
        report = ingester.run(paths, reset=args.reset)
    except IngestBusy as e:
        print(f"kb ingest: {e}", file=sys.stderr)
        return 2
    except RuntimeError as e:
        print(f"kb ingest: {e}", file=sys.stderr)
        return 1
    from . import index as index_mod

    index_mod.load(ingester.store, settings)  # warm the reader's cache for the new generation
    for path, reason in report.failed:
        print(f"FAILED {path}: {reason}", file=sys.stderr)
    d = report.as_dict()
    if args.json:
        _print_json(d)
    else:
        print(f"added {d['added']}, updated {d['updated']}, unchanged {d['unchanged']}, "
              f"removed {d['removed']}, failed {d['failed']}; {d['chunks']} chunks written, "
              f"{d['total_chunks']} in the index; {d['seconds']:.1f} s")
    return 1 if report.failed else 0


def cmd_stats(args) -> int:
    from . import stats
    from .store import Store

    settings = get_settings()
    s = stats.summary(Store(settings).read_manifest(), settings)
    if args.json:
        _print_json(s)
    else:
        print(stats.render(s, show_all=args.all))
    return 0


def render_answer(r: dict) -> str:
    """A person-readable answer: the text, its sources with quotes, and any guidance steps."""
    lines = [r["answer"], ""]
    for c in r["citations"]:
        where = ", ".join(str(x) for x in (c["section"], c["heading"]) if x)
        page = f", p. {c['page']}" if c.get("page") else ""
        lines.append(f"[{c['n']}] {c['title']}" + (f" ({where}{page})" if where or page else ""))
        lines.append(f"    {c['url'] or c['doc']}")
        lines.append(f"    \"{c['quote']}\"")
    g = r.get("guidance")
    if g:
        lines += ["", g["title"] + ":"]
        for n, step in enumerate(g["steps"], 1):
            lines.append(f"  {n}. {step['text']} " + "".join(f"[{c}]" for c in step["cite"]))
    return "\n".join(lines).rstrip()


def parse_line(line: str) -> tuple[str, list[str]]:
    """A question line of `kb ask --file`: plain text, or a JSON object {"question": ...,
    "history": ["earlier question", ...]} for a follow-up."""
    text = line.strip()
    if text.startswith("{"):
        try:
            obj = json.loads(text)
        except ValueError:
            return text, []
        if isinstance(obj, dict) and isinstance(obj.get("question"), str):
            history = obj.get("history") or []
            if not isinstance(history, list):
                history = [history]
            return obj["question"], [h if isinstance(h, str) else str((h or {}).get("question", ""))
                                     for h in history if h]
    return text, []


def cmd_ask(args) -> int:
    from .answer import KnowledgeBase

    kb = KnowledgeBase(get_settings())
    if args.file:
        src = sys.stdin if args.file == "-" else open(args.file, encoding="utf-8", errors="replace")
        with src:
            for line in src:
                if line.strip():
                    question, earlier = parse_line(line)
                    r = kb.ask_after(earlier, question)
                    print(json.dumps(r, ensure_ascii=False), flush=True)
        return 0
    question = " ".join(args.question) if args.question else sys.stdin.read()
    r = kb.ask(question)
    print(json.dumps(r, ensure_ascii=False, indent=None if args.json else 2) if args.json else render_answer(r))
    return 0


def cmd_lookup(args) -> int:
    from . import lookup
    from .answer import KnowledgeBase

    kb = KnowledgeBase(get_settings())
    result = lookup.search(kb, kb.index(), " ".join(args.ref), limit=args.limit)
    if args.json:
        _print_json(result)
    else:
        print(lookup.render(result))
    empty = not (result.get("sections") or result.get("results"))
    return 1 if empty else 0


def cmd_eval(args) -> int:
    from . import evaluate
    from .answer import KnowledgeBase

    kb = KnowledgeBase(get_settings())
    report = evaluate.run(kb, Path(args.questions))
    if args.json:
        _print_json(report)
    else:
        print(evaluate.render(report))
    return 0 if report["pass_rate"] >= args.min_pass else 1


def cmd_fetch(args) -> int:
    """Download the official sources into KB_DOCS, say what changed, then ingest incrementally."""
    from ingest import fetch, sources

    from .indexer import IngestBusy, Ingester

    settings = get_settings()
    try:
        listed = sources.load(Path(args.sources) if args.sources else settings.sources_file())
    except sources.SourcesError as e:
        print(f"kb fetch: {e}", file=sys.stderr)
        return 2
    show = None if args.json else (lambda result: print(result.line(), flush=True))
    report = fetch.fetch_all(listed, settings.docs, settings.fetch_config(), only=args.only,
                             progress=show)
    if report.offline:
        print(f"kb fetch: {report.offline}", file=sys.stderr)
        if args.json:
            _print_json(report.as_dict())
        return 3
    try:
        ingester = Ingester(settings)
        done = ingester.run([settings.docs]).as_dict()
    except (IngestBusy, RuntimeError) as e:
        print(f"kb fetch: documents downloaded, but the ingest did not run: {e}", file=sys.stderr)
        return 1
    from . import index as index_mod

    index_mod.load(ingester.store, settings)  # warm the reader's cache for the new generation
    for f in done["failures"]:
        print(f"FAILED {f['path']}: {f['reason']}", file=sys.stderr)
    if args.json:
        _print_json({**report.as_dict(), "ingest": done})
    else:
        print(f"ingest: added {done['added']}, updated {done['updated']}, unchanged {done['unchanged']}, "
              f"removed {done['removed']}, failed {done['failed']}; {done['total_chunks']} chunks in the index")
    return 1 if report.failed or done["failed"] else 0


def _load_turns(path: str) -> list[dict]:
    """Turns from a saved conversation: a JSON list, or JSON Lines as `kb ask --json`/`--file` print."""
    text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    text = text.strip()
    items = json.loads(text) if text.startswith("[") else [json.loads(x) for x in text.splitlines() if x.strip()]
    return [x if "result" in x else {"question": x["question"], "result": x} for x in items]


def cmd_export(args) -> int:
    from . import export
    from .answer import KnowledgeBase

    fmt = args.format or (Path(args.output).suffix.lstrip(".").lower() if args.output else "md")
    if fmt not in export.FORMATS:
        print(f"kb export: unknown format {fmt!r}; use md, docx or pdf", file=sys.stderr)
        return 2
    if not args.question and not args.source:
        print("kb export: give --question QUESTION (repeatable) or --from FILE", file=sys.stderr)
        return 2
    kb = KnowledgeBase(get_settings())
    try:
        turns = _load_turns(args.source) if args.source else []
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"kb export: cannot read the conversation {args.source}: {e}", file=sys.stderr)
        return 1
    for question in args.question or []:  # asked in order, each follow-up seeing the ones before
        history = [{"question": t["question"], "answer": t["result"]["answer"]} for t in turns]
        turns.append({"question": question, "result": kb.ask(question, history=history)})
    data = export.render(turns, export.snapshot(kb.index()), fmt)
    if args.output:
        Path(args.output).write_bytes(data)
        print(f"wrote {args.output} ({len(turns)} question(s), {fmt})", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0


def cmd_feedback(args) -> int:
    from .feedback import Feedback

    fb = Feedback(get_settings())
    if args.export:
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                n = fb.write_csv(out)
            print(f"wrote {n} feedback rows to {args.output}", file=sys.stderr)
        else:
            fb.write_csv(sys.stdout)
        return 0
    c = fb.counts()
    print(f"{c['total']} ratings ({c['up']} up, {c['down']} down) in {c['path']}")
    return 0


def cmd_api(args) -> int:
    """Serve the HTTP API with uvicorn; off loopback only with KB_API_TOKENS set."""
    import ipaddress

    import uvicorn

    from .api import create_app

    settings = get_settings()
    try:
        loopback = args.host == "localhost" or ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not settings.tokens:
        print(f"kb api: refusing to listen on {args.host} without KB_API_TOKENS: anyone who can reach it "
              "could use it. Set KB_API_TOKENS=token1,token2 or keep --host 127.0.0.1.", file=sys.stderr)
        return 2
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")


def cmd_report(args) -> int:
    """The question log's figures: answer rate, unanswered questions grouped by meaning, and more."""
    from . import questionlog, report

    settings = get_settings()
    rep = report.build(settings, questionlog.rows(settings, start=report.since(args.since)))
    if args.json:
        _print_json({"since_days": args.since, **rep})
    else:
        print(report.render(rep, args.since))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kb", description="California telecom policy knowledge base")
    sub = p.add_subparsers(dest="command", required=True)

    q = sub.add_parser("ingest", help="add or refresh documents in the index (incremental)")
    q.add_argument("paths", nargs="*", help="files or folders (default: KB_DOCS)")
    q.add_argument("--reset", action="store_true", help="rebuild the index from these paths")
    q.add_argument("--json", action="store_true", help="print the summary as JSON")
    q.add_argument("-v", "--verbose", action="store_true", help="show each file as it is parsed")
    q.set_defaults(func=cmd_ingest)

    q = sub.add_parser("ask", help="answer a question with citations")
    q.add_argument("question", nargs="*", help="the question (or read it from stdin)")
    q.add_argument("--json", action="store_true", help="print the JSON contract")
    q.add_argument("--file", help="one question per non-empty line, or a JSON object line {\"question\", \"history\"} for a "
                   "follow-up; JSON Lines out ('-' for stdin)")
    q.set_defaults(func=cmd_ask)

    q = sub.add_parser("lookup", help="show a section by reference, or sections matching keywords")
    q.add_argument("ref", nargs="+", help="e.g. GC 11541, 'Gov. Code § 11541(b)', STMM 3-501.0, SAM 4605")
    q.add_argument("--json", action="store_true")
    q.add_argument("--limit", type=int, default=10)
    q.set_defaults(func=cmd_lookup)

    q = sub.add_parser("eval", help="score answers against a question set (JSON Lines)")
    q.add_argument("questions", help="file with id, question, expect, guide, sources, mentions")
    q.add_argument("--json", action="store_true")
    q.add_argument("--min-pass", type=float, default=0.0)
    q.set_defaults(func=cmd_eval)

    q = sub.add_parser("export", help="export cited answers as Markdown, DOCX or PDF")
    q.add_argument("--question", "-q", action="append", help="a question to ask and export (repeatable)")
    q.add_argument("--from", dest="source", help="a saved conversation: JSON list or `kb ask --json` lines")
    q.add_argument("--format", "-f", choices=["md", "docx", "pdf"], help="default: from -o's suffix, else md")
    q.add_argument("--output", "-o", help="file to write (default: stdout)")
    q.set_defaults(func=cmd_export)

    q = sub.add_parser("feedback", help="ratings given in the app; --export csv writes them all")
    q.add_argument("--export", choices=["csv"], help="write every row as CSV")
    q.add_argument("--output", "-o", help="file to write (default: stdout)")
    q.set_defaults(func=cmd_feedback)

    q = sub.add_parser("stats", help="what the index holds")
    q.add_argument("--json", action="store_true")
    q.add_argument("--all", action="store_true", help="list every section and document")
    q.set_defaults(func=cmd_stats)

    q = sub.add_parser("api", help="serve the HTTP API (FastAPI; docs at /docs)")
    q.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    q.add_argument("--port", type=int, default=8000)
    q.set_defaults(func=cmd_api)

    q = sub.add_parser("fetch", help="download the official sources, report changes, re-ingest")
    q.add_argument("--sources", metavar="FILE", help="sources file (default: KB_SOURCES or sources.toml)")
    q.add_argument("--only", nargs="+", metavar="ID", help="fetch only these source ids")
    q.add_argument("--json", action="store_true", help="print the results as JSON")
    q.set_defaults(func=cmd_fetch)

    q = sub.add_parser("report", help="what the question log says: answer rate, unanswered questions and more")
    q.add_argument("--since", type=float, metavar="DAYS", help="only questions asked in the last DAYS days")
    q.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    q.set_defaults(func=cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # run as the `kb` command (not called from other code)
        import signal

        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `kb ... | head` ends quietly
    args = build_parser().parse_args(argv)
    from .llm import SetupError

    try:
        return args.func(args)
    except SetupError as e:  # LLM mode is configured but cannot start
        print(f"kb: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
