"""MUNGE credential latency: aircluster.security.munge (one `munge`/`unmunge` process per call) against libmunge
called in-process through ctypes, side by side, interleaved, against the same munged.

The server decodes one credential per TCP connection (the client keeps its connection), so what matters is
whether a process per credential is small next to a connection's life; the ctypes row says what a binding
would save.

    PYTHONPATH=$PWD python bench/munge.py [--socket PATH] [--n 200] [--runs 3] [--json]

Without --socket (or AIRCLUSTER_MUNGE_SOCKET) it starts a munged of its own with a fresh key (tests/munged.py).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import median, print_table  # noqa: E402

from aircluster.security import munge  # noqa: E402
from tests.munged import private_munged  # noqa: E402

MUNGE_OPT_SOCKET = 8  # munge_opt_t in munge.h


class LibMunge:
    """libmunge.so.2 through ctypes: the in-process alternative the binaries are measured against."""

    def __init__(self, socket: str):
        self.lib = ctypes.CDLL("libmunge.so.2")
        self.lib.munge_ctx_create.restype = ctypes.c_void_p
        self.ctx = ctypes.c_void_p(self.lib.munge_ctx_create())
        self.lib.munge_ctx_set(self.ctx, MUNGE_OPT_SOCKET, ctypes.c_char_p(socket.encode()))
        self.libc = ctypes.CDLL(None)

    def encode(self, payload: bytes) -> bytes:
        cred = ctypes.c_char_p()
        err = self.lib.munge_encode(ctypes.byref(cred), self.ctx, payload, len(payload))
        if err:
            raise RuntimeError(f"munge_encode: {err}")
        text = cred.value or b""
        self.libc.free(cred)
        return text

    def decode(self, cred: bytes) -> bytes:
        buf, size = ctypes.c_void_p(), ctypes.c_int()
        uid, gid = ctypes.c_uint32(), ctypes.c_uint32()
        err = self.lib.munge_decode(cred, self.ctx, ctypes.byref(buf), ctypes.byref(size), ctypes.byref(uid), ctypes.byref(gid))
        if err:
            raise RuntimeError(f"munge_decode: {err}")
        payload = ctypes.string_at(buf, size.value)
        self.libc.free(buf)
        return payload


def per_call_ms(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n * 1e3


def measure(socket: str, n: int, runs: int) -> dict[str, dict[str, float]]:
    lib = LibMunge(socket)
    nonce = os.urandom(16).hex().encode()
    samples: dict[str, dict[str, list[float]]] = {"binaries": {}, "libmunge (ctypes)": {}}
    for _ in range(runs):  # interleaved: each run measures both ways back to back
        creds = [munge.encode(nonce, socket=socket) for _ in range(n)]
        samples["binaries"].setdefault("encode", []).append(per_call_ms(lambda: munge.encode(nonce, socket=socket), n))
        it = iter(creds)
        samples["binaries"].setdefault("decode", []).append(per_call_ms(lambda: munge.decode(next(it), socket=socket), n))
        raw = [lib.encode(nonce) for _ in range(n)]
        samples["libmunge (ctypes)"].setdefault("encode", []).append(per_call_ms(lambda: lib.encode(nonce), n))
        it_raw = iter(raw)
        samples["libmunge (ctypes)"].setdefault("decode", []).append(per_call_ms(lambda: lib.decode(next(it_raw)), n))
    result = {way: {op: median(v) for op, v in ops.items()} for way, ops in samples.items()}
    for ops in result.values():
        ops["encode+decode"] = ops["encode"] + ops["decode"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", default=os.environ.get(munge.SOCKET_ENV))
    parser.add_argument("--n", type=int, default=200, help="calls per timing")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        socket = args.socket or str(stack.enter_context(private_munged()))
        result = measure(socket, args.n, args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    ops = ["encode", "decode", "encode+decode"]
    base = result["libmunge (ctypes)"]
    rows = [[way, *(r[op] for op in ops), r["encode+decode"] / base["encode+decode"]] for way, r in result.items()]
    print_table(
        ["way", "encode ms", "decode ms", "encode+decode ms", "x libmunge"],
        rows,
        title=f"MUNGE latency, median of {args.runs} runs x {args.n} calls",
        digits=3,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
