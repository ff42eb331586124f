"""The knowledge base: configuration, store, retrieval, cited answers, guidance and the `kb` CLI."""
from __future__ import annotations

from .config import Settings, get_settings

__all__ = ["Settings", "as_query_engine", "as_retriever", "get_settings", "index_summary"]


def index_summary(settings: Settings | None = None) -> dict:
    """What the index holds (documents, chunks, sections, model, location), from its manifest."""
    from . import stats
    from .store import Store

    settings = settings or get_settings()
    return stats.summary(Store(settings).read_manifest(), settings)


def as_retriever(k: int = 5, settings: Settings | None = None):
    """A llama-index BaseRetriever of this knowledge base's passages (NodeWithScore, with metadata
    doc, title, section, heading, page and url), through the answers' hybrid retrieval."""
    from .answer import KnowledgeBase
    from .llamaindex import KBRetriever

    return KBRetriever(KnowledgeBase(settings or get_settings()), k=k)


def as_query_engine(settings: Settings | None = None):
    """A llama-index query engine whose Response is the cited answer: citations as source_nodes,
    status, guidance and mode in metadata. Extractive or LLM mode, as the settings say."""
    from .answer import KnowledgeBase
    from .llamaindex import KBQueryEngine

    return KBQueryEngine(kb=KnowledgeBase(settings or get_settings()))
