"""Image folders for `data import`: one sub-folder per class, JPEG and PNG files in them (at any depth).

Nothing is opened until it is known to be a regular file with an image's name; its first bytes must
then be JPEG's or PNG's before it is decoded. Class folders that are links are refused outright (a
link would import whatever it points to); a bad file inside a class folder is a bad record, which
`--on-error skip` may skip.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from aircluster.errors import InputError
from aircluster.store.limits import Limits, over
from aircluster.store.magic import HEAD_BYTES, image_kind
from aircluster.store.regular import SYMLINK_REFUSED, open_regular, refusal

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}

# (record, None) or an InputError for a bad image, as the other readers yield.
Item = tuple[dict[str, Any], None] | InputError


def image_records(root: Path, on_bytes: Any, limits: Limits) -> Iterator[Item]:
    """Each image under `root` as a record; `on_bytes(n)` is told of every n bytes read."""
    for label_id, label in enumerate(class_names(root)):
        for path, why in class_files(root / label):
            if why is not None:
                yield InputError(why, str(path))
                continue
            yield _image(path, root, label, label_id, on_bytes, limits)


def class_names(root: Path) -> list[str]:
    """The class sub-folders of an image folder, sorted; a link among them is refused outright."""
    classes = []
    for entry in entries(root):
        if entry.is_symlink():
            raise InputError(SYMLINK_REFUSED, entry.path)
        if entry.is_dir(follow_symlinks=False):
            classes.append(entry.name)
    # other entries beside the class folders belong to no class: they are left alone, never opened
    if not classes:
        raise InputError("has no class sub-folders (expected one sub-folder per class)", str(root))
    return classes


def entries(folder: Path) -> list[os.DirEntry[str]]:
    """A folder's entries, hidden ones left out, sorted by name."""
    try:
        with os.scandir(folder) as it:
            return sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(f"cannot be listed ({exc.strerror})", str(folder)) from None


def class_files(top: Path) -> Iterator[tuple[Path, str | None]]:
    """Every file under `top` in os.walk's order (a folder's files, then each sub-folder's), each with why it is
    refused (a link, a FIFO, a device) or None. Iterative, so a hostile tree's depth costs no stack."""
    stack = [top]
    while stack:
        subfolders = []
        for entry in entries(stack.pop()):
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(Path(entry.path))
            else:
                yield (Path(entry.path), refusal(entry.stat(follow_symlinks=False), folder_ok=False))
        stack.extend(reversed(subfolders))


def named_as_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


NOT_AN_IMAGE_NAME = "is not a JPEG or PNG file"


def _image(path: Path, root: Path, label: str, label_id: int, on_bytes: Any, limits: Limits) -> Item:
    from PIL import Image, UnidentifiedImageError

    if not named_as_image(path):
        return InputError(NOT_AN_IMAGE_NAME, str(path))
    try:
        with open_regular(path, limits.file_bytes) as f:
            size = os.fstat(f.fileno()).st_size
            if size > limits.field_bytes:  # the image is stored whole, as one field
                return InputError("is " + over(size, limits.field_bytes, "--max-field-bytes"), str(path))
            data = f.read(limits.field_bytes + 1)
    except InputError as err:
        return err
    on_bytes(len(data))
    if len(data) > limits.field_bytes:
        return InputError("grew while it was read; it is not imported", str(path))
    kind = image_kind(data[:HEAD_BYTES])
    if kind not in ("JPEG", "PNG"):
        return InputError(
            f"is {kind}, not JPEG or PNG" if kind else "is not a JPEG or PNG file (its first bytes are neither)",
            str(path),
        )
    try:
        with Image.open(io.BytesIO(data)) as im:
            fmt, (width, height) = im.format, im.size
            im.load()  # a full decode: verify() misses truncated JPEG data
    except Image.DecompressionBombError:
        return InputError("has more pixels than images are decoded with (a decompression bomb?)", str(path))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        return InputError(f"unreadable image ({type(exc).__name__})", str(path))
    if fmt not in ("JPEG", "PNG"):
        return InputError(f"is {fmt}, not JPEG or PNG", str(path))
    return {
        "image": data,
        "label": label,
        "label_id": label_id,
        "file": str(path.relative_to(root)),
        "format": fmt,
        "width": width,
        "height": height,
    }, None
