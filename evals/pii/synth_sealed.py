"""The "sealed" evaluation family: labeled synthetic user data written without reading the detector.

Written without reading the detector's code, its word lists, its configuration or any of its results;
the templates and framing are new, not rephrasings of the "tuning", "heldout", "blind" or "fresh"
families. Never change the detector while looking at its results on these posts: the family is only
worth something while nobody has tuned against it.

What a post looks like. Each post is one record of a kind a large company holds, in one of twelve
styles (SEALED_STYLES): a social-media comment with replies (handles, hashtags, emoji, lowercase,
typos), an SMS / messenger thread (named senders, WhatsApp export lines), a dating or community
profile ("About me"), a CV or job application (contact header with the address over two lines,
employment history with employers, towns and years), an insurance or warranty claim, a school /
parent e-mail, meeting minutes with attendee lists and actions, a travel booking or itinerary
(passenger names in airline form "OKAFOR/JOHN MR", hotel addresses, routes), a tenant / landlord
message, a classified ad, a gaming-community chat, and an app log / crash report / HTTP dump. About a
fifth of the posts (60% of those drawn in de_DE, fr_FR or es_ES) are written in the locale's own
language (SEALED_LOCAL: messenger threads, profiles, CVs and tenancy letters in German, French and
Spanish). Every post holds one line that names its topic (the `label`) and 1-5 lines that carry PII
or only look like it.

Value shapes (see `SealedValues`, on top of the fresh family's): names in full, first only, lowercase,
with locale titles, initials ("J. Okafor", "J.R. Okafor"), surname only ("Action: Okafor to ..."),
"Last, First", airline form, nicknames, possessive ("Rose's", span without the "'s"), and names that
are also words ("Rose", "Summer", "Hunter", "Will", "Koch", "Blanco"); addresses per locale in one
line, as street only, postcode and town, bare towns, PO boxes, and over two lines in letter heads;
phones in local, international, E.164 and unspaced forms; cards plain, spaced or dashed; IBANs plain
or grouped; SSNs; IPv4 (also with a port after it) and IPv6; URLs with paths and queries, profile
links, short links; birth dates in ISO, numeric, spelled-out English/German/French/Spanish ("1er
mars 1990", "3 de marzo de 1990", "3. März 1990") and year-less birthdays; secrets as vendor API
keys, JWTs, Discord bot tokens, session cookies, HTTP Basic credentials, passwords in prose and in
config, PEM private-key blocks and webhook or signed links.

Distractors that carry no label: booking references, e-ticket, order, policy, claim, crime-reference,
meeting, match, lobby and Steam IDs (every card-length number among them fails the Luhn check),
flight numbers, seats, gates, terminals, airport codes, versions, build fingerprints, UUIDs, hashes,
timestamps, WhatsApp export times, ordinary dates (travel dates, deadlines, term dates, employment
years, incident dates), ages, heights, prices, rents, meter readings, ports, stack traces, handles
and gamertags, hashtags, product and brand names (Dr Pepper, Jack Daniel's, Ray-Ban), sports teams
with city names (Leeds United, Real Madrid, 1. FC Köln), street-like names of shows and songs
(Coronation Street, Penny Lane, 21 Jump Street), pet names, and words that are also names used as
words ("my rose bush", "#SummerVibes", "Will it rain", "Mark the date", "Hunter class").

Labeling convention: the fresh family's (see `synth_fresh`), exactly:
  - every value inserted through an upper-case slot {ENTITY} or {ENTITY.shape} gets exactly one gold
    span of that entity covering the value and nothing else; lower-case slots ({pnr}, ...) and all
    literal template text get none, so spans never overlap and never include quotes, brackets, "@"
    handles or a possessive "'s";
  - PERSON covers the name as written, a title written with it included ("Dr. Weber", "OKAFOR/JOHN
    MR"); PERSON is for people: handles, gamertags and pets' names are not labeled;
  - LOCATION covers street addresses, PO boxes, postcode-and-town and a bare town or city used as a
    place where someone lives, is, works, goes or collects; a city inside a club, brand, show or
    song name is not a location, nor is an airport code;
  - DATE_OF_BIRTH only where the text makes the date a birth date (a year-less birthday counts);
  - URL means an http(s) address; SECRET covers the key, token or password itself, not the
    "Bearer ", "Basic " or "password=" before it.
What this family adds (decisions the fresh family did not have to make; they follow from it):
  - the label follows the form, not the owner: a company's, hotel's or school's public address is a
    LOCATION, a claims hotline or dial-in number a PHONE_NUMBER;
  - an address written over two lines (letter and CV heads) is two LOCATION spans, one per line;
  - cities in someone's employment history and on a traveller's route are LOCATION (places the
    person worked or goes); employment, travel, incident and deadline dates are not DATE_OF_BIRTH;
  - a URL that carries a credential (a Slack or Discord webhook, a link with `token=`/`sig=` in its
    query) is one SECRET span over the whole URL, not a URL: the credential is what makes it
    sensitive, and SECRET outranks URL in `entities.PRIORITY`;
  - an e-mail address or URL that contains a name ("linkedin.com/in/rose-okafor") is only the
    EMAIL_ADDRESS / URL; a password that contains a name-word ("Summer2024!") is only the SECRET.
"""

from __future__ import annotations

import base64
import random
import string
from collections.abc import Iterator, Sequence

from faker import Faker

from aircluster.privacy.detect.lexicon import is_unseen
from evals.pii import templates
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.shapes import ALNUM, HEX, MONTHS, digits, fail_luhn, numeric_date
from evals.pii.synth import TOPICS, Span, draw_setting, make_fakers, pick_style, without_style
from evals.pii.synth_fresh import FreshValues, ascii_word
from evals.pii.templates import Fixed, PostWriter, ends_sentence, with_fixed

# ---- English banks, one per style ---------------------------------------------------------------------
# topic: lines that set the label; pii: lines per entity; miss: lines that only look like PII.

