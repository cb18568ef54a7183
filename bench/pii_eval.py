"""The PII evaluation as a bench script: detection quality per family and scan rate against Presidio.

The evaluation itself lives in `evals/pii` (`python -m evals.pii`, see evals/pii/README.md); this runs it
with the same arguments:

    python bench/pii_eval.py [--n 2000] [--workers 2] [--seed 20261] [--speed-runs 3] [--quick] [--json OUT]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: evals/ is not installed

from evals.pii.evaluate import main  # noqa: E402

if __name__ == "__main__":
    main()
