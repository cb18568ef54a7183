"""Labeled synthetic user posts with PII inside, for the evaluation, its tests and the name tagger's training.

    generate_posts(n, seed, locale_mix=DEFAULT_LOCALE_MIX, name_pool="any", template_set="tuning")
        -> Iterator[tuple[str, list[Span]]]          # text and its gold PII spans
    generate_records(n, seed, ...) -> Iterator[dict]  # {"user": str, "text": str, "label": int}

Deterministic per seed. Posts are English sentences from several templates (a topic sentence that
sets `label`, then sentences carrying PII or look-alikes that are not PII: version strings, order
numbers that fail the Luhn check, ordinary dates, capitalized words); the PII values come from Faker
in the locale drawn for the post. `name_pool="unseen"` draws only names that the shipped word lists
leave out (see `lexicon.is_unseen`), to measure recall on names the lists do not know.

Eight disjoint template families (evals/pii/README.md says which are development sets and which is
the blind headline set); three are written here:
  - "tuning" (PII_TEMPLATES, NEAR_MISSES, TOPIC_SENTENCES): the sentences the detector's context rules
    were developed against; tests and `generate_records` use them;
  - "heldout" (HELDOUT_*): written independently, only for the evaluation (`python -m evals.pii`), so a
    score on them says how the detector does on phrasings it was not tuned on. Besides new sentence
    shapes they use other value shapes: names with middle initials, particles, hyphens, apostrophes,
    titles, "Last, First"; one-line addresses with commas; birth dates written "3 March 1987" or
    "March 3rd, 1987"; signatures and chat-style speaker prefixes; posts split over lines. A quarter
    of their names come from the unseen pool. Do not tune detector rules on these sentences.
    (The detector was later improved while looking at its misses here, so these scores are no
    longer blind.)
  - "blind" (BLIND_*): written later without reading the detector's code or its results, new
    sentences rather than rephrasings of the two families above, for a score nobody has tuned
    against. Posts are framed as forum posts, chat logs (handles, timestamps), support tickets
    (header fields) or e-mails (greeting, signature block with job title, address, phone); they hold
    field lines, JSON and shell snippets, markdown links, card numbers with dashes, signature-style
    addresses per locale, and distractors such as UUIDs, commit hashes, MAC addresses, ISO
    timestamps, case numbers and capitalized product names. Never change the detector while
    looking at its misses on these.
The other five live in modules of their own, each `synth_<family>.py` with `<family>_posts`: "fresh",
"sealed", "vault", "quarry" and "harbor" (the blind headline set); their docstrings say how each was
written and what its posts look like.
"""

from __future__ import annotations

import importlib
import random
import string
from collections.abc import Container, Iterable, Iterator, Sequence

from faker import Faker

from aircluster.privacy.detect.lexicon import is_unseen
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.shapes import private_key
from evals.pii.templates import PostWriter, Span, render

DEFAULT_LOCALE_MIX: tuple[tuple[str, float], ...] = (
    ("en_US", 0.45),
    ("en_GB", 0.2),
    ("de_DE", 0.15),
    ("fr_FR", 0.1),
    ("es_ES", 0.1),
)

TOPICS = ("sports", "tech", "food", "travel")
TOPIC_SENTENCES = {
    "sports": [
        "What a match last night, the defense was incredible.",
        "Training for the marathon is going well, ran 20 km today.",
        "Our team finally won the league after a tough season.",
    ],
    "tech": [
        "The new release fixed the memory leak in the parser.",
        "Anyone else seeing the build fail after the compiler upgrade?",
        "We moved the service to a new cluster and latency dropped.",
    ],
    "food": [
        "Tried a new ramen place and the broth was amazing.",
        "Baking sourdough this weekend, the starter is finally ready.",
        "This pasta recipe needs more garlic than you think.",
    ],
    "travel": [
        "Just got back from two weeks on the coast, highly recommend.",
        "The night train was cheaper than flying and much nicer.",
        "Packing light this time: one bag for ten days.",
    ],
}

# Sentences with PII slots. A slot is {ENTITY}; {TOPIC} is the post's topic word.
PII_TEMPLATES: dict[str, list[str]] = {
    "PERSON": [
        "I met {PERSON} at the meetup yesterday.",
        "Shoutout to {PERSON} for the help!",
        "{PERSON} said the deploy is blocked again.",
        "Hi, I'm {PERSON} and I love {TOPIC}.",
        "My name is {PERSON}, nice to meet you all.",
        "Please forward this to {PERSON}.",
        "Thanks {PERSON}, see you next week!",
        "According to {PERSON} the venue changed.",
        "cc {PERSON}",
        "Had lunch with {PERSON} and {PERSON} today.",
    ],
    "EMAIL_ADDRESS": [
        "Email me at {EMAIL_ADDRESS} if you want the notes.",
        "Contact: {EMAIL_ADDRESS}",
        "my address is {EMAIL_ADDRESS}, write anytime",
    ],
    "PHONE_NUMBER": [
        "Call me on {PHONE_NUMBER} after six.",
        "Phone: {PHONE_NUMBER}",
        "you can text {PHONE_NUMBER} if anything comes up",
    ],
    "CREDIT_CARD": ["Paid with card {CREDIT_CARD}, still no refund.", "my visa {CREDIT_CARD} got charged twice"],
    "IBAN": ["Send the money to {IBAN} please.", "IBAN: {IBAN}"],
    "US_SSN": ["The form asked for my SSN {US_SSN}, is that normal?", "SSN: {US_SSN}"],
    "IP_ADDRESS": ["The server at {IP_ADDRESS} keeps timing out.", "blocked {IP_ADDRESS} in the firewall"],
    "URL": ["Details here: {URL}", "I wrote about it at {URL} last week."],
    "LOCATION": [
        "I live at {LOCATION}, come by anytime.",
        "Ship it to {LOCATION} please.",
        "We moved to {CITY} last spring.",
        "Anyone from {CITY} going to the meetup?",
        "Our office address: {LOCATION}",
    ],
    "DATE_OF_BIRTH": [
        "I was born on {DATE_OF_BIRTH}.",
        "DOB: {DATE_OF_BIRTH}",
        "my birthday is {DATE_OF_BIRTH} so the cake is on me",
        "date of birth {DATE_OF_BIRTH}",
    ],
    "SECRET": [
        "oops, pushed my key {API_KEY} to the public repo",
        "config has password={PASSWORD}",
        "export API_TOKEN={API_KEY}",
        "db_password: {PASSWORD}",
        "here is the key:\n{PRIVATE_KEY}\nplease keep it safe",
    ],
}

