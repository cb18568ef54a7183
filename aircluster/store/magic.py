"""What a file is, from its first bytes: checked before any input is parsed.

Text formats (JSON Lines, CSV) have no signature of their own, so they are refused only when they
start like a known binary format (a compressed file, an archive, an image, UTF-16 text): every such
signature holds a byte that no UTF-8 text line starts with, so no real CSV header is mistaken for one.
"""

from __future__ import annotations

PARQUET = b"PAR1"  # at both ends of every Parquet file
JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"
HEAD_BYTES = 16

_BINARY = (
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"PK\x03\x04", "a zip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (PNG, "a PNG image"),
    (JPEG, "a JPEG image"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"\xff\xfe\x00\x00", "UTF-32 text"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
)
_IMAGES = (
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
)


def binary_kind(head: bytes) -> str | None:
    """The binary format `head` starts like, if any (for refusing it as text)."""
    if head.startswith(b"BZh") and head[4:10] == b"1AY&SY":
        return "bzip2-compressed data"
    return next((name for sig, name in _BINARY if head.startswith(sig)), None)


def image_kind(head: bytes) -> str | None:
    """ "JPEG" or "PNG" (the formats images are imported in), else a description of what it is, else None."""
    if head.startswith(JPEG):
        return "JPEG"
    if head.startswith(PNG):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP image"
    if head[4:8] == b"ftyp":
        return "an HEIF or AVIF image" if head[8:12] in (b"heic", b"heix", b"mif1", b"avif") else "an MP4-family file"
    return next((name for sig, name in _IMAGES + _BINARY if head.startswith(sig)), None)
