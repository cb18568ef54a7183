"""The "fresh" evaluation family: labeled synthetic user data that no detector rule was tuned on.

Written without reading the detector's code, its word lists or its results; the sentences are new,
not rephrasings of the "tuning", "heldout" or "blind" families in `synth.py`. Never change the
detector while looking at its misses on these posts: that is what keeps the score blind.

What a post looks like. Each post is one record of a kind a large company holds, in one of eight
styles (FRESH_STYLES): a product review (rating header, reviewer footer), a marketplace listing
(price line, pick-up details), a customer-service chat transcript (named agent, "Customer:" turns),
an HR onboarding form ("Date of birth:" fields next to "Start date:"), a developer snippet (.env,
YAML, JSON, log lines or shell commands with tokens, connection strings and bearer headers), a CSV
export (header row and quoted cells), delivery instructions, and a voicemail transcript. Every post
holds one line that names its topic (the `label`), then 1-4 lines that carry PII or only look like it.

Value shapes (see `FreshValues`): names written in full, as first names, nicknames, initials
("J. Okafor"), locale titles ("Frau Brandt", "Mme Roux"), lowercase in chat, ALL CAPS on cards,
"Last, First" in forms, two surnames in Spanish; addresses written per locale ("Hauptstr. 5, 10115
Berlin", "12 rue de la Paix, 75002 Paris", "Calle Mayor 12, 3º B, 28013 Madrid", "Flat 3, 12 High
Street, Leeds LS1 4AB", PO boxes, Postfach, BP, Apartado de Correos); local and international phone
formats per locale; cards plain, spaced or dashed; IBANs plain or in groups of four; SSNs with
dashes or spaces; IPv4 and compressed IPv6; URLs with paths, query strings and fragments; birth
dates in ISO, numeric and spelled-out forms (also with German, French and Spanish month names) and
as day-and-month birthdays; secrets as vendor-shaped API keys, JWTs, passwords (also inside
postgres:// connection strings) and PEM private keys (also JSON-escaped).

Distractors that carry no label: order, tracking, return and invoice numbers, SKUs and serials
(every card-length number among them fails the Luhn check), EAN codes, SEPA creditor IDs, VAT IDs,
BICs, masked cards ("card ending 4242"), expiry dates, versions, UUIDs, git and sha256 hashes,
timestamps, ordinary dates (start dates, delivery dates, anniversaries), ages, prices, internal
host names, and capitalized names that are not people or addresses: brands (Amazon, Marks &
Spencer, Ben & Jerry's, Dr. Oetker), clubs (Paris Saint-Germain, Real Madrid, Bayern München),
dishes (Black Forest gateau, Paris-Brest), "Wall Street", "Abbey Road" the album.

Labeling convention (the same as the other families'):
  - every value inserted through an upper-case slot {ENTITY} or {ENTITY.shape} gets exactly one gold
    span of that entity covering the value and nothing else; lower-case slots ({order_no}, ...) and
    all literal template text get none, so spans never overlap and never include quotes, brackets,
    "@" handles or a possessive "'s";
  - PERSON covers the name as written, a title written with it included ("Dr. Weber");
  - LOCATION covers street addresses, PO boxes, postcode-and-town and a bare town or city when the
    text uses it as a place where someone lives, is, goes or collects (as `{CITY}` in the other
    families); a city inside a club, brand, dish or album name is not a location;
  - DATE_OF_BIRTH only where the text makes the date a birth date; a birthday without a year
    ("turning 40 on 14 June") counts, any other date does not;
  - URL means an http(s) address; a postgres:// connection string is not a URL, the password inside
    it is a SECRET;
  - SECRET covers the key, token or password itself, not the "Bearer " or "password=" before it.
"""

from __future__ import annotations

import base64
import ipaddress
import itertools
import json
import random
import string
import unicodedata
from collections.abc import Iterator, Sequence

from faker import Faker

from aircluster.privacy.detect.lexicon import is_unseen
from evals.pii.family_types import FAMILY_ENTITIES
from evals.pii.shapes import ALNUM, HEX, MONTHS, digits, fail_luhn, numeric_date, private_key
from evals.pii.synth import TOPICS, Span, Values, draw_setting, make_fakers
from evals.pii.templates import PostWriter, ends_sentence, render

# ---- topic lines: one per post, sets `label` ---------------------------------------------------------

FRESH_TOPIC_PROSE = {
    "sports": [
        "These running shoes survived 600 km before the sole wore through.",
        "Selling my road bike because I finally upgraded to a carbon frame.",
        "The goalkeeper gloves lost their grip after two matches.",
        "Season ticket holder here, the new stand has terrible sightlines.",
    ],
    "tech": [
        "The mesh router covers all three floors now, no dead spots.",
        "Selling a barely used mechanical keyboard, brown switches.",
        "Laptop fan gets loud as soon as I open more than ten tabs.",
        "The smart plug drops off the network every night around midnight.",
    ],
    "food": [
        "The air fryer does chips better than the oven ever did.",
        "Selling our old stand mixer, works perfectly, just too big for the kitchen.",
        "The meal kit portions are tiny for the price.",
        "Ordered the tasting menu and the dessert was the highlight.",
    ],
    "travel": [
        "This carry-on fits under the seat on budget airlines, just.",
        "Selling two unused rail passes, plans changed.",
        "The hotel shuttle never showed, had to take a taxi.",
        "The travel adapter melted in the socket on day three.",
    ],
}
# Field lines: "form" for HR and account forms, "order" for listings and deliveries.
FRESH_TOPIC_FIELDS = {
    "form": {
        "sports": ["Team: Sports partnerships", "Department: Events & Sponsorship (football)"],
        "tech": ["Team: Platform engineering", "Department: IT service desk"],
        "food": ["Team: Catering and events", "Department: Kitchen, staff canteen"],
        "travel": ["Team: Travel desk", "Department: Tours & Holidays"],
    },
    "order": {
        "sports": ["Category: Sports & Outdoors > Cycling", "Item: Garmin Forerunner 265, boxed"],
        "tech": ["Category: Electronics > Networking", "Item: Mechanical keyboard, UK layout"],
        "food": ["Category: Home & Kitchen > Small appliances", "Item: Stand mixer, 5 litre bowl"],
        "travel": ["Category: Luggage & Travel", "Item: Hard-shell suitcase, 55 cm"],
    },
}
# Developer snippets name their topic through the service they configure.
FRESH_SERVICES = {
    "sports": ("fixtures-sync", "league-table", "ticketing-api"),
    "tech": ("build-runner", "auth-gateway", "device-registry"),
    "food": ("recipe-search", "menu-api", "table-booking"),
    "travel": ("fare-cache", "booking-engine", "rail-search"),
}
FRESH_TOPIC_CODE = {
    "env": ["# settings for {service}"],
    "yaml": ["  service: {service}"],
    "json": ['  "service": "{service}",'],
    "log": ["{ts_log} INFO  [{service}] worker started, 4 threads"],
    "shell": ["# redeploying {service} after the incident"],
}
FRESH_CSV_INTROS = {
    "sports": ["Export of the running club membership list, first rows:"],
    "tech": ["Beta-tester signups exported from the dashboard:"],
    "food": ["Catering orders for Friday, straight from the spreadsheet:"],
    "travel": ["Tour booking manifest, first few lines:"],
}

# ---- lines carrying PII, by register and entity ------------------------------------------------------
# "prose" serves reviews, listings, chats, voicemails and delivery notes; "form" serves HR forms;
# "order" serves listings and delivery notes; the five code registers serve developer snippets.

