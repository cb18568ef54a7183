"""Passwords by their label: a word that names a credential, then a value shaped like one.

    labeled_credentials(text) -> [("SECRET", start, end, score)]

People write passwords after labels in every language and layout: "Guest Wi-Fi: Meadow1975*",
"Mot de passe de l'espace adhérent : 4nMO2rGiJQFc", "Einmalpasswort E_*KPvaa45", "Shared inbox login:
volunteers / Velvet2026%", "WITH PASSWORD 'm!Jhd…'", and in scanned text with O/0 and S/5 confused
("WIFI PA5SW0RD: …"). A label alone proves nothing ("reset your password at …"), and a value alone
is often an id, so both are needed:
  - the first token after the label's separator (":", "=", "is", a quote, or nothing after a
    compound such as "Einmalpasswort") counts when it is password-shaped (letters with digits or
    symbols, or random-looking mixed case); after a user-name label ("login") it must be strong;
  - any strong token later on the same line counts too ("asked for my password and I gave them
    Tiger2011* before I realised", "No passwords in comments please! (lG4Jtx6rFKAqXZ)").
"""

from __future__ import annotations

import re

from aircluster.privacy.detect.cues import SEARCH_WHOLE_BELOW, Cues, anchored

Hit = tuple[str, int, int, float]

# Read labels through the usual OCR confusions; the copy has the text's length, so offsets carry over.
_OCR = (("0", "o"), ("5", "s"), ("4", "a"), ("1", "l"), ("@", "a"), ("$", "s"))


def ocr_folded(text: str) -> str:
    """`text` lower-cased, its OCR look-alikes read as letters ("pa55w0rd" -> "password"): six str.replace
    scans in C, several times faster than str.translate, which looks every character up in a table."""
    folded = text.lower()
    for digit, letter in _OCR:
        folded = folded.replace(digit, letter)
    return folded


_PASSWORD_LABEL = (
    r"pass?words?|passwort|kennwort|passcode|passphrase|pass code|pwd|pin code|mot de passe"
    r"|code d['’]acc[eè]s|code secret|contrase[ñn]a|clave(?: de acceso)?|senha|wachtwoord"
    r"|zugangs(?:code|daten)|zugang|access code|door code|wi-?fi|wlan|wpa2?(?: key)?"
    r"|network key|secret|(?<![a-z])pin"
)
_LOGIN_LABEL = r"log-?in|sign-?in|credentials?|zugangsdaten|identifiants"
_LABEL = re.compile(rf"(?:(?<![a-z])(?:{_LOGIN_LABEL})(?![a-z])|(?:{_PASSWORD_LABEL})(?![a-z]))")
# What every match of _LABEL opens with (one word per alternative of the two labels above; a label added
# there must add its opening here): `labeled_credentials` tries _LABEL only where one of them starts.
_LABEL_OPENINGS = Cues(
    {
        "label": (
            "log sign credential zugangsdaten identifiants pass pasword kennwort pwd mot code contrase clave senha "
            "wachtwoord zugang access door wi-f wif wlan wpa network secret pin"
        ).split()
    }
)
# Between the label and its value: a few words of the label's phrase, then a separator.
_LEAD = re.compile(r"[^\n:=]{0,40}?(?:\s*[:=]\s*|\s+(?:is|was|ist|est|es|to|:)\s+)|\s*[\"'`(]|\s+", re.IGNORECASE)
_TOKEN = re.compile(r"[^\s\"'`<>]{6,64}")
_STRONG_SYMBOLS = frozenset("!#$%&*+=?^~|{}[]()<>;,")
_PASSPHRASE = re.compile(r"[a-z]{3,}(?:-[a-z]{3,}){2,}\d{0,4}", re.IGNORECASE)
# Words, numbers and separators; each piece is maximal (the look-aheads), so a failing match cannot
# backtrack through every split.
_WORD_PARTS = re.compile(r"(?:[A-Z]?[a-z]{2,}(?![a-z])|[A-Z]{2,}(?=[A-Z][a-z]|[^A-Za-z]|$)|\d+(?!\d)|[_-])+")
_NOT_VALUE = re.compile(r"^(?:\*+|x+|\.+|<[^>]*>|\$\{?\w+\}?|%\w+%|\{\{[^}]*\}\}|changeme|redacted)$", re.IGNORECASE)
_NAMES_THE_NETWORK = re.compile(r"(?i)\b(?:network|name|ssid|netz(?:werk)?|réseau|red)\b")
_HASHED = re.compile(r"\{(?:SSHA|SHA|SMD5|MD5|CRYPT|PBKDF2)|e1NTSEF9|e1NIQX0|e0NSWVBUfQ|e1NNRDV9|e01ENX0|\$(?:2[aby]|5|6|argon2)")
_LINE_REACH = 80  # characters after a label in which a strong token is its value


def _classes(value: str) -> tuple[bool, bool, bool, bool]:
    return (
        any(c.islower() for c in value),
        any(c.isupper() for c in value),
        any(c.isdigit() for c in value),
        any(c in _STRONG_SYMBOLS for c in value),
    )


