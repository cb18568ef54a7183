"""What passing files to the server costs a `data import`: the upload (the client opens the files, the server
copies them into its mirror) against the import that follows (parse, review, encrypt), on one JSON Lines file
and on an image folder of many small files, through a real personal server.

    PYTHONPATH=$PWD python bench/import_upload.py [--mib 64] [--images 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median, print_table  # noqa: E402

from aircluster.cli.upload import ServerImport  # noqa: E402
from aircluster.client.connection import Client  # noqa: E402

ALLOW_ALL = '[policy]\nname = "allow-all"\n[defaults]\naction = "allow"\n'


def cli(home: Path, *args: str) -> None:
    env = os.environ | {"AIRCLUSTER_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "aircluster.cli", *args], env=env, check=True, capture_output=True)


def make_jsonl(path: Path, mib: int) -> None:
    line = b'{"text": "' + b"lorem ipsum dolor sit amet " * 8 + b'", "n": 1}\n'
    with open(path, "wb") as f:
        for _ in range((mib << 20) // len(line)):
            f.write(line)


def make_images(root: Path, count: int) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 20, 30)).save(out, "PNG")
    for i in range(count):
        folder = root / f"class{i % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:06d}.png").write_bytes(out.getvalue())


def one(home: Path, name: str, source: Path, policy: Path) -> tuple[float, float]:
    options = {"on_error": "fail", "compress": True, "shard_bytes": 64 << 20, "limits": {}}
    with Client(str(home / "server.sock")) as server:
        job = ServerImport(server, name, [str(source)], options)
        start = time.perf_counter()
        job.begin(str(policy), 2)
        job.upload(lambda n: None)
        uploaded = time.perf_counter()
        job.run()
        done = time.perf_counter()
    return uploaded - start, done - uploaded


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--mib", type=int, default=64)
    p.add_argument("--images", type=int, default=2000)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="aircluster-bench-upload-") as tmp:
        top = Path(tmp)
        home = top / "home"
        policy = top / "allow.toml"
        policy.write_text(ALLOW_ALL)
        make_jsonl(top / "big.jsonl", args.mib)
        make_images(top / "pics", args.images)
        cli(home, "server", "init", "--personal")
        cli(home, "server", "start", "--idle-exit", "60")
        try:
            rows = []
            for label, source, size in (
                (f"jsonl, 1 file of {args.mib} MiB", top / "big.jsonl", (top / "big.jsonl").stat().st_size),
                (f"images, {args.images} PNG files", top / "pics", sum(f.stat().st_size for f in (top / "pics").rglob("*.png"))),
            ):
                times = [one(home, f"b{i}", source, policy) for i in range(args.runs)]
                up, run = median(t[0] for t in times), median(t[1] for t in times)
                rows.append([label, size / (1 << 20), up, run, 100 * up / (up + run), size / (1 << 20) / up])
        finally:
            cli(home, "server", "stop")
    print_table(
        ["input", "MiB", "upload s", "import s", "upload % of total", "upload MiB/s"],
        rows,
        title=f"data import through the server: median of {args.runs} runs",
        digits=2,
    )


if __name__ == "__main__":
    main()
