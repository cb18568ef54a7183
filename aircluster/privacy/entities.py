"""The entity types the detector reports, and the actions a policy may take on them."""

from __future__ import annotations

ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN",
    "US_SSN",
    "IP_ADDRESS",
    "URL",
    "LOCATION",
    "DATE_OF_BIRTH",
    "SECRET",
    "AGE",
    "DRIVER_LICENSE",
)

ACTIONS: tuple[str, ...] = ("redact", "pseudonymize", "mask", "drop_record", "allow")

# When two detections overlap, the one with the higher rank wins (then the longer one): a URL inside
# an e-mail address is part of the e-mail, digits inside an IBAN are not a phone number.
PRIORITY: dict[str, int] = {
    "SECRET": 10,
    "EMAIL_ADDRESS": 9,
    "IBAN": 8,
    "CREDIT_CARD": 8,
    "US_SSN": 7,
    # A licence number is found only after words naming it, so it says more than a phone number or a date
    # read from the same digits; an SSN's or a card's own cue and check say more than a licence's.
    "DRIVER_LICENSE": 6,
    "URL": 6,
    "IP_ADDRESS": 6,
    "DATE_OF_BIRTH": 5,
    "PHONE_NUMBER": 5,
    "LOCATION": 4,
    "PERSON": 3,
    "AGE": 2,  # a number; anything else that claims it says more
}
