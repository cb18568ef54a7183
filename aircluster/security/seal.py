"""The one AEAD recipe of aircluster: AES-256-GCM, and the only module that touches it.

    key = generate_key()
    box = Sealer(key)
    blob = box.seal(plaintext, aad)              # random 96-bit nonce, stored in front: nonce || ciphertext+tag
    box.open(blob, aad) -> bytes                 # AuthenticationFailed if anything differs
    box.seal_at(nonce, plaintext, aad)           # a caller-chosen nonce that never repeats under the key
    box.open_at(nonce, ciphertext, aad, out=None)

Small on purpose, in the spirit of pyca/cryptography's AEAD classes: one key per object, associated data
always explicit, and one exception for every way authentication can fail (wrong key, edited or
truncated ciphertext, other associated data, a blob too short to hold a nonce).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16


class AuthenticationFailed(Exception):
    """The ciphertext, its associated data or the key is not the one it was sealed with."""


def generate_key() -> bytes:
    return AESGCM.generate_key(256)


def sealed_size(plain_size: int) -> int:
    """Bytes of `seal`'s output for a plaintext of this size."""
    return NONCE_BYTES + plain_size + TAG_BYTES


class Sealer:
    def __init__(self, key: bytes):
        if len(key) != KEY_BYTES:
            raise ValueError(f"an AES-256-GCM key has {KEY_BYTES} bytes, not {len(key)}")
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, aad)

    def open(self, blob: bytes, aad: bytes) -> bytes:
        if len(blob) < NONCE_BYTES + TAG_BYTES:
            raise AuthenticationFailed("sealed blob is too short")
        return self.open_at(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad).tobytes()

    def seal_at(self, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
        return self._aead.encrypt(nonce, plaintext, aad)

    def open_at(self, nonce: bytes, ciphertext: bytes | memoryview, aad: bytes, out: memoryview | None = None) -> memoryview:
        """Decrypt into `out` when given (it must hold len(ciphertext) - TAG_BYTES bytes), else a new buffer."""
        try:
            if out is not None:
                self._aead.decrypt_into(nonce, ciphertext, aad, out)
                return out
            return memoryview(self._aead.decrypt(nonce, ciphertext, aad))
        except (InvalidTag, ValueError):
            raise AuthenticationFailed("authentication failed") from None
