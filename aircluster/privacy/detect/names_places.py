"""PERSON and LOCATION without an NLP model: word lists plus context rules.

spaCy's statistical models cannot be installed on the cluster, and Presidio on a blank pipeline finds
no names at all. This recognizer works on runs of capitalized words:

- a run containing a known first name (not an ordinary English word) is a person, together with the
  capitalized words after it ("Zofia Wójcikowska" even when the surname is unknown);
- a title or a known surname after a capitalized word marks a person ("Dr. Okafor", "Ana Kowalski");
- context before the run ("my name is", "thanks", "met", "cc") or after it ("said", "wrote") marks a
  person whatever the words are;
- known places (cities, states, countries), words shaped like place names ("Port X", "Xville") after
  a preposition, and runs after "live in", "moved to", "from" are locations;
- street addresses (number + street word, "rue X", "Xstraße 12"), postcodes with a city name, and UK
  and US postcode forms are locations; pieces of one address next to each other become one span.

Sentence-initial capitalization carries no signal, so a lone first word must be a known name that is
not also an ordinary word. The choice of rules over a small trained model was measured with
`bench/pii_eval.py` (recall on names the lists lack is reported separately there).
"""

from __future__ import annotations

import re
from itertools import compress
from operator import itemgetter, methodcaller

from aircluster.privacy.detect.cues import Cues, anchored
from aircluster.privacy.detect.lexicon import (
    Lexicon,
    load_famous_people,
    load_frequent_words,
    load_people_words,
    load_proper_words,
)
from aircluster.privacy.detect.roles import (
    FOUNDATIONS,
    PEERAGE,
    ROLE_ABBREVIATIONS,
    ROLE_OPENERS,
    ROLE_TAILS,
    ROLE_WORDS,
    role_length,
)
from aircluster.privacy.detect.towns import SHORTEST_PLAIN, US_STATE_CODES, US_STATE_NAMES, Towns, known_place, load_towns

Hit = tuple[str, int, int, float]

WEAK_TOWN = 0.75  # the least confidence of the tagger's for a town the rules did not read (a land's: ensemble.ADD_KNOWN)
_DIGIT_NEXT = re.compile(r"[ \t]*\d")
_OPENS_A_WORD = frozenset(" \t\n,(\"“'‘[")
_FULL_STOP_INSIDE = re.compile(r"[^\W\d_]{2,}\.\s")
_NAME_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_CAPITALIZED_NEXT = re.compile(r"[ \t]+[^\W\d_a-z]")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\.?[ \t]+\Z")

# The score of a known place joined to a place found before it ("Germany and France"): the sentence
# decides there, so the detector keeps the span whatever the tagger's features say (`sure_place`).
JOINED_PLACE = 0.72
# A real town and its US state in one run without a comma ("Auburn MA"): above a known first name and surname's
# 0.85 ("Austin Texas"), and sure of itself against the tagger (`sure_place`).
TOWN_STATE = 0.88
# Both ends of a move: "relocating from Quarrington to Brackwater Heath" (sure of itself against the tagger too).
ROUTE_PLACE = 0.9
# A real town, even one that is a name too, where a journey starts, passes or ends ("we left Paris", "hastened to
# Milan", "leagues from Geneva") or that a ruler's title names ("the Duke of Milan"): above a cue's person ("from X" is
# a sender's cue, 0.78), and sure of itself against the tagger, which reads a lone first name as a person wherever it
# stands.
TOWN_IN_CONTEXT = 0.81
# What stands before a word of running text: a space, a line break, an opening bracket or quote.
_PROSE_BEFORE = frozenset(" \t\n(\"'“‘«")
_WORD_TEXT = itemgetter(2)
_STRIP_DOT = methodcaller("rstrip", ".")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
_NUMBER_AFTER = re.compile(r"[ \t]+\d")


# Compared without their trailing dot.
TITLES = frozenset(
    "mr mrs ms miss mx dr prof sir madam herr frau mme mlle m sr sra srta don doña dott sig univ dipl ing mag".split()
)
# What a speaker does, before or after the name: "said Holmes", "Scrooge muttered" (not "returned", "continued"
# after a name: "Paris returned to normal").
SPEECH_VERBS = (
    "said|cried|answered|replied|whispered|exclaimed|muttered|murmured|remarked|shouted|sobbed|interrupted|rejoined|laughed"
)
# The speaker's verb right after or before a name ("Holmes answered", "said Holmes"): the tagger learned from posts,
# where a name after a closing quote or opening a sentence is seldom one, and may not veto it there.
_SPEAKER_VERB_AFTER = re.compile(rf"[ \t]+(?:{SPEECH_VERBS})\b")
SPEAKER_VERB_BEFORE = re.compile(rf"\b(?:{SPEECH_VERBS})[ \t]+\Z")
# A verb or an auxiliary after a given name, or a possessive before a noun: the name acts in its sentence.
ACTS_AFTER = re.compile(
    r"(?:[ \t]+(?:had|has|was|is|did|didn't|does|doesn't|took|went|came|got|saw|looked|began|felt|knew|thought|"
    r"turned|stood|sat|ran|walked|told|asked|gave|made|found|kept|put|heard|seemed|tried|wanted|would|could|"
    r"wouldn't|couldn't|never|always|then|[a-z]{3,}ed)\b|['’]s[ \t]+[a-z])"
)
SUBJECT_PERSON = 0.62
PARTICLE_PERSON = 0.86  # a known given name, a name particle and a name: the tagger may not veto it
# Japanese honorifics written after a name with a hyphen ("Koga-san", "Tanaka-sensei")
_HONORIFIC_SUFFIXES = ("-san", "-sama", "-kun", "-chan", "-sensei", "-dono")
# Words right before a name (at most 3 characters of punctuation or space between, no sentence end and
# no line break): "Thanks Anna", "cc: Anna", "Good afternoon Anna", "escalated to Anna". Matched with
# `str.endswith` on a tuple (one C call) instead of a regex alternation tried at every position.
_CUE_PHRASES: tuple[str, ...] = tuple(
    "name is|i'm|i’m|im|i am|call me|met|meet|thanks|thank you|thx|ty|cc|dear|hi|hello|hey|according to|ask|"
    "asked|tell|told|with|by|shoutout to|forward this to|forward it to|signed|regards|cheers|sincerely|"
    "cordially|best|contact|email|from|especially|congrats|congrats to|congratulations|congratulations to|"
    "happy birthday|kudos to|props to|ping|lol|talk to|talking to|talked to|spoke to|spoke with|credit to|"
    # greetings, hand-overs, credits, votes, memorials
    "good morning|good afternoon|good evening|good day|greetings|this is|welcome|morning|evening|"
    "assigned to|reassigned to|escalated to|handed to|handed over to|handed off to|handed it to|"
    "handed it over to|transferred to|passed to|passed it to|on behalf of|credits to|credit goes to|"
    "credits go to|photo by|vote for|voted for|in memory of|rip|condolences to|introduce|introducing|"
    "invited|attn|attention|c/o|care of|beneficiary|payee|account holder|card holder|cardholder|"
    "name on card|name on the card|signed off by|handled by|escalated by|reported by|created by|opened by|"
    "closed by|prepared by|following up with|reach out to|reached out to|loop in|looping in|thanks to|"
    "thank you to|cc'd|cc'ing|"
    # a speaker named after the words of speech, as stories write it: '"No," said Holmes', "cried Scrooge"
    f"{SPEECH_VERBS}|returned|observed|continued|resumed|repeated|groaned".split("|")
)
# Name particles as cues ("de la Cruz" after a first name): not after "." or "@" ("web.de").
_PARTICLE_CUES: tuple[str, ...] = ("de la", "del", "de", "van", "von", "van der", "di", "da")
_RELATION_WORDS: tuple[str, ...] = tuple(
    w + suffix
    for w in (
        "neighbour|neighbor|coach|physio|therapist|vet|plumber|electrician|accountant|agent|realtor|landlord|"
        "mechanic|colleague|coworker|co-worker|boss|manager|friend|buddy|landlady|roommate|flatmate|"
        "teammate|classmate|teacher|tutor|doctor|dentist|lawyer|wife|husband|partner|girlfriend|boyfriend|"
        "brother|sister|mom|mum|mother|dad|father|son|daughter|cousin|uncle|aunt|grandma|grandpa|"
        "grandmother|grandfather|nephew|niece|mentor|intern|student|client|tenant|supervisor|lead|contact|"
        "rep|representative|caseworker|advisor|adviser|nurse|surgeon|ceo|cto|cfo|coo|cio|vp|director|founder|"
        "cofounder|co-founder|chair|chairman|chairwoman|president|designer|developer|pm|recruiter|driver|"
        "courier|seller|buyer|cashier|waiter|waitress|guide|installer|technician|engineer|host|owner|"
        "postman|postwoman|receptionist|pharmacist|stylist|hairdresser|trainer|instructor"
    ).split("|")
    for suffix in ("", "s")
)
_RELATION_SET = frozenset(_RELATION_WORDS)
_RELATION = re.compile(
    # a relation or role, then the name in apposition: "my neighbour Anna", "our coach, Tom", "my old boss X"
    r"\b(?:my|our|your|his|her|their|the)\s+(?:(?:old|former|late|new|dear|best|ex-?|current|previous|"
    r"good|lovely|amazing|great)\s+)?[\w-]+(?:,?\s{1,2}|\s{0,2}\()\Z",
    re.IGNORECASE,
)
_FIELD = re.compile(
    # a form field or header naming a person: "Reviewer: X", "(holder: X)", "Attendees: X, Y"
    r"\b(?:reviewer|author|holder|owner|assignee|reporter|attendees?|participants?|speakers?|host|"
    r"organi[sz]ers?|approver|approved by|submitted by|requested by|recipient|sender|applicant|patient|"
    r"customer|driver|emergency contact|next of kin|full name|first name|last name|surname|name|"
    r"assigned to|contact|contact person|customer name|client name|agent|technician|engineer|"
    r"account holder|account name|cardholder|beneficiary|payee|to|cc|bcc|attn|signed|signature|"
    r"from|by|caller|guest|visitor|employee|member|user|player|student|tenant|landlord|seller|buyer|"
    r"collected by|picked up by|delivered to|surname, first name|last name, first name|contact_name|full_name|"
    r"customer_name|display name)[\"']?\s*[:=]\s{0,2}[\"']?\Z",
    re.IGNORECASE,
)
# A sign-off, then the name on the next line; a signature line: "— Maria Gonzalez", "-- \nMaria".
# A blank line may follow the sign-off, a smiley may end it ("Thanks ;-)\n\nMatthias"); "/Anders" signs too.
_SIGN_OFF = (
    r"\b(?:regards|cheers|sincerely|cordially|best|thanks|thx|love|yours|bye|ciao|later)[^\w\n]{0,4}\n(?:[ \t]*\n)?"
    r"[ \t]*\Z"
)
_SIGN_OFF_LINE = re.compile(rf"{_SIGN_OFF}|(?:^|\n)[ \t]*(?:—|–|--?|~|/)\s{{0,3}}\Z", re.IGNORECASE)
# The sign-off's name alone on its line: the tagger, which learned from posts, may not veto it.
_SIGN_OFF_BEFORE = re.compile(_SIGN_OFF, re.IGNORECASE)
_LINE_ENDS_AFTER = re.compile(r"[.!]?[ \t]*(?:\n|\Z)")


