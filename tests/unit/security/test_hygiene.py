"""Process hygiene (issue 12, item 8): a process that holds keys or plaintext dumps no core and is not
dumpable, whoever started it: a CLI command, a loader worker, a reader in any program."""

from __future__ import annotations

import os
import resource
import subprocess
import sys

from aircluster.security.hygiene import is_dumpable
from aircluster.store import StreamingDataLoader, StreamingDataset
from tests.unit.store.loader_fixtures import import_records, setup_home, text_records


def _probe(record):
    return {"pid": os.getpid(), "dumpable": is_dumpable(), "core": resource.getrlimit(resource.RLIMIT_CORE)}


def _as_list(batch):
    return batch


def test_a_program_that_opens_the_key_service_is_not_dumpable(tmp_path):
    env = dict(os.environ, AIRCLUSTER_HOME=str(tmp_path / "home"))
    script = (
        "import resource; from aircluster.security.hygiene import is_dumpable; "
        "print(is_dumpable(), resource.getrlimit(resource.RLIMIT_CORE)); "
        "from aircluster.context import init; init().close(); "
        "print(is_dumpable(), resource.getrlimit(resource.RLIMIT_CORE))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    before, after = out.splitlines()
    assert before.startswith("True")  # a fresh interpreter is dumpable: the check can fail
    assert after == "False (0, 0)"


def test_loader_workers_that_read_data_are_not_dumpable(tmp_path, monkeypatch):
    setup_home(tmp_path, monkeypatch)
    ref = import_records(tmp_path, "posts", text_records(200))
    # spawned workers start as fresh, dumpable interpreters: only their own key release can change that
    loader = StreamingDataLoader(
        StreamingDataset(ref, seed=0, transform=_probe),
        batch_size=20,
        num_workers=2,
        collate_fn=_as_list,
        multiprocessing_context="spawn",
    )
    seen = [probe for batch in loader for probe in batch]
    assert len(seen) == 200 and len({p["pid"] for p in seen}) == 2 and os.getpid() not in {p["pid"] for p in seen}
    assert all(not p["dumpable"] and p["core"] == (0, 0) for p in seen)