FRESH_PII_TEMPLATES: dict[str, dict[str, list[str]]] = {
    "prose": {
        "PERSON": [
            "bought this for {PERSON.first} and she hasn't taken it off since",
            "{PERSON} at the counter sorted out the exchange in five minutes.",
            "Collected by {PERSON} on my behalf, she has the receipt.",
            "{PERSON.first}'s old one lasted nine years, so expectations were high.",
            "my flatmate {PERSON.lower} says it's too loud",
            "please leave it with {PERSON.title} next door if we're out",
            "Spoke to {PERSON.first} on Monday and to {PERSON.first} today, different answers each time.",
            "hi this is {PERSON} calling about the sofa you listed",
            "Seller ({PERSON.initial}) was friendly and let me test it first.",
            "The driver, {PERSON.first}, was lovely and carried it upstairs.",
            "ok thanks {PERSON.lower}",
            "{PERSON.upper} WAS THE ONLY ONE WHO ACTUALLY HELPED ME",
            "My manager {PERSON} signed off the expense.",
            "Gift for {PERSON.nick}, who wrecks everything within a week.",
            "Ask for {PERSON.title} at reception, they know you're coming.",
        ],
        "EMAIL_ADDRESS": [
            "message me on {EMAIL_ADDRESS} rather than through the app",
            "The order confirmation went to {EMAIL_ADDRESS} but I never use that inbox.",
            "Can you update my account email to {EMAIL_ADDRESS}? The old one is closed.",
            "serious buyers only, {EMAIL_ADDRESS}",
            "my email is {EMAIL_ADDRESS} all lowercase",
        ],
        "PHONE_NUMBER": [
            "text {PHONE_NUMBER} if you want to see it before buying",
            "The courier should ring {PHONE_NUMBER} when they're outside.",
            "call me back on {PHONE_NUMBER}, that's my mobile",
            "Reachable on {PHONE_NUMBER} between 9 and 5.",
            "no calls please, whatsapp only: {PHONE_NUMBER}",
            "The number on the account is wrong, it should be {PHONE_NUMBER}.",
        ],
        "CREDIT_CARD": [
            "I was charged on {CREDIT_CARD} even though I cancelled.",
            "the card number is {CREDIT_CARD} expiry {exp}",
            "Please refund to the original card ({CREDIT_CARD}), not store credit.",
            "used my partner's card {CREDIT_CARD} by mistake, can you swap it?",
        ],
        "IBAN": [
            "Bank transfer only, my IBAN is {IBAN}.",
            "deposit paid into {IBAN} on {date}, reference is the listing number",
            "Could you send the refund to {IBAN} instead of the card?",
            "payment to {IBAN} please, cash on collection also fine",
        ],
        "US_SSN": [
            "they asked for my social over chat, it's {US_SSN}, is that normal?",
            "I typed {US_SSN} into the verification box and it said invalid.",
            "My SSN on the W-4 should read {US_SSN}, payroll has a typo.",
        ],
        "IP_ADDRESS": [
            "my router's public address is {IP_ADDRESS} if that helps your tech team",
            "The app says my last login came from {IP_ADDRESS}, that's not my network.",
            "Port forwarding to {IP_ADDRESS} only worked after a factory reset.",
        ],
        "URL": [
            "Full specs and more photos: {URL}",
            "Tracking page {URL} says delivered but nothing is here.",
            "I followed the steps at {URL} and it still fails.",
            "found it cheaper at {URL}, will you price match?",
        ],
        "LOCATION": [
            "Collection only from {LOCATION}, evenings after 6.",
            "Please deliver to {LOCATION}, the blue door next to the bakery.",
            "It arrived at {LOCATION} instead of my address.",
            "We've moved, the new address is {LOCATION}.",
            "Local pickup in {LOCATION.city} or I can post it for a fee.",
            "Parcels go to {LOCATION.pobox}, please don't send anything to my home.",
            "leave it by the side gate at {LOCATION.street}",
            "Driving from {LOCATION.city} to {LOCATION.city} this weekend, can bring it along.",
        ],
        "DATE_OF_BIRTH": [
            "I was born on {DATE_OF_BIRTH} so I qualify for the senior discount.",
            "turning {age} on {DATE_OF_BIRTH.dm} and this was my present to myself",
            "their system has my birthday as {DATE_OF_BIRTH}, which is off by a day",
            "For age verification: born {DATE_OF_BIRTH}.",
            "my son was born {DATE_OF_BIRTH} and the size chart was spot on",
            "my birthday's {DATE_OF_BIRTH.dm}, so hoping it arrives before then",
        ],
        "SECRET": [
            "the temporary password they emailed me is {SECRET.password} and it doesn't work",
            "I pasted {SECRET.token} into the settings page like the guide says.",
            "wifi password in the flat is {SECRET.password}, it's on the fridge too",
            "Support asked me to share my API key ({SECRET.token}), is that safe?",
        ],
    },
    "form": {
        "PERSON": [
            "Full legal name: {PERSON.full}",
            "Preferred name: {PERSON.first}",
            "Surname, first name: {PERSON.form}",
            "Line manager: {PERSON.title}",
            "Emergency contact: {PERSON.full} (spouse)",
            "Buddy for week one: {PERSON.nick}",
        ],
        "EMAIL_ADDRESS": ["Personal email: {EMAIL_ADDRESS}", "Private e-mail (payslips) - {EMAIL_ADDRESS}"],
        "PHONE_NUMBER": ["Mobile no.: {PHONE_NUMBER}", "Emergency contact number: {PHONE_NUMBER}", "Tel (home): {PHONE_NUMBER}"],
        "CREDIT_CARD": ["Corporate card issued: {CREDIT_CARD}", "Card for travel expenses: {CREDIT_CARD}"],
        "IBAN": ["Salary account (IBAN): {IBAN}", "Bank account: {IBAN} / BIC {bic}"],
        "US_SSN": ["Social Security No.: {US_SSN}", "SSN (for I-9): {US_SSN}", "Taxpayer ID (SSN): {US_SSN}"],
        "IP_ADDRESS": ["Registered from IP: {IP_ADDRESS}", "VPN static IP: {IP_ADDRESS}", "Last login IP - {IP_ADDRESS}"],
        "URL": ["Portfolio / LinkedIn: {URL}", "Personal website: {URL}"],
        "LOCATION": [
            "Home address: {LOCATION}",
            "Postal address: {LOCATION.pobox}",
            "Street and number: {LOCATION.street}",
            "Postcode / town: {LOCATION.postcity}",
            "Place of birth: {LOCATION.city}",
        ],
        "DATE_OF_BIRTH": [
            "Date of birth: {DATE_OF_BIRTH}",
            "DOB (DD/MM/YYYY): {DATE_OF_BIRTH.dmy}",
            "Geburtsdatum / date of birth: {DATE_OF_BIRTH.numeric}",
            "Birth date - {DATE_OF_BIRTH.iso}",
        ],
        "SECRET": [
            "Temporary password: {SECRET.password}",
            "API key (staging): {SECRET.token}",
            "Initial VPN password: {SECRET.password}",
        ],
    },
    "order": {
        "PERSON": [
            "Seller: {PERSON.initial}",
            "Recipient: {PERSON.full}",
            "Cardholder: {PERSON.upper}",
            "Contact person: {PERSON.first}",
        ],
        "EMAIL_ADDRESS": ["E-mail (for receipts): {EMAIL_ADDRESS}", "Contact e-mail - {EMAIL_ADDRESS}"],
        "PHONE_NUMBER": ["Recipient phone: {PHONE_NUMBER}", "Call/text: {PHONE_NUMBER}"],
        "CREDIT_CARD": ["Card on file: {CREDIT_CARD}", "Payment card: {CREDIT_CARD} (exp. {exp})", "PAN: {CREDIT_CARD}"],
        "IBAN": ["IBAN for deposit refund: {IBAN}", "Pay by transfer to: {IBAN}"],
        # marketplaces collect a seller's SSN for the 1099-K; car sales put it on the title papers
        "US_SSN": ["Seller tax ID (SSN, for 1099-K): {US_SSN}", "Buyer SSN for title transfer: {US_SSN}"],
        "IP_ADDRESS": ["Order placed from IP: {IP_ADDRESS}", "Fraud check - device IP {IP_ADDRESS}"],
        "URL": ["Listing link: {URL}", "Photos: {URL}"],
        "LOCATION": [
            "Deliver to: {LOCATION}",
            "Collection point: {LOCATION}",
            "Pick-up area: {LOCATION.postcity}",
            "Ship to: {LOCATION.pobox}",
        ],
        "DATE_OF_BIRTH": [
            "Recipient date of birth (age-restricted item): {DATE_OF_BIRTH}",
            "ID checked at the door, DOB {DATE_OF_BIRTH.numeric}",
        ],
        "SECRET": ["Wi-Fi password (for the installer): {SECRET.password}", "Parcel locker app login: {SECRET.password}"],
    },
    "env": {
        "PERSON": ['GIT_AUTHOR_NAME="{PERSON.full}"', "ADMIN_DISPLAY_NAME='{PERSON.full}'"],
        "EMAIL_ADDRESS": ["ALERT_EMAIL={EMAIL_ADDRESS}", "SMTP_USER={EMAIL_ADDRESS}"],
        "PHONE_NUMBER": ["ONCALL_PHONE={PHONE_NUMBER.e164}", "SMS_TEST_RECIPIENT={PHONE_NUMBER.e164}"],
        "CREDIT_CARD": ["FALLBACK_CARD={CREDIT_CARD.plain}"],
        "IBAN": ["PAYOUT_IBAN={IBAN.plain}"],
        "US_SSN": ["TEST_APPLICANT_SSN={US_SSN}"],
        "IP_ADDRESS": ["DB_HOST={IP_ADDRESS.v4}", "ALLOWED_IPS={IP_ADDRESS.v4},{IP_ADDRESS.v4}"],
        "URL": ["WEBHOOK_URL={URL}", "PUBLIC_BASE_URL={URL}"],
        "LOCATION": ['RETURN_ADDRESS="{LOCATION}"'],
        "DATE_OF_BIRTH": ["DEMO_USER_DOB={DATE_OF_BIRTH.iso}"],
        "SECRET": [
            "STRIPE_SECRET_KEY={SECRET.token}",
            "DATABASE_URL=postgres://app:{SECRET.password}@{host}:5432/{db}",
            "SESSION_SECRET={SECRET.token}",
            "DEMO_BEARER={SECRET.jwt}",
            'DEPLOY_KEY="{SECRET.pem}"',
        ],
    },
    "yaml": {
        "PERSON": ["  contact_name: {PERSON.full}", '  owner: "{PERSON.form}"'],
        "EMAIL_ADDRESS": ["  notify: {EMAIL_ADDRESS}", '  reply_to: "{EMAIL_ADDRESS}"'],
        "PHONE_NUMBER": ['  phone: "{PHONE_NUMBER}"'],
        "CREDIT_CARD": ['  card_number: "{CREDIT_CARD}"'],
        "IBAN": ["  iban: {IBAN}"],
        "US_SSN": ['  ssn: "{US_SSN}"'],
        "IP_ADDRESS": ["  bind_address: {IP_ADDRESS}", "  - {IP_ADDRESS}  # office"],
        "URL": ["  callback_url: {URL}"],
        "LOCATION": ["  street: {LOCATION.street}", '  address: "{LOCATION}"'],
        "DATE_OF_BIRTH": ["  date_of_birth: {DATE_OF_BIRTH.iso}"],
        "SECRET": [
            "  password: {SECRET.password}",
            '  api_key: "{SECRET.token}"',
            '  private_key: "{SECRET.pem_json}"',
            "  dsn: postgresql://reporting:{SECRET.password}@{host}/{db}",
        ],
    },
    "json": {
        "PERSON": ['  "name": "{PERSON.full}",', '  "display_name": "{PERSON.lower}",'],
        "EMAIL_ADDRESS": ['  "email": "{EMAIL_ADDRESS}",'],
        "PHONE_NUMBER": ['  "phone": "{PHONE_NUMBER.e164}",'],
        "CREDIT_CARD": ['  "pan": "{CREDIT_CARD.plain}",'],
        "IBAN": ['  "iban": "{IBAN.plain}",'],
        "US_SSN": ['  "ssn": "{US_SSN}",'],
        "IP_ADDRESS": ['  "remote_addr": "{IP_ADDRESS}",'],
        "URL": ['  "avatar_url": "{URL}",'],
        "LOCATION": ['  "shipping_address": "{LOCATION}",'],
        "DATE_OF_BIRTH": ['  "birth_date": "{DATE_OF_BIRTH.iso}",'],
        "SECRET": [
            '  "client_secret": "{SECRET.token}",',
            '  "private_key": "{SECRET.pem_json}",',
            '  "access_token": "{SECRET.jwt}",',
        ],
    },
    "log": {
        "PERSON": ["{ts_log} INFO  [crm] profile updated for {PERSON.full} (id={user_id})"],
        "EMAIL_ADDRESS": ["{ts_log} WARN  [mailer] bounce for {EMAIL_ADDRESS}: 550 mailbox unavailable"],
        "PHONE_NUMBER": ["{ts_log} INFO  [sms] one-time code sent to {PHONE_NUMBER.e164}"],
        "CREDIT_CARD": ["{ts_log} DEBUG [payments] charge request pan={CREDIT_CARD.plain} amount={amount}"],
        "IBAN": ["{ts_log} INFO  [payouts] SEPA transfer queued to {IBAN.plain} ref={invoice}"],
        "US_SSN": ["{ts_log} ERROR [kyc] ssn={US_SSN} failed verification"],
        "IP_ADDRESS": [
            '{IP_ADDRESS} - - [{ts_clf}] "GET /account/orders?page=2 HTTP/1.1" 200 {bytes}',
            "{ts_log} WARN  [auth] 5 failed logins from {IP_ADDRESS} in 60s",
        ],
        "URL": ["{ts_log} INFO  [crawler] fetched {URL} in 212 ms"],
        "LOCATION": ['{ts_log} INFO  [geo] geocoded "{LOCATION}" ok'],
        "DATE_OF_BIRTH": ["{ts_log} DEBUG [signup] dob={DATE_OF_BIRTH.iso} age_ok=true"],
        "SECRET": [
            "{ts_log} DEBUG [http] Authorization: Bearer {SECRET.jwt}",
            '{ts_log} ERROR [db] auth failed for user "svc" with password={SECRET.password}',
        ],
    },
    "shell": {
        "PERSON": [
            'git commit --author="{PERSON.full} <{EMAIL_ADDRESS}>" -m "fix typo"',
            'sudo useradd -c "{PERSON.full}" {unix_user}',
        ],
        "EMAIL_ADDRESS": ["git config --global user.email {EMAIL_ADDRESS}"],
        "PHONE_NUMBER": ["./notify.sh --to '{PHONE_NUMBER.e164}' --msg 'deploy done'"],
        "CREDIT_CARD": ["grep -rn '{CREDIT_CARD}' /var/log/checkout/"],
        "IBAN": ["python payout.py --iban {IBAN.plain} --amount {amount}"],
        "US_SSN": ["psql -c \"select * from applicants where ssn = '{US_SSN}'\""],
        "IP_ADDRESS": ["ssh -i ~/.ssh/id_ed25519 deploy@{IP_ADDRESS.v4}", "nmap -p 22,443 {IP_ADDRESS.v4}"],
        "URL": ['curl -sSL "{URL.api}" | jq .'],
        "LOCATION": ['./label-print --address "{LOCATION}"'],
        "DATE_OF_BIRTH": ["./kyc-check --dob {DATE_OF_BIRTH.iso} --country {country_code}"],
        "SECRET": [
            'curl -H "Authorization: Bearer {SECRET.token}" "{URL.api}"',
            "export PGPASSWORD='{SECRET.password}'",
            "docker login -u ci-bot -p {SECRET.password} registry.internal",
            'psql "postgres://admin:{SECRET.password}@{host}:5432/{db}"',
        ],
    },
}
CODE_REGISTERS = ("env", "yaml", "json", "log", "shell")

