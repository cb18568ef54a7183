"""The entity types the families label and draw values for.

The families were written when the detector had these types. Types it gained later (AGE, DRIVER_LICENSE)
are left out: some posts hold such values unlabeled ("Just turned {age}."), so a detection of one can be
neither right nor wrong in them, and drawing values for them would change every post. The prose
evaluation (evals/prose) labels ages and licence numbers and scores them.
"""

from __future__ import annotations

from aircluster.privacy.entities import ENTITIES

UNLABELED: tuple[str, ...] = ("AGE", "DRIVER_LICENSE")
FAMILY_ENTITIES: tuple[str, ...] = tuple(e for e in ENTITIES if e not in UNLABELED)