def _by_last_two(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The words grouped by their last two characters: `text.endswith(groups.get(text[-2:], ()))` is
    `text.endswith(words)` (every word has two characters or more) and tries a few words, not hundreds."""
    groups: dict[str, list[str]] = {}
    for word in words:
        if len(word) < 2:
            raise ValueError(f"suffix word {word!r}: two characters or more")
        groups.setdefault(word[-2:], []).append(word)
    return {tail: tuple(ws) for tail, ws in groups.items()}


_CUE_PHRASES_BY_TAIL = _by_last_two(_CUE_PHRASES)
_RELATION_WORDS_BY_TAIL = _by_last_two(_RELATION_WORDS)


# "the children of Israel", "the President of India": a country after "<noun> of" is the country, not a person of
# that first name; not after a word for someone's kin or likeness ("the son of Israel", "a portrait of Georgia").
NOUN_OF = re.compile(r"(?<![\w'’-])([^\W\d_]+)[ \t]+of[ \t]+$")
PERSON_OF = frozenset(
    "son sons daughter daughters wife husband widow mother father brother brothers sister sisters child friend "
    "cousin uncle aunt niece nephew grandson granddaughter grandfather grandmother portrait picture photo photograph "
    "statue memory life death birth name story tale legend myth works poems words teachings".split()
)


# Before "of", nouns whose "of" names an institution, not a place ("the university of Chicago" in lower case)
_INSTITUTION_OF = frozenset(
    "university college school academy institute bank church museum library society club hospital company board "
    "department ministry council".split()
)
# Nouns that place what follows "of" even where the town's name is a person's too ("the vicinity of London")
_PLACE_OF = frozenset(
    "vicinity outskirts environs streets city town port harbour harbor suburbs suburb centre center heart "
    "neighbourhood neighborhood inhabitants citizens mayor county province capital north south east west "
    "miles leagues kilometres kilometers".split()  # "within 5 miles of Santiago": a distance from a place
)


def _lower_noun_of(before: str) -> str | None:
    """The noun in lower case before a final "of" ("a magistrate of "), unless it is a word for kin or likeness or
    for an institution; None otherwise (a capitalized noun is a name's: "the Bank of", "the Duke of")."""
    noun = NOUN_OF.search(before)
    if noun is None or not noun.group(1).islower() or noun.group(1) in PERSON_OF or noun.group(1) in _INSTITUTION_OF:
        return None
    return noun.group(1)


def after_noun_of(text: str, start: int) -> bool:
    """The words before `start` end in "<noun> of", the noun no word for someone's kin or likeness."""
    noun = NOUN_OF.search(text, max(0, start - 40), start)
    return noun is not None and noun.group(1).lower() not in PERSON_OF


def _person_cue(before: str) -> bool:
    """Does `before` (the text just before a capitalized run) end with a word or field that introduces
    a person?"""
    tail = before
    for _ in range(3):  # up to 3 characters of punctuation or space after the cue
        if tail and not (tail[-1].isalnum() or tail[-1] in "_\n.!?"):
            tail = tail[:-1]
        else:
            break
    low = tail.lower()
    cues = _CUE_PHRASES_BY_TAIL.get(low[-2:], ())
    if low.endswith(cues):
        for cue in cues:
            if low.endswith(cue):
                k = len(low) - len(cue)
                if k == 0 or not (low[k - 1].isalnum() or low[k - 1] == "_"):
                    return True
    if low.endswith(_PARTICLE_CUES):
        for cue in _PARTICLE_CUES:
            if low.endswith(cue):
                k = len(low) - len(cue)
                if k == 0 or not (low[k - 1].isalnum() or low[k - 1] in "_.@/"):
                    return True
    if before.endswith("@") and (len(before) == 1 or before[-2] in " \t\n([,"):
        return True  # a chat mention: "@Anna thanks"
    last = before.rstrip()[-1:]
    if last in (":", "=", '"', "'") and _FIELD.search(before) is not None:
        return True
    if (before.rstrip(" \t")[-1:] == "\n" or last in ("—", "–", "-", "~")) and _SIGN_OFF_LINE.search(before):
        return True
    rel = before.rstrip(" \t,(").lower()
    if not rel.endswith(_RELATION_WORDS_BY_TAIL.get(rel[-2:], ())) or rel.rsplit(None, 1)[-1] not in _RELATION_SET:
        return False
    return _RELATION.search(before) is not None


# A column of e-mail addresses after a name: "Maria Gonzalez<tab>maria@example.com", or two spaces or more.
_EMAIL_COLUMN = r"(?:[ ]*\t[ \t]*|[ ]{2,})[^\s@<>()]+@\w"
_EMAIL_AFTER = re.compile(rf"[ \t]*<[^>\s@]+@|{_EMAIL_COLUMN}")  # on the name's own line
# A mail's attribution of the quoted text after it: "Hal DeVore writes:", "On Monday, Anna Berg wrote:".
_WROTE_AFTER = re.compile(r"[ \t]+(?:wrote|writes|said|says)[ \t]*:[ \t]*$", re.MULTILINE)
_PERSON_AFTER = re.compile(
    r"^(?:\W{0,2}(?:said|says|wrote|writes|told|thinks|asked|replied|mentioned|and I\b)"
    r"|\s+(?:walks|walked|came|comes|called|emailed|texted|messaged|joined|left|recommended|agreed|"
    r"suggested|fixed|signed|drove|knows|retires|retired|replied|posted|moved away|passed away|died|"
    rf"resigned|quit|dies|{SPEECH_VERBS}|(?:is|was) born|born(?=,|\s+(?:in|on|at|near)\b)|(?:can|could|would|will) you|"
    r"please (?:check|confirm|review|call|send|reply))\b"
    r"|['’]s\s+(?:dog|cat|puppy|kitten|pet|mum|mom|dad|mother|father|wife|husband|partner|girlfriend|"
    r"boyfriend|son|daughter|kids?|children|baby|brother|sister|parents|family|birthday|wedding|funeral|"
    r"grandma|grandpa|grandmother|grandfather)\b"
    r"|\s*<[^>\s@]+@"  # "Maria Gonzalez <maria@example.com>"
    rf"|{_EMAIL_COLUMN}"
    r"|\s*\((?:b\.|born\b|she/|he/|they/|née?\b))",
    re.IGNORECASE,
)
# Lower-case particles inside a name: "Anna van der Berg", "Juan de la Cruz", "David von Trapp".
NAME_PARTICLES = frozenset("van der den de la le du des von zu di da del della dos das do ter ten bin ibn al el y mac".split())
_LINE_START = re.compile(r"(?:^|\n)[ \t]*$")
# Particles that may open a surname in lower case ("van der Berg", "de la Cruz"); not "do", "y", "al", "el", which
# English or Spanish sentences have as words.
_LEADING_PARTICLES = frozenset("van von der den de la le du des da di del della dos das ter ten bin ibn zu".split())


def _particles_before(text: str, words: list[tuple[int, int, str]], i: int) -> int:
    """Where a name starting at word `i` starts with the particles before it, one space apart (at most three)."""
    k = i
    while k > 0 and i - k < 3 and words[k - 1][2] in _LEADING_PARTICLES and text[words[k - 1][1] : words[k][0]] == " ":
        k -= 1
    return words[k][0]


_MONTH_WORDS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april "
    "june july august september october november december".split()
)
# An adjective may sit between the preposition and the place: "greetings from sunny X".
_PLACE_ADJ = (
    r"(?:\s+(?:sunny|rainy|snowy|windy|foggy|beautiful|lovely|gorgeous|historic|downtown|central|"
    r"rural|little|old|cold|hot|freezing|rainy|good old|dear old))?"
)
_PLACE_BEFORE = re.compile(
    r"(?:\blive in|\blives in|\bliving in|\bmoved to|\bmove to|\bmoving to|\bbased in|\blocated in|"
    r"\bborn in|\bgrew up in|\bfrom|\bnear|\bvisiting|\btrip to|\bflight to|\bback to|\bin|\bto|\bunto|\bat|"
    rf"\bout of|\binto|\baround|\bvia){_PLACE_ADJ}\W{{0,2}}$",
    re.IGNORECASE,
)
_STRONG_PLACE_BEFORE = re.compile(
    r"(?:\blive in|\blives in|\bliving in|\bmoved to|\bmove to|\bmoving to|\bbased in|\blocated in|"
    r"\bgrew up in|\bborn in|\bborn and raised in|\braised in|\boriginally from|\bhometown(?: is)?|"
    r"\blived (?:in|at)|\bdwel(?:t|ls?|ling|leth) (?:in|at)|\bresid(?:e|es|ed|ing) in|\bsettled in|\bsojourned in|"
    r"\bcommut(?:e|ing|ed) (?:from|to)|\bemigrated (?:from|to)|\brelocat(?:e|ed|ing) (?:from|to)|"
    r"\bmov(?:e|ed|ing) (?:here |back )?from|\banyone from|\bi'?m from|\bi am from|\bvisiting|\btrip to|\bflight to|"
    r"\bi'?m in|\bi am in|\bim in|\bwe'?re in|\bstaying in|\bstuck in|\blanded in|\barrived in|"
    r"\barriving in|\bhere in|\bweather in|\bgreetings from|\bhello from|\bfl(?:y|ying|ew) (?:out of|to|into|from)|"
    r"\bdriv(?:e|ing) to|\bhead(?:ed|ing) to|\btravel(?:l?ing|l?ed)? to|\bback home in|"
    # going somewhere, dying or buried somewhere, sent away from somewhere: "go to London", "died in Florence"
    r"\b(?:go|goes|went|gone|going|come|comes|came|return|returns|returned|returning|sail|sails|sailed|sailing|"
    r"journey|journeyed|removal|fled|escaped) to|\b(?:die|dies|died|buried) (?:in|at)|"
    r"\b(?:expelled|banished|exiled|fled|escaped|returned|returning) from)"
    rf"{_PLACE_ADJ}\W{{0,2}}$",
    re.IGNORECASE,
)
# The last word of every phrase of _PLACE_BEFORE and _STRONG_PLACE_BEFORE and of every _PLACE_ADJ (a phrase
# added there must add its last word here): a text ending otherwise matches neither (`_may_end_place_phrase`).
_PLACE_LAST_WORDS = (
    "in to unto from of into near visiting at around via is hometown sunny rainy snowy windy foggy beautiful "
    "lovely gorgeous historic downtown central rural little old cold hot freezing"
).split()
_LONGEST_LAST_WORD = max(map(len, _PLACE_LAST_WORDS))
_PLACE_LAST_WORDS_T = tuple(_PLACE_LAST_WORDS)


def _may_end_place_phrase(before: str) -> bool:
    """False only where the place-before regexes cannot match (they end with a phrase word, at most two
    non-word characters and the end or a final line break): a few string tests instead of two large
    case-insensitive alternations tried at every position."""
    end = len(before)
    while end and not (before[end - 1].isalnum() or before[end - 1] == "_"):  # \W, as the regex reads it
        end -= 1
        if len(before) - end > 3:
            return False
    tail = before[max(0, end - _LONGEST_LAST_WORD) : end]
    # Case-insensitive matching folds a few non-ASCII letters to ASCII ones: let the regexes decide there.
    return not tail.isascii() or tail.lower().endswith(_PLACE_LAST_WORDS_T)


# "relocating from X to Y", "flew from X to Y": both ends of a journey are places.
_ROUTE_FROM = re.compile(
    r"\b(?:relocat(?:e|ed|ing)|mov(?:e|ed|ing)|fl(?:y|ying|ew|ights?)|driv(?:e|ing)|drove|"
    r"commut(?:e|ed|ing)|travel(?:l?ing|l?ed)?|trip|train|bus|ferry|emigrat(?:e|ed|ing)|"
    r"transferr?(?:ed|ing)?|route|way|all the way)\s+from\s+$",
    re.IGNORECASE,
)
_ROUTE_TO = re.compile(
    r"\b(?:relocat(?:e|ed|ing)|mov(?:e|ed|ing)|fl(?:y|ying|ew|ights?)|driv(?:e|ing)|drove|"
    r"commut(?:e|ed|ing)|travel(?:l?ing|l?ed)?|trip|train|bus|ferry|emigrat(?:e|ed|ing)|"
    r"transferr?(?:ed|ing)?|route|way)\s+from\s+[^\W\d_][^\n.!?]{0,50}?\s+to\s+$",
    re.IGNORECASE,
)
# Words after a run that make it a place: "anyone in the X area", "the X region".
_PLACE_AFTER = re.compile(
    r"\s+(?:area|region|district|county|suburbs?|metro area|city cent(?:re|er)|"
    r"neighbou?rhood)\b",
    re.IGNORECASE,
)
# A signature with the writer's place in brackets: "~ Anna (Leeds)", "-- Tom (Lyon)".
_SIGNATURE_PLACE = re.compile(r"(?:^|\n)[ \t]*(?:~|—|–|--?)[ \t]*[^\W\d_][\w'’. -]{0,40}\($")
_NEXT_RUN = re.compile(r",[ \t]+([^\W\d_a-z][\w'’-]*(?:[ \t][^\W\d_a-z][\w'’-]*)?)\b")
# Brands and characters written like a title and a name.
_NOT_PEOPLE = frozenset(
    {
        "dr martens",
        "dr marten",
        "doc martens",
        "dr pepper",
        "dr oetker",
        "dr scholl",
        "dr scholls",
        "dr who",
        "mr clean",
        "mr muscle",
        "mr kipling",
        "mr robot",
        "mr freeze",
        "mr potato",
        "mr coffee",
        "mrs dash",
        "ms pac-man",
        "dr dre",
        "dr seuss",
        "mr bean",
        "mr t",
        "dr strange",
        "dr no",
        "mr brightside",
    }
)
# Field labels written like a capitalized word: "Tel. 0161 ...", "Fax: +44 ...".
_LABEL_WORDS = frozenset(
    "tel fax mob mobile phone ph cell email e-mail web ref nr no id attn tlf tfn telefon téléphone teléfono móvil handy".split()
)
_ENDS_LINE = re.compile(r"[ \t]*[.!]?[ \t]*(?:\n|\Z)")
# What may follow the country closing a place's name ("Moscow, USSR, 1978", "Pune, India\n")
_ENDS_CLAUSE = re.compile(r"[ \t]*(?:[,.;:)\"\n]|\Z)")
# Countries by the capitals that are no list's country (a firm's branch or a team has them too: "Amazon UK"), read only
# after a place and a comma
_COUNTRY_CAPITALS = frozenset("usa us uk ussr uae".split())
# The same in capitals that no English word is ("US" is "us" in a shouted sentence): sure against the tagger's veto
_SURE_COUNTRY_CAPITALS = frozenset("USA UK USSR UAE".split())
# An adverb opening a sentence, capitalized there only ("Hopefully", "Unfortunately"; not "Holy", "Early")
_SENTENCE_ADVERB = re.compile(r"[a-z]{4,}ly")
# Words between a place and an office: "Kansas Territorial Governor", "Texas State Senator"
_OFFICE_QUALIFIERS = frozenset("territorial state federal provincial regional city county".split())
# Street words that are common surnames too ("Lois Lane"): after a first name alone they are the surname.
# Street and feature words that are common surnames too: after a known first name, with no house number and no
# preposition before them, a person ("Tom Lane", "Henry Ford", "Lauryn Hill", "Michael Bay")
SURNAME_STREET_WORDS = frozenset(
    "lane row ford hill hills brooks mills wells fields parks cross dale green field bay ocean".split()
)
# Words that put a street after them: "into Abbey Lane", "down Penny Lane"
_STREET_PREPOSITION_BEFORE = re.compile(
    r"(?<![\w'’-])(?:in|at|on|into|onto|off|down|up|along|across|near|from|to|via)[ \t]+$", re.I
)
ROLE_PERSON = 0.83  # a role or rank and the name after it ("President Thabo MBEKI"): the tagger may not veto it
# Given names, then the surname in capitals ("Desire BOUTERSE"): the tagger may not veto it (it reads capitals as a
# heading's), but others may override it
CAPITALS_PERSON = 0.61
# A name and the kind of division or state it is ("Starke County", "Tyumen Oblast", "the Chola Empire"), or a country
# after a people's or an era's word ("Nazi Germany", "Portuguese Timor", "Modern-day Laos"): sure against the tagger
# and its type
ADMIN_PLACE = 0.82
LAND_QUALIFIERS = frozenset(
    "ancient modern modern-day present-day today's imperial colonial medieval nazi soviet fascist communist occupied "
    "independent pre-war prewar postwar post-war".split()
)
# A land's part by its bearing ("Western Europe", "Central Asia", "Upper Egypt"): the part is a place, the word and all.
COMPASS_WORDS = frozenset(
    "north south east west northern southern eastern western central northeast northwest southeast southwest "
    "north-east north-west south-east south-west northeastern northwestern southeastern southwestern upper lower "
    "greater inner outer equatorial".split()
)
ADMIN_UNITS = frozenset(
    "county oblast oblasts krai kray okrug province prefecture governorate voivodeship canton raion ssr district "
    "kingdom empire republic sultanate emirate khanate caliphate".split()
)
# A real town that is no word or name, inside a sentence with nothing else to say what it is: the weakest place
PLAIN_TOWN = 0.56
# A real town that is a whole field of a comma-separated record: sure against the tagger and its type (it reads
# "Estonia,Tartu" as a surname and a given name)
FIELD_TOWN = 0.71
# A word no list knows after "at", "near" or "towards" ("camped at Quorndale"): sure against the tagger, which learned
# that an unknown word is no one and nowhere
UNKNOWN_AT_PLACE = 0.6
# A country whose name is a given name too ("India", "Israel", "Jordan"), alone in a sentence: text written by others
# names the country far more often than someone so called (sure against the tagger, which reads a given name)
LONE_COUNTRY = 0.86
_WORD_COMMA_BEFORE = re.compile(r"([^\W\d_]+)\.?,[ \t]+\Z")  # a word and a comma just before a run
# A preposition of place or of an agent just before a run: a cue for a person in a message ("from Anna", "by Anna"),
# none against a country ("thanks to", "spoke with" still are)
_PREPOSITION_ENDS = re.compile(r"\b(?i:from|by|of|in|into|between|against|over|across|unto|throughout)[ \t]+\Z")
_PROSE_WORD_BEFORE = re.compile(r"\b[a-z]+[,;]?[ \t]+\Z")  # a lower-case word before it: running prose, no heading
# A famous person's name alone ("Einstein", famous_people.txt.gz): the tagger may not veto it, nor the frequent words
FAMOUS_PERSON = 0.74
CUED_PERSON = 0.78  # a name the words around it call one ("said", "<maria@...>", "born, 1911")
# A place's preposition right before a real town: "died at Oxford", "nigh unto Jericho" (the tagger's veto of one
# word inside a sentence does not stand there)
PREPOSITION_BEFORE = re.compile(r"(?<![\w'’-])(?:in|at|from|near|to|unto|into|via|toward|towards)[ \t]+$")
# Words of a journey before a town: leaving, reaching or passing it, a verb of going then to/from/for/towards/at a few
# words on ("gone by himself to", "arrived from"), a distance or a way from or to it, a part of it.
_TRAVEL_BEFORE = re.compile(
    r"(?:\b(?:left|leaving|quitted|quitting|reached|reaching|visited|visiting|entered|entering|passing through|"
    r"passed through|shipping for|bound for)"
    r"|\b(?:hasten|hurri|hurry|journey|travel|proceed|sail|rode|drove|fled|flee|return|arriv|depart|gone|went|"
    r"go|goes|going|came|come|coming|set out|set off|started|embark)\w*(?:[ \t]+[a-z]+){0,3}?[ \t]+"
    r"(?:to|from|for|towards|toward|at)"
    r"|\b(?:miles|leagues|distance|way|road|journey|voyage|passage)[ \t]+(?:from|to|towards|toward)"
    r"|\b(?:part|parts|quarter|gates|walls)[ \t]+of)[ \t]+\Z",
    re.IGNORECASE,
)
# A ruler's or a realm's title before "of": "the King of Naples", "Duke of Milan", "tyrant of Sparta".
_REALM_OF = re.compile(
    r"\b(?:king|queen|duke|duchess|prince|princess|emperor|empress|count|countess|earl|marquis|marquess|sultan|tsar|"
    r"czar|shah|doge|archbishop|bishop|viceroy|tyrant|lord|lords|kingdom|duchy|principality|republic|empire|kings|"
    r"dukes|princes)[ \t]+of[ \t]+\Z",
    re.IGNORECASE,
)
# A record's line before a field: a comma with no space after it, on the same line ('"USA (TX 1)",USA,').
_CSV_LINE = re.compile(r",[^ \t\n][^\n]*,\Z")
# Not "in" ("in Python", "in Flyspeck"), nor "at" after a look or a gesture ("smiled at Elinor").
_AT_NEAR = re.compile(
    r"(?<![\w'’-])(?<!look )(?<!looked )(?<!looking )(?<!smiled )(?<!stared )(?<!glanced )(?<!laughed )(?<!nodded )"
    r"(?<!waved )(?<!grinned )(?<!frowned )(?<!angry )(?<!mad )(?<!shouted )(?<!pointed )(?:at|near|towards?)[ \t]+$"
)
# "at" after work, a capitalized job or "was" names a firm as often as a place: "works at Accenture", "Patent Attorney
# at Northwind", "the first author was at Accenture".
_JOB_AT = re.compile(r"(?:\b[A-Z][a-z]+|\bwork(?:s|ed|ing)?|\bemployed|\bintern|\bwas|\bis|\bwere)[ \t]+at[ \t]+$")
_IN_AT = re.compile(r"(?<![\w'’-])(?:in|at)[ \t]+$")  # lower case: "In" opening a sentence may be a heading's
_STRONG_IN_AT = re.compile(r"[ \t](?:in|at|from)[ \t]+$")  # the strong phrases that end in a preposition
# A preposition opening a sentence before a real town ("In Europe, harsh reaction followed"), not a heading's.
_OPENING_PREPOSITION = re.compile(r"(?:^|[.!?]['\"”’)]*[ \t]+)(?:In|At|From|Near|Throughout)[ \t]+\Z")
# A name, a comma, then "of" and a real town or state: where the person is from ("Governor Candler, of Georgia").
_HOME_OF = re.compile(r"[^\W\d_],[ \t]+of[ \t]+\Z")
_SENTENCE_END = re.compile(r"(?:^|[.!?:\n]\W*|^\W*)$")
_NOT_TRAILER = re.compile(r"[^ \t\n.!)]")
_CITY_SUFFIX = re.compile(
    r"(?:ville|town|ton|burg|burgh|berg|bury|borough|haven|mouth|port|land|"
    r"chester|field|furt|heim|hausen|stadt|dorf|side|view|stad|fort|mond)$"
)
_STREET_NUMBER = r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
_UNIT = (
    r"(?:,?\s+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Floor|#|Puerta|Piso|Planta|Esc\.?|Escalera|"
    r"Bajo|Etage|Stock|Whg\.?|Wohnung|Appt\.?|Bât\.?)\s*\w{1,6})"
)
_CAP = r"[^\W\d_a-zß-ÿ][\w'’-]*"  # a capitalized word
# Patterns that open with a look-behind are tried at every position of the text; opening with the character
# class of their first character, with the look-behind after it, lets re skip in C to the places that class
# allows. "(?<![\w.,-])(?=\d)\d{1,6}" becomes this head and the rest of the number; the "." after the class
# in the look-behind is the character just read (a digit or a letter: never a line break).
_NUMBER_HEAD = r"\d(?<![\w.,-].)"
_STREET_NUMBER_REST = r"\d{0,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
# "(?<![\w-])(?=[^\W\d_])" + _CAP.
_CAP_HEAD = r"[^\W\d_a-zß-ÿ](?<![\w-].)"
_CAP_REST = r"[\w'’-]*"


_COMPOUND_SUFFIXES = (
    "straße strasse str. weg allee platz gasse ring damm ufer steig pfad singel laan straat plein gracht kade dreef hof park"
).split()
_COMPOUND_STREET = re.compile(r"(?i:" + "|".join(re.escape(w) for w in _COMPOUND_SUFFIXES) + r")\s+\d")
# The same words, case-sensitive, for lower-cased text: re skips to the words' first letters at once, where a
# case-insensitive alternation is tried at every position (nine times slower on short posts).
_COMPOUND_STREET_LOWER = re.compile(r"(?:" + "|".join(re.escape(w) for w in _COMPOUND_SUFFIXES) + r")\s+\d")
# Letters IGNORECASE matches to ASCII ones that str.lower() does not map to them (or maps to two characters).
_FOLDS_APART = ("\u017f", "\u0131", "\u0130")  # long s, dotless i, dotted capital I


def _has_compound_street(text: str) -> bool:
    """`_COMPOUND_STREET.search(text) is not None`, computed on the lower-cased text."""
    if not text.isascii() and any(c in text for c in _FOLDS_APART):
        return _COMPOUND_STREET.search(text) is not None
    return _COMPOUND_STREET_LOWER.search(text.lower()) is not None


_AND = re.compile(r"\s*(?:and|&|und|et|y)\s+")
# A postcode's digits: every match of the postcode patterns holds one, and lies within one line (their gaps
# are spaces and tabs), so they run only on the lines holding one, not from every capitalized word of a text.
# Their digit groups stand alone (a space, a comma or a word boundary on both sides): five digits inside a
# longer number (a card, a tracking number) seed no line.
# The digit is read first (re skips to digits and capitals in C), the look-behind then sees the one before it.
_POSTCODE_SEED = re.compile(r"\d(?:(?<!\d\d)\d{4}(?!\d)|(?<!\d\d)\d{3}[ \t]?[A-Z]{2})|[A-Z]\d[A-Z\d]?[ \t]?\d[A-Z]{2}")


def _postcode_lines(text: str) -> list[tuple[int, int]]:
    """(pos, endpos) of each line holding a postcode seed; endpos takes the line's newline, so a look-ahead
    at the line's end sees it as in the whole text (look-behinds see before pos)."""
    out: list[tuple[int, int]] = []
    seed = _POSTCODE_SEED.search(text)
    while seed is not None:
        start = text.rfind("\n", 0, seed.start()) + 1
        end = text.find("\n", seed.end())
        end = len(text) if end < 0 else end + 1
        out.append((start, end))
        seed = _POSTCODE_SEED.search(text, end)
    return out


# "Name (Role):" opening a line of a transcript.
_SPEAKER_AFTER = re.compile(r"[ \t]*\([^()\n:]{1,30}\)[ \t]*:")
_NO_SPEAKER_BEFORE = ("```",)
_LOWER_WORD_AFTER = re.compile(r"[ \t]+(?:[a-z]{2,}|\d)")


_AMP_AFTER = re.compile(r"[ \t]&[ \t][^\W\d_a-z][\w'’-]*(?![\w'’-])(?![ \t][^\W\d_a-z])")
_AMP_BEFORE = re.compile(r"(?<![\w'’-])[^\W\d_a-z][\w'’-]*[ \t]&[ \t]$")


_GREETING_BEFORE = re.compile(
    r"(?i)\b(?:thanks|thank you|thx|hi|hello|hey|dear|congrats|congratulations|cc|"
    r"regards|love|cheers|met|meet|with)\W{1,3}$"
)


def pair_with_ampersand(text: str, span: tuple[int, int]) -> bool:
    """One capitalized word joined by "&" to another: "Marks & Spencer", "Ben & Jerry's", "Procter &
    Gamble" are firms (unless a person cue comes before the pair: "thanks Anna & Tom")."""
    start, end = span
    if " " in text[start:end]:
        return False
    if _AMP_AFTER.match(text, end):
        pair_start = start
    else:
        # The pattern ends with " & " (and maybe a line break) at `start`: no "&" there, no search.
        m = _AMP_BEFORE.search(text, max(0, start - 30), start) if "&" in text[max(0, start - 4) : start] else None
        if m is None:
            return False
        pair_start = m.start()
    return _GREETING_BEFORE.search(text, max(0, pair_start - 30), pair_start) is None


def _at_line_start(text: str, start: int) -> bool:
    line = text.rfind("\n", 0, start) + 1
    return not text[line:start].strip()


def has_title_run(keys: list[str]) -> bool:
    return bool(keys) and keys[0] in TITLES


def _caps_name(run: list[tuple[int, int, str]], keys: list[str], lx: Lexicon, cue: bool) -> bool:
    """Names in capitals on cards and forms: "KATHERINE PATTERSON", "JOHNSTON Christine" (surname in capitals, then
    the first name), "Eric CALALUCA" (given names, then the surname in capitals). Acronyms ("IBM Watson", "FOR SALE")
    are not names: the words must be known names, or follow a cue that introduces a person."""
    if not 2 <= len(run) <= 3 or any(len(k) < 2 or _is_common(k, lx) for k in keys):
        return False
    words = [w for _, _, w in run]
    first, last = lx.first_names, lx.last_names
    if all(w.isupper() for w in words):
        pass
    elif words[0].isupper() and len(words[0]) >= 3 and all(w[0].isupper() and w[1:].islower() for w in words[1:]):
        pass
    elif given_then_capitals(words):
        k = next(i for i, w in enumerate(words) if w.isupper())
        # "Eric CALALUCA", "Moussa Dadis CAMARA": given names, then the surname in capitals (official and French use);
        # given names no list knows only before a surname of four letters or more with a vowel ("Windows NT" is none)
        return keys[0] in first or all(len(w) >= 4 and any(c in "AEIOUY" for c in w) for w in words[k:])
    else:
        return False
    if (keys[0] in first and keys[-1] in last) or (keys[0] in last and keys[-1] in first):
        return True
    return cue and any(k in first or k in last for k in keys)


def _state_after(text: str, end: int) -> bool:
    """A comma and a US state's code or name follow `end` ("Lawrence, KS")."""
    m = _NEXT_RUN.match(text, end)
    return m is not None and (m.group(1) in US_STATE_CODES or m.group(1).lower() in US_STATE_NAMES)


def given_then_capitals(words: list[str]) -> bool:
    """Given names as names are written, then one or two words in capitals ("Eric CALALUCA", "Moussa Dadis CAMARA")."""
    k = next((i for i, w in enumerate(words) if w.isupper()), 0)
    return k > 0 and _surname_in_capitals(words, k)


def _surname_in_capitals(words: list[str], k: int) -> bool:
    """Words before `k` written as names are ("Moussa", "Ange-Felix"), the one or two from `k` in capitals."""
    return (
        len(words) - k <= 2
        and all(w[:1].isupper() and w[1:].replace("-", "").islower() for w in words[:k])
        and all(
            w.isupper() and len(w) >= 3 and w.replace("-", "").isalpha()
            for w in words[k:]  # not "DOESN'T": emphasis
        )
    )


def _short_capitals(run: list[tuple[int, int, str]]) -> bool:
    """A word of two to four capitals in the run: an acronym ("UTC", "SGI", "TAI")."""
    return any(2 <= len(w.rstrip(".")) <= 4 and w.rstrip(".").isupper() for _, _, w in run)


WRAP_WIDTH = 55  # a line at least this long that ends in a first name was wrapped inside the name


def _wrapped(text: str, start: int, key: str, next_key: str, lx: Lexicon) -> bool:
    """The first name at `start` ends a long line of running text, and a surname opens the next one: "Andrew
    Morton, Paul<newline>Turner, Vadim Lobanov" in a hard-wrapped paragraph (not a form's short lines)."""
    if key not in lx.first_names or next_key not in lx.last_names or _is_common(key, lx) or _is_common(next_key, lx):
        return False
    line = text.rfind("\n", 0, start) + 1
    return start - line >= WRAP_WIDTH - len(key) and not text[line : line + 1].isspace()


# "St. Louis", "Ste. Marie", "Mt. Vernon", "Ft. Worth": the short form does not end a sentence before the rest of a
# real town's name (`NamesAndPlaces._saint_town`).
_SAINT_SHORT = {"st": ("saint",), "ste": ("sainte",), "mt": ("mount",), "ft": ("fort",)}


def _ends_sentence(word: str) -> bool:
    """ "Out." ends a sentence; "Dr.", "Gen." and the initial "J." do not."""
    return (
        word.endswith(".") and len(word) > 2 and word[:-1].lower() not in TITLES and word[:-1].lower() not in ROLE_ABBREVIATIONS
    )


def _is_common(key: str, lx: Lexicon) -> bool:
    """An ordinary word (or "I'm", "I'll"): capitalized, still no name."""
    return key in lx.common_words or key.startswith(("i'", "i’"))


def _capitalized(word: str) -> bool:
    """Starts a name: "Anna", "Ó", "al-Hassan" (a lower-case particle joined to a capitalized name)."""
    if word[0].isupper():
        return True
    head, sep, rest = word.partition("-")
    return bool(sep and rest and rest[0].isupper() and head in NAME_PARTICLES)


def _end_before_dot(word: tuple[int, int, str]) -> int:
    """Where a word ends without its final dot ("Milan." -> before the dot): the span a finding keeps."""
    return word[1] - (1 if word[2].endswith(".") else 0)


def _not_a_name(run: list[tuple[int, int, str]], text: str) -> bool:
    """Acronyms and lone letters ("X POST", "CET"), and month names next to a number ("14 Jan 2001")."""
    if all(len(w.rstrip(".")) == 1 for _, _, w in run):
        return True  # initials only: "D.O.B", "J. K."
    for _start, _end, w in run:
        bare = w.rstrip(".")
        if len(bare) == 1 and not w.endswith(".") or len(bare) >= 2 and bare.isupper():
            return True
    return month_by_number(run, text)


def month_by_number(run: list[tuple[int, int, str]], text: str) -> bool:
    """A month's name next to a number ("14 Jan 2001", "LONDON, Mar 2 -"): a date, however a town is named too."""
    if len(run) == 1 and run[0][2].rstrip(".").lower() in _MONTH_WORDS:
        near = text[max(0, run[0][0] - 3) : run[0][0]] + text[run[0][1] : run[0][1] + 3]
        return any(c.isdigit() for c in near)
    return False


# Street words that are also English words: lower-case and without a house number, "shipped via DHL",
# "in place Of", "route Two" are not addresses ("Via Roma", "rue Michel", "place Bellecour 3" are).
_ENGLISH_STREET_WORDS = frozenset(
    "via place route plaza largo diagonal circuito retorno privada acceso canale borgo corso".split()
)
_ALL_CAPS = re.compile(r"\b[A-Z]{2,}\b")


def _bare_english_street(match: str) -> bool:
    head = match.split(None, 1)[0]
    return (head in _ENGLISH_STREET_WORDS and not any(c.isdigit() for c in match)) or (
        _ALL_CAPS.search(match) is not None and not any(c.isdigit() for c in match)
    )


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _trie_alternation(words: set[str]) -> str:
    """The words of `_alternation` as a regex trie ("st(?:r(?:eet|asse))?..."): re tries the alternatives of a
    group one after another, so a flat list of 300 street words costs 300 tries at every place; the trie reads
    one character per step. The matches are the same: the words that match at one place are prefixes of one
    another, and both forms try them longest first (a word's longer continuations before its end). Sibling
    characters must not match each other case-insensitively (checked by the tests)."""
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(char) + emit(node[char]) for char in sorted(node) if char]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


