"""A real second account verifies an installation it cannot write, and catches its owner rewriting it.

The owner holds the signing key and can rewrite the log and re-sign it at will; what the other account
saw is in that account's own home, out of the owner's reach (root aside). Runs as root: it creates the
account with `useradd` (reused if present) and runs the CLI as it with `runuser`.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import site
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from aircluster.context import open_audit
from tests.conftest import REPO
from tests.unit.security.test_audit_log import lines_of, resign, stolen_key

ACCOUNT = "acwitness"


@pytest.fixture
def account() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(ACCOUNT)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", ACCOUNT], check=True)
        return pwd.getpwnam(ACCOUNT)


@pytest.fixture
def shared_home(cli, monkeypatch):
    """An installation owned by root in a directory every account can traverse (pytest's tmp is 0700)."""
    top = Path(tempfile.mkdtemp(prefix="aircluster-audit-"))
    top.chmod(0o755)
    home = top / "home"
    monkeypatch.setenv("AIRCLUSTER_HOME", str(home))
    cli.ok("init")
    home.chmod(0o755)
    log = open_audit()
    for i in range(5):
        log.append("test.event", "root", n=i)
    yield home
    shutil.rmtree(top)


def python_for(account: pwd.struct_passwd) -> str:
    """This interpreter if the account may run it; else the system's of the same version (a venv's python may
    live under root's 0700 home), given this environment's packages through PYTHONPATH."""
    for candidate in (sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"):
        if subprocess.run(["runuser", "-u", account.pw_name, "--", candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return candidate
    raise AssertionError(f"no Python {sys.version_info.major}.{sys.version_info.minor} that {account.pw_name} may run")


def as_account(account: pwd.struct_passwd, home: Path, *args: str) -> subprocess.CompletedProcess:
    # a clean environment: no XDG_STATE_HOME or HOME of root's; the witness goes to the account's own home
    env = {
        "PATH": "/usr/bin:/bin",
        "AIRCLUSTER_HOME": str(home),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join([str(REPO), *site.getsitepackages()]),
    }
    return subprocess.run(
        ["runuser", "-u", account.pw_name, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items()), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def verify_as(account: pwd.struct_passwd, home: Path) -> tuple[int, dict]:
    proc = as_account(account, home, python_for(account), "-m", "aircluster.cli", "audit", "verify", "--json")
    assert proc.stdout, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_another_account_catches_the_owner_rewriting_the_log(cli, shared_home, account, monkeypatch, tmp_path):
    witness_dir = Path(account.pw_dir) / ".local" / "state" / "aircluster" / "witness"
    shutil.rmtree(witness_dir, ignore_errors=True)

    code, result = verify_as(account, shared_home)
    assert code == 0 and result["first_use"] and result["entries"] == 6
    records = list(witness_dir.glob("*.json"))
    assert len(records) == 1 and records[0].stat().st_uid == account.pw_uid and records[0].stat().st_mode & 0o777 == 0o600

    # the account reads the public files but not the signing key
    assert as_account(account, shared_home, "cat", str(shared_home / "server" / "keys" / "audit-signing.key")).returncode != 0
    assert as_account(account, shared_home, "cat", str(shared_home / "audit" / "log.pub")).returncode == 0

    # nor append to the log
    script = (
        "from aircluster.context import open_audit\nfrom aircluster.errors import PermissionDenied\n"
        "try:\n    open_audit().append('review.approve', 'mallory')\nexcept PermissionDenied as e:\n    print(e)\n"
    )
    proc = as_account(account, shared_home, python_for(account), "-c", script)
    assert proc.returncode == 0 and "cannot write the audit log" in proc.stdout, proc.stderr
    assert b"mallory" not in (shared_home / "audit" / "audit.log").read_bytes()

    # the owner edits entry 2 and re-signs with its own key: its own fresh check passes...
    lines = lines_of(shared_home / "audit" / "audit.log")
    lines[1] = lines[1].replace(b'"principal":"root"', b'"principal":"nobody"')
    resign(shared_home, lines, stolen_key(shared_home))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "owner-fresh-state"))
    code, _, _ = cli("audit", "verify")
    assert code == 0
    # ...the other account's does not
    code, result = verify_as(account, shared_home)
    assert code == 3 and result["failure"] == "rewrite" and result["seen"]["tree_size"] == 6

    # nor does cutting the log back and re-signing it
    resign(shared_home, lines_of(shared_home / "audit" / "audit.log")[:3], stolen_key(shared_home))
    code, result = verify_as(account, shared_home)
    assert code == 3 and result["failure"] == "truncation"
    shutil.rmtree(witness_dir)
    assert os.path.isdir(account.pw_dir)