# ---- lines that look like PII but are not: no slot in them is upper-case ----------------------------

FRESH_NEAR_MISSES: dict[str, list[str]] = {
    "prose": [
        "Order {order_no} was split into two parcels, the second one is still missing.",
        "Tracking {tracking} hasn't updated since {date}.",
        "Five stars, would buy again. Paid {price} with the voucher.",
        "Still on firmware {version}, is there a newer one?",
        "Arrived {date} at {time}, two days early.",
        "Great fit. I normally wear a 42 and went with the 43.",
        "Watched Paris Saint-Germain beat Real Madrid on this TV and the picture is brilliant.",
        "Tastes just like the Black Forest gateau from Marks & Spencer.",
        "Went with Deutsche Bahn instead and the refund came through in a week.",
        "Bought the Abbey Road reissue on vinyl and the pressing is flawless.",
        "Same quality as Ben & Jerry's at half the price.",
        "Card ending {last4} was used, so the payment itself is fine.",
        "Return label {return_no} printed, dropping it off tomorrow.",
        "Our wedding anniversary is {date_dm} so I ordered early.",
        "Everyone on Wall Street seems to own one of these.",
        "Only 3 left in stock when I ordered at {time}.",
        "Invoice {invoice} shows VAT ID {vat}, which is the shop's, not mine.",
        "Serial number {serial} is printed under the battery.",
        "The birthday edition of the board game came out {date} and sold out fast.",
        "Flight {flight} on {date}, booking reference {pnr}.",
        "Bayern München shirt, size M, never worn.",
        "Amazon had it for {price} but delivery was two weeks.",
        "Barcode on the box reads {ean}.",
        "My daughter is {age} and still loves it.",
        "Made a Paris-Brest with it and Dr. Oetker cream, worked a treat.",
    ],
    "form": [
        "Start date: {date}",
        "Employee ID: {emp_id}",
        "Contract type: permanent, 37.5 h/week",
        "Form version: {version}",
        "Submitted: {ts_iso}",
        "Probation ends: {date}",
        "Cost centre: CC-{cost_centre}",
        "Laptop asset tag: {serial}",
        "Payroll cut-off: {date_dm}",
    ],
    "order": [
        "Order no.: {order_no}",
        "Tracking no.: {tracking}",
        "Asking price: {price} (ono)",
        "Condition: used - like new",
        "Payment reference: {invoice}",
        "Delivery window: {date}, {time}-{time}",
        "Creditor ID: {creditor_id}",
        "SKU: {sku}",
        "Card: **** **** **** {last4}",
        "Parcel weight: 2.4 kg, 3 boxes",
    ],
    "env": [
        "APP_VERSION={version}",
        "REQUEST_TIMEOUT_MS=30000",
        "BUILD_SHA={sha40}",
        "FEATURE_FLAGS=checkout_v2,dark_mode",
        "REDIS_HOST={host}",
    ],
    "yaml": [
        "  image: registry.internal/shop/api:{version}",
        "  replicas: 3",
        "  checksum: sha256:{sha256}",
        "  timeout: 30s",
        "  database: {db}",
    ],
    "json": [
        '  "order_id": "{order_no}",',
        '  "request_id": "{uuid}",',
        '  "created_at": "{ts_iso}",',
        '  "amount": {amount},',
        '  "etag": "{md5}",',
    ],
    "log": [
        "{ts_log} INFO  [worker] job {uuid} finished in 1.82s",
        "{ts_log} DEBUG [cache] hit ratio 0.93 for key order:{order_no}",
        "{ts_log} INFO  [release] deployed {sha40} (v{version})",
        "{ts_log} WARN  [db] slow query 2412 ms on {host}",
    ],
    "shell": [
        "git checkout {sha40}",
        "docker pull nginx:{version}",
        "sha256sum dist/app.tar.gz  # {sha256}",
        "kubectl rollout restart deploy/api -n shop",
        "echo {uuid} >> processed.txt",
    ],
}

