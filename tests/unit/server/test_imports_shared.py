"""`data import` in a shared installation, with real accounts: the server (system account `aircluster`) reads only
what the importer could open, so a file only its owner may read imports, and the server's own files do not; a new
version of someone else's dataset needs an `import` grant. Over TCP, import is refused (no open files travel)."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import site
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.accounts import ensure_user, home_of, run_as
from tests.conftest import REPO
from tests.munged import private_munged
from tests.unit.security.test_audit_other_account import python_for
from tests.unit.server.served import Server, served


@pytest.fixture
def top() -> Iterator[Path]:
    """A directory every account can reach (pytest's tmp is 0700)."""
    path = Path(tempfile.mkdtemp(prefix="aircluster-imports-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def shared(top: Path) -> Iterator[Server]:
    with served(top / "home") as server:
        yield server


def as_user(user: pwd.struct_passwd, server: Server, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """The real CLI run by `user` (a Python it may run, with this environment's packages on its path)."""
    path = os.pathsep.join([str(REPO), *site.getsitepackages()])
    env = {"AIRCLUSTER_HOME": str(server.home), "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}
    return run_as(user, [python_for(user), "-m", "aircluster.cli", *map(str, args)], env=env)


def own_file(user: pwd.struct_passwd, name: str, text: str) -> Path:
    """A file in the user's 0700 home that only the user may read."""
    path = home_of(user) / name
    path.write_text(text)
    os.chown(path, user.pw_uid, user.pw_gid)
    path.chmod(0o600)
    return path


def test_the_server_reads_what_the_importer_could_open_and_nothing_else(shared: Server):
    alice = ensure_user("aircluster-t-alice")
    mine = own_file(alice, "mine.jsonl", '{"text": "only alice reads this"}\n')

    done = as_user(alice, shared, "data", "import", "mine", mine, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["records"] == 1
    (row,) = shared.versions("mine")
    assert row["imported_by"] == "aircluster-t-alice" and row["meta"]["sources"] == [str(mine)]

    catalog = shared.home / "server" / "catalog.db"
    done = as_user(alice, shared, "data", "import", "stolen", catalog)
    assert done.returncode != 0
    assert done.stderr == f"error: {catalog}: cannot be examined (Permission denied)\n"
    assert shared.versions("stolen") == [] and shared.uploads() == []


def test_a_new_version_of_someone_elses_dataset_needs_an_import_grant(shared: Server):
    alice, bob = ensure_user("aircluster-t-alice"), ensure_user("aircluster-t-bob")
    first = own_file(alice, "v1.jsonl", '{"text": "one"}\n')
    later = own_file(bob, "v2.jsonl", '{"text": "two"}\n')
    assert as_user(alice, shared, "data", "import", "posts", first).returncode == 0

    done = as_user(bob, shared, "data", "import", "posts", later)
    assert done.returncode != 0
    assert done.stderr.startswith("error: aircluster-t-bob has no import permission on dataset 'posts'"), done.stderr
    assert [r["number"] for r in shared.versions("posts")] == [1]

    granted = as_user(alice, shared, "access", "grant", "aircluster-t-bob", "import", "posts")
    assert granted.returncode == 0, granted.stderr
    done = as_user(bob, shared, "data", "import", "posts", later)
    assert done.returncode == 0, done.stderr
    rows = shared.versions("posts")
    assert [(r["number"], r["imported_by"]) for r in rows] == [(1, "aircluster-t-alice"), (2, "aircluster-t-bob")]
    assert shared.uploads() == []


def test_import_over_tcp_is_refused_with_one_line(tmp_path: Path):
    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n')
    with (
        private_munged() as munge_socket,
        served(tmp_path / "home", "--personal", listen="127.0.0.1:0", AIRCLUSTER_MUNGE_SOCKET=str(munge_socket)) as server,
    ):
        address = json.loads(server.ok("server", "status", "--json"))["listen"]
        err = server.fails(
            "data", "import", "ds", tmp_path / "a.jsonl", AIRCLUSTER_SERVER=address, AIRCLUSTER_MUNGE_SOCKET=str(munge_socket)
        )
        assert err == (
            "error: data import passes the server open files, which works only over its local socket:"
            " run `aircluster data import` on the server's host\n"
        )
        assert server.versions() == [] and server.uploads() == []
