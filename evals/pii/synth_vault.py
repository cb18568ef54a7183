"""The "vault" evaluation family: labeled synthetic records written without reading the detector.

Written without reading the detector's code, its word lists, its configuration or any of its results;
the records, sentences and framing are new, not rephrasings of the "tuning", "heldout", "blind",
"fresh" or "sealed" families. Never change the detector while looking at its results on these posts:
the family is only worth something while nobody has tuned against it.

What a post looks like. Each post is one record of a kind a large company holds, in one of nineteen
styles (VAULT_STYLES): a customer-service call transcript (speech-to-text: lower case, no punctuation,
timed "agent:"/"caller:" turns), a clinic appointment letter or referral note, a police incident
summary or court listing, a bank card-dispute letter, a property listing with viewing notes, an
event RSVP list, a volunteer roster (tab-separated rows), podcast show notes, an order-confirmation
e-mail (shipping block over several lines), an expense report, shared-document comments (@mentions,
"+e-mail" mentions), a calendar invitation with an ICS excerpt, a git commit with trailers and diff
lines, an SQL dump (INSERT/UPDATE statements, values in single quotes), an OCR'd receipt or scanned
form (odd spacing, O/0 and l/1 confusions in the printed text), an obituary or family announcement,
genealogy notes (née, maiden names, GEDCOM birth records), an academic paper's author block
(affiliation markers, APA citations) and a sports-club membership form. About a fifth of the posts
(60% of those drawn in de_DE, fr_FR or es_ES) are written in the locale's own language
(VAULT_LOCAL: clinic letters, property listings, obituaries and membership forms in German, French
and Spanish). Every post holds one line that names its topic (the `label`) and 1-5 lines that carry
PII or only look like it.

Value shapes (see `VaultValues`, on top of the sealed family's): names in full, first only, lower
case, ALL CAPS and "Rose OKAFOR", with locale titles, doctors' titles ("Dr. med.", "Pr", "Mr" for a
surgeon), police ranks ("DC Okafor"), suffixes ("Jr.", "III", also after a comma), multi-part and
particle surnames ("van der Berg", "García Márquez", "O'Neill", "de la Fontaine"), hyphenated
surnames, initials, author forms ("Rose A. Okafor", APA "Okafor, R. A."), surname only (maiden names
after "née"/"geb."), names that are words; places as street addresses per locale (units, house names,
streets named after people: "Heinrich-Heine-Allee", "Calle Cervantes"), address blocks over two to
four lines (one LOCATION span per line, UK town and postcode on lines of their own), postcode and
town, bare towns and cities (also towns that are first names: "Nancy", "Madison"), villages, regions,
"village, region" pairs, places in prepositions ("out near X", "back in X") and lower-case places in
transcripts; phones, cards, IBANs, SSNs, IPs as in the sealed family; URLs also as map links, DOIs,
meeting links and issue links; birth dates also before 1950 (obituaries, genealogy) and in GEDCOM
form ("3 MAR 1921"); secrets as in the sealed family plus meeting links with a `pwd=` passcode.

Distractors that carry no label: call, case, incident, dispute, transaction, ARN, order, tracking,
member, DBS, MLS and receipt numbers (every card-length number among them fails the Luhn check),
RF creditor references (which pass their own mod-97 check), ORCIDs (which fail Luhn), DOIs, arXiv
IDs, ICD-10 codes, medical record numbers, drug doses, blood pressures, number plates, badge numbers,
UIDs, commit hashes, Change-Ids, ICS timestamps, time-zone names ("Europe/Berlin"), versions, masked
cards, ordinary dates (appointments, hearings, deaths, marriages, deadlines), ages, prices; and
capitalized words that are not people or places: eponymous diseases ("Crohn's disease", "Baker's
cyst", "Morbus Crohn"), pets ("Max", "Rosie"), TV shows, songs and bands with names or cities ("Ted
Lasso", "Emily in Paris", "Sweet Caroline", "Franz Ferdinand"), podcast titles ("Dinner with
Dolores"), promo codes ("SARAH20"), brands and merchants ("Tommy Hilfiger", "Wendy's", "Dijon
mustard"), clubs with cities ("Werder Bremen", "Sevilla FC"), pubs and churches ("The Duke of
Wellington", "St Mary's Church"), universities and institutes with cities or people in their names
("University of Leeds", "Max Planck Institute"), and name-words used as words ("Will do", "Mark as
resolved", "grace period", "Hope to see you").

Labeling convention: the sealed family's (see `synth_sealed`), exactly:
  - every value inserted through an upper-case slot {ENTITY} or {ENTITY.shape} gets exactly one gold
    span of that entity covering the value and nothing else (an address block: one span per line);
    lower-case slots ({call_id}, ...) and all literal template text get none, so spans never overlap
    and never include quotes, brackets, "@" or "+" mentions, "mailto:", a possessive "'s", "Bearer " or
    "password=";
  - PERSON covers the name as written, a title, rank or suffix written with it included ("Dr. med.
    Weber", "DC Okafor", "John Hale Jr."); PERSON is for people: handles, pets, show, band, brand,
    podcast, pub, church and institute names are not labeled, nor are kinship words before a name
    ("Aunt" in "Aunt Rose");
  - LOCATION covers street addresses, PO boxes, postcode-and-town, and a bare town, village or region
    used as a place where someone lives, is, works, goes, was born or is buried; a city inside a club,
    brand, show, university, time-zone or product name is not a location; a venue's name (a church,
    a hotel, a pub) is not a location, its address is;
  - an address written over several lines is one LOCATION span per line;
  - DATE_OF_BIRTH only where the text makes the date a birth date (a year-less birthday counts, a
    birth announcement's date counts; death, marriage, appointment and hearing dates do not);
  - URL means an http(s) address; a URL that carries a credential (a meeting link with `pwd=`) is one
    SECRET span over the whole URL; SECRET covers the key, token or password itself;
  - an e-mail address or URL that contains a name is only the EMAIL_ADDRESS / URL; a promo code or
    password that contains a name-word is not a PERSON.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Iterator, Sequence

from faker import Faker

from aircluster.privacy.detect.lexicon import is_unseen
from evals.pii import templates
from evals.pii.shapes import ALNUM, HEX, MONTHS, digits, fail_luhn, hms, luhn_ok
from evals.pii.synth import TOPICS, Span, draw_setting, make_fakers, pick_style, without_style
from evals.pii.synth_sealed import SealedValues, draw_lines
from evals.pii.templates import ADDRESS_LINES, Fixed, PostWriter, ends_sentence, with_fixed

# ---- English banks, one per style ---------------------------------------------------------------------
# topic: lines that set the label; pii: lines per entity; miss: lines that only look like PII.

VAULT_EN: dict[str, dict] = {
    "call": {
        "topic": {
            "sports": [
                "hi yeah i'm ringing about the gym membership i cancelled it last month and it's still coming out",
                "it's about my season ticket the app still shows last year's seat",
            ],
            "tech": [
                "my broadband drops out every evening around eight",
                "the new phone won't activate it just says sim not provisioned",
            ],
            "food": [
                "the grocery delivery came without half the items again",
                "i got charged twice for the recipe boxes this week",
            ],
            "travel": ["my suitcase didn't come off the flight on sunday", "i need to move the return date on my train booking"],
        },
        "pii": {
            "PERSON": [
                "yes the account holder is {PERSON.lower}",
                "can you put me through to {PERSON.first~low} she dealt with it last time",
                "my son {PERSON.lower} set it all up for me i'm useless with this stuff",
                "i spoke to a {PERSON.first} on tuesday and she said it was sorted",
                "it might be under {PERSON.full} or my maiden name {PERSON.last}",
                "{PERSON.full~low} yeah that's me",
            ],
            "EMAIL_ADDRESS": ["the email on it is {EMAIL_ADDRESS}", "can you send the confirmation to {EMAIL_ADDRESS} instead"],
            "PHONE_NUMBER": ["best number to call me back is {PHONE_NUMBER}", "the old number's gone it's {PHONE_NUMBER} now"],
            "CREDIT_CARD": [
                "okay the long number on the card is {CREDIT_CARD} expiry {exp}",
                "i'd rather pay now on {CREDIT_CARD} and get it over with",
            ],
            "IBAN": ["can it go back into my bank rather than the card the iban is {IBAN}"],
            "US_SSN": ["you need my social it's {US_SSN}", "for the verification my ssn is {US_SSN} yeah"],
            "IP_ADDRESS": ["the router page says the address is {IP_ADDRESS.v4} if that means anything to you"],
            "URL": ["the link in the text message goes to {URL} is that actually you lot"],
            "LOCATION": [
                "i'm at {LOCATION.casual}",
                "we're out near {LOCATION.village~low} so the signal's never been great",
                "the delivery address is {LOCATION~low}",
                "i've moved back in with my mum in {LOCATION.city~low}",
            ],
            "DATE_OF_BIRTH": ["date of birth is {DATE_OF_BIRTH.long}", "it's {DATE_OF_BIRTH.numeric} my date of birth"],
            "SECRET": ["the password i set up was {SECRET.password} if that helps"],
        },
        "miss": [
            "can i get a reference number for this call",
            "i've been on hold for forty minutes",
            "the order number is {order_no}",
            "it was {price} on the statement",
            "sorry that's my dog {pet} barking",
            "hang on let me find my glasses",
            "will you be recording this",
            "it's the {brand} one the grey one",
            "is that reference {call_ref}",
        ],
    },
    "clinic": {
        "topic": {
            "sports": [
                "Diagnosis: suspected anterior cruciate ligament rupture, right knee, after a football tackle.",
                "Reason for referral: recurrent ankle sprains in a competitive netball player.",
            ],
            "tech": [
                "Presenting complaint: bilateral wrist pain; works ten-hour days at a keyboard.",
                "Eye strain and headaches since starting a screen-heavy job in software testing.",
            ],
            "food": [
                "Follow-up of coeliac serology; strict gluten-free diet since the spring.",
                "Referral to the dietitian for a suspected peanut allergy.",
            ],
            "travel": [
                "Travel clinic: hepatitis A and typhoid vaccination before a long trip.",
                "Persistent cough since returning from a long-haul flight.",
            ],
        },
        "pii": {
            "PERSON": [
                "Patient: {PERSON.full}",
                "Re: {PERSON.caps}",
                "Referring GP: {PERSON.doctor}",
                "Seen today with her daughter, {PERSON.full}, who interpreted.",
                "I reviewed {PERSON.first} in clinic this morning.",
                "cc: {PERSON.doctor}, physiotherapy",
                "Next of kin: {PERSON.full} (husband)",
            ],
            "EMAIL_ADDRESS": ["At the patient's request, results may be e-mailed to {EMAIL_ADDRESS}."],
            "PHONE_NUMBER": [
                "Patient mobile: {PHONE_NUMBER}",
                "If you cannot attend, please ring the booking line on {PHONE_NUMBER}.",
            ],
            "CREDIT_CARD": ["Self-pay deposit taken on card {CREDIT_CARD}."],
            "IBAN": ["Private invoice payable to {IBAN}."],
            "US_SSN": ["Insurance subscriber SSN: {US_SSN}"],
            "URL": ["Patient information leaflet: {URL}", "Video consultations can be booked at {URL}."],
            "LOCATION": [
                "Patient address: {LOCATION}",
                "Please attend {clinic_name}, {LOCATION}.",
                "Lives alone in {LOCATION.village}, about an hour's drive away.",
                "Recently moved back to {LOCATION.city} to be near family.",
            ],
            "DATE_OF_BIRTH": [
                "DOB: {DATE_OF_BIRTH.numeric}",
                "{PERSON.full}, born {DATE_OF_BIRTH.long}",
                "Date of birth {DATE_OF_BIRTH.dmy}",
            ],
            "SECRET": ["Patient portal one-time password: {SECRET.password}"],
        },
        "miss": [
            "ICD-10: {icd10}",
            "Hospital no. {mrn}",
            "Appointment: {date} at {time}, Clinic {clinic_room}",
            "Medication: {drug} {dose} twice daily.",
            "BP {bp}, pulse {pulse}, BMI {bmi}.",
            "Bloods from {date} were unremarkable.",
            "Crohn's disease has been excluded.",
            "Ultrasound shows a small Baker's cyst.",
            "Please bring a list of your current medicines.",
            "Epstein-Barr serology negative.",
            "Grace period for rebooking: 48 hours.",
        ],
    },
    "incident": {
        "topic": {
            "sports": [
                "Disorder outside the stadium after the derby; two arrests.",
                "Theft of a racing bicycle from a locked rack at the leisure centre.",
            ],
            "tech": [
                "Online fraud: the victim paid for a phone that never arrived.",
                "Burglary, no forced entry; a laptop and two tablets taken.",
            ],
            "food": [
                "Overnight break-in at a takeaway; the till was taken.",
                "Complaint about a restaurant passed to the council's food-safety team.",
            ],
            "travel": [
                "Passport reported lost at the airport on arrival.",
                "Hire car damaged in a hit-and-run in a hotel car park.",
            ],
        },
        "pii": {
            "PERSON": [
                "Reporting officer: {PERSON.rank}",
                "Complainant: {PERSON.caps}",
                "The suspect, male, 30s, gave his name as {PERSON.full}.",
                "Witness {PERSON.full} saw a man leave on foot.",
                "Defendant: {PERSON.form}, represented by {PERSON.title}",
                "The victim's neighbour, {PERSON.first}, called it in.",
                "Statements taken from {PERSON.full} and {PERSON.full}.",
                "Attending: {PERSON.rank} and {PERSON.rank}",
            ],
            "EMAIL_ADDRESS": ["The victim prefers contact by e-mail: {EMAIL_ADDRESS}."],
            "PHONE_NUMBER": ["Complainant's phone: {PHONE_NUMBER}", "Called in from {PHONE_NUMBER} at {time}."],
            "CREDIT_CARD": ["The stolen card {CREDIT_CARD} was then used at two petrol stations."],
            "IBAN": ["The victim transferred the money to {IBAN}."],
            "US_SSN": ["Suspect's SSN per the booking sheet: {US_SSN}"],
            "IP_ADDRESS": ["The fraudulent orders came from IP {IP_ADDRESS}."],
            "URL": ["The fake listing was at {URL}."],
            "LOCATION": [
                "Location of offence: {LOCATION}",
                "Suspect last seen heading towards {LOCATION.city}.",
                "Victim's home address: {LOCATION}",
                "The vehicle was found abandoned out near {LOCATION.village}.",
            ],
            "DATE_OF_BIRTH": ["Suspect DOB: {DATE_OF_BIRTH.numeric}", "Victim: {PERSON.full} (DOB {DATE_OF_BIRTH.dmy})"],
        },
        "miss": [
            "Crime ref: {crime_ref}",
            "Vehicle reg {plate}",
            "Offence code {offence_code}",
            "Time of offence: between {time} and {time}.",
            "Body-worn video: camera {bwv}",
            "Next hearing: {date}.",
            "Case {court_case} adjourned.",
            "CCTV requested from the corner shop.",
            "No injuries reported.",
            "Property: {brand} watch, value {price}.",
            "Officer badge {badge}.",
        ],
    },
    "dispute": {
        "topic": {
            "sports": [
                "I was charged for a gym membership after I had cancelled it.",
                "The ticket agency charged me twice for one football ticket.",
            ],
            "tech": [
                "I paid for a software subscription that was never activated.",
                "A phone repair shop took payment but never fixed the screen.",
            ],
            "food": [
                "A restaurant added a service charge I had not agreed to.",
                "The meal-kit company kept charging me after I cancelled.",
            ],
            "travel": [
                "The airline cancelled my flight and refuses to refund the fare.",
                "A hotel charged a no-show fee although I cancelled in time.",
            ],
        },
        "pii": {
            "PERSON": [
                "Cardholder name: {PERSON.caps}",
                "The merchant's representative, {PERSON.full}, promised a refund by phone.",
                "Account holder: {PERSON.title}",
                "This is a joint account with {PERSON.full}.",
                "I am writing on behalf of my father, {PERSON.suffix}.",
            ],
            "EMAIL_ADDRESS": ["The merchant replied once from {EMAIL_ADDRESS} and then stopped answering."],
            "PHONE_NUMBER": ["You can reach me during the day on {PHONE_NUMBER}."],
            "CREDIT_CARD": ["Card number: {CREDIT_CARD}", "The charge appeared on my card {CREDIT_CARD} on {date}."],
            "IBAN": [
                "Please credit the amount to my current account {IBAN}.",
                "The merchant asked me to pay the balance to {IBAN} instead.",
            ],
            "US_SSN": ["Social Security number (for identity verification): {US_SSN}"],
            "IP_ADDRESS": ["I have never logged in from {IP_ADDRESS}; that session was not me."],
            "URL": ["The merchant's cancellation page is {URL}."],
            "LOCATION": ["Statement address: {LOCATION}", "I was at home in {LOCATION.city} when the card was used abroad."],
            "DATE_OF_BIRTH": ["Date of birth (for security): {DATE_OF_BIRTH}"],
            "SECRET": ["The caller asked for my online banking password and I gave them {SECRET.password} before I realised."],
        },
        "miss": [
            "Transaction date: {date}, amount {price}",
            "Merchant: {merchant}",
            "ARN {arn}",
            "Card ending {last4}",
            "Authorisation code {auth_code}",
            "Reason code 13.1 (merchandise not received)",
            "Receipts and e-mails attached (4 pages).",
            "My card has not been lost or stolen.",
            "Payment reference {rf_ref}",
        ],
    },
    "property": {
        "topic": {
            "sports": [
                "Five minutes' walk to the tennis club and a floodlit five-a-side pitch.",
                "Double garage with room for two bikes and a rowing machine.",
            ],
            "tech": ["Fibre broadband to the door, up to 1 Gbps.", "The loft is wired as a home office with network points."],
            "food": [
                "Kitchen with a range cooker and a walk-in pantry.",
                "Large garden with raised vegetable beds and a fig tree.",
            ],
            "travel": ["Ten minutes from the motorway, 25 from the airport.", "Two stops from the main-line station."],
        },
        "pii": {
            "PERSON": [
                "Vendor: {PERSON.title}",
                "Viewing conducted by {PERSON.first} ({agency})",
                "Viewers: {PERSON.full} and {PERSON.full}, first-time buyers",
                "Negotiator: {PERSON.full}",
                "The seller, {PERSON.full}, is moving abroad and wants a quick sale.",
            ],
            "EMAIL_ADDRESS": ["Viewings by appointment: {EMAIL_ADDRESS}."],
            "PHONE_NUMBER": ["Call {PHONE_NUMBER} to book a viewing.", "Buyer's phone: {PHONE_NUMBER}"],
            "IBAN": ["Holding deposit payable to {IBAN}."],
            "US_SSN": ["Buyer SSN for the mortgage pre-approval: {US_SSN}"],
            "URL": ["Virtual tour: {URL}", "Map: {URL.maps}"],
            "LOCATION": [
                "Property address: {LOCATION}",
                "{LOCATION.street}, a quiet cul-de-sac.",
                "Out near {LOCATION.village}, about ten minutes' drive from {LOCATION.city}.",
                "The buyers are currently renting in {LOCATION.city}.",
                "Set in {LOCATION.region}, close to the coast.",
            ],
            "DATE_OF_BIRTH": ["Buyer 1 date of birth (for the AML check): {DATE_OF_BIRTH}"],
        },
        "miss": [
            "Council tax band {tax_band}. EPC rating {epc}.",
            "Ref {mls}",
            "Guide price {house_price}",
            "{sqm} m² over two floors.",
            "Chain free.",
            "Freehold, {beds} bedrooms, {baths} bathrooms.",
            "Offers in the region of {house_price}.",
            "Built in {year_old}.",
            "Agent: {agency}",
            "Hope to see you at the open house on {date}.",
        ],
    },
    "rsvp": {
        "topic": {
            "sports": [
                "Theme: garden party with croquet and a kickabout for the kids.",
                "Dress code: club colours, it's the rugby club's centenary.",
            ],
            "tech": [
                "There's a livestream for remote guests, link sent separately.",
                "The photo booth prints straight to the guests' phones.",
            ],
            "food": ["Menu choice: beef, salmon or mushroom risotto.", "Hog roast plus a vegan grazing table."],
            "travel": [
                "Coach from the station at 13:30 and back at midnight.",
                "Guests flying in: the hotel block is held until the end of the month.",
            ],
        },
        "pii": {
            "PERSON": [
                "{PERSON.full} + {PERSON.first} — yes, 2 × beef",
                "{PERSON.full}, {PERSON.full} and {PERSON.first}: coming, table {table}",
                "{PERSON.title} — sadly no",
                "{PERSON.word} — yes, vegetarian",
                "{PERSON.lower} (plus one tbc)",
                "The {PERSON.last} family (4) — yes, one child's meal",
                "{PERSON.suffix} — maybe",
                "{PERSON.particle} & {PERSON.full} — yes",
            ],
            "EMAIL_ADDRESS": ["Reply from {EMAIL_ADDRESS}: yes to the evening only"],
            "PHONE_NUMBER": ["{PERSON.first} said yes by text from {PHONE_NUMBER}"],
            "IBAN": ["Honeymoon fund instead of gifts: {IBAN}"],
            "URL": ["Gift list: {URL}", "Photos from the day: {URL.short}"],
            "LOCATION": [
                "Venue: {venue}, {LOCATION}",
                "Travelling down from {LOCATION.city}, staying over",
                "Thank-you card to: {LOCATION}",
                "Driving back to {LOCATION.cityregion} the same night",
            ],
            "DATE_OF_BIRTH": ["The guest of honour was born on {DATE_OF_BIRTH.long}, hence the candles."],
            "SECRET": ["Wi-Fi at the venue: {SECRET.password}"],
        },
        "miss": [
            "Table {table}: 8 seats, 2 high chairs",
            "Dietary: 3 vegan, 1 coeliac, 2 nut allergies",
            "RSVP deadline {date}",
            "First dance: '{song}'",
            "Band: {band_name}",
            "Totals: {yes_count} yes, {no_count} no, 9 still to reply",
            "Summer party playlist is done.",
        ],
    },
    "roster": {
        "topic": {
            "sports": ["Event: junior football tournament, 16 teams", "Event: parkrun, course set-up from 8am"],
            "tech": ["Event: repair café, bring broken laptops and phones", "Event: coding club for 11–14 year olds"],
            "food": ["Event: food bank sorting and deliveries", "Event: community kitchen, soup for 60"],
            "travel": ["Event: station help desk during the rail strike", "Event: heritage walks for visiting groups"],
        },
        "pii": {
            "PERSON": [
                "{shift}\t{PERSON.full}\t—\t{role}",
                "{shift}\t{PERSON.first} + {PERSON.first}\t—\t{role}",
                "{shift}\t{PERSON.form}\t\t{role} (lead)",
                "{shift}\t{PERSON.caps}\t—\t{role}",
            ],
            "EMAIL_ADDRESS": ["{shift}\t{PERSON.first}\t{EMAIL_ADDRESS}\t{role}"],
            "PHONE_NUMBER": ["{shift}\t{PERSON.full}\t{PHONE_NUMBER}\t{role}"],
            "IBAN": ["Mileage repaid to {IBAN}"],
            "URL": ["Sign-up sheet: {URL}"],
            "LOCATION": [
                "{shift}\t{PERSON.full}\tdrives in from {LOCATION.city}\tdriver",
                "Meeting point: {LOCATION}",
                "{shift}\t{PERSON.first}\tcollects from {LOCATION.street}\tvan",
            ],
            "DATE_OF_BIRTH": ["{shift}\t{PERSON.full} (under 18, born {DATE_OF_BIRTH.child})\t—\tneeds a buddy"],
            "SECRET": ["Shared inbox login: volunteers / {SECRET.password}"],
        },
        "miss": [
            "{shift}\t(unfilled)\t\t{role}",
            "{shift}\tTBC\t\t{role}",
            "DBS certificate {dbs_no} checked",
            "Hi-vis vests: 14, radios: 6 (channel {channel_no})",
            "Total hours this month: {hours}",
            "{shift}\tMark as filled once confirmed\t\t{role}",
        ],
    },
    "podcast": {
        "topic": {
            "sports": [
                "This week: how amateur cyclists train through the winter.",
                "We break down the transfer window and what it means for the title race.",
            ],
            "tech": [
                "We talk about running a home server without losing your weekends.",
                "Why every small business now needs a password manager.",
            ],
            "food": [
                "Our guest explains fermentation, from sauerkraut to kombucha.",
                "Blind-tasting supermarket olive oils, with surprising results.",
            ],
            "travel": [
                "Slow travel: crossing a continent without a single flight.",
                "What to pack for a month of hiking, and what to leave behind.",
            ],
        },
        "pii": {
            "PERSON": [
                "Guest: {PERSON.full}, {job}",
                "Hosted by {PERSON.first} and {PERSON.full}",
                "Produced by {PERSON.full}; edited by {PERSON.initial}.",
                "{timestamp} — {PERSON.first} on why she quit her job",
                "Listener mail from {PERSON.lower}, who wins a mug",
                "Thanks to our new patrons {PERSON.full}, {PERSON.first} and {PERSON.full}!",
            ],
            "EMAIL_ADDRESS": ["Send us your questions: {EMAIL_ADDRESS}", "Booking enquiries: {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ["Leave us a voicemail on {PHONE_NUMBER}."],
            "IBAN": ["Support the show by bank transfer: {IBAN}"],
            "URL": ["{PERSON.possessive}'s book: {URL}", "Full transcript: {URL}", "Support the show: {URL.short}"],
            "LOCATION": [
                "Recorded live at {venue} in {LOCATION.city}.",
                "{PERSON.first} joins us from {LOCATION.city}, where it's 3am.",
                "Postcards to {LOCATION.pobox}, please!",
                "Next live show: back in {LOCATION.city} in the spring.",
            ],
            "DATE_OF_BIRTH": ["Happy birthday to our producer {PERSON.first}, born {DATE_OF_BIRTH.long}!"],
            "SECRET": ["(Last week's notes had our Patreon API key {SECRET.token} in them; it has been revoked.)"],
        },
        "miss": [
            "{timestamp} Intro",
            "{timestamp} Listener questions",
            "Sponsor: use code {promo} for 20% off at {brand}",
            "Music: '{song}' by {band_name}",
            "Next week: part two.",
            "Episode {episode} is out on {date}.",
            "Mentioned: {tv_show}, {brand} and far too much coffee.",
            "Subscribe to {podcast} wherever you listen.",
        ],
    },
    "order": {
        "topic": {
            "sports": ["1 × Trail running shoes, size 42 — {price}", "1 × Yoga mat, 6 mm, teal — {price}"],
            "tech": ["1 × USB-C docking station — {price}", "2 × Keyboard switches (pack of 90) — {price}"],
            "food": ["1 × Cast-iron skillet, 28 cm — {price}", "3 × Single-origin coffee beans, 1 kg — {price}"],
            "travel": ["1 × Carry-on suitcase, 55 cm — {price}", "1 × Universal travel adapter — {price}"],
        },
        "pii": {
            "PERSON": [
                "Gift message: Happy birthday {PERSON.first}! Love, {PERSON.first}",
                "Ordered by: {PERSON.full}",
                "Gift recipient: {PERSON.full}",
            ],
            "EMAIL_ADDRESS": ["A receipt has been sent to {EMAIL_ADDRESS}.", "Questions? Reply to {EMAIL_ADDRESS}."],
            "PHONE_NUMBER": ["The courier will text {PHONE_NUMBER} on the day."],
            "CREDIT_CARD": ["Payment: {card_brand} {CREDIT_CARD}"],
            "IBAN": ["Pay by bank transfer within 7 days to {IBAN}, reference {order_no}."],
            "IP_ADDRESS": ["Order placed from {IP_ADDRESS} (if this wasn't you, contact us)."],
            "URL": ["Track your parcel: {URL}", "Manage your order: {URL}"],
            "LOCATION": [
                "Shipping address:\n{PERSON.full}\n{LOCATION.block}",
                "Billing address on file: {LOCATION}",
                "Click & Collect at our {LOCATION.city} store",
                "Deliver to:\n{LOCATION.block}",
            ],
            "DATE_OF_BIRTH": ["Age-restricted item: date of birth {DATE_OF_BIRTH} verified."],
            "SECRET": ["Your temporary account password: {SECRET.password}"],
        },
        "miss": [
            "Subtotal {price} · Shipping {price} · Total {price}",
            "Estimated delivery: {date}",
            "Tracking number: {tracking}",
            "Paid with card ending {last4}",
            "Item {sku}, sold by {shop}",
            "VAT included.",
            "Return code {return_no}",
            "Also bought: {brand_product}",
        ],
    },
    "expense": {
        "topic": {
            "sports": ["Purpose: sponsorship meeting at the football club.", "Purpose: team-building climbing session."],
            "tech": ["Purpose: cloud security conference.", "Purpose: replacing a laptop charger on a client site."],
            "food": ["Purpose: client dinner to close the catering contract.", "Purpose: kitchen equipment trade fair."],
            "travel": ["Purpose: site visits, three nights away.", "Purpose: scouting trip for the new office."],
        },
        "pii": {
            "PERSON": [
                "Employee: {PERSON.form}",
                "Approver: {PERSON.title}",
                "Dinner with {PERSON.full} ({company}) and {PERSON.full}",
                "Taxi shared with {PERSON.first} from the sales team",
                "Claimant: {PERSON.full}",
            ],
            "EMAIL_ADDRESS": ["Receipts forwarded from {EMAIL_ADDRESS}."],
            "PHONE_NUMBER": ["Roaming charges on {PHONE_NUMBER} reimbursed"],
            "CREDIT_CARD": ["Paid on corporate card {CREDIT_CARD}", "Personal card used by mistake: {CREDIT_CARD}"],
            "IBAN": ["Reimburse to {IBAN}"],
            "US_SSN": ["Payee SSN (contractor, for the 1099): {US_SSN}"],
            "URL": ["Receipt images: {URL}"],
            "LOCATION": [
                "Mileage: {LOCATION.city} to {LOCATION.city}, {miles} miles",
                "Lodging: {hotel}, {LOCATION}",
                "Mileage starts from home: {LOCATION}",
                "Client site: {LOCATION}",
            ],
            "SECRET": ["Card portal password reset to {SECRET.password}"],
        },
        "miss": [
            "{date}\t{merchant}\t{exp_category}\t{amount}",
            "Cost centre {cost_centre}, project {project_code}",
            "Per diem: 3 × {amount}",
            "Converted at 1.17.",
            "No receipt for the parking, declaration attached.",
            "Total claimed: {amount}",
            "Will submit the hotel folio separately.",
        ],
    },
    "comments": {
        "topic": {
            "sports": ["Can we double-check the fixture dates in section 2?", "The league table screenshot is out of date."],
            "tech": ["This paragraph on rate limits needs a diagram.", "Should the migration plan mention rollback?"],
            "food": ["The allergen table is missing sesame.", "Let's move the tasting notes to the appendix."],
            "travel": ["The itinerary has the ferry and the train swapped.", "Per diem rates for the trip need updating."],
        },
        "pii": {
            "PERSON": [
                "@{PERSON.full} can you take a look at this?",
                "Assigned to {PERSON.full}",
                "Agree with {PERSON.word} here.",
                "Resolved by {PERSON.initial}",
                "Suggested by {PERSON.lower}",
                "{PERSON.possessive}'s figures don't match mine.",
                "@{PERSON.first} @{PERSON.first} thoughts?",
            ],
            "EMAIL_ADDRESS": ["+{EMAIL_ADDRESS} FYI", "Shared with {EMAIL_ADDRESS} (can comment)"],
            "PHONE_NUMBER": ["Call me on {PHONE_NUMBER} if it's quicker."],
            "IBAN": ["The vendor's bank details in the appendix are wrong, it should be {IBAN}."],
            "URL": ["Source for this claim: {URL}", "See the earlier draft: {URL}"],
            "LOCATION": [
                "The workshop venue is now {LOCATION}.",
                "Shouldn't this say {LOCATION.city} rather than head office?",
                "Customer is based in {LOCATION.cityregion}.",
            ],
            "DATE_OF_BIRTH": ["Please redact this: the candidate's DOB ({DATE_OF_BIRTH}) shouldn't be in the doc."],
            "SECRET": ["Take the key out of the doc: {SECRET.token}", "No passwords in comments please! ({SECRET.password})"],
        },
        "miss": [
            "Typo: 'recieve'.",
            "Fixed in v{version}.",
            "Mark as resolved?",
            "See row {row} in the sheet.",
            "Changed 'Q{quarter}' to 'H2'.",
            "Linked ticket {jira}",
            "Nice work everyone 🎉",
            "Will do.",
            "@{handle} can you check the numbers?",
        ],
    },
    "calendar": {
        "topic": {
            "sports": ["Agenda: kit order and the tournament draw.", "Agenda: coaching rota for the spring league."],
            "tech": ["Agenda: incident review for last week's outage.", "Agenda: sprint planning and backlog."],
            "food": ["Agenda: menu tasting with the caterer.", "Agenda: kitchen refit quotes."],
            "travel": ["Agenda: offsite logistics and rooms.", "Agenda: visa paperwork for the conference trip."],
        },
        "pii": {
            "PERSON": [
                "Organizer: {PERSON.full}",
                "Guests: {PERSON.full}, {PERSON.full}, {PERSON.first}",
                "Optional: {PERSON.title}",
                "{PERSON.full} declined: on leave that week.",
                "{PERSON.full} proposed a new time.",
            ],
            "EMAIL_ADDRESS": ["Guests: {EMAIL_ADDRESS}, {EMAIL_ADDRESS}", "Reply to {EMAIL_ADDRESS} if you can't make it."],
            "PHONE_NUMBER": ["Join by phone: {PHONE_NUMBER}, meeting ID {teams_id}"],
            "IP_ADDRESS": ["Connect to the VPN ({IP_ADDRESS.v4}) before joining."],
            "URL": ["Join online: {URL.meet}", "Pre-read: {URL}"],
            "LOCATION": [
                "Where: {LOCATION}",
                "Where: {venue}, {LOCATION}",
                "Meet in the lobby, then walk over to {LOCATION.street}.",
            ],
            "DATE_OF_BIRTH": ["Birthday lunch for {PERSON.first} (born {DATE_OF_BIRTH.dm})"],
            "SECRET": ["Join: {SECRET.zoom}", "Guest Wi-Fi: {SECRET.password}"],
        },
        "miss": [
            "Room {room_no} (seats 12)",
            "Time zone: {tz}",
            "Repeats every 2 weeks on {weekday}",
            "Reminder: 15 minutes before",
            "This event has been changed.",
            "Calendar: Team",
            "Grace period for late joiners: 5 minutes.",
        ],
    },
    "commit": {
        "topic": {
            "sports": [
                "    Fix the league-table sort when two teams are level on points",
                "    Add live-score polling for the cup fixtures page",
            ],
            "tech": ["    Bump the HTTP client and drop the retry shim", "    Handle expired tokens in the sync worker"],
            "food": ["    Recipe import: parse fractions like 1½ in ingredients", "    Menu API: return allergens as a list"],
            "travel": [
                "    Fare cache: expire entries after the timetable change",
                "    Seat map: fix the off-by-one on row numbers",
            ],
        },
        "pii": {
            "PERSON": [
                "    Co-authored-by: {PERSON.full} <{EMAIL_ADDRESS}>",
                "    Signed-off-by: {PERSON.full} <{EMAIL_ADDRESS}>",
                "    Reported-by: {PERSON.full}",
                "    Reviewed-by: {PERSON.particle} <{EMAIL_ADDRESS}>",
                "{PERSON.full} commented: LGTM once CI is green",
                "    Thanks to {PERSON.first} for spotting this in production.",
            ],
            "EMAIL_ADDRESS": ["    Cc: {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ['-ONCALL_NUMBER = "{PHONE_NUMBER.e164}"'],
            "CREDIT_CARD": ['+TEST_CARD = "{CREDIT_CARD.plain}"  # a real card, remove before merge'],
            "IBAN": ['+PAYOUT_IBAN = "{IBAN.plain}"'],
            "US_SSN": ['+    ssn = "{US_SSN}"  # TODO remove'],
            "IP_ADDRESS": ['+ALLOWED_HOSTS = ["{IP_ADDRESS.v4}", "localhost"]', "    Block scraping from {IP_ADDRESS}"],
            "URL": ["    See {URL}", "    Fixes: {URL.issue}"],
            "LOCATION": ['+    "address": "{LOCATION}",', "    Default pickup point is now the office in {LOCATION.city}"],
            "DATE_OF_BIRTH": ["+  birth_date: {DATE_OF_BIRTH.iso}  # fixture copied from prod, oops"],
            "SECRET": [
                '+STRIPE_KEY = "{SECRET.token}"',
                "-    password: {SECRET.password}",
                "{PERSON.full} commented: this commits a live key ({SECRET.token}), please rotate it",
            ],
        },
        "miss": [
            "    Change-Id: I{sha40}",
            "    Refs: #{pr}",
            "diff --git a/{path} b/{path}",
            "index {short_sha}..{short_sha} 100644",
            "@@ -{line},7 +{line},9 @@",
            "    Bump version to {version}",
            "    Merge branch 'release/{version}'",
            "+    timeout_ms = 30000",
            "{handle} approved these changes",
        ],
    },
    "sql": {
        "topic": {
            "sports": ["-- table: club_members (football club)", "-- table: race_entries (10k spring series)"],
            "tech": ["-- table: beta_signups (desktop app)", "-- table: support_tickets (helpdesk)"],
            "food": ["-- table: catering_orders (canteen)", "-- table: restaurant_bookings"],
            "travel": ["-- table: bookings (tour operator)", "-- table: passengers (airport shuttle)"],
        },
        "pii": {
            "PERSON": [
                "INSERT INTO customers (id, full_name, created_at) VALUES ({row_id}, '{PERSON.full}', '{ts_sql}');",
                "INSERT INTO contacts VALUES ({row_id}, '{PERSON.first}', '{PERSON.last}', NULL);",
                "UPDATE users SET display_name = '{PERSON.caps}' WHERE id = {row_id};",
            ],
            "EMAIL_ADDRESS": ["INSERT INTO users (id, email, verified) VALUES ({row_id}, '{EMAIL_ADDRESS}', 1);"],
            "PHONE_NUMBER": ["INSERT INTO contacts (id, phone) VALUES ({row_id}, '{PHONE_NUMBER}');"],
            "CREDIT_CARD": ["INSERT INTO payments (id, pan, status) VALUES ({row_id}, '{CREDIT_CARD.plain}', 'settled');"],
            "IBAN": ["INSERT INTO payouts (id, iban, amount) VALUES ({row_id}, '{IBAN.plain}', {amount});"],
            "US_SSN": ["INSERT INTO applicants (id, ssn) VALUES ({row_id}, '{US_SSN}');"],
            "IP_ADDRESS": ["INSERT INTO sessions (id, ip, user_agent) VALUES ('{uuid}', '{IP_ADDRESS}', 'Mozilla/5.0');"],
            "URL": ["INSERT INTO profiles (id, website) VALUES ({row_id}, '{URL}');"],
            "LOCATION": [
                "INSERT INTO addresses (id, line1, city) VALUES ({row_id}, '{LOCATION.street}', '{LOCATION.city}');",
                "UPDATE orders SET ship_to = '{LOCATION}' WHERE id = {row_id};",
            ],
            "DATE_OF_BIRTH": ["INSERT INTO members (id, dob) VALUES ({row_id}, '{DATE_OF_BIRTH.iso}');"],
            "SECRET": [
                "INSERT INTO api_keys (id, secret) VALUES ({row_id}, '{SECRET.token}');",
                "ALTER USER reporting WITH PASSWORD '{SECRET.password}';",
            ],
        },
        "miss": [
            "INSERT INTO orders (id, total, status) VALUES ({row_id}, {amount}, '{status}');",
            "SELECT COUNT(*) FROM {sql_table};",
            "-- {rows} rows affected",
            "CREATE INDEX idx_created ON {sql_table} (created_at);",
            "INSERT INTO products (sku, name) VALUES ('{sku}', '{brand_product}');",
            "INSERT INTO audit (id, event, at) VALUES ('{uuid}', 'login', '{ts_sql}');",
        ],
    },
    "receipt": {
        "topic": {
            "sports": ["1x RUNNING SOCKS 3PK      12.99", "SWIM CAP SILICONE          6.50"],
            "tech": ["USB-C CABLE 2M             9.99", "HDMI ADAPTER              14.99"],
            "food": ["SOURDOUGH LOAF             3.20", "OAT MILK 1L x2             3.58"],
            "travel": ["TRAVEL PILLOW             15.00", "LUGGAGE TAG x2             4.00"],
        },
        "pii": {
            "PERSON": [
                "CASHIER: {PERSON.first~up}",
                "Served by {PERSON.caps}",
                "CARDHOLDER {PERSON.upper}",
                "Customer name: {PERSON.full}",
            ],
            "EMAIL_ADDRESS": ["e-receipt sent to {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ["TEL {PHONE_NUMBER}", "Store phone {PHONE_NUMBER}"],
            "CREDIT_CARD": ["CARD NO {CREDIT_CARD}", "VISA   {CREDIT_CARD}"],
            "IBAN": ["IBAN   {IBAN}"],
            "US_SSN": ["SSN   {US_SSN}"],
            "URL": ["Tell us how we did: {URL}"],
            "LOCATION": ["{LOCATION.upper}", "{LOCATION.block}", "Delivered to: {LOCATION}"],
            "DATE_OF_BIRTH": ["Date of Birth   {DATE_OF_BIRTH.numeric}", "D.O.B  {DATE_OF_BIRTH}"],
            "SECRET": ["WIFI PASSWORD: {SECRET.password}"],
        },
        "miss": [
            "SUBTOTAL   {amount}",
            "VAT 20%   {amount}",
            "AUTH CODE {auth_code}",
            "ST# {store_no} OP# {op_no} TE# 14 TR# {tr_no}",
            "AID {aid}",
            "************{last4}",
            "THANK YOU FOR SHOPPING WITH US",
            "{date} {time}",
            "Receipt no. {receipt_no}",
            "CHANGE DUE 0.00",
            "Barcode {ean}",
        ],
    },
    "obituary": {
        "topic": {
            "sports": [
                "A lifelong supporter of the town's rugby club, he never missed a home game.",
                "She ran her last marathon at seventy-two.",
            ],
            "tech": [
                "An engineer who set up the town's first computer club.",
                "He repaired radios and televisions for half a century.",
            ],
            "food": ["She ran the village bakery for forty years.", "His Sunday roasts were legendary."],
            "travel": ["A keen traveller who saw every continent.", "Every summer she drove a camper van around the coast."],
        },
        "pii": {
            "PERSON": [
                "{PERSON.full} ({PERSON.nick}), peacefully, on {date}, aged {age_old}.",
                "Beloved wife of {PERSON.full}, mother of {PERSON.first}, {PERSON.first} and {PERSON.first}.",
                "{PERSON.full}, née {PERSON.last}, died at home.",
                "Survived by her sister {PERSON.full} and brother-in-law {PERSON.suffix}.",
                "Predeceased by her husband, {PERSON.title}.",
                "The family thanks {PERSON.doctor} and the hospice nurses.",
                "{PERSON.upper}",
            ],
            "EMAIL_ADDRESS": ["Memories and photos to {EMAIL_ADDRESS}."],
            "PHONE_NUMBER": ["Family flowers only; enquiries to {PHONE_NUMBER}."],
            "IBAN": ["Donations in lieu of flowers to the hospice, {IBAN}."],
            "URL": ["Online condolences: {URL}", "The service will be streamed at {URL}."],
            "LOCATION": [
                "Born in {LOCATION.village}, she moved to {LOCATION.city} after the war.",
                "Funeral service at {church}, {LOCATION}, on {date} at {time}.",
                "Formerly of {LOCATION.cityregion}.",
                "He will be laid to rest back in {LOCATION.village}.",
            ],
            "DATE_OF_BIRTH": [
                "Born {DATE_OF_BIRTH.long}, died {date}.",
                "{PERSON.full} ({DATE_OF_BIRTH.old} – {old_date})",
                "{PERSON.first} arrived on {DATE_OF_BIRTH.child}, weighing 3.4 kg.",
            ],
        },
        "miss": [
            "Aged {age_old}.",
            "Service on {date} at {time}.",
            "Donations to the {charity}.",
            "Rest in peace.",
            "No flowers by request.",
            "Interment private.",
            "Refreshments afterwards at {pub}.",
            "Arrangements by {funeral_home}.",
        ],
    },
    "genealogy": {
        "topic": {
            "sports": [
                "Family story: great-grandad kept goal for the works team.",
                "Research aim: the cycling club's membership books from the 1930s.",
            ],
            "tech": [
                "Research aim: which branch ran the telegraph office?",
                "The 1911 census scan is illegible; order the microfilm.",
            ],
            "food": ["Family story: the bakery was sold in 1952.", "Her handwritten recipe book lists the shop's suppliers."],
            "travel": [
                "Family story: they emigrated by ship in the spring of 1907.",
                "Research aim: passenger lists for the 1920s crossings.",
            ],
        },
        "pii": {
            "PERSON": [
                "{PERSON.full}, née {PERSON.last}, married {PERSON.full} in {year_old}.",
                "Children: {PERSON.first}, {PERSON.first} and {PERSON.first} (twins?)",
                "Maiden name {PERSON.last}, per the marriage certificate.",
                "Godparents: {PERSON.full} and {PERSON.title}",
                "{PERSON.caps} (first cousin, twice removed)",
                "Ask Aunt {PERSON.first} about the photo album.",
            ],
            "EMAIL_ADDRESS": ["Cousin researching the same line: {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ["The local history society's archivist can be reached on {PHONE_NUMBER}."],
            "URL": ["Record: {URL}", "Scan of the parish register: {URL}"],
            "LOCATION": [
                "Living at {LOCATION} in the 1939 register.",
                "Baptised in {LOCATION.village}, the next parish over.",
                "The family farm was out near {LOCATION.cityregion}.",
                "Moved back to {LOCATION.city} after the divorce.",
                "1 RESI\n2 PLAC {LOCATION.cityregion}",
            ],
            "DATE_OF_BIRTH": [
                "b. {DATE_OF_BIRTH.old} in {LOCATION.village}",
                "Birth certificate: born {DATE_OF_BIRTH.old}, father a miner.",
                "{PERSON.full} (b. {DATE_OF_BIRTH.old}, d. {old_date})",
                "1 BIRT\n2 DATE {DATE_OF_BIRTH.gedcom}\n2 PLAC {LOCATION.village}",
            ],
        },
        "miss": [
            "Census ref {census_ref}",
            "FamilySearch ID {fs_id}",
            "d. {old_date}, buried in the churchyard.",
            "Married {old_date}; banns read three times.",
            "Occupation: {old_job}.",
            "Source: parish register, vol. {vol}, p. {page}.",
            "DNA match: {cm} cM shared, probably a second cousin.",
            "1 DEAT\n2 DATE {gedcom_date}",
            "1 MARR\n2 DATE {gedcom_date}",
        ],
    },
    "paper": {
        "topic": {
            "sports": [
                "Abstract — We model sprint fatigue in professional football from tracking data.",
                "Keywords: injury prediction, cycling, training load",
            ],
            "tech": [
                "Abstract — We present a lock-free queue for persistent memory.",
                "Keywords: distributed systems, consensus, fault tolerance",
            ],
            "food": [
                "Abstract — We study salt reduction in bread without loss of taste.",
                "Keywords: food science, fermentation, sensory panels",
            ],
            "travel": [
                "Abstract — We estimate tourism demand from anonymised rail ticket data.",
                "Keywords: mobility, tourism, transport networks",
            ],
        },
        "pii": {
            "PERSON": [
                "{PERSON.author}¹, {PERSON.author}²* and {PERSON.author}¹",
                "{PERSON.full}^1, {PERSON.full}^2",
                "Acknowledgements: we thank {PERSON.doctor} and {PERSON.full} for comments.",
                "Cite as: {PERSON.apa}, {PERSON.apa} & {PERSON.apa} ({year}). {venue_conf}.",
            ],
            "EMAIL_ADDRESS": ["*Corresponding author: {PERSON.full} ({EMAIL_ADDRESS})", "Correspondence: {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ["Tel.: {PHONE_NUMBER}"],
            "IP_ADDRESS": ["The testbed ({IP_ADDRESS.v4}) is open to reviewers on request."],
            "URL": ["Code: {URL.github}", "Data: {URL.doi}", "Project page: {URL}"],
            "LOCATION": [
                "¹ Department of {dept}, {university}, {LOCATION}",
                "² {institute}, {LOCATION.postcity}",
                "Work done while the first author was at {company} in {LOCATION.city}.",
            ],
            "SECRET": ["Reviewer access to the artifact: user reviewer, password {SECRET.password}"],
        },
        "miss": [
            "ORCID: {orcid}",
            "DOI: {doi}",
            "arXiv:{arxiv_id} [cs.DC]",
            "Received {date}; accepted {date}.",
            "© {year} The Authors.",
            "Funded by grant {grant_no}.",
            "Equal contribution.",
            "Presented at {venue_conf} {year}.",
        ],
    },
    "membership": {
        "topic": {
            "sports": ["Membership type: senior playing member, outdoor season.", "Sections: athletics and cross-country."],
            "tech": ["Membership type: e-sports section, online league.", "Opt-in: match-day app notifications."],
            "food": ["Volunteering: clubhouse kitchen and match teas.", "Members' meal plan in the clubhouse: yes."],
            "travel": ["Away-trip coach: yes, all league fixtures.", "Interested in the pre-season training camp abroad."],
        },
        "pii": {
            "PERSON": [
                "Member's full name: {PERSON.full}",
                "Surname: {PERSON.last}   First name(s): {PERSON.first}",
                "Parent/guardian (under-18s): {PERSON.full}",
                "Emergency contact: {PERSON.full}, {relation}",
                "Proposed by: {PERSON.title}; seconded by: {PERSON.full}",
                "Name on card: {PERSON.upper}",
            ],
            "EMAIL_ADDRESS": ["E-mail: {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ["Mobile: {PHONE_NUMBER}", "Emergency contact phone: {PHONE_NUMBER}"],
            "CREDIT_CARD": ["Annual fee by card: {CREDIT_CARD}, exp {exp}"],
            "IBAN": ["Direct debit mandate — IBAN: {IBAN}", "Account holder: {PERSON.full}, IBAN {IBAN}"],
            "US_SSN": ["SSN (required for the league's background check): {US_SSN}"],
            "URL": ["Photo consent form: {URL}"],
            "LOCATION": ["Postal address for club mail: {LOCATION}", "Address:\n{LOCATION.block}", "Town: {LOCATION.city}"],
            "DATE_OF_BIRTH": [
                "Date of birth: {DATE_OF_BIRTH.numeric}",
                "Junior member, born {DATE_OF_BIRTH.child}",
                "DOB (for the age group): {DATE_OF_BIRTH.iso}",
            ],
            "SECRET": ["Member portal password (initial): {SECRET.password}"],
        },
        "miss": [
            "Membership no. {member_no}",
            "Season {season}",
            "Fee: {price} (family discount applied)",
            "Kit size: {kit_size}",
            "Medical conditions: none declared",
            "Previous club: {city_team}",
            "Signed: ____________  Date: {date}",
        ],
    },
}

# ---- local-language banks: German, French and Spanish posts for de_DE, fr_FR and es_ES ------------------

VAULT_LOCAL: dict[str, dict[str, dict]] = {
    "de": {
        "clinic": {
            "topic": {
                "sports": ["Diagnose: Verdacht auf vordere Kreuzbandruptur rechts nach einem Foul beim Fußball."],
                "tech": ["Beschwerden: Schmerzen in beiden Handgelenken bei langer Bildschirmarbeit."],
                "food": ["Verlaufskontrolle bei Zöliakie, glutenfreie Ernährung seit dem Frühjahr."],
                "travel": ["Reisemedizinische Beratung: Impfungen vor einer längeren Fernreise."],
            },
            "pii": {
                "PERSON": [
                    "Patient: {PERSON.full}",
                    "Überweisender Arzt: {PERSON.doctor}",
                    "Wir berichten über {PERSON.title}, Vorstellung am {date_local}.",
                    "Angehörige: {PERSON.full} (Ehefrau)",
                ],
                "EMAIL_ADDRESS": ["Befunde auf Wunsch per E-Mail an {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Rückfragen gern unter {PHONE_NUMBER}.", "Telefon des Patienten: {PHONE_NUMBER}"],
                "IBAN": ["Privatrechnung bitte auf {IBAN} überweisen."],
                "URL": ["Terminbuchung online: {URL}"],
                "LOCATION": ["Anschrift des Patienten: {LOCATION}", "Wohnhaft in {LOCATION.city}.", "Praxis: {LOCATION}"],
                "DATE_OF_BIRTH": ["geb. {DATE_OF_BIRTH.numeric}", "{PERSON.full}, geboren am {DATE_OF_BIRTH.long}"],
                "SECRET": ["Zugang zum Patientenportal: Einmalpasswort {SECRET.password}"],
            },
            "miss": [
                "ICD-10: {icd10}",
                "Termin: {date_local}, {time} Uhr",
                "Medikation: {drug} {dose} 1-0-1",
                "RR {bp} mmHg, Puls {pulse}/min",
                "Laborwerte vom {date_local} unauffällig.",
                "Ein Morbus Crohn wurde ausgeschlossen.",
                "Sonographisch kleine Baker-Zyste im rechten Knie.",
            ],
        },
        "property": {
            "topic": {
                "sports": ["Tennisplatz und Sportverein sind fußläufig erreichbar."],
                "tech": ["Glasfaseranschluss im Haus, bis 1 Gbit/s."],
                "food": ["Große Wohnküche mit Kochinsel und Speisekammer."],
                "travel": ["Zehn Minuten zur Autobahn, 25 Minuten zum Flughafen."],
            },
            "pii": {
                "PERSON": [
                    "Ansprechpartnerin: {PERSON.title}",
                    "Verkäufer: {PERSON.full}",
                    "Besichtigung mit {PERSON.full} und {PERSON.first}",
                ],
                "EMAIL_ADDRESS": ["Anfragen bitte an {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Besichtigungstermine unter {PHONE_NUMBER}."],
                "IBAN": ["Reservierungsgebühr bitte auf {IBAN}."],
                "URL": ["360°-Rundgang: {URL}"],
                "LOCATION": [
                    "Lage: {LOCATION}",
                    "Ruhige Lage am Ortsrand von {LOCATION.village}.",
                    "Region: {LOCATION.region}, nahe {LOCATION.city}.",
                    "Objektadresse: {LOCATION.street}",
                ],
                "DATE_OF_BIRTH": ["Interessent, geb. am {DATE_OF_BIRTH.numeric} (für die Bonitätsprüfung)"],
            },
            "miss": [
                "Kaufpreis: {house_price}",
                "Wohnfläche ca. {sqm} m², {rooms} Zimmer",
                "Energieausweis: Klasse {epc}",
                "Baujahr {year_old}",
                "Objekt-Nr. {mls}",
                "Provisionsfrei.",
                "Hausgeld: {price} monatlich",
            ],
        },
        "obituary": {
            "topic": {
                "sports": ["Er war über fünfzig Jahre Mitglied im Turnverein."],
                "tech": ["Als Ingenieur gründete er die erste Computer-AG an der Schule."],
                "food": ["Sie führte vierzig Jahre lang die Dorfbäckerei."],
                "travel": ["Sie reiste gern und hat jeden Kontinent gesehen."],
            },
            "pii": {
                "PERSON": [
                    "In Liebe und Dankbarkeit nehmen wir Abschied von {PERSON.full}.",
                    "{PERSON.full} geb. {PERSON.last}",
                    "In stiller Trauer: {PERSON.first} und {PERSON.first} mit Familie",
                    "Die Trauerfeier leitet {PERSON.title}.",
                ],
                "EMAIL_ADDRESS": ["Kondolenzen gern an {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Auskunft: {PHONE_NUMBER}"],
                "IBAN": ["Statt Blumen bitten wir um eine Spende an das Hospiz, {IBAN}, Stichwort: Abschied."],
                "URL": ["Online-Kondolenzbuch: {URL}"],
                "LOCATION": [
                    "Die Beisetzung findet auf dem Friedhof in {LOCATION.village} statt.",
                    "Traueradresse: {LOCATION}",
                    "Früher wohnhaft in {LOCATION.city}.",
                ],
                "DATE_OF_BIRTH": ["* {DATE_OF_BIRTH.long}   † {date_local}", "geboren am {DATE_OF_BIRTH.numeric}"],
            },
            "miss": [
                "Die Trauerfeier ist am {date_local} um {time} Uhr.",
                "Im Alter von {age_old} Jahren.",
                "Von Beileidsbesuchen bitten wir abzusehen.",
                "Ruhe in Frieden.",
                "Bestattungshaus {funeral_local}",
            ],
        },
        "membership": {
            "topic": {
                "sports": ["Abteilung: Leichtathletik, Erwachsene."],
                "tech": ["Abteilung: E-Sport, Online-Liga."],
                "food": ["Ich helfe gern im Vereinsheim beim Kuchenverkauf."],
                "travel": ["Mitfahrt im Fanbus zu Auswärtsspielen: ja."],
            },
            "pii": {
                "PERSON": [
                    "Name, Vorname: {PERSON.form}",
                    "Erziehungsberechtigte/r: {PERSON.full}",
                    "Notfallkontakt: {PERSON.full}",
                    "Kontoinhaber: {PERSON.full}",
                ],
                "EMAIL_ADDRESS": ["E-Mail-Adresse: {EMAIL_ADDRESS}"],
                "PHONE_NUMBER": ["Telefon (Festnetz): {PHONE_NUMBER}", "Handy: {PHONE_NUMBER}"],
                "CREDIT_CARD": ["Beitrag per Kreditkarte: {CREDIT_CARD}"],
                "IBAN": ["SEPA-Lastschriftmandat, IBAN: {IBAN}"],
                "URL": ["Datenschutzhinweise: {URL}"],
                "LOCATION": [
                    "Straße, Hausnr.: {LOCATION.street}",
                    "PLZ, Ort: {LOCATION.postcity}",
                    "Anschrift:\n{LOCATION.block}",
                ],
                "DATE_OF_BIRTH": [
                    "Geburtsdatum des Mitglieds: {DATE_OF_BIRTH.numeric}",
                    "Jugendmitglied, geb. {DATE_OF_BIRTH.child}",
                ],
                "SECRET": ["Passwort für den Mitgliederbereich: {SECRET.password}"],
            },
            "miss": [
                "Mitgliedsnummer: {member_no}",
                "Jahresbeitrag: {price}",
                "Gläubiger-ID: {creditor_id}",
                "Eintritt zum {date_local}",
                "Trikotgröße: {kit_size}",
                "Vorheriger Verein: {city_team}",
                "Unterschrift: ____________",
            ],
        },
    },
    "fr": {
        "clinic": {
            "topic": {
                "sports": ["Motif : suspicion de rupture du ligament croisé antérieur après un match de football."],
                "tech": ["Douleurs aux deux poignets, travail prolongé sur écran."],
                "food": ["Suivi de maladie cœliaque, régime sans gluten depuis le printemps."],
                "travel": ["Consultation du voyageur : vaccins avant un long voyage."],
            },
            "pii": {
                "PERSON": [
                    "Patient(e) : {PERSON.full}",
                    "Médecin traitant : {PERSON.doctor}",
                    "J'ai vu ce jour en consultation {PERSON.title}.",
                    "Personne à prévenir : {PERSON.full}",
                ],
                "EMAIL_ADDRESS": ["Résultats par courriel à {EMAIL_ADDRESS}, à la demande du patient."],
                "PHONE_NUMBER": ["Secrétariat : {PHONE_NUMBER}", "Portable du patient : {PHONE_NUMBER}"],
                "IBAN": ["Règlement par virement sur {IBAN}."],
                "URL": ["Prise de rendez-vous en ligne : {URL}"],
                "LOCATION": ["Adresse du patient : {LOCATION}", "Habite à {LOCATION.city}.", "Cabinet : {LOCATION}"],
                "DATE_OF_BIRTH": ["Né(e) le {DATE_OF_BIRTH.long}", "Date de naissance du patient : {DATE_OF_BIRTH.numeric}"],
                "SECRET": ["Code d'accès au portail patient : {SECRET.password}"],
            },
            "miss": [
                "CIM-10 : {icd10}",
                "Rendez-vous le {date_local} à {time}",
                "Traitement : {drug} {dose} matin et soir",
                "TA {bp} mmHg, pouls {pulse}/min",
                "Bilan sanguin du {date_local} normal.",
                "Maladie de Parkinson écartée.",
                "Kyste de Baker au genou droit.",
            ],
        },
        "property": {
            "topic": {
                "sports": ["Club de tennis et salle de sport à deux pas."],
                "tech": ["Raccordé à la fibre, idéal pour le télétravail."],
                "food": ["Cuisine équipée avec îlot central et cellier."],
                "travel": ["À dix minutes de l'autoroute et de la gare TGV."],
            },
            "pii": {
                "PERSON": ["Contact : {PERSON.title}", "Vendeur : {PERSON.full}", "Visite avec {PERSON.full} et {PERSON.first}"],
                "EMAIL_ADDRESS": ["Contact par courriel : {EMAIL_ADDRESS}"],
                "PHONE_NUMBER": ["Visites au {PHONE_NUMBER}."],
                "IBAN": ["Dépôt de garantie à verser sur {IBAN}."],
                "URL": ["Visite virtuelle : {URL}"],
                "LOCATION": [
                    "Adresse du bien : {LOCATION}",
                    "Au calme, à la sortie de {LOCATION.village}.",
                    "En {LOCATION.region}, proche de {LOCATION.city}.",
                ],
                "DATE_OF_BIRTH": ["Acquéreur né le {DATE_OF_BIRTH.long}"],
            },
            "miss": [
                "Prix : {house_price} FAI",
                "Surface : {sqm} m², {rooms} pièces",
                "DPE : classe {epc}",
                "Année de construction : {year_old}",
                "Réf. {mls}",
                "Pas de travaux à prévoir.",
                "Charges : {price} par mois",
            ],
        },
        "obituary": {
            "topic": {
                "sports": ["Fidèle supporter du club de rugby, il ne manquait aucun match."],
                "tech": ["Ingénieur, il avait fondé le premier club informatique du lycée."],
                "food": ["Elle a tenu la boulangerie du village pendant quarante ans."],
                "travel": ["Grande voyageuse, elle avait vu tous les continents."],
            },
            "pii": {
                "PERSON": [
                    "{PERSON.full}, née {PERSON.last}, nous a quittés.",
                    (
                        "Ses enfants {PERSON.first}, {PERSON.first} et {PERSON.first} ont la tristesse de vous "
                        "faire part du décès de {PERSON.full}."
                    ),
                    "La cérémonie sera célébrée par {PERSON.title}.",
                ],
                "EMAIL_ADDRESS": ["Messages à {EMAIL_ADDRESS}"],
                "PHONE_NUMBER": ["Renseignements : {PHONE_NUMBER}"],
                "IBAN": ["Dons pour la recherche contre le cancer : {IBAN}"],
                "URL": ["Registre de condoléances en ligne : {URL}"],
                "LOCATION": [
                    "Les obsèques auront lieu en l'église de {LOCATION.village}.",
                    "Condoléances : {LOCATION}",
                    "Domicilié à {LOCATION.city}.",
                ],
                "DATE_OF_BIRTH": ["Né le {DATE_OF_BIRTH.long}, décédé le {date_local}."],
            },
            "miss": [
                "Obsèques le {date_local} à {time}.",
                "À l'âge de {age_old} ans.",
                "Cet avis tient lieu de faire-part.",
                "Pompes funèbres {funeral_local}",
                "Repose en paix.",
            ],
        },
        "membership": {
            "topic": {
                "sports": ["Section : athlétisme, adultes."],
                "tech": ["Section : e-sport, ligue en ligne."],
                "food": ["Je peux aider à la buvette les jours de match."],
                "travel": ["Déplacements en car pour les matchs à l'extérieur : oui."],
            },
            "pii": {
                "PERSON": [
                    "Nom, prénom : {PERSON.form}",
                    "Représentant légal : {PERSON.full}",
                    "Personne à contacter en cas d'urgence : {PERSON.full}",
                    "Titulaire du compte : {PERSON.full}",
                ],
                "EMAIL_ADDRESS": ["Adresse électronique : {EMAIL_ADDRESS}"],
                "PHONE_NUMBER": ["Téléphone : {PHONE_NUMBER}"],
                "IBAN": ["Mandat de prélèvement SEPA, IBAN : {IBAN}"],
                "URL": ["Règlement intérieur : {URL}"],
                "LOCATION": [
                    "Adresse postale : {LOCATION}",
                    "Code postal, ville : {LOCATION.postcity}",
                    "Adresse :\n{LOCATION.block}",
                ],
                "DATE_OF_BIRTH": ["Date de naissance de l'adhérent : {DATE_OF_BIRTH.numeric}", "Né(e) le {DATE_OF_BIRTH.long}"],
                "SECRET": ["Mot de passe de l'espace adhérent : {SECRET.password}"],
            },
            "miss": [
                "N° d'adhérent : {member_no}",
                "Cotisation annuelle : {price}",
                "ICS : {creditor_id}",
                "Certificat médical fourni le {date_local}",
                "Taille de maillot : {kit_size}",
                "Club précédent : {city_team}",
            ],
        },
    },
    "es": {
        "clinic": {
            "topic": {
                "sports": ["Motivo: sospecha de rotura del ligamento cruzado anterior tras un partido de fútbol."],
                "tech": ["Dolor en ambas muñecas por trabajo prolongado con el ordenador."],
                "food": ["Control de celiaquía, dieta sin gluten desde la primavera."],
                "travel": ["Consulta de medicina del viajero: vacunas antes de un viaje largo."],
            },
            "pii": {
                "PERSON": [
                    "Paciente: {PERSON.full}",
                    "Médico de cabecera: {PERSON.doctor}",
                    "Acude a consulta {PERSON.title}.",
                    "Familiar de contacto: {PERSON.full}",
                ],
                "EMAIL_ADDRESS": ["Resultados por correo a {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Teléfono del paciente: {PHONE_NUMBER}", "Cita previa: {PHONE_NUMBER}"],
                "IBAN": ["Abono de la factura en {IBAN}."],
                "URL": ["Cita online: {URL}"],
                "LOCATION": ["Domicilio: {LOCATION}", "Reside en {LOCATION.city}.", "Centro de salud: {LOCATION}"],
                "DATE_OF_BIRTH": ["Fecha de nacimiento del paciente: {DATE_OF_BIRTH.numeric}", "Nacido el {DATE_OF_BIRTH.long}"],
                "SECRET": ["Clave de acceso al portal del paciente: {SECRET.password}"],
            },
            "miss": [
                "CIE-10: {icd10}",
                "Cita: {date_local} a las {time}",
                "Tratamiento: {drug} {dose} cada 12 horas",
                "TA {bp} mmHg, FC {pulse} lpm",
                "Analítica del {date_local} sin alteraciones.",
                "Se descarta enfermedad de Crohn.",
                "Quiste de Baker en la rodilla derecha.",
            ],
        },
        "property": {
            "topic": {
                "sports": ["Club de pádel y gimnasio a cinco minutos."],
                "tech": ["Fibra óptica instalada, ideal para teletrabajo."],
                "food": ["Cocina amueblada con isla y despensa."],
                "travel": ["A diez minutos de la autovía y del aeropuerto."],
            },
            "pii": {
                "PERSON": ["Contacto: {PERSON.title}", "Propietario: {PERSON.full}", "Visita con {PERSON.full} y {PERSON.first}"],
                "EMAIL_ADDRESS": ["Escríbenos a {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Visitas: {PHONE_NUMBER}"],
                "IBAN": ["Señal de reserva en {IBAN}."],
                "URL": ["Tour virtual: {URL}"],
                "LOCATION": [
                    "Dirección del inmueble: {LOCATION}",
                    "Zona tranquila a las afueras de {LOCATION.village}.",
                    "En {LOCATION.region}, cerca de {LOCATION.city}.",
                ],
                "DATE_OF_BIRTH": ["Comprador, nacido el {DATE_OF_BIRTH.long}"],
            },
            "miss": [
                "Precio: {house_price}",
                "Superficie: {sqm} m², {rooms} habitaciones",
                "Certificado energético: {epc}",
                "Año de construcción: {year_old}",
                "Ref. {mls}",
                "Comunidad: {price} al mes",
                "Para entrar a vivir.",
            ],
        },
        "obituary": {
            "topic": {
                "sports": ["Socio del club de fútbol durante más de cincuenta años."],
                "tech": ["Ingeniero, fundó el primer club de informática del instituto."],
                "food": ["Regentó la panadería del pueblo durante cuarenta años."],
                "travel": ["Viajera incansable, conoció todos los continentes."],
            },
            "pii": {
                "PERSON": [
                    "{PERSON.full} falleció en paz.",
                    ("Sus hijos {PERSON.first}, {PERSON.first} y {PERSON.first}, nietos y demás familia lo comunican con dolor."),
                    "Su esposa, {PERSON.full}, agradece las muestras de cariño.",
                    "Oficiará la misa {PERSON.title}.",
                ],
                "EMAIL_ADDRESS": ["Condolencias a {EMAIL_ADDRESS}"],
                "PHONE_NUMBER": ["Información: {PHONE_NUMBER}"],
                "IBAN": ["Donativos a la asociación contra el cáncer: {IBAN}"],
                "URL": ["Libro de condolencias: {URL}"],
                "LOCATION": [
                    "El funeral será en la parroquia de {LOCATION.village}.",
                    "Capilla ardiente: {LOCATION}",
                    "Vecino de {LOCATION.city}.",
                ],
                "DATE_OF_BIRTH": ["Nació el {DATE_OF_BIRTH.long} y falleció el {date_local}."],
            },
            "miss": [
                "D.E.P.",
                "A los {age_old} años de edad.",
                "El funeral será el {date_local} a las {time}.",
                "Tanatorio {funeral_local}",
                "Rogad a Dios en caridad por su alma.",
            ],
        },
        "membership": {
            "topic": {
                "sports": ["Sección: atletismo, categoría absoluta."],
                "tech": ["Sección: e-sports, liga online."],
                "food": ["Puedo ayudar en el bar del club los días de partido."],
                "travel": ["Viaje en autobús a los partidos fuera de casa: sí."],
            },
            "pii": {
                "PERSON": [
                    "Apellidos y nombre: {PERSON.form}",
                    "Padre/madre o tutor: {PERSON.full}",
                    "Contacto de emergencia: {PERSON.full}",
                    "Titular de la cuenta: {PERSON.full}",
                ],
                "EMAIL_ADDRESS": ["Correo electrónico: {EMAIL_ADDRESS}"],
                "PHONE_NUMBER": ["Teléfono móvil: {PHONE_NUMBER}"],
                "IBAN": ["Domiciliación bancaria, IBAN: {IBAN}"],
                "URL": ["Política de privacidad: {URL}"],
                "LOCATION": ["Domicilio: {LOCATION}", "C.P. y localidad: {LOCATION.postcity}", "Dirección:\n{LOCATION.block}"],
                "DATE_OF_BIRTH": ["Fecha de nacimiento del socio: {DATE_OF_BIRTH.numeric}", "Nacida el {DATE_OF_BIRTH.long}"],
                "SECRET": ["Contraseña del área de socios: {SECRET.password}"],
            },
            "miss": [
                "N.º de socio: {member_no}",
                "Cuota anual: {price}",
                "Alta con fecha {date_local}",
                "Talla de camiseta: {kit_size}",
                "Club anterior: {city_team}",
                "Firma: ____________",
            ],
        },
    },
}
LOCAL_STYLES = ("clinic", "property", "obituary", "membership")
LOCAL_RATE = 0.6  # share of de_DE / fr_FR / es_ES posts written in the locale's language

# ---- framing ------------------------------------------------------------------------------------------
# Head and foot lines per style; {=A} is a value drawn once per post (an agent, a commenter).

VAULT_FRAMES: dict[str, dict[str, list[str]]] = {
    "call": {
        "head": [
            "CALL TRANSCRIPT · {call_id} · queue: {queue} · {duration}",
            "Recording {call_id} (auto-transcribed, confidence {conf})",
            "speech-to-text export · call {call_id}",
        ],
        "foot": ["[call ended {duration}]", "[wrap-up code: {wrap_code}]"],
    },
    "clinic": {
        "head": [
            "{clinic_name} · Outpatient appointment letter",
            "REFERRAL — {specialty}",
            "Clinic letter, dictated {date}, typed {date}",
        ],
        "foot": [
            "Yours sincerely,\n{PERSON.doctor}\nConsultant, {specialty}",
            "Dictated but not read.",
            "Kind regards,\n{PERSON.doctor}",
        ],
    },
    "incident": {
        "head": [
            "INCIDENT REPORT · Ref {incident_no}",
            "Court listing — {court}, courtroom {court_room}",
            "Summary of occurrence {incident_no} (OFFICIAL-SENSITIVE)",
        ],
        "foot": ["Report filed {ts_iso}.", "Reviewed by supervisor: yes", "Officer: {PERSON.rank}, badge {badge}"],
    },
    "dispute": {
        "head": [
            "Subject: Dispute of card transaction {txn_id}",
            "TRANSACTION DISPUTE FORM · Case {dispute_no}",
            "To the Disputes Team,",
        ],
        "foot": ["Yours faithfully,\n{PERSON.full}", "Signed: {PERSON.full}, {date}", "I confirm the above is accurate."],
    },
    "property": {
        "head": [
            "FOR SALE · {house_price} · {beds} bed {prop_type}",
            "Viewing notes — {date}",
            "Listing {mls} · {beds} bd · {sqm} m²",
        ],
        "foot": ["Viewings strictly by appointment.", "Feedback: keen, second viewing booked.", "Listed by {agency}"],
    },
    "rsvp": {
        "head": [
            "RSVP list — {event_kind}, {date}",
            "Guest replies (updated {date})",
            "Wedding of {PERSON.first} & {PERSON.first} · RSVPs",
        ],
        "foot": ["Last updated by {PERSON.first}", "Chase the rest by Friday!"],
    },
    "roster": {
        "head": [
            "Volunteer roster — {org}, {month_year}\nshift\tname\tcontact\trole",
            "ROTA {month_year} ({org})\nwhen\twho\tphone/e-mail\tjob",
        ],
        "foot": ["Swaps: tell the coordinator, {PERSON.first}.", "Thanks all!"],
    },
    "podcast": {
        "head": ["Episode {episode}: {ep_title}", "{podcast} — Ep. {episode} show notes", "SHOW NOTES · {podcast} #{episode}"],
        "foot": ["Subscribe, rate and review!", "Produced by {PERSON.full}.", "Music by {band_name}."],
    },
    "order": {
        "head": ["Your order {order_no} is confirmed", "Order confirmation · {shop}", "Thanks for your order! (#{order_no})"],
        "foot": ["Need help? Visit our help centre.", "You're receiving this because you placed an order with {shop}."],
    },
    "expense": {
        "head": ["EXPENSE REPORT · {exp_no} · {month_year}", "Expense claim — employee {emp_id}", "Travel & expenses: {exp_no}"],
        "foot": ["Status: submitted for approval", "Approved by {PERSON.title} on {date}"],
    },
    "comments": {
        "head": [
            'Comments on "{doc_title}" ({open_count} open)',
            "Document: {doc_title} — comment thread",
            "Suggested edits · {doc_title}",
        ],
        "foot": ["Show resolved comments", "{open_count} more replies"],
    },
    "calendar": {
        "head": [
            "Invitation: {meeting_title} @ {weekday} {date} {time} – {time} ({tz})",
            "Updated invitation: {meeting_title}",
            "New event: {meeting_title}",
        ],
        "foot": [
            (
                "BEGIN:VEVENT\nDTSTART;TZID={tz}:{ics_dt}\n"
                "ORGANIZER;CN={PERSON.full}:mailto:{EMAIL_ADDRESS}\nUID:{uuid}\nEND:VEVENT"
            ),
            ("BEGIN:VEVENT\nATTENDEE;CN={PERSON.full};PARTSTAT=ACCEPTED:mailto:{EMAIL_ADDRESS}\nDTSTART:{ics_dt}Z\nEND:VEVENT"),
            "Going? Yes · Maybe · No",
            "Invitation from your calendar app.",
        ],
    },
    "commit": {
        "head": [
            "commit {sha40}\nAuthor: {PERSON.full} <{EMAIL_ADDRESS}>\nDate:   {git_date}",
            "Review of PR #{pr} in {repo}",
            "From {sha40} Mon Sep 17 00:00:00 2001\nFrom: {PERSON.full} <{EMAIL_ADDRESS}>",
        ],
        "foot": ["{short_sha} pushed to {repo}", "All checks have passed"],
    },
    "sql": {
        "head": ["-- dump of `{sql_table}`, {ts_sql}", "-- exported from {db} by pg_dump {version}", "BEGIN;"],
        "foot": ["COMMIT;", "-- end of dump"],
    },
    "receipt": {
        "head": ["[OCR scan · page 1 · confidence {conf}]", "SCANNED RECEIPT (ocr)", "--- ocr output, scan_{scan_no}.jpg ---"],
        "foot": ["[end of page]", "[low confidence regions: {low_regions}]"],
    },
    "obituary": {
        "head": ["DEATHS", "ANNOUNCEMENTS · Births, marriages and deaths", "In loving memory", "Obituary"],
        "foot": ["Published {date}.", "Placed by the family."],
    },
    "genealogy": {
        "head": ["Family tree notes (draft)", "Research log · {research_id}", "0 @I{gedcom_id}@ INDI"],
        "foot": ["To do: check the 1921 census.", "Last edited {date}"],
    },
    "paper": {
        "head": ["{paper_title}", "Preprint · arXiv:{arxiv_id}", "Accepted at {venue_conf} {year}"],
        "foot": ["© {year} The Authors.", "Preprint under review; do not cite without permission."],
    },
    "membership": {
        "head": ["MEMBERSHIP APPLICATION — {club}", "{club} · new member form", "Renewal form {season}"],
        "foot": ["Signed: {PERSON.full}", "Office use only: received {date}"],
    },
}
VAULT_LOCAL_FRAMES: dict[str, dict[str, dict[str, list[str]]]] = {
    "de": {
        "clinic": {
            "head": ["Arztbrief", "Überweisung an {specialty_local}"],
            "foot": ["Mit freundlichen kollegialen Grüßen\n{PERSON.doctor}"],
        },
        "property": {
            "head": ["Exposé · {house_price}", "Besichtigungsnotizen vom {date_local}"],
            "foot": ["Angaben ohne Gewähr."],
        },
        "obituary": {"head": ["Traueranzeige", "Nachruf"], "foot": ["Die Familie"]},
        "membership": {
            "head": ["Mitgliedsantrag — {club}", "Beitrittserklärung {club}"],
            "foot": ["Unterschrift: {PERSON.full}"],
        },
    },
    "fr": {
        "clinic": {
            "head": ["Compte rendu de consultation", "Lettre d'adressage — {specialty_local}"],
            "foot": ["Bien confraternellement,\n{PERSON.doctor}"],
        },
        "property": {
            "head": ["Annonce immobilière · {house_price}", "Notes de visite du {date_local}"],
            "foot": ["Honoraires à la charge du vendeur."],
        },
        "obituary": {"head": ["Avis de décès", "Carnet du jour"], "foot": ["La famille"]},
        "membership": {
            "head": ["Bulletin d'adhésion — {club}", "Fiche d'inscription {club}"],
            "foot": ["Signature : {PERSON.full}"],
        },
    },
    "es": {
        "clinic": {
            "head": ["Informe de consulta", "Hoja de derivación — {specialty_local}"],
            "foot": ["Atentamente,\n{PERSON.doctor}"],
        },
        "property": {
            "head": ["Anuncio inmobiliario · {house_price}", "Notas de la visita del {date_local}"],
            "foot": ["Sin comisión de agencia."],
        },
        "obituary": {"head": ["Esquela", "Rogad a Dios por el alma de"], "foot": ["La familia"]},
        "membership": {"head": ["Ficha de socio — {club}", "Solicitud de alta {club}"], "foot": ["Firma: {PERSON.full}"]},
    },
}
# Lines that frame a post in some styles (greetings, an agent's turns, a commenter).
VAULT_GREETINGS = {
    "clinic": ["Dear {PERSON.doctor},", "Dear Colleague,", "To whom it may concern,"],
    "dispute": ["Dear Sir or Madam,", "Good morning,"],
    "order": ["Hey {PERSON.first}, good news!", "Hello {PERSON.full},", "Hi there,"],
    "de": ["Sehr geehrte Kollegin, sehr geehrter Kollege,", "Sehr geehrter {PERSON.doctor},"],
    "fr": ["Cher confrère,", "Chère consœur,"],
    "es": ["Estimado/a colega:", "A la atención de {PERSON.doctor}:"],
}
VAULT_AGENT_LINES = [
    "thank you for calling {call_brand} you're through to {=A} how can i help",
    "can i take the postcode on the account please",
    "okay bear with me one moment",
    "i'm just going to pop you on a brief hold",
    "anything else i can do for you while i've got you",
    "i've put a note on the account",
    "right i can see that here",
]

# (style, weight)
VAULT_STYLES: tuple[tuple[str, float], ...] = (
    ("call", 0.06),
    ("clinic", 0.06),
    ("incident", 0.05),
    ("dispute", 0.05),
    ("property", 0.05),
    ("rsvp", 0.05),
    ("roster", 0.05),
    ("podcast", 0.05),
    ("order", 0.06),
    ("expense", 0.05),
    ("comments", 0.05),
    ("calendar", 0.05),
    ("commit", 0.05),
    ("sql", 0.05),
    ("receipt", 0.06),
    ("obituary", 0.05),
    ("genealogy", 0.05),
    ("paper", 0.05),
    ("membership", 0.06),
)
FIELD_STYLES = (
    "roster",
    "order",
    "expense",
    "commit",
    "sql",
    "receipt",
    "calendar",
    "membership",
    "genealogy",
    "paper",
    "incident",
    "rsvp",
)

# ---- value material -----------------------------------------------------------------------------------

_DOCTOR_TITLES = {
    "en_US": ("Dr.", "Dr.", "Prof."),
    "en_GB": ("Dr", "Mr", "Ms", "Prof."),  # UK surgeons are "Mr"/"Ms"
    "de_DE": ("Dr.", "Dr. med.", "Prof. Dr."),
    "fr_FR": ("Dr", "Pr", "Docteur"),
    "es_ES": ("Dr.", "Dra."),
}
_RANKS = ("PC", "DC", "Sgt", "Sgt.", "Det. Sgt.", "DI", "Officer", "Inspector", "Constable")
_SUFFIXES = ("Jr.", "Sr.", "II", "III", "IV")
# surnames in several parts or with particles, per locale
_PARTICLE_SURNAMES = {
    "en_US": ("O'Neill", "McAllister", "D'Souza", "St. Clair", "Van Buren", "De Luca", "MacLeod", "O'Sullivan"),
    "en_GB": ("O'Neill", "Fitzgerald-Hale", "MacLeod", "ap Rhys", "O'Sullivan", "St John", "Ní Bhriain", "Mac an tSaoi"),
    "de_DE": ("von Bülow", "van der Berg", "zu Löwenstein", "von der Heide", "ter Haar", "Müller-Lüdenscheidt", "Schulze-Wendt"),
    "fr_FR": ("de la Fontaine", "Le Goff", "du Plessis", "Saint-Just", "d'Arcy", "Le Bihan", "de Saint-Aubin"),
    "es_ES": ("García Márquez", "de la Torre", "del Río", "Fernández de Córdoba", "Ruiz-Zafón", "de los Santos", "López de Haro"),
}
# (town or village, region): real places, so "village, region" reads like a real one
TOWN_REGION = {
    "en_US": (
        ("Stowe", "Vermont"),
        ("Bar Harbor", "Maine"),
        ("Sedona", "Arizona"),
        ("Walnut Grove", "Minnesota"),
        ("Marfa", "Texas"),
        ("Cody", "Wyoming"),
        ("Hood River", "Oregon"),
    ),
    "en_GB": (
        ("Harrogate", "North Yorkshire"),
        ("Bourton-on-the-Water", "Gloucestershire"),
        ("Much Wenlock", "Shropshire"),
        ("Padstow", "Cornwall"),
        ("Keswick", "Cumbria"),
        ("Holt", "Norfolk"),
        ("Tenby", "Pembrokeshire"),
    ),
    "de_DE": (
        ("Bad Tölz", "Bayern"),
        ("Rüdesheim am Rhein", "Hessen"),
        ("Wernigerode", "Sachsen-Anhalt"),
        ("Meersburg", "Baden-Württemberg"),
        ("Lübbenau", "Brandenburg"),
        ("Monschau", "Nordrhein-Westfalen"),
    ),
    "fr_FR": (
        ("Gordes", "Vaucluse"),
        ("Riquewihr", "Haut-Rhin"),
        ("Saint-Cirq-Lapopie", "Lot"),
        ("Étretat", "Seine-Maritime"),
        ("Collonges-la-Rouge", "Corrèze"),
        ("Locronan", "Finistère"),
    ),
    "es_ES": (
        ("Frigiliana", "Málaga"),
        ("Cadaqués", "Girona"),
        ("Albarracín", "Teruel"),
        ("Mojácar", "Almería"),
        ("Potes", "Cantabria"),
        ("Combarro", "Pontevedra"),
    ),
}
REGIONS = {
    "en_US": ("Vermont", "Oregon", "New Mexico", "North Carolina", "Montana", "Upstate New York"),
    "en_GB": ("Cornwall", "Norfolk", "Cumbria", "Devon", "Kent", "the Scottish Borders"),
    "de_DE": ("Bayern", "Allgäu", "Schwarzwald", "Sauerland", "Brandenburg", "Ostfriesland", "Eifel"),
    "fr_FR": ("Bretagne", "Provence", "Dordogne", "Alsace", "Normandie", "Auvergne"),
    "es_ES": ("Andalucía", "Galicia", "Asturias", "La Rioja", "Extremadura", "Cantabria"),
}
# real towns, some of them also first names or words
_TOWNS = {
    "en_US": ("Tulsa", "Boise", "Savannah", "Duluth", "Albuquerque", "Spokane", "Madison", "Providence"),
    "en_GB": ("York", "Swansea", "Aberdeen", "Plymouth", "Derby", "Bath", "Inverness", "Reading"),
    "de_DE": ("Bremen", "Dresden", "Münster", "Regensburg", "Kiel", "Mainz", "Erfurt", "Lüneburg"),
    "fr_FR": ("Bordeaux", "Rennes", "Strasbourg", "Montpellier", "Dijon", "Grenoble", "Angers", "Nancy"),
    "es_ES": ("Málaga", "Granada", "Salamanca", "Santander", "Cádiz", "Vigo", "Oviedo", "Toledo"),
}
# streets, some named after people
_STREETS = {
    "en_US": (
        "Birch Hollow Rd",
        "W Lincoln Ave",
        "Sycamore Ct",
        "Old Mill Road",
        "E 42nd St",
        "Harbor View Dr",
        "Prospect Pl",
        "Martin Luther King Jr Blvd",
    ),
    "en_GB": (
        "Greenbank Road",
        "Nelson Street",
        "Orchard Close",
        "Kingsway",
        "St Anne's Terrace",
        "Long Acre",
        "Brook Lane",
        "Castle Wynd",
    ),
    "de_DE": (
        "Kirchgasse",
        "Am Mühlbach",
        "Rosenstraße",
        "Uhlandstr.",
        "Zur Alten Schule",
        "Heinrich-Heine-Allee",
        "Marktplatz",
        "Konrad-Adenauer-Ring",
    ),
    "fr_FR": (
        "rue des Écoles",
        "allée des Peupliers",
        "avenue de la Gare",
        "rue du Moulin",
        "place du Marché",
        "boulevard Gambetta",
        "rue Pasteur",
        "avenue Jean Moulin",
    ),
    "es_ES": (
        "Calle de la Iglesia",
        "Avenida de Andalucía",
        "Calle Real",
        "Plaza de España",
        "Calle San Francisco",
        "Travesía del Sol",
        "Calle Cervantes",
        "Rambla Nova",
    ),
}
HOUSE_NAMES = ("Rose Cottage", "The Old Rectory", "Holly House", "Ivy Lodge", "Mill Farm", "Hawthorn Barn")
PETS = ("Max", "Bella", "Charlie", "Luna", "Rosie", "Buddy", "Milo", "Daisy")
TV_SHOWS = (
    "Ted Lasso",
    "Emily in Paris",
    "Gilmore Girls",
    "Frasier",
    "Downton Abbey",
    "Grey's Anatomy",
    "Gavin & Stacey",
    "Brooklyn Nine-Nine",
)
SONGS = ("Jolene", "Sweet Caroline", "Hey Jude", "Billie Jean", "Valerie", "Mr. Brightside", "Layla", "Roxanne")
BANDS = (
    "The Rolling Stones",
    "Earth, Wind & Fire",
    "Florence + the Machine",
    "Franz Ferdinand",
    "Kaiser Chiefs",
    "The Mamas & the Papas",
)
NAME_BRANDS = (
    "Tommy Hilfiger",
    "Calvin Klein",
    "Ralph Lauren",
    "Ted Baker",
    "Paul Smith",
    "Ben Sherman",
    "Le Creuset",
    "Dr. Martens",
)
_BRAND_PRODUCTS = (
    "Tommy Hilfiger polo",
    "Calvin Klein socks",
    "Le Creuset casserole",
    "Dr. Martens 1460 boots",
    "Ted Baker wallet",
    "Dijon mustard 3-pack",
    "Philadelphia cream cheese",
    "Brooklyn Lager 6-pack",
)
CITY_TEAMS = (
    "Hamburger SV",
    "Sevilla FC",
    "Valencia CF",
    "Stade Rennais",
    "Bristol City",
    "Seattle Sounders",
    "Toronto Raptors",
    "New York Knicks",
    "Athletic Bilbao",
    "Werder Bremen",
)
MERCHANTS = (
    "UBER *TRIP",
    "PRET A MANGER",
    "TFL TRAVEL CH",
    "AMZN Mktp",
    "SHELL 0423",
    "Wendy's",
    "McDonald's",
    "Hilton Garden Inn",
    "Deutsche Bahn",
    "SNCF Connect",
    "Renfe Viajeros",
)
PUBS = ("The King's Arms", "The Red Lion", "The Duke of Wellington", "The Rose and Crown", "The Royal Oak")
CHURCHES = ("St Mary's Church", "St. Joseph's", "All Saints' Church", "St Peter and St Paul", "Holy Trinity")
FUNERAL_HOMES = ("Hendricks & Sons Funeral Directors", "Co-op Funeralcare", "Maple Grove Funeral Home")
_FUNERAL_LOCAL = {
    "de": ("Abendfrieden", "Lichtblick", "Am Stadtpark"),
    "fr": ("du Centre", "de la Vallée", "Roc-Eclerc"),
    "es": ("La Paz", "San Isidro", "Tanatorio Norte"),
}
_FUNERAL_LOCAL["en"] = FUNERAL_HOMES
_CLINICS = ("Riverside Medical Centre", "Northgate Orthopaedic Clinic", "Parkview Surgery", "St Luke's Outpatients")
_SPECIALTIES = ("Orthopaedics", "Rheumatology", "Gastroenterology", "Travel Medicine", "Sports Medicine", "Ophthalmology")
_SPECIALTIES_LOCAL = {
    "de": ("Orthopädie", "Rheumatologie", "Gastroenterologie"),
    "fr": ("Orthopédie", "Rhumatologie", "Gastro-entérologie"),
    "es": ("Traumatología", "Reumatología", "Digestivo"),
}
_SPECIALTIES_LOCAL["en"] = _SPECIALTIES
_ICD10 = ("M23.5", "S83.51", "K90.0", "J45.9", "E11.9", "M77.1", "Z23", "T78.1", "H53.1", "R05")
_DRUGS = ("ibuprofen", "naproxen", "omeprazole", "amoxicillin", "salbutamol", "cetirizine", "Ramipril")
_COURTS = ("Magistrates' Court", "Crown Court", "County Court", "District Court Dept. 12")
AGENCIES = ("Harbour & Vale Estates", "Keystone Realty", "Brick Lane Lettings", "Castle Homes")
VENUES = ("The Old Brewery", "Harbour Hall", "Riverside Barn", "The Grand Pavilion", "Hotel Miramar", "the cricket pavilion")
_ORGS = ("Food Bank", "Repair Café", "parkrun", "Scouts", "Community Kitchen", "Hospice Shop")
_ROLES = ("driver", "sorting", "front desk", "marshal", "first aid", "kitchen", "set-up", "tail walker")
PODCASTS = (
    "Dinner with Dolores",
    "Ask Uncle Bernie",
    "The Grace Notes",
    "Hunter & Gatherer",
    "Miles to Go",
    "Summer of Code",
    "Penny for Your Thoughts",
)
PROMOS = ("SARAH20", "MIKE15", "ROSE10", "TOMMY25", "ANNA10", "HUNTER5")
_EP_TITLES = ("The long way round", "Nobody reads the manual", "Salt, fat and patience", "Training in the dark")
_SHOPS = ("Northwind Outdoor", "Pixel & Plug", "The Copper Pan", "Wayfarer Luggage")
_DOC_TITLES = ("Q3 roadmap (draft)", "Offsite plan", "Menu proposal v2", "Club handbook", "Incident postmortem")
_MEETING_TITLES = ("Weekly sync", "Quarterly review", "Kit order", "Menu tasting", "Offsite planning", "1:1")
TIME_ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Europe/Paris", "Europe/Madrid", "America/Chicago")
_REPOS = ("shop/api", "infra/terraform", "apps/matchday", "kitchen/menu-service")
_PATHS = ("src/config.py", "settings/prod.yaml", "tests/fixtures/users.json", ".env.example", "app/models/customer.rb")
_TABLES = ("customers", "members", "bookings", "users", "applicants", "payouts")
_CHARITIES = ("RNLI", "Macmillan Cancer Support", "British Heart Foundation", "local hospice")
_OLD_JOBS = ("coal miner", "domestic servant", "blacksmith", "railway porter", "weaver", "schoolmistress")
PAPER_TITLES = (
    "Measuring What Matters: An Empirical Study",
    "On the Limits of Small Models",
    "A Field Study of Everyday Data",
    "Lessons from Five Years of Deployment",
)
_CONFERENCES = ("NeurIPS", "EuroSys", "CHI", "ICML", "SIGCOMM", "KDD")
_DEPARTMENTS = ("Computer Science", "Sport and Exercise Science", "Food Science", "Geography", "Physics")
UNIVERSITIES = {
    "en_US": ("University of Chicago", "Boston University", "University of Texas at Austin"),
    "en_GB": ("University of Leeds", "Imperial College London", "University of Bristol"),
    "de_DE": ("Technische Universität München", "Universität Hamburg", "Universität zu Köln"),
    "fr_FR": ("Université de Lyon", "Sorbonne Université", "Université de Toulouse"),
    "es_ES": ("Universidad de Sevilla", "Universitat de Barcelona", "Universidad de Granada"),
}
INSTITUTES = (
    "Max Planck Institute for Informatics",
    "Institut Pasteur",
    "Alan Turing Institute",
    "Fraunhofer IIS",
    "Francis Crick Institute",
)
CLUBS = (
    "Riverside Athletic Club",
    "Northside Harriers",
    "Werder Bremen Fanclub",
    "Harbourside Rowing Club",
    "Sevilla FC Peña Los Olivos",
)
_KIT_SIZES = ("XS", "S", "M", "L", "XL", "junior 11-12")
_RELATIONS = ("mother", "father", "partner", "sister", "neighbour")
_EXP_CATEGORIES = ("Travel", "Meals", "Lodging", "Mileage", "Supplies")
_EVENT_KINDS = ("Wedding", "Summer party", "Retirement do", "Christening", "50th birthday", "Charity gala")
_PROP_TYPES = ("semi-detached house", "flat", "bungalow", "terraced house", "barn conversion")
_QUEUES = ("billing", "faults", "retentions", "baggage", "orders")
_CALL_BRANDS = ("Northwind Broadband", "FreshBox", "Skyline Rail", "Peak Fitness")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_GEDCOM_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# title, rank and suffix words: not names, for the unseen-pool check
NON_NAME_WORDS = frozenset(w for group in (*_DOCTOR_TITLES.values(), _RANKS, _SUFFIXES) for t in group for w in t.split())


class VaultValues(SealedValues):
    """Slot values for the vault family: the sealed family's shapes plus the ones listed in the module
    docstring. A slot may end in "~low" or "~up" to write the value in lower or upper case (speech
    transcripts, receipts). Everything comes from the rng and the seeded Fakers, nothing from the clock."""

    def draw(self, slot: str, loc: str) -> tuple[str | None, str]:
        base, _, case = slot.partition("~")
        entity, text = super().draw(base, loc)
        match case:
            case "":
                return entity, text
            case "low":
                return entity, text.lower()
            case "up":
                return entity, text.upper()
        raise ValueError(f"unknown case modifier in {slot!r}")

    # -- PII -------------------------------------------------------------------------------------------

    def _pii(self, entity: str, shape: str, f: Faker, r: random.Random, loc: str) -> str:
        match entity, shape:
            case "URL", ("maps" | "doi" | "meet" | "issue"):
                return self._vault_url(shape, f, r)
            case "SECRET", "zoom":
                return (
                    f"https://us0{r.randint(2, 6)}web.zoom.us/j/{r.randint(10**10, 10**11 - 1)}"
                    f"?pwd={''.join(r.choice(ALNUM) for _ in range(32))}"
                )
            case "DATE_OF_BIRTH", ("old" | "gedcom"):
                return self._old_birth_date(shape, r)
        return super()._pii(entity, shape, f, r, loc)

    def person(self, shape: str, f: Faker, r: random.Random, loc: str) -> str:
        if shape == "any":
            shape = r.choices(
                ["full", "first", "initial", "title", "word", "lower", "particle", "hyphen", "caps", "suffix"],
                weights=[38, 16, 8, 8, 8, 5, 6, 4, 4, 3],
            )[0]
        match shape:
            case "doctor":
                first, last = self._names(f, 2)
                return f"{r.choice(_DOCTOR_TITLES[loc])} {first + ' ' if r.random() < 0.4 else ''}{last}"
            case "rank":
                first, last = self._names(f, 2)
                return f"{r.choice(_RANKS)} {first + ' ' if r.random() < 0.3 else ''}{last}"
            case "suffix" if loc.startswith("en"):
                first, last = self._names(f, 2)
                return f"{first} {last}{r.choice([' ', ' ', ', '])}{r.choice(_SUFFIXES)}"
            case "suffix":
                return self.person("full", f, r, loc)
            case "particle":
                return self._particle_name(f, r, loc)
            case "hyphen":
                first, last = self._names(f, 2)
                return f"{first} {last}-{self._names(f, 2)[1]}"
            case "caps":
                first, last = self._names(f, 2)
                return r.choice([f"{first} {last.upper()}", f"{last.upper()} {first}", f"{last.upper()}, {first}"])
            case "author":
                first, last = self._names(f, 2)
                middle = r.choice(string.ascii_uppercase)
                return r.choice([f"{first} {middle}. {last}", f"{first[0]}. {middle}. {last}", f"{first} {last}"])
            case "apa":
                first, last = self._names(f, 2)
                return f"{last}, {first[0]}." + (f" {r.choice(string.ascii_uppercase)}." if r.random() < 0.5 else "")
            case "full" if r.random() < 0.1:
                return r.choice([self._particle_name, self._hyphen_name])(f, r, loc)
        return super().person(shape, f, r, loc)

    def _hyphen_name(self, f: Faker, r: random.Random, loc: str) -> str:
        return self.person("hyphen", f, r, loc)

    def _particle_name(self, f: Faker, r: random.Random, loc: str) -> str:
        """First name and a surname in several parts ("van der Berg", "García Márquez"); from the unseen
        pool only surnames whose every part the word lists leave out, else a hyphenated unseen one."""
        first, last = self._names(f, 2)
        pool = _PARTICLE_SURNAMES[loc]
        if self.name_pool == "unseen":
            pool = tuple(s for s in pool if all(is_unseen(w) for w in s.replace("-", " ").split()))
        if not pool:
            return f"{first} {last}-{self._names(f, 2)[1]}"
        return f"{first} {r.choice(pool)}"

    def location(self, shape: str, f: Faker, r: random.Random, loc: str) -> str:
        match shape:
            case "street":
                return self._vault_street(f, r, loc, unit=True)
            case "city" if r.random() < 0.35:
                return r.choice(_TOWNS[loc])
            case "village":
                return r.choice(TOWN_REGION[loc])[0] if r.random() < 0.6 else f.city()
            case "region":
                return r.choice(REGIONS[loc])
            case "cityregion":
                town, region = r.choice(TOWN_REGION[loc])
                if loc == "en_US" and r.random() < 0.5:
                    return f"{town}, {f.state_abbr()}" if r.random() < 0.3 else f"{town}, {region}"
                return f"{town} ({region})" if loc in ("de_DE", "fr_FR", "es_ES") and r.random() < 0.6 else f"{town}, {region}"
            case "line" if r.random() < 0.5:
                return f"{self._vault_street(f, r, loc, unit=True)}, {self.location('postcity', f, r, loc)}"
            case "upper":
                return self.location("line", f, r, loc).upper()
            case "block":
                return "\n".join(self._block(f, r, loc))
        return super().location(shape, f, r, loc)

    def _vault_street(self, f: Faker, r: random.Random, loc: str, unit: bool) -> str:
        street = r.choice(_STREETS[loc]) if r.random() < 0.5 else " ".join(f.street_name().split())
        num = str(r.randint(1, 199))
        match loc:
            case "en_US":
                extra = (
                    r.choice(["", "", f" Apt {r.randint(1, 30)}{r.choice('ABCD')}", f", Unit {r.randint(2, 90)}"]) if unit else ""
                )
                return f"{num} {street}{extra}"
            case "en_GB" if r.random() < 0.15:
                return f"{r.choice(HOUSE_NAMES)}, {street}"  # a named house has no number
            case "en_GB":
                return f"{num} {street}"
            case "de_DE":
                return f"{street} {num}{r.choice(['', '', 'a', ' b'])}"
            case "fr_FR":
                return f"{num}{r.choice(['', ' bis', ' ter', ''])} {street}"
            case _:
                floor = (
                    r.choice(["", f", {r.randint(1, 8)}º {r.choice('ABCD')}", f", {r.randint(1, 8)}.º derecha"]) if unit else ""
                )
                return f"{street}, {num}{floor}"

    def _block(self, f: Faker, r: random.Random, loc: str) -> list[str]:
        """An address over several lines, written as each country writes it on an envelope."""
        city, state, postcode = self._city(f, r, loc)
        street = self._vault_street(f, r, loc, unit=False)
        match loc:
            case "en_US":
                unit = [f"{r.choice(['Apt', 'Suite', 'Unit'])} {r.randint(2, 40)}{r.choice(['', 'B'])}"]
                if r.random() < 0.6:
                    unit = []
                return [street, *unit, f"{city}, {state} {postcode}"]
            case "en_GB":
                head = r.choice([[], [f"Flat {r.randint(1, 12)}"], [r.choice(HOUSE_NAMES)]])
                tail = [city, postcode] if r.random() < 0.5 else [f"{city} {postcode}"]
                return [*head, street, *tail]
            case "de_DE":
                head = ["Hinterhaus, 3. OG"] if r.random() < 0.2 else []
                return [*head, street, f"{postcode} {city}"]
            case "fr_FR":
                head = [f"Résidence Les Tilleuls, bât. {r.choice('ABC')}"] if r.random() < 0.3 else []
                return [*head, street, f"{postcode} {city.upper() if r.random() < 0.5 else city}"]
            case _:
                return [f"{street}, {r.randint(1, 8)}º {r.choice('ABCD')}", f"{postcode} {city}"]

    def _vault_url(self, shape: str, f: Faker, r: random.Random) -> str:
        def pick(chars: str, k: int) -> str:
            return "".join(r.choice(chars) for _ in range(k))

        match shape:
            case "maps":
                lat, lon = r.uniform(36.0, 58.0), r.uniform(-9.0, 14.0)
                return f"https://maps.google.com/?q={lat:.5f},{lon:.5f}"
            case "doi":
                return (
                    f"https://doi.org/10.{r.randint(1000, 99999)}/{pick(string.ascii_lowercase, 3)}."
                    f"{r.randint(2015, 2025)}.{r.randint(100, 9999)}"
                )
            case "meet":
                code = "-".join(pick(string.ascii_lowercase, k) for k in (3, 4, 3))
                return r.choice(
                    [f"https://meet.google.com/{code}", f"https://teams.{f.domain_name()}/l/meetup-join/{pick(HEX, 24)}"]
                )
        return f"https://github.com/{r.choice(_REPOS)}/issues/{r.randint(10, 9999)}"

    def _old_birth_date(self, shape: str, r: random.Random) -> str:
        """Birth dates of the dead and of ancestors, before 1950; written in the post's language."""
        year, month, day = r.randint(1850, 1950), r.randint(1, 12), r.randint(1, 28)
        if shape == "gedcom":
            return f"{day} {_GEDCOM_MONTHS[month - 1]} {year}"
        month_name = MONTHS[self.lang][month - 1]
        match self.lang:
            case "de":
                return f"{day}. {month_name} {year}"
            case "fr":
                return f"{'1er' if day == 1 else day} {month_name} {year}"
            case "es":
                return f"{day} de {month_name} de {year}"
        return r.choice([f"{day} {month_name} {year}", f"{month_name} {day}, {year}", f"{day} {_MONTH_ABBR[month - 1]} {year}"])

    # -- distractors -----------------------------------------------------------------------------------

    def _other(self, slot: str, f: Faker, r: random.Random, loc: str) -> str:
        lang = self.lang

        def pick(chars: str, k: int) -> str:
            return "".join(r.choice(chars) for _ in range(k))

        upper_digits = string.ascii_uppercase + string.digits
        match slot:
            case "call_id":
                return f"CL-{pick(upper_digits, 8)}"
            case "call_ref":
                return f"{pick(string.ascii_uppercase, 2)}{digits(r, 6)}"
            case "queue":
                return r.choice(_QUEUES)
            case "conf":
                return f"0.{r.randint(61, 97)}"
            case "wrap_code":
                return r.choice(["RESOLVED", "CALLBACK", "ESCALATED", "NO-ACTION"])
            case "call_brand":
                return r.choice(_CALL_BRANDS)
            case "pet":
                return r.choice(PETS)
            case "clinic_name":
                return r.choice(_CLINICS)
            case "specialty":
                return r.choice(_SPECIALTIES)
            case "specialty_local":
                return r.choice(_SPECIALTIES_LOCAL[lang])
            case "icd10":
                return r.choice(_ICD10)
            case "mrn":
                return f"RX{digits(r, 7)}"
            case "drug":
                return r.choice(_DRUGS)
            case "dose":
                return r.choice(["200 mg", "5 mg", "500 mg", "10 mg", "2 puffs"])
            case "bp":
                return f"{r.randint(105, 160)}/{r.randint(60, 95)}"
            case "pulse":
                return str(r.randint(52, 104))
            case "bmi":
                return f"{r.randint(18, 34)}.{r.randint(0, 9)}"
            case "clinic_room":
                return f"{r.choice('ABCDE')}{r.randint(1, 12)}"
            case "incident_no":
                return f"{r.randint(2021, 2025)}-{digits(r, 6)}"
            case "court":
                return r.choice(_COURTS)
            case "court_room" | "room_no":
                return str(r.randint(1, 14))
            case "court_case":
                return f"{r.randint(2021, 2025)}-CR-{digits(r, 6)}"
            case "plate":
                return {
                    "en_GB": f"{pick(string.ascii_uppercase, 2)}{digits(r, 2)} {pick(string.ascii_uppercase, 3)}",
                    "en_US": f"{r.randint(1, 9)}{pick(string.ascii_uppercase, 3)}{digits(r, 3)}",
                    "de_DE": f"{pick(string.ascii_uppercase, 2)}-{pick(string.ascii_uppercase, 2)} {r.randint(1, 9999)}",
                    "fr_FR": f"{pick(string.ascii_uppercase, 2)}-{digits(r, 3)}-{pick(string.ascii_uppercase, 2)}",
                }.get(loc, f"{digits(r, 4)} {pick('BCDFGHJKLMNPRSTVWXYZ', 3)}")
            case "offence_code":
                return f"{pick(string.ascii_uppercase, 2)}{digits(r, 5)}"
            case "bwv":
                return f"BWV-{digits(r, 5)}"
            case "badge":
                return digits(r, 4)
            case "txn_id":
                return f"TXN{pick(upper_digits, 10)}"
            case "dispute_no":
                return f"DSP-{digits(r, 7)}"
            case "merchant":
                return r.choice(MERCHANTS)
            case "arn":
                return digits(r, 23)  # longer than any card: no card-length run
            case "auth_code":
                return pick(upper_digits, 6)
            case "rf_ref":
                return _rf_reference(pick(upper_digits, r.randint(8, 12)))
            case "house_price":
                thousands = r.randint(95, 1900) * 1000
                return {
                    "en_US": f"${thousands:,}",
                    "en_GB": f"£{thousands:,}",
                    "de_DE": f"{thousands:,} €".replace(",", "."),
                }.get(loc, f"{thousands:,} €".replace(",", " "))
            case "prop_type":
                return r.choice(_PROP_TYPES)
            case "beds" | "baths" | "rooms":
                return str(r.randint(1, 5))
            case "sqm":
                return str(r.randint(38, 240))
            case "mls":
                return f"{r.choice(['MLS#', 'RE-', ''])}{digits(r, 8)}"
            case "tax_band":
                return r.choice("ABCDEFG")
            case "epc":
                return r.choice("ABCDEFG")
            case "year_old":
                return str(r.randint(1890, 1995))
            case "agency":
                return r.choice(AGENCIES)
            case "event_kind":
                return r.choice(_EVENT_KINDS)
            case "table":
                return str(r.randint(1, 24))
            case "venue":
                return r.choice(VENUES)
            case "song":
                return r.choice(SONGS)
            case "band_name":
                return r.choice(BANDS)
            case "yes_count" | "no_count":
                return str(r.randint(4, 120))
            case "shift":
                start = r.randint(7, 17)
                return f"{r.choice(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'])} {start:02d}:00–{start + 3:02d}:00"
            case "role":
                return r.choice(_ROLES)
            case "org":
                return r.choice(_ORGS)
            case "dbs_no":
                return fail_luhn("00" + digits(r, 10))  # twelve digits: card length
            case "channel_no":
                return str(r.randint(1, 16))
            case "hours":
                return str(r.randint(40, 600))
            case "timestamp":
                return f"{r.randint(0, 1):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"
            case "promo":
                return r.choice(PROMOS)
            case "tv_show":
                return r.choice(TV_SHOWS)
            case "podcast":
                return r.choice(PODCASTS)
            case "ep_title":
                return r.choice(_EP_TITLES)
            case "brand":
                return r.choice(NAME_BRANDS)
            case "brand_product":
                return r.choice(_BRAND_PRODUCTS)
            case "shop":
                return r.choice(_SHOPS)
            case "exp_no":
                return f"EXP-{r.randint(2021, 2025)}-{digits(r, 4)}"
            case "exp_category":
                return r.choice(_EXP_CATEGORIES)
            case "project_code":
                return f"PRJ-{digits(r, 4)}"
            case "miles":
                return str(r.randint(12, 420))
            case "doc_title":
                return r.choice(_DOC_TITLES)
            case "open_count":
                return str(r.randint(2, 30))
            case "row":
                return str(r.randint(2, 480))
            case "jira":
                return f"{r.choice(['OPS', 'WEB', 'FIN'])}-{r.randint(100, 9999)}"
            case "meeting_title":
                return r.choice(_MEETING_TITLES)
            case "weekday":
                return r.choice(_WEEKDAYS)
            case "tz":
                return r.choice(TIME_ZONES)
            case "ics_dt":
                day = f"{r.randint(2024, 2026)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
                return f"{day}T{r.randint(7, 18):02d}{r.choice(['00', '30'])}00"
            case "teams_id":
                return f"{digits(r, 3)} {digits(r, 3)} {digits(r, 3)} {digits(r, 2)}"
            case "git_date":
                return (
                    f"{r.choice(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'])} {r.choice(_MONTH_ABBR)} {r.randint(1, 28)} "
                    f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d} {r.randint(2021, 2025)} "
                    f"{r.choice(['+0100', '+0000', '-0500', '+0200'])}"
                )
            case "pr":
                return str(r.randint(10, 9999))
            case "repo":
                return r.choice(_REPOS)
            case "path":
                return r.choice(_PATHS)
            case "short_sha":
                return pick(HEX, 7)
            case "sql_table":
                return r.choice(_TABLES)
            case "ts_sql":
                return (
                    f"{r.randint(2021, 2025)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} "
                    f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}"
                )
            case "row_id":
                return str(r.randint(1, 999999))
            case "rows":
                return str(r.randint(1, 5000))
            case "scan_no":
                return digits(r, 5)
            case "low_regions":
                return str(r.randint(1, 6))
            case "store_no" | "op_no" | "tr_no":
                return digits(r, 5)
            case "aid":
                return r.choice(["A0000000031010", "A0000000041010", "A000000025010801"])
            case "receipt_no":
                return digits(r, 8)
            case "age_old":
                return str(r.randint(61, 101))
            case "charity":
                return r.choice(_CHARITIES)
            case "pub":
                return r.choice(PUBS)
            case "church":
                return r.choice(CHURCHES)
            case "funeral_home":
                return r.choice(FUNERAL_HOMES)
            case "funeral_local":
                return r.choice(_FUNERAL_LOCAL[lang])
            case "old_date":
                day, month, year = r.randint(1, 28), r.randint(1, 12), r.randint(1951, 2024)  # after any old birth date
                return r.choice([f"{day} {MONTHS['en'][month - 1]} {year}", f"{day} {_MONTH_ABBR[month - 1]} {year}"])
            case "gedcom_date":
                return f"{r.randint(1, 28)} {r.choice(_GEDCOM_MONTHS)} {r.randint(1870, 1990)}"
            case "gedcom_id":
                return str(r.randint(1, 999))
            case "research_id":
                return f"R{digits(r, 4)}"
            case "census_ref":
                return f"RG{r.choice(['12', '13', '14'])}/{digits(r, 5)}"
            case "fs_id":
                return f"{pick(upper_digits, 4)}-{pick(upper_digits, 3)}"
            case "old_job":
                return r.choice(_OLD_JOBS)
            case "vol" | "page":
                return str(r.randint(1, 300))
            case "cm":
                return str(r.randint(90, 900))
            case "paper_title":
                return r.choice(PAPER_TITLES)
            case "venue_conf":
                return r.choice(_CONFERENCES)
            case "dept":
                return r.choice(_DEPARTMENTS)
            case "university":
                return r.choice(UNIVERSITIES[loc])
            case "institute":
                return r.choice(INSTITUTES)
            case "orcid":
                return _orcid(r)
            case "doi":
                suffix = f"{pick(string.ascii_lowercase, 1)}{digits(r, 5)}-0{digits(r, 2)}-{digits(r, 5)}-{r.randint(0, 9)}"
                return f"10.{r.randint(1000, 99999)}/{suffix}"
            case "arxiv_id":
                return f"{r.randint(19, 25)}{r.randint(1, 12):02d}.{digits(r, 5)}"
            case "grant_no":
                return f"EP/{pick(string.ascii_uppercase, 1)}{digits(r, 6)}/1"
            case "club":
                return r.choice(CLUBS)
            case "season":
                year = r.randint(2023, 2026)
                return f"{year}/{str(year + 1)[2:]}"
            case "member_no":
                return f"M-{digits(r, 6)}"
            case "kit_size":
                return r.choice(_KIT_SIZES)
            case "relation":
                return r.choice(_RELATIONS)
            case "city_team":
                return r.choice(CITY_TEAMS)
        return super()._other(slot, f, r, loc)