SEALED_EN: dict[str, dict] = {
    "social": {
        "topic": {
            "sports": [
                "that last-minute equaliser had me screaming at the telly 😭",
                "who else is doing parkrun on saturday?? #parkrun",
            ],
            "tech": [
                "my phone updated overnight and now the battery lasts like 4 hours 🙃 #fail",
                "ok who broke the internet again, nothing loads",
            ],
            "food": [
                "third bakery this month to run out of croissants by 9am 😤",
                "made the viral feta pasta and honestly?? overrated #foodtok",
            ],
            "travel": [
                "booked flights on a whim at 2am, zero regrets ✈️ #wanderlust",
                "airport security confiscated my jam. JAM. #travelfail",
            ],
        },
        "pii": {
            "PERSON": [
                "lmao {PERSON.lower} this is literally you",
                "omg {PERSON.word} did u see this 😂",
                "tagging {PERSON.first} bc she still owes me a coffee",
                "rip {PERSON.full}, best teacher i ever had 🕊️",
                "{PERSON.possessive}'s mum makes it way better tbh",
                "congrats {PERSON.full}!!! so proud of u 🎉🎉",
                "not {PERSON.word} posting this at 3am again",
                "whoever {PERSON.full} is, thank u for handing in my wallet 🙏",
            ],
            "EMAIL_ADDRESS": [
                "dm me or email {EMAIL_ADDRESS} for collabs 💌",
                "emailed {EMAIL_ADDRESS} three times and nothing. zero. nada.",
                "business inquiries only pls: {EMAIL_ADDRESS}",
            ],
            "PHONE_NUMBER": [
                "anyone lost a dog near the park?? ring {PHONE_NUMBER} 🐶",
                "free kittens to a good home, text {PHONE_NUMBER.compact}",
                "pls stop calling {PHONE_NUMBER} i am NOT the pizza place",
            ],
            "CREDIT_CARD": ["bro really posted his whole card on here {CREDIT_CARD} 🤦 delete this"],
            "IBAN": ["fundraiser for the animal shelter, transfers go to {IBAN} 🐾 every bit helps"],
            "US_SSN": ["scam call said my social {US_SSN} was 'suspended' 🙄 nice try"],
            "IP_ADDRESS": [
                "someone from {IP_ADDRESS} keeps trying to log into my account?? 😳",
                "my ip is {IP_ADDRESS.v4} and the site still says i'm banned??",
            ],
            "URL": ["full vid here {URL} 👀", "sign the petition!! {URL.short}", "my insta is {URL.social}, follow for more"],
            "LOCATION": [
                "the cutest cafe just opened at {LOCATION.street} go go go",
                "anyone else in {LOCATION.city} hear that bang just now??",
                "moving to {LOCATION.city} next month, tips?? 🏙️",
                "lost my keys somewhere on {LOCATION.street} 😩 reward if found",
            ],
            "DATE_OF_BIRTH": [
                "born {DATE_OF_BIRTH.long} and still can't parallel park lol",
                "it's my bday!! {DATE_OF_BIRTH.dm} gang where u at 🎂",
            ],
            "SECRET": [
                "lol my brother's wifi password is literally {SECRET.password}",
                "accidentally showed my bot token {SECRET.discord} on stream 💀 (revoked it)",
            ],
        },
        "miss": [
            "it's giving summer vibes ☀️ #SummerVibes",
            "my rose bush finally bloomed 🌹",
            "the bounty hunter in that show deserved better",
            "{team} fans in shambles rn",
            "watched {show} reruns all weekend, no shame",
            "ep {episode} dropped at {time} and i've already watched it twice",
            "got {brand} on sale for {price} 🛍️",
            "will it rain tomorrow or nah",
            "posted this at {time} and it has {likes} likes already wtf",
            "v{version} update broke dark mode again",
            "just hit {likes} followers thank u!!",
        ],
    },
    "sms": {
        "topic": {
            "sports": ["r u coming to 5-a-side tonight", "training's off, pitch is flooded"],
            "tech": ["laptop just died mid essay 😭 can i borrow urs", "did u reset the router? wifi's down again"],
            "food": ["what do we need from the shop", "pizza or thai tonight?"],
            "travel": ["train's delayed 40 mins, start without me", "landed!! queue at passport control is insane"],
        },
        "pii": {
            "PERSON": [
                "{PERSON.first} says hi btw",
                "is {PERSON.full} still coming or not",
                "tell {PERSON.word} i've got her charger",
                "ok so {PERSON.lower} is picking up the kids today",
                "{PERSON.possessive}'s number changed, will send u the new one",
            ],
            "EMAIL_ADDRESS": ["send the pics to {EMAIL_ADDRESS} pls", "my uni email is {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": [
                "new number, save it: {PHONE_NUMBER}",
                "{PHONE_NUMBER.compact} is the plumber, he's good",
                "ring me on {PHONE_NUMBER} my other phone is dead",
            ],
            "CREDIT_CARD": ["just use my card for the booking, {CREDIT_CARD} exp {exp}"],
            "IBAN": ["can u transfer ur share of the rent to {IBAN} thx", "{IBAN} is my account for the concert tickets"],
            "US_SSN": ["for the taxes i need yours, mine is {US_SSN}"],
            "IP_ADDRESS": ["can u whitelist my home ip {IP_ADDRESS.v4} on the nas"],
            "URL": ["here's the airbnb {URL}", "{URL.short} ← vote for my photo pls"],
            "LOCATION": [
                "we're at {LOCATION.street}, the red door",
                "address for the party: {LOCATION}",
                "dropped ur parcel at {LOCATION.casual}",
                "meet outside the station in {LOCATION.city}?",
            ],
            "DATE_OF_BIRTH": [
                "the form wants mum's dob, is it {DATE_OF_BIRTH}?",
                "grandad was born {DATE_OF_BIRTH.long} right? doing the family tree",
            ],
            "SECRET": [
                "wifi is the one ending 5G, pw {SECRET.password}",
                "streaming login is my email + {SECRET.password}, don't change it",
                "here's the server key u asked for, delete after\n{SECRET.pem}",
            ],
        },
        "miss": [
            "on my way, 10 mins",
            "booking ref is {pnr} if u need it",
            "parcel tracking {tracking}",
            "that's {price} each",
            "the summer sale ends {date}",
            "happy mother's day ❤️",
            "yeah will do x",
            "running late, the {bus} didn't come",
            "it's {time} already??",
        ],
    },
    "profile": {
        "topic": {
            "sports": [
                "Weekend climber, weekday desk jockey. Looking for a belay partner 🧗",
                "If you can't handle fantasy football chat, swipe left.",
            ],
            "tech": [
                "I fix computers for a living and my own never work.",
                "Gamer, keyboard nerd, will judge your cable management.",
            ],
            "food": ["Will cook for you. Will also judge your spice rack.", "Ramen snob, brunch enthusiast, oat milk skeptic."],
            "travel": [
                "32 countries and counting, next stop somewhere with mountains.",
                "Happiest on a night train with a good book.",
            ],
        },
        "pii": {
            "PERSON": [
                "I'm {PERSON.first}, friends call me {PERSON.nick}.",
                "Name's {PERSON.word} (yes, really).",
                "Raised by my gran {PERSON.full}, the best cook alive.",
                "My ex {PERSON.first} still has my favourite hoodie.",
            ],
            "EMAIL_ADDRESS": ["Not on here much, write to {EMAIL_ADDRESS} instead."],
            "PHONE_NUMBER": ["If we match, text me: {PHONE_NUMBER}"],
            "URL": ["My photography: {URL}", "Playlist that explains me: {URL.social}"],
            "LOCATION": [
                "Living in {LOCATION.city}, originally from {LOCATION.city}.",
                "Based near {LOCATION.postcity}.",
                "Most Sundays you'll find me at the market on {LOCATION.street}.",
            ],
            "DATE_OF_BIRTH": [
                "Born {DATE_OF_BIRTH.long}, which makes me a {zodiac}, apparently.",
                "Birthday: {DATE_OF_BIRTH.dm} (cake is mandatory).",
            ],
        },
        "miss": [
            "{height} cm, if that matters.",
            "Not looking for anything serious.",
            "Dog person, sorry cat people 🐶",
            "Favourite song: Penny Lane. Favourite show: {show}.",
            "Fluent in sarcasm and {lang_name}.",
            "Just turned {age}.",
            "Summer is my season, winter can leave.",
            "Will beat you at Mario Kart.",
            "Member since {date}.",
        ],
    },
    "cv": {
        "topic": {
            "sports": [
                "Profile: Sports scientist with eight years in elite athlete conditioning.",
                "Interests: marathon running, coaching an under-12s football team",
            ],
            "tech": [
                "Profile: Backend engineer, mostly Go and Python, on payment systems since 2015.",
                "Skills: Kubernetes, Terraform, PostgreSQL, incident response",
            ],
            "food": [
                "Profile: Head chef with a background in French and Japanese kitchens.",
                "Certificates: Food Hygiene Level 3, allergen management",
            ],
            "travel": [
                "Profile: Tour operations coordinator, fluent in three languages.",
                "Experience: planning group tours across 14 countries",
            ],
        },
        "pii": {
            "PERSON": [
                "Referee: {PERSON.title}, {job}, {company}",
                "Name: {PERSON.full}",
                "Supervisor at {company}: {PERSON.initial}",
            ],
            "EMAIL_ADDRESS": ["E: {EMAIL_ADDRESS}", "✉ {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ["T: {PHONE_NUMBER}", "☎ {PHONE_NUMBER} (mobile)"],
            "US_SSN": ["SSN (US applicants, for the background check): {US_SSN}"],
            "URL": ["LinkedIn: {URL.linkedin}", "Portfolio — {URL}", "GitHub: {URL.github}"],
            "LOCATION": [
                "Address: {LOCATION}",
                "{year_range}  {job}, {company}, {LOCATION.city}",
                "{year_range}  Apprenticeship, {company}, {LOCATION.city}",
            ],
            "DATE_OF_BIRTH": [
                "D.O.B. {DATE_OF_BIRTH.numeric}",
                "Born: {DATE_OF_BIRTH.long}",
                "Date & place of birth: {DATE_OF_BIRTH.long}, {LOCATION.city}",
            ],
        },
        "miss": [
            "{year_range}  {job}, {company}",
            "Languages: English (native), {lang_name} (B2)",
            "Driving licence: full, clean",
            "Available from {date}",
            "Salary expectation: {price}",
            "Notice period: 3 months",
            "Employee of the month, {month_year}",
        ],
    },
    "claim": {
        "topic": {
            "sports": [
                "Description of loss: bicycle stolen from a locked shed overnight.",
                "Injury during a five-a-side match, physiotherapy invoices attached.",
            ],
            "tech": [
                "Item: laptop, liquid damage, keyboard and board unresponsive.",
                "Fault reported: TV panel shows vertical lines after 14 months.",
            ],
            "food": [
                "Freezer failed during the power cut and the contents spoiled.",
                "Dishwasher leaked and damaged the kitchen floor.",
            ],
            "travel": [
                "Suitcase arrived torn with the handle missing on the return flight.",
                "Trip cancelled due to illness, seeking a refund of the non-refundable hotel.",
            ],
        },
        "pii": {
            "PERSON": [
                "Policyholder: {PERSON.full}",
                "Witness: {PERSON.title}, neighbour",
                "Assessor assigned: {PERSON.initial}",
                "Third party driver: {PERSON.form}",
            ],
            "EMAIL_ADDRESS": ["Correspondence to: {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ["Contact number (daytime): {PHONE_NUMBER}", "Claims hotline: {PHONE_NUMBER}"],
            "CREDIT_CARD": ["Excess paid by card {CREDIT_CARD}"],
            "IBAN": ["Settlement to be paid to IBAN {IBAN}", "Payee account: {IBAN}"],
            "US_SSN": ["Claimant SSN: {US_SSN}"],
            "IP_ADDRESS": ["Submitted online from IP {IP_ADDRESS}"],
            "URL": ["Photos uploaded: {URL}"],
            "LOCATION": [
                "Risk address: {LOCATION}",
                "Place of incident: {LOCATION.street}, {LOCATION.city}",
                "Approved repairer: {company}, {LOCATION}",
            ],
            "DATE_OF_BIRTH": ["Policyholder DOB: {DATE_OF_BIRTH.numeric}", "Claimant's date of birth — {DATE_OF_BIRTH.long}"],
            "SECRET": ["Claims portal temporary password: {SECRET.password}", "Upload link (do not share): {SECRET.link}"],
        },
        "miss": [
            "Date of incident: {date}",
            "Purchase date: {date}, receipt enclosed",
            "Amount claimed: {price}",
            "Excess: {price}",
            "Serial no.: {serial}",
            "Crime reference number: {crime_ref}",
            "Model: {brand} {model}",
            "Claim status: under review",
        ],
    },
    "school": {
        "topic": {
            "sports": [
                "Sports day has moved to the Friday because of the weather.",
                "Swimming lessons start after half term, please pack a towel.",
            ],
            "tech": [
                "Tablets for homework will be handed out next week.",
                "Please make sure your child can log in to the reading app at home.",
            ],
            "food": [
                "The school kitchen is trialling a new lunch menu, feedback welcome.",
                "A reminder that nuts are not allowed in packed lunches.",
            ],
            "travel": [
                "The Year 5 residential trip to the coast is now fully booked.",
                "The museum trip coach leaves at 8.15 sharp.",
            ],
        },
        "pii": {
            "PERSON": [
                "{PERSON.first} was off sick yesterday with a temperature.",
                "{PERSON.word} will be picked up by her grandmother, {PERSON.full}, on Thursday.",
                "Could {PERSON.first} sit away from {PERSON.first} for a while?",
                "{PERSON.possessive}'s reading book has gone missing.",
                "Please see {PERSON.title} in the office about dinner money.",
            ],
            "EMAIL_ADDRESS": ["Forms can be returned to {EMAIL_ADDRESS}.", "My work email is {EMAIL_ADDRESS} if that's easier."],
            "PHONE_NUMBER": ["In an emergency please ring me on {PHONE_NUMBER}.", "School office: {PHONE_NUMBER}"],
            "IBAN": ["Trip payments by bank transfer to {IBAN}, reference: child's name."],
            "URL": ["Online permission form: {URL}"],
            "LOCATION": [
                "We've moved house, the new address is {LOCATION}.",
                "The coach leaves from {LOCATION}, please arrive early.",
            ],
            "DATE_OF_BIRTH": [
                "{PERSON.first} (born {DATE_OF_BIRTH.child}) is joining Reception in September.",
                "Child's date of birth: {DATE_OF_BIRTH.child}",
            ],
            "SECRET": ["Reading app login: username {unix_user}, password {SECRET.password}"],
        },
        "miss": [
            "Term ends on {date}.",
            "The deadline for the trip deposit is {date}.",
            "The trip costs {price} per pupil.",
            "Class {child_class} will be in the hall.",
            "Please label all uniform.",
            "Harvest festival donations by {date}, tins only.",
            "Reading week runs from {date} to {date}.",
        ],
    },
    "minutes": {
        "topic": {
            "sports": [
                "1. Club finances: pitch hire goes up 8% next season.",
                "2. The under-14s need two more volunteer coaches.",
            ],
            "tech": [
                "1. Migration to the new ticketing system is two weeks late.",
                "2. Agreed to freeze deploys during the audit.",
            ],
            "food": [
                "1. Canteen contract renewal: three bids received.",
                "2. The food bank collection point moves to the lobby.",
            ],
            "travel": [
                "1. Travel policy: economy only for flights under six hours.",
                "2. Offsite venue shortlist narrowed to two options.",
            ],
        },
        "pii": {
            "PERSON": [
                "Action: {PERSON.last} to circulate the budget by Friday.",
                "{PERSON.initial} raised concerns about the timeline.",
                "AOB: {PERSON.full} leaves in May, card going round.",
                "Thanks to {PERSON.full} for hosting.",
            ],
            "EMAIL_ADDRESS": ["Agenda items to {EMAIL_ADDRESS} by the Wednesday before."],
            "PHONE_NUMBER": ["Dial-in: {PHONE_NUMBER}, meeting ID {meeting_id}"],
            "IBAN": ["Treasurer: annual subs to be paid into {IBAN}."],
            "IP_ADDRESS": ["IT: the new office VPN exit address is {IP_ADDRESS.v4}, allow-list it."],
            "URL": ["Slides and recording: {URL}"],
            "LOCATION": ["Next meeting at {LOCATION}, room {room}.", "Offsite venue confirmed: {LOCATION}."],
            "SECRET": ["Shared drive password reset to {SECRET.password} (change it!)."],
        },
        "miss": [
            "Minutes of the last meeting approved.",
            "Next meeting: {date}, {time}.",
            "Budget approved: {price}.",
            "Decision deferred to Q{quarter}.",
            "Vote: 7 for, 2 against, 1 abstention.",
            "Action carried over from {date}.",
            "Mark the calendar: AGM on {date}.",
        ],
    },
    "travel": {
        "topic": {
            "sports": ["Package: ski week, lift passes included.", "Includes match tickets, Saturday 15:00 kick-off."],
            "tech": ["Conference package: hotel + 3-day pass.", "Includes an in-flight Wi-Fi voucher."],
            "food": ["Half board: breakfast and dinner included.", "Food tour on day 2, dietary needs noted."],
            "travel": ["Fare: Economy Light, 1 cabin bag, no checked luggage.", "Room: double, sea view, non-refundable."],
        },
        "pii": {
            "PERSON": [
                "Passenger 1: {PERSON.pnr}",
                "Lead guest: {PERSON.full}",
                "Passengers: {PERSON.pnr}, {PERSON.pnr}",
                "Booked by {PERSON.title}",
            ],
            "EMAIL_ADDRESS": ["Confirmation sent to {EMAIL_ADDRESS}"],
            "PHONE_NUMBER": ["Mobile for SMS updates: {PHONE_NUMBER.e164}"],
            "CREDIT_CARD": ["Paid with {card_brand} {CREDIT_CARD}"],
            "IP_ADDRESS": ["Booking made from IP address {IP_ADDRESS} (fraud screening passed)"],
            "URL": ["Travel advice for your trip: {URL}"],
            "LOCATION": [
                "Hotel: {hotel}, {LOCATION}",
                "Pick-up address: {LOCATION}",
                "Flight {flight} {LOCATION.city} → {LOCATION.city}, {date} {time}",
                "Billing address: {LOCATION}",
            ],
            "DATE_OF_BIRTH": ["Passenger date of birth: {DATE_OF_BIRTH.dmy}", "DOB (as in passport): {DATE_OF_BIRTH.iso}"],
            "SECRET": ["Manage your booking: {SECRET.link}"],
        },
        "miss": [
            "Booking reference: {pnr}",
            "Seat {seat}, gate closes {time}",
            "E-ticket number: {eticket}",
            "Check-in from {time}, check-out by 11:00.",
            "Total: {price} incl. taxes",
            "Depart {date} {time}, arrive {date} {time}",
            "Terminal {terminal}, {airport} → {airport}",
            "Baggage allowance: 23 kg",
        ],
    },
    "tenancy": {
        "topic": {
            "sports": ["Is it ok to keep my bike in the hallway?", "The gym in the basement has been locked for a week."],
            "tech": ["The broadband keeps dropping, can you contact the provider?", "The smart thermostat shows an error code."],
            "food": ["The oven only heats on one side since last week.", "There's a mouse in the kitchen, we need pest control."],
            "travel": [
                "I'll be abroad for a month, could someone check the post?",
                "We're moving out at the end of the year, please take this as our notice.",
            ],
        },
        "pii": {
            "PERSON": [
                "The letting agent, {PERSON.full}, said to message you directly.",
                "My partner {PERSON.first} will be home for the plumber.",
                "Landlord: {PERSON.title}",
                "{PERSON.word} from flat 3 has the spare key.",
            ],
            "EMAIL_ADDRESS": ["Please copy {EMAIL_ADDRESS} on anything about the lease."],
            "PHONE_NUMBER": ["The plumber's number is {PHONE_NUMBER}.", "Out-of-hours emergencies: {PHONE_NUMBER}"],
            "CREDIT_CARD": ["Holding deposit charged to {CREDIT_CARD}."],
            "IBAN": ["Rent is paid monthly to {IBAN}.", "Please return the deposit to {IBAN}."],
            "US_SSN": ["The rental application asks for my SSN ({US_SSN}), do you really need it?"],
            "IP_ADDRESS": ["The router admin page at {IP_ADDRESS.v4} asks for a login we never got."],
            "URL": ["Photos of the damp: {URL}"],
            "LOCATION": [
                "Property: {LOCATION}",
                "Re: boiler at {LOCATION.street}",
                "Forwarding address after we move out: {LOCATION}",
            ],
            "DATE_OF_BIRTH": ["Tenant reference: {PERSON.full}, born {DATE_OF_BIRTH.long}"],
            "SECRET": ["Router login for the flat: admin / {SECRET.password}"],
        },
        "miss": [
            "Rent for {month_year}: {price}",
            "Inspection booked for {date} between 9 and 12.",
            "Meter reading: {meter} kWh on {date}.",
            "Deposit protection certificate no. {dps}",
            "The lease ends on {date}.",
            "Bins go out on Tuesday night.",
        ],
    },
    "classified": {
        "topic": {
            "sports": ["Set of golf clubs, left-handed, bag included.", "Looking for a second-hand rowing machine."],
            "tech": ["Old game consoles, working or not, cash paid.", "Printer, works fine, just needs ink."],
            "food": ["Bread maker, used twice, instructions included.", "Allotment veg box, weekly, seasonal."],
            "travel": ["Camper van awning, fits most vans.", "Two kids' car seats, fine for long trips."],
        },
        "pii": {
            "PERSON": ["Ask for {PERSON.first}.", "Contact {PERSON.full} after 6pm.", "Ad placed by {PERSON.initial}"],
            "EMAIL_ADDRESS": ["Replies to {EMAIL_ADDRESS} with photos please."],
            "PHONE_NUMBER": ["Call or text {PHONE_NUMBER}.", "{PHONE_NUMBER.compact} (no withheld numbers)"],
            "IBAN": ["Deposit to secure it: {IBAN}"],
            "URL": ["More pics: {URL}"],
            "LOCATION": [
                "Collect from {LOCATION.postcity}.",
                "Viewing at {LOCATION.street}, weekends only.",
                "Can deliver within 10 miles of {LOCATION.city}.",
            ],
        },
        "miss": [
            "{price} or nearest offer.",
            "No time wasters.",
            "Available from {date}.",
            "Ref {listing_id}",
            "Cat not included (her name is Pepper, she's not for sale).",
            "Still boxed, {brand}.",
            "Category: {category}",
        ],
    },
    "gaming": {
        "topic": {
            "sports": ["anyone up for pro clubs tonight", "football game servers lagging again"],
            "tech": ["new patch broke my keybinds", "my gpu is at 90c in the lobby lmao"],
            "food": ["brb pizza", "who's ordering food for the lan"],
            "travel": ["playing from hotel wifi, sorry for the ping", "on the train tethering, expect lag"],
        },
        "pii": {
            "PERSON": [
                "my real name is {PERSON.full} but dont tell anyone lol",
                "{PERSON.lower} ur on mute",
                "irl friend {PERSON.first} is joining, inv him",
            ],
            "EMAIL_ADDRESS": ["my acc email is {EMAIL_ADDRESS} if u need to add me"],
            "PHONE_NUMBER": ["text me {PHONE_NUMBER} when the raid starts"],
            "CREDIT_CARD": ["chargeback on card {CREDIT_CARD} got me banned 💀"],
            "IP_ADDRESS": [
                "server ip is {IP_ADDRESS.v4}:{port}",
                "connect {IP_ADDRESS.v4}:{port}; pw is in discord",
                "who keeps ddosing {IP_ADDRESS}",
            ],
            "URL": ["clip: {URL}", "join here {URL.short}"],
            "LOCATION": ["im in {LOCATION.city} so 80 ping is normal", "lan is at {LOCATION}, bring ur own chair"],
            "DATE_OF_BIRTH": ["the age check wants a dob, i put {DATE_OF_BIRTH.iso} lol"],
            "SECRET": [
                'rcon_password "{SECRET.password}"',
                "bot token leaked: {SECRET.discord}",
                "here's my alt, user {handle} pass {SECRET.password}",
                "pasted the wrong thing, that was our webhook {SECRET.webhook} pls dont spam it",
                "some guy said paste ur session token for free skins: {SECRET.jwt} is that ok??",
                "wrong clipboard lmao ignore\n{SECRET.pem}",
            ],
        },
        "miss": [
            "gg ez",
            "steam id {steam_id}",
            "add me on steam, id {steam_id}",
            "match id {match_id}",
            "patch {version} notes are up",
            "ping {ms}ms, fps {fps}",
            "Hunter class is so broken rn",
            "the Summer event ends {date}",
            "lobby code {lobby_code}",
            "{team} in ultimate team is cracked",
        ],
    },
    "applog": {
        "topic": {
            "sports": ["app={app_sports} build={build} starting", "module=live-scores refresh interval 15s"],
            "tech": ["app={app_tech} build={build} starting", "module=sync-engine conflict resolver enabled"],
            "food": ["app={app_food} build={build} starting", "module=basket-service promo cache warmed"],
            "travel": ["app={app_travel} build={build} starting", "module=seat-map fare cache warmed"],
        },
        "pii": {
            "PERSON": ['user.displayName="{PERSON.full}"', "Device name: {PERSON.possessive}'s iPhone"],
            "EMAIL_ADDRESS": [
                '{ts_iso} level=warn msg="login failed" user={EMAIL_ADDRESS} attempts=3',
                "Crash submitted by {EMAIL_ADDRESS} (diagnostics opt-in)",
            ],
            "PHONE_NUMBER": ['{ts_iso} level=info msg="otp dispatched" msisdn={PHONE_NUMBER.e164}'],
            "CREDIT_CARD": ["PaymentError: card {CREDIT_CARD.plain} declined (do_not_honor)"],
            "IBAN": ["{ts_iso} level=error payout rejected iban={IBAN.plain} reason=AC04"],
            "US_SSN": ['KYC payload {{"ssn": "{US_SSN}", "status": "pending"}}'],
            "IP_ADDRESS": [
                "X-Forwarded-For: {IP_ADDRESS}, {IP_ADDRESS.v4}",
                "{ts_iso} level=info remote={IP_ADDRESS.v4}:{port} status=499",
                "Host: {IP_ADDRESS.v4}:{port}",
            ],
            "URL": ["GET {URL} -> 302", "Referer: {URL}"],
            "LOCATION": ['geocoder query="{LOCATION}" matches=1'],
            "DATE_OF_BIRTH": ["profile sync: dob={DATE_OF_BIRTH.iso} locale={loc_code}"],
            "SECRET": [
                "Authorization: Bearer {SECRET.jwt}",
                "Authorization: Basic {SECRET.basic}",
                "Cookie: sid={SECRET.cookie}; theme=dark",
                "X-Api-Key: {SECRET.token}",
                "POST {SECRET.webhook} -> 200",
                "key material found in the core dump:\n{SECRET.pem}",
                "config.smtp.password={SECRET.password}",
                "alerting.webhook_url={SECRET.webhook}",
                "Set-Cookie: access_token={SECRET.jwt}; Path=/; HttpOnly",
                "Proxy-Authorization: Basic {SECRET.basic}",
            ],
        },
        "miss": [
            'Exception in thread "main" java.lang.NullPointerException',
            "    at {pkg}.MainActivity.onCreate(MainActivity.java:{line})",
            "{ts_iso} level=info request_id={uuid} duration_ms={ms}",
            "Build fingerprint: {fingerprint}",
            "App version {version} ({build})",
            "commit {sha40}",
            "User-Agent: Mozilla/5.0 (X11; Linux x86_64)",
            "HTTP/1.1 429 Too Many Requests",
            "Thread: RenderThread, pid {pid}",
            "crash_id={uuid}",
            "Retry-After: 120",
        ],
    },
}

# ---- local-language banks: German, French and Spanish posts for de_DE, fr_FR and es_ES ------------------

SEALED_LOCAL: dict[str, dict[str, dict]] = {
    "de": {
        "sms": {
            "topic": {
                "sports": ["Training fällt heute aus, der Platz ist gesperrt.", "Kommst du am Samstag mit ins Stadion?"],
                "tech": ["Mein Handy spinnt seit dem Update total.", "Kannst du mir nochmal zeigen, wie der Drucker geht?"],
                "food": ["Was kochen wir heute Abend?", "Bringst du bitte Milch und Brot mit?"],
                "travel": ["Der Zug hat 30 Minuten Verspätung, fangt ohne mich an.", "Sind gut gelandet, das Wetter ist super!"],
            },
            "pii": {
                "PERSON": [
                    "{PERSON.first} lässt dich grüßen!",
                    "Hast du {PERSON.full} schon Bescheid gesagt?",
                    "{PERSON.word} holt heute die Kinder ab.",
                ],
                "EMAIL_ADDRESS": ["Schick die Fotos bitte an {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Meine neue Nummer: {PHONE_NUMBER}", "Ruf mal {PHONE_NUMBER} an, das ist der Handwerker."],
                "IBAN": ["Überweis mir das Geld einfach auf {IBAN}."],
                "URL": ["Hier ist der Link zur Wohnung: {URL}"],
                "LOCATION": ["Meine Adresse ist {LOCATION}.", "Treffpunkt: {LOCATION.street}, vor dem Bäcker."],
                "DATE_OF_BIRTH": [
                    "Ich bin am {DATE_OF_BIRTH.long} geboren, falls du das fürs Formular brauchst.",
                    "Mama ist am {DATE_OF_BIRTH.long} geboren, oder?",
                ],
                "SECRET": ["Das WLAN-Passwort ist {SECRET.password}."],
            },
            "miss": [
                "Bin in 10 Minuten da.",
                "Die Buchungsnummer ist {pnr}.",
                "Das Paket hat die Sendungsnummer {tracking}.",
                "Kostet {price} pro Person.",
                "Der Sommer kann kommen ☀️",
                "Frohe Ostern euch allen!",
                "Abgabe ist am {date_local}.",
            ],
        },
        "profile": {
            "topic": {
                "sports": ["Ich laufe jeden Morgen fünf Kilometer, auch im Winter."],
                "tech": ["Ich arbeite als Entwicklerin und bastle am Wochenende an alten Rechnern."],
                "food": ["Ich koche leidenschaftlich gern, am liebsten italienisch."],
                "travel": ["Ich reise gern mit dem Rucksack, am liebsten durch Skandinavien."],
            },
            "pii": {
                "PERSON": ["Ich heiße {PERSON.first}, meine Freunde nennen mich {PERSON.nick}."],
                "EMAIL_ADDRESS": ["Schreib mir gern an {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Per WhatsApp erreichbar unter {PHONE_NUMBER}."],
                "URL": ["Meine Fotos findest du unter {URL}."],
                "LOCATION": ["Ich wohne in {LOCATION.city}, komme aber ursprünglich aus {LOCATION.city}."],
                "DATE_OF_BIRTH": [
                    "Geboren bin ich am {DATE_OF_BIRTH.long}.",
                    "Mein Geburtstag ist am {DATE_OF_BIRTH.dm}, Kuchen ist Pflicht.",
                ],
            },
            "miss": [
                "Ich bin {age} Jahre alt und {height} cm groß.",
                "Hunde sind toll, Katzen auch.",
                "Lieblingsverein: 1. FC Köln, trotz allem.",
                "Mitglied seit {date_local}.",
            ],
        },
        "cv": {
            "topic": {
                "sports": ["Sportwissenschaftler mit Schwerpunkt Trainingssteuerung"],
                "tech": ["Softwareentwicklerin mit acht Jahren Erfahrung in Java und Kotlin"],
                "food": ["Koch mit Erfahrung in der gehobenen Gastronomie"],
                "travel": ["Reiseverkehrskauffrau mit Schwerpunkt Gruppenreisen"],
            },
            "pii": {
                "PERSON": ["Name: {PERSON.full}", "Referenz: {PERSON.title}, {company}"],
                "EMAIL_ADDRESS": ["E-Mail: {EMAIL_ADDRESS}"],
                "PHONE_NUMBER": ["Telefon: {PHONE_NUMBER}", "Mobil: {PHONE_NUMBER}"],
                "URL": ["Profil: {URL.linkedin}"],
                "LOCATION": ["Anschrift: {LOCATION}", "{year_range}  {job}, {company}, {LOCATION.city}"],
                "DATE_OF_BIRTH": ["Geburtsdatum: {DATE_OF_BIRTH.numeric}", "Geboren am {DATE_OF_BIRTH.long} in {LOCATION.city}"],
            },
            "miss": [
                "Führerschein Klasse B",
                "Sprachen: Deutsch (Muttersprache), Englisch (C1)",
                "Verfügbar ab {date_local}",
                "Gehaltsvorstellung: {price} brutto jährlich",
                "{year_range}  {job}, {company}",
            ],
        },
        "tenancy": {
            "topic": {
                "sports": ["Darf ich mein Fahrrad im Keller abstellen?"],
                "tech": ["Das Internet in der Wohnung fällt ständig aus."],
                "food": ["Der Herd funktioniert seit gestern nicht mehr."],
                "travel": ["Ich bin ab nächster Woche vier Wochen verreist."],
            },
            "pii": {
                "PERSON": [
                    "Der Hausmeister, {PERSON.full}, hat den Schlüssel.",
                    "{PERSON.title} aus dem dritten Stock beschwert sich über den Lärm.",
                ],
                "EMAIL_ADDRESS": ["Bitte antworten Sie an {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Der Notdienst ist unter {PHONE_NUMBER} erreichbar."],
                "IBAN": ["Bitte überweisen Sie die Kaution zurück auf {IBAN}.", "Die Miete geht wie immer auf {IBAN}."],
                "LOCATION": ["Betrifft die Wohnung {LOCATION}", "Meine neue Anschrift: {LOCATION}"],
                "DATE_OF_BIRTH": ["Für die Mieterselbstauskunft: geboren am {DATE_OF_BIRTH.numeric}."],
                "SECRET": ["Das WLAN im Treppenhaus hat das Passwort {SECRET.password}."],
            },
            "miss": [
                "Die Nebenkostenabrechnung für {year} kommt im Frühjahr.",
                "Die Miete beträgt {price} warm.",
                "Zählerstand: {meter} kWh am {date_local}.",
                "Besichtigung am {date_local} um {time} Uhr.",
            ],
        },
    },
    "fr": {
        "sms": {
            "topic": {
                "sports": ["L'entraînement est annulé ce soir, le terrain est inondé."],
                "tech": ["Mon téléphone rame depuis la mise à jour."],
                "food": ["On mange quoi ce soir ?", "Tu peux prendre du pain en rentrant ?"],
                "travel": ["Le train a 20 minutes de retard, commencez sans moi."],
            },
            "pii": {
                "PERSON": ["{PERSON.first} te passe le bonjour !", "Tu as prévenu {PERSON.full} ?"],
                "EMAIL_ADDRESS": ["Envoie les photos à {EMAIL_ADDRESS} stp."],
                "PHONE_NUMBER": ["Mon nouveau numéro : {PHONE_NUMBER}", "Appelle le plombier au {PHONE_NUMBER}."],
                "IBAN": ["Tu peux me rembourser sur {IBAN} ?"],
                "URL": ["Voilà l'annonce : {URL}"],
                "LOCATION": ["Mon adresse, c'est {LOCATION}.", "On se retrouve à {LOCATION.city} demain ?"],
                "DATE_OF_BIRTH": [
                    "Je suis né le {DATE_OF_BIRTH.long}, si tu en as besoin pour le formulaire.",
                    "Mamie est née le {DATE_OF_BIRTH.long}, c'est bien ça ?",
                ],
                "SECRET": ["Le mot de passe du wifi : {SECRET.password}"],
            },
            "miss": [
                "J'arrive dans 10 minutes.",
                "Le numéro de réservation est {pnr}.",
                "Ça fait {price} par personne.",
                "Bonne fête des mères maman ❤️",
                "Le colis a le numéro de suivi {tracking}.",
                "Rendu du dossier le {date_local}.",
            ],
        },
        "profile": {
            "topic": {
                "sports": ["Je fais du vélo tous les week-ends, même sous la pluie."],
                "tech": ["Développeur le jour, joueur de jeux vidéo la nuit."],
                "food": ["Je cuisine beaucoup, surtout des plats du sud-ouest."],
                "travel": ["J'adore voyager en train à travers l'Europe."],
            },
            "pii": {
                "PERSON": ["Je m'appelle {PERSON.first}, mais tout le monde m'appelle {PERSON.nick}."],
                "EMAIL_ADDRESS": ["Écris-moi à {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Sur WhatsApp au {PHONE_NUMBER}."],
                "URL": ["Mes photos : {URL}"],
                "LOCATION": ["J'habite à {LOCATION.city} depuis cinq ans."],
                "DATE_OF_BIRTH": ["Je suis née le {DATE_OF_BIRTH.long}.", "Anniversaire le {DATE_OF_BIRTH.dm}, à bon entendeur."],
            },
            "miss": [
                "J'ai {age} ans.",
                "Fan du PSG depuis toujours.",
                "Membre depuis le {date_local}.",
                "Plutôt chats que chiens.",
            ],
        },
        "cv": {
            "topic": {
                "sports": ["Éducateur sportif diplômé, spécialité football"],
                "tech": ["Ingénieure logiciel, dix ans d'expérience en Python"],
                "food": ["Chef de partie, cuisine traditionnelle et pâtisserie"],
                "travel": ["Agent de voyage, spécialiste des circuits en groupe"],
            },
            "pii": {
                "PERSON": ["Nom : {PERSON.full}", "Référence : {PERSON.title}, {company}"],
                "EMAIL_ADDRESS": ["Courriel : {EMAIL_ADDRESS}"],
                "PHONE_NUMBER": ["Tél. : {PHONE_NUMBER}"],
                "URL": ["Profil : {URL.linkedin}"],
                "LOCATION": ["Adresse : {LOCATION}", "{year_range}  {job}, {company}, {LOCATION.city}"],
                "DATE_OF_BIRTH": ["Né le {DATE_OF_BIRTH.long} à {LOCATION.city}", "Date de naissance : {DATE_OF_BIRTH.numeric}"],
            },
            "miss": [
                "Permis B",
                "Langues : français (langue maternelle), anglais (courant)",
                "Disponible à partir du {date_local}",
                "Prétentions salariales : {price} brut annuel",
                "{year_range}  {job}, {company}",
            ],
        },
        "tenancy": {
            "topic": {
                "sports": ["Est-ce que je peux ranger mon vélo dans la cave ?"],
                "tech": ["La box internet ne fonctionne plus depuis lundi."],
                "food": ["Le four ne chauffe plus depuis hier."],
                "travel": ["Je pars un mois en voyage à partir de la semaine prochaine."],
            },
            "pii": {
                "PERSON": ["Le gardien, {PERSON.full}, a les clés.", "{PERSON.title}, au troisième, se plaint du bruit."],
                "EMAIL_ADDRESS": ["Merci de répondre à {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Le dépanneur est joignable au {PHONE_NUMBER}."],
                "IBAN": ["Merci de me rembourser la caution sur {IBAN}.", "Le loyer est versé sur {IBAN}."],
                "LOCATION": ["Objet : logement situé {LOCATION}", "Ma nouvelle adresse : {LOCATION}"],
                "DATE_OF_BIRTH": ["Pour le dossier de location : née le {DATE_OF_BIRTH.numeric}."],
                "SECRET": ["Le code wifi de la colocation est {SECRET.password}."],
            },
            "miss": [
                "Le loyer est de {price} charges comprises.",
                "État des lieux le {date_local} à {time}.",
                "Relevé du compteur : {meter} kWh.",
                "La régularisation des charges {year} arrive bientôt.",
            ],
        },
    },
    "es": {
        "sms": {
            "topic": {
                "sports": ["Hoy no hay entrenamiento, el campo está cerrado."],
                "tech": ["Se me ha bloqueado el móvil otra vez."],
                "food": ["¿Qué cenamos hoy?", "¿Puedes comprar pan al volver?"],
                "travel": ["El tren va con 20 minutos de retraso."],
            },
            "pii": {
                "PERSON": ["{PERSON.first} te manda saludos.", "¿Has avisado a {PERSON.full}?"],
                "EMAIL_ADDRESS": ["Mándame las fotos a {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Mi número nuevo es {PHONE_NUMBER}.", "Llama al fontanero, {PHONE_NUMBER}."],
                "IBAN": ["Hazme la transferencia a {IBAN}."],
                "URL": ["Mira el piso: {URL}"],
                "LOCATION": ["Mi dirección es {LOCATION}.", "Quedamos en {LOCATION.street} a las ocho."],
                "DATE_OF_BIRTH": [
                    "Nací el {DATE_OF_BIRTH.long}, por si lo necesitas para el formulario.",
                    "El abuelo nació el {DATE_OF_BIRTH.long}, ¿verdad?",
                ],
                "SECRET": ["La contraseña del wifi es {SECRET.password}."],
            },
            "miss": [
                "Llego en 10 minutos.",
                "El localizador es {pnr}.",
                "Son {price} por persona.",
                "¡Feliz Navidad a todos!",
                "El paquete tiene el número de seguimiento {tracking}.",
                "La entrega es el {date_local}.",
            ],
        },
        "profile": {
            "topic": {
                "sports": ["Salgo a correr todas las mañanas por el parque."],
                "tech": ["Programador de día, gamer de noche."],
                "food": ["Me encanta cocinar, sobre todo arroces."],
                "travel": ["Viajo siempre que puedo, con mochila y sin planes."],
            },
            "pii": {
                "PERSON": ["Me llamo {PERSON.first}, pero me dicen {PERSON.nick}."],
                "EMAIL_ADDRESS": ["Escríbeme a {EMAIL_ADDRESS}."],
                "PHONE_NUMBER": ["Por WhatsApp: {PHONE_NUMBER}."],
                "URL": ["Mis fotos: {URL}"],
                "LOCATION": ["Vivo en {LOCATION.city}, aunque soy de {LOCATION.city}."],
                "DATE_OF_BIRTH": ["Cumpleaños: {DATE_OF_BIRTH.dm}, ¡apúntalo!", "Nacida el {DATE_OF_BIRTH.long}."],
            },
            "miss": ["Tengo {age} años.", "Del Atlético de Madrid hasta la muerte.", "Miembro desde el {date_local}."],
        },
        "cv": {
            "topic": {
                "sports": ["Entrenador deportivo titulado, especialidad baloncesto"],
                "tech": ["Ingeniera de software con diez años de experiencia en Java"],
                "food": ["Cocinero con experiencia en restaurantes con estrella"],
                "travel": ["Agente de viajes especializado en grupos"],
            },
            "pii": {
                "PERSON": ["Nombre: {PERSON.full}", "Referencia: {PERSON.title}, {company}"],
                "EMAIL_ADDRESS": ["Correo: {EMAIL_ADDRESS}"],
                "PHONE_NUMBER": ["Teléfono: {PHONE_NUMBER}"],
                "URL": ["Perfil: {URL.linkedin}"],
                "LOCATION": ["Dirección: {LOCATION}", "{year_range}  {job}, {company}, {LOCATION.city}"],
                "DATE_OF_BIRTH": [
                    "Fecha de nacimiento: {DATE_OF_BIRTH.numeric}",
                    "Nacido el {DATE_OF_BIRTH.long} en {LOCATION.city}",
                ],
            },
            "miss": [
                "Carné de conducir B",
                "Idiomas: español (nativo), inglés (B2)",
                "Disponibilidad: a partir del {date_local}",
                "Expectativa salarial: {price} brutos al año",
                "{year_range}  {job}, {company}",
            ],
        },
        "tenancy": {
            "topic": {
                "sports": ["¿Puedo guardar la bici en el trastero?"],
                "tech": ["El wifi del piso se corta cada dos por tres."],
                "food": ["La nevera hace un ruido rarísimo desde ayer."],
                "travel": ["Estaré fuera un mes por un viaje, a partir del lunes."],
            },
            "pii": {
                "PERSON": ["El portero, {PERSON.full}, tiene las llaves.", "{PERSON.title}, la del tercero, se queja del ruido."],
                "EMAIL_ADDRESS": ["Responde a {EMAIL_ADDRESS}, por favor."],
                "PHONE_NUMBER": ["El técnico de la caldera: {PHONE_NUMBER}."],
                "IBAN": ["Por favor, devuélveme la fianza a {IBAN}.", "El alquiler se paga a {IBAN}."],
                "LOCATION": ["Asunto: piso en {LOCATION}", "Mi nueva dirección: {LOCATION}"],
                "DATE_OF_BIRTH": ["Para el contrato: fecha de nacimiento {DATE_OF_BIRTH.numeric}."],
                "SECRET": ["La clave del wifi del piso es {SECRET.password}."],
            },
            "miss": [
                "El alquiler son {price} al mes.",
                "La visita es el {date_local} a las {time}.",
                "Lectura del contador: {meter} kWh.",
                "La derrama de {year} se paga en dos plazos.",
            ],
        },
    },
}
LOCAL_STYLES = ("sms", "profile", "cv", "tenancy")
LOCAL_RATE = 0.6  # share of de_DE / fr_FR / es_ES posts written in the locale's language

# ---- framing ------------------------------------------------------------------------------------------
# Header and footer lines per style; {=X} is a value drawn once per post (a thread's sender, say).

SEALED_FRAMES: dict[str, dict[str, list[str]]] = {
    "social": {
        "head": ["@{handle} · {ago}", "{handle} replied to @{handle}", "Comment by @{handle}"],
        "foot": ["{likes} likes · {replies} replies", "#{hashtag} #{hashtag}", "↳ {replies} more replies"],
    },
    "sms": {
        "head": ["SMS · {=A} · {PHONE_NUMBER}", "WhatsApp chat with {=A}", "Messages — {date}"],
        "foot": ["Delivered", "Read {time}"],
    },
    "profile": {
        "head": ["About me", "~ about me ~", "Bio:", "Profile · {age}, {LOCATION.city}"],
        "foot": ["Looking for: {looking_for}", "Languages: English, {lang_name}"],
    },
    "cv": {
        "head": ["CURRICULUM VITAE", "Résumé — {job}", "Application for the post of {job} (ref. {job_ref})"],
        "foot": ["References available on request.", "Last updated {month_year}"],
    },
    "claim": {
        "head": ["CLAIM FORM — Policy {policy_no}", "Warranty claim #{claim_no}", "Re: claim {claim_no} / policy {policy_no}"],
        "foot": ["I declare the above is true to the best of my knowledge.", "Submitted online {ts_iso}"],
    },
    "school": {
        "head": ["Subject: {school_subject}"],
        "foot": [
            "Kind regards,\n{PERSON.full}\nClass teacher, {child_class}",
            "Thanks,\n{PERSON.first}",
            "Many thanks,\n{PERSON.title}",
        ],
    },
    "minutes": {
        "head": ["MINUTES — {committee} meeting, {date}", "Meeting notes {date} (room {room})"],
        "foot": ["Meeting closed at {time}.", "Minutes taken by {PERSON.first}."],
    },
    "travel": {
        "head": ["BOOKING CONFIRMATION — ref {pnr}", "Your itinerary · {pnr}", "E-ticket receipt {eticket}"],
        "foot": ["Have a great trip!", "Changes are subject to fare rules."],
    },
    "tenancy": {
        "head": ["Message to landlord · {date}", "Tenant portal — maintenance request {ticket}"],
        "foot": ["Thanks,\n{PERSON.first}", "Best wishes,\n{PERSON.full}\n{LOCATION.street}\n{LOCATION.postcity}"],
    },
    "classified": {
        "head": ["WANTED", "FREE TO COLLECT", "SWAP OR SELL", "CLASSIFIEDS · {category}"],
        "foot": ["Posted {date}", "Ad ID {listing_id}"],
    },
    "gaming": {"head": ["#{channel} — {server_name}"], "foot": []},
    "applog": {
        "head": ["Crash report · {app} {version}", "=== request dump ({ts_iso}) ===", "Log excerpt from {host}:"],
        "foot": ["--- end of report ---", "(truncated, {lines_more} more lines)"],
    },
}
# The German, French and Spanish posts have their own heads and signatures.
SEALED_LOCAL_FRAMES: dict[str, dict[str, dict[str, list[str]]]] = {
    "de": {
        "sms": {"head": ["SMS · {=A} · {PHONE_NUMBER}", "WhatsApp-Chat mit {=A}"], "foot": ["Gelesen {time}"]},
        "profile": {"head": ["Über mich"], "foot": ["Ich suche: nette Leute zum Quatschen"]},
        "cv": {"head": ["Lebenslauf", "Bewerbung als {job}"], "foot": ["{LOCATION.city}, den {date_local}"]},
        "tenancy": {
            "head": ["Betreff: Mietwohnung, Nachricht vom {date_local}"],
            "foot": [
                "Mit freundlichen Grüßen\n{PERSON.full}",
                "Viele Grüße\n{PERSON.full}\n{LOCATION.street}\n{LOCATION.postcity}",
            ],
        },
    },
    "fr": {
        "sms": {"head": ["SMS · {=A} · {PHONE_NUMBER}", "Discussion WhatsApp avec {=A}"], "foot": ["Lu à {time}"]},
        "profile": {"head": ["À propos de moi"], "foot": ["Je cherche : des sorties sympas"]},
        "cv": {
            "head": ["Curriculum vitae", "Candidature au poste de {job}"],
            "foot": ["Fait à {LOCATION.city}, le {date_local}"],
        },
        "tenancy": {
            "head": ["Objet : mon logement, message du {date_local}"],
            "foot": ["Cordialement,\n{PERSON.full}", "Bien à vous,\n{PERSON.full}\n{LOCATION.street}\n{LOCATION.postcity}"],
        },
    },
    "es": {
        "sms": {"head": ["SMS · {=A} · {PHONE_NUMBER}", "Chat de WhatsApp con {=A}"], "foot": ["Leído {time}"]},
        "profile": {"head": ["Sobre mí"], "foot": ["Busco: gente con ganas de planes"]},
        "cv": {"head": ["Currículum vitae", "Candidatura al puesto de {job}"], "foot": ["En {LOCATION.city}, a {date_local}"]},
        "tenancy": {
            "head": ["Asunto: el piso, mensaje del {date_local}"],
            "foot": ["Un saludo,\n{PERSON.full}", "Atentamente,\n{PERSON.full}\n{LOCATION.street}\n{LOCATION.postcity}"],
        },
    },
}
# Lines that only frame a post and carry PII through slots; used by the frames below.
SEALED_GREETINGS = {
    "school": ["Dear {PERSON.title},", "Dear Parents and Carers,", "Hi {PERSON.first},"],
    "tenancy": ["Hi {PERSON.first},", "Dear {PERSON.title},", "Hello,"],
    "de": ["Guten Tag {PERSON.title},", "Hallo {PERSON.first},"],
    "fr": ["Bonjour {PERSON.title},", "Salut {PERSON.first},"],
    "es": ["Hola {PERSON.title}:", "Buenas, {PERSON.first}:"],
}
SEALED_MINUTES_PEOPLE = [
    "Present: {PERSON.full}, {PERSON.full}, {PERSON.initial}, {PERSON.first}",
    "Attendees: {PERSON.form}; {PERSON.form}; {PERSON.form}",
    "Chair: {PERSON.title}. Minutes: {PERSON.first}.",
    "Apologies: {PERSON.full}",
]
SEALED_CV_HEADS = [
    "{PERSON.full}\n{LOCATION.street}\n{LOCATION.postcity}\n{PHONE_NUMBER} · {EMAIL_ADDRESS}",
    "{PERSON.upper}\n{LOCATION} | {PHONE_NUMBER} | {EMAIL_ADDRESS}",
    "{PERSON.full}",
]

# (style, weight)
SEALED_STYLES: tuple[tuple[str, float], ...] = (
    ("social", 0.12),
    ("sms", 0.11),
    ("profile", 0.07),
    ("cv", 0.08),
    ("claim", 0.08),
    ("school", 0.08),
    ("minutes", 0.07),
    ("travel", 0.09),
    ("tenancy", 0.08),
    ("classified", 0.07),
    ("gaming", 0.07),
    ("applog", 0.08),
)
CASUAL_STYLES = ("social", "sms", "gaming")

# ---- value material -----------------------------------------------------------------------------------

# names that are also ordinary words, per locale: (first names, surnames)
WORD_NAMES = {
    "en_US": (
        (
            "Rose",
            "Summer",
            "Hunter",
            "Grace",
            "Hope",
            "Faith",
            "Will",
            "Mark",
            "Amber",
            "Holly",
            "Ivy",
            "Dawn",
            "Sky",
            "Jade",
            "Ruby",
            "Penny",
            "Chase",
            "Miles",
            "Autumn",
            "River",
        ),
        (
            "Baker",
            "Fisher",
            "Cook",
            "Mason",
            "Young",
            "Long",
            "Brown",
            "Green",
            "King",
            "Little",
            "Page",
            "Bell",
            "Hunter",
            "Summers",
            "Rivers",
            "Frost",
        ),
    ),
    "de_DE": (
        ("Ernst", "Frank", "Wolf", "Rose", "Sonja", "Heide", "Silke", "Sky", "Kai"),
        ("Koch", "Fuchs", "Vogel", "Wolf", "Sommer", "Winter", "Bauer", "Schneider", "Jung", "Klein", "Lang"),
    ),
    "fr_FR": (
        ("Rose", "Blanche", "Pierre", "Olive", "Prune", "Victoire", "Aube", "Ambre", "Capucine"),
        ("Boulanger", "Petit", "Leblanc", "Blanc", "Roux", "Marchand", "Bonheur", "Fontaine", "Chevalier"),
    ),
    "es_ES": (
        ("Rosa", "Blanca", "Paz", "Luz", "Dolores", "Amparo", "Pilar", "Mar", "Alegría", "Consuelo"),
        ("Iglesias", "Prado", "Moreno", "Blanco", "Rubio", "Delgado", "Cruz", "Castillo", "Calvo", "Cordero"),
    ),
}
WORD_NAMES["en_GB"] = WORD_NAMES["en_US"]
PNR_TITLES = ("MR", "MRS", "MS", "MISS", "DR")
HANDLES = (
    ("pixel", "turbo", "night", "frost", "chaos", "lunar", "silent", "mega", "shadow", "crispy", "sleepy"),
    ("wolf", "ninja", "byte", "storm", "gamer", "panda", "fox", "knight", "blade", "noodle", "toast"),
)
_COMPANIES = {
    "en": (
        "Northwind Logistics",
        "Tesco",
        "Vodafone",
        "Airbus",
        "Accenture",
        "Brightline Media",
        "Harbourview Hotels",
        "Greenleaf Foods",
        "Deloitte",
        "Kestrel Analytics",
    ),
    "de": ("Siemens AG", "Deutsche Bahn", "Zalando SE", "Lidl Dienstleistung", "Stadtwerke", "Bosch"),
    "fr": ("Carrefour", "Decathlon", "Orange", "SNCF", "Air France", "Groupe Casino"),
    "es": ("Telefónica", "BBVA", "Mercadona", "Iberia", "Inditex", "Renfe"),
}
_JOBS = {
    "en": (
        "Software Engineer",
        "Account Manager",
        "Sous Chef",
        "Physiotherapist",
        "Data Analyst",
        "Travel Consultant",
        "Warehouse Supervisor",
        "Project Coordinator",
    ),
    "de": ("Softwareentwicklerin", "Sachbearbeiter", "Koch", "Projektleiterin", "Physiotherapeut"),
    "fr": ("Développeuse", "Chef de projet", "Commis de cuisine", "Comptable", "Conseiller voyage"),
    "es": ("Desarrolladora", "Jefe de proyecto", "Cocinero", "Contable", "Agente de viajes"),
}
_TEAMS = (
    "Leeds United",
    "Manchester City",
    "Real Madrid",
    "Olympique Lyonnais",
    "Borussia Dortmund",
    "Boston Celtics",
    "Chicago Bulls",
    "Inter Miami",
    "Atlético de Madrid",
)
_SHOWS = ("Coronation Street", "Sesame Street", "Melrose Place", "21 Jump Street", "Electric Avenue")
_BRANDS = ("Dr Pepper", "Jack Daniel's", "Hugo Boss", "Tim Hortons", "IKEA", "Lego", "Ray-Ban", "Samsung")
_HOTELS = ("Premier Inn", "Hotel Miramar", "NH Collection", "Ibis Budget", "Motel One", "Holiday Inn Express")
_ZODIAC = ("Leo", "Virgo", "Scorpio", "Gemini", "Pisces", "Capricorn")
_EMOJI = ("😂", "🙏", "🔥", "😭", "💀", "✨", "👀", "❤️")


class SealedValues(FreshValues):
    """Slot values for the sealed family: the fresh family's shapes plus the ones listed in the module
    docstring. `lang` is the language of the post being written ("en", "de", "fr", "es"); spelled-out
    dates follow it. Everything comes from the rng and the seeded Fakers, nothing from the clock."""

    def __init__(self, fakers: dict[str, Faker], rng: random.Random, name_pool: str):
        super().__init__(fakers, rng, name_pool)
        self.lang = "en"

    # -- PII -------------------------------------------------------------------------------------------

    def _pii(self, entity: str, shape: str, f: Faker, r: random.Random, loc: str) -> str:
        match entity, shape:
            case "PHONE_NUMBER", "compact":
                return self._compact_phone(r, loc)
            case "URL", ("short" | "social" | "linkedin" | "github"):
                return self._sealed_url(shape, f, r)
            case "SECRET", ("discord" | "cookie" | "basic" | "webhook" | "link"):
                return self._sealed_secret(shape, f, r)
            case "CREDIT_CARD", "plain":
                return f.credit_card_number()
            case "IP_ADDRESS", "v4":
                return r.choice([f.ipv4_public, f.ipv4_public, f.ipv4_private])()
            case "LOCATION", "casual":
                return self._street(f, r, loc).lower()
        return super()._pii(entity, shape, f, r, loc)

    def person(self, shape: str, f: Faker, r: random.Random, loc: str) -> str:
        if shape == "any":
            shape = r.choices(["full", "first", "initial", "title", "word", "lower"], weights=[45, 20, 10, 10, 10, 5])[0]
        match shape:
            case "word":
                return self._word_name(f, r, loc)
            case "possessive":  # the template writes the "'s"; one word, so "Rose's", "Okafor's"
                return r.choice([self._names(f, 1)[0], self._names(f, 1)[0], self._word_name(f, r, loc).split()[0]])
            case "last":
                return self._names(f, 2)[1]
            case "pnr":
                return self._pnr_name(f, r)
            case "initial" if r.random() < 0.3:
                first, last = self._names(f, 2)
                return f"{first[0]}.{r.choice(string.ascii_uppercase)}. {last}"
            case "full" if r.random() < 0.12:
                return self._word_name(f, r, loc, full=True)
        return super().person(shape, f, r, loc)

    def _word_name(self, f: Faker, r: random.Random, loc: str, full: bool = False) -> str:
        """A name that is also a word ("Rose", "Summer Koch", "Will Baker"); from the unseen pool only
        what the word lists leave out, else an ordinary unseen name."""
        firsts, lasts = WORD_NAMES[loc]
        if self.name_pool == "unseen":
            firsts = tuple(w for w in firsts if is_unseen(w))
            lasts = tuple(w for w in lasts if is_unseen(w))
        first, last = self._names(f, 2)
        kind = r.random()
        if firsts and (kind < 0.5 or not lasts):
            return f"{r.choice(firsts)} {last}" if full or kind < 0.15 else r.choice(firsts)
        if lasts:
            return f"{first} {r.choice(lasts)}"
        return f"{first} {last}" if full else first

    def _pnr_name(self, f: Faker, r: random.Random) -> str:
        """Airline form: SURNAME/FIRSTNAME TITLE, upper case ASCII."""
        for _ in range(50):
            first, last = (ascii_word(n).upper() for n in self._names(f, 2))
            if first and last and (self.name_pool != "unseen" or (is_unseen(first) and is_unseen(last))):
                return f"{last}/{first} {r.choice(PNR_TITLES)}"
        raise RuntimeError("no unseen ASCII name found in 50 draws")

    def _compact_phone(self, r: random.Random, loc: str) -> str:
        d = digits
        return {
            "en_US": f"{r.randint(201, 989)}{r.randint(200, 999)}{d(r, 4)}",
            "en_GB": f"07{d(r, 9)}",
            "de_DE": f"01{r.choice('567')}{d(r, 8)}",
            "fr_FR": f"0{r.choice('67')}{d(r, 8)}",
            "es_ES": f"6{d(r, 8)}",
        }[loc]

    def _sealed_url(self, shape: str, f: Faker, r: random.Random) -> str:
        handle = self._other("handle", f, r, "en_US")
        match shape:
            case "short":
                return f"https://{r.choice(['bit.ly', 'tinyurl.com', 't.co'])}/{''.join(r.choice(ALNUM) for _ in range(7))}"
            case "social":
                site = r.choice(["www.instagram.com", "www.tiktok.com/@", "open.spotify.com/user", "soundcloud.com"])
                return f"https://{site}{'' if site.endswith('@') else '/'}{handle}"
            case "linkedin":
                first, last = (ascii_word(n).lower() or "x" for n in self._names(f, 2))
                return f"https://www.linkedin.com/in/{first}-{last}-{''.join(r.choice(HEX) for _ in range(6))}"
        return f"https://github.com/{handle}"

    def _sealed_secret(self, shape: str, f: Faker, r: random.Random) -> str:
        def pick(chars: str, k: int) -> str:
            return "".join(r.choice(chars) for _ in range(k))

        upper_digits = string.ascii_uppercase + string.digits
        match shape:
            case "discord":
                return f"{r.choice('MN')}{pick(ALNUM, 23)}.{pick(ALNUM + '-_', 6)}.{pick(ALNUM + '-_', 27)}"
            case "cookie":
                return pick(HEX, r.choice([32, 40, 64]))
            case "basic":
                user = r.choice(["admin", "svc-export", "api", "reporting"])
                password = self._secret("password", f, r)
                return base64.b64encode(f"{user}:{password}".encode()).decode()
            case "webhook":
                return r.choice(
                    [
                        lambda: (
                            f"https://hooks.slack.com/services/T{pick(upper_digits, 8)}/B{pick(upper_digits, 10)}/"
                            f"{pick(ALNUM, 24)}"
                        ),
                        lambda: f"https://discord.com/api/webhooks/{digits(r, 18)}/{pick(ALNUM + '-_', 68)}",
                        lambda: f"https://hooks.{f.domain_name()}/ingest?token={pick(ALNUM, 32)}",
                        lambda: (
                            f"https://{f.domain_name()}/export/report.csv?expires={r.randint(1_700_000_000, 1_800_000_000)}"
                            f"&sig={pick(HEX, 64)}"
                        ),
                    ]
                )()
        # "link": a booking-management link whose token lets anyone change the booking, or a signed
        # upload/download link: either works for whoever holds it
        if r.random() < 0.5:
            return f"https://book.{f.domain_name()}/manage?ref={self._other('pnr', f, r, 'en_US')}&token={pick(ALNUM, 32)}"
        return (
            f"https://files.{f.domain_name()}/u/{pick(HEX, 16)}?expires={r.randint(1_700_000_000, 1_800_000_000)}"
            f"&sig={pick(ALNUM + '-_', 43)}"
        )

    def _birth_date(self, shape: str, r: random.Random, loc: str) -> str:
        """Birth dates written the way the post's language writes them (`self.lang`)."""
        if shape == "child":
            year, shape = r.randint(2012, 2019), r.choice(["numeric", "long"])
        else:
            year = r.randint(1938, 2008)
        month, day = r.randint(1, 12), r.randint(1, 28)
        lang = self.lang
        month_name = MONTHS[lang][month - 1]
        if shape == "any":
            shape = r.choices(["iso", "numeric", "long"], weights=[15, 40, 45])[0]
        if shape not in ("dm", "long"):
            return numeric_date(shape, year, month, day, loc == "en_US" and lang == "en", loc, r)
        year_part = "" if shape == "dm" else f" {year}"
        match lang:
            case "de":
                return f"{day}. {month_name}{year_part}"
            case "fr":
                return f"{'1er' if day == 1 else day} {month_name}{year_part}"
            case "es":
                return f"{day} de {month_name}" + (f" de {year}" if year_part else "")
        if year_part and r.random() < 0.5:
            return f"{month_name} {day}, {year}"
        if not year_part and r.random() < 0.5:
            return f"{month_name} {day}"
        return f"{day} {r.choice([month_name, month_name[:3]])}{year_part}"

    # -- distractors -----------------------------------------------------------------------------------

    def _other(self, slot: str, f: Faker, r: random.Random, loc: str) -> str:
        lang = self.lang

        def pick(chars: str, k: int) -> str:
            return "".join(r.choice(chars) for _ in range(k))

        match slot:
            case "handle":
                return r.choice(HANDLES[0]) + r.choice(["_", "", "."]) + r.choice(HANDLES[1]) + str(r.randint(1, 999))
            case "ago":
                return r.choice([f"{r.randint(1, 59)}m", f"{r.randint(1, 23)}h", f"{r.randint(1, 6)}d"])
            case "likes" | "replies" | "lines_more":
                return str(r.randint(2, 4800))
            case "episode":
                return str(r.randint(1, 12))
            case "hashtag":
                return r.choice(["tbt", "mondaymood", "nofilter", "SummerVibes", "blessed", "weekendplans", "fyp"])
            case "team":
                return r.choice(_TEAMS)
            case "show":
                return r.choice(_SHOWS)
            case "brand":
                return r.choice(_BRANDS)
            case "bus":
                return f"{r.randint(1, 399)}{r.choice(['', '', 'A', 'X'])}"
            case "zodiac":
                return r.choice(_ZODIAC)
            case "height":
                return str(r.randint(155, 198))
            case "lang_name":
                return r.choice(["Spanish", "German", "French", "Italian", "Portuguese", "Polish"])
            case "looking_for":
                return r.choice(["something real", "hiking buddies", "friends first", "a plus-one for weddings"])
            case "job":
                return r.choice(_JOBS[lang])
            case "company":
                return r.choice(_COMPANIES[lang])
            case "job_ref":
                return f"JR{digits(r, 5)}"
            case "year_range":
                start = r.randint(2004, 2021)
                end = r.choice(
                    [
                        str(r.randint(start + 1, 2024)),
                        {"en": "present", "de": "heute", "fr": "aujourd'hui", "es": "actualidad"}[lang],
                    ]
                )
                if r.random() < 0.3:
                    return f"{r.randint(1, 12):02d}/{start} – {end}"
                return f"{start} – {end}"
            case "month_year":
                return f"{MONTHS['en'][r.randint(0, 11)]} {r.randint(2019, 2025)}"
            case "year":
                return str(r.randint(2019, 2025))
            case "date_local":
                day, month, year = r.randint(1, 28), MONTHS[lang][r.randint(0, 11)], r.randint(2021, 2026)
                return {"de": f"{day}. {month} {year}", "fr": f"{day} {month} {year}", "es": f"{day} de {month} de {year}"}.get(
                    lang, f"{day} {month} {year}"
                )
            case "policy_no":
                return f"POL-{digits(r, 9)}"
            case "claim_no":
                return f"CLM-{r.randint(2021, 2025)}-{digits(r, 6)}"
            case "crime_ref":
                return f"CRI/{r.randint(21, 25)}/{digits(r, 6)}"
            case "model":
                return f"{pick(string.ascii_uppercase, 2)}-{digits(r, 4)}"
            case "school_subject":
                return r.choice(
                    [
                        "Absence note",
                        "Re: trip permission slip",
                        "Parents' evening bookings",
                        "Lost property",
                        "Change of contact details",
                    ]
                )
            case "child_class":
                return f"{r.randint(1, 6)}{r.choice('ABC')}"
            case "committee":
                return r.choice(["Residents' association", "Club committee", "Platform team", "PTA", "Board"])
            case "room":
                return f"{r.randint(1, 5)}.{r.randint(1, 40):02d}"
            case "meeting_id":
                return f"{digits(r, 3)} {digits(r, 4)} {digits(r, 4)}"
            case "quarter":
                return str(r.randint(1, 4))
            case "eticket":
                number = fail_luhn(r.choice(["220", "125", "057", "075"]) + digits(r, 10))
                return f"{number[:3]}-{number[3:]}"
            case "seat":
                return f"{r.randint(1, 45)}{r.choice('ABCDEF')}"
            case "terminal":
                return str(r.randint(1, 5))
            case "airport":
                return r.choice(["LHR", "MAN", "FRA", "MUC", "CDG", "ORY", "MAD", "BCN", "JFK", "ORD"])
            case "hotel":
                return r.choice(_HOTELS)
            case "card_brand":
                return r.choice(["Visa", "Mastercard", "Amex", "card"])
            case "ticket":
                return f"MR-{digits(r, 5)}"
            case "meter":
                return str(r.randint(10000, 99999))
            case "dps":
                return f"DPS{digits(r, 8)}"
            case "category":
                return r.choice(["Home & Garden", "Sports", "Electronics", "Baby & Kids", "Pets"])
            case "channel":
                return r.choice(["general", "lfg", "raid-chat", "off-topic", "voice-text"])
            case "server_name":
                return r.choice(["Night Owls", "Pixel Pub", "Crispy Squad", "EU Casuals"])
            case "port":
                return str(r.choice([25565, 27015, 7777, 8443, 3000, 9000, 443]))
            case "steam_id":
                return fail_luhn("7656119" + digits(r, 10))
            case "match_id":
                return str(r.randint(6_000_000_000, 7_999_999_999))
            case "lobby_code":
                return pick(string.ascii_uppercase, 6)
            case "ms":
                return str(r.randint(8, 2400))
            case "fps":
                return str(r.randint(24, 240))
            case "build":
                return str(r.randint(1000, 99999))
            case "app" | "app_sports" | "app_tech" | "app_food" | "app_travel":
                return {
                    "app": r.choice(["matchday-android", "notes-ios", "grocer-web", "tripkit-android"]),
                    "app_sports": "matchday-android",
                    "app_tech": "notes-ios",
                    "app_food": "grocer-web",
                    "app_travel": "tripkit-android",
                }[slot]
            case "pkg":
                return r.choice(["com.matchday.app", "com.grocer.mobile", "io.tripkit.client"])
            case "line":
                return str(r.randint(12, 900))
            case "fingerprint":
                return (
                    f"google/{r.choice(['oriole', 'sunfish', 'panther'])}:{r.randint(12, 14)}/"
                    f"{pick(string.ascii_uppercase, 2)}{r.randint(1, 4)}A.{digits(r, 6)}.{digits(r, 3)}:user/release-keys"
                )
            case "pid":
                return str(r.randint(300, 32000))
            case "loc_code":
                return loc.replace("_", "-")
            case "wa_dt":
                return (
                    f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(2021, 2025)}, "
                    f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}"
                )
        return super()._other(slot, f, r, loc)


# ---- rendering ----------------------------------------------------------------------------------------


def fill(
    template: str, values: SealedValues, loc: str, fixed: Fixed, out: PostWriter, casual: tuple[bool, float] = (False, 0.0)
) -> None:
    """Write `template` to `out` with its slots filled (`{=X}`: a value drawn once per post, kept in
    `fixed`). `casual` = (lowercase the literal text, chance of one typo in a literal word): chat and
    social posts are typed fast; slot values are never touched."""
    lower, typo_rate = casual
    r = values.rng

    def literal(text: str) -> str:
        if lower:
            text = text.lower()
        if typo_rate and r.random() < typo_rate:
            text = _typo(text, r)
        return text

    templates.render(template, out, with_fixed(fixed, lambda slot: values.draw(slot, loc)), literal)


def _typo(text: str, r: random.Random) -> str:
    """Swap two inner letters of one longer word, as fast typing does; word edges stay put."""
    words = [i for i, w in enumerate(text.split(" ")) if len(w) >= 5 and w.isalpha()]
    if not words:
        return text
    tokens = text.split(" ")
    i = r.choice(words)
    w = tokens[i]
    j = r.randint(1, len(w) - 3)
    tokens[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(tokens)


# ---- the generator ------------------------------------------------------------------------------------


def sealed_posts(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str]]:
    """The sealed family: `(text, gold spans, label, locale)` per post, deterministic per seed (the same
    shape as `synth_fresh.fresh_posts`). Each post is one record in a style from SEALED_STYLES."""
    yield from without_style(sealed_posts_detailed(n, seed, locale_mix, name_pool, pii_rate, weights))


def draw_lines(
    rng: random.Random, bank: dict, topic: str, most: int, pii_rate: float, weights: dict[str, float] | None
) -> list[str]:
    """A record's body lines from a style's bank, in random order: one line on its topic, then 1 to `most`
    lines, each carrying an entity (drawn with `weights`) with probability `pii_rate`, else a look-alike."""
    entities = [e for e in FAMILY_ENTITIES if e in bank["pii"]]
    entity_weights = [1.0 if weights is None else weights.get(e, 0.0) for e in entities]
    body = [rng.choice(bank["topic"][topic])]
    for _ in range(rng.randint(1, most)):
        if rng.random() < pii_rate and sum(entity_weights) > 0:
            entity = rng.choices(entities, weights=entity_weights)[0]
            pool = bank["pii"][entity]
        else:
            pool = bank["miss"]
        # a record does not say the same line twice: when the pool is used up, a look-alike instead
        unused = [t for t in pool if t not in body] or [t for t in bank["miss"] if t not in body]
        body.append(rng.choice(unused or pool))
    rng.shuffle(body)
    return body


def sealed_posts_detailed(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str, str, str]]:
    """As `sealed_posts`, with each post's style and language as well (for the tests)."""
    rng = random.Random(seed)
    fakers = make_fakers(seed, locale_mix)
    values = SealedValues(fakers, rng, name_pool)
    for _ in range(n):
        loc, label, lang = draw_setting(rng, locale_mix, SEALED_LOCAL, LOCAL_RATE)
        topic = TOPICS[label]
        style = pick_style(rng, lang, SEALED_STYLES, LOCAL_STYLES)
        if lang == "en":
            bank, frames = SEALED_EN[style], SEALED_FRAMES[style]
        else:
            bank, frames = SEALED_LOCAL[lang][style], SEALED_LOCAL_FRAMES[lang][style]
        values.lang = lang
        body = draw_lines(rng, bank, topic, 5 if style in ("cv", "claim", "travel", "applog") else 4, pii_rate, weights)
        casual = (style in CASUAL_STYLES and rng.random() < 0.35, 0.25 if style in CASUAL_STYLES else 0.0)
        fixed: Fixed = {}
        pieces = _frame(style, lang, body, frames, rng, values, loc, fixed)
        out = PostWriter()
        for template, sep, is_body in pieces:
            out.literal(sep)
            fill(template, values, loc, fixed, out, casual if is_body else (False, 0.0))
        yield out.text(), out.spans, label, loc, style, lang


