"""Run in a separate process: report what a reader of KB_HOME sees (used by crash and server tests)."""
from __future__ import annotations

import json

from kb import index as index_mod
from kb.config import get_settings
from kb.store import Store


def probe() -> dict:
    """The live manifest, the cached and freshly built reader views, and the raw chunk counts."""
    settings = get_settings()
    store = Store(settings)
    manifest = store.read_manifest()
    files = manifest.get("files", {})
    cached = index_mod.load(store, settings, manifest)
    fresh = index_mod.build(store, manifest)  # straight from Chroma, bypassing the cache
    fids = sorted({e["fid"] for e in files.values()})
    near = []
    if fresh.records:  # a dense query over the live versions, with a stored chunk's own vector
        got = store.chunks.get(ids=[fresh.records[0].id], include=["embeddings"])
        near = [cid for cid, _ in store.query(list(map(float, got["embeddings"][0])), 5, fids)]
    return {
        "generation": manifest.get("generation", ""),
        "files": {e["doc"]: {"fid": e["fid"], "chunks": e["chunks"]} for e in files.values()},
        "previous_fids": manifest.get("previous_fids", []),
        "cached": sorted((r.doc, r.text) for r in cached.records),
        "fresh": sorted((r.doc, r.text) for r in fresh.records),
        "fid_counts": {fid: store.count_fid(fid) for fid in fids},
        "total_chunks": store.chunks.count(),
        "dense": near,
        "live_ids": [r.id for r in fresh.records],
    }


if __name__ == "__main__":
    print(json.dumps(probe()))
