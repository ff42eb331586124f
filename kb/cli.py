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
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