# ---- framing per style -----------------------------------------------------------------------------

FRESH_REVIEW_HEADERS = [
    "Rated {stars} out of 5 · Verified purchase · {date}",
    "{stars}/5 stars, reviewed {date}",
    "Verified buyer review ({stars} of 5)",
]
FRESH_REVIEW_FOOTERS = [
    "— {PERSON.first}, {LOCATION.city}",
    "Reviewed by {PERSON.initial}",
    "{helpful} people found this helpful",
    "Was this review helpful? Yes ({helpful}) No (2)",
]
FRESH_LISTING_HEADERS = [
    "FOR SALE — {price}, pick-up or post",
    "[Selling] {price} · good condition",
    "Marketplace listing #{listing_id}",
]
FRESH_LISTING_FOOTERS = ["Posted {date} · ref {listing_id}", "No time-wasters, first come first served.", "Price is firm."]
FRESH_CHAT_HEADERS = ["Chat transcript · {date} · conversation {chat_id}", "Live chat started {ts_iso} (queue: billing)"]
FRESH_AGENT_LINES = [
    "Thanks for waiting, I can see order {order_no} on my side.",
    "Could you confirm the details on the account, please?",
    "I've raised this with the warehouse, reference {return_no}.",
    "One moment while I check that for you.",
    "Is there anything else I can help with today?",
]
FRESH_CHAT_FOOTERS = ["Chat ended by customer at {time}.", "Customer rated this chat {stars}/5."]
FRESH_FORM_HEADERS = [
    "New starter form — {form_id}",
    "Onboarding checklist (HR) · {form_id}",
    "Employee details update, ticket {form_id}",
]
FRESH_FORM_FOOTERS = ["Signed electronically {ts_iso}", "Submitted by {PERSON.full} on {date}", "Checked by HR: yes"]
FRESH_DELIVERY_HEADERS = [
    "Delivery instructions for order {order_no}:",
    "Note for the driver",
    "Special delivery request (parcel {tracking})",
]
FRESH_DELIVERY_FOOTERS = ["Safe place: porch, behind the plant pot.", "Please don't ring after 8pm, baby asleep."]
FRESH_VOICEMAIL_HEADERS = [
    "Voicemail · {PHONE_NUMBER} · {duration}",
    "Missed call from {PHONE_NUMBER} — transcript:",
    "New voicemail ({duration}), caller unknown",
]
FRESH_VOICEMAIL_FOOTERS = ["(automatic transcription, may contain errors)"]
FRESH_CODE_INTROS = [
    "Posting the config in case someone spots the problem:",
    "why does this return 401??",
    "Relevant bit from the repo:",
    "Here's what I'm running, any ideas?",
    "",
]
FRESH_CODE_FRAMES = {
    "env": ("$ cat .env.production", ""),
    "yaml": ("```yaml\n{yaml_root}:", "```"),
    "json": ("```json\n{{", "}}\n```"),
    "log": ("```", "```"),
    "shell": ("```bash", "```"),
}

# (style, weight, registers its body lines come from)
FRESH_STYLES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("review", 0.14, ("prose",)),
    ("listing", 0.14, ("prose", "order")),
    ("chat", 0.14, ("prose",)),
    ("form", 0.12, ("form",)),
    ("code", 0.16, CODE_REGISTERS),
    ("csv", 0.08, ()),
    ("delivery", 0.12, ("prose", "order")),
    ("voicemail", 0.10, ("prose",)),
)

# CSV columns: a header name and a cell per entity; cells with commas are quoted, as exports do.
FRESH_CSV_PII_COLUMNS = {
    "PERSON": ("full_name", "{PERSON.full}"),
    "EMAIL_ADDRESS": ("email", "{EMAIL_ADDRESS}"),
    "PHONE_NUMBER": ("phone", "{PHONE_NUMBER}"),
    "CREDIT_CARD": ("card_number", "{CREDIT_CARD.plain}"),
    "IBAN": ("iban", "{IBAN.plain}"),
    "US_SSN": ("ssn", "{US_SSN}"),
    "IP_ADDRESS": ("signup_ip", "{IP_ADDRESS}"),
    "URL": ("profile_url", "{URL}"),
    "LOCATION": ("address", '"{LOCATION}"'),
    "DATE_OF_BIRTH": ("date_of_birth", "{DATE_OF_BIRTH.iso}"),
    "SECRET": ("api_key", "{SECRET.token}"),
}
FRESH_CSV_OTHER_COLUMNS = (
    ("order_id", "{order_no}"),
    ("created_at", "{ts_iso}"),
    ("total", "{amount}"),
    ("status", "{status}"),
    ("sku", "{sku}"),
)

# ---- value material ---------------------------------------------------------------------------------