# Sentences that look like PII but are not: the detector must leave them alone.
NEAR_MISSES = [
    "Upgraded to version {VERSION} and everything works.",
    "Order number {BAD_CARD} still shows as pending.",
    "The meeting moved to {DATE} in Room 101.",
    "The Quick Brown Fox Conference opens on Monday.",
    "Great Work Everyone, The Release Is Out.",
    "Build {VERSION} is tagged, ticket #48213 is closed.",
    "Price went up to 1,299.00 and shipping is 15.50.",
]

# How often each kind of PII sentence is drawn. The evaluation uses equal weights (every entity well
# represented); records for the demo use these, closer to real posts, where credentials are rare.
REALISTIC_WEIGHTS = {
    "PERSON": 4.0,
    "EMAIL_ADDRESS": 2.0,
    "PHONE_NUMBER": 1.0,
    "CREDIT_CARD": 0.2,
    "IBAN": 0.2,
    "US_SSN": 0.1,
    "IP_ADDRESS": 0.5,
    "URL": 1.5,
    "LOCATION": 1.5,
    "DATE_OF_BIRTH": 0.5,
    "SECRET": 0.1,
}

SLOT_ENTITY = {
    "CITY": "LOCATION",
    "API_KEY": "SECRET",
    "PASSWORD": "SECRET",
    "PRIVATE_KEY": "SECRET",
    "NAME": "PERSON",
    "FIRST_NAME": "PERSON",
    "ADDRESS": "LOCATION",
    "BIRTHDATE": "DATE_OF_BIRTH",
    "FULL_NAME": "PERSON",
    "CARD": "CREDIT_CARD",
    "SIG_ADDRESS": "LOCATION",
}

# ---- the held-out family: evaluation only ----------------------------------------------------------
# Written without reference to the detector's rules. Slots: {NAME} a person in one of several shapes,
# {FIRST_NAME}, {ADDRESS} a one-line postal address, {CITY}, {BIRTHDATE} a date of birth in one of
# several spelled-out or numeric forms, and the shared slots above.

HELDOUT_TOPIC_SENTENCES = {
    "sports": [
        "ugh, lost again in extra time. refs were blind tonight",
        "Cycling club ride is 60k on Sunday, bring two bottles.",
        "Finally broke 50 minutes for the 10k!!",
    ],
    "tech": [
        "kernel panic after the driver update, rolling back for now",
        "Is it worth migrating the monolith to microservices? Honest opinions please.",
        "The CI pipeline takes 40 minutes, which is far too long.",
    ],
    "food": [
        "made dumplings from scratch, folding them took forever",
        "Which olive oil do you use for frying? Mine smokes too fast.",
        "The farmers market had the best tomatoes of the year.",
    ],
    "travel": [
        "missed my connection, stuck at the airport for 6 hours",
        "Booked a cabin by the lake for the long weekend.",
        "Any tips for renting a car abroad? First time doing it.",
    ],
}

