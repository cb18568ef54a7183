"""Only regular files are read: what `data import` refuses before it opens anything.

Symbolic links are refused, wherever they are: a path named on the command line, a file or folder a
glob matched, a class folder or an image inside an image folder. They are not followed even when
they would resolve inside the source tree. The files an import reads are usually prepared by someone
else; a link lets that someone make the steward's import read any file the steward can read (a key,
another project's data) into a dataset that others may later read, and "inside the tree" is a
property of every link on the way that can change between the check and the read. Refusing is simple
to state and to check; whoever trusts a link names its target (`realpath`) instead.

FIFOs, sockets and devices are refused from `lstat` alone, so they are never opened: opening a FIFO
waits for a writer forever, and reading /dev/zero never ends. The file is then opened with
O_NOFOLLOW | O_NONBLOCK and checked again with `fstat`, so one swapped in between the two is refused
too, without blocking.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from aircluster.errors import InputError
from aircluster.store.limits import over

SYMLINK_REFUSED = "is a symbolic link; links are not followed: name the file or folder it points to if you trust it"
_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def special_kind(mode: int) -> str | None:
    """What a non-regular, non-folder, non-link file is ("a FIFO (named pipe)", ...), or None."""
    return next((name for test, name in _KINDS if test(mode)), None)


def lstat(path: Path) -> os.stat_result:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        raise InputError("no such file or directory", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be examined ({exc.strerror})", str(path)) from None


def refusal(st: os.stat_result, *, folder_ok: bool) -> str | None:
    """Why a file with this `lstat` result is not read, or None if it is a regular file (or an allowed folder)."""
    if stat.S_ISREG(st.st_mode) or (folder_ok and stat.S_ISDIR(st.st_mode)):
        return None
    if stat.S_ISLNK(st.st_mode):
        return SYMLINK_REFUSED
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a file"
    kind = special_kind(st.st_mode) or "not a regular file"
    return f"is {kind}, not a regular file; only regular files are read"


def open_regular(path: Path, max_bytes: int, flag: str = "--max-file-bytes") -> BinaryIO:
    """`path` opened for reading if it is a regular file of at most `max_bytes`; an InputError naming it otherwise."""
    st = lstat(path)
    if (why := refusal(st, folder_ok=False)) is not None:
        raise InputError(why, str(path))
    if st.st_size > max_bytes:
        raise InputError("is " + over(st.st_size, max_bytes, flag), str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise InputError(f"cannot be opened ({exc.strerror})", str(path)) from None
    now = os.fstat(fd)
    if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
        os.close(fd)
        raise InputError("was replaced while being opened; it is not read", str(path))
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def bounded_lines(f: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line of `f`; None in place of a line over `limit` bytes (its newline not
    counted), which is skipped without ever being held whole: a file without newlines cannot fill memory."""
    lineno = 0
    while line := f.readline(limit + 1):
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := f.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
        else:
            yield lineno, line