TITLES = {
    "en_US": ("Mr.", "Mrs.", "Ms.", "Dr."),
    "en_GB": ("Mr", "Mrs", "Ms", "Dr"),
    "de_DE": ("Herr", "Frau", "Dr."),
    "fr_FR": ("M.", "Mme", "Dr"),
    "es_ES": ("Sr.", "Sra.", "Dr."),
}
_NICKNAMES = {
    "en_US": ("Bex", "Mikey", "Tash", "Danny", "Kat", "Sully"),
    "en_GB": ("Jonno", "Gaz", "Lizzie", "Robbo", "Mags", "Tash"),
    "de_DE": ("Steffi", "Basti", "Flo", "Caro", "Maxi", "Jojo"),
    "fr_FR": ("Manu", "Séb", "Flo", "Nico", "Juju", "Titi"),
    "es_ES": ("Paco", "Pepe", "Lola", "Nacho", "Charo", "Quique"),
}
# (city, state for en_US, postcode prefix): real towns, so addresses read like real ones
_CITIES = {
    "en_US": (
        ("Chicago", "IL", "606"),
        ("Austin", "TX", "787"),
        ("Portland", "OR", "972"),
        ("Columbus", "OH", "432"),
        ("Denver", "CO", "802"),
        ("Raleigh", "NC", "276"),
    ),
    "en_GB": (
        ("Leeds", "", "LS"),
        ("Bristol", "", "BS"),
        ("Manchester", "", "M"),
        ("Glasgow", "", "G"),
        ("Norwich", "", "NR"),
        ("Cardiff", "", "CF"),
    ),
    "de_DE": (
        ("Berlin", "", "10"),
        ("München", "", "80"),
        ("Köln", "", "50"),
        ("Hamburg", "", "22"),
        ("Leipzig", "", "04"),
        ("Freiburg im Breisgau", "", "79"),
    ),
    "fr_FR": (
        ("Paris", "", "750"),
        ("Lyon", "", "690"),
        ("Marseille", "", "130"),
        ("Toulouse", "", "310"),
        ("Nantes", "", "440"),
        ("Lille", "", "590"),
    ),
    "es_ES": (
        ("Madrid", "", "280"),
        ("Barcelona", "", "080"),
        ("Sevilla", "", "410"),
        ("Valencia", "", "460"),
        ("Bilbao", "", "480"),
        ("Zaragoza", "", "500"),
    ),
}
_STREETS = {
    "en_US": ("Main St", "Oak Avenue", "Maple Drive", "N 5th St", "Elm Street", "Washington Ave", "Lakeview Blvd", "Cedar Ln"),
    "en_GB": (
        "High Street",
        "Station Road",
        "Church Lane",
        "Victoria Road",
        "Mill Lane",
        "Queen's Road",
        "Albert Terrace",
        "The Crescent",
    ),
    "de_DE": (
        "Hauptstr.",
        "Bahnhofstraße",
        "Schillerstr.",
        "Am Markt",
        "Lindenweg",
        "Goethestraße",
        "Friedrichstr.",
        "Kastanienallee",
    ),
    "fr_FR": (
        "rue de la Paix",
        "avenue Jean Jaurès",
        "boulevard Voltaire",
        "rue Victor Hugo",
        "place de la République",
        "impasse des Lilas",
        "chemin des Vignes",
        "quai de la Loire",
    ),
    "es_ES": (
        "Calle Mayor",
        "C/ de Alcalá",
        "Avenida de la Constitución",
        "Paseo de Gracia",
        "Plaza Mayor",
        "Calle del Carmen",
        "Ronda de Segovia",
        "Camino Viejo",
    ),
}
_PASSWORD_WORDS = ("Sunflower", "Marmalade", "Bluebird", "Pancake", "Tiger", "Velvet", "Rocket", "Meadow")


def _dashed(digits: str, groups: Sequence[int]) -> str:
    out, pos = [], 0
    for k in groups:
        out.append(digits[pos : pos + k])
        pos += k
    return "-".join(out)


def ascii_word(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii() and c.isalnum())


