"""Crash safety: a `kb ingest` killed mid-run leaves the previous index answering; one ingest at a time."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures import EDITIONS, kb_env, policy_files

ROOT = Path(__file__).resolve().parents[1]
KB = [sys.executable, "-m", "kb.cli"]
N_FILES = 24
OLD, NEW = EDITIONS


def _probe(env: dict) -> dict:
    out = subprocess.run([sys.executable, "-m", "tests.probe"], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _ingest_until(env: dict, docs: Path, parsed: int | None) -> int:
    """Start `kb ingest -v` and SIGKILL it once `parsed` files have been parsed (None: the last one,
    while its batches are still being embedded and written). Returns the exit status."""
    proc = subprocess.Popen(KB + ["ingest", "-v", str(docs)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    target = N_FILES if parsed is None else parsed
    seen = 0
    for line in proc.stderr:
        if line.startswith("parsing "):
            seen += 1
            if seen >= target:
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=300)
    return proc.returncode


def _assert_consistent(state: dict, edition: str, n: int = N_FILES) -> None:
    """Every live file has all of its chunks, all in one edition, and readers see exactly those."""
    assert len(state["files"]) == n
    for doc, entry in state["files"].items():
        assert state["fid_counts"][entry["fid"]] == entry["chunks"], doc
    assert state["cached"] == state["fresh"]
    docs = {doc for doc, _ in state["fresh"]}
    assert docs == set(state["files"])
    assert all(edition in text for _, text in state["fresh"]), "a chunk of another edition is live"
    assert state["dense"] and set(state["dense"]) <= set(state["live_ids"])


@pytest.fixture
def indexed(tmp_path):
    """A KB_HOME holding the first edition of N_FILES chapters, ingested by the CLI."""
    docs = tmp_path / "docs"
    policy_files(docs, N_FILES, OLD)
    env = kb_env(tmp_path / "home", KB_INGEST_BATCH="4")
    out = subprocess.run(KB + ["ingest", str(docs)], env=env, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return docs, env


def test_killed_ingest_leaves_previous_index_and_next_ingest_completes(indexed):
    docs, env = indexed
    before = _probe(env)
    _assert_consistent(before, OLD)
    policy_files(docs, N_FILES, NEW)  # every chapter changes

    # Killed early, in the middle (batches already written), and after the last file was parsed.
    for parsed in (1, N_FILES // 2, None):
        assert _ingest_until(env, docs, parsed) == -signal.SIGKILL
        after = _probe(env)
        if after["generation"] == before["generation"]:
            _assert_consistent(after, OLD)  # the previous content, whole
            assert after["files"] == before["files"]
        else:  # the kill came after the commit: then the new edition, whole
            assert parsed is None
            _assert_consistent(after, NEW)

    ask = subprocess.run(KB + ["ask", "--json", "STMM 9-405.0"], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    r = json.loads(ask.stdout)
    assert r["status"] == "answered" and r["citations"]
    assert all(c["doc"] == "chapter-05.txt" for c in r["citations"])

    done = subprocess.run(KB + ["ingest", "--json", str(docs)], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["failed"] == 0 and report["total_chunks"] == sum(e["chunks"] for e in before["files"].values())
    final = _probe(env)
    _assert_consistent(final, NEW)
    # Nothing left over from the killed runs: only this generation's and the previous one's chunks.
    keep = {e["fid"] for e in final["files"].values()} | set(final["previous_fids"])
    assert final["total_chunks"] == report["total_chunks"] + sum(
        e["chunks"] for e in before["files"].values() if e["fid"] in keep - {
            f["fid"] for f in final["files"].values()})


def test_second_concurrent_ingest_is_refused(indexed):
    docs, env = indexed
    policy_files(docs, N_FILES, NEW)
    first = subprocess.Popen(KB + ["ingest", "-v", str(docs)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert first.stderr.readline().startswith("parsing ")  # it holds the lock now
        first.send_signal(signal.SIGSTOP)  # and keeps it, however fast the machine, until resumed
        second = subprocess.run(KB + ["ingest", str(docs)], env=env, cwd=ROOT, capture_output=True,
                                text=True, timeout=300)
        assert second.returncode == 2
        assert "another `kb ingest` is already running" in second.stderr
        assert second.stdout == ""
    finally:
        first.send_signal(signal.SIGCONT)
        _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    _assert_consistent(_probe(env), NEW)
