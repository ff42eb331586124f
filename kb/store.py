"""The Chroma store: chunk collection plus one manifest record, embedded or on a Chroma server."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from . import embed
from .config import Settings

MANIFEST_ID = "manifest"
TEXT = "text"  # metadata key holding a chunk's text


def _embedding_function():
    """Chroma must never reach for its own default model: it gets ours, explicitly."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class KbEmbedding(EmbeddingFunction[Documents]):
        def __init__(self) -> None:
            pass

        def __call__(self, input: Documents) -> Embeddings:
            import numpy as np

            return [np.asarray(v, dtype=np.float32) for v in embed.embed(list(input))]

        @staticmethod
        def name() -> str:
            return "kb-minilm-l6-v2"

        def get_config(self) -> dict[str, Any]:
            return {}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> "KbEmbedding":
            return KbEmbedding()

    return KbEmbedding()


_EF = None


def _ef():
    global _EF
    if _EF is None:
        _EF = _embedding_function()
    return _EF


def make_client(settings: Settings):
    """An embedded PersistentClient under KB_HOME, or an HttpClient when KB_CHROMA_URL is set."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    cs = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        u = urlparse(settings.chroma_url)
        return chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                   ssl=u.scheme == "https", settings=cs)
    path = settings.home / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=cs)


OVERFETCH = 4  # nearest chunks asked of the vector index for each one kept


def chunk_id(fid: str, n: int) -> str:
    """The id of a file version's n-th chunk."""
    return f"{fid}-{n:05d}"


def fid_of(chunk: str) -> str:
    """The file version a chunk id belongs to (see chunk_id)."""
    return chunk.rsplit("-", 1)[0]


def _clean_meta(meta: dict) -> dict:
    return {k: v for k, v in meta.items() if v is not None and v != ""}


class Store:
    """Chunks with their embeddings, and the manifest saying which files' chunks are live."""

    def __init__(self, settings: Settings, client=None):
        self.settings = settings
        self.client = client or make_client(settings)
        self.chunks = self.client.get_or_create_collection(
            f"{settings.collection}_chunks", embedding_function=_ef(),
            configuration={"hnsw": {"space": "cosine"}})
        self.meta = self.client.get_or_create_collection(f"{settings.collection}_meta",
                                                         embedding_function=_ef())
        self._manifest: dict | None = None  # the last manifest read, by generation

    # The manifest: one record, replaced in a single write, so readers see old or new, never half.
    # Its generation is also in the record's metadata, so that a reader asking question after
    # question fetches and parses the (large) manifest only when an ingest has committed.
    def read_manifest(self) -> dict:
        if self._manifest is not None:
            got = self.meta.get(ids=[MANIFEST_ID], include=["metadatas"])
            metas = got.get("metadatas") or []
            if metas and (metas[0] or {}).get("generation") == self._manifest.get("generation"):
                return self._manifest
        got = self.meta.get(ids=[MANIFEST_ID], include=["documents", "metadatas"])
        docs = got.get("documents") or []
        manifest = json.loads(docs[0]) if docs and docs[0] else {"generation": "", "files": {}}
        metas = got.get("metadatas") or []
        if metas and (metas[0] or {}).get("generation") == manifest.get("generation"):
            self._manifest = manifest
        return manifest

    def write_manifest(self, manifest: dict) -> None:
        vec = [1.0] + [0.0] * (embed.DIM - 1)
        self.meta.upsert(ids=[MANIFEST_ID], documents=[json.dumps(manifest)], embeddings=[vec],
                         metadatas=[{"generation": manifest.get("generation") or "-"}])
        self._manifest = None

    def generation(self) -> str:
        return self.read_manifest().get("generation", "")

    # Chunks.
    def add(self, ids: list[str], vectors: list[list[float]], texts: list[str], metas: list[dict]) -> None:
        """Performance: the text goes in the metadata, not in Chroma's document field, whose
        full-text index nothing here uses (a third of the write cost; lexical search is BM25)."""
        step = max(1, min(self.client.get_max_batch_size(), 4000))
        for i in range(0, len(ids), step):
            self.chunks.upsert(ids=ids[i:i + step], embeddings=vectors[i:i + step],
                               metadatas=[{**_clean_meta(m), TEXT: t}
                                          for m, t in zip(metas[i:i + step], texts[i:i + step])])

    def count_fid(self, fid: str) -> int:
        return len(self.chunks.get(where={"fid": fid}, include=[])["ids"])

    def delete_except(self, keep_fids: list[str]) -> None:
        """Remove every chunk whose file version is not in keep_fids."""
        where = {"fid": {"$nin": keep_fids}} if keep_fids else {"fid": {"$ne": ""}}
        self.chunks.delete(where=where)

    def all_chunks(self, fids: list[str], page: int = 5000):
        """Yield (id, text, metadata) for every chunk of the given file versions."""
        if not fids:
            return
        for start in range(0, len(fids), 500):
            where = {"fid": {"$in": fids[start:start + 500]}}
            offset = 0
            while True:
                got = self.chunks.get(where=where, include=["documents", "metadatas"],
                                      limit=page, offset=offset)
                for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                    meta = dict(meta or {})
                    yield cid, meta.pop(TEXT, None) or doc or "", meta  # doc: an index written before
                if len(got["ids"]) < page:
                    break
                offset += page

    def query(self, vector: list[float], k: int, fids: list[str]) -> list[tuple[str, float]]:
        """Nearest chunks among live file versions: (id, cosine similarity).

        Performance: a metadata filter makes Chroma scan every chunk's metadata (about a second at
        65,000 chunks), while the plain vector search takes milliseconds. So the OVERFETCH × k
        nearest chunks are fetched unfiltered and the live ones kept; only when fewer than k of them are live
        (right after an ingest, while the previous generation is still stored) is the filtered
        query run. The k nearest live chunks are the same either way."""
        if not fids:
            return []
        live = set(fids)
        # The approximate (HNSW) search does not return the same tail twice: asked for OVERFETCH
        # times as many, its k nearest are the same from one run to the next.
        want = OVERFETCH * k
        # A chunk's id is its file version's fid and its place ('<fid>-00042'), so the live ones are
        # told apart without fetching metadata (which costs more than the search itself).
        res = self.chunks.query(query_embeddings=[vector], n_results=want, include=["distances"])
        ids, dists = res["ids"][0], res["distances"][0]
        got = sorted(((i, 1.0 - d) for i, d in zip(ids, dists) if fid_of(i) in live), key=lambda x: (-x[1], x[0]))
        if len(got) >= k or len(ids) < want:
            return got[:k]
        res = self.chunks.query(query_embeddings=[vector], n_results=k,
                                where={"fid": {"$in": fids}}, include=["distances"])
        return sorted(((i, 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0])), key=lambda x: (-x[1], x[0]))