def _rf_reference(payload: str) -> str:
    """An ISO 11649 creditor reference ("RF" + two check digits + payload), grouped in fours: it passes
    the same mod-97 check an IBAN does, but it is a payment reference, not an account."""
    digits = "".join(str(int(c, 36)) for c in payload + "RF00")
    check = 98 - int(digits) % 97
    ref = f"RF{check:02d}{payload}"
    return " ".join(ref[i : i + 4] for i in range(0, len(ref), 4))


def _orcid(r: random.Random) -> str:
    """A well-formed ORCID iD (ISO 7064 mod 11-2 check character); 16 characters in dashed groups, so
    one that happened to pass the card checksum is drawn again."""
    while True:
        base = "000" + str(r.randint(0, 3)) + digits(r, 11)
        total = 0
        for c in base:
            total = (total + int(c)) * 2
        check = (12 - total % 11) % 11
        full = base + ("X" if check == 10 else str(check))
        if not (full.isdigit() and luhn_ok(full)):
            return "-".join(full[i : i + 4] for i in range(0, 16, 4))


# ---- rendering ----------------------------------------------------------------------------------------


def fill(
    template: str,
    values: VaultValues,
    loc: str,
    fixed: Fixed,
    out: PostWriter,
    literal_fx: Callable[[str], str] | None = None,
    forbid: str = "",
) -> None:
    """Write `template` to `out` with its slots filled (`{=X}`: a value drawn once per post, kept in
    `fixed`). `literal_fx` rewrites the literal text only (speech-to-text lower case, OCR noise), never a
    value. A value with a character from `forbid` is drawn again (a quote inside an SQL string, a comma
    inside an ICS field). A LOCATION value over several lines gets one span per line (`out.by_line`)."""

    def draw(slot: str) -> tuple[str | None, str]:
        for _ in range(50):
            entity, text = values.draw(slot, loc)
            if not any(c in text for c in forbid):
                return entity, text
        raise RuntimeError(f"no value for {slot!r} without {forbid!r} in 50 draws")

    def literal(text: str) -> str:
        return literal_fx(text) if literal_fx and text else text

    templates.render(template, out, with_fixed(fixed, draw), literal)