def random_case(value: str) -> bool:
    """Upper and lower case mixed in a way words are not ("djhqIZkZWZjOK_oDzc", not "MyHomeNetwork")."""
    upper = sum(c.isupper() for c in value)
    lower = sum(c.islower() for c in value)
    return upper >= 2 and lower >= 2 and _WORD_PARTS.fullmatch(value) is None


def _plain(value: str) -> bool:
    """No password: a link, an address, a placeholder, a setting (USER=root), an IPv6 address or a
    time (colons), a stored hash ({SSHA}..., in base64 "e1NTSEF9...")."""
    return (
        "://" in value
        or "@" in value
        or "=" in value.rstrip("=")
        or value.count(":") >= 2
        or _NOT_VALUE.fullmatch(value) is not None
        or _HASHED.match(value) is not None
        or not any(c.isalpha() for c in value)
    )


def password_shaped(value: str) -> bool:
    """Letters with digits or symbols, a passphrase, or random mixed case: a value after a password label."""
    if len(value) < 6 or _plain(value):
        return False
    lower, upper, digit, symbol = _classes(value.rstrip("?!"))  # "vergessen?" ends a sentence
    return digit or symbol or random_case(value) or _PASSPHRASE.fullmatch(value) is not None


def strong(value: str) -> bool:
    """Shaped like a chosen or generated password even without a label right before it."""
    if len(value) < 8 or _plain(value):
        return False
    if _PASSPHRASE.fullmatch(value) and any(c.isdigit() for c in value):
        return True
    lower, upper, digit, symbol = _classes(value)
    if lower and upper and (digit or symbol):
        return random_case(value) or digit and symbol or _word_then_digits(value)
    return random_case(value)


def _word_then_digits(value: str) -> bool:
    """ "Tiger2011", "Velvet2026%": a capitalized word, digits, maybe a symbol; or letters and digits mixed."""
    return re.fullmatch(r"[A-Z][a-z]{2,}\d{2,4}\W?", value) is not None or sum(c.isdigit() for c in value) >= 2


def _clean(value: str) -> str:
    """Drop sentence punctuation and a closing bracket the value did not open."""
    while value and (
        value[-1] in ".,;:'\"" or value[-1] in ")]}" and value.count("([{"[")]}".index(value[-1])]) < value.count(value[-1])
    ):
        value = value[:-1]
    return value


def labeled_credentials(text: str) -> list[Hit]:
    folded = ocr_folded(text)
    hits: list[Hit] = []
    taken_until = -1
    # A short value is cheaper to search whole (when a label's opening word is in it at all) than to prepare
    # a cue pass for.
    if len(folded) < SEARCH_WHOLE_BELOW:
        at: list[int] | None = None if _LABEL_OPENINGS.occur_in(folded) else []
    else:
        at = _LABEL_OPENINGS.find(folded).starts("label")
    for label in anchored(_LABEL, folded, at):
        if label.start() < taken_until:
            continue
        line_end = text.find("\n", label.end())
        line_end = len(text) if line_end < 0 else line_end
        reach = min(line_end, label.end() + _LINE_REACH)
        login = re.fullmatch(_LOGIN_LABEL, label.group()) is not None
        lead = _LEAD.match(text, label.end(), reach)
        if lead and label.group()[:1] in "wn" and _NAMES_THE_NETWORK.search(lead.group()):
            continue  # "the Wi-Fi network is HomeNet-5G": the network's name, not its key
        first = True
        pos = lead.end() if lead else label.end()
        for tok in _TOKEN.finditer(text, pos, reach):
            value = _clean(tok.group().lstrip("(["))
            start = tok.start() + tok.group().index(value[:1]) if value else tok.start()
            if first and tok.start() == pos and not login and password_shaped(value):
                hits.append(("SECRET", start, start + len(value), 0.8))
                taken_until = start + len(value)
                break
            first = False
            if strong(value):
                hits.append(("SECRET", start, start + len(value), 0.75))
                taken_until = start + len(value)
                break
    return hits


# ---- links and cookies that carry a credential -----------------------------------------------------

# A signed or token-bearing link grants access by itself: the whole URL is the secret.
_CREDENTIAL_URL = re.compile(
    r"https?://(?:hooks\.slack\.com/services/|discord(?:app)?\.com/api/webhooks/|[^\s\"'<>]*?[?&;]"
    r"(?:sig|signature|x-amz-signature|x-goog-signature|token|access_token|id_token|auth|apikey|api_key|key"
    r"|pwd|password|passcode|secret|client_secret)=)[^\s\"'<>]*",
    re.IGNORECASE,
)
_SESSION_COOKIE = re.compile(
    r"(?i)(?<![\w.-])(?:sid|sessionid|session_id|session|phpsessid|jsessionid|connect\.sid"
    r"|auth_token|remember_token)=([A-Za-z0-9%._~+/-]{16,}=*)"
)


def credential_links_and_cookies(text: str) -> list[Hit]:
    hits: list[Hit] = []
    if "://" in text:
        for m in _CREDENTIAL_URL.finditer(text):
            url = _clean(m.group())
            if "=" in url[url.find("?") :] or "/services/" in url or "/webhooks/" in url:
                hits.append(("SECRET", m.start(), m.start() + len(url), 0.85))
    if "=" in text:
        hits += [("SECRET", m.start(1), m.end(1), 0.8) for m in _SESSION_COOKIE.finditer(text)]
    return hits
