"""Incremental ingest: unchanged files skipped, changed files replaced, removed files dropped."""
from __future__ import annotations

import subprocess
import sys

from kb import index as index_mod
from kb.indexer import Ingester
from kb.store import Store
from tests.fixtures import write

POLICY = ("---\ntitle: \"FIXTURE STMM Chapter 9-300.0 - Pager Rules\"\n---\nSTMM Chapter 9-300.0\n"
          "Pager Rules\nPolicy:\nAgencies shall {verb} pagers through the fixture contract.\n")


def _texts(settings):
    store = Store(settings)
    idx = index_mod.load(store, settings)
    return {r.doc: r.text for r in idx.records}, idx


def test_incremental_add_unchanged_update_remove(settings, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "a.md", POLICY.format(verb="order"))
    write(docs, "sub/b.md", POLICY.format(verb="rent").replace("9-300.0", "9-301.0"))
    r1 = Ingester(settings).run([docs])
    assert (len(r1.added), len(r1.failed)) == (2, 0)

    r2 = Ingester(settings).run([docs])
    assert (len(r2.added), len(r2.updated), len(r2.unchanged), r2.chunks) == (0, 0, 2, 0)

    write(docs, "a.md", POLICY.format(verb="lease"))
    (docs / "sub" / "b.md").unlink()
    r3 = Ingester(settings).run([docs])
    assert r3.updated == ["a.md"] and r3.removed == ["sub/b.md"]
    texts, idx = _texts(settings)
    joined = " ".join(r.text for r in idx.records)
    assert "lease pagers" in joined and "order pagers" not in joined and "rent pagers" not in joined
    assert {r.doc for r in idx.records} == {"a.md"}
    assert idx.records[0].section == "STMM 9-300.0"


def test_reset_rebuilds_from_given_paths(settings, tmp_path):
    write(tmp_path / "one", "a.md", POLICY.format(verb="order"))
    write(tmp_path / "two", "b.md", POLICY.format(verb="rent"))
    Ingester(settings).run([tmp_path / "one"])
    Ingester(settings).run([tmp_path / "two"])
    assert {r.doc for r in _texts(settings)[1].records} == {"a.md", "b.md"}
    r = Ingester(settings).run([tmp_path / "two"], reset=True)
    assert r.added == ["b.md"]
    assert {r.doc for r in _texts(settings)[1].records} == {"b.md"}


def test_kbignore_and_hidden_files_skipped(settings, tmp_path):
    docs = tmp_path / "docs"
    write(docs, "README.md", "# how documents get here\n")
    write(docs, ".kbignore", "README.md\n*.toml\n")
    write(docs, "sources.toml", "[[source]]\n")
    write(docs, ".hidden.md", "secret\n")
    write(docs, "a.md", POLICY.format(verb="order"))
    r = Ingester(settings).run([docs])
    assert r.added == ["a.md"] and not r.failed


def test_cli_ingest_and_stats_on_the_real_excerpts(corpus_dir, tmp_path):
    env = {"KB_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    kb = [sys.executable, "-m", "kb.cli"]
    out = subprocess.run(kb + ["ingest", str(corpus_dir)], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    n = len(list(corpus_dir.glob("*.md")))
    assert out.stdout.startswith(f"added {n}, updated 0, unchanged 0, removed 0, failed 0")
    again = subprocess.run(kb + ["ingest", str(corpus_dir)], env=env, capture_output=True, text=True)
    assert f"unchanged {n}," in again.stdout
    stats = subprocess.run(kb + ["stats"], env=env, capture_output=True, text=True).stdout
    for ref in ("STMM 3-501.0", "SAM 4605", "GC 11541", "PCC 12120", "STMM 0507.0"):
        assert ref in stats
    assert f"Documents:  {n}" in stats


def test_an_index_written_with_text_in_the_document_field_still_reads(settings, tmp_path):
    """Indexes written before chunk text moved into the metadata keep answering after an upgrade."""
    docs = tmp_path / "docs"
    write(docs, "a.md", POLICY.format(verb="order"))
    Ingester(settings).run([docs])
    store = Store(settings)
    got = store.chunks.get(include=["embeddings", "metadatas"])
    metas = [dict(m) for m in got["metadatas"]]
    texts = [m.pop("text") for m in metas]
    store.chunks.delete(ids=got["ids"])  # an upsert would keep the metadata's text key
    store.chunks.add(ids=got["ids"], embeddings=got["embeddings"], documents=texts, metadatas=metas)
    assert all("text" not in m for m in store.chunks.get(include=["metadatas"])["metadatas"])
    texts_now, _ = _texts(settings)
    assert "order pagers" in texts_now["a.md"]