def _asr(text: str) -> str:
    """Speech-to-text output: lower case, no sentence punctuation."""
    return "".join(c for c in text.lower() if c not in ",.?!;")


def _ocr(r: random.Random) -> Callable[[str], str]:
    """Scanner noise on printed text: O/0, l/1 and S/5 mix-ups inside words, doubled spaces, and a
    capitalized word printed letter-spaced. Letters only become digits inside words and spaces stay
    spaces, so a value next to the text keeps its token boundaries."""
    swaps = {"O": "0", "o": "0", "l": "1", "I": "1", "S": "5"}

    def fx(text: str) -> str:
        out = []
        for i, c in enumerate(text):
            inner = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            if c in swaps and inner and r.random() < 0.15:
                out.append(swaps[c])
            elif c == " " and r.random() < 0.2:
                out.append("  ")
            else:
                out.append(c)
        noisy = "".join(out)
        words = noisy.split(" ")
        caps = [i for i, w in enumerate(words) if 4 <= len(w) <= 8 and w.isalpha() and w.isupper()]
        if caps and r.random() < 0.3:
            i = r.choice(caps)
            words[i] = " ".join(words[i])
        return " ".join(words)

    return fx


# ---- the generator ------------------------------------------------------------------------------------


def vault_posts(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str]]:
    """The vault family: `(text, gold spans, label, locale)` per post, deterministic per seed (the same
    shape as `synth_sealed.sealed_posts`). Each post is one record in a style from VAULT_STYLES."""
    yield from without_style(vault_posts_detailed(n, seed, locale_mix, name_pool, pii_rate, weights))


