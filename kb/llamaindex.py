"""The knowledge base inside llama-index: a retriever of cited passages and a query engine of cited answers."""
from __future__ import annotations

from typing import Any

from llama_index.core.base.base_retriever import BaseRetriever
from llama_index.core.base.response.schema import Response
from llama_index.core.query_engine import CustomQueryEngine
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

FIELDS = ("doc", "title", "section", "heading", "page", "url")  # each node's metadata


def node(text: str, source, node_id: str | None = None) -> TextNode:
    """A TextNode of a passage or quote, with where it comes from as metadata (from a record or a
    citation). Nothing of it goes to an embedding model: the metadata is kept out of embeddings."""
    get = source.get if isinstance(source, dict) else lambda k: getattr(source, k)
    meta = {k: get(k) for k in FIELDS}
    kw = {"id_": node_id} if node_id else {}
    return TextNode(text=text, metadata=meta, excluded_embed_metadata_keys=list(FIELDS), **kw)


class KBRetriever(BaseRetriever):
    """The k best passages for a query, in the order the answers weigh them: the hybrid retrieval
    (dense, BM25, section routing) finds them, and the fitted ranker (kb/scorer.py) puts first the
    passages whose sentences answer best, as the LLM mode's prompt does. A node's score is the
    ranker's score of its best sentence (log-odds), or, for a question the ranker did not read (a
    section look-up, a question outside the field), the fused retrieval score."""

    def __init__(self, kb, k: int = 5):
        super().__init__()
        self.kb, self.k = kb, k

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        idx = self.kb.index()
        if not idx.records or not query_bundle.query_str.strip():
            return []
        d = self.kb.draft(query_bundle.query_str)
        best: dict[int, tuple[object, float]] = {}
        for c in d.candidates:  # best first
            best.setdefault(c.hit.i, (c.hit.record, c.score))
        if not best:
            best = {h.i: (h.record, h.score) for h in d.hits}
        return [NodeWithScore(node=node(rec.text, rec, rec.id), score=score)
                for rec, score in list(best.values())[:self.k]]


class KBQueryEngine(CustomQueryEngine):
    """Cited answers as llama-index Responses: the text is the answer (extractive or LLM, as the
    knowledge base's settings say), source_nodes the citations (each node's text its quote) and
    metadata the status, guidance and mode."""

    kb: Any

    def custom_query(self, query_str: str) -> Response:
        return response(self.kb.ask(query_str))


def response(result: dict) -> Response:
    """A Response for one result of KnowledgeBase.ask (the JSON contract)."""
    sources = [NodeWithScore(node=node(c["quote"], c), score=None) for c in result.get("citations") or []]
    meta = {"status": result["status"], "guidance": result.get("guidance"),
            "mode": result.get("mode", "extractive"), "timing_ms": result.get("timing_ms")}
    return Response(response=result["answer"], source_nodes=sources, metadata=meta)
