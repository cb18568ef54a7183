"""Pattern-based recognizers: Presidio's checked recognizers, phone numbers, dates of birth, secrets.

Presidio's recognizers are called directly (not through its AnalyzerEngine, which needs an NLP
pipeline for every text): each one is a compiled regex plus a checksum or validity test (Luhn for
cards, mod-97 for IBANs, address parsing for IPs). Its context words are applied here with a simple
look-behind window. Phone numbers use `phonenumbers` on regex candidates; dates of birth and secrets
are regexes written here because no library covers them.

Every function returns a list of (entity, start, end, score).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

# Presidio's e-mail recognizer uses tldextract, which fetches the public suffix list over the network
# unless told not to; the cluster has no internet, so use the snapshot bundled with tldextract.
os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
# Importing Presidio picks a device for its NLP engines, none of which runs here: unless told, it creates
# a CUDA tensor to probe the GPU, which on a training node takes a CUDA context (seconds, and GPU memory
# a job may need) in the importing process. A device the operator set is kept.
os.environ.setdefault("PRESIDIO_DEVICE", "cpu")

import phonenumbers  # noqa: E402
import regex  # noqa: E402  (presidio's regex engine; its patterns use its syntax)
from presidio_analyzer import Pattern  # noqa: E402
from presidio_analyzer.predefined_recognizers import (  # noqa: E402
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IpRecognizer,
    UrlRecognizer,
    UsSsnRecognizer,
)

from aircluster.privacy.detect.ages import AGE_CUE_KIND, AGE_OPENING_WORDS  # noqa: E402
from aircluster.privacy.detect.credentials import (  # noqa: E402
    credential_links_and_cookies,
    labeled_credentials,
    random_case,
)
from aircluster.privacy.detect.cues import SEARCH_WHOLE_BELOW, Cues, Found, anchored, run_start, run_starts  # noqa: E402
from aircluster.privacy.detect.licences import LICENCE_CUE_KIND, LICENCE_OPENING_WORDS  # noqa: E402

Hit = tuple[str, int, int, float]

CONTEXT_WINDOW = 40  # characters before a match searched for context words
CONTEXT_BOOST = 0.35  # added to a match's score when a context word is near


def _card_recognizer() -> CreditCardRecognizer:
    """Presidio's card patterns need 13+ digits; Maestro cards have 12, so add a pattern for them."""
    default = CreditCardRecognizer()
    extra = Pattern("Card (12-19 digits)", r"\b\d{4}(?:[- ]?\d{4}){2,3}(?:[- ]?\d{1,3})?\b", 0.3)
    # Amex, Diners and 15-digit JCB are printed 4-6-5 / 4-6-4: "3782 822463 10005", "2131-045524-74341".
    grouped_465 = Pattern("Card (4-6-4/5 groups)", r"\b\d{4}([- ])\d{6}\1\d{4,5}\b", 0.3)
    return CreditCardRecognizer(patterns=[*default.patterns, extra, grouped_465])


class PresidioPatterns:
    """Presidio's recognizers, each only run when a cheap character test says it might match.

    Presidio's own `analyze()` builds an explanation object, reads the clock and logs for every
    match, which costs more than the regex itself; `_run_patterns` applies the same patterns and the
    same validate/invalidate checks without that bookkeeping. The IBAN recognizer overrides
    `analyze()` (it matches across group spaces), so it is called as is.
    """

    def __init__(self, entities: set[str]):
        # (our entity, recognizer, cheap prefilter on (text, digit count), minimum score after context)
        table = [
            ("CREDIT_CARD", _card_recognizer(), lambda t, d: d >= 12, 0.3),
            ("IBAN", IbanRecognizer(), lambda t, d: d >= 8 and _IBAN_START.search(t) is not None, 0.5),
            ("US_SSN", UsSsnRecognizer(), lambda t, d: d >= 9, 0.5),
            ("IP_ADDRESS", IpRecognizer(), lambda t, d: (d >= 4 and "." in t) or "::" in t or t.count(":") >= 3, 0.5),
            ("EMAIL_ADDRESS", EmailRecognizer(), lambda t, d: "@" in t, 0.5),
            ("URL", UrlRecognizer(), lambda t, d: _DOMAIN_SHAPED.search(t) is not None, 0.5),
        ]
        self.table = [row for row in table if row[0] in entities]
        if entities & {"EMAIL_ADDRESS", "URL"}:
            # tldextract builds its public-suffix trie (about 17,000 nodes, 0.03-0.2 s) on first use: here, once,
            # and before the scan workers fork from a warm detector, not inside the first record with an address.
            self.scan("warm-up: someone@example.com https://example.org/", 0)

    def versions(self) -> dict[str, str]:
        return {f"presidio.{rec.name}": getattr(rec, "version", "") for _, rec, _, _ in self.table}

    def scan(self, text: str, digits: int) -> list[Hit]:
        hits: list[Hit] = []
        lower = None
        chains = None
        for entity, rec, maybe, min_score in self.table:
            if not maybe(text, digits):
                continue
            if isinstance(rec, IbanRecognizer):
                found = [
                    (r.start, r.end, r.score)
                    for r in rec.analyze(text, entities=rec.supported_entities, nlp_artifacts=None)  # pyright: ignore[reportArgumentType]
                ]
            elif entity in _DIGITS_IN_A_MATCH and len(text) >= SEARCH_WHOLE_BELOW:
                # Every card and SSN pattern matches digits with at most one " ", "-" or "." between two of them:
                # run them only on the chains of such digits that hold enough digits for one (a short value:
                # the patterns over all of it cost less than finding the chains).
                chains = chains if chains is not None else _digit_chains(text)
                least = _DIGITS_IN_A_MATCH[entity]
                found = _run_patterns(rec, text, [(a, b) for a, b, d in chains if d >= least])
            elif entity == "IP_ADDRESS":
                # Every address is digits, hex letters, ":", ".", "/" and a "%zone", with a digit or a ":":
                # run the five large patterns only on the runs of such characters that hold one.
                found = _run_patterns(rec, text, _ip_regions(text))
            elif entity in _ANCHORED:
                # E-mail addresses and URLs hold no space: run their large patterns only on the
                # whitespace-delimited pieces around an "@" or a "x.tld" (the same matches, far less work).
                found = [
                    (a + x, a + y, sc)
                    for a, b in _pieces_around(text, _ANCHORED[entity](text))
                    for x, y, sc in _run_patterns(rec, text[a:b])
                ]
            else:
                found = _run_patterns(rec, text)
            for start, end, score in found:
                if score < min_score + 0.5 and rec.context:
                    lower = lower if lower is not None else text.lower()
                    window = lower[max(0, start - CONTEXT_WINDOW) : start]
                    if any(word in window for word in rec.context):
                        score = min(1.0, score + CONTEXT_BOOST)
                if score < min_score:
                    continue
                if entity == "IP_ADDRESS" and (_looks_like_version(text, start, end) or text[start:end] in _NO_HOST_ADDRESSES):
                    continue
                if entity == "CREDIT_CARD" and (
                    _LONGER_NUMBER_AFTER.match(text, end) or _LONGER_NUMBER_BEFORE.search(text, max(0, start - 6), start)
                ):
                    continue  # the middle of a longer number ("DE27 3687 7843 3186 7005 44"): no card
                if entity == "CREDIT_CARD" and (
                    text[start - 1 : start] in ("+", "-")
                    or (text[start : start + 1] == "0" and text[start : start + 4] != "0604")
                ):
                    # "+441164960011": a phone number in international form; "0151 98061614": card numbers
                    # start with 0 only in Maestro's old 0604 range (a phone number); "730-4123370-9617136":
                    # the end of an order id
                    continue
                if entity == "EMAIL_ADDRESS":
                    local = text[start:end].split("@", 1)[0]
                    if "/" in local:
                        continue  # "tiktok.com/@handle": a profile link, not a mailbox
                    # Presidio's pattern allows every RFC character before the "@"; an address in
                    # running text or a record starts after a field separator ("^NET^Internet^a@b.c").
                    cut = max(local.rfind(c) for c in "|^~<>()[]{},;:\"'")
                    start += cut + 1
                    if start >= end or text[start] == "@":
                        continue
                if entity == "URL":
                    if text[start - 1 : start] in ("@", ".", "/") or (
                        text[start - 1 : start] == "-" and "://" not in text[start:end]
                    ):
                        continue  # "@jan.devries": a chat handle; ".env.production", "./notify.sh": paths
                    while start < end and text[start] in "\"'`(<[":
                        start += 1  # Presidio's pattern may take the opening quote along
                    comma = text.find(",", start, end)
                    end = _url_end(text, end if comma < 0 else comma)
                    if not _url_shaped(text[start:end]):
                        continue
                hits.append((entity, start, end, score))
        return hits