HELDOUT_PII_TEMPLATES: dict[str, list[str]] = {
    "PERSON": [
        "{NAME} and I are driving down together if anyone needs a lift.",
        "Big thanks to the organisers (especially {NAME}) for the snacks.",
        "attendees: {NAME}, {NAME}, {NAME}",
        "lol {FIRST_NAME} you legend",
        "Yesterday, {NAME} from accounting finally replied.",
        "Can someone tell {NAME} the Wifi is down again?",
        "So {NAME} walks in with a cake. Best Monday ever.",
        "Congrats to {NAME} on the new job!!",
        "was talking to {NAME} about {TOPIC} and she agreed",
        "Reviewer: {NAME}",
        "Written by {NAME} & {NAME}.",
        "Does anyone know if {NAME} still runs the Tuesday group?",
        "Ask {NAME}; he fixed the same thing last year.",
        "My neighbour {NAME} recommended it.",
        "Dear {NAME},",
        "Our coach, {NAME}, retires in June.",
        "{NAME}'s new place is huge.",
        "Team Lunch With {NAME} And Friends",
        "Happy birthday {FIRST_NAME}!!!",
        "{FIRST_NAME}: did the build pass on your side?",
        "Meet {NAME} (she/her), our new team lead.",
    ],
    "EMAIL_ADDRESS": [
        "ping me (email: {EMAIL_ADDRESS}) when it's merged",
        "reach out to [{EMAIL_ADDRESS}] for the slides",
        "{EMAIL_ADDRESS} is my work email, use that one.",
        "Send CVs to {EMAIL_ADDRESS}.",
        "{NAME} <{EMAIL_ADDRESS}>",
    ],
    "PHONE_NUMBER": [
        "Mobile: {PHONE_NUMBER} (evenings only)",
        "whatsapp me at {PHONE_NUMBER}!",
        "if urgent ({PHONE_NUMBER}) otherwise email",
        "{PHONE_NUMBER} is the number to call.",
        "Emergency contact: {NAME}, {PHONE_NUMBER}",
    ],
    "CREDIT_CARD": ["Card no. {CREDIT_CARD}, exp 09/27, please charge the deposit.", "why did {CREDIT_CARD} get declined??"],
    "IBAN": ["Bank details - {IBAN}, reference: rent.", "transfer to account {IBAN} (holder: {NAME})"],
    "US_SSN": ["social security number is {US_SSN}, do not share", "(SSN {US_SSN})"],
    "IP_ADDRESS": [
        "ssh into {IP_ADDRESS} and restart nginx",
        "requests from {IP_ADDRESS}, {IP_ADDRESS} and more",
        "[{IP_ADDRESS}] connection refused",
    ],
    "URL": ["Slides: <{URL}>", "check out {URL}!", "(source: {URL})"],
    "LOCATION": [
        "New address: {ADDRESS}.",
        "Party at mine, {ADDRESS}, from 8pm.",
        "package was delivered to {ADDRESS} instead of my flat",
        "{CITY} was freezing this morning.",
        "flying out of {CITY} tomorrow",
        "greetings from sunny {CITY}!",
        "I'm in {CITY} (near the station) if anyone wants coffee",
        "Return address: {ADDRESS}",
    ],
    "DATE_OF_BIRTH": [
        "born {BIRTHDATE}, in case the form asks",
        "{NAME} (b. {BIRTHDATE})",
        "D.O.B.: {BIRTHDATE}",
        "Birthdate - {BIRTHDATE}",
        "my date of birth is listed as {BIRTHDATE} but that's wrong",
        "i was born {BIRTHDATE} lol",
    ],
    "SECRET": [
        "AWS_SECRET_ACCESS_KEY={API_KEY}",
        "token: `{API_KEY}`",
        "the wifi password is {PASSWORD}",
        "login admin, pass {PASSWORD}",
        "curl -H 'Authorization: Bearer {API_KEY}' -X POST",
    ],
}

HELDOUT_NEAR_MISSES = [
    "Running Ubuntu 22.04 and Python {VERSION} on a ThinkPad.",
    "Tracking number {BAD_CARD} has not moved since Tuesday.",
    "Sprint review is on {DATE}, agenda to follow.",
    "Bought a used Ford Focus from a dealer in the next town.",
    "Microsoft Teams crashes every time I share my screen.",
    "Spring Boot or Django for a new project?",
    "Release v{VERSION} is out, see the Changelog.",
    "Error 0x80070005 in Main.java line 1042.",
    "Black Friday Deals Are Live Now!",
    "The Lord of the Rings marathon starts at 8 PM.",
    "Standup moved to 09:30 CET, Room 4.12.",
    "Invoice INV-{BAD_CARD} dated {DATE} is overdue.",
    "ISBN 978-0-13-468599-1, third edition.",
    "New Dr. Martens boots and they already hurt.",
    "Scored in the 87th minute, 3-1 final.",
    "Call of Duty servers were down all weekend.",
    "Happy Mother's Day to all the moms here.",
    "Chapter 12, Section 4.3, Page 118.",
    "Meeting ID: 845 2290 1137",
    "It hit 38.5 degrees at 14:00 on {DATE}.",
]

# Appended to some held-out posts, after a line break.
HELDOUT_SIGNATURES = [
    "— {NAME}",
    "Cheers,\n{NAME}",
    "-- \n{NAME} | {PHONE_NUMBER}",
    "thx, {FIRST_NAME}",
    "Best regards\n{NAME}\n{EMAIL_ADDRESS}",
]

# ---- the blind family: evaluation only, never looked at while changing the detector ----------------
# Written without reading the detector's code or its results; new sentences, not rephrasings of the
# families above (only their slot syntax and span conventions are shared). Keep it blind: never change
# the detector while looking at its misses on these sentences. Posts come in four styles (forum post,
# chat log with handles and timestamps, support ticket with header fields, e-mail with greeting and
# signature block). Besides the shared slots they use {CARD} (a card number plain, spaced or dashed),
# {SIG_ADDRESS} (a one-line address written as a signature would, per locale), {FULL_NAME} ({NAME}
# without the "Last, First" shape, for running text; {NAME} stays in form fields and headers) and
# slots that are never PII: {HANDLE}, {TIME}, {TIMESTAMP}, {UUID}, {SHORT_SHA}, {MAC}, {CASE_NO},
# {JOB}, {LB} and {RB} (literal braces).

