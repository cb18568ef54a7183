"""`data import` through a real server (personal, run by root here): the client opens the files and passes them; the
server copies them into a private mirror, imports, and shows the user's own names; the mirror never outlives the
import."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from aircluster.client.connection import Client
from aircluster.errors import InputError, UsageError
from aircluster.store.regular import SYMLINK_REFUSED
from tests.unit.server.served import Server, environment, served


@pytest.fixture
def server(tmp_path: Path):
    with served(tmp_path / "home", "--personal") as s:
        yield s


def png(color: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(out, "PNG")
    return out.getvalue()


def image_folder(root: Path) -> Path:
    for label, colors in (("cat", [(255, 0, 0), (0, 255, 0)]), ("dog", [(0, 0, 255)])):
        (root / label).mkdir(parents=True)
        for i, color in enumerate(colors):
            (root / label / f"{i}.png").write_bytes(png(color))
    return root


def test_each_format_is_imported_under_the_users_names(server: Server, tmp_path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = tmp_path / "data"
    data.mkdir()
    (data / "a.jsonl").write_text('{"text": "one", "n": 1}\n{"text": "two", "n": 2}\n{"text": "three", "n": 3}\n')
    (data / "b.csv").write_text("text,label\nhello,x\nworld,y\n")
    pq.write_table(pa.table({"text": ["p", "q", "r", "s"], "score": [1.5, 2.5, 3.5, 4.5]}), data / "c.parquet")
    image_folder(data / "pics")

    server.ok("data", "import", "js", "data/a.jsonl", cwd=tmp_path)
    server.ok("data", "import", "tab", str(data / "b.csv"))
    server.ok("data", "import", "pq", "data/*.parquet", cwd=tmp_path)
    result = json.loads(server.ok("data", "import", "img", "data/pics", "--json", cwd=tmp_path))

    rows = {r["name"]: r for r in server.versions()}
    assert {n: rows[n]["records"] for n in rows} == {"js": 3, "tab": 2, "pq": 4, "img": 3}
    assert rows["js"]["meta"]["sources"] == ["data/a.jsonl"]
    assert rows["tab"]["meta"]["sources"] == [str(data / "b.csv")]
    assert rows["pq"]["meta"]["sources"] == ["data/c.parquet"]
    assert rows["img"]["meta"]["sources"] == ["data/pics"]
    assert set(rows["pq"]["schema"]["fields"]) == {"text", "score"}
    assert set(rows["img"]["schema"]["fields"]) >= {"image", "label", "label_id", "file"}
    assert {r["imported_by"] for r in rows.values()} == {"root"}
    assert result["ref"] == "img@1" and result["records"] == 3
    assert server.uploads() == []  # the mirror went with the import


def test_bad_input_names_the_users_file_and_line(server: Server, tmp_path: Path):
    (tmp_path / "bad.jsonl").write_text('{"text": "fine"}\nnot json\n{"text": "also fine"}\n')
    (tmp_path / "bad.csv").write_text("text,label\nok,1\ntoo,many,fields\n")

    err = server.fails("data", "import", "ds", "bad.jsonl", cwd=tmp_path)
    assert err == "error: bad.jsonl:2: malformed JSON (invalid literal, expected 'null')\n"
    err = server.fails("data", "import", "ds", tmp_path / "bad.csv")
    assert err == f"error: {tmp_path / 'bad.csv'}:3: row has 3 fields but the header has 2\n"
    assert server.versions("ds") == []

    out = json.loads(server.ok("data", "import", "ds", "bad.jsonl", "--on-error", "skip", "--json", cwd=tmp_path))
    assert out["skipped"] == 1 and out["examples"] == ["bad.jsonl:2: malformed JSON (invalid literal, expected 'null')"]
    (row,) = server.versions("ds")
    assert row["records"] == 2 and row["meta"]["skipped"]["examples"] == out["examples"]
    assert "uploads" not in json.dumps(row) and server.uploads() == []


def test_refusals_keep_their_messages(server: Server, tmp_path: Path):
    (tmp_path / "real.jsonl").write_text('{"text": "x"}\n')
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "real.jsonl")
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "big.jsonl").write_text('{"text": "' + "y" * 3000 + '"}\n')

    assert server.fails("data", "import", "ds", "link.jsonl", cwd=tmp_path) == f"error: link.jsonl: {SYMLINK_REFUSED}\n"
    err = server.fails("data", "import", "ds", "pipe.jsonl", cwd=tmp_path)
    assert err == "error: pipe.jsonl: is a FIFO (named pipe), not a regular file; only regular files are read\n"
    err = server.fails("data", "import", "ds", "big.jsonl", "--max-file-bytes", "1k", cwd=tmp_path)
    assert err == "error: big.jsonl: is 2.9 KiB, over the limit of 1.0 KiB (raise it with --max-file-bytes)\n"
    assert (
        server.fails("data", "import", "ds", "none*.jsonl", cwd=tmp_path) == "error: none*.jsonl: no file matches this pattern\n"
    )
    assert server.versions() == [] and server.uploads() == []


def test_bad_files_in_an_image_folder_are_bad_records_in_their_place(server: Server, tmp_path: Path):
    pics = image_folder(tmp_path / "pics")
    (pics / "cat" / "alias.png").symlink_to(pics / "cat" / "0.png")
    os.mkfifo(pics / "dog" / "fifo.png")
    (pics / "dog" / "notes.txt").write_text("not an image")
    (pics / "dog" / "empty").mkdir()
    (pics / "bird").mkdir()  # an empty class still takes a label id

    err = server.fails("data", "import", "img", "pics", cwd=tmp_path)
    assert err == f"error: pics/cat/alias.png: {SYMLINK_REFUSED}\n"
    out = json.loads(server.ok("data", "import", "img", "pics", "--on-error", "skip", "--json", cwd=tmp_path))
    assert out["records"] == 3 and out["skipped"] == 3
    assert out["examples"] == [
        f"pics/cat/alias.png: {SYMLINK_REFUSED}",
        "pics/dog/fifo.png: is a FIFO (named pipe), not a regular file; only regular files are read",
        "pics/dog/notes.txt: is not a JPEG or PNG file",
    ]
    (row,) = server.versions("img")
    assert row["schema"]["fields"]["label_id"]  # labels: bird 0, cat 1, dog 2 as the store numbers them
    assert server.uploads() == []


def test_a_policy_file_is_read_by_the_client_and_checked_by_the_server(server: Server, tmp_path: Path):
    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n')
    (tmp_path / "bad.toml").write_text("[policy\n")
    err = server.fails("data", "import", "ds", "a.jsonl", "--policy", "bad.toml", cwd=tmp_path)
    assert err.startswith("error: bad.toml: not valid TOML:"), err
    err = server.fails("data", "import", "ds", "a.jsonl", "--policy", "missing.toml", cwd=tmp_path)
    assert err == "error: policy file missing.toml does not exist\n"
    assert server.versions() == [] and server.uploads() == []


KILLED_CLIENT = """
import os, sys, time
from aircluster.client.connection import Client
client = Client()
upload = client.call("import.begin", name="killed", options={"limits": {}})["upload"]
fd = os.open(sys.argv[1], os.O_RDONLY)
client.call("import.files", upload=upload, files=[{"path": sys.argv[1], "shown": "a.jsonl"}], fds=[fd])
print(upload, flush=True)
time.sleep(600)
"""


def test_a_killed_client_leaves_no_mirror_and_no_version(server: Server, tmp_path: Path):
    source = tmp_path / "a.jsonl"
    source.write_text('{"text": "x"}\n' * 1000)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_CLIENT, str(source)], env=environment(server.home), stdout=subprocess.PIPE, text=True
    )
    try:
        upload = proc.stdout.readline().strip()  # type: ignore[union-attr]
        assert upload, "the client did not get as far as uploading"
        copy = server.home / "server" / "uploads" / upload / str(source).lstrip("/")
        assert copy.read_bytes() == source.read_bytes()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert server.wait_no_uploads() == []
    assert server.versions("killed") == []


def test_the_server_refuses_malformed_uploads(server: Server, tmp_path: Path):
    source = tmp_path / "a.jsonl"
    source.write_text('{"text": "x"}\n')
    with Client(str(server.home / "server.sock")) as client:

        def begin() -> str:
            return client.call("import.begin", name="ds", options={"limits": {}})["upload"]

        def send(upload: str, path: str, fd: int) -> None:
            client.call("import.files", upload=upload, files=[{"path": path}], fds=[fd])

        with open(source, "rb") as f:
            with pytest.raises(UsageError, match="is not an absolute, normalised file path"):
                send(begin(), "/tmp/../etc/passwd", f.fileno())
            with pytest.raises(UsageError, match="1 open files came with 2 names"):
                client.call("import.files", upload=begin(), files=[{"path": "/a"}, {"path": "/b"}], fds=[f.fileno()])
            upload = begin()
            send(upload, str(source), f.fileno())
            with pytest.raises(UsageError, match="was sent twice"):
                send(upload, str(source), f.fileno())
        read, write = os.pipe()
        try:
            with pytest.raises(InputError, match=r"^/x.jsonl: is a FIFO \(named pipe\), not a regular file"):
                send(begin(), "/x.jsonl", read)
        finally:
            os.close(read)
            os.close(write)
        small = client.call("import.begin", name="ds", options={"limits": {"file_bytes": 4}})["upload"]
        with open(source, "rb") as f, pytest.raises(InputError, match=r"^a.jsonl: is 14 bytes, over the limit of 4 bytes"):
            client.call("import.files", upload=small, files=[{"path": str(source), "shown": "a.jsonl"}], fds=[f.fileno()])
        upload = begin()
        with pytest.raises(UsageError, match="was not sent before the import ran"):
            client.call("import.run", upload=upload, sources=[str(source)])
        with pytest.raises(UsageError, match="no upload"):
            client.call("import.run", upload=upload, sources=[str(source)])  # a failed run ends its upload
    assert server.wait_no_uploads() == [] and server.versions() == []


def test_copies_left_by_a_killed_server_are_swept(server: Server):
    stale = server.home / "server" / "uploads" / "0123456789abcdef" / "home" / "someone"
    stale.mkdir(parents=True)
    (stale / "data.jsonl").write_text('{"text": "left behind"}\n')
    assert server.wait_no_uploads(timeout=20) == []  # the housekeeping sweep owns no such upload: removed


def _fork_servers(pid: int) -> list[int]:
    """The scan workers' fork servers started by process `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue  # gone while we looked
        if ppid == pid and b"multiprocessing.forkserver" in cmdline:
            found.append(int(entry))
    return found