class FreshValues(Values):
    """Slot values for the fresh family. `draw("ENTITY.shape", loc)` returns the entity (None for the
    lower-case distractor slots) and the text; everything comes from the rng and the seeded Fakers,
    nothing from the clock (Faker's relative dates would follow today's date)."""

    def draw(self, slot: str, loc: str) -> tuple[str | None, str]:
        entity, _, shape = slot.partition(".")
        f, r = self.fakers[loc], self.rng
        if entity in FAMILY_ENTITIES:
            text = self._pii(entity, shape, f, r, loc)
        else:
            if shape:
                raise ValueError(f"distractor slot {slot!r} takes no shape")
            text = self._other(slot, f, r, loc)
        text = text.strip()
        if not text:
            raise AssertionError(f"empty value for {slot!r}")
        return (entity if entity in FAMILY_ENTITIES else None), text

    # -- PII -------------------------------------------------------------------------------------------

    def _pii(self, entity: str, shape: str, f: Faker, r: random.Random, loc: str) -> str:
        match entity:
            case "PERSON":
                return self.person(shape or "any", f, r, loc)
            case "EMAIL_ADDRESS":
                return self._email(f, r)
            case "PHONE_NUMBER":
                return self._phone(shape, f, r, loc)
            case "CREDIT_CARD":
                number = f.credit_card_number()
                if shape == "plain" or len(number) not in (15, 16):
                    return number  # odd lengths have no grouping people agree on
                sep = r.choice(["", " ", " ", "-"])
                cuts = (0, 4, 10, 15) if len(number) == 15 else (0, 4, 8, 12, 16)  # Amex: 4-6-5
                return sep.join(number[a:b] for a, b in itertools.pairwise(cuts))
            case "IBAN":
                iban = f.iban()
                if shape == "plain" or r.random() < 0.4:
                    return iban
                return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
            case "US_SSN":
                area = r.choice([a for a in range(1, 900) if a != 666])
                parts = (f"{area:03d}", f"{r.randint(1, 99):02d}", f"{r.randint(1, 9999):04d}")
                return r.choices(["-", " ", ""], weights=[0.8, 0.12, 0.08])[0].join(parts)
            case "IP_ADDRESS":
                if shape == "v4" or r.random() < 0.75:
                    return r.choice([f.ipv4_public, f.ipv4_public, f.ipv4_private])()
                v6 = ipaddress.IPv6Address(f.ipv6())
                return v6.compressed if r.random() < 0.7 else v6.exploded
            case "URL":
                return self._url(shape, f, r)
            case "LOCATION":
                return self.location(shape or "line", f, r, loc)
            case "DATE_OF_BIRTH":
                return self._birth_date(shape or "any", r, loc)
            case "SECRET":
                return self._secret(shape or "token", f, r)
        raise ValueError(f"no values for {entity!r}")

    def person(self, shape: str, f: Faker, r: random.Random, loc: str) -> str:
        if shape == "any":
            shape = r.choices(["full", "first", "initial", "title", "upper", "lower", "nick"], weights=[50, 15, 10, 10, 5, 5, 5])[
                0
            ]
        first, last = self._names(f, 2)
        if loc == "es_ES" and r.random() < 0.5:
            last = f"{last} {self._names(f, 2)[1]}"  # two surnames, as Spanish names go
        match shape:
            case "full":
                if loc == "en_US" and r.random() < 0.15:
                    return f"{first} {r.choice(string.ascii_uppercase)}. {last}"
                return f"{first} {last}"
            case "first":
                return first
            case "nick":
                pool = [n for n in _NICKNAMES[loc] if self.name_pool != "unseen" or is_unseen(n)]
                return r.choice(pool) if pool else first
            case "initial":
                return f"{first[0]}. {last}"
            case "title":
                return f"{r.choice(TITLES[loc])} {last}"
            case "upper":
                return f"{first} {last}".upper()
            case "lower":
                return (first if r.random() < 0.6 else f"{first} {last}").lower()
            case "form":
                return f"{last}, {first}" if r.random() < 0.6 else f"{last.upper()} {first}"
        raise ValueError(f"no person shape {shape!r}")

    def _email(self, f: Faker, r: random.Random) -> str:
        if r.random() < 0.5:
            return r.choice([f.email, f.free_email, f.company_email])()
        first, last = (ascii_word(n).lower() or "x" for n in self._names(f, 2))
        local = r.choice(
            [f"{first}.{last}", f"{first[0]}{last}", f"{first}{r.randint(70, 99)}", f"{first}.{last}+shop", f"{last}_{first}"]
        )
        return f"{local}@{r.choice([f.free_email_domain(), f.domain_name()])}"

    def _phone(self, shape: str, f: Faker, r: random.Random, loc: str) -> str:
        def d(k: int) -> str:
            return digits(r, k)

        def pairs() -> str:
            return " ".join(d(2) for _ in range(4))

        if shape == "e164":
            cc, nsn = {
                "en_US": ("1", str(r.randint(201, 989)) + d(7)),
                "en_GB": ("44", "7" + d(9)),
                "de_DE": ("49", "15" + d(9)),
                "fr_FR": ("33", r.choice("67") + d(8)),
                "es_ES": ("34", "6" + d(8)),
            }[loc]
            return f"+{cc}{nsn}"
        if r.random() < 0.3:
            return f.phone_number()
        match loc:
            case "en_US":
                a, b, c = str(r.randint(201, 989)), str(r.randint(200, 999)), d(4)
                return r.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"+1-{a}-{b}-{c}"])
            case "en_GB":
                return r.choice(
                    [
                        f"07{d(3)} {d(6)}",
                        f"+44 7{d(3)} {d(6)}",
                        f"020 {d(4)} {d(4)}",
                        f"+44 (0)20 {d(4)} {d(4)}",
                        f"0161 {d(3)} {d(4)}",
                    ]
                )
            case "de_DE":
                return r.choice(
                    [f"+49 30 {d(7)}", f"030 {d(8)}", f"015{r.randint(1, 9)} {d(8)}", f"+49 (0)151 {d(4)} {d(4)}", f"0171/{d(7)}"]
                )
            case "fr_FR":
                return r.choice(
                    [f"06 {pairs()}", f"+33 6 {pairs()}", ".".join(["01"] + [d(2) for _ in range(4)]), f"+33 (0)1 {pairs()}"]
                )
            case _:
                return r.choice(
                    [
                        f"6{d(2)} {d(2)} {d(2)} {d(2)}",
                        f"+34 6{d(2)} {d(3)} {d(3)}",
                        f"91 {d(3)} {d(2)} {d(2)}",
                        f"+34 93 {d(3)} {d(2)} {d(2)}",
                    ]
                )

    def _url(self, shape: str, f: Faker, r: random.Random) -> str:
        domain = f.domain_name()
        if shape == "api":
            cursor = "".join(r.choice(ALNUM) for _ in range(12))
            return (
                f"https://api.{domain}/v{r.randint(1, 3)}/{r.choice(['users', 'orders', 'invoices'])}"
                f"?limit={r.choice([20, 50, 100])}&cursor={cursor}"
            )
        path = f.uri_path()
        return r.choice(
            [
                f.url(),
                f"https://{domain}/{path}?id={r.randint(1000, 999999)}",
                f"https://www.{domain}/{path}/item-{r.randint(100, 99999)}.html",
                f"https://{domain}/{path}?utm_source=newsletter&utm_medium=email&utm_campaign=spring{r.randint(1, 9)}",
                f"http://{domain}/{path}#section-{r.randint(1, 12)}",
                f"https://track.{domain}/parcel?ref={self._other('tracking', f, r, 'en_US')}&lang=en",
            ]
        )

    def _city(self, f: Faker, r: random.Random, loc: str) -> tuple[str, str, str]:
        """(city, state for en_US, postcode)"""
        if r.random() < 0.5:
            city, state, prefix = r.choice(_CITIES[loc])
            match loc:
                case "en_GB":
                    postcode = (
                        f"{prefix}{r.randint(1, 20)} {r.randint(1, 9)}"
                        f"{r.choice('ABDEFGHJLNPQRSTUWXYZ')}{r.choice('ABDEFGHJLNPQRSTUWXYZ')}"
                    )
                case "fr_FR" if prefix == "750":
                    postcode = f"750{r.randint(1, 20):02d}"
                case _:
                    postcode = prefix + digits(r, 5 - len(prefix))
            return city, state, postcode
        return f.city(), (f.state_abbr() if loc == "en_US" else ""), f.postcode()

    def _street(self, f: Faker, r: random.Random, loc: str) -> str:
        street = r.choice(_STREETS[loc]) if r.random() < 0.5 else " ".join(f.street_name().split())
        num = str(r.randint(1, 240))
        match loc:
            case "en_US":
                unit = r.choice(["", "", "", f", Apt {r.randint(1, 40)}{r.choice('ABCD')}", f" #{r.randint(2, 900)}"])
                return f"{num} {street}{unit}"
            case "en_GB":
                flat = r.choice(["", "", f"Flat {r.randint(1, 12)}, "])
                return f"{flat}{num} {street}"
            case "de_DE":
                return f"{street} {num}{r.choice(['', '', '', 'a', 'b'])}"
            case "fr_FR":
                flat = r.choice(["", "", f"Bât. {r.choice('ABC')}, apt {r.randint(1, 60)}, "])
                return f"{flat}{num}{r.choice([' ', ', '])}{street}"
            case _:
                floor = r.choice(["", f", {r.randint(1, 9)}º {r.choice('ABCD')}", f", {r.randint(1, 9)}º izq"])
                return f"{street}{r.choice([' ', ', '])}{num}{floor}"

    def location(self, shape: str, f: Faker, r: random.Random, loc: str) -> str:
        if shape == "street":
            return self._street(f, r, loc)
        city, state, postcode = self._city(f, r, loc)
        if shape == "city":
            return city
        match loc:
            case "en_US":
                postcity = f"{city}, {state} {postcode}"
            case "en_GB":
                postcity = f"{city} {postcode}"
            case _:
                postcity = f"{postcode} {city}"
        if shape == "postcity":
            return postcity
        if shape == "pobox":
            box = {
                "en_US": f"{r.choice(['PO Box', 'P.O. Box'])} {r.randint(10, 9999)}",
                "en_GB": f"PO Box {r.randint(10, 999)}",
                "de_DE": f"Postfach {r.randint(10, 99)} {r.randint(10, 99)} {r.randint(10, 99)}",
                "fr_FR": f"BP {r.randint(10, 999)}",
                "es_ES": f"Apartado de Correos {r.randint(10, 9999)}",
            }[loc]
            return f"{box}, {postcity}"
        if shape != "line":
            raise ValueError(f"no location shape {shape!r}")
        if loc == "en_GB" and r.random() < 0.3:
            return f"{self._street(f, r, loc)}, {city}, {postcode}"
        return f"{self._street(f, r, loc)}, {postcity}"

    def _birth_date(self, shape: str, r: random.Random, loc: str) -> str:
        year, month, day = r.randint(1938, 2008), r.randint(1, 12), r.randint(1, 28)
        lang = loc[:2] if r.random() < 0.5 else "en"
        month_name = MONTHS[lang][month - 1]
        if shape == "dm":
            return {
                "en": r.choice([f"{day} {month_name}", f"{month_name} {day}"]),
                "de": f"{day}. {month_name}",
                "fr": f"{day} {month_name}",
                "es": f"{day} de {month_name}",
            }[lang]
        if shape == "any":
            shape = r.choices(["iso", "numeric", "long"], weights=[15, 40, 45])[0]
        if shape == "long":
            return {
                "en": r.choice([f"{day} {month_name} {year}", f"{month_name} {day}, {year}"]),
                "de": f"{day}. {month_name} {year}",
                "fr": f"{day} {month_name} {year}",
                "es": f"{day} de {month_name} de {year}",
            }[lang]
        return numeric_date(shape, year, month, day, loc == "en_US", loc, r)

    def _secret(self, shape: str, f: Faker, r: random.Random) -> str:
        def pick(chars: str, k: int) -> str:
            return "".join(r.choice(chars) for _ in range(k))

        match shape:
            case "token":
                return r.choice(
                    [
                        lambda: "ghp_" + pick(ALNUM, 36),
                        lambda: "github_pat_" + pick(ALNUM, 22) + "_" + pick(ALNUM, 59),
                        lambda: "glpat-" + pick(ALNUM + "-_", 20),
                        lambda: "sk_live_" + pick(ALNUM, 24),
                        lambda: "rk_live_" + pick(ALNUM, 24),
                        lambda: "AKIA" + pick(string.ascii_uppercase + string.digits, 16),
                        lambda: "AIza" + pick(ALNUM + "-_", 35),
                        lambda: "xoxp-" + pick(string.digits, 11) + "-" + pick(string.digits, 12) + "-" + pick(HEX, 32),
                        lambda: "SG." + pick(ALNUM, 22) + "." + pick(ALNUM, 43),
                        lambda: "npm_" + pick(ALNUM, 36),
                        lambda: pick(ALNUM, 32),
                    ]
                )()
            case "jwt":

                def b64(data: bytes) -> str:
                    return base64.urlsafe_b64encode(data).decode().rstrip("=")

                claims = {
                    "sub": str(r.randint(10000, 99999999)),
                    "iat": r.randint(1_600_000_000, 1_750_000_000),
                    "scope": r.choice(["read", "read write", "admin"]),
                }
                return ".".join([b64(b'{"alg":"HS256","typ":"JWT"}'), b64(json.dumps(claims).encode()), pick(ALNUM + "-_", 43)])
            case "password":
                # no quote, '@', ':', '/' or space: they would break the connection strings and quotes
                return r.choice(
                    [
                        lambda: f.password(length=r.randint(10, 16), special_chars=False),
                        lambda: f"{r.choice(_PASSWORD_WORDS)}{r.randint(1970, 2026)}{r.choice('!#%*?')}",
                        lambda: "-".join(r.sample([w.lower() for w in _PASSWORD_WORDS], 3)) + str(r.randint(10, 99)),
                        lambda: pick(ALNUM + "!#%*_-", r.randint(12, 20)) + r.choice(ALNUM),
                    ]
                )()
            case "pem":
                return private_key(r)
            case "pem_json":
                return private_key(r).replace("\n", "\\n")
        raise ValueError(f"no secret shape {shape!r}")

    # -- distractors -----------------------------------------------------------------------------------

    def _date(self, r: random.Random, loc: str) -> str:
        """An ordinary date (deliveries, start dates, flights) in the same forms birth dates take."""
        year, month, day = r.randint(2019, 2026), r.randint(1, 12), r.randint(1, 28)
        month_name = MONTHS["en"][month - 1]
        numeric = {"en_US": f"{month:02d}/{day:02d}/{year}", "de_DE": f"{day:02d}.{month:02d}.{year}"}.get(
            loc, f"{day:02d}/{month:02d}/{year}"
        )
        return r.choice(
            [
                f"{year}-{month:02d}-{day:02d}",
                numeric,
                f"{day} {month_name} {year}",
                f"{month_name} {day}, {year}",
                f"{day} {month_name[:3]}",
            ]
        )

    def _other(self, slot: str, f: Faker, r: random.Random, loc: str) -> str:
        def hexs(k: int) -> str:
            return "".join(r.choice(HEX) for _ in range(k))

        match slot:
            case "order_no":
                return r.choice(
                    [
                        f"#{digits(r, 8)}",
                        _dashed(fail_luhn(digits(r, 17)), (3, 7, 7)),
                        f"ORD-{r.randint(2019, 2026)}-{digits(r, 6)}",
                    ]
                )
            case "tracking":
                return r.choice(
                    [
                        "1Z" + "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(16)),
                        "9400" + digits(r, 18),
                        "JJD" + fail_luhn(digits(r, 15)),
                        "".join(r.choice(string.ascii_uppercase) for _ in range(2)) + digits(r, 9) + "GB",
                    ]
                )
            case "return_no":
                return f"RMA-{digits(r, 6)}"
            case "invoice":
                return f"INV-{r.randint(2019, 2026)}-{digits(r, 5)}"
            case "serial":
                return f"SN{digits(r, 4)}{r.choice(string.ascii_uppercase)}{digits(r, 6)}"
            case "sku":
                return f"{r.choice(['KT', 'BK', 'RT', 'MX'])}-{digits(r, 4)}-{r.choice(['BLK', 'WHT', 'RED'])}"
            case "ean":
                return fail_luhn(r.choice("0123456789"[4:]) + digits(r, 12))
            case "emp_id":
                return f"E{digits(r, 6)}"
            case "listing_id" | "chat_id" | "user_id":
                return digits(r, r.randint(6, 10))
            case "form_id":
                return f"HR-{digits(r, 5)}"
            case "creditor_id":
                return f"{r.choice(['DE', 'FR', 'ES'])}{digits(r, 2)}ZZZ{digits(r, 11)}"
            case "vat":
                return r.choice([f"DE{digits(r, 9)}", f"FR{digits(r, 11)}", f"ESB{digits(r, 8)}", f"GB{digits(r, 9)}"])
            case "bic":
                return f.swift(length=r.choice([8, 11]))
            case "last4":
                return digits(r, 4)
            case "exp":
                return f"{r.randint(1, 12):02d}/{r.randint(25, 31)}"
            case "flight":
                return f"{r.choice(['LH', 'BA', 'AF', 'IB', 'UA'])} {r.randint(100, 9999)}"
            case "pnr":
                return "".join(r.choice(string.ascii_uppercase + "23456789") for _ in range(6))
            case "version":
                return r.choice(
                    [
                        f"{r.randint(0, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
                        f"10.0.{r.randint(19041, 26100)}.{r.randint(300, 4000)}",
                    ]
                )
            case "uuid":
                return "-".join(hexs(k) for k in (8, 4, 4, 4, 12))
            case "sha40":
                return hexs(40)
            case "sha256":
                return hexs(64)
            case "md5":
                return hexs(32)
            case "host":
                return f"{r.choice(['db', 'pg', 'cache', 'mq'])}-{r.choice(['prod', 'stg'])}-{r.randint(1, 9)}.internal"
            case "db":
                return r.choice(["orders", "crm", "billing", "analytics"])
            case "unix_user":
                return r.choice(["svc_build", "deploy", "ci_runner", "backup"])
            case "country_code":
                return loc[-2:]
            case "ts_iso":
                return (
                    f"{r.randint(2021, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
                    f"T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}Z"
                )
            case "ts_log":
                return (
                    f"{r.randint(2021, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} "
                    f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d},{digits(r, 3)}"
                )
            case "ts_clf":
                month = MONTHS["en"][r.randint(0, 11)][:3]
                return (
                    f"{r.randint(1, 28):02d}/{month}/{r.randint(2021, 2026)}:"
                    f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d} +0000"
                )
            case "date":
                return self._date(r, loc)
            case "date_dm":
                return f"{r.randint(1, 28)} {MONTHS['en'][r.randint(0, 11)]}"
            case "time":
                return f"{r.randint(7, 21):02d}:{r.choice(['00', '15', '30', '45'])}"
            case "duration":
                return f"0:{r.randint(5, 59):02d}"
            case "price":
                whole, cents = r.randint(5, 1500), r.choice([0, 50, 99])
                return {
                    "en_US": f"${whole:,}.{cents:02d}",
                    "en_GB": f"£{whole}",
                    "de_DE": f"{whole:,}".replace(",", ".") + f",{cents:02d} €",
                }.get(loc, f"{whole} €")
            case "amount":
                return f"{r.randint(5, 2500)}.{r.randint(0, 99):02d}"
            case "bytes":
                return str(r.randint(200, 90000))
            case "stars":
                return str(r.randint(1, 5))
            case "helpful":
                return str(r.randint(3, 250))
            case "age":
                return str(r.randint(18, 80))
            case "status":
                return r.choice(["paid", "shipped", "refunded", "pending"])
            case "cost_centre":
                return digits(r, 4)
            case "yaml_root":
                return r.choice(["billing", "smtp", "customer", "integration"])
        raise ValueError(f"unknown template slot {slot!r}")