class NamesAndPlaces:
    def __init__(self, lexicon: Lexicon, entities: set[str], towns: Towns | None = None):
        self.lx = lexicon
        self.towns = load_towns(lexicon) if towns is None else towns
        self.want_person = "PERSON" in entities
        self.want_location = "LOCATION" in entities
        self.frequent = load_frequent_words()
        self.people_words = load_people_words()[0]
        self.proper_words = load_proper_words()  # "General Eisenhower": a name, though a frequent word
        self.famous = load_famous_people()  # "Einstein published": a name alone, though a frequent word
        street = set(lexicon.street_words) | {
            "st",
            "st.",
            "ave",
            "ave.",
            "rd",
            "rd.",
            "blvd",
            "blvd.",
            "ln",
            "ln.",
            "dr.",
            "ct",
            "ct.",
            "pl",
            "pl.",
            "hwy",
            "plein",
            "gracht",
            "kade",
        }
        street -= {"flat", "apt", "apt.", "suite", "unit", "floor", "apartment"}  # unit words, not streets
        street_alt = _trie_alternation(street)
        self.street_words = frozenset(street)
        number_first = (
            rf"{_NUMBER_HEAD}{_STREET_NUMBER_REST},? +(?:{_CAP}[ \t]+){{1,4}}(?i:{street_alt})s?\b\.?"
            rf"{_UNIT}?"
        )
        # Within one line: "Marissa Estrada\nEnvironmental consultant" is a name and a job title.
        type_first = (
            rf"(?<![\w-])(?=\w)(?:{_STREET_NUMBER},?[ \t]+)?(?i:{_alternation(_PREFIX_STREET_WORDS)})[ \t]+"
            rf"(?:(?:de|del|de la|des|du|da|di|della|dos|das|la|le|les|los|las|am|an der)[ \t]+)?"
            rf"{_CAP}(?:[ -]{_CAP}){{0,3}}(?:,?\s*\d{{1,4}}[A-Za-z]?(?!\d))?{_UNIT}*"
        )
        compound = (
            rf"{_CAP_HEAD}{_CAP_REST}(?i:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|"
            rf"steig|pfad|singel|laan|straat|plein|gracht|kade|dreef|hof|park)\s+{_STREET_NUMBER}\b"
        )
        postcode_city = (
            rf"(?<![\w#.,-])(?:\d{{5}}|\d{{4}}[ \t]?[A-Z]{{2}}|[A-Z]{{1,2}}\d[A-Z\d]?[ \t]?\d[A-Z]{{2}})"
            rf",?[ \t]+{_CAP}(?:[ -]{_CAP}){{0,2}}"
        )
        city_postcode = (
            rf"{_CAP}(?:[ \t]{_CAP}){{0,2}},[ \t]+(?:[A-Z]{{2}}[ \t]+\d{{5}}(?:-\d{{4}})?|\d{{5}}"
            rf"|[A-Z]{{1,2}}\d[A-Z\d]?[ \t]?\d[A-Z]{{2}})\b"
        )
        uk_postcode = r"\b[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2}\b"
        uk_city_postcode = rf"{_CAP}(?:[ \t]{_CAP}){{0,2}}[ \t]+{uk_postcode}"  # "Leeds LS6 2AB", "North Jo S6 5QY"
        # US military mail: "PSC 4338, Box 5539, APO AE 36085", "USNS Hale, FPO AP 12345"
        military = (
            rf"(?:(?:PSC|CMR|Unit)\s+\d{{1,5}},?\s+Box\s+\d{{1,5}}|(?:USNS|USNV|USS|USCGC)\s+{_CAP}),?\s+"
            r"(?:APO|FPO|DPO)\s+A[AEP]\s+\d{5}\b"
        )
        self.prefix_words = frozenset(w.rstrip(".") for w in _PREFIX_STREET_WORDS)
        self.suffix_words = frozenset(w.rstrip(".") for w in street)
        # Each address shape is a regex run only when a word in the text calls for it: the street
        # word alternations are long and Python's re does not turn them into a trie.
        self.type_first = re.compile(type_first)
        self.number_first = re.compile(number_first)
        self.compound = re.compile(compound)
        # Separate patterns, so that "Rue X, 72712 Ville" yields "72712 Ville" as well as "X, 72712" and
        # the longest piece wins; "C. Mayor 21" / "C/ Mayor 21" is a Spanish "calle".
        self.postcodes = [re.compile(p) for p in (postcode_city, city_postcode, f"(?:{uk_city_postcode})|(?:{uk_postcode})")]
        self.military = re.compile(military)
        self.calle = re.compile(rf"(?<![\w.])C(?:\.|/)[ \t]?{_CAP}(?:[ \t]{_CAP}){{0,3}},?[ \t]+\d{{1,4}}[A-Za-z]?\b")

    # ---- entry point -----------------------------------------------------------------------------

    def scan(self, text: str, digits: int) -> list[Hit]:
        words = []
        for m in _WORD.finditer(text):
            w = m.group()
            if w[-2:] in ("'s", "’s") and len(w) > 3:  # "Wilson's" -> "Wilson"
                words.append((m.start(), m.end() - 2, w[:-2]))
            else:
                words.append((m.start(), m.end(), w))
        # Each word without its final dot, in lower case: for the street words and for every run (C calls only).
        keys = list(map(str.lower, map(_STRIP_DOT, map(_WORD_TEXT, words))))
        hits: list[Hit] = []
        if self.want_location:
            hits += self._addresses(text, keys, digits)
        if self.want_person or self.want_location:
            hits += self._runs(text, words, keys)
        return hits

    def _addresses(self, text: str, word_keys: list[str], digits: int) -> list[Hit]:
        keys = set(word_keys)
        patterns = []
        # Type-first streets may carry no number ("rue Michel"); the rest need one.
        if keys & self.prefix_words:
            patterns.append(self.type_first)  # first: "93, rue X" is not "93 + street word rue"
        if digits:
            if keys & self.suffix_words:
                patterns.append(self.number_first)
            if _has_compound_street(text):
                patterns.append(self.compound)
            if "C." in text or "C/" in text:
                patterns.append(self.calle)
            if "PO " in text:
                patterns.append(self.military)
        # Overlapping pieces are one address: "Meyer Summit, 95682" and "95682 West Gregory".
        found = [
            m.span()
            for pattern in patterns
            for m in (anchored(pattern, text, _type_first_starts(text)) if pattern is self.type_first else pattern.finditer(text))
            if m.end() - m.start() >= 6 and not (pattern is self.type_first and _bare_english_street(m.group()))
        ]
        if digits:
            lines = _postcode_lines(text)
            found += [
                m.span()
                for pattern in self.postcodes
                for a, b in lines
                for m in pattern.finditer(text, a, b)
                if m.end() - m.start() >= 6
            ]
        found.sort()
        spans: list[tuple[int, int]] = []
        for start, end in found:
            if spans and start < spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return [("LOCATION", s, e, 0.7) for s, e in spans]

    # ---- capitalized runs ------------------------------------------------------------------------

    def _runs(self, text: str, words: list[tuple[int, int, str]], keys: list[str]) -> list[Hit]:
        """`keys`: each word without its final dot, in lower case."""
        hits: list[Hit] = []
        lx = self.lx
        n = len(words)
        # Which words start a name, computed in one comprehension (the hyphen test only for the few
        # lower-case words with a hyphen); the loop below visits capitalized words only.
        caps = [w[0].isupper() or ("-" in w and _capitalized(w)) for _, _, w in words]
        prev_run: tuple[int, int] | None = None
        j = 0
        for i in compress(range(n), caps):
            if i < j:
                continue  # inside the previous run
            j = i + 1
            # A run: capitalized words separated by one space, not across a sentence end; lower-case
            # name particles may sit inside it ("Anna van der Berg").
            while (
                j < n
                and words[j][0] - words[j - 1][1] <= 1
                and (
                    text[words[j - 1][1] : words[j][0]] in (" ", "")
                    or (j == i + 1 and text[words[i][1]] == "\n" and _wrapped(text, words[i][0], keys[i], keys[j], lx))
                )
                and (not _ends_sentence(words[j - 1][2]) or (j == i + 1 and self._saint_town(keys[i], keys[j]) is not None))
            ):
                if caps[j]:
                    j += 1
                    continue
                k = j
                while k < n and words[k][2] in NAME_PARTICLES and text[words[k - 1][1] : words[k][0]] == " ":
                    k += 1
                if k == j or k >= n or k - j > 3 or not caps[k] or text[words[k - 1][1] : words[k][0]] != " ":
                    break
                j = k + 1
            key = keys[i]
            end = words[i][1]
            if (
                j == i + 1
                and _is_common(key, lx)
                and key not in TITLES
                and not (self.want_location and (text[end : end + 1] == ")" or _PLACE_AFTER.match(text, end)))
            ):
                # One ordinary word, mostly a sentence's first ("The", "We"): what _classify would return
                # for it (no name, no "X area" place), without building its context. A third of the runs in prose.
                found = []
            else:
                run_keys = keys[i:j]
                form = self._saint_town(key, keys[i + 1]) if j > i + 1 and words[i][2].endswith(".") else None
                saint = form is not None
                if form is not None:
                    run_keys = [form, *run_keys[1:]]  # "St. Louis" as the town list writes it ("saint michael")
                found = self._classify(text, words[i:j], run_keys)
                if saint and found and found[0][0] == "PERSON":
                    found = []  # "St. Michael's" read as a saint's name: a town or a church, no one's name
            joined = text[hits[-1][2] : words[i][0]] if hits else ""
            if (
                self.want_person
                and prev_run is not None
                and j == i + 1
                and prev_run[1] == prev_run[0] + 1
                and text[words[prev_run[0]][1] : words[i][0]] == ", "
                and words[prev_run[0]][2].lower() in lx.last_names
                and key in lx.first_names
                and not _is_common(key, lx)
                and not _is_common(words[prev_run[0]][2].lower(), lx)
                and not (self.towns.known(key) and self.towns.known(words[prev_run[0]][2].lower()))
            ):
                # "Gonzalez, Maria": a known surname, a comma, a known first name (not two real towns: "London, Paris").
                start = words[prev_run[0]][0]
                hits = [h for h in hits if h[2] <= start]
                found = [("PERSON", start, words[i][1], 0.7)]
            elif (
                self.want_person
                and j == i + 1
                and prev_run is not None
                and (
                    (found and found[0][0] == "PERSON")
                    or (not found and not _is_common(key, lx) and key not in lx.places and hits and hits[-1][0] == "PERSON")
                )
                and prev_run[1] == prev_run[0] + 1
                and text[words[prev_run[0]][1] : words[i][0]] == ", "
                and (
                    not hits
                    or hits[-1][2] <= words[prev_run[0]][0]
                    or (hits[-1][0] == "PERSON" and hits[-1][1] == words[prev_run[0]][0])
                )
                and not _is_common(words[prev_run[0]][2].lower(), lx)
                and words[prev_run[0]][2].lower() not in lx.places
                and (key in lx.first_names or not self.towns.known(key))  # "Anna, Norwich": a name, then a town
                and (
                    _person_cue(text[max(0, words[prev_run[0]][0] - 30) : words[prev_run[0]][0]])
                    or _LINE_START.search(text[max(0, words[prev_run[0]][0] - 5) : words[prev_run[0]][0]])
                )
            ):
                # "Guitart, Aurora" on a line of its own or after a cue: surname first, then a first name.
                found = [("PERSON", words[prev_run[0]][0], words[i][1], found[0][3] if found else 0.6)]
                hits = [h for h in hits if h[2] <= words[prev_run[0]][0]]
            # "Anna Berg and Tomasz", "Anna Berg, Tomasz Nowak": a run joined to a person by "and",
            # "&" or a list comma is a person too.
            elif (
                not found
                and hits
                and hits[-1][0] == "PERSON"
                and self.want_person
                and (_AND.fullmatch(joined) or joined == ", ")
                and not _is_common(key, lx)
                and key not in lx.places
                and (key in lx.first_names or key in lx.last_names or not self.towns.known(key))  # "— Anna, Norwich"
            ):
                end = words[j - 1][1] - (1 if _ends_sentence(words[j - 1][2]) else 0)  # "... and Tomasz." ends the sentence
                found = [("PERSON", words[i][0], end, 0.6)]
            elif (
                self.want_location
                and not found
                and hits
                and hits[-1][0] == "PERSON"
                and joined == ", "
                and " ".join(keys[i:j]) in self.towns.plain
                and _ENDS_LINE.match(text, words[j - 1][1])
            ):
                # "— Anna, Norwich", "Tom Baker, Leeds": a signature's town after the name, ending its line
                found = [("LOCATION", words[i][0], _end_before_dot(words[j - 1]), 0.7)]
            elif (
                self.want_location
                and j == i + 1
                and prev_run is not None
                and hits
                and hits[-1][0] == "LOCATION"
                and hits[-1][2] == _end_before_dot(words[prev_run[1] - 1])
                and joined == ", "
                and text[hits[-1][1] : hits[-1][2]].lower() not in lx.first_names  # "to Maria, India and Tom"
                and (not found or found[0][0] == "PERSON")
                and self._country_closing(words[i][2], key)
                and _ENDS_CLAUSE.match(text, words[i][1])
            ):
                # "born in Moscow, USSR, 1978", "Computing Research Center, Pune, India": a place, then its country
                # (a country that is a first name too, or by its capitals), closing the clause; the place before it
                # is as sure (the tagger reads "Pune, India" as a surname and a given name).
                found = [("LOCATION", words[i][0], _end_before_dot(words[i]), TOWN_IN_CONTEXT)]
                hits[-1] = (*hits[-1][:3], TOWN_IN_CONTEXT)
            elif (
                self.want_location
                and hits
                and hits[-1][0] == "LOCATION"
                and (
                    not found
                    or found[0][0] == "PERSON"
                    and (
                        found[0][3] < 0.8
                        and key not in self.towns.named
                        # one word that is a name too, after a known place: "Germany and France", "London, Paris"
                        or j == i + 1
                        and self._known_place(text[hits[-1][1] : hits[-1][2]].lower())
                    )
                )
                and (_AND.fullmatch(joined) or joined in (", ", ", and ", " or "))
                and self._known_place(" ".join(w[2].rstrip(".").lower() for w in words[i:j]))
                and not month_by_number(words[i:j], text)
            ):
                # "Germany and France", "Berlin, Munich and Hamburg": a known place joined to a place.
                end = _end_before_dot(words[j - 1])
                found = [("LOCATION", words[i][0], end, JOINED_PLACE)]
            elif (
                found
                and found[0][0] == "LOCATION"
                and found[0][3] < JOINED_PLACE
                and hits
                and hits[-1][0] == "LOCATION"
                and hits[-1][3] < JOINED_PLACE
                and (_AND.fullmatch(joined) or joined in (", and ", " or "))
                and self._known_place(text[found[0][1] : found[0][2]].lower())
                and self._known_place(text[hits[-1][1] : hits[-1][2]].lower())
            ):
                # "Sardinia and Sicily", "Calgary and Edmonton": two known places, each read weakly alone, joined
                # speak for each other against the tagger.
                hits[-1] = (*hits[-1][:3], JOINED_PLACE)
                found = [(*found[0][:3], JOINED_PLACE)]
            if found and found[0][0] == "PERSON" and found[0][1] == words[i][0]:
                found[0] = (found[0][0], _particles_before(text, words, i), *found[0][2:])  # "to van der Berg"
            hits += found
            prev_run = (i, j)
        return hits

    def _classify(self, text: str, run: list[tuple[int, int, str]], keys: list[str]) -> list[Hit]:
        """`keys`: each word of `run` without its final dot, in lower case."""
        lx = self.lx
        start = run[0][0]
        before = text[max(0, start - 30) : start]
        after = text[run[-1][1] : run[-1][1] + 20]
        end = run[-1][1]
        if self.want_location and len(keys) >= 2 and keys[-1] in ADMIN_UNITS and (unit := self._admin_unit(run, keys)):
            return unit
        if (
            self.want_location
            and len(keys) >= 2
            and keys[-1] in self.towns.countries
            and all(k in self.people_words or k in LAND_QUALIFIERS for k in keys[:-1])
        ):
            # The era's words are no part of the name ("Nazi Germany" is Germany), a people's are ("Portuguese Timor").
            era = next(x for x, k in enumerate(keys) if k not in LAND_QUALIFIERS)
            return [("LOCATION", run[era][0], _end_before_dot(run[-1]), ADMIN_PLACE)]
        if (
            self.want_location
            and 2 <= len(keys) <= 3
            and all(k in COMPASS_WORDS for k in keys[:-1])
            and not _TITLE_BEFORE.search(before)
            and len(keys[-1]) >= SHORTEST_PLAIN
            and self._country([keys[-1]])
        ):
            return [("LOCATION", start, _end_before_dot(run[-1]), ADMIN_PLACE)]  # "Western Europe", "Central Asia"
        if self.want_person and self.want_location and len(run) >= 3 and (split := self._place_then_role(run, keys)):
            return split
        if self.want_person:
            lead = 0  # "The President", "And General": a sentence's ordinary first words before the role
            while lead < len(keys) - 1 and _is_common(keys[lead], lx) and keys[lead] not in ROLE_OPENERS:
                lead += 1
            role = role_length(keys[lead:])
            if role and lead + role < len(run) and (named := self._after_role(run, keys, lead + role)):
                return named
            if not role and (named := self._after_office(run, keys, lead)):
                return named
        # Drop leading words that carry no name: titles are kept in the span, common words are not.
        # (Counted before the place test below, which wins whatever it counts: it is pure.)
        k = 0
        while (
            k < len(run)
            and _is_common(keys[k], lx)
            and keys[k] not in TITLES
            and not (k + 1 < len(run) and len(keys[k]) == 1 and run[k][2].endswith("."))
            and not (
                k + 1 < len(run) and (keys[k] in lx.city_affixes or (keys[k] in lx.first_names and keys[k + 1] in lx.last_names))
            )
        ):
            k += 1
        if (
            k == 0
            and len(run) > 1
            and keys[0].endswith("ly")
            and _SENTENCE_ADVERB.fullmatch(keys[0])
            and keys[0] in self.frequent
        ):
            if _SENTENCE_END.search(before):
                k = 1  # "Hopefully Scotland is watching", "Finally Anna came": the sentence's adverb, no name's word
        if (
            self.want_location
            and not (k == len(run) == 1)
            and (
                _PLACE_AFTER.match(text, end)
                or (text[end : end + 1] == ")" and _SIGNATURE_PLACE.search(text[max(0, start - 45) : start]))
            )
        ):
            # "the Bad Kreuznach area", "~ Anna (Bad Kreuznach)": a place, common words and all (but no ordinary word
            # alone: "The area of Alabama").
            return [("LOCATION", start, end, 0.8)]
        if k and self.want_location and len(run) > 1 and " ".join(keys) in self.towns.plain and not _SENTENCE_END.search(before):
            # "the Middle East", "to Great Britain": ordinary words capitalized inside a sentence, as a place is named
            return [("LOCATION", start, _end_before_dot(run[-1]), 0.75)]
        if k == len(run):
            return []  # most runs in prose: a sentence's first word ("The", "We")
        # Context tests only for runs that may hold a name (the run of ordinary words returned above).
        sentence_start = bool(_SENTENCE_END.search(before))
        route = (before.endswith("from ") and _ROUTE_FROM.search(before)) or (
            before.endswith("to ") and _ROUTE_TO.search(text[max(0, start - 80) : start])
        )
        if route and self.want_location:
            # "relocating from Santa Cruz de Tenerife to ...": the whole run, ordinary words and all.
            return [("LOCATION", start, _end_before_dot(run[-1]), ROUTE_PLACE)]
        # Capitalized ordinary words before the name: a Title Case heading, weaker evidence.
        # A sentence's first word is capitalized whatever it is ("And Moses spake", "Therefore David ...").
        headline = any(not keys[x].startswith(("i'", "i’")) for x in range(1 if sentence_start else 0, k)) or len(run) >= 5
        if k:
            run, keys = run[k:], keys[k:]
            before = text[max(0, run[0][0] - 30) : run[0][0]]
        span = (run[0][0], run[-1][1])
        if len(run) == 1 and keys[0] in _LABEL_WORDS and (run[0][2].endswith(".") or after[:1] in (".", ":")):
            return []
        # Cut the run at the first common word after the name ("Anna Went" -> "Anna"); the word after
        # a title is the name whatever it is ("Dr. Field", "Ms. Long").
        cut = len(run)
        initial = len(keys[0]) == 1 and run[0][2].endswith(".")
        # A surname that is a street word too, after a known first name and nothing else, is the surname ("Tom Lane",
        # "(Tom Lane, Daniel Gustafsson)"); with a house number it is an address, which the address patterns read.
        surname_street = (
            len(run) == 2
            and keys[1] in SURNAME_STREET_WORDS
            and keys[0] in lx.first_names
            and not _is_common(keys[0], lx)
            and not _STREET_PREPOSITION_BEFORE.search(before)
        )
        for idx in range(2 if keys[0] in TITLES or initial else 1, len(run)):
            if (
                _is_common(keys[idx], lx)
                or (keys[idx] in self.street_words and (idx + 1 < len(run) or keys[idx] not in self.prefix_words))
            ) and not surname_street:
                cut = idx
                break
        name_run, name_keys = run[:cut], keys[:cut]
        name_span = (name_run[0][0], name_run[-1][1])
        if name_run[-1][2].endswith(".") and name_keys[-1] not in TITLES:
            name_span = (name_span[0], name_span[1] - 1)

        after_run = text[run[-1][1] : run[-1][1] + 20]
        lx = self.lx
        known = [k in lx.first_names or k in lx.last_names for k in name_keys]
        if (
            self.want_person
            and _SPEAKER_AFTER.match(text, name_span[1])
            and not text[: name_span[0]].rstrip(" \t").rstrip("\n").endswith(tuple(_NO_SPEAKER_BEFORE))
            and _at_line_start(text, name_span[0])
            and not all(_is_common(k, lx) for k in name_keys)
            and len(name_run) <= 4
            and not _not_a_name(name_run, text)
            and not any(k in _LABEL_WORDS for k in name_keys)
        ):
            # A chat speaker: "Esteban (Support): ...", "W. Harrison (agent): ..." at a line's start.
            return [("PERSON", name_span[0], name_span[1], 0.8)]
        if (
            before.rstrip(" \t").endswith(":")
            and not known[0]
            and _LOWER_WORD_AFTER.match(text, end)
            and not has_title_run(name_keys)
        ):
            # "Customer: Selling our old mixer", "Customer: Amazon had it": a turn or a value that starts
            # a sentence, not a name after its field label.
            return []
        place = self._place_score(
            keys,
            before,
            sentence_start,
            headline,
            after[:2] in ("'s", "’s"),
            after[:1] == ":",
            _short_capitals(run),
            before.endswith("of ") and after_noun_of(text, run[0][0]),
            before[-1:] == "," and after[:1] in (",", "\n", "") and _CSV_LINE.search(before) is not None,
            self._personal(keys, before, after, sentence_start),
        )
        nxt = _NEXT_RUN.match(text, run[-1][1])
        if nxt and not any(_is_common(k, self.lx) for k in keys) and self._region_after(nxt.group(1)):
            # "Paris, France", "Springfield, Illinois", "Natick, MA": a place, then the region it is in (a
            # cue for a person still wins: "Thanks Anna, Berlin was great").
            phrase = " ".join(keys)
            known_place = phrase in self.lx.places or self.towns.known(phrase)
            region = nxt.group(1)
            state = region in US_STATE_CODES or region.lower() in US_STATE_NAMES
            if known_place and state and not (_person_cue(before) and not _PREPOSITION_ENDS.search(before)):
                place = max(place, TOWN_STATE)  # "Ames, IA", "Lawrence, Kansas": a real town and its state
            place = max(place, 0.85 if known_place or place else 0.7)
        if route:
            place = max(place, ROUTE_PLACE)
        if len(run) >= 2 and self._town_then_state(run, keys):
            place = max(place, TOWN_STATE)  # "Auburn MA", "Fort Worth Texas": a town and its state without a comma
        at_end = (
            len(run) <= 3
            and sentence_start
            and bool(before.strip())
            and not headline
            and _NOT_TRAILER.search(text, run[-1][1]) is None  # nothing but " \t\n.!)" to the end (no copy of it)
        )
        if len(run) == 1 and _NUMBER_AFTER.match(after_run):
            return [("LOCATION", *span, place)] if place >= 0.7 and self.want_location else []
        if (cut == 1 and len(run) > 1 and keys[1] in self.street_words and not surname_street) or pair_with_ampersand(
            text, name_span
        ):
            # "Abbey Road" is a street; "Marks & Spencer", "Ben & Jerry's" name a firm.
            name_run = []
        cue = bool(name_run) and _person_cue(before)  # asked up to three times below: once
        if (
            name_run
            and len(name_keys) == 1
            and "-" in name_keys[0]
            and name_run[0][2][0].isupper()
            and not all(p in lx.first_names for p in name_keys[0].split("-"))
            and not cue
            and not name_keys[0].endswith(_HONORIFIC_SUFFIXES)
        ):
            name_run = []  # "Paris-Brest", "Baden-Baden": not two first names ("Jean-Luc"), no cue
        caps_ok = bool(name_run) and _caps_name(name_run, name_keys, lx, cue)
        person = (
            self._person_score(name_keys, before, after, sentence_start, headline, cut < len(run), at_end, cue)
            if self.want_person
            and name_run
            and (caps_ok or not _not_a_name(name_run, text))
            and " ".join(k.rstrip("'’s") for k in name_keys) not in _NOT_PEOPLE
            else 0.0
        )
        if not person and caps_ok and self.want_person and given_then_capitals(written := [w for _, _, w in name_run]):
            # "Haile SELASSIE": the shape is the evidence (no list knows either word); sure against the tagger when
            # the given names mean nothing else ("the Latin CD-ROM", "California MELVYL" are no one)
            person = CAPITALS_PERSON if self._given_names_only(written) else 0.6
        if place and self.want_location and place >= person:
            return [("LOCATION", span[0], _end_before_dot(run[-1]), place)]
        if person:
            return [("PERSON", name_span[0], name_span[1], person)]
        return []

    def _place_then_role(self, run: list[tuple[int, int, str]], keys: list[str]) -> list[Hit]:
        """A land's or a town's name, then a role and a name: the place and the person apart ("Indiana Governor Mike
        Pence", "Kansas Territorial Governor Wilson Shannon", "Ohio Senator Rob Portman")."""
        for k in range(1, min(3, len(run) - 2) + 1):
            phrase = " ".join(keys[:k])
            lead = k
            while lead < len(keys) - 1 and keys[lead] in _OFFICE_QUALIFIERS:
                lead += 1
            role = role_length(keys[lead:])
            if not role or lead + role >= len(run) or keys[lead] in PEERAGE:
                continue
            land = phrase in self.towns.countries or phrase in self.towns.regions or phrase in US_STATE_NAMES
            if not (land or self.towns.names_place(" ".join(w for _, _, w in run[:k]))):
                continue
            named = self._after_role(run[k:], keys[k:], lead - k + role)
            if named:
                _, start, end, score = named[0]
                if not any(_is_common(key, self.lx) for key in keys[k:]):
                    end = _end_before_dot(run[-1])  # "Governor Mike Pence": a name's word that is a frequent word too
                return [("LOCATION", run[0][0], _end_before_dot(run[k - 1]), ADMIN_PLACE), ("PERSON", start, end, score)]
        return []

    def _after_role(self, run: list[tuple[int, int, str]], keys: list[str], at: int) -> list[Hit]:
        """The name after a role ending at `at`, the role kept in the span as a title is ("President Thabo MBEKI"):
        nothing when the words after it name no one: "General Motors", "Prince Charming", "King Street", "Prince
        Edward Island". (Without the role, the silver file's books had "Colonel Brandon" beside "Captain Benwick",
        which the tagger reads whole, and the second model learned from both.)"""
        lx = self.lx
        if self._known_place(" ".join(keys)):
            return []
        end = at
        while end < len(run) and self._name_word(run[end][2], keys[end]):
            end += 1
        if end < len(run) and given_then_capitals([w for _, _, w in run[at:]]):
            end = len(run)  # "Prime Minister Sato KILMAN": the surname's capitals make the words before it given names
        names = keys[at:end]
        if not names or names[-1] in NAME_PARTICLES or any(k in self.street_words for k in names):
            return []
        if len(names) == 1 and not run[at][2].isupper() and names[0] not in lx.first_names:
            # A country, state or region is no one after an office ("Captain America", "Governor Texas"), but for one
            # that is a name too ("President Rivas"); a town is someone ("General Shafter", "President Comonfort"); a
            # peer is styled by any of them ("Lady Bracknell").
            towns = self.towns
            land = names[0] in towns.countries or names[0] in towns.regions or names[0] in US_STATE_NAMES
            if (
                names[0] in ROLE_TAILS
                or names[0] in FOUNDATIONS  # "Duke University" (and University, Mississippi)
                or (land and names[0] not in lx.last_names and names[0] not in towns.named and keys[at - 1] not in PEERAGE)
            ):
                return []  # "the Princess Royal", "President Elect", "Captain America", "Governor Texas"
        last = run[end - 1]
        return [("PERSON", run[0][0], last[1] - (1 if last[2].endswith(".") and len(keys[end - 1]) > 1 else 0), ROLE_PERSON)]

    def _admin_unit(self, run: list[tuple[int, int, str]], keys: list[str]) -> list[Hit]:
        """A name and the kind of division it names ("Starke County", "Tyumen Oblast", "Agin-Buryat Autonomous Okrug",
        "Latvian SSR"): a place, from its first word that is no ordinary word ("The Chita Oblast"); nothing when
        every word before the kind is ordinary ("School District") or a title or role opens it."""
        lx = self.lx
        k = 0
        while k < len(keys) - 1 and _is_common(keys[k], lx):
            k += 1
        names = keys[k:-1]
        if not names or names[0] in TITLES or names[0] in ROLE_OPENERS:
            return []
        return [("LOCATION", run[k][0], _end_before_dot(run[-1]), ADMIN_PLACE)]

    def _after_office(self, run: list[tuple[int, int, str]], keys: list[str], lead: int) -> list[Hit]:
        """A role after the name of what it serves, and the name after it: "Treasury Secretary Jim Baker", "Foreign
        Minister Sergei Lavrov"; the span from the role. Not after a place ("New York Governor Andrew Cuomo": the
        place is found as one) or a title."""
        for at in range(lead + 1, min(lead + 3, len(run) - 1)):
            if keys[at] not in ROLE_WORDS:
                continue
            office = keys[lead:at]
            if any(k in TITLES or k in ROLE_OPENERS for k in office) or self._known_place(" ".join(office)):
                return []
            role = role_length(keys[at:])
            if role and at + role < len(run):
                return self._after_role(run[at:], keys[at:], role)
            return []
        return []

    def _given_names_only(self, written: list[str]) -> bool:
        """The words before the capitals of `written` ("Moussa Dadis CAMARA") are known given names or words that
        mean nothing else (no frequent word, place or town), and the capitals are one word each ("CD-ROM" is none)."""
        k = next(i for i, w in enumerate(written) if w.isupper())
        lx = self.lx
        return all("-" not in w for w in written[k:]) and all(
            key in lx.first_names or (key not in self.frequent and not self._known_place(key))
            for key in (w.lower() for w in written[:k])
        )

    def _saint_town(self, short: str, key: str) -> str | None:
        """The first word as the town list writes it, when `short` ("st", without its dot) and the next word `key`
        name a real town, abbreviated or spelled out ("St. Louis", "St. Paul", "Saint Michael"); None for a saint ("St.
        Francis"): no town, and there the dot still ends the run."""
        spelled = _SAINT_SHORT.get(short)
        if spelled is None:
            return None
        return next((form for form in (f"{short}.", short, *spelled) if self.towns.known(f"{form} {key}")), None)

    def _name_word(self, word: str, key: str) -> bool:
        """A word that may be part of a name after a role: an initial ("O."), a particle ("bin"), a surname in
        capitals ("MBEKI"), a known name, a frequent word that is a name only ("Eisenhower"), or a word that means
        nothing else ("Peleg")."""
        if len(key) == 1:
            return word.endswith(".")
        if word.isupper() or key in NAME_PARTICLES:
            return True
        lx = self.lx
        return (
            key in lx.first_names
            or key in lx.last_names
            or key in self.proper_words
            or (key not in self.frequent and not _is_common(key, lx))
        )

    def _person_score(
        self,
        keys: list[str],
        before: str,
        after: str,
        sentence_start: bool,
        headline: bool,
        more_caps: bool,
        at_end: bool = False,
        cue: bool | None = None,
    ) -> float:
        """`cue`: `_person_cue(before)` when the caller has it already."""
        lx = self.lx
        first, common = lx.first_names, lx.common_words
        has_title = keys[0] in TITLES
        names = keys[1:] if has_title else keys
        if not names:
            return 0.0
        if names[-1].endswith(_HONORIFIC_SUFFIXES):
            return ROLE_PERSON  # "Koga-san", "Red Shirt-san": a Japanese honorific names a person whatever the words
        if has_title and all(_is_common(k, lx) and k not in first and k not in lx.last_names for k in names):
            return 0.0  # "Yes, Sir. It's dark": the title's dot ended the sentence
        if not has_title and self._country(names):
            return 0.0  # "independence from France", "with England": a cue for a person is a place's preposition too
        head = names[0].split("-", 1)[0]  # "Mary-Jane", "Jean-Luc": the first part decides
        known_first = (names[0] in first or head in first) and names[0] not in common and head not in common
        if has_title:
            return 0.85
        if (
            len(names) == 1
            and not more_caps
            and names[0] in self.famous
            and names[0] not in first
            and not self._known_place(names[0])
            and not _EPONYM_AFTER.match(after)
        ):
            # "Einstein published", "the ideas of Schopenhauer": the name alone says who (not "Jefferson County", "the
            # Nobel Peace Prize": a name in another's; nor a given name, "Paul's Law", which other readings judge)
            return FAMOUS_PERSON
        if (_person_cue(before) if cue is None else cue) or _PERSON_AFTER.search(after):
            # Above a place known only from the lists ("Reviewer: Virgilio"), below a place context.
            return CUED_PERSON if not (len(names) == 1 and names[0] in common) else 0.0
        if at_end and not any(k in common or k in lx.places for k in names) and not after.startswith(")"):
            # The last word(s) of a post after a sentence end: a sign-off ("... excuse typos. Sarah").
            return 0.55
        if headline:
            # In Title Case text only a known first name followed by a known surname counts.
            both = known_first and len(names) == 2 and names[1] in lx.last_names and not more_caps
            return 0.7 if both else 0.0
        if known_first and len(names) >= 3 and any(k in NAME_PARTICLES for k in names[1:-1]):
            return PARTICLE_PERSON  # "Bartolomeo da Bergamo", "Ludwig van Beethoven": whatever the last word is besides
        if known_first and len(names) >= 2:
            return 0.85
        if names[0] in first and len(names) >= 2 and names[1] in lx.last_names:
            return 0.8
        if len(names) >= 2 and names[-1] in lx.last_names and names[-1] not in common and not sentence_start:
            return 0.6
        if known_first and len(names) == 1 and names[0] not in lx.places:
            # A given name acting in its sentence ("Mary took his book", "Jim's pan"): sure against the tagger's veto.
            return SUBJECT_PERSON if ACTS_AFTER.match(after) else 0.6
        if len(names) == 1 and self._acting_surname(names[0], before, after):
            return SUBJECT_PERSON
        return 0.0

    def _acting_surname(self, key: str, before: str, after: str) -> bool:
        """A surname alone acting in its sentence, as histories name people ("Zollicoffer moved his forces"): a surname
        of the lists that is no place, people's word, ordinary or frequent word, and not after "of" ("English is
        spoken", "a Bachelor of Arts is")."""
        lx = self.lx
        return (
            key in lx.last_names
            and not before.endswith("of ")
            and ACTS_AFTER.match(after) is not None
            and key not in lx.places
            and key not in self.people_words
            and not _is_common(key, lx)
            and key not in self.frequent
        )

    def keeps_type(self, text: str, hit: Hit) -> bool:
        """A LOCATION the tagger's person may not retype: a country by its name, a town and its state, or a town a journey
        reaches or leaves or a ruler's title names ("hastened to Milan", "the Duke of Milan": the tagger reads a lone
        first name as a person wherever it stands); or a known given name, a particle and a name ("Bartolomeo da
        Bergamo": the tagger reads a town at its end as a place)."""
        if hit[0] == "PERSON":
            return hit[3] == PARTICLE_PERSON
        kept = (TOWN_IN_CONTEXT, ADMIN_PLACE, FIELD_TOWN, LONE_COUNTRY)
        # A real town, a comma and its US state ("Lawrence, KS", the state read apart or not): "George Washington"
        # without the comma is a man.
        town_state = hit[3] == TOWN_STATE and ("," in text[hit[1] : hit[2]] or _state_after(text, hit[2]))
        # A region's name too, of two words or more, or after "of" ("Baja California", "Periegetus of Bithynia"); one word
        # elsewhere may be a given name the lists hold out ("thx, Isabel", "Lorraine's dog").
        several = " " in text[hit[1] : hit[2]].strip()
        region = (several or text[max(0, hit[1] - 3) : hit[1]] == "of ") and self._names_land(text, hit)
        return hit[0] == "LOCATION" and (hit[3] in kept or town_state or region or self.names_country(text, hit))

    def names_country(self, text: str, hit: Hit) -> bool:
        """A LOCATION whose words are a country's name and no one's ("Russia", "Morocco"): the tagger's person does not
        retype it ("Russia, Moscow" read as a surname and a first name). Not a region's: a given name the lists hold out
        may be one ("Lorraine", "Isabel")."""
        span = text[hit[1] : hit[2]].rstrip(".")
        return hit[0] == "LOCATION" and span[:1].isupper() and self._country(span.lower().split(), regions=False)

    def _names_land(self, text: str, hit: Hit) -> bool:
        """The span is a country's name or a region's, capitalized, not in capitals ("EST", "PAN"), and no one's name
        ("France", "Europe", "Sardinia"; not "Jordan", "Virginia"); a region no frequent word a dictionary also writes
        in lower case ("Java", "the Alps"), after "the" too ("the Crimea", "the Danube": a peninsula, a river)."""
        span = text[hit[1] : hit[2]].rstrip(".")
        if not span[:1].isupper() or span.isupper():
            return False
        keys = span.lower().split()
        if self._country(keys, regions=False):
            return True
        phrase = " ".join(keys)
        return (
            self._country(keys)
            and phrase not in self.towns.named
            and (phrase not in self.frequent or phrase in self.proper_words)  # "experiencia en Java": a language
        )

    def _personal(self, keys: list[str], before: str, after: str, sentence_start: bool) -> bool:
        """For a country's name that is a given name too (the rest are never asked: this is the hot path), the words
        around it speak of a person: a cue that is no preposition of place or agent ("Thanks Jordan"), a speaker's verb
        after it ("Jordan said"), a vocative's comma opening a sentence, or a name and a comma before it."""
        if len(keys) != 1 or keys[0] not in self.towns.countries or keys[0] not in self.lx.first_names:
            return False
        return (
            (_person_cue(before) and not _PREPOSITION_ENDS.search(before))
            or bool(_PERSON_AFTER.search(after))
            or (sentence_start and after[:1] == ",")
            or self._name_or_place_before_comma(before)
        )

    def _name_or_place_before_comma(self, before: str) -> bool:
        """A given name or a known place, then a comma, just before the run: in a list or an address its neighbours
        decide what the run is ("Maria, India, and Tom", "Pune, India"), not a country's name alone."""
        m = _WORD_COMMA_BEFORE.search(before)
        if m is None:
            return False
        key = m.group(1).lower()
        return key in self.lx.first_names or self._known_place(key)

    def _country(self, keys: list[str], regions: bool = True) -> bool:
        """The words name a country (or a region of the world: "England", "Bavaria") and are no first name nor an
        ordinary word ("France", "Spain"; not "Jordan", "Chad", "Victoria"). A surname alone may still be the country:
        the census lists "Spain" and "England" as surnames, but a surname alone is rarely how a text names a person."""
        lx = self.lx
        phrase = " ".join(keys)
        return (phrase in self.towns.countries or (regions and phrase in self.towns.regions)) and not any(
            k in lx.first_names or k in lx.common_words for k in keys
        )

    def _country_closing(self, word: str, key: str) -> bool:
        """`word` (one word; `key` in lower case) names a country after a place and a comma: a country of the lists
        whatever else it is ("India", "Jordan"), or one by its capitals ("USSR", "USA")."""
        return key in self.towns.countries or (key in _COUNTRY_CAPITALS and word.rstrip(".").isupper())

    def _known_place(self, phrase: str) -> bool:
        return known_place(phrase, self.lx, self.towns)

    def sure(self, text: str, hit: Hit) -> bool:
        """A span the tagger may not veto: a sure place, or a person named by the e-mail address after it ("Maria
        Gonzalez <maria@...>", a credits list's "Maria Gonzalez<tab>maria@...": the tagger has few features there) or
        by a mail's attribution of a quote ("Hal DeVore writes:") or alone on its line after a sign-off
        ("Cheers,\nMatthias"), or after a title of address ("Mr. Young came in": the tagger learned that a
        sentence's first words are mostly no entity)."""
        if hit[0] == "PERSON":
            return (
                hit[3] in (ROLE_PERSON, SUBJECT_PERSON, PARTICLE_PERSON, CAPITALS_PERSON, FAMOUS_PERSON)
                or _titled(text, hit)
                or (
                    hit[3] == CUED_PERSON
                    and (
                        _EMAIL_AFTER.match(text, hit[2]) is not None
                        or _WROTE_AFTER.match(text, hit[2]) is not None
                        or (
                            _LINE_ENDS_AFTER.match(text, hit[2]) is not None
                            and _SIGN_OFF_BEFORE.search(text, max(0, hit[1] - 30), hit[1]) is not None
                        )
                        or _SPEAKER_VERB_AFTER.match(text, hit[2]) is not None
                        or SPEAKER_VERB_BEFORE.search(text, max(0, hit[1] - 14), hit[1]) is not None
                    )
                )
            )
        return self.sure_place(text, hit)

    def sure_place(self, text: str, hit: Hit) -> bool:
        """A LOCATION the tagger may not veto: a place joined to a place, a country or a region of the lists that is
        no given name or ordinary word ("Morocco", "Europe", "Texas"; not in capitals, "EST", "PAN"), or a real town by
        its name alone opening a sentence or of several words ("the United States"): the tagger learned that a sentence's
        first word is mostly no entity; on one word inside a sentence its veto stands (it reads the town list
        too, and a German noun may be a town's name)."""
        if hit[0] != "LOCATION" or _TITLE_BEFORE.search(text, max(0, hit[1] - 12), hit[1]):
            return False  # "with ms. Zama": a title makes the town's name a person's
        if hit[3] in (JOINED_PLACE, TOWN_STATE, TOWN_IN_CONTEXT, ADMIN_PLACE, UNKNOWN_AT_PLACE, FIELD_TOWN, LONE_COUNTRY) or (
            hit[3] == ROUTE_PLACE and _ROUTE_TO.search(text, max(0, hit[1] - 80), hit[1])
        ):
            return True  # the sentence decides: a place joined to a place, a town and its state, the end of a move
        before = text[max(0, hit[1] - 30) : hit[1]]
        if _STRONG_IN_AT.search(before) and _STRONG_PLACE_BEFORE.search(before):
            return True  # "dwelt at Jerusalem", "born in Florence": whatever the town's name is besides
        span = text[hit[1] : hit[2]]
        if self._names_land(text, hit):
            return True  # a country or a region by its name: "Modern Morocco gained independence", "people of Europe"
        if span.replace(".", "") in _SURE_COUNTRY_CAPITALS and not (
            text[hit[1] - 1 : hit[1]].isalnum() or text[hit[2] : hit[2] + 1].isalnum()
        ):
            # "<rescountry>USA</rescountry>", "NE, USA": a country by its capitals, which no word is (not glued to
            # letters or digits, as a passport's machine-readable line writes its issuing state: "63USA7311")
            return True
        return self.towns.names_place(span) and (
            " " in span
            or bool(_SENTENCE_END.search(text, max(0, hit[1] - 30), hit[1]))
            or bool(PREPOSITION_BEFORE.search(text, max(0, hit[1] - 12), hit[1]))
            or bool(_OPENING_PREPOSITION.search(text, max(0, hit[1] - 14), hit[1]))
        )

    def vouches_for(self, text: str, hit: Hit) -> bool:
        """A span the tagger read with less than its adding confidence and the rules not at all, that the lists know
        (`ensemble.combine`'s `known`): for a LOCATION a country or a region, or a real town of no other sense at
        WEAK_TOWN or more; no famous person's name, given name or surname ("Plato", "Hercules", "Lorraine"). For a
        PERSON a known given name, then one or two capitalized words, the last no ordinary word ("Judith A. Zidar",
        "Paul Eggert"), and no street ("Tom Ranch"). Not where the run goes on or a capitalized word no dictionary
        writes opens it ("David F. La Roche", "BP North America": the tagger's bounds are a guess there), nor after a
        title or role ("General Comonfort") or, for a town, after "the" ("the Columbus": a ship)."""
        span = text[hit[1] : hit[2]]
        if not span[:1].isupper() or span.isupper() or "," in span or _CAPITALIZED_NEXT.match(text, hit[2]):
            return False
        if hit[1] and text[hit[1] - 1] not in _OPENS_A_WORD:
            return False  # a field's value ("X-PET:Canela"): the field says what it is, not the lists
        before = _WORD_BEFORE.search(text, max(0, hit[1] - 20), hit[1])
        word = before.group(1) if before else ""
        if (
            word.lower() in TITLES
            or word.lower() in ROLE_WORDS
            or (word[:1].isupper() and word.lower() not in self.lx.common_words)
        ):
            return False
        if hit[0] == "LOCATION":
            key = span.lower()
            land = key in self.towns.countries or key in self.towns.regions
            if key in self.famous or key in self.lx.first_names or key in self.lx.last_names:
                return False  # "Plato", "thx, Isabel", "Lorraine's": the readings after the tagger's may find the person
            # A town alone needs more of the tagger's confidence than a land ("the story of Hercules", 0.7: a hero too).
            town = hit[3] >= WEAK_TOWN and key in self.towns.plain and key not in self.frequent and word != "the"
            return land or town
        if span.endswith(("'s", "’s")) or _FULL_STOP_INSIDE.search(span):
            return False  # a possessive, a sentence's end ("Jack. Till Monday")
        words = _NAME_WORDS.findall(span)
        if not 2 <= len(words) <= 3 or any(w.isupper() and len(w) > 1 for w in words):
            return False
        first, last = words[0].lower(), words[-1].lower()
        if last in self.street_words or _DIGIT_NEXT.match(text, hit[2]):
            return False  # a street named after someone: "Tom Ranch", "Ciríaco Mármol 62"
        return first in self.lx.first_names and first not in self.lx.common_words and last not in self.lx.common_words

    def _town_then_state(self, run: list[tuple[int, int, str]], keys: list[str]) -> bool:
        """The run's last words are a US state's code (as written) or name, the words before them a real town."""
        if run[-1][2].rstrip(".") in US_STATE_CODES:
            town = keys[:-1]
        elif keys[-1] in US_STATE_NAMES:
            town = keys[:-1]
        elif len(keys) >= 3 and " ".join(keys[-2:]) in US_STATE_NAMES:
            town = keys[:-2]
        else:
            return False
        phrase = " ".join(town)
        return bool(town) and self.towns.known(phrase) and phrase not in self.lx.common_words

    def _region_after(self, words: str) -> bool:
        """The words after a comma name a state or country: a known place, a real town's country, or a US
        state code ("MA", "TX")."""
        low = words.lower()
        first = low.split()[0]
        return low in self.lx.places or first in self.lx.places or (len(words) == 2 and words in US_STATE_CODES)

    def _place_score(
        self,
        keys: list[str],
        before: str,
        sentence_start: bool,
        headline: bool = False,
        possessive: bool = False,
        label: bool = False,
        acronym: bool = False,
        noun_of: bool = False,
        cell: bool = False,
        personal: bool = False,
    ) -> float:
        """`headline`: the run follows capitalized ordinary words; `possessive`: "'s" follows it; `label`: a
        colon follows it ("Mobil: +49 ...", a field's name or a heading); `acronym`: a word of it is a short
        one in capitals ("UTC", "SGI" are towns too): the town lists do not speak for it; `noun_of`: "<noun> of"
        comes before it (`after_noun_of`); `cell`: the run is a whole field of a comma-separated record; `personal`: the
        words around a country's name that is a given name too speak of a person (`_personal`)."""
        lx = self.lx
        phrase = " ".join(keys)
        may = _may_end_place_phrase(before)
        strong = may and bool(_STRONG_PLACE_BEFORE.search(before))
        weak = strong or (may and bool(_PLACE_BEFORE.search(before)))
        if strong:
            return 0.9
        if (
            len(keys) == 1
            and phrase in self.towns.countries
            and phrase in lx.first_names
            and not (headline or possessive or label or acronym or personal)
        ):
            return LONE_COUNTRY
        known = phrase in lx.places or (len(keys) > 1 and " ".join(keys[:2]) in lx.places)
        if known and not any(k in lx.common_words or k in lx.first_names for k in keys[:1]):
            return 0.75
        if known and weak:
            return 0.7
        if (
            not acronym
            and not label
            and (possessive or weak or before.endswith("of "))
            and len(phrase) >= SHORTEST_PLAIN
            and phrase not in lx.last_names
            and phrase not in self.famous
            and self._country(keys)
        ):
            return 0.75  # a land, no name or word: "Europe's poorest economy", "the Government of Austria-Hungary"
        if known and noun_of and phrase in self.towns.countries and phrase not in lx.last_names:
            return 0.75  # "the Prime Minister of India", "the children of Israel": the country, no one of that first name
        towns = self.towns
        if acronym:
            return 0.0
        if phrase in towns.plain:
            # A real town that is no word or name: after "in", "from", "to", "at" it wins over the same words
            # read as a person's cue ("sent from Leeds"); opening a sentence it needs nothing more ("Chicago is
            # windy": inside one, nothing but the tagger speaks for it). Not in a Title Case heading, before a
            # possessive (a surname the lists lack may be a town too: "Campbell's song"), as a label ("Mobil:")
            # or in a record's field ("|Saint-Étienne|": a facility named after its town).
            if weak:
                return 0.8
            if sentence_start and not headline and not possessive and not label and (not before or before[-1] in _PROSE_BEFORE):
                return 0.7
            if cell:
                return FIELD_TOWN  # ",Canada,Toronto,https://...": a record's field that is a town and nothing else
            if (
                not headline
                and not possessive
                and not label
                and phrase not in self.famous  # "Immanuel Kant and Plato": the man before the town
                and not before.endswith("of ")  # "the story of Hercules": the reading of "<noun> of" below decides
                and before[-1:] in (" ", "\t")
                and _PROSE_WORD_BEFORE.search(before)
            ):
                return PLAIN_TOWN  # "when Detroit did", "like Toronto": a town that is nothing else, inside a sentence
        noun = _lower_noun_of(before) if before.endswith("of ") else None
        if noun and (
            phrase in towns.plain
            or (
                towns.known(phrase)
                and (phrase not in towns.named or noun in _PLACE_OF)
                and phrase not in lx.common_words
                and len(phrase) >= SHORTEST_PLAIN
            )
        ):
            return 0.7  # "a magistrate of Constantinople", "the vicinity of London"
        if (
            weak
            and towns.known(phrase)
            and phrase not in towns.named
            and phrase not in lx.common_words
            and len(phrase) >= SHORTEST_PLAIN
        ):
            return 0.7  # "near Reading": a word-town after a place's preposition (a name-town may be a person)
        if (
            towns.known(phrase)
            and phrase not in lx.common_words
            and len(phrase) >= SHORTEST_PLAIN
            and not possessive
            and (_TRAVEL_BEFORE.search(before) or _REALM_OF.search(before) or _HOME_OF.search(before))
        ):
            return TOWN_IN_CONTEXT  # "we left Paris", "the Duke of Milan", "Candler, of Georgia": a journey, a seat, a home
        if (
            towns.known(phrase)
            and _IN_AT.search(before)
            and phrase not in lx.common_words
            and len(phrase) >= SHORTEST_PLAIN
            and not possessive
        ):
            return 0.65  # "lodgings in London", "at Paris": a name-town after "in" or "at", where people seldom stand
        if (
            len(keys) == 1
            and _AT_NEAR.search(before)
            and not _JOB_AT.search(before)
            and keys[0] not in lx.first_names
            and keys[0] not in lx.last_names
            and keys[0] not in self.frequent
            and not possessive
            and not headline
            and not label
        ):
            return UNKNOWN_AT_PLACE  # "arrived at Marfell", "near Hunsford": a word no list knows where people seldom stand
        shaped = (keys[0] in lx.city_affixes and len(keys) >= 2) or bool(_CITY_SUFFIX.search(keys[-1]))
        if shaped and weak and not sentence_start and keys[-1] not in lx.common_words:
            return 0.55
        # "Jordanstad", "North Jamesview": shaped like a town and no name or ordinary word.
        if (
            shaped
            and keys[-1] not in lx.common_words
            and keys[-1] not in lx.first_names
            and keys[-1] not in lx.last_names
            and len(keys[-1]) >= 6
        ):
            return 0.5
        return 0.0


