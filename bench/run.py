"""`make bench`: build synthetic corpora, run this project and the stock llama-index pipeline phase by
phase (one process each), print a table, and end with one JSON line for the largest corpus."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.corpus import generate

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "bench" / "out" / "vendor"  # llama-index-readers-file, installed by `make bench`
NEEDED = ("kb-ingest", "kb-ask", "floor")  # the phases the table is made of


def phase(name: str, log: Path, env: dict, **args) -> dict:
    """Run one phase in its own process; its stderr goes to the log, its figures come back."""
    cmd = [sys.executable, "-m", "bench.phases", name]
    for k, v in args.items():
        cmd += [f"--{k}", str(v)] if v != "" else [f"--{k}"]
    print(f"  {name} ...", end="", flush=True, file=sys.stderr)
    t0 = time.perf_counter()
    with open(log, "a") as err:
        err.write(f"\n== {name}\n")
        err.flush()
        out = subprocess.run(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True)
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("BENCH ")]
    if out.returncode != 0 or not lines:
        raise SystemExit(f"bench phase {name} failed (exit {out.returncode}); see {log}")
    print(f" {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return json.loads(lines[-1][6:])


def run_size(pages: int, out: Path, stock: bool, only: list[str] | None = None,
             random_vectors: bool = False) -> dict:
    work = out / f"pages-{pages}" if not random_vectors else out / f"pages-{pages}-random-vectors"
    t0 = time.perf_counter()
    info = generate(out / f"pages-{pages}" / "corpus", pages)
    print(f"{pages} pages: corpus of {info['files']} files, {info['pages']} pages "
          f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    corpus = out / f"pages-{pages}" / "corpus"
    work.mkdir(parents=True, exist_ok=True)
    docs, questions, log = corpus / "docs", corpus / "questions.txt", work / "phases.log"
    saved = work / "results.json"
    r = json.loads(saved.read_text()) if only and saved.exists() else {}
    # With --only, the phases the table needs that no earlier run saved run as well (a new machine has none).
    missing = {n for n in NEEDED if n.replace("-", "_") not in r}
    want = (lambda name: name in only or name in missing) if only else (lambda name: True)
    for d, name in (("kb-home", "kb-ingest"), ("stock-chroma", "stock-ingest")):
        if want(name):
            shutil.rmtree(work / d, ignore_errors=True)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False",
           "KB_HOME": str(work / "kb-home"), "PYTHONPATH": os.pathsep.join([str(ROOT), str(VENDOR)])}
    env.pop("KB_CHROMA_URL", None)
    r.update({"pages": info["pages"], "files": info["files"], "mb": round(info["bytes"] / 1048576, 1)})
    plan = [("kb-ingest", dict(docs=docs)), ("kb-ask", dict(questions=questions))]
    if random_vectors:  # no model in ingest: no floor to compare with, no stock run
        plan = [("kb-ingest", {"docs": docs, "random-vectors": ""}), ("kb-ask", dict(questions=questions))]
    elif stock:
        plan += [("stock-ingest", dict(docs=docs, chroma=work / "stock-chroma")),
                 ("stock-ask", dict(questions=questions, chroma=work / "stock-chroma"))]
    if not random_vectors:
        plan.append(("floor", dict(docs=docs)))  # last: the comparisons matter most if a run is cut short
    for name, args in plan:
        if want(name):
            r[name.replace("-", "_")] = phase(name, log, env, **args)
            saved.write_text(json.dumps(r, indent=1))
    return r


def check(r: dict) -> list[str]:
    """What makes a run unusable, whatever its times: nothing indexed, or answers out of contract."""
    bad = []
    if not r["kb_ingest"]["chunks"] or r["kb_ingest"]["chunks"] != r["floor"]["chunks"]:
        bad.append(f"kb ingest wrote {r['kb_ingest']['chunks']} chunks, the corpus has {r['floor']['chunks']}")
    if r["kb_ingest"]["failed"]:
        bad.append(f"kb ingest failed on {r['kb_ingest']['failed']} files")
    statuses = r["kb_ask"]["statuses"]
    if set(statuses) - {"answered", "not_found", "out_of_scope"} or not statuses.get("answered"):
        bad.append(f"kb ask statuses {statuses}")
    if "stock_ingest" in r and not r["stock_ingest"]["chunks"]:
        bad.append("the stock pipeline indexed nothing")
    return bad


def summary(r: dict) -> dict:
    """The headline figures for one corpus size."""
    ing, ask, fl = r["kb_ingest"], r["kb_ask"], r["floor"]
    s = {"pages": r["pages"], "ingest_s": ing["seconds"],
         "ingest_ratio_vs_stock": None, "ask_p50_ms": ask["p50_ms"], "ask_p95_ms": ask["p95_ms"],
         "ask_ratio_vs_stock": None, "peak_rss_mb": max(ing["peak_rss_mb"], ask["peak_rss_mb"]),
         "embed_floor_s": fl["seconds"], "ingest_ratio_vs_floor": round(ing["seconds"] / fl["seconds"], 2)}
    if "stock_ingest" in r:
        s["ingest_ratio_vs_stock"] = round(ing["seconds"] / r["stock_ingest"]["seconds"], 2)
        s["ask_ratio_vs_stock"] = round(ask["p50_ms"] / max(r["stock_ask"]["p50_ms"], 0.1), 2)
    return s


def _tokens(r: dict) -> str:
    """Tokens the model saw, and of how many in the chunks (the rest fell past its 256-token window)."""
    if "embedded_tokens" not in r:
        return "-"
    return f"{r['embedded_tokens'] / 1e3:,.0f} k of {r['tokens'] / 1e3:,.0f} k"


def table(results: list[dict]) -> str:
    head = ("| pages | pipeline | ingest s | pages/s | chunks | chunks/s | embed floor s | ingest / floor "
            "| ask p50 ms | ask p95 ms | peak RSS ingest / ask MB | index MB | tokens embedded |")
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        ing, ask, fl = r["kb_ingest"], r["kb_ask"], r["floor"]
        rows.append(f"| {r['pages']:,} | this project | {ing['seconds']:.0f} | {r['pages'] / ing['seconds']:.1f} "
                    f"| {ing['chunks']:,} | {ing['chunks'] / ing['seconds']:.1f} | {fl['seconds']:.0f} "
                    f"| {ing['seconds'] / fl['seconds']:.2f} | {ask['p50_ms']:.0f} | {ask['p95_ms']:.0f} "
                    f"| {ing['peak_rss_mb']:.0f} / {ask['peak_rss_mb']:.0f} | {ing['index_mb']:.0f} "
                    f"| {_tokens(fl)} |")
        if "stock_ingest" in r:
            si, sa = r["stock_ingest"], r["stock_ask"]
            rows.append(f"| {r['pages']:,} | stock llama-index | {si['seconds']:.0f} "
                        f"| {r['pages'] / si['seconds']:.1f} | {si['chunks']:,} | {si['chunks'] / si['seconds']:.1f} "
                        f"| - | - | {sa['p50_ms']:.0f} | {sa['p95_ms']:.0f} "
                        f"| {si['peak_rss_mb']:.0f} / {sa['peak_rss_mb']:.0f} | {si['index_mb']:.0f} "
                        f"| {_tokens(si)} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench.run", description=__doc__)
    p.add_argument("--pages", type=int, nargs="+", default=[1000, 10000])
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    p.add_argument("--no-stock", action="store_true", help="skip the stock llama-index pipeline")
    p.add_argument("--only", nargs="+", metavar="PHASE", help="re-run these phases, keep the saved others")
    p.add_argument("--random-vectors", action="store_true",
                   help="ingest with random vectors instead of the model: everything but embedding, "
                        "for sizes the machine cannot embed in time (no floor, no stock run)")
    a = p.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    from kb import embed

    print(f"model: {embed.model_id()}; {os.cpu_count()} CPU cores", file=sys.stderr)
    results = [run_size(n, a.out, not a.no_stock, a.only, a.random_vectors) for n in a.pages]
    if a.random_vectors:
        for r in results:
            print(f"{r['pages']:,} pages, random vectors: " + json.dumps({"kb_ingest": r["kb_ingest"], "kb_ask": r["kb_ask"]}))
        return 0
    print(table(results))
    for r in results:
        print(f"{r['pages']:,} pages: " + json.dumps(summary(r)))
    print(json.dumps({k: v for k, v in summary(results[-1]).items() if k != "ingest_ratio_vs_floor"}))
    problems = [f"{r['pages']} pages: {p}" for r in results for p in check(r)]
    for p in problems:
        print(f"bench: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
