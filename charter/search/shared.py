"""The vector matrix in files that every worker maps, when `CHARTER_VECTOR_DIR` is set: one copy in the
page cache for all the workers of a machine instead of one in each (about 40 MB at size M, 170 MB at L),
and beside it the rows' sign codes (`vectors.sign_codes`, 1/32 of the vectors' size).

A file's name holds the index token it was built for, and every write of documents gives a new token, so
a worker never maps a stale matrix; each file is written under a temporary name and renamed into place,
so none is ever read half written. Without the setting each process keeps its own matrix in memory.
"""

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np
from django.conf import settings

META = ("ids", "teams", "cycles", "block_names", "block_bounds", "token", "counter")
# the files' layout (2: with the sign codes; 3: with the token and counter they were built at); in each
# name, so that no worker maps another
LAYOUT = "3"


def _directory() -> Path | None:
    folder = getattr(settings, "CHARTER_VECTOR_DIR", None)
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _prefix(organization_id: int, model: str, dimension: int) -> str:
    return f"{organization_id}-{hashlib.sha256(model.encode()).hexdigest()[:16]}-{dimension}-"


def _version(token: str) -> str:
    return f"{LAYOUT}-{token}"


def load(organization_id: int, model: str, dimension: int, token: str) -> dict | None:
    """The arrays of the matrix built for `token` (vectors mapped read-only), or None when there is none."""
    folder = _directory()
    if folder is None:
        return None
    return _load(folder / (_prefix(organization_id, model, dimension) + _version(token)))


def latest(organization_id: int, model: str, dimension: int) -> dict | None:
    """The arrays of the newest file of the organization and model (an older token's: `vectors.matrix`
    catches up from its counter), or None."""
    folder = _directory()
    if folder is None:
        return None
    found = []
    for meta in folder.glob(_prefix(organization_id, model, dimension) + _version("*") + ".meta.npz"):
        arrays = _load(Path(str(meta).removesuffix(".meta.npz")))
        if arrays is not None:
            found.append(arrays)
    return max(found, key=lambda a: int(a["counter"]), default=None)


def _load(stem: Path) -> dict | None:
    try:  # the metadata is written last: when it is there, so are the vectors
        with np.load(f"{stem}.meta.npz", allow_pickle=False) as meta:
            arrays = {name: meta[name] for name in META}
        arrays["vectors"] = np.load(f"{stem}.npy", mmap_mode="r", allow_pickle=False)
        arrays["codes"] = np.load(f"{stem}.codes.npy", mmap_mode="r", allow_pickle=False)
    except (FileNotFoundError, KeyError):
        return None
    return arrays


def save(organization_id: int, model: str, dimension: int, token: str, arrays: dict) -> dict:
    """Write the arrays for `token`, drop the files of older tokens, and return them mapped."""
    folder = _directory()
    if folder is None:
        return arrays
    prefix = _prefix(organization_id, model, dimension)
    stem = folder / (prefix + _version(token))
    _write(f"{stem}.npy", lambda f: np.save(f, np.ascontiguousarray(arrays["vectors"]), allow_pickle=False))
    _write(f"{stem}.codes.npy", lambda f: np.save(f, arrays["codes"], allow_pickle=False))
    _write(f"{stem}.meta.npz", lambda f: np.savez(f, **{name: arrays[name] for name in META}))
    for old in folder.glob(prefix + "*"):
        if not old.name.startswith(prefix + _version(token) + "."):
            old.unlink(missing_ok=True)  # a worker still mapping it keeps its pages until it moves on
    return load(organization_id, model, dimension, token) or arrays


def _write(path: str, write) -> None:
    folder = os.path.dirname(path)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as f:
        try:
            write(f)
        except BaseException:
            os.unlink(f.name)
            raise
    os.replace(f.name, path)
