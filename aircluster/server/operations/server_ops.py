"""The server about itself: status, stop, and who the caller is."""

from __future__ import annotations

import os

from aircluster.server.authz import access, is_admin, require_admin
from aircluster.server.registry import Request, operation


@operation("server.status")
def status(req: Request) -> dict:
    paths = req.config.paths(req.session.home)
    listen = None
    try:
        lines = paths.server_pid.read_text().splitlines()
        listen = lines[1] if len(lines) > 1 and lines[1] else None
    except OSError:
        pass
    return {
        "running": True,
        "pid": os.getpid(),
        "socket": str(paths.socket),
        "listen": listen,
        "state_dir": str(paths.server_dir),
        "home": str(req.session.home),
        "mode": req.config.mode,
        "account": req.config.account,
        "admin": req.config.admin,
    }


@operation("server.stop")
def stop(req: Request) -> dict:
    require_admin(req, "stop the server")
    req.ctx.log("server.stop")
    req.session.stop_server()
    return {"stopping": True}


@operation("whoami")
def whoami(req: Request) -> dict:
    roles = sorted(access(req).roles(req.user)) if not req.config.personal else ["admin", "steward"]
    return {
        "user": req.user,
        "uid": req.caller.uid,
        "via": req.caller.transport,
        "roles": roles,
        "admin": is_admin(req),
        "mode": req.config.mode,
        "node": req.node,  # the Slurm node the client named (over TCP, bound into its MUNGE credential)
    }