def vault_posts_detailed(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str, str, str]]:
    """As `vault_posts`, with each post's style and language as well (for the tests)."""
    rng = random.Random(seed)
    fakers = make_fakers(seed, locale_mix)
    values = VaultValues(fakers, rng, name_pool)
    for _ in range(n):
        loc, label, lang = draw_setting(rng, locale_mix, VAULT_LOCAL, LOCAL_RATE)
        topic = TOPICS[label]
        style = pick_style(rng, lang, VAULT_STYLES, LOCAL_STYLES)
        if lang == "en":
            bank, frames = VAULT_EN[style], VAULT_FRAMES[style]
        else:
            bank, frames = VAULT_LOCAL[lang][style], VAULT_LOCAL_FRAMES[lang][style]
        values.lang = lang
        body = draw_lines(rng, bank, topic, 5 if style in FIELD_STYLES else 4, pii_rate, weights)
        fixed: Fixed = {}
        pieces = _frame(style, lang, body, frames, rng, values, loc, fixed)
        out = PostWriter(by_line=ADDRESS_LINES)
        for template, sep, fx, forbid in pieces:
            out.literal(sep)
            fill(template, values, loc, fixed, out, fx, forbid)
        yield out.text(), out.spans, label, loc, style, lang


Piece = tuple[str, str, Callable[[str], str] | None, str]  # template, separator before it, literal rewrite, forbidden chars


