"""Operations the server answers, by name. Each module of operations registers its handlers here:

    @operation("versions.list")
    def list_versions(req: Request, name: str | None = None) -> list[dict]: ...

A handler gets the request (caller, the installation's services acting for the caller, progress) and the
request's arguments; what it returns is the reply. Checks live in the handlers, never in the clients.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from aircluster.context import Context
from aircluster.server.caller import Caller
from aircluster.server.config import ServerConfig

Handler = Callable[..., Any]
OPERATIONS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        OPERATIONS[name] = fn
        return fn

    return register


class Discardable(Protocol):
    def discard(self) -> None: ...


@dataclass
class Session:
    """One connection: its caller, its own open services (SQLite connections are not shared across threads),
    the key leases it holds (a reader's release, valid while the connection lasts) and the uploads under way
    (a `data import`'s copies of the client's files, removed when the connection ends)."""

    caller: Caller
    home: Path
    config: ServerConfig
    open_context: Callable[[], Context]
    stop_server: Callable[[], None]
    leases: dict[str, Any] = field(default_factory=dict)
    uploads: dict[str, Discardable] = field(default_factory=dict)
    _ctx: Context | None = None

    @property
    def ctx(self) -> Context:
        if self._ctx is None:
            self._ctx = self.open_context()
        return self._ctx

    def close(self) -> None:
        for upload in self.uploads.values():
            upload.discard()
        self.uploads.clear()
        if self._ctx is not None:
            self._ctx.close()
            self._ctx = None
        self.leases.clear()


@dataclass
class Request:
    session: Session
    fds: list[int]
    progress: Callable[[int, int], None]
    job: str | None = None
    said_node: str | None = None  # the node named in a Unix-socket request's frame

    @property
    def caller(self) -> Caller:
        return self.session.caller

    @property
    def node(self) -> str | None:
        """The Slurm node the client says it runs on: over TCP the one bound into its MUNGE credential."""
        return self.caller.node if self.caller.transport == "tcp" else self.said_node

    def where(self) -> dict[str, object]:
        """Where the request came from, for the audit log."""
        return self.caller.where() | ({"node": self.node} if self.node else {})

    @property
    def user(self) -> str:
        return self.session.caller.user

    @property
    def config(self) -> ServerConfig:
        return self.session.config

    @property
    def ctx(self) -> Context:
        """The installation's services, acting for the caller (and the job, once a token named one)."""
        return self.session.ctx.as_caller(self.user, self.job)