BLIND_TOPIC_SENTENCES = {
    "sports": [
        "Anyone watching the derby tonight? Pub or stream?",
        "Knee is finally better, back on the bike after six weeks.",
        "Our five-a-side team needs a keeper for Thursdays.",
    ],
    "tech": [
        "Docker keeps eating my disk space and prune does nothing.",
        "Upgraded the laptop RAM and compile times halved.",
        "Has anyone got SSO working with the self-hosted wiki?",
    ],
    "food": [
        "Cast iron or nonstick for eggs? Asking for a friend.",
        "Made kimchi for the first time and the whole flat smells of it.",
        "The bakery on the corner finally does gluten-free bread.",
    ],
    "travel": [
        "Visa appointment took four hours, bring a book.",
        "Hostel was fine but the bunks were tiny.",
        "Is a rail pass still worth it for three countries?",
    ],
}

BLIND_PII_TEMPLATES: dict[str, list[str]] = {
    "PERSON": [
        "Huge kudos to {FULL_NAME} for staying late to fix the printer.",
        "Assigned to: {NAME}",
        "-> escalated to {FULL_NAME} in tier 2",
        "{FIRST_NAME} can you check the logs when you get a sec?",
        "Just spoke with {FULL_NAME} from the letting agency, no news yet.",
        "RIP to my old boss {FULL_NAME}, taught me everything I know.",
        "Anyone know a good physio? {FULL_NAME} moved away.",
        "My sister {FIRST_NAME} swears by this {TOPIC} forum.",
        "Ticket opened on behalf of {FULL_NAME}.",
        "Following up on my call with {FULL_NAME} this morning.",
        "Organised by {FULL_NAME}, hosted by {FULL_NAME}.",
        "@{FIRST_NAME} thanks, that did the trick",
        "Voted for {FULL_NAME} as treasurer, obviously.",
        "Our landlord ({FULL_NAME}) still hasn't fixed the boiler.",
        "Customer name: {NAME}",
        "> {NAME} wrote:",
        "Photo credit goes to {FIRST_NAME}.",
        "{FIRST_NAME}'s dog ate the last slice again.",
    ],
    "EMAIL_ADDRESS": [
        "Feel free to drop a line: {EMAIL_ADDRESS}",
        "Please change the contact on file from {EMAIL_ADDRESS} to {EMAIL_ADDRESS}.",
        "From: {NAME} <{EMAIL_ADDRESS}>",
        "Reply-To: {EMAIL_ADDRESS}",
        "is {EMAIL_ADDRESS} still the right inbox for refunds?",
        "I can't log in with {EMAIL_ADDRESS}, the reset link never arrives.",
        "[email me](mailto:{EMAIL_ADDRESS})",
        '{LB}"email": "{EMAIL_ADDRESS}", "verified": false{RB}',
    ],
    "PHONE_NUMBER": [
        "Tel. {PHONE_NUMBER}",
        "Best number to reach me is {PHONE_NUMBER}, mornings.",
        "Callback requested: {PHONE_NUMBER}",
        "my new number -> {PHONE_NUMBER}, the old one is dead",
        "Rang {PHONE_NUMBER} three times and nobody picked up.",
        "tap to call: tel:{PHONE_NUMBER}",
    ],
    "CREDIT_CARD": [
        "Refund should go back to {CARD}, the card I paid with.",
        "card: {CARD} / cvv on request",
        "They billed {CREDIT_CARD} twice for one order.",
    ],
    "IBAN": [
        "Please wire the deposit to IBAN {IBAN}.",
        "Account holder {FULL_NAME}, IBAN {IBAN}, BIC on request.",
        "A refund to {IBAN} would be easiest for me.",
    ],
    "US_SSN": [
        "Applicant SSN: {US_SSN}",
        "The tax form wants my social ({US_SSN}), is email safe for that?",
        "ssn {US_SSN} dob {DATE_OF_BIRTH}",
    ],
    "IP_ADDRESS": [
        "Failed login from {IP_ADDRESS} at 03:12, that was not me.",
        "client_ip={IP_ADDRESS} status=403",
        "Whitelisted {IP_ADDRESS} on the VPN and it works now.",
        "My router shows {IP_ADDRESS} as the WAN address.",
    ],
    "URL": [
        "Full write-up on my blog: {URL}",
        "[screenshot]({URL})",
        "Mirror is at {URL} until the main site is back.",
        "Go to {URL}, click Settings, then Privacy.",
    ],
    "LOCATION": [
        "Pickup only, from {ADDRESS}.",
        "Shipping address: {LOCATION}",
        "Relocating from {CITY} to {CITY} next month, any tips?",
        "Is anyone in the {CITY} area selling a road bike?",
        "The flat is at {ADDRESS}, ring twice.",
        "Born and raised in {CITY}, moved abroad at 19.",
        "Meet at {LOCATION} around noon?",
        "Billing address on the invoice is wrong, it should be {SIG_ADDRESS}.",
    ],
    "DATE_OF_BIRTH": [
        "Date of Birth (as on passport): {DATE_OF_BIRTH}",
        "Born {BIRTHDATE} and still can't cook rice.",
        "The clinic has my DOB as {BIRTHDATE} instead of {BIRTHDATE}.",
        "patient dob={DATE_OF_BIRTH}",
        "Birthday drinks on Friday! Born on {BIRTHDATE}, feeling ancient.",
    ],
    "SECRET": [
        "GITHUB_TOKEN: {API_KEY}",
        "my password is literally {PASSWORD}, changing it now",
        "Authorization: token {API_KEY}",
        "mysql -u root -p{PASSWORD} prod_db",
        'stripe_key = "{API_KEY}"',
        "pasted the deploy key by accident:\n{PRIVATE_KEY}",
        '{LB}"user": "admin", "password": "{PASSWORD}"{RB}',
    ],
}