_IBAN_START = re.compile(r"\b[A-Z]{2}\d{2}")
# The fewest digits in a match of any of the entity's patterns (cards: 12, "Card (12-19 digits)"; SSNs: 9).
_DIGITS_IN_A_MATCH = {"CREDIT_CARD": 12, "US_SSN": 9}
# A chain: digits with at most one separator of the card and SSN patterns between two of them, nine digits or
# more. In the patterns' engine and flags, so \d is the same set of digits (Unicode's, in its tables).
_DIGIT_CHAIN = regex.compile(r"\d(?:[ .\-]?\d){8,}", flags=regex.I | regex.M | regex.S)


def _digit_chains(text: str) -> list[tuple[int, int, int]]:
    """(pos, endpos, digits) of each maximal chain of nine digits or more, each digit followed by at most one
    " ", "-" or "." before the next: a card or SSN match is digits with at most one of these between two of them,
    so it lies inside one chain. endpos takes one character more, so a word boundary or a look-ahead at the
    chain's end sees what follows it, as in the whole text (a look-behind sees before pos)."""
    out = []
    for m in _DIGIT_CHAIN.finditer(text):
        chain = m.group()
        digits = len(chain) - chain.count(" ") - chain.count("-") - chain.count(".")
        out.append((m.start(), min(len(text), m.end() + 1), digits))
    return out


_SPACE = re.compile(r"\s")
_AT = re.compile("@")


def _pieces_around(text: str, anchors: list[int]) -> list[tuple[int, int]]:
    """Merged (start, end) of the whitespace-delimited pieces of `text` holding each anchor position."""
    out: list[tuple[int, int]] = []
    for pos in anchors:
        if out and pos < out[-1][1]:
            continue
        start = max(text.rfind(c, 0, pos) for c in " \t\n\r") + 1
        m = _SPACE.search(text, pos)
        end = m.start() if m else len(text)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


# A run that may hold an address has a ":" or three "." (any ":" on the way is a seed of its own): seeding on
# these, not on every digit, skips the many digit runs of dates, ids and prices.
_IP_SEED = re.compile(r":|\.[\w%/]*\.[\w%/]*\.")
_DIGIT = re.compile(r"\d")
_IP_RUN = re.compile(r"[\w:.%/]*")
_IP_RUN_TAIL = re.compile(r"[\w:.%/]*\Z")


def _ip_regions(text: str) -> list[tuple[int, int]]:
    """(pos, endpos) around each maximal run of [\\w:.%/] holding a digit or ":": every IP address match
    lies inside one (all its characters are of that class). endpos takes one character more, so a
    look-ahead or \\b at the run's end sees what follows it, as in the whole text (that character
    cannot be part of a match). Only runs with a ":" or three "." are kept: every IPv4 pattern has three
    dots, every IPv6 one a colon ("2024", "3.5", "v1.2.3" hold no address)."""
    out: list[tuple[int, int]] = []
    floor = 0
    seed = _IP_SEED.search(text)
    while seed is not None:
        k = seed.start()
        start = run_start(text, k, _IP_RUN_TAIL, floor)  # never before the previous run's end
        end = _IP_RUN.match(text, k).end()  # pyright: ignore[reportOptionalMemberAccess]  (matches "")
        if text.find(":", start, end) >= 0 or _DIGIT.search(text, start, end) is not None:
            out.append((start, min(len(text), end + 1)))
        floor = end
        seed = _IP_SEED.search(text, end)
    return out


_ANCHORED = {
    "EMAIL_ADDRESS": lambda t: [m.start() for m in _AT.finditer(t)],
    "URL": lambda t: [m.start() for m in _DOMAIN_SHAPED.finditer(t)],
}
_LONGER_NUMBER_AFTER = re.compile(r"[ -]?\d")
_LONGER_NUMBER_BEFORE = re.compile(r"(?:[A-Z]{2}\d{2}|\d)[ -]$")
# Presidio's URL regexes are 6 kB each (every TLD); run them only where "word.tld" occurs. The match starts at
# the dot (a look-behind checks the character before it): re then skips to each "." or ":" instead of
# trying a word character at every position, three times faster; the anchor stays inside the same piece.
_DOMAIN_SHAPED = re.compile(r"\.(?<=[\w-]\.)[A-Za-z]{2,}|://")


