"""Files an installation writes have explicit modes, whatever the umask: under umask 000 nothing private
(catalog, reports, keys, runs) is readable or writable by another account."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

from tests.unit.store.conftest import text_records, write_jsonl


def test_private_files_stay_private_under_a_permissive_umask(tmp_path, permissive_policy):
    home = tmp_path / "home"
    env = dict(os.environ, AIRCLUSTER_HOME=str(home), XDG_STATE_HOME=str(tmp_path / "state"))
    src = write_jsonl(tmp_path / "in.jsonl", text_records(30))
    script = (
        "import os, sys; os.umask(0); from aircluster.cli import main; "
        "sys.exit(main(['data', 'import', 'posts', sys.argv[1], '--policy', sys.argv[2]]))"
    )
    subprocess.run(
        [sys.executable, "-c", "import os, sys; os.umask(0); from aircluster.cli import main; sys.exit(main(['init']))"],
        env=env,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(src), str(permissive_policy)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(home.stat().st_mode) == 0o711  # traversable, not listable
    private = [
        home / "server" / "catalog.db",
        *(home / "server" / "reports").iterdir(),
        *(home / "server" / "keys").rglob("*"),
        *(home / "master").rglob("*"),
    ]
    assert any(p.suffix == ".html" for p in private) and any(p.name == "master.key" for p in private)
    for d in (home / "server", home / "server" / "reports", home / "runs", home / "server" / "keys", home / "master"):
        assert stat.S_IMODE(d.stat().st_mode) & 0o077 == 0, d
    loose = [(str(p), oct(stat.S_IMODE(p.stat().st_mode))) for p in private if stat.S_IMODE(p.stat().st_mode) & 0o077]
    assert loose == []
    wal = [p for p in (home / "server").glob("catalog.db-*")]
    assert all(stat.S_IMODE(p.stat().st_mode) & 0o077 == 0 for p in wal)
