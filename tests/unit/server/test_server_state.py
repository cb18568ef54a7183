"""The server's state is its own: no researcher's account reads any of it, whatever the umask at init, and a
catalog edited behind the server's back does not open a pending version."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from aircluster import installation
from tests.accounts import call_as, home_of, run_as
from tests.unit.server.conftest import Installation, one_line_error, read_rows, records

pytestmark = pytest.mark.slow  # a server, real accounts and a process per command


def secret_files(shared: Installation) -> list[Path]:
    paths = shared.paths
    master = Path(shared.server_config().master_key)
    return [
        master,
        paths.keystore,
        paths.catalog,
        paths.audit_signing_key,
        paths.server_config,
        paths.server_log,
        *sorted(p for p in paths.reports.rglob("*") if p.is_file()),
    ]


def test_alice_can_read_none_of_the_servers_files(shared: Installation) -> None:
    ref = shared.import_("posts", records(20))
    shared.approve(ref)
    assert read_rows(shared.ok(shared.alice, "data", "read", ref))  # she may read the data, through the server
    files = secret_files(shared)
    assert all(f.is_file() for f in files), files
    for path in files:
        done = run_as(shared.alice, ["cat", str(path)])
        assert done.returncode != 0 and "Permission denied" in done.stderr, (path, done.stderr)
        assert done.stdout == ""
    for directory in (
        shared.paths.server_dir,
        shared.paths.keys_dir,
        shared.paths.reports,
        Path(shared.server_config().master_key).parent,
    ):
        done = run_as(shared.alice, ["ls", str(directory)])
        assert done.returncode != 0 and "Permission denied" in done.stderr, (directory, done.stderr)
    # from Python too (open, not only cat), and the catalog's SQLite side files
    for path in [*files, *shared.paths.server_dir.glob("catalog.db-*")]:
        assert call_as(shared.alice, _open_refused, str(path)), path


def _open_refused(path: str) -> bool:
    try:
        with open(path, "rb"):
            return False
    except PermissionError:
        return True


def _cache_dir() -> str:
    return str(installation.paths().cache)


def test_an_account_that_may_not_write_the_installations_cache_keeps_its_own(shared: Installation) -> None:
    env = shared.env()
    assert call_as(shared.alice, _cache_dir, env=env) == str(home_of(shared.alice) / ".cache" / "aircluster")
    assert call_as(shared.server, _cache_dir, env=env) == str(shared.home / "cache")  # the installation's owner


def test_server_init_makes_every_mode_explicit_even_under_umask_000(shared: Installation) -> None:
    """The fixture ran `server init` with umask 000; the server itself has written since (an import, a decision)."""
    ref = shared.import_("posts", records(20))
    shared.approve(ref)
    home, paths = shared.home, shared.paths
    server_uid = shared.server.pw_uid

    def mode(path: Path) -> int:
        return stat.S_IMODE(os.lstat(path).st_mode)

    assert mode(home) == 0o711
    assert mode(paths.server_dir) == 0o700
    master = Path(shared.server_config().master_key)
    assert mode(master.parent) == 0o700 and mode(master) == 0o600
    for top in (paths.server_dir, master.parent):
        for root, dirs, files in os.walk(top):
            for name in dirs:
                path = Path(root, name)
                assert mode(path) == 0o700, path
                assert os.lstat(path).st_uid == server_uid, path
            for name in files:
                path = Path(root, name)
                assert mode(path) & 0o077 == 0, f"{path} has mode {mode(path):o}"
                assert os.lstat(path).st_uid == server_uid, path
    # what every account may see is public on purpose, and nobody but the server may change it
    for path in (paths.audit_log, paths.audit_head, paths.audit_public_key):
        assert mode(path) == 0o644, path
    assert mode(paths.audit_log.parent) == 0o755 and mode(paths.store) == 0o755
    for root, dirs, files in os.walk(paths.store):  # ciphertext: readable by the accounts that train on it
        for name in dirs:
            assert mode(Path(root, name)) & 0o022 == 0 and mode(Path(root, name)) & 0o005 == 0o005, Path(root, name)
        for name in files:
            assert mode(Path(root, name)) & 0o022 == 0 and mode(Path(root, name)) & 0o004, Path(root, name)
    assert mode(paths.socket) == 0o666  # the kernel's word on the caller decides, not the socket's mode
    assert mode(paths.runs) == 0o1777


def test_a_catalog_edit_behind_the_servers_back_does_not_open_a_pending_version(shared: Installation) -> None:
    ref = shared.import_("posts", records(20))
    version_id = shared.version_id(ref)
    refused = one_line_error(shared.read(shared.alice, ref))
    assert "pending privacy review" in refused

    # root (who can do anything to the files) marks it approved in the catalog, as the server's own account
    # so the database's side files keep their owner
    call_as(shared.server, _approve_in_sqlite, str(shared.paths.catalog), version_id)
    assert shared.state_in_catalog(version_id) == "approved"

    refused = one_line_error(shared.read(shared.alice, ref))
    assert "no approval recorded by the server" in refused
    assert "row" not in shared.cli(shared.alice, "data", "read", ref).stdout
    # a forged review row (a decision the server never made) does not help either
    call_as(shared.server, _forge_review_row, str(shared.paths.catalog), version_id, shared.carol.pw_name)
    assert "no approval recorded by the server" in one_line_error(shared.read(shared.alice, ref))


def _approve_in_sqlite(catalog: str, version_id: str) -> None:
    with sqlite3.connect(catalog) as db:
        db.execute("UPDATE versions SET review_state='approved' WHERE id=?", (version_id,))


def _forge_review_row(catalog: str, version_id: str, steward: str) -> None:
    with sqlite3.connect(catalog) as db:
        db.execute(
            "INSERT INTO reviews (version_id, decision, principal, at, note, proof) VALUES (?, 'approved', ?, 1.0, 'x', ?)",
            (version_id, steward, "00" * 32),
        )