def _run_patterns(rec, text: str, regions: list[tuple[int, int]] | None = None) -> list[tuple[int, int, float]]:
    """Presidio's pattern semantics: validate True -> score 1, False or invalidated -> dropped. With
    `regions`, (pos, endpos) pairs, only the matches inside them (look-behinds still see the text before
    `pos`), in the same order: pattern by pattern."""
    out = []
    for pattern in rec.patterns:
        if pattern.compiled_regex is None or pattern.compiled_with_flags != rec.global_regex_flags:
            pattern.compiled_with_flags = rec.global_regex_flags
            pattern.compiled_regex = regex.compile(pattern.regex, flags=rec.global_regex_flags)
        compiled = pattern.compiled_regex
        matches = (
            compiled.finditer(text)
            if regions is None
            else (m for pos, endpos in regions for m in compiled.finditer(text, pos, endpos))
        )
        for m in matches:
            start, end = m.span()
            if start == end:
                continue
            found = text[start:end]
            score = pattern.score
            try:
                valid = rec.validate_result(found)
            except ValueError:  # a digit newer than Python's Unicode tables: `regex` reads it, int() cannot
                continue  # no number Python can check, so none to report (and no crash on a hostile field)
            if valid is not None:
                if not valid:
                    continue
                score = 1.0
            if rec.invalidate_result(found):
                continue
            out.append((start, end, score))
    return out


# Addresses that name no machine: "listening on 0.0.0.0", loopback, broadcast.
_NO_HOST_ADDRESSES = frozenset({"0.0.0.0", "127.0.0.1", "255.255.255.255", "::", "::1"})
_VERSION_BEFORE = re.compile(
    r"(?:\bv|version|versionid|release|build|rev|firmware|upgrade[ds]? to|tag|deployed)\W{0,4}$", re.IGNORECASE
)


# "Python 7.15.14.1", "Chrome 120.0.6099.1": a proper noun right before a dotted quad names a product
# and the quad is its version; these capitalized words are what people put before an address.
_NAME_BEFORE = re.compile(r"(?<![\w.])([A-Z][a-z]+[A-Za-z]*) $")
_NETWORK_WORDS = frozenset(
    "server host hostname gateway router address addr node client proxy peer from to at "
    "via device machine box dns ip ipv4 target source destination src dst remote local "
    "endpoint origin upstream backend frontend vm instance ping ssh".split()
)


def _looks_like_version(text: str, start: int, end: int) -> bool:
    """ "version 1.2.3.4" / "v10.0.0.1" / "Python 7.15.14.1" parse as IPs; the word before them says
    they are not."""
    before = text[max(0, start - 20) : start]
    if _VERSION_BEFORE.search(before):
        return True
    m = _NAME_BEFORE.search(before)
    if m is None or m.group(1).lower() in _NETWORK_WORDS:
        return False
    # Not a sentence's first word: "Blocked 10.0.0.7" is a verb, capitalized only by position.
    return not re.search(r"(?:^|[.!?:]\s*|\n\s*)$", before[: m.start(1)])


_URL_REST = re.compile(r"[^\s<>\"'`,]*")


def _url_end(text: str, end: int) -> int:
    """Presidio's TLD alternation stops early ("….bi" for ".biz", "x.ht" for "x.htm"): a URL runs
    to the next space; closing punctuation after it belongs to the sentence."""
    rest = _URL_REST.match(text, end)  # matches the empty string at least
    end = rest.end() if rest else end
    while end > 0 and text[end - 1] in ".,;:!?)]}'\"":
        end -= 1
    return end


_FILE_EXTENSIONS = frozenset(
    "jpg jpeg png gif bmp tif tiff webp heic pdf txt csv tsv json jsonl xml yaml yml "
    "md py ipynb zip gz tar mov mp4 mp3 wav doc docx xls xlsx ppt pptx htm html log".split()
)


# Suffixes of internal host names and of script or config files: never a public web address without
# a scheme ("cache-prod-1.internal", "./deploy.sh", "settings.env").
_PRIVATE_TLDS = frozenset(
    "internal local lan corp intranet localdomain localhost invalid sh bash zsh env "
    "production staging conf cfg ini toml lock sql rb js ts java php ps1 bat exe dll".split()
)


# Top-level domains that are also the last word of dotted keys in code and config.
_WORD_TLDS = frozenset("email name zip mov id data user type value key file new one run".split())


def _url_shaped(url: str) -> bool:
    """A bare domain ("example.com") is written in lower case, "Univ.Prof" is not one, and
    "holiday_photo.jpg" is a file name."""
    if "://" in url or url.lower().startswith("www."):
        return True
    host = url.split("/", 1)[0].split(":", 1)[0]
    if not host.rsplit(".", 1)[-1].isalpha():
        return False  # "crispy.fox680": a handle; a top-level domain has no digits
    if host.rsplit(".", 1)[-1].lower() in _PRIVATE_TLDS:
        return False  # "db-stg-2.internal", "notify.sh", ".env.production": a host or a file, no web address
    if "/" not in url and host.rsplit(".", 1)[-1].lower() in _FILE_EXTENSIONS:
        return False
    if "/" not in url and host.count(".") == 1 and host.rsplit(".", 1)[-1] in _WORD_TLDS:
        return False  # "user.email", "item.name": a dotted key, though ".email" and ".name" are domains
    return host == host.lower()


# ---- phone numbers -------------------------------------------------------------------------------

