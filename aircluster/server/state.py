"""`aircluster server init`: the server's state directory, the master key kept apart, the public audit log,
the store, and who owns each (every mode set explicitly, whatever the umask)."""

from __future__ import annotations

import os
from pathlib import Path

from aircluster import installation
from aircluster.catalog.access import Access
from aircluster.context import init as init_services
from aircluster.server import config as server_config
from aircluster.server.config import ServerConfig


def init_server(
    home: Path,
    *,
    personal: bool | None = None,
    admin: str | None = None,
    master_key: str | None = None,
    listen: str | None = None,
) -> tuple[ServerConfig, bool]:
    """Create (or find) the installation at `home`. Returns its configuration and whether it was created."""
    paths = installation.Paths(home)
    if paths.server_config.exists():
        config = server_config.load(paths)
        if config.personal and os.getuid() == config.uid:
            # idempotent: recreates what is missing and adopts an audit log from before signed heads
            init_services(paths=config.paths(home)).close()
        return config, False
    config = server_config.choose(home, personal=personal, admin=admin, master_key=master_key, listen=listen)
    paths = config.paths(home)
    with init_services(paths=paths) as ctx:
        if ctx.audit.head().size == 0:
            ctx.audit.append("init", installation.principal(), home=str(home), mode=config.mode, admin=config.admin)
        if config.mode == "shared":
            Access(ctx.catalog).init_admin(config.admin)
    server_config.save(paths, config)
    if config.mode == "shared":
        _hand_over(paths, config)
    return config, True


def _hand_over(paths: installation.Paths, config: ServerConfig) -> None:
    """Give the installation to the server's account: its state and master key private to it, the audit log
    and ciphertext store readable by all, the runs folder shared like /tmp (each user keeps a private one)."""
    owned = [paths.home, paths.server_dir, paths.master_key.parent, paths.store, paths.audit_log.parent]
    for top in owned:
        for path in [top, *([] if top == paths.home else _walk(top))]:
            os.chown(path, config.uid, config.gid, follow_symlinks=False)
    os.chown(paths.master_key, config.uid, config.gid)
    os.chmod(paths.home, 0o711)
    os.chmod(paths.runs, 0o1777)


def _walk(top: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(top):
        found += [Path(root, name) for name in dirs + files]
    return found