def _frame(
    style: str,
    lang: str,
    body: list[str],
    frames: dict[str, list[str]],
    rng: random.Random,
    values: SealedValues,
    loc: str,
    fixed: Fixed,
) -> list[tuple[str, str, bool]]:
    """(template, separator before it, is a body line) for the head, body and foot of one post."""
    pieces: list[tuple[str, str, bool]] = []
    f = values.fakers[loc]

    def head(template: str) -> None:
        pieces.append((template, "\n" if pieces else "", False))

    def foot(chance: float, sep: str = "\n") -> None:
        if frames["foot"] and rng.random() < chance:
            pieces.append((rng.choice(frames["foot"]), sep, False))

    def prose(seps: Sequence[str]) -> None:
        for i, t in enumerate(body):
            run_on = i > 0 and ends_sentence(t) and ends_sentence(body[i - 1])
            pieces.append((t, (rng.choice(seps) if run_on else "\n") if pieces else "", True))

    def fields() -> None:
        for t in body:
            pieces.append((t, "\n" if pieces else "", True))

    match style:
        case "social":
            head(rng.choice(frames["head"]))
            for i, t in enumerate(body):
                if i and rng.random() < 0.4:  # a reply under the comment
                    t = "↳ @{handle}: " + t
                if rng.random() < 0.3:
                    t += " " + rng.choice(_EMOJI)
                pieces.append((t, "\n", True))
            foot(0.5)
        case "sms":
            fixed["=A"] = ("PERSON", values.person(rng.choice(["first", "first", "word", "full"]), f, rng, loc))
            me = {"en": "Me", "de": "Ich", "fr": "Moi", "es": "Yo"}[lang]
            head(rng.choice(frames["head"]))
            export = rng.random() < 0.4
            for t in body:
                who = "{=A}" if rng.random() < 0.5 else me
                prefix = "{wa_dt} - " + who + ": " if export else who + ": "
                pieces.append((prefix + t, "\n", True))
            foot(0.3)
        case "gaming":
            head(rng.choice(frames["head"]))
            for t in body:
                pieces.append(("[{time}] <{handle}> " + t, "\n", True))
        case "cv":
            head(rng.choice(frames["head"]))
            if rng.random() < 0.8:
                pieces.append((rng.choice(SEALED_CV_HEADS), "\n\n", False))
            fields()
            foot(0.5, "\n\n")
        case "school" | "tenancy" if lang == "en":
            head(rng.choice(frames["head"]))
            pieces.append((rng.choice(SEALED_GREETINGS[style]), "\n\n", False))
            prose([" ", " ", "\n"])
            foot(0.8, "\n\n")
        case "tenancy":
            head(rng.choice(frames["head"]))
            pieces.append((rng.choice(SEALED_GREETINGS[lang]), "\n\n", False))
            prose([" ", "\n"])
            foot(0.8, "\n\n")
        case "minutes":
            head(rng.choice(frames["head"]))
            for t in rng.sample(SEALED_MINUTES_PEOPLE, rng.randint(1, 2)):
                pieces.append((t, "\n", False))
            fields()
            foot(0.5)
        case "profile" | "classified":
            head(rng.choice(frames["head"]))
            prose([" ", " ", "\n"])
            foot(0.4)
        case "claim" | "travel" | "applog":
            head(rng.choice(frames["head"]))
            fields()
            foot(0.5)
        case _:
            raise ValueError(f"unknown style {style!r}")
    return pieces
