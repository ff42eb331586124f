"""llama-index as the way in: kb.as_retriever and kb.as_query_engine, alone and inside llama-index's own machinery."""
from __future__ import annotations

import pytest

SIGN = "Who must sign a CALNET exemption request?"
FIELDS = {"doc", "title", "section", "heading", "page", "url"}


@pytest.fixture(scope="module")
def engine(corpus_settings):
    import kb

    return kb.as_query_engine(corpus_settings)


def test_the_query_engine_answers_with_the_citations_as_source_nodes(engine, corpus_kb):
    from llama_index.core.base.response.schema import Response

    r = engine.query(SIGN)
    expected = corpus_kb.ask(SIGN)
    assert isinstance(r, Response) and str(r) == expected["answer"]
    assert "Agency Information Officer (AIO)" in str(r)
    first = r.source_nodes[0]
    assert set(first.node.metadata) == FIELDS and first.node.metadata["section"] == "STMM 3-501.0"
    assert [n.node.get_content() for n in r.source_nodes] == [c["quote"] for c in expected["citations"]]
    assert r.metadata["status"] == "answered" and r.metadata["mode"] == "extractive"
    assert r.metadata["guidance"]["path"] == "exemption"


def test_an_abstention_has_no_source_nodes(engine):
    r = engine.query("What is a good recipe for lasagna?")
    assert r.metadata["status"] == "out_of_scope" and r.source_nodes == []
    assert "outside what this knowledge base covers" in str(r)


def test_the_retriever_yields_passages_through_the_answers_hybrid_retrieval(corpus_settings, corpus_kb):
    import kb
    from llama_index.core.schema import NodeWithScore

    nodes = kb.as_retriever(k=5, settings=corpus_settings).retrieve("SAM 4605")
    assert len(nodes) == 5 and all(isinstance(n, NodeWithScore) for n in nodes)
    assert nodes[0].node.metadata["section"] == "SAM 4605"  # a named section comes first
    assert all(set(n.node.metadata) == FIELDS for n in nodes)
    hits = corpus_kb.draft("SAM 4605").hits[:5]  # a look-up is not ranked by sentence: retrieval order
    assert [(n.node.node_id, n.node.get_content(), n.score) for n in nodes] == \
        [(h.record.id, h.record.text, h.score) for h in hits]


def test_the_retriever_puts_first_the_passage_whose_sentence_answers(corpus_settings, corpus_kb):
    import kb

    nodes = kb.as_retriever(k=5, settings=corpus_settings).retrieve(SIGN)
    assert "All written requests must be signed" in nodes[0].node.get_content()
    assert [n.score for n in nodes] == sorted((n.score for n in nodes), reverse=True)
    best = corpus_kb.draft(SIGN).candidates[0]
    assert nodes[0].node.node_id == best.hit.record.id and nodes[0].score == best.score


def test_a_retriever_query_engine_with_mock_llm_reads_these_passages(corpus_settings):
    import kb
    from llama_index.core.llms import MockLLM
    from llama_index.core.query_engine import RetrieverQueryEngine

    retriever = kb.as_retriever(k=5, settings=corpus_settings)
    r = RetrieverQueryEngine.from_args(retriever, llm=MockLLM()).query(SIGN)
    assert [n.node.node_id for n in r.source_nodes] == [n.node.node_id for n in retriever.retrieve(SIGN)]
    # MockLLM answers with the prompt it was given: the passages, with their section as metadata
    assert "All written requests must be signed" in str(r) and "section: STMM 3-501.0" in str(r)


def test_the_query_engine_works_as_a_tool(engine):
    from llama_index.core.tools import QueryEngineTool

    tool = QueryEngineTool.from_defaults(engine, name="calnet_policy",
                                         description="Cited answers on California telecom policy")
    out = tool.call(SIGN)
    assert "Agency Information Officer (AIO)" in out.content
    assert out.raw_output.source_nodes[0].node.metadata["section"] == "STMM 3-501.0"


def test_in_llm_mode_the_response_is_the_verified_llm_answer(corpus_settings):
    import kb
    from tests.fake_llm import FakeLLM

    fake = FakeLLM()
    try:
        r = kb.as_query_engine(corpus_settings.model_copy(update={
            "llm_url": fake.url, "llm_model": "fixture-model", "llm_timeout_s": 5.0})).query(SIGN)
    finally:
        fake.close()
    assert fake.requests and r.metadata["mode"] == "llm" and "Agency Information Officer" in str(r)
    assert all(set(n.node.metadata) == FIELDS for n in r.source_nodes)
