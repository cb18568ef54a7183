"""Shredding that a backup cannot undo, master-key rotation that a running reader does not notice, and the
server process's own hygiene."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.accounts import clean_env, run_as
from tests.unit.server.conftest import Installation, one_line_error, read_rows, records

pytestmark = pytest.mark.slow

SLOW_READER = """
import json, sys, time
from aircluster.client.remote import ServerKeys
from aircluster.store.reader import VersionReader

with ServerKeys.connect() as keys:
    reader = VersionReader(keys, keys.catalog.resolve(sys.argv[1]), purpose="data read")
    ids = []
    for index in range(reader.num_shards):
        shard = reader.open_shard(index)  # each shard's data key comes from the server as it is reached
        ids += [shard.record(i)["id"] for i in range(len(shard))]
        print(f"shard {index}", flush=True)
        time.sleep(float(sys.argv[2]))
    print(json.dumps(ids), flush=True)
"""


def test_a_state_directory_restored_after_expiry_cannot_decrypt_the_expired_version(shared: Installation) -> None:
    ref = shared.import_("posts", records(40))
    shared.approve(ref)
    assert len(read_rows(shared.ok(shared.alice, "data", "read", ref))) == 40

    shared.stop()
    backup = shared.top / "server-backup"
    subprocess.run(["cp", "-a", str(shared.paths.server_dir), str(backup)], check=True)
    shared.start()
    assert json.loads(shared.ok(shared.alice, "data", "expire", ref, "--json")) == {"shredded": [ref]}
    assert "was shredded" in one_line_error(shared.read(shared.alice, ref))

    # the operator (or an intruder with root) puts the old state back: catalog and key store from before
    shared.stop()
    shutil.rmtree(shared.paths.server_dir)
    subprocess.run(["cp", "-a", str(backup), str(shared.paths.server_dir)], check=True)
    shared.start()
    done = shared.read(shared.alice, ref)
    refused = one_line_error(done)
    assert "master key" in refused and "does not belong to key store" in refused, refused
    assert done.stdout == ""
    # nor through a verify (the importer may verify a version she could not read)
    assert "does not belong to key store" in one_line_error(shared.cli(shared.alice, "data", "verify", ref))
    # the restored key store still holds the version's key, wrapped under a master key that no longer exists
    assert Path(shared.server_config().master_key).is_file()


def test_a_reader_keeps_going_while_the_master_key_rotates(shared: Installation) -> None:
    n = 480
    ref = shared.import_("posts", records(n), shard_bytes=1024)
    shared.approve(ref)
    shards = json.loads(shared.root_ok("data", "show", ref, "--json"))["shards"]
    assert shards >= 20

    alice = shared.alice
    argv = ["setpriv", f"--reuid={alice.pw_uid}", f"--regid={alice.pw_gid}", "--init-groups", "--"]
    reader = subprocess.Popen(
        [*argv, shared.python, "-c", SLOW_READER, ref, "0.4"],
        env=clean_env(alice, shared.env()),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None
    progress: list[str] = []
    drained = threading.Thread(target=lambda: progress.extend(reader.stdout or []), daemon=True)
    drained.start()
    deadline = time.monotonic() + 60
    while not progress and time.monotonic() < deadline:
        time.sleep(0.05)
    assert progress, "the reader did not start"

    rotated = []
    for _ in range(3):
        done = json.loads(shared.root_ok("keys", "rotate-master", "--json"))
        rotated.append((done["old_master_id"], done["new_master_id"], len(progress)))
    assert reader.wait(timeout=300) == 0, reader.stderr.read() if reader.stderr else ""
    drained.join(10)

    # every rotation happened while the reader was between its first and last shard
    assert all(0 < seen < shards for _, _, seen in rotated), (rotated, shards)
    assert len({new for _, new, _ in rotated}) == 3
    assert json.loads(progress[-1]) == list(range(n))
    assert [line.strip() for line in progress[:-1]] == [f"shard {i}" for i in range(shards)]


def test_the_server_process_is_not_dumpable_and_has_no_core_limit(shared: Installation) -> None:
    pid = shared.pid()
    assert pid is not None
    status = Path(f"/proc/{pid}/status").read_text()
    uids = re.search(r"^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", status, re.M)
    assert uids is not None and {int(u) for u in uids.groups()} == {shared.server.pw_uid}
    # the kernel gives a non-dumpable process's /proc entries to root (proc(5)): that is how it shows
    assert os.stat(f"/proc/{pid}/status").st_uid == 0
    assert os.stat(f"/proc/{pid}/environ").st_uid == 0
    limits = Path(f"/proc/{pid}/limits").read_text()
    core = re.search(r"^Max core file size\s+(\S+)\s+(\S+)", limits, re.M)
    assert core is not None and core.groups() == ("0", "0")
    # and so even the server's own account cannot read its memory or environment

    done = run_as(shared.server, ["cat", f"/proc/{pid}/environ"])
    assert done.returncode != 0 and "Permission denied" in done.stderr