BLIND_NEAR_MISSES = [
    "Firmware {VERSION} bricked two of our access points.",
    "Order #{BAD_CARD} was never dispatched.",
    "Request ID {UUID}, it happened again at {TIME}.",
    "Reverted to commit {SHORT_SHA} and the tests pass.",
    "Device MAC {MAC} keeps dropping off the network.",
    "Flight lands {DATE} at {TIME}, terminal 2.",
    "Apple Music And Google Drive Both Stopped Syncing",
    "Visual Studio Code froze while opening the Jupyter notebook.",
    "Case {CASE_NO} is still marked Waiting On Customer.",
    "Renewal is due {DATE}; the quote was 249.99 EUR.",
    "Score was 2-1, attendance 41,532, kick-off 19:45.",
    "Good Morning Everyone! Happy Friday!",
    "Read it on Hacker News before the Financial Times picked it up.",
    "Tesla Model Y or Ford Mustang Mach-E, which would you buy?",
    "Ports 8080 and 5432 are open, nothing else.",
    "Server time is {TIMESTAMP}, logs attached.",
    "Part no. 0471-2290-13, sold in packs of 12.",
    "Season 3 Episode 9 was the best hour of TV ever.",
    "Getting 404 Not Found when I click Download.",
]

# Framing for the four post styles; the PII in them counts like any other.
BLIND_GREETINGS = ["Hi {FIRST_NAME},", "Good afternoon {FULL_NAME},", "Hello {FULL_NAME},", "Hi all,", "Hey team,"]
BLIND_SIGNATURES = [
    "Thanks,\n{FIRST_NAME}",
    "Kind regards,\n{FULL_NAME}\n{PHONE_NUMBER}",
    "Best,\n{FULL_NAME}\n{JOB}\n{EMAIL_ADDRESS}",
    "--\n{FULL_NAME}\n{SIG_ADDRESS}\nm: {PHONE_NUMBER}",
    "~ {FIRST_NAME} ({CITY})",
    "Sent from my phone, excuse typos. {FIRST_NAME}",
    "Cheers, and thanks for the help",
]
BLIND_TICKET_SUBJECTS = [
    "Refund not received",
    "Cannot log in",
    "Wrong item delivered",
    "Account locked after password reset",
    "Question about my invoice",
]
BLIND_STYLES = (("forum", 0.4), ("chat", 0.2), ("ticket", 0.2), ("email", 0.2))
_HANDLE_WORDS = (
    ("quiet", "rusty", "lazy", "brave", "neon", "salty", "tiny", "grumpy"),
    ("falcon", "kettle", "otter", "pixel", "walrus", "biscuit", "comet", "badger"),
)

TEMPLATE_SETS = ("tuning", "heldout", "blind", "fresh", "sealed", "vault", "harbor", "quarry")
# Families in modules of their own: synth_<name>.py, each with <name>_posts(n, seed, locale_mix, ...).
_FAMILY_MODULES = frozenset({"fresh", "sealed", "vault", "harbor", "quarry"})
_PARTICLE_SURNAMES = (
    "van der Berg",
    "de la Cruz",
    "O'Connor",
    "O'Brien",
    "D'Angelo",
    "von Trapp",
    "di Maio",
    "MacDonald",
    "McAllister",
    "al-Hassan",
    "Le Roux",
    "du Pont",
    "dos Santos",
    "da Silva",
    "van Dijk",
    "de Vries",
    "ter Horst",
    "Ní Bhriain",
)
_TITLES = ("Dr.", "Dr", "Mr.", "Mrs.", "Ms.", "Prof.")


