"""`bench.run --only`: phases the table needs that no earlier run saved are run as well."""
import json

from bench import run


def _fake(monkeypatch, ran):
    monkeypatch.setattr(run, "generate", lambda path, pages: {"files": 1, "pages": pages, "bytes": 1})

    def phase(name, log, env, **args):
        ran.append(name)
        return {"seconds": 1.0, "chunks": 3, "failed": 0, "statuses": {"answered": 1}, "p50_ms": 1, "p95_ms": 2,
                "peak_rss_mb": 1, "index_mb": 1}
    monkeypatch.setattr(run, "phase", phase)


def test_only_on_a_new_machine_also_runs_what_the_table_needs(monkeypatch, tmp_path):
    ran = []
    _fake(monkeypatch, ran)
    r = run.run_size(10, tmp_path, stock=False, only=["kb-ask"])
    assert sorted(ran) == ["floor", "kb-ask", "kb-ingest"]
    assert "|" in run.table([r])  # the table is made, not a KeyError


def test_only_keeps_the_saved_phases(monkeypatch, tmp_path):
    ran = []
    _fake(monkeypatch, ran)
    saved = tmp_path / "pages-10" / "results.json"
    saved.parent.mkdir(parents=True)
    old = {"seconds": 5.0, "chunks": 3, "failed": 0, "p50_ms": 1, "p95_ms": 2, "peak_rss_mb": 1, "index_mb": 1,
           "statuses": {"answered": 1}}
    saved.write_text(json.dumps({"kb_ingest": old, "kb_ask": old, "floor": old}))
    r = run.run_size(10, tmp_path, stock=False, only=["kb-ask"])
    assert ran == ["kb-ask"]
    assert r["floor"]["seconds"] == 5.0