_TITLED = re.compile(rf"(?i:{'|'.join(map(re.escape, sorted(TITLES, key=len, reverse=True)))})\.?[ \t]+[^\W\d_]")


# What a famous name gives its own name to: "Crohn's disease", "Occam's razor", "the Nobel Prize", "the Fields Medal"
_EPONYM_AFTER = re.compile(
    r"(?:['’]s)?[ \t]+(?i:disease|syndrome|sign|law|laws|theorem|principle|razor|paradox|constant|equation|effect|number|"
    r"prize|medal|award|lecture|institute|foundation)\b"
)
# A firm's legal form: no person's name ends with one ("Ing. Knauseder Mechatronik GmbH")
FIRM_FORMS = frozenset("inc ltd llc llp plc gmbh corp co limited srl sarl bv nv ag kg oy".split())


def _titled(text: str, hit: Hit) -> bool:
    """The span opens with a title of address and a name ("Mr. Young", "Miss Prism"), and is no firm's."""
    span = text[hit[1] : hit[2]]
    return _TITLED.match(span) is not None and span.rsplit(None, 1)[-1].rstrip(".").lower() not in FIRM_FORMS


_TITLE_BEFORE = re.compile(rf"\b(?i:{'|'.join(map(re.escape, sorted(TITLES, key=len, reverse=True)))})\.?[ \t]+\Z")