class Values:
    """Draws slot values from Faker in one locale, deterministically from `rng`."""

    def __init__(self, fakers: dict[str, Faker], rng: random.Random, name_pool: str):
        self.fakers = fakers
        self.rng = rng
        self.name_pool = name_pool

    def value(self, slot: str, loc: str) -> str:
        f = self.fakers[loc]
        r = self.rng
        match slot:
            case "PERSON":
                return self._person(f)
            case "EMAIL_ADDRESS":
                return r.choice([f.email, f.free_email, f.company_email])()
            case "PHONE_NUMBER":
                return f.phone_number()
            case "CREDIT_CARD":
                return _group(f.credit_card_number(), r)
            case "IBAN":
                return _group(f.iban(), r)
            case "US_SSN":
                return self.fakers["en_US"].ssn()
            case "IP_ADDRESS":
                return f.ipv6() if r.random() < 0.15 else r.choice([f.ipv4_public, f.ipv4_private])()
            case "URL":
                return r.choice([f.url, f.uri])()
            case "LOCATION":
                street = f.street_address().replace("\n", ", ")
                return street if r.random() < 0.4 else f"{street}, {f.postcode()} {f.city()}"
            case "CITY":
                return f.city()
            case "DATE_OF_BIRTH":
                fmt = r.choice(["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%B %d, %Y", "%d %B %Y", "%d.%m.%Y"])
                return f.date_of_birth(minimum_age=16, maximum_age=90).strftime(fmt)
            case "API_KEY":
                return _api_key(r)
            case "PASSWORD":
                return f.password(length=r.randint(10, 18), special_chars=False)
            case "PRIVATE_KEY":
                return private_key(r)
            case "VERSION":
                return ".".join(str(r.randint(0, 20)) for _ in range(r.choice([3, 4])))
            case "BAD_CARD":
                return _bad_luhn(f.credit_card_number(card_type="visa16"))
            case "DATE":
                return f.date_between("-2y", "+1y").strftime(r.choice(["%B %d, %Y", "%Y-%m-%d"]))
            case "NAME":
                return self._name(f)
            case "FIRST_NAME":
                return self._names(f, 1)[0]
            case "ADDRESS":
                return " ".join(f.address().replace("\n", ", ").split())
            case "BIRTHDATE":
                return _birthdate(f.date_of_birth(minimum_age=16, maximum_age=90), r)
            case "FULL_NAME":
                while ", " in (name := self._name(f)):
                    pass
                return name
            case "CARD":
                number = f.credit_card_number()
                cuts = (0, 4, 10, 15) if len(number) == 15 else range(0, len(number) + 4, 4)  # Amex: 4-6-5
                return r.choice(["", " ", "-"]).join(number[a:b] for a, b in zip(cuts, cuts[1:]) if number[a:b])
            case "SIG_ADDRESS":
                street = " ".join(f.street_address().split())
                if loc == "en_US":
                    return f"{street}, {f.city()}, {f.state_abbr()} {f.postcode()}"
                if loc == "en_GB":
                    return f"{street}, {f.city()} {f.postcode()}"
                return f"{street} · {f.postcode()} {f.city()}"
            case "JOB":
                return f.job()
            case "HANDLE":
                return r.choice(_HANDLE_WORDS[0]) + r.choice(_HANDLE_WORDS[1]) + str(r.randint(1, 99))
            case "TIME":
                return f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}"
            case "TIMESTAMP":
                # from the rng alone: Faker's relative dates would follow the wall clock to the second
                return (
                    f"{r.randint(2021, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
                    f"T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
                )
            case "UUID":
                return "-".join("".join(r.choice("0123456789abcdef") for _ in range(k)) for k in (8, 4, 4, 4, 12))
            case "SHORT_SHA":
                return "".join(r.choice("0123456789abcdef") for _ in range(7))
            case "MAC":
                return ":".join(f"{r.randrange(256):02X}" for _ in range(6))
            case "CASE_NO":
                return f"CS-{r.randint(1000000, 9999999)}"
            case "LB":
                return "{"
            case "RB":
                return "}"
            case "TOPIC":
                raise AssertionError("topic is filled by the caller")
        raise ValueError(f"unknown template slot {slot!r}")

    def _person(self, f: Faker) -> str:
        shape = self.rng.random()
        for _ in range(5000):
            first, last = f.first_name(), f.last_name()
            # every word: "José Carlos" and "del Castillo" are names of two words
            if self.name_pool == "unseen" and not all(is_unseen(w) for w in f"{first} {last}".replace("-", " ").split()):
                continue
            if shape < 0.7:
                return f"{first} {last}"
            if shape < 0.85:
                return first
            prefix = f.prefix() if hasattr(f, "prefix") else ""
            return f"{prefix} {first} {last}".strip()
        raise RuntimeError("no unseen name found in 5000 draws")

    def _names(self, f: Faker, k: int) -> list[str]:
        """[first, last] (k=2) or [first]; from the unseen pool always under name_pool="unseen", else
        a quarter of the time (real text is full of names no list holds)."""
        unseen = self.name_pool == "unseen" or self.rng.random() < 0.25
        for _ in range(5000):
            got = [f.first_name(), f.last_name()][:k]
            if not unseen or all(is_unseen(w) for n in got for w in n.replace("-", " ").split()):
                return got
        raise RuntimeError("no unseen name found in 5000 draws")

    def _name(self, f: Faker) -> str:
        """A person as people write one: mostly "First Last", also with a middle initial, a surname
        particle, a title, reversed, or a first name alone."""
        r = self.rng
        shape = r.random()
        first, last = self._names(f, 2)
        if shape < 0.45:
            return f"{first} {last}"
        if shape < 0.55:
            return f"{first} {r.choice(string.ascii_uppercase)}. {last}"
        if shape < 0.70:
            return f"{first} {r.choice(_PARTICLE_SURNAMES)}"
        if shape < 0.80:
            return f"{r.choice(_TITLES)} {last}"
        if shape < 0.87:
            return f"{last}, {first}"
        if shape < 0.93:
            return f"{first}-{self._names(f, 1)[0]} {last}"
        return first


def _group(number: str, r: random.Random) -> str:
    """Write a card number / IBAN in groups of four some of the time, as people do."""
    if r.random() < 0.4:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


def _birthdate(d, r: random.Random) -> str:
    day = d.day
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    month = d.strftime("%B")
    return r.choice(
        [
            f"{day} {month} {d.year}",
            f"{month} {day}{suffix}, {d.year}",
            f"{day}{suffix} of {month} {d.year}",
            f"{day} {d.strftime('%b')} {d.year}",
            d.strftime("%d/%m/%Y"),
            d.strftime("%Y-%m-%d"),
            f"{d.month}/{day}/{d.strftime('%y')}",
        ]
    )


