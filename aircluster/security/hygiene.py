"""Process hygiene for every process that holds plaintext or keys: no core dumps, and not dumpable.

A core dump of a reading process held its records and copies of the master key; a process that is not
dumpable also cannot be ptraced or have its memory read through /proc by other processes of the same
account (only by root). Called where a process first obtains keys (`KeyService`, `release_keys`), so
every such process is covered whoever started it: the CLI, loader workers, scan workers, trainers.

    no_core_dumps()      # idempotent and cheap; the dumpable flag resets on exec, so each program calls it
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3

_done_in: int | None = None  # the process that did it (a forked child inherits both; doing it again is harmless)


def _prctl(option: int, arg: int = 0) -> int:
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    result = libc.prctl(option, arg, 0, 0, 0)
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return result


def no_core_dumps() -> None:
    global _done_in
    if _done_in == os.getpid():
        return
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _prctl(PR_SET_DUMPABLE, 0)
    _done_in = os.getpid()


def is_dumpable() -> bool:
    return _prctl(PR_GET_DUMPABLE) != 0
