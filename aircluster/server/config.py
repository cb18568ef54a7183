"""The server's configuration and `server init`: who the server runs as, who administers it, where the master
key is kept.

Two kinds of installation:
- personal: an ordinary user's own home. The server runs as that user and serves only that user: one
  person, so four-eyes cannot hold, and every review decision says so.
- shared: `server init` run by root. The server runs as a system account created for it (`aircluster`),
  so no researcher's account can read its files; the admin is the account named at init (default root).
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from aircluster import installation
from aircluster.errors import UsageError

SYSTEM_ACCOUNT = "aircluster"


@dataclass(frozen=True)
class ServerConfig:
    mode: str  # "personal" | "shared"
    account: str  # the account the server runs as
    uid: int
    gid: int
    admin: str
    master_key: str
    listen: str | None = None  # HOST:PORT for other nodes (MUNGE), or None

    @property
    def personal(self) -> bool:
        return self.mode == "personal"

    def paths(self, home: Path) -> installation.Paths:
        return installation.Paths(home, master_file=Path(self.master_key))

    def to_dict(self) -> dict:
        return asdict(self)


def load(paths: installation.Paths) -> ServerConfig:
    try:
        doc = json.loads(paths.server_config.read_text())
        return ServerConfig(**doc)
    except FileNotFoundError:
        raise UsageError(f"{paths.home} has no aircluster server: run `aircluster server init`") from None
    except PermissionError:
        raise UsageError(f"{paths.server_config} belongs to the server's account; ask its operator") from None
    except (ValueError, TypeError) as err:
        raise UsageError(f"{paths.server_config}: not a server configuration ({err})") from None


def save(paths: installation.Paths, config: ServerConfig) -> None:
    tmp = paths.server_config.with_name("config.json.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(config.to_dict(), f, indent=1)
    os.replace(tmp, paths.server_config)


def system_account(name: str = SYSTEM_ACCOUNT) -> pwd.struct_passwd:
    """The server's own account, created when missing (root only)."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    done = subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", name],
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 9):  # 9: created meanwhile by another init
        raise UsageError(f"cannot create the server's account {name!r}: {done.stderr.strip()}")
    return pwd.getpwnam(name)


def choose(home: Path, *, personal: bool | None, admin: str | None, master_key: str | None, listen: str | None) -> ServerConfig:
    """The configuration `server init` writes: personal for an ordinary user, shared for root unless asked."""
    uid = os.getuid()
    shared = uid == 0 if personal is None else not personal
    if shared and uid != 0:
        raise UsageError("a shared installation is set up by root (its server runs as a system account)")
    if shared:
        account = system_account()
        admin_name = admin or installation.account_name(uid)
        try:
            pwd.getpwnam(admin_name)
        except KeyError:
            raise UsageError(f"--admin {admin_name}: no such account") from None
    else:
        account = pwd.getpwuid(uid)
        admin_name = account.pw_name
        if admin and admin != admin_name:
            raise UsageError("a personal installation has one person: its own user is its admin")
    master = Path(master_key) if master_key else home / "master" / "master.key"
    if master.resolve().is_relative_to((home / "server").resolve()):
        raise UsageError(f"--master-key {master}: the master key must be kept apart from the server's state directory")
    return ServerConfig(
        mode="shared" if shared else "personal",
        account=account.pw_name,
        uid=account.pw_uid,
        gid=account.pw_gid,
        admin=admin_name,
        master_key=str(master.absolute()),
        listen=listen,
    )