def _bad_luhn(number: str) -> str:
    last = int(number[-1])
    return number[:-1] + str((last + 1) % 10)


def _api_key(r: random.Random) -> str:
    alnum = string.ascii_letters + string.digits
    kind = r.choice(["aws", "github", "stripe", "slack", "generic"])
    if kind == "aws":
        return "AKIA" + "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(16))
    if kind == "github":
        return "ghp_" + "".join(r.choice(alnum) for _ in range(36))
    if kind == "stripe":
        return "sk_live_" + "".join(r.choice(alnum) for _ in range(24))
    if kind == "slack":
        return (
            "xoxb-"
            + "-".join("".join(r.choice(string.digits) for _ in range(12)) for _ in range(2))
            + "-"
            + "".join(r.choice(alnum) for _ in range(24))
        )
    return "".join(r.choice("0123456789abcdef") for _ in range(40))


def fill(template: str, topic: str, values: Values, loc: str, out: PostWriter) -> None:
    """Write `template` to `out` with its slots filled ({TOPIC} is the post's topic word)."""

    def draw(slot: str) -> tuple[str | None, str]:
        if slot == "TOPIC":
            return None, topic
        entity = SLOT_ENTITY.get(slot, slot)
        return (entity if entity in FAMILY_ENTITIES else None), values.value(slot, loc).strip()

    render(template, out, draw)


def pick_locale(rng: random.Random, locale_mix: Sequence[tuple[str, float]]) -> str:
    return rng.choices([loc for loc, _ in locale_mix], weights=[w for _, w in locale_mix])[0]


def check_name_pool(name_pool: str) -> None:
    """ValueError unless `name_pool` is "any" (names as Faker draws them) or "unseen" (only names the
    shipped word lists leave out)."""
    if name_pool not in ("any", "unseen"):
        raise ValueError(f"name_pool must be 'any' or 'unseen', not {name_pool!r}")


def without_style(posts: Iterable[tuple[str, list[Span], int, str, str, str]]) -> Iterator[tuple[str, list[Span], int, str]]:
    """`(text, spans, label, locale)` of detailed posts, their style and language dropped."""
    for text, spans, label, loc, _, _ in posts:
        yield text, spans, label, loc


def draw_setting(
    rng: random.Random, locale_mix: Sequence[tuple[str, float]], local_langs: Container[str] = (), local_rate: float = 0.6
) -> tuple[str, int, str]:
    """The locale, topic label (an index into TOPICS) and language of one post: a post in a locale whose
    language has templates of its own (`local_langs`) is written in it with probability `local_rate`."""
    loc = pick_locale(rng, locale_mix)
    label = rng.randrange(len(TOPICS))
    lang = loc[:2] if loc[:2] in local_langs and rng.random() < local_rate else "en"
    return loc, label, lang


def pick_style(rng: random.Random, lang: str, styles: Sequence[tuple[str, float]], local_styles: Sequence[str]) -> str:
    """A post's style: by weight among `styles` (name, weight) in English, evenly among `local_styles` in
    the other languages."""
    if lang == "en":
        return rng.choices([s for s, _ in styles], weights=[w for _, w in styles])[0]
    return rng.choice(local_styles)


def _draw_lines(
    rng: random.Random,
    topic_line: str,
    pii_templates: dict[str, list[str]],
    near_misses: list[str],
    most: int,
    pii_rate: float,
    entity_weights: list[float],
) -> list[str]:
    """`topic_line` and 1 to `most` lines, each a PII sentence (its entity drawn with `entity_weights`)
    with probability `pii_rate`, else a near miss; shuffled."""
    entities = list(pii_templates)
    lines = [topic_line]
    for _ in range(rng.randint(1, most)):
        if rng.random() < pii_rate:
            entity = rng.choices(entities, weights=entity_weights)[0]
            lines.append(rng.choice(pii_templates[entity]))
        else:
            lines.append(rng.choice(near_misses))
    rng.shuffle(lines)
    return lines


def make_fakers(seed: int, locale_mix: Sequence[tuple[str, float]]) -> dict[str, Faker]:
    fakers = {}
    for i, loc in enumerate(sorted({loc for loc, _ in locale_mix} | {"en_US"})):
        fk = Faker(loc)
        fk.seed_instance(seed * 1000 + i)
        fakers[loc] = fk
    return fakers


