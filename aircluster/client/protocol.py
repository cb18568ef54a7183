"""The wire protocol between clients and the server.

A frame is a 4-byte big-endian length and a JSON object. A request is `{"op": NAME, "args": {...}}`; the
reply is `{"ok": true, "result": ...}` or `{"ok": false, "error": CLASS, "message": ONE_LINE}`, where CLASS
names an `aircluster.errors` class so the client raises the same error the server did. Long operations
may send `{"progress": done, "total": n}` frames before their reply. Bytes travel as base64 text.
"""

from __future__ import annotations

import base64
import socket
import struct
from typing import Any

import orjson

from aircluster import errors
from aircluster.errors import AirclusterError

MAX_FRAME = 64 << 20  # a batch of data keys or a version listing is far smaller; this bounds a bad peer
MAX_UNWRAP_BATCH = 4096  # data keys one `keys.unwrap` request may ask for
MAX_FDS = 250  # open files one frame may carry (Linux takes at most 253 in one SCM_RIGHTS message)
_HEADER = struct.Struct(">I")


class ConnectionLost(AirclusterError):
    """The other end went away mid-conversation."""


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    body = orjson.dumps(message)
    data = _HEADER.pack(len(body)) + body
    if fds:
        # Open files travel beside the first bytes (SCM_RIGHTS): the server reads what the client could open.
        socket.send_fds(sock, [data[:1]], fds)
        sock.sendall(data[1:])
    else:
        sock.sendall(data)


def receive(sock: socket.socket, *, with_fds: bool = False) -> tuple[dict[str, Any], list[int]]:
    """One frame, and any file descriptors sent with it."""
    fds: list[int] = []
    if with_fds:
        first, got, _flags, _addr = socket.recv_fds(sock, 1, MAX_FDS)
        if not first:
            raise ConnectionLost("the connection was closed")
        fds = list(got)
        head = first + _exactly(sock, _HEADER.size - 1)
    else:
        head = _exactly(sock, _HEADER.size)
    (size,) = _HEADER.unpack(head)
    if size > MAX_FRAME:
        raise ConnectionLost(f"a frame of {size} bytes is over the {MAX_FRAME}-byte limit")
    try:
        message = orjson.loads(_exactly(sock, size))
    except orjson.JSONDecodeError as err:
        raise ConnectionLost(f"a frame is not JSON: {err}") from None
    if not isinstance(message, dict):
        raise ConnectionLost("a frame is not a JSON object")
    return message, fds


def _exactly(sock: socket.socket, n: int) -> bytes:
    chunks = []
    while n:
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            raise ConnectionLost("the connection was closed")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def error_reply(err: BaseException) -> dict[str, Any]:
    name = type(err).__name__ if isinstance(err, AirclusterError) else "AirclusterError"
    message = str(err) if isinstance(err, AirclusterError) else f"internal error in the server: {type(err).__name__}: {err}"
    return {"ok": False, "error": name, "message": message}


def raise_error(reply: dict[str, Any]) -> None:
    """Raise the error the server reported, as the same class where it is one of ours."""
    cls = getattr(errors, str(reply.get("error")), None)
    if not (isinstance(cls, type) and issubclass(cls, AirclusterError)):
        cls = AirclusterError
    raise cls(str(reply.get("message", "the server refused without saying why")))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def challenge_payload(nonce: str, node: str | None) -> bytes:
    """What a TCP client's MUNGE credential carries: the server's nonce, and the Slurm node the client names
    (SLURMD_NODENAME), if any, so the node it names is bound to the credential munged made for it."""
    return nonce.encode() if node is None else f"{nonce}\n{node}".encode()
