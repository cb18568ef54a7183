"""Privacy review: PII detection, policies, review reports, and the gate the import runs through.

    from aircluster.privacy import Detector, Finding, Policy, apply_policy, ReviewStats, ScanPipeline
    from aircluster.privacy.review.gate import review_hook          # what `data import` calls

Names are imported on first use: the detector loads Presidio (seconds), a report does not need it.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Detector": "detect.detector",
    "Finding": "findings",
    "KEY_FIELD": "findings",
    "ENTITIES": "entities",
    "ACTIONS": "entities",
    "Policy": "review.policy",
    "apply_policy": "review.transform",
    "pseudonym": "review.transform",
    "ReviewStats": "review.report",
    "build_report": "review.report",
    "render_text": "review.report",
    "render_html": "review.report",
    "ScanPipeline": "review.pipeline",
    "review_hook": "review.gate",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'aircluster.privacy' has no attribute {name!r}")
    return getattr(importlib.import_module(f"aircluster.privacy.{module}"), name)