def _type_first_starts(text: str) -> list[int] | None:
    """Every offset where the type-first street pattern can match (None: anywhere): at a street word
    (found case-insensitively in one pass), or at a house number before it: at most 14 characters,
    then an optional comma and spaces or tabs."""
    at = _PREFIX_CUES.find(text).starts("prefix")
    if at is None:
        return None
    starts = set(at)
    for s in at:
        q = s
        while q > 0 and text[q - 1] in " \t":
            q -= 1
        if q == s:
            continue  # no space before the street word: no number can come with it
        if text[q - 1 : q] == ",":
            q -= 1
        starts.update(range(max(0, q - _LONGEST_NUMBER), q))
    return sorted(starts)


# Street words that come before the name ("rue Michel", "Calle de Alcalá", "Via Roma").
_PREFIX_STREET_WORDS = {
    "rue",
    "avenue",
    "av.",
    "boulevard",
    "bd",
    "chemin",
    "allée",
    "impasse",
    "place",
    "quai",
    "route",
    "calle",
    "avenida",
    "paseo",
    "plaza",
    "camino",
    "carrera",
    "pasaje",
    "glorieta",
    "ronda",
    "vial",
    "rambla",
    "travesía",
    "callejón",
    "cañada",
    "alameda",
    "acceso",
    "cuesta",
    "carretera",
    "urbanización",
    "pasadizo",
    "calzada",
    "cerrada",
    "privada",
    "prolongación",
    "andador",
    "circuito",
    "diagonal",
    "periférico",
    "retorno",
    "viaducto",
    "rotonda",
    "via",
    "viale",
    "piazza",
    "piazzale",
    "incrocio",
    "stretto",
    "borgo",
    "canale",
    "ladeira",
    "rodovia",
    "corso",
    "vicolo",
    "largo",
    "strada",
    "contrada",
    "rua",
    "travessa",
    "praça",
    "estrada",
}
_PREFIX_CUES = Cues({"prefix": _PREFIX_STREET_WORDS})
_LONGEST_NUMBER = 14  # of _STREET_NUMBER: 6 digits and a letter, "-" or "/", 5 digits and a letter
