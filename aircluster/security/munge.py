"""MUNGE credentials through the `munge` and `unmunge` binaries: who made a credential, as munged attests.

A credential carries the encoding process's uid and gid (taken by munged from the kernel) and a payload;
any host sharing the MUNGE key decodes it, and munged refuses a second decode (replay). Running the
binaries costs a process each, measured at a few milliseconds (bench/munge.py); that is cheap next to a
TCP connection made once per client, so no binding to libmunge is kept.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from aircluster.errors import AirclusterError

SOCKET_ENV = "AIRCLUSTER_MUNGE_SOCKET"
TIMEOUT_S = 10.0

# munge_err_t from munge.h: the exit status of munge/unmunge is the library's error code.
_SOCKET = 6
_TIMEOUT = 7
_REFUSED = {
    8: ("invalid", "not a MUNGE credential"),  # bad armor or base64
    9: ("invalid", "unknown credential version"),
    10: ("invalid", "unknown cipher"),
    11: ("invalid", "unknown MAC"),
    12: ("invalid", "unknown compression"),
    13: ("invalid", "unknown security realm"),
    14: ("invalid", "does not authenticate (edited, or made with another MUNGE key)"),
    15: ("expired", "older than its time-to-live (or the hosts' clocks differ)"),
    16: ("rewound", "encoded in the future (the hosts' clocks differ)"),
    17: ("replayed", "munged has already decoded this one"),
    18: ("unauthorized", "restricted to another uid or gid"),
}


class MungeError(AirclusterError):
    """A credential could not be made or was refused. `reason` says why: replayed, expired, rewound,
    invalid, unauthorized, unreachable (munged), missing (binaries) or failed."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class CredentialReplayed(MungeError):
    """munged has already decoded this credential once: someone is presenting a copy."""

    def __init__(self, message: str):
        super().__init__(message, "replayed")


@dataclass(frozen=True)
class Credential:
    uid: int
    gid: int
    payload: bytes
    encoded_at: int  # seconds since the epoch, by the encoding host's clock
    ttl: int  # seconds
    host: str | None  # address of the encoding host, as unmunge reports it


def encode(payload: bytes, *, socket: str | None = None, ttl: int | None = None) -> str:
    """A credential for the calling process's uid/gid carrying `payload`, valid for `ttl` seconds (munged's default if None)."""
    argv = ["munge", *_socket_args(socket)]
    if ttl is not None:
        argv += ["--ttl", str(ttl)]
    out = _run(argv, payload, socket)
    return out.decode("ascii").strip()


def decode(credential: str, *, socket: str | None = None) -> Credential:
    """The uid, gid and payload in `credential`; MungeError if munged refuses it (replayed, expired, forged)."""
    if not credential.strip():
        raise MungeError("MUNGE credential invalid: empty", "invalid")
    # --numeric: numbers and addresses, no name lookups to parse back; stdout is metadata, a blank line, the payload
    out = _run(["unmunge", "--numeric", *_socket_args(socket)], credential.encode("utf-8", "replace"), socket)
    head, sep, payload = out.partition(b"\n\n")
    meta: dict[str, str] = {}
    for line in head.decode("ascii", "replace").splitlines():
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    try:
        cred = Credential(
            uid=int(meta["UID"]),
            gid=int(meta["GID"]),
            payload=payload,
            encoded_at=int(meta["ENCODE_TIME"]),
            ttl=int(meta["TTL"]),
            host=meta.get("ENCODE_HOST") or None,
        )
        complete = bool(sep) and int(meta["LENGTH"]) == len(payload)
    except (KeyError, ValueError):
        complete = False
    if not complete:
        raise MungeError(f"unmunge printed output that is not a decoded credential: {out[:80]!r}", "failed")
    return cred


def _socket_args(socket: str | None) -> list[str]:
    path = socket if socket is not None else os.environ.get(SOCKET_ENV)
    return ["--socket", path] if path else []


def _run(argv: list[str], stdin: bytes, socket: str | None) -> bytes:
    where = socket or os.environ.get(SOCKET_ENV) or "munge's default socket"
    try:
        proc = subprocess.run(argv, input=stdin, capture_output=True, timeout=TIMEOUT_S)
    except FileNotFoundError:
        raise MungeError(
            f"{argv[0]} not found on PATH: install MUNGE (Debian: apt-get install munge; scripts/install-slurm.sh)", "missing"
        ) from None
    except subprocess.TimeoutExpired:
        raise MungeError(f"munged at {where} did not answer within {TIMEOUT_S:g} s", "unreachable") from None
    if proc.returncode == 0:
        return proc.stdout
    said = _last_error_line(proc.stderr) or f"exit status {proc.returncode}"
    if proc.returncode in (_SOCKET, _TIMEOUT):
        raise MungeError(f"munged not reachable at {where}: {said}; start munged or set {SOCKET_ENV}", "unreachable")
    if proc.returncode in _REFUSED:
        reason, why = _REFUSED[proc.returncode]
        message = f"MUNGE credential {reason}: {why}"
        raise CredentialReplayed(message) if reason == "replayed" else MungeError(message, reason)
    raise MungeError(f"{argv[0]} failed: {said}", "failed")


def _last_error_line(stderr: bytes) -> str:
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1].removeprefix("munge: ").removeprefix("unmunge: ").removeprefix("Error: ") if lines else ""