# Digits, separators and one optional "(0)" trunk prefix ("+49 (0) 1362 846665"); never across a line.
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w.+-])(?<!\d[ \t])(?:\+\d{1,3}[ \t.-]?)?(?:\(\d{1,5}\)[ \t.-]?)?\d[\d \t.-]{3,16}\d"
    r"(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,5})?(?![\w-]|\.\d|[ \t]\d)"
)  # the whole digit run, not a prefix of it
# The German way: area code, slash, subscriber number ("0171/2725476", "030/123 45 67").
_SLASHED_PHONE = re.compile(r"(?<![\w/.-])0\d{2,5}/\d{2,4}[ -]?\d{2,6}(?:[ -]\d{2,4})?(?![\w/-]|\.\d)")
_NOT_PHONE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,3}(?:\.\d{1,3}){3}$|^\d{2}[./-]\d{2}[./-]\d{4}$")
_PHONE_CONTEXT = (
    "phone",
    "call",
    "tel",
    "mobile",
    "cell",
    "text me",
    "text",
    "whatsapp",
    "fax",
    "contact",
    "number",
    "reach",
    "ring",
    "sms",
    "signal",
    "landline",
    "mob",
    "urgent",
    "emergency",
    "enquiries",
    "inquiries",
    "helpline",
    "hotline",
    "switchboard",
    "reception",
    "roaming",
    "unter",
    "auskunft",
    "rückfragen",
    "anruf",
    "handy",
    "festnetz",
    "secrétariat",
    "portable",
    "appel",
    "joindre",
    "móvil",
    "movil",
    "llamar",
    "llame",
    "contacto",
)
# Words just before a digit run that make it an identifier, not a phone number ("Meeting ID: 845 2290
# 1137", "order no. 4401 ..."), unless a phone word is right there too.
_ID_BEFORE = re.compile(
    r"\b(?:id|order|invoice|inv|tracking|ticket|isbn|issn|ref|reference|serial|account|"
    r"acct|case|pin|booking|call no|call number|conversation|certificate|objekt|object|dossier|record|mrn|nr|arxiv|doi|pmid|occurrence|crime|claim|report|docket|patent|confirmation|transaction|receipt|customer|member|policy|"
    r"meeting|room|code|sku|model|part|build|version|batch|lot|commit|revision|rev|changeset|run|job|pipeline|issue|pr|bug|task|incident|request)\b\W{0,3}"
    r"(?:(?:no|nr|num|number|#)\W{0,3})?$",
    re.IGNORECASE,
)
_SENTENCE_BREAK = re.compile(r"\.[ \t]+")
_DATE_TIME_START = re.compile(r"^(?:19|20)\d{2}-\d{2}-\d{2}[ T]\d")
# North American shape: 3-3-4 digits with one separator used throughout, or "(3) 3-4".
_NANP_SHAPE = re.compile(
    r"^(?:\+?1[ .-]?)?(?:\d{3}([.-])\d{3}\1\d{4}|\(\d{3}\)[ ]?\d{3}[ .-]\d{4})"
    r"(?:[ \t]?(?:x|ext\.?)[ \t]?\d{1,5})?$"
)
# "2025-870396" (a case number by year), "2107.19820" (an arXiv id): a year and a serial.
# Decimal numbers ("5742892870.00036", a Slack timestamp), amounts ("385.88    817.34") and
# card-grouped numbers ("3462 6281 6303 364", which failed the card check): not phone numbers.
_NOT_PHONE_SHAPE = re.compile(
    r"^\d+\.\d+$|^\d+\.\d{2}(?:\s+\d+\.\d{2})+$|^\d{4}(?: \d{4}){2} \d{2,4}$"
    r"|^[1-9]\d{3} \d{4} \d{4}$"
    r"|^\d{5}-\d{4}$"  # a US ZIP+4 ("CA 95134-1706"), which Germany's, France's and Spain's plans would take
)
_CALL_NUMBER = re.compile(r"\bcall\s+(?:no|nr|number)\b\.?:?\s*$")
_ISBN = re.compile(r"^97[89]-\d{1,5}-\d{1,7}-\d{1,7}-[\dX]$")
# "10.0.25881.2488": a build number (French numbers are dotted too, in pairs: "06.12.34.56.78").
_DOTTED_VERSION = re.compile(r"^\d+(?:\.\d+){3,}$")
_YEAR_SERIAL = re.compile(r"^(?:19|20)\d{2}[-/]\d{4,7}$|^\d{4}\.\d{4,5}$")
_MONEY_AFTER = re.compile(r"^[ \t]?(?:€|\$|£|¥|eur\b|usd\b|gbp\b|chf\b|euros?\b|dollars?\b)", re.IGNORECASE)
_SSN_CUE = re.compile(
    r"(?<![a-z])ssn(?![a-z])|national identity number|national id number|social security|\bsocial\b|\bsocsec|\bss#|\bss no",
    re.IGNORECASE,
)
_PHONE_AFTER_WINDOW = 25
_SSN_WINDOW = 60  # "Social Security number (for identity verification): 073062605"


def _national_mobile_or_landline(cand: str, score) -> bool:
    """ "07747838166", "0310345662": ten or eleven digits after one trunk zero, valid in a region's
    number plan: how people write their own number, even with no word around it."""
    return len(cand) in (10, 11) and cand[0] == "0" and cand[1] != "0" and score(cand) >= 0.8


def _part_of_a_time(text: str, start: int, end: int) -> bool:
    """Digits glued to a clock time: right after "hh:mm:" or right before ":mm"."""
    return (
        start >= 2
        and text[start - 1] == ":"
        and text[start - 2].isdigit()
        or text[end : end + 1] == ":"
        and text[end + 1 : end + 2].isdigit()
    )


_PHONE_LABEL = re.compile(
    r"(?:\b(?:phone|telephone|tel|mobile?|mobil|mob|cell|handy|fax|whatsapp|signal|landline|call|ring|rang|dial(?:l?ed)?|"
    r"text|reach(?:able)?|call ?back(?: requested)?|voicemail|t[ée]l[ée]phone|t[ée]l|portable|tel[ée]fono|telefon|m[óo]vil)(?:\s+(?:me|us|him|her|them))?(?:\s+(?:on|at|is))?|\bnumber(?:\s+is)?|(?:^|[\s(\[|])[mtfhwo])"
    r"\s*(?:(?:[.:#]|->|=>)\s*){0,2}\(?$"
)


