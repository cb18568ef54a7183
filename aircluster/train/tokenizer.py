"""Tokenizers that need no download: raw bytes by default, or a byte-level BPE trained on the run's data.

Both kinds share one interface (vocab_size, pad_id, bos_id, eos_id, encode, decode, save) so the trainer
does not care which one it holds. A BPE tokenizer is stored in the run directory, so a resumed run and
the demo's text generation use exactly the tokenizer the model was trained with.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from aircluster.errors import InputError, NotFound, UsageError

if TYPE_CHECKING:
    import tokenizers  # imported lazily at run time: only BPE needs it

BYTE_VOCAB_SIZE = 259  # 256 byte values + pad, bos, eos
TOKENIZER_DIR = "tokenizer"  # inside a run directory
_META_FILE = "tokenizer_meta.json"
_BPE_FILE = "tokenizer.json"
SPECIAL_TOKENS = ("<pad>", "<bos>", "<eos>")
TOKENIZER_KINDS = ("byte", "bpe")


class Tokenizer(Protocol):
    kind: str
    vocab_size: int
    pad_id: int
    bos_id: int
    eos_id: int

    def encode(self, text: str, bos: bool = False, eos: bool = False) -> list[int]: ...
    def decode(self, ids: Iterable[int]) -> str: ...
    def save(self, directory: str | os.PathLike) -> None: ...


class ByteTokenizer:
    """UTF-8 bytes as ids 0..255; pad = 256, bos = 257, eos = 258."""

    kind = "byte"
    vocab_size = BYTE_VOCAB_SIZE
    pad_id = 256
    bos_id = 257
    eos_id = 258

    def encode(self, text: str, bos: bool = False, eos: bool = False) -> list[int]:
        ids = list(text.encode("utf-8"))
        return ([self.bos_id] if bos else []) + ids + ([self.eos_id] if eos else [])

    def decode(self, ids: Iterable[int]) -> str:
        # Special ids are dropped; a cut multi-byte character (e.g. at a sampling boundary) decodes to U+FFFD.
        return bytes(i for i in ids if 0 <= i < 256).decode("utf-8", errors="replace")

    def save(self, directory: str | os.PathLike) -> None:
        _write_meta(Path(directory), {"kind": self.kind, "vocab_size": self.vocab_size})


def _special_id(tokenizer: tokenizers.Tokenizer, token: str) -> int:
    token_id = tokenizer.token_to_id(token)
    if token_id is None:
        raise InputError(f"BPE tokenizer has no {token} token (one trained by aircluster has {', '.join(SPECIAL_TOKENS)})")
    return token_id


class BPETokenizer:
    """Byte-level BPE from the `tokenizers` library; every input is encodable (no unknown token)."""

    kind = "bpe"

    def __init__(self, tokenizer: tokenizers.Tokenizer):
        self._tok = tokenizer
        self.pad_id, self.bos_id, self.eos_id = (_special_id(tokenizer, t) for t in SPECIAL_TOKENS)
        self.vocab_size = tokenizer.get_vocab_size()

    @classmethod
    def train(cls, texts: Iterable[str], vocab_size: int) -> BPETokenizer:
        """Learn merges from texts; vocab_size counts the 256 byte symbols and the special tokens."""
        from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

        minimum = 256 + len(SPECIAL_TOKENS)
        if vocab_size < minimum:
            raise UsageError(f"tokenizer: BPE vocab_size must be at least {minimum}, got {vocab_size}")
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(
            vocab_size=vocab_size,
            special_tokens=list(SPECIAL_TOKENS),
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        )
        tok.train_from_iterator(texts, trainer=trainer)
        return cls(tok)

    @classmethod
    def load(cls, directory: str | os.PathLike) -> BPETokenizer:
        from tokenizers import Tokenizer

        path = Path(directory) / _BPE_FILE
        if not path.is_file():
            raise NotFound(f"{path}: no BPE tokenizer saved here; train one first (tokenizer kind 'bpe')")
        try:
            return cls(Tokenizer.from_file(str(path)))
        except Exception as err:  # the library raises a bare Exception on malformed JSON
            raise InputError(f"cannot load BPE tokenizer: {err}", path=str(path)) from err

    def encode(self, text: str, bos: bool = False, eos: bool = False) -> list[int]:
        ids = self._tok.encode(text, add_special_tokens=False).ids
        return ([self.bos_id] if bos else []) + ids + ([self.eos_id] if eos else [])

    def decode(self, ids: Iterable[int]) -> str:
        return self._tok.decode(list(ids), skip_special_tokens=True)

    def save(self, directory: str | os.PathLike) -> None:
        directory = Path(directory)
        _atomic_write(directory / _BPE_FILE, self._tok.to_str())
        _write_meta(directory, {"kind": self.kind, "vocab_size": self.vocab_size})


def load_tokenizer(
    kind: str,
    run_dir: str | os.PathLike | None = None,
    texts: Iterable[str] | None = None,
    vocab_size: int = 4096,
) -> ByteTokenizer | BPETokenizer:
    """The run's tokenizer.

    "byte" needs nothing. "bpe" loads `run_dir/tokenizer/` if present (a resumed run); otherwise it is
    trained on `texts` with `vocab_size` and saved there, so later runs and generation reuse it.
    """
    if kind not in TOKENIZER_KINDS:
        raise UsageError(f"tokenizer: unknown kind {kind!r}; choose one of {', '.join(TOKENIZER_KINDS)}")
    if kind == "byte":
        return ByteTokenizer()
    directory = Path(run_dir) / TOKENIZER_DIR if run_dir is not None else None
    if directory is not None and (directory / _BPE_FILE).is_file():
        return BPETokenizer.load(directory)
    if texts is None:
        raise NotFound(f"{directory}: no BPE tokenizer saved, and no texts given to train one")
    tokenizer = BPETokenizer.train(texts, vocab_size)
    if directory is not None:
        tokenizer.save(directory)
    return tokenizer


def _write_meta(directory: Path, meta: dict) -> None:
    _atomic_write(directory / _META_FILE, json.dumps(meta))


def _atomic_write(path: Path, text: str) -> None:
    """Write via a temp file and rename, so a crash never leaves a half-written tokenizer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