def labeled_posts(
    n: int,
    seed: int,
    locale_mix: Sequence[tuple[str, float]],
    name_pool: str,
    pii_rate: float,
    weights: dict[str, float] | None = None,
    template_set: str = "tuning",
) -> Iterator[tuple[str, list[Span], int, str]]:
    """`(text, gold spans, label, locale)` per post of `template_set`; PII kinds drawn with `weights`
    (None: all equally often). ValueError for an unknown name pool or family."""
    check_name_pool(name_pool)
    if template_set not in TEMPLATE_SETS:
        raise ValueError(f"template_set must be one of {TEMPLATE_SETS}, not {template_set!r}")
    if template_set == "blind":
        yield from _blind_posts(n, seed, locale_mix, name_pool, pii_rate, weights)
        return
    if template_set in _FAMILY_MODULES:
        # imported here: these modules import this module's helpers
        module = importlib.import_module(f"evals.pii.synth_{template_set}")
        family_posts = getattr(module, f"{template_set}_posts")
        yield from family_posts(n, seed, locale_mix, name_pool, pii_rate, weights)
        return
    heldout = template_set == "heldout"
    topic_sentences = HELDOUT_TOPIC_SENTENCES if heldout else TOPIC_SENTENCES
    pii_templates = HELDOUT_PII_TEMPLATES if heldout else PII_TEMPLATES
    near_misses = HELDOUT_NEAR_MISSES if heldout else NEAR_MISSES
    rng = random.Random(seed)
    fakers = make_fakers(seed, locale_mix)
    values = Values(fakers, rng, name_pool)
    entity_weights = [1.0 if weights is None else weights.get(e, 0.0) for e in pii_templates]
    for _ in range(n):
        loc, label, _ = draw_setting(rng, locale_mix)
        topic = TOPICS[label]
        templates = _draw_lines(rng, rng.choice(topic_sentences[topic]), pii_templates, near_misses, 3, pii_rate, entity_weights)
        seps = [" "] * len(templates)
        if heldout:
            seps = [rng.choice([" ", " ", "\n", "  ", "\n\n"]) for _ in templates]
            if rng.random() < 0.2:
                templates.append(rng.choice(HELDOUT_SIGNATURES))
                seps.append(rng.choice(["\n", "\n\n"]))
        out = PostWriter()
        for i, template in enumerate(templates):
            if i:
                out.literal(seps[i])
            fill(template, topic, values, loc, out)
        yield out.text(), out.spans, label, loc


def _blind_posts(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str]]:
    """The blind family: a topic sentence and 1-4 PII or near-miss sentences, framed as a forum post,
    a chat log, a support ticket or an e-mail (see BLIND_STYLES)."""
    rng = random.Random(seed)
    fakers = make_fakers(seed, locale_mix)
    values = Values(fakers, rng, name_pool)
    entity_weights = [1.0 if weights is None else weights.get(e, 0.0) for e in BLIND_PII_TEMPLATES]
    for _ in range(n):
        loc, label, _ = draw_setting(rng, locale_mix)
        topic = TOPICS[label]
        body = _draw_lines(
            rng, rng.choice(BLIND_TOPIC_SENTENCES[topic]), BLIND_PII_TEMPLATES, BLIND_NEAR_MISSES, 4, pii_rate, entity_weights
        )
        style = pick_style(rng, "en", BLIND_STYLES, ())
        # (template, separator before it); every template goes through fill, so spans stay exact
        pieces: list[tuple[str, str]] = []
        if style == "chat":
            who = [values.value("HANDLE", loc) for _ in range(rng.randint(1, 3))]
            for i, t in enumerate(body):
                prefix = f"[{values.value('TIME', loc)}] {rng.choice(who)}: "
                pieces.append((prefix + t, "\n" if i else ""))
        else:
            if style == "ticket":
                priority = rng.choice(["Low", "Normal", "High"])
                subject = rng.choice(BLIND_TICKET_SUBJECTS)
                pieces.append((f"Ticket #{rng.randint(100000, 999999)} | Priority: {priority}\nSubject: {subject}", ""))
            elif style == "email":
                pieces.append((rng.choice(BLIND_GREETINGS), ""))
            for i, t in enumerate(body):
                if not pieces:
                    sep = ""
                elif i == 0:
                    sep = "\n\n"  # after the ticket header or the greeting
                elif not (t.endswith((".", "?", "!")) and body[i - 1].endswith((".", "?", "!"))):
                    sep = "\n"  # a field, header or code line stands on its own line
                else:
                    sep = rng.choice([" ", " ", "\n"])
                pieces.append((t, sep))
            if style in ("ticket", "email") or rng.random() < 0.25:
                pieces.append((rng.choice(BLIND_SIGNATURES), rng.choice(["\n\n", "\n"])))
        out = PostWriter()
        for template, sep in pieces:
            out.literal(sep)
            fill(template, topic, values, loc, out)
        yield out.text(), out.spans, label, loc


def generate_posts(
    n: int,
    seed: int,
    locale_mix: Sequence[tuple[str, float]] = DEFAULT_LOCALE_MIX,
    name_pool: str = "any",
    pii_rate: float = 0.75,
    template_set: str = "tuning",
) -> Iterator[tuple[str, list[Span]]]:
    """Yield `n` (text, gold spans) pairs; the same arguments always give the same posts.
    `template_set="heldout"` and `"blind"` use the evaluation-only families (see the module docstring)."""
    for text, spans, _, _ in labeled_posts(n, seed, locale_mix, name_pool, pii_rate, template_set=template_set):
        yield text, spans


def generate_records(
    n: int,
    seed: int,
    locale_mix: Sequence[tuple[str, float]] = DEFAULT_LOCALE_MIX,
    name_pool: str = "any",
    pii_rate: float = 0.5,
    weights: dict[str, float] | None = REALISTIC_WEIGHTS,
) -> Iterator[dict]:
    """Yield `n` user-post records {"user", "text", "label"} (label indexes `TOPICS`); PII kinds are
    drawn with `weights` (None: all equally often)."""
    users = Faker("en_US")
    users.seed_instance(seed + 7)
    for text, _, label, _ in labeled_posts(n, seed, locale_mix, name_pool, pii_rate, weights):
        yield {"user": users.user_name(), "text": text, "label": label}
