"""Fixtures for the privacy tests: one Detector per test session (building it reads the word lists)."""

from __future__ import annotations

import pytest

from aircluster.privacy.detect.detector import Detector


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()


def found(detector: Detector, text: str) -> set[tuple[str, str]]:
    """(entity, matched text) pairs the detector reports for `text`."""
    return {(e, text[s:t]) for e, s, t, _ in detector.scan_text(text)}
