"""Write the usaddress addresses a model trained with `--address-holdout K` never saw, labeled for evals/prose.

    python -m tools.name_tagger.holdout --usaddress DIR --address-holdout K --out FILE.jsonl
    python -m evals.prose --system aircluster --files FILE.jsonl      # with AIRCLUSTER_NAME_TAGGER=model

The labels come from usaddress's own tags (street, town, state, country; the ZIP code a ZIP_CODE), not by
hand: a check of how a model does on US postal addresses it was not trained on, while choosing how much of
them to train on, apart from the evaluation parts (unseen3's addresses are in neither).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tools.name_tagger.sources import SourceError, holdout_documents


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tools.name_tagger.holdout", description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--usaddress", type=Path, required=True, metavar="DIR", help="usaddress 0.5.16's training folder")
    ap.add_argument("--address-holdout", type=int, required=True, metavar="K", help="as given to the trainer (K >= 2)")
    ap.add_argument("--out", type=Path, required=True, metavar="FILE")
    args = ap.parse_args(argv)
    if args.address_holdout < 2:
        print(f"holdout: --address-holdout must be 2 or more, not {args.address_holdout}", file=sys.stderr)
        return 2
    try:
        docs = holdout_documents(args.usaddress, args.address_holdout)
    except SourceError as e:
        print(f"holdout: {e}", file=sys.stderr)
        return 2
    args.out.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    print(f"wrote {args.out}: {len(docs)} addresses, {sum(len(d['spans']) for d in docs)} spans")
    return 0


if __name__ == "__main__":
    sys.exit(main())