def fresh_posts(
    n: int, seed: int, locale_mix: Sequence[tuple[str, float]], name_pool: str, pii_rate: float, weights: dict[str, float] | None
) -> Iterator[tuple[str, list[Span], int, str]]:
    """The fresh family: `(text, gold spans, label, locale)` per post, deterministic per seed (the same
    shape as the blind family's in `synth.py`). Each post is one record in a style from FRESH_STYLES."""
    rng = random.Random(seed)
    fakers = make_fakers(seed, locale_mix)
    values = FreshValues(fakers, rng, name_pool)
    entities = list(FAMILY_ENTITIES)
    entity_weights = [1.0 if weights is None else weights.get(e, 0.0) for e in entities]
    styles = [s for s, _, _ in FRESH_STYLES]
    style_weights = [w for _, w, _ in FRESH_STYLES]
    registers_of = {s: regs for s, _, regs in FRESH_STYLES}
    for _ in range(n):
        loc, label, _ = draw_setting(rng, locale_mix)
        topic = TOPICS[label]
        style = rng.choices(styles, weights=style_weights)[0]
        service = rng.choice(FRESH_SERVICES[topic])
        fixed: dict[str, tuple[str, str]] = {}
        # (template, separator before it); every piece goes through fill, so spans stay exact
        pieces: list[tuple[str, str]] = []
        if style == "csv":
            pieces = _csv_pieces(rng, topic, entities, entity_weights, pii_rate)
        else:
            registers = registers_of[style]
            if style == "code":
                registers = (rng.choice(CODE_REGISTERS),)
            body: list[tuple[str, str]] = []  # (register, template)
            reg = rng.choice(registers)
            if reg == "prose":
                body.append((reg, rng.choice(FRESH_TOPIC_PROSE[topic])))
            elif reg in FRESH_TOPIC_FIELDS:
                body.append((reg, rng.choice(FRESH_TOPIC_FIELDS[reg][topic])))
            else:
                body.append((reg, rng.choice(FRESH_TOPIC_CODE[reg])))
            for _ in range(rng.randint(1, 4)):
                reg = rng.choice(registers)
                if rng.random() < pii_rate:
                    entity = rng.choices(entities, weights=entity_weights)[0]
                    pool = FRESH_PII_TEMPLATES[reg][entity]
                else:
                    pool = FRESH_NEAR_MISSES[reg]
                # a record rarely says the same line twice
                used = {t for _, t in body}
                body.append((reg, rng.choice([t for t in pool if t not in used] or pool)))
            rng.shuffle(body)
            if style == "form":
                body.insert(rng.randint(0, len(body)), ("form", "Start date: {date}"))
            pieces = _frame(style, body, rng, values, loc, fixed)
        out = PostWriter()
        for template, sep in pieces:
            out.literal(sep)
            fill(template, values, loc, service, fixed, out)
        yield out.text(), out.spans, label, loc