def _alone_on_line(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rest = text[end:] if line_end < 0 else text[end:line_end]
    head = text[line_start:start]
    return not rest.strip(" \t.,;") and (not head.strip() or head.rstrip().endswith(("|", "·")))


class PhoneNumbers:
    def __init__(self, regions: tuple[str, ...] = ("US", "GB", "DE", "FR", "ES")):
        self.regions = regions
        self._scores: dict[str, float] = {}  # parsing is the slow part; numbers repeat

    def scan(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        if "/" in text:
            hits += [h for m in _SLASHED_PHONE.finditer(text) if (h := self._candidate(text, m.start(), m.group())) is not None]
        for m in _PHONE_CANDIDATE.finditer(text):
            hit = self._candidate(text, m.start(), m.group().strip())
            if hit is None and _SENTENCE_BREAK.search(m.group()):
                # "Room 4.12. 402-722-1658 is ...": a sentence end inside the run; try each piece.
                offset = m.start()
                for piece in _SENTENCE_BREAK.split(m.group()):
                    start = text.index(piece, offset)
                    offset = start + len(piece)
                    if (h := self._candidate(text, start, piece.strip())) is not None:
                        hits.append(h)
            elif hit is not None:
                hits.append(hit)
        return hits

    def _candidate(self, text: str, start: int, cand: str) -> Hit | None:
        digits = sum(c.isdigit() for c in cand)
        if digits < 7 or digits > 15 + 5 or _NOT_PHONE.fullmatch(cand):
            return None
        if not cand.startswith("+") and digits > 12 and cand.isdigit():
            return None  # a long bare digit string is an id or an account number, not a phone
        before = text[max(0, start - CONTEXT_WINDOW) : start].lower()
        if cand.isdigit():
            before = before.rsplit("\n", 1)[-1]  # a bare number's cue is on its own line
        if _ID_BEFORE.search(before) and not any(w in before[-15:] for w in _PHONE_CONTEXT[:5]):
            return None
        if (
            _CALL_NUMBER.search(before)
            or _ISBN.fullmatch(cand)
            or (cand.startswith(("1-", "+1-")) and sum(c.isdigit() for c in re.split(r"[ \t]?(?:x|ext)", cand)[0]) != 11)
        ):
            return None  # a library's "Call no. 641.59 2873", an ISBN, "1-800-44949" (too short)
        if _DATE_TIME_START.match(cand) or before.rstrip(" \t")[-1:] in ("#", "№"):
            return None  # "2022-05-20 17" of a timestamp; "#75560864", "listing #0809806": an id
        end = start + len(cand)
        after = text[end : end + _PHONE_AFTER_WINDOW].lower().split("\n", 1)[0]
        if cand.isdigit() and any(c.isdigit() for c in after):
            after = ""  # "56731791  TEL  248-794-8321": a phone word before another number is its label
        if _part_of_a_time(text, start, end):
            # "962-817-4974  59:01": the run took the minutes of a call's duration along; drop them.
            head = re.fullmatch(r"(.*\d)[ \t.-]+\d+", cand)
            if head is None or start >= 2 and text[start - 1] == ":" and text[start - 2].isdigit():
                return None  # "02:32:36 2021 -0500", "22.10.2022 21:30": a time, not a phone number
            return self._candidate(text, start, head.group(1))
        if _MONEY_AFTER.match(after) or before[-1:] in ("$", "€", "£"):
            return None  # "1 689 000 €": a price
        labeled = _PHONE_LABEL.search(before[-24:]) is not None
        if (_YEAR_SERIAL.fullmatch(cand) or _NOT_PHONE_SHAPE.fullmatch(cand)) and not labeled:
            return None
        if _DOTTED_VERSION.fullmatch(cand) and len({len(g) for g in cand.split(".")}) > 1:
            return None
        if cand.isdigit() and not cand.startswith("00"):
            # A bare digit run carries no phone shape: ids, serials, SSNs and order numbers look the
            # same. Only a phone word nearby makes it a phone number.
            if not (
                labeled
                or any(w in before or w in after for w in _PHONE_CONTEXT)
                or _alone_on_line(text, start, end)
                or _national_mobile_or_landline(cand, self._score)
            ):
                return None
            if len(cand) == 9 and _SSN_CUE.search(text, max(0, start - _SSN_WINDOW), start):
                return None
        score = self._score(cand)
        if score < 0.5 and (_NANP_SHAPE.fullmatch(cand) or (cand.startswith("+") and score > 0)):
            # "883.602.0827", "(611)306-6304x9582", "+4915435357073": phone-shaped even when the
            # number plan does not know the area code.
            score = 0.55
        if score < 0.5 and 8 <= digits <= 15 and labeled:
            # Right after "Phone:", "call me on", "m:", "rang": a number by its label, even one the
            # number plan rejects (made-up area codes, a stray trunk zero).
            return ("PHONE_NUMBER", start, end, 0.6)
        if 0 < score < 0.5 and _alone_on_line(text, start, end):
            # A number on a line of its own (a signature block) or after "Name |".
            score = 0.55
        if 0 < score < 0.5:
            if any(w in before or w in after for w in _PHONE_CONTEXT):
                score += CONTEXT_BOOST
            elif cand.startswith(("+", "00", "011")) and sum(c in " -.()" for c in cand) >= 1:
                # International form written with separators: a phone number by its shape even when
                # the number plan does not know the area code.
                score = 0.55
        if score < 0.5:
            return None
        return ("PHONE_NUMBER", start, start + len(cand), min(score, 1.0))

    def _score(self, cand: str) -> float:
        """0.8 valid in some region, 0.4 merely possible (fictional area codes), 0 not a number."""
        score = self._scores.get(cand)
        if score is None:
            if len(self._scores) >= 4096:
                self._scores.clear()
            score = self._scores[cand] = self._parse_score(cand)
        return score

    def _parse_score(self, cand: str) -> float:
        best = 0.0
        for region in (None,) if cand.startswith("+") else self.regions:
            try:
                num = phonenumbers.parse(cand, region)
            except phonenumbers.NumberParseException:
                continue
            # The length check first: it is cheap, and a number of impossible length is never valid.
            if not phonenumbers.is_possible_number(num):
                continue
            if phonenumbers.is_valid_number(num):
                return 0.8
            if len(str(num.national_number)) >= 9:
                best = 0.4
        return best


# ---- US social security numbers written without dashes --------------------------------------

_SSN_DIGITS = re.compile(r"(?<![\w.+-])(\d{3})([ -]?)(\d{2})\2(\d{4})(?![\w-]|\.\d)")


_INTL_PREFIX = re.compile(r"\+\d{1,3}[ \t.-]?(?:\(0\)[ \t]?)?$")


def ssn_by_context(text: str) -> list[Hit]:
    """ "ssn": "356924517", "my social ... it's 066520503": nine digits (dashes optional) with an SSN
    word shortly before them and the number plan's rules (no 000/666/9xx area, no 00 group)."""
    hits: list[Hit] = []
    for m in _SSN_DIGITS.finditer(text):
        area, group, serial = m.group(1), m.group(3), m.group(4)
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            continue
        if _INTL_PREFIX.search(text, max(0, m.start() - 6), m.start()):
            continue  # "+34 700233190": the rest of an international phone number
        if _SSN_CUE.search(text, max(0, m.start() - _SSN_WINDOW), m.start()):
            hits.append(("US_SSN", m.start(), m.end(), 0.8))
    return hits


# ---- dates of birth ------------------------------------------------------------------------------

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|mai|juni|juli|"
    "oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|"
    "novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
    "octubre|noviembre|diciembre"
)
# Every date starts with a digit or a month name: a look-ahead on that first character lets the
# regex engine skip all other positions at once instead of trying each alternative there.
_DATE_START = "(?=[\\d" + "".join(sorted({m[0] for m in _MONTHS.split("|")})) + "])"
_DATE = re.compile(
    _DATE_START + r"(?<![\w/.-])(?:"
    r"(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])"  # 1985-03-12
    r"|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|[12]\d|3[01])[-/.](?:19|20)?\d{2}"  # 12/03/1985
    r"|(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"  # 19850312 (HL7, vCard)
    rf"|(?:0?[1-9]|[12]\d|3[01])-(?:{_MONTHS})-(?:19|20)?\d{{2}}"  # 12-MAR-1985 (mainframe)
    rf"|(?:0?[1-9]|[12]\d|3[01])(?:\.|st|nd|rd|th|er|º|°)?\s+(?:of\s+|de\s+)?(?:{_MONTHS})\.?,?\s+(?:de\s+)?(?:1[89]|20)\d{{2}}"
    rf"|(?:{_MONTHS})\.?\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?,?\s+(?:1[89]|20)\d{{2}}"  # March 12, 1985
    r")(?![\w/-]|\.\d)",
    re.IGNORECASE,
)  # 12(th of) March 1985, 1er mars 1979, 2 de diciembre de 1952
# "(b. 1987-03-03)" is the biographical "born".
_BIRTH_CONTEXT = re.compile(
    r"born|birth|(?<![a-z])dob(?![a-z])|d\.o\.b|b-?day|geboren|\bgeb\.|geburt|\bnée?\b|\bnée?\s?\(e\)"
    r"|nacid|naci[óo]\b|\bnac[ií]\b|nacimiento|naissance|cumpleaños|anniversaire|\bnat[oa]\b|nascid|nasceu"
    r"|\bBIRT\b|(?:^|(?<=[\s(\[,;]))b\.\s?$",
    re.IGNORECASE | re.MULTILINE,
)
# Said after the date: "it's 25/07/1996, my date of birth", "12.3.1980 (DOB)"; a birth notice's
# "arrived on 3 May 2019, weighing 3.4 kg"; the first date of a lifespan "(3 May 1921 – 4 June 2001)".
_BIRTH_AFTER = re.compile(
    r"[ \t,;:(]{0,3}(?:(?:is|was|that's|that is|as|ist|war|est|es)\s+)?"
    r"(?:(?:my|his|her|their|the|mein|meine|sein|ihr|mon|ma|sa|mi|su)\s+)?"
    r"(?:date of birth|birth ?date|birthday|dob\b|d\.o\.b|geburtsdatum|geburtstag"
    r"|date de naissance|fecha de nacimiento)"
    r"|\s+geboren\b|\s+†|,?\s+weigh(?:ing|ed)\b|\s?[–—-]\s?(?=[^\n)]{6,30}\))",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?:1[89]|20)\d{2}")
# Cheap gates: every birth cue above contains one of these (the lifespan's dash is checked apart).
_BIRTH_ANYWHERE = re.compile(
    r"(?i)born|birth|dob|d\.o\.b|b-?day|geb|née?|n[ée]\s?\(e\)|nac[ií]|nacid|nacimiento"
    r"|naissance|cumpleaños|anniversaire|\bnat[oa]\b|nasc|\bBIRT\b|\bb\.|weigh|†"
)
_BIRTHDAY_WORD = re.compile(r"(?i)birthday|b-?day|geburtstag|anniversaire|cumpleaños|\bturn|born|geboren|née?")
_DIGIT = re.compile(r"\d")
_LIFESPAN_OPEN = re.compile(r"\(\s*(?:\*\s*)?$")
# What every lifespan holds: "(", then no parenthesis up to the dash after its first date, then the 6-30
# characters and the ")" that _BIRTH_AFTER looks ahead to (a date holds no parenthesis). Most texts with a "(" and
# a "-" (a phone's area code, an id) have none, and skip the date pattern.
_LIFESPAN_GATE = re.compile(r"\([^()]*[–—-]\s?[^\n)]{6,30}\)")
# "née Hill", "geb. Meyer": a maiden name, not a birth date, unless the date follows at once.
_MAIDEN_CUE = re.compile(r"\bnée?\s+[A-ZÀ-Ý]|\bgeb\.\s+[A-ZÀ-Ý]")
# "50th birthday, 22 June 2025": the day of a party, not a birth date.
_PARTY_BIRTHDAY = re.compile(r"\d+(?:st|nd|rd|th|\.)\s+(?:birthday|geburtstag|anniversaire|cumpleaños)", re.IGNORECASE)


# A day and a month without a year ("6 March", "June 16", "21. Oktober"), a birthday only right after a
# birthday word ("my birthday's 6 March", "turning 45 on 3 April", "Geburtstag am 3. Mai").
_DAY_MONTH = re.compile(
    _DATE_START + r"(?<![\w/.-])(?:(?:0?[1-9]|[12]\d|3[01])(?:\.|st|nd|rd|th|er)?\s+(?:of\s+|de\s+)?(?:" + _MONTHS + r")\b"
    r"|(?:" + _MONTHS + r")\.?\s+(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b)(?![,.]?\s*\d|[/-]\d)",
    re.IGNORECASE,
)
_BIRTHDAY_CUE = re.compile(
    r"(?:birthday|b-?day|geburtstag|anniversaire|cumpleaños|\bturn(?:s|ing)? \d{1,3}|\bborn|\bgeboren|\bnée?)"
    r"(?:['’]s|\s+(?:is|was|falls|will be|comes|ist|est|es|fällt)){0,2}(?:\s+(?:on|am|le|el|is|the))?[ \t:,!-]{0,4}$",
    re.IGNORECASE,
)


def birthdays(text: str, found: Found | None = None) -> list[Hit]:
    """Day-and-month birthdays with no year, right after a birthday word."""
    hits: list[Hit] = []
    found = found if found is not None else CUES.find(text)
    if next(anchored(_BIRTHDAY_WORD, text, found.starts("birthday_word")), None) is None:
        return hits  # no cue anywhere: skip the month-name pattern over the whole text
    for m in _DAY_MONTH.finditer(text):
        if _BIRTHDAY_CUE.search(text, max(0, m.start() - 40), m.start()):
            hits.append(("DATE_OF_BIRTH", m.start(), m.end(), 0.75))
    return hits


@lru_cache(maxsize=4096)  # asked for every short value scanned: the same few key names come with every record
def birth_field(name: str) -> bool:
    """Does a field's name say its value is a birth date ("birth_date", "DOB")?"""
    return _BIRTH_CONTEXT.search(name) is not None


def dates_of_birth(text: str, context: str = "", found: Found | None = None) -> list[Hit]:
    """Full dates with a birth word shortly before them (or in the field name given as `context`)."""
    if _DIGIT.search(text) is None:
        return []
    hits: list[Hit] = []
    field_says_birth = bool(context) and birth_field(context)
    found = found if found is not None else CUES.find(text)
    if (
        not field_says_birth
        and next(anchored(_BIRTH_ANYWHERE, text, _birth_cue_starts(found)), None) is None
        and not ("(" in text and _LIFESPAN_GATE.search(text) is not None)
    ):
        return hits  # no birth word before or after any date, no lifespan: nothing to find
    previous_end = 0
    previous_birth = False
    for m in _DATE.finditer(text):
        # The birth word must come after any earlier date: "born 1968-09-25, meeting on 2024-12-12".
        window = text[max(previous_end, m.start() - CONTEXT_WINDOW) : m.start()]
        # ...or the date is a correction of, or an alternative to, the birth date just before it:
        # "DOB is 1990-01-02 instead of 1990-02-01", "born 3/4/85 (not 4/3/85)", "born 1 May or 2 May 1990".
        birth = (
            field_says_birth
            or _birth_word_before(window)
            or (previous_birth and _DATE_ALTERNATIVE.fullmatch(text[previous_end : m.start()]) is not None)
            or _birth_word_after(text, m.start(), m.end())
        )
        previous_end = m.end()
        previous_birth = birth
        if birth:
            hits.append(("DATE_OF_BIRTH", m.start(), m.end(), 0.85))
    return hits


def _birth_word_before(window: str) -> bool:
    cues = list(_BIRTH_CONTEXT.finditer(window))
    if not cues:
        return False
    if _PARTY_BIRTHDAY.search(window) and not re.search(r"born|dob|geboren|naissance|nacimiento", window, re.I):
        return False
    rest = window[cues[-1].end() :]
    if "\n" in rest and re.search(r"\w", rest[: rest.index("\n")]):
        return False  # the birth word belongs to a sentence on an earlier line
    # A maiden-name cue with a name after it and before the date says nothing about this date.
    return _MAIDEN_CUE.match(window, cues[-1].start()) is None


def _birth_word_after(text: str, start: int, end: int) -> bool:
    after = _BIRTH_AFTER.match(text, end, end + 40)
    if after is None:
        return False
    if after.group().lstrip(" \t,").startswith(("–", "—", "-")):
        # A lifespan, not a date range: a second date follows, years apart ("(1916 – 1952)").
        death = _DATE.match(text, after.end())
        if death is None or _LIFESPAN_OPEN.search(text, max(0, start - 3), start) is None:
            return False
        years = [int(y) for y in (_YEAR.findall(text[start:end])[-1:] + _YEAR.findall(death.group())[-1:])]
        return len(years) == 2 and years[1] - years[0] >= 2
    return True


_DATE_ALTERNATIVE = re.compile(
    r"(?i)[ \t]*[,(]?[ \t]*(?:instead of|rather than|not|but|or|and not|vs\.?|versus|->|→|=>|/|should be|"
    r"but (?:it )?should be|corrected to|changed to|but it'?s|it'?s actually|actually)[ \t:]*"
)


# ---- secrets -------------------------------------------------------------------------------------

_PRIVATE_KEY = re.compile(
    r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
    r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----"
)
_KNOWN_TOKENS = re.compile(
    r"\b(?=[AgsrxeGhnpdSyMN])(?:(?:AKIA|ASIA)[0-9A-Z]{16}"  # AWS access key id
    r"|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,}"  # GitHub
    r"|glpat-[\w-]{20,}"  # GitLab
    r"|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|whsec_[A-Za-z0-9]{24,}"  # Stripe
    r"|xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[\w-]{20,}"  # Slack
    r"|AIza[0-9A-Za-z_-]{35}|ya29\.[\w-]{20,}"  # Google API key, OAuth access token
    r"|sk-[A-Za-z0-9_-]{20,}"  # OpenAI-style
    r"|hf_[A-Za-z0-9]{30,}|npm_[A-Za-z0-9]{36}|pypi-[\w-]{50,}"  # Hugging Face, npm, PyPI
    r"|SG\.[\w-]{20,}\.[\w-]{20,}"  # SendGrid
    r"|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}|dop_v1_[a-f0-9]{64}"  # Shopify, DigitalOcean
    r"|eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}"  # JWT
    r"|[MN][A-Za-z\d]{23,25}\.[\w-]{6}\.[\w-]{27,38}"  # Discord bot token
    r")\b"
)
_KEY_VALUE = re.compile(
    r"(?i)(?<![\w.-])[\w.-]*?(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
    r"|auth[_-]?key|credentials?)[\w.-]*[\"']?\s*[:=]\s*[\"']?([^\s\"',;<>]{6,})"
)
# Any other "*_key" / "*-key" / "*Key" setting ("stripe_key = ...", "SIGNING_KEY: ...", "deployKey"):
# only a generated-looking value counts ("sort_key = name", "primary_key: id" are not secrets).
_ANY_KEY_VALUE = re.compile(
    r"(?<![\w.-])[\w.-]*?(?:[_.-](?i:key)|[a-z]Key|KEY)[\"']?[ \t]*[:=][ \t]*[\"'`]?([A-Za-z0-9_\-+/.~]{16,}={0,2})"
)
_KEY_WORD_THEN_TOKEN = re.compile(r"(?i)\b(?:key|token|secret|password)\b\W{0,3}(?:is\s+)?([A-Za-z0-9_\-+/]{24,}={0,2})")
# "the password is x7Gq2...", "pass: x7Gq2...", "pwd x7Gq2...", "my password is literally x7Gq2...",
# "password changed to x7Gq2...": a password word, then a generated-looking value.
_PASSWORD_THEN_VALUE = re.compile(
    r"(?i)\b(?:password|passwd|passcode|passphrase|passwort|mot de passe|contraseña|pass|pwd|pw|pin)\b\W{0,3}"
    r"(?:(?:is|was|now|still|literally|just|actually|currently|temporarily|again|=|(?:set|changed|reset|updated)"
    r"(?: it)? to|ist|est|es)\W{1,3}){0,3}"
    r"[\"'`]?([^\s\"'`,;<>]{6,64})"
)
# A password word, a few words, then "is" or ":" and the value: "the temporary password they emailed
# me is X", "Wi-Fi password (for the installer): X", "app login: X".
_PASSWORD_PHRASE = re.compile(
    r"(?i)\b(password|passwort|kennwort|passcode|passphrase|pin code|mot de passe|contraseña|login|log-in)\b"
    r"[^\n.!?:=\"'`]{0,40}?(?:\bis\b|\bwas\b|\bist\b|\best\b|:|=)[ \t]*[\"'`]?([^\s\"'`<>]{6,64})"
)
# A long random-looking token on its own: upper and lower case letters and digits mixed, not hex.
_RANDOM_TOKEN = re.compile(r"(?<![\w/+=.@:%&?#-])[A-Za-z0-9_-]{24,160}(?![\w/+=.@%&-])")
# HTTP credentials in a header: "Authorization: Bearer <token>", "Basic <base64>".
_AUTH_HEADER = re.compile(r"(?i)\b(?:bearer|basic|token)\s+([A-Za-z0-9._~+/-]{16,}=*)")
# Passwords on a command line: "mysql -u root -pS3cret", "--password=S3cret", "--token S3cret",
# "sshpass -p S3cret", "redis-cli -a S3cret", "curl -u user:S3cret".
_CLI_PASSWORD = re.compile(
    r"(?:\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n]*?[ \t]-p(?=[^\s-])"
    r"|\bsshpass[ \t]+-p[ \t]+|\bredis-cli\b[^\n]*?[ \t]-a[ \t]+"
    r"|\bcurl\b[^\n]*?[ \t](?:-u|--user)[ \t]+[\"']?[^\s:\"']+:"
    r"|[ \t]-u[ \t]+[^\s-]\S*[ \t]+-p[ \t]+"
    r"|(?<![\w-])--(?:password|passwd|pass|pwd|token|api-key|apikey|api-token|auth-token|access-token|secret|"
    r"client-secret|secret-key|access-key)(?:=|[ \t]+))"
    r"[\"']?([^\s\"']{4,})"
)
# Credentials inside a URL or connection string: "postgres://app:S3cret@db:5432/x",
# "Server=db;User Id=app;Password=S3cret;", "AccountKey=abc...==".
_URL_CREDENTIALS = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}://[^\s:/@]{0,64}:([^\s@/]{3,128})@[\w.-]+")
_PLACEHOLDER = re.compile(
    r"^(?:\*+|x+|\.+|<[^>]*>|\$\{?\w+\}?|%\w+%|\{\{[^}]*\}\}|null|none|changeme|redacted"
    r"|password|secret|your[_-]?\w*|example|xxx\w*)$",
    re.IGNORECASE,
)


