"""`python -m evals.pii` from the repository root: the PII evaluation (see `evals.pii.evaluate`)."""

from evals.pii.evaluate import main

main()
