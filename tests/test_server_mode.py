"""Server mode: several app processes share one `chroma run` server while an ingest changes documents."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.fixtures import EDITIONS, kb_env, policy_files, policy_text
from tests.servers import free_port, served

ROOT = Path(__file__).resolve().parents[1]
KB = [sys.executable, "-m", "kb.cli"]
OLD, NEW = EDITIONS
ASKERS = 8
STATUSES = {"answered", "not_found", "out_of_scope"}


@pytest.fixture
def chroma_url(tmp_path):
    """A Chroma server of its own on a free loopback port, stopped at the end."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [str(Path(sys.executable).parent / "chroma"), "run", "--path", str(tmp_path / "server"),
           "--host", "127.0.0.1", "--port", str(port)]
    with served("the Chroma server", cmd, tmp_path / "chroma.log", f"{url}/api/v2/heartbeat"):
        yield url


def _wait(done, what: str, threads=(), timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        if threads and not all(t.is_alive() for t in threads):
            assert done(), f"an asker stopped before {what}"
        time.sleep(0.2)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _versions(docs_before: dict[str, str], docs_after: dict[str, str]) -> dict[str, set[str]]:
    """Every version of each document that was live at some moment of the test."""
    out: dict[str, set[str]] = {}
    for d in (docs_before, docs_after):
        for name, text in d.items():
            out.setdefault(name, set()).add(_norm(text))
    return out


def _check_answer(r: dict, versions: dict[str, set[str]]) -> None:
    """A complete answer whose every quote is text of one live version of the cited document."""
    assert r["status"] in STATUSES, r
    assert r["answer"].strip() and "timing_ms" in r
    editions: dict[str, set[str]] = {}
    for c in r["citations"]:
        texts = versions.get(c["doc"], set())
        assert any(_norm(c["quote"]) in t for t in texts), (c["doc"], c["quote"])
        editions.setdefault(c["doc"], set()).update(e for e in EDITIONS if e in c["quote"])
    if r["status"] != "answered":
        assert r["citations"] == []
    for doc, seen in editions.items():
        assert len(seen) <= 1, f"one answer quotes two versions of {doc}"


def test_askers_and_an_ingest_share_one_chroma_server(chroma_url, tmp_path):
    docs = tmp_path / "docs"
    policy_files(docs, 12, OLD)
    before = {p.name: p.read_text() for p in docs.iterdir()}
    env = kb_env(tmp_path / "home", KB_CHROMA_URL=chroma_url)
    first = subprocess.run(KB + ["ingest", str(docs)], env=env, cwd=ROOT, capture_output=True, text=True,
                           timeout=600)
    assert first.returncode == 0, first.stderr
    assert not (tmp_path / "home" / "chroma").exists(), "server mode must not write an embedded store"

    asked = [f"STMM 9-40{k}.0" if k % 2 else f"How do agencies order fixture pagers of kind {k}?"
             for k in range(10)] + ["What is the best pizza in Sacramento?"]
    askers = [subprocess.Popen(KB + ["ask", "--json", "--file", "-"], env=env, cwd=ROOT, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(ASKERS)]
    answers: list[list[tuple[float, str, dict]]] = [[] for _ in askers]
    commit = [float("inf")]
    stop = threading.Event()

    def ask_until_stopped(proc, got):
        """Ask round after round, noting when each question was sent, until told to stop."""
        i = 0
        while not stop.is_set():
            q = asked[i % len(asked)]
            sent = time.monotonic()
            proc.stdin.write(q + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
            if not line:
                break
            got.append((sent, q, json.loads(line)))
            i += 1
        proc.stdin.close()

    threads = [threading.Thread(target=ask_until_stopped, args=(p, got)) for p, got in zip(askers, answers)]
    for t in threads:
        t.start()
    try:
        _wait(lambda: all(answers), "every asker answering")
        # While they ask: change six chapters, add two and remove one, and ingest.
        for k in range(6):
            (docs / f"chapter-{k:02d}.txt").write_text(policy_text(k, NEW))
        for k in (12, 13):
            (docs / f"chapter-{k:02d}.txt").write_text(policy_text(k, NEW))
        (docs / "chapter-11.txt").unlink()
        started = time.monotonic()
        second = subprocess.run(KB + ["ingest", "--json", str(docs)], env=env, cwd=ROOT, capture_output=True,
                                text=True, timeout=600)
        commit[0] = time.monotonic()
        # Every asker goes on through a whole round of questions asked after the commit.
        _wait(lambda: all(sum(sent > commit[0] for sent, _, _ in got) >= len(asked) for got in answers),
              "a round of questions after the ingest", threads)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
        for a in askers:
            try:
                a.wait(timeout=60)
            except subprocess.TimeoutExpired:
                a.kill()
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout)
    assert (report["updated"], report["added"], report["removed"], report["unchanged"]) == (6, 2, 1, 5)

    after = {p.name: p.read_text() for p in docs.iterdir()}
    versions = _versions(before, after)
    changed = {f"chapter-{k:02d}.txt" for k in range(6)}
    for n, (a, got) in enumerate(zip(askers, answers)):
        err = a.stderr.read()
        assert a.returncode == 0 and "Traceback" not in err, err
        assert any(started < sent < commit[0] for sent, _, _ in got), f"asker {n} asked nothing during the ingest"
        for sent, q, r in got:
            assert r["question"] == q
            _check_answer(r, versions)
            if sent > commit[0]:  # asked after the commit: the new generation, whole
                for c in r["citations"]:
                    assert c["doc"] != "chapter-11.txt", "a removed chapter is still cited"
                    if c["doc"] in changed:
                        assert NEW in c["quote"], f"asker {n} quoted an old version after the commit"
        assert sum(r["status"] == "answered" for _, _, r in got) >= len(asked) // 2

    # After the ingest, a new asker sees the new version and nothing of the removed chapter.
    final = subprocess.run(KB + ["ask", "--json", "--file", "-"], env=env, cwd=ROOT, capture_output=True,
                           text=True, input="STMM 9-403.0\nSTMM 9-411.0\n", timeout=600)
    new, gone = [json.loads(ln) for ln in final.stdout.splitlines()]
    assert new["status"] == "answered" and all(NEW in c["quote"] for c in new["citations"])
    assert all(c["doc"] != "chapter-11.txt" for c in gone["citations"])
