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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kb", description="California telecom policy knowledge base")
    sub = p.add_subparsers(dest="command", required=True)

    q = sub.add_parser("ingest", help="add or refresh documents in the index (incremental)")
    q.add_argument("paths", nargs="*", help="files or folders (default: KB_DOCS)")
    q.add_argument("--reset", action="store_true", help="rebuild the index from these paths")
    q.add_argument("--json", action="store_true", help="print the summary as JSON")
    q.add_argument("-v", "--verbose", action="store_true", help="show each file as it is parsed")
    q.set_defaults(func=cmd_ingest)

    q = sub.add_parser("stats", help="what the index holds")
    q.add_argument("--json", action="store_true")
    q.add_argument("--all", action="store_true", help="list every section and document")
    q.set_defaults(func=cmd_stats)

    q = sub.add_parser("fetch", help="download the official sources, report changes, re-ingest")
    q.add_argument("--sources", metavar="FILE", help="sources file (default: KB_SOURCES or sources.toml)")
    q.add_argument("--only", nargs="+", metavar="ID", help="fetch only these source ids")
    q.add_argument("--json", action="store_true", help="print the results as JSON")
    q.set_defaults(func=cmd_fetch)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
