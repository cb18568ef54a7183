"""Check that two source trees import a file identically through the privacy review: same decrypted records, in
the same order, and the same review report (findings, counts, examples, state, detector versions).

    python tools/import_identity.py --tree A --tree B FILE_OR_FOLDER... [--warm] [--workers 2]

Each tree runs in its own process (PYTHONPATH = the tree) with a fresh AIRCLUSTER_HOME under /tmp: it imports the
input with `review_hook(ctx, workers=W)` (with --warm after a small import in the same process, as the server
runs its imports), keeps the records the review passed on to the store and, unless the policy rejected the version
(which shreds it), checks that the version read back decrypted holds exactly those. The dataset's pseudonym key is fixed (the same 32 bytes
for both trees) so that pseudonyms can be compared; everything else is the tree's own code. Exits 1 and names the
first difference when the trees disagree. A development check, not part of the product.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FIXED_KEY = hashlib.sha256(b"import_identity").digest()


def child(source: str, warm: str | None, workers: int) -> None:
    from aircluster.context import init
    from aircluster.privacy.review.gate import review_hook
    from aircluster.store.ingest import ImportOptions, import_dataset
    from aircluster.store.reader import VersionReader

    written: list[dict] = []

    def tap(batches: Iterator[list[dict]]) -> Iterator[list[dict]]:
        for batch in batches:
            written.extend(batch)
            yield batch

    with init() as ctx:
        ctx.keys.pseudonym_key = lambda dataset_id: FIXED_KEY  # the same tokens in both trees
        if warm:
            import_dataset(ctx, "warm-up", [warm], ImportOptions(), review=review_hook(ctx, workers=workers))
        gate = review_hook(ctx, workers=workers)
        start = gate.start
        gate.start = lambda dataset_id, version_id: lambda batches: tap(start(dataset_id, version_id)(batches))
        result = import_dataset(ctx, "checked", [source], ImportOptions(), review=gate)
        version = ctx.catalog.version_by_id(result.version_id)
        # What the review passed on is what the store wrote; read it back unless the policy rejected (and shredded) it.
        if result.review["state"] != "rejected":
            read = list(VersionReader(ctx, version, purpose="verify", require_approved=False))
            if read != written:
                sys.exit("import_identity: the decrypted records differ from those the review passed on")
    out = {"records": written, "report": result.review["report"], "state": result.review["state"]}
    sys.stdout.write(json.dumps(out, sort_keys=True, default=_bytes_digest))


def _bytes_digest(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return "bytes:" + hashlib.sha256(value).hexdigest()
    raise TypeError(f"cannot compare a {type(value).__name__}")


def run_tree(tree: Path, source: str, warm: str | None, workers: int) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix="import-identity-"))
    env = {**os.environ, "PYTHONPATH": str(tree), "AIRCLUSTER_HOME": str(home)}
    env.setdefault("AIRCLUSTER_USER", "identity-check")
    cmd = [sys.executable, __file__, "--child", source, "--workers", str(workers)] + (["--warm-file", warm] if warm else [])
    try:
        done = subprocess.run(cmd, env=env, cwd=tree, capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    if done.returncode != 0:
        sys.exit(f"import_identity: the import with {tree} failed: {done.stderr.strip().splitlines()[-1:]}")
    return json.loads(done.stdout)


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    if type(a) is not type(b):
        return f"{where or '/'}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}/{k}: only in {'the second' if k in b else 'the first'}"
            found = first_difference(a[k], b[k], f"{where}/{k}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} vs {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} vs {b!r}"


def main() -> None:
    p = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    p.add_argument("inputs", nargs="*", help="files or image folders to import")
    p.add_argument("--tree", action="append", type=Path, help="a source tree (give two)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--warm", metavar="FILE", help="import FILE first in the same process (a warm fork server)")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--warm-file", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        return child(args.child, args.warm_file, args.workers)
    if not args.tree or len(args.tree) != 2 or not args.inputs:
        sys.exit("import_identity: give exactly two --tree and at least one input")
    failed = False
    for source in args.inputs:
        a, b = (run_tree(t.resolve(), str(Path(source).resolve()), args.warm, args.workers) for t in args.tree)
        diff = first_difference(a, b)
        n = len(a["records"])
        print(f"{source}: {'IDENTICAL' if diff is None else 'DIFFERENT at ' + diff} ({n} records, state {a['state']})")
        failed |= diff is not None
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