@pytest.mark.slow
def test_a_large_text_upload_starts_the_reviews_fork_server_before_the_import_runs(server: Server, tmp_path: Path):
    import time

    from aircluster.cli.upload import ServerImport

    pid = json.loads(server.ok("server", "status", "--json"))["pid"]
    small = tmp_path / "small.jsonl"
    small.write_text('{"text": "a post by Anna Berg"}\n')
    large = tmp_path / "large.jsonl"
    posts = (json.dumps({"text": f"post {i}: write to Anna Berg, anna{i}@example.org"}) for i in range(2000))
    large.write_text("".join(p + "\n" for p in posts))
    options = {"on_error": "fail", "compress": True, "shard_bytes": 64 << 20, "limits": {}}
    with Client(str(server.home / "server.sock")) as client:
        job = ServerImport(client, "small", [str(small)], options)
        job.begin(None, 2)
        job.upload(lambda n: None)
        assert _fork_servers(pid) == []  # an import this small is reviewed in the server's own process
        assert job.run()["records"] == 1
        assert _fork_servers(pid) == []

        job = ServerImport(client, "large", [str(large)], options)
        job.begin(None, 2)
        job.upload(lambda n: None)
        deadline = time.monotonic() + 60
        while not _fork_servers(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_fork_servers(pid)) == 1  # loading the detector while the import has not begun
        result = job.run()
    assert result["records"] == 2000 and result["review"]["state"] in ("pending_review", "rejected")
    assert len(_fork_servers(pid)) == 1  # the import's workers came from that same fork server