def fill(template: str, values: FreshValues, loc: str, service: str, fixed: dict[str, tuple[str, str]], out: PostWriter) -> None:
    """Write `template` to `out` with its slots filled: `fixed` holds the values drawn once per post,
    {service} is the post's service name."""

    def draw(slot: str) -> tuple[str | None, str]:
        if slot in fixed:
            return fixed[slot]
        if slot == "service":
            return None, service
        return values.draw(slot, loc)

    render(template, out, draw)


def _frame(
    style: str, body: list[tuple[str, str]], rng: random.Random, values: FreshValues, loc: str, fixed: dict[str, tuple[str, str]]
) -> list[tuple[str, str]]:
    """Header, body lines and footer of one post in `style`."""
    pieces: list[tuple[str, str]] = []

    def lines(sep_prose: Sequence[str]) -> None:
        for i, (reg, t) in enumerate(body):
            # sentences may run on in one paragraph; fields, and lines without a full stop, stand alone
            run_on = i > 0 and reg == body[i - 1][0] == "prose" and ends_sentence(t) and ends_sentence(body[i - 1][1])
            pieces.append((t, rng.choice(sep_prose) if run_on else "\n"))

    match style:
        case "review":
            pieces.append((rng.choice(FRESH_REVIEW_HEADERS), ""))
            lines([" ", " ", "\n"])
            if rng.random() < 0.6:
                pieces.append((rng.choice(FRESH_REVIEW_FOOTERS), "\n\n"))
        case "listing":
            pieces.append((rng.choice(FRESH_LISTING_HEADERS), ""))
            lines([" ", "\n"])
            if rng.random() < 0.5:
                pieces.append((rng.choice(FRESH_LISTING_FOOTERS), "\n"))
        case "chat":
            pieces.append((rng.choice(FRESH_CHAT_HEADERS), ""))
            # one agent per transcript, named the same way in every turn
            agent = values.person(rng.choice(["first", "first", "initial"]), values.fakers[loc], rng, loc)
            fixed["AGENT"] = ("PERSON", agent)
            pieces.append(("{AGENT} (Support): " + rng.choice(["Hi, how can I help?", "Hello! What's up today?"]), "\n"))
            for _, t in body:
                pieces.append(("Customer: " + t, "\n"))
                if rng.random() < 0.5:
                    pieces.append(("{AGENT} (Support): " + rng.choice(FRESH_AGENT_LINES), "\n"))
            if rng.random() < 0.5:
                pieces.append((rng.choice(FRESH_CHAT_FOOTERS), "\n"))
        case "form":
            pieces.append((rng.choice(FRESH_FORM_HEADERS), ""))
            lines(["\n"])
            if rng.random() < 0.5:
                pieces.append((rng.choice(FRESH_FORM_FOOTERS), "\n"))
        case "delivery":
            pieces.append((rng.choice(FRESH_DELIVERY_HEADERS), ""))
            lines([" ", "\n"])
            if rng.random() < 0.4:
                pieces.append((rng.choice(FRESH_DELIVERY_FOOTERS), "\n"))
        case "voicemail":
            pieces.append((rng.choice(FRESH_VOICEMAIL_HEADERS), ""))
            # one quoted paragraph; the transcriber ends each utterance with a full stop
            for i, (_, t) in enumerate(body):
                if i == 0:
                    pieces.append(('"' + t, "\n"))
                else:
                    pieces.append((t, " " if ends_sentence(body[i - 1][1]) else ". "))
            pieces[-1] = (pieces[-1][0] + ('"' if ends_sentence(body[-1][1]) else '."'), pieces[-1][1])
            if rng.random() < 0.5:
                pieces.append((FRESH_VOICEMAIL_FOOTERS[0], "\n"))
        case "code":
            reg = body[0][0]
            intro = rng.choice(FRESH_CODE_INTROS)
            head, tail = FRESH_CODE_FRAMES[reg]
            if intro:
                pieces.append((intro, ""))
            pieces.append((head, "\n" if pieces else ""))
            for _, t in body:
                pieces.append((t, "\n"))
            if tail:
                pieces.append((tail, "\n"))
        case _:
            raise ValueError(f"unknown style {style!r}")
    return pieces


def _csv_pieces(
    rng: random.Random, topic: str, entities: list[str], entity_weights: list[float], pii_rate: float
) -> list[tuple[str, str]]:
    """An intro line, a header row and 1-3 rows; PII columns are drawn like PII lines elsewhere."""
    pii: list[str] = []
    for _ in range(rng.randint(1, 4)):
        if rng.random() < pii_rate:
            entity = rng.choices(entities, weights=entity_weights)[0]
            if entity not in pii:
                pii.append(entity)
    columns = [FRESH_CSV_PII_COLUMNS[e] for e in pii]
    columns += rng.sample(FRESH_CSV_OTHER_COLUMNS, rng.randint(1, 3))
    rng.shuffle(columns)
    pieces = [(rng.choice(FRESH_CSV_INTROS[topic]), ""), (",".join(h for h, _ in columns), "\n")]
    row = ",".join(cell for _, cell in columns)
    for _ in range(rng.randint(1, 3)):
        pieces.append((row, "\n"))
    return pieces