_SECRET_WORDS = (
    "pass",
    "pwd",
    "login",
    "kennwort",
    "-u ",
    "pw",
    "secret",
    "token",
    "key",
    "auth",
    "credential",
    "bearer",
    "basic",
    "mysql",
    "mariadb",
    "redis-cli",
    "curl",
    "pin",
    "mot de passe",
    "contraseña",
)


# Where each secret pattern's matches can start (see cues.py). "At": the pattern opens with these words
# (any case), so a match starts where one does. "Run": it opens with (?<![\w.-])[\w.-]*? and then one of
# these words, so a match starts where the run of word characters holding the word begins. A word may
# stand for longer ones it begins or is part of ("pass" for "passwd", "key" for "api_key").
_SECRET_CUES = {
    "secret_word": _SECRET_WORDS,  # the gate: exactly _SECRET_WORD's words
    "password_phrase": (  # at
        "password",
        "passwort",
        "kennwort",
        "passcode",
        "passphrase",
        "pin code",
        "mot de passe",
        "contraseña",
        "login",
        "log-in",
    ),
    "key_value": ("passw", "pwd", "secret", "token", "key", "credential"),  # run
    "key_word": ("key", "token", "secret", "password"),  # at
    "password_then": ("pass", "mot de passe", "contraseña", "pw", "pin"),  # at
    "auth_header": ("bearer", "basic", "token"),  # at
    # at: the command names, "--" of a long option, the blank before "-u"
    "cli": ("mysql", "mariadb", "sshpass", "redis-cli", "curl", "--", " -u", "\t-u"),
    "any_key": ("key",),  # run
}
# The gates of the date recognizers, as cue words where each of their matches starts, but for
# "n[ée]\s?\(e\)": it starts 2 or 3 characters before its "(e)" (`_birth_cue_starts`).
_DATE_CUES = {
    "birth_anywhere": (
        "born",
        "birth",
        "dob",
        "d.o.b",
        "b-day",
        "bday",
        "geb",
        "né",
        "nac",
        "naissance",
        "cumpleaños",
        "anniversaire",
        "nat",
        "nasc",
        "birt",
        "b.",
        "weigh",
        "†",
    ),
    "birth_paren_e": ("(e)",),
    "birthday_word": ("birthday", "b-day", "bday", "geburtstag", "anniversaire", "cumpleaños", "turn", "born", "geboren", "né"),
}
# AGE's and the driver's licence's opening words ride along: one pass over a field serves ages.py and licences.py too.
CUES = Cues({**_SECRET_CUES, **_DATE_CUES, AGE_CUE_KIND: AGE_OPENING_WORDS, LICENCE_CUE_KIND: LICENCE_OPENING_WORDS})