def _frame(
    style: str,
    lang: str,
    body: list[str],
    frames: dict[str, list[str]],
    rng: random.Random,
    values: VaultValues,
    loc: str,
    fixed: Fixed,
) -> list[Piece]:
    """(template, separator, literal rewrite, forbidden value characters) for the head, body and foot."""
    pieces: list[Piece] = []
    f = values.fakers[loc]

    def add(template: str, sep: str = "\n", fx: Callable[[str], str] | None = None, forbid: str = "") -> None:
        pieces.append((template, sep if pieces else "", fx, forbid))

    def head() -> None:
        add(rng.choice(frames["head"]))

    def foot(chance: float, sep: str = "\n") -> None:
        if frames["foot"] and rng.random() < chance:
            template = rng.choice(frames["foot"])
            # an ICS property value may not hold a comma or semicolon unquoted
            add(template, sep, forbid=",;" if template.startswith("BEGIN:") else "")

    def lines(fx: Callable[[str], str] | None = None, forbid: str = "", prefix: str = "") -> None:
        for t in body:
            add(prefix + t, "\n", fx, forbid)

    def prose(seps: Sequence[str]) -> None:
        for i, t in enumerate(body):
            run_on = i > 0 and ends_sentence(t) and ends_sentence(body[i - 1])
            add(t, rng.choice(seps) if run_on else "\n")

    greeting_key = lang if lang != "en" else style
    match style:
        case "call":
            fixed["=A"] = ("PERSON", values.person(rng.choice(["first", "first", "full"]), f, rng, loc).lower())
            head()
            seconds = rng.randint(2, 20)
            add(f"[{hms(seconds)}] agent: " + VAULT_AGENT_LINES[0])
            for t in body:
                seconds += rng.randint(4, 70)
                add(f"[{hms(seconds)}] caller: " + t, fx=_asr)
                if rng.random() < 0.5:
                    seconds += rng.randint(3, 40)
                    add(f"[{hms(seconds)}] agent: " + rng.choice(VAULT_AGENT_LINES[1:]))
            foot(0.5)
        case "clinic" | "dispute" | "order":
            head()
            if greeting_key in VAULT_GREETINGS and rng.random() < 0.7:
                add(rng.choice(VAULT_GREETINGS[greeting_key]), "\n\n")
            prose([" ", " ", "\n"])
            foot(0.7, "\n\n")
        case "comments":
            fixed["=A"] = ("PERSON", values.person("full", f, rng, loc))
            fixed["=B"] = ("PERSON", values.person(rng.choice(["first", "full", "initial"]), f, rng, loc))
            head()
            for t in body:
                who = rng.choice(["{=A} ({ago}): ", "{=B} ({ago}): ", "↳ {=A} replied: ", "↳ {=B} replied: "])
                add(who + t, "\n\n" if rng.random() < 0.3 else "\n")
            foot(0.4)
        case "commit":
            head()
            # the message first, then diff lines, then review comments, as git and review tools print them
            for t in sorted(body, key=lambda t: 0 if t.startswith("    ") else 1 if t[:1] in "+-di@" else 2):
                add(t, "\n")
            foot(0.4)
        case "sql":
            head()
            lines(forbid="'")
            foot(0.6)
        case "receipt":
            head()
            lines(fx=_ocr(rng))
            foot(0.4)
        case "rsvp":
            head()
            bullet = rng.choice(["", "• ", "- "])
            lines(prefix=bullet)
            foot(0.4)
        case "roster" | "expense" | "incident" | "calendar" | "genealogy" | "membership" | "paper":
            head()
            lines()
            foot(0.6 if style == "calendar" else 0.5, "\n\n" if style in ("paper", "calendar") else "\n")
        case "property" | "podcast" | "obituary":
            head()
            prose([" ", "\n"])
            foot(0.5)
        case _:
            raise ValueError(f"unknown style {style!r}")
    return pieces