def _birth_cue_starts(found: Found) -> list[int] | None:
    starts, paren = found.starts("birth_anywhere"), found.starts("birth_paren_e")
    if starts is None or paren is None:
        return None
    return sorted({*starts, *(k - back for k in paren for back in (2, 3) if k >= back)})


def field_cues(text: str) -> Found:
    """The one pass over a field that the pattern recognizers here share."""
    return CUES.find(text)


def secrets(text: str, found: Found | None = None) -> list[Hit]:
    found = found if found is not None else CUES.find(text)
    hits: list[Hit] = []
    if "-----BEGIN" in text:
        hits += [("SECRET", m.start(), m.end(), 1.0) for m in _PRIVATE_KEY.finditer(text)]
    hits += [("SECRET", m.start(), m.end(), 0.95) for m in _KNOWN_TOKENS.finditer(text)]
    if "://" in text:
        hits += [
            ("SECRET", m.start(1), m.end(1), 0.85)
            for m in _URL_CREDENTIALS.finditer(text)
            if not _PLACEHOLDER.fullmatch(m.group(1))
        ]
    for m in _RANDOM_TOKEN.finditer(text):
        if _random_looking(m.group()):
            hits.append(("SECRET", m.start(), m.end(), 0.7))
    hits += labeled_credentials(text)
    hits += credential_links_and_cookies(text)
    if not found.has("secret_word"):
        return hits
    for m in anchored(_PASSWORD_PHRASE, text, found.starts("password_phrase")):
        value = m.group(2).rstrip(".,;:)]}")  # "Lantern2019!" keeps its "!"
        if (
            len(value) < 6
            or _PLACEHOLDER.fullmatch(value)
            or "://" in value
            or "@" in value
            or not _mixed(value)
            or value.count(":") >= 2
        ):  # an IPv6 address or a time after "password ... from"
            continue
        if m.group(1).lower().startswith("log") and not (any(c.isupper() for c in value) and any(c.islower() for c in value)):
            continue  # "login: jdoe42" is a user name; a login secret is generated-looking
        hits.append(("SECRET", m.start(2), m.start(2) + len(value), 0.8))
    for pattern, starts in (
        (_KEY_VALUE, run_starts(text, found.starts("key_value"))),
        (_KEY_WORD_THEN_TOKEN, found.starts("key_word")),
        (_PASSWORD_THEN_VALUE, found.starts("password_then")),
        (_AUTH_HEADER, found.starts("auth_header")),
        (_CLI_PASSWORD, found.starts("cli")),
        (_ANY_KEY_VALUE, run_starts(text, found.starts("any_key"))),
    ):
        for m in anchored(pattern, text, starts):
            value = m.group(1).rstrip(".,;:!?)]}")
            if len(value) < 4 or _PLACEHOLDER.fullmatch(value):
                continue
            if pattern is _ANY_KEY_VALUE:
                if not _generated(value):
                    continue
            elif pattern is _CLI_PASSWORD:
                if len(value) < 6 and not _mixed(value):
                    continue
            elif pattern is not _KEY_VALUE and not _mixed(value):
                continue
            hits.append(("SECRET", m.start(1), m.start(1) + len(value), 0.8))
    return hits


def _generated(value: str) -> bool:
    """A machine-made token: long, letters and digits mixed, not a word, a path or a dotted name."""
    if len(value) < 16 or "/" in value.strip("/=") and value.count("/") > 2 or value.count(".") > 2:
        return False
    return _mixed(value) and sum(c.isdigit() for c in value) >= 3


def _random_looking(value: str) -> bool:
    """Upper case, lower case and digits, at least two of each, and not a hex digest or a word_with_parts
    ("AbstractProxyFactory2Bean2" is an identifier, not a token)."""
    if sum(c.isdigit() for c in value) < 2 or all(c in "0123456789abcdefABCDEF-" for c in value):
        return False
    return random_case(value)


def _mixed(value: str) -> bool:
    """A long token with digits and letters, not a plain word: looks generated."""
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
