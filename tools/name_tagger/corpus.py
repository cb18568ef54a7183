"""General sentences for training the name tagger: everyday English, German, French and Spanish with
people, towns and addresses in many positions, and capitalized words that are neither (brands,
clubs, products, weekdays, German nouns, sentence-initial words, firms, shops, bands and schools
named after people or towns, salutations to nobody in particular, headings); also a few exported
tables (a cell alone does not say whether it holds a person or a town) and calls transcribed in
lower case without punctuation.

    general_posts(n, seed) -> Iterator[(text, [(entity, start, end)])]

Written for the tagger's training only, apart from every evaluation family; the posts are short
mixes of these sentences in random order and framing (plain, chat lines with speaker names, form
fields, transcript turns), so no sentence is tied to a layout.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from aircluster.privacy.detect.lexicon import load_lexicon
from aircluster.privacy.detect.tagger import load_cities

# Slots: {P} a person (full name, first name, title + surname), {F} a first name, {C} a town used as
# a place, {A} a street address, {l} a name in lower case; no entity: {B} a brand or product, {K} a
# club, {H} a hyphenated term ("Wi-Fi"), {J} a job title, {V} a room or gate ("Hall B"), {Q} a form field and its value ("Category: Home & Garden"),
# {O} a firm, shop, school, band, venue or university named after a person or a town ("Hughes & Sons",
# "University of Leeds"), {G} a salutation to nobody in particular or a heading ("Dear Sir or Madam",
# "Action Items"); {[} and {]} are literal braces.
SENTENCES: dict[str, list[str]] = {
    "en": [
        "I had lunch with {P} yesterday and we talked about the move.",
        "{P} will take over the account from next month.",
        "Please forward the invoice to {P} before Friday.",
        "My sister {F} just started a new job.",
        "Does anyone know if {P} is still coaching the under-12s?",
        "We spent a long weekend in {C} and loved it.",
        "The parcel was sent from {C} on Monday.",
        "She grew up near {C} but lives abroad now.",
        "Our new office is at {A}.",
        "Send the keys to {A}, the neighbours will take them.",
        "Shout out to {F} for fixing the printer again!",
        "{F}, can you check the figures before the meeting?",
        "Spoke to {P} on the phone, she confirmed the booking.",
        "The report was written by {P} and reviewed by {P}.",
        "{P} and {P} are leading the workshop in {C}.",
        "Happy retirement {F}, the team will miss you.",
        "Apparently {P} moved back to {C} after the divorce.",
        "If you are ever in {C}, the bakery on the corner is great.",
        "The train to {C} was cancelled again.",
        "Visited my grandparents in {C} over Easter.",
        "I ordered it on {B} and it arrived in two days.",
        "The {K} match was postponed because of the storm.",
        "Honestly the new {B} update broke everything.",
        "Monday is a bank holiday, so the shop opens on Tuesday.",
        "Great value for money and the staff were friendly.",
        "Customer Service Was Slow But Helpful.",
        "Thanks for the quick reply.",
        "Meeting moved to Thursday at 3pm, same room.",
        "Tickets are sold out for the final in {C}.",
        "According to {P}, the budget is already spent.",
        "{P} (project lead) signed off on the change.",
        "Drop-off address: {A}",
        "Contact person: {P}",
        "Attendees: {P}, {P}, {P}",
        "Location: {C}",
        "Born and raised in {C}, now working in {C}.",
        "We drove from {C} to {C} in one day.",
        "Fantastic Service, Would Recommend To Anyone.",
        "Apple and Samsung both released new phones this week.",
        "The kids love Minecraft and Lego.",
        # itineraries, minutes, CVs, claims, tenancy, classifieds, school, gaming, logs, profiles
        "Day 2: morning train to {C}, check-in after 3pm.",
        "Flight leaves {C} at 07:40, lands in {C} at 10:15.",
        "Hotel: Grand Central, near the station in {C}.",
        "Present: {P}, {P} and {P}. Apologies: {P}.",
        "Action: {F} to circulate the draft by Friday.",
        "Chair: {P}",
        "Minutes taken by {P}.",
        "2018-2021 Software engineer, Northwind Ltd, {C}",
        "References available from {P} on request.",
        "Claimant: {P}",
        "The incident happened outside {A} at around 6pm.",
        "Witness: {P}, who lives two doors down.",
        "Property: {A}",
        "Tenant {P} reported damp in the bedroom.",
        "The landlord, {P}, promised to send a plumber.",
        "For sale: kids bike, good condition, collection from {C} only.",
        "Pick up in {C} or I can post it for a fee.",
        "Dear parents, {T} will be covering Year 5 this week.",
        "{F} was a star in assembly today!",
        "Please pick {F} up from the side gate at 3:15.",
        "gg {F}, that last round was insane",
        "anyone from {C} want to duo tonight?",
        "user={F} action=login status=ok",
        "Profile: {P}, 34, based in {C}.",
        "Hometown: {C}",
        "Loved this post {F}!! miss you",
        "{F} and I are heading to {C} for the weekend.",
        "Congrats to {P} on the promotion!",
        "The School Trip To The Science Museum Is Confirmed.",
        "Lunch Menu: Fish Pie, Jacket Potatoes And Fruit Salad",
        "The Premier League table looks great for Arsenal this year.",
        "Level 12 boss is impossible without the Dragon Shield.",
        "Rent is due on the first Monday of the month.",
        "Terms And Conditions Apply. See Website For Details.",
        'INFO checkout ok customer="{P}" city="{C}" items=3',
        '{[}"name": "{P}", "city": "{C}", "plan": "Pro"{]}',
        "WARN login failed for user {F} from Chrome on Windows",
        "Name: {P}\nLives in: {C}\nAbout me: coffee, hiking and bad puns",
        "[21:14] {F}: omw, stuck in traffic near {C}",
        "{F} reacted to your photo from {C}",
        "Replying to {F}: totally agree with this",
        "Tagged: {P}, {P}",
        "Pick-up: {A}\nDrop-off: {A}",
        "Emergency contact: {P} (mother)",
        "Guarantor: {P}",
        "Referee: {T}, Head of Science",
        "Seller: {F} - responds within an hour",
        "Server EU-West restarted after the Monday patch.",
        "Skill issue lol, Team Phoenix carried the whole match.",
        "{Q}",
        "{Q}",
        "{Q}",
        "{Q}",
        "We switched to {B} after the price rise.",
        "Thanks to {B} for sorting out the return.",
        "Ordered from {B} again, same problem as last time.",
        "Tried the {B} one first, it broke within a week.",
        "Watched {K} beat {K} last night, what a game.",
        "The {H} in the lobby is down again.",
        "{H} only works on the ground floor.",
        "{l} and i are going to the gig tonight",
        "lol {l} you're hilarious",
        "ask {l} if she still has the charger",
        "hey it's {F}, call me back when you can",
        "— {F}, {C}",
        "{F} from {C} here, long time lurker.",
        "Posted by {P}",
        "Bought this as a present for {F}.",
        "Our team lead {P} approved the holiday request.",
        "{F}'s birthday party is on Saturday.",
        "The e-mail from {F} to {F} never arrived.",
        "A parcel from {P} to {P} is waiting at reception.",
        "Handover from {P} to {F} is on Monday.",
        "The keynote is on Monday in {V}.",
        "Boarding from {V} at 14:05.",
        "Coffee is served in {V}.",
        "We moved the workshop to {V}, next to {V}.",
        "Check-in: {A}",
        "Meeting point: {A}",
        "Incident location: {A}",
        "Accommodation: {A}",
        "Train {C} -> {C}, change at {C}.",
        "Depart {C} 07:40, arrive {C} 10:15.",
        "The flat at {A} is available from June.",
        "Pick-up from {A} between 9 and 5.",
        "Location: {C}",
        "Based in {C}, open to remote work.",
        "Viewing at {A} on Saturday.",
        "Hi {F},",
        "Dear {P},",
        "Thanks,\n{F}",
        "Cheers,\n{F}",
        "Best,\n{P}\n{J}",
        "Kind regards,\n{P}\n{J}",
        "{P}\n{J}\n{A}",
        "@{F} thanks, that fixed it",
        "Posted by {F} ({C})",
        "Anyone in the {C} area who can recommend a dentist?",
        "Go to Settings, then Privacy, and turn off tracking.",
        "Click Save and restart the Control Panel.",
        "Open Device Manager and check the Network Adapter.",
        "Sent from my phone, please excuse typos.",
        # firms, shops, bands, venues and schools named after people or towns: no entity in the name
        "I work at {O} now, the commute is much shorter.",
        "Booked a table at {O} for Friday.",
        "{O} is hiring again.",
        "Thanks to everyone at {O} for a great evening!",
        "Sponsored by {O}.",
        "She studied at {O} before moving abroad.",
        "Tickets for {O} went on sale this morning.",
        "{P} from {O} called about the invoice.",
        "The quote {O} sent was half the price.",
        "We saw {O} live last summer, still the best gig ever.",
        "Reviews for {O} are mixed.",
        "{F} has been with {O} for ten years.",
        "Parcel left at {O} in {C}.",
        "{G}",
        "{G}",
        "{G}",
        "{G}",
        # transcripts of calls: turns, spelled names, no punctuation once lower-cased
        "my name is {P}",
        "yes its {F} speaking",
        "can i take your full name please",
        "and the postcode",
        "i'll put you through to {F} in billing",
        "you're through to {F} how can i help",
        "i'm calling from {C} about my order",
        "the first line of the address is {A}",
        "can you spell the surname for me",
        "thank you for holding",
        "is that {F} with one l",
        "i spoke to {P} last week and she said it was sorted",
    ],
    "de": [
        "Ich habe gestern mit {P} telefoniert.",
        "{P} übernimmt ab nächster Woche die Leitung.",
        "Bitte schicken Sie die Rechnung an {P}.",
        "Meine Kollegin {F} ist heute krank.",
        "Wir wohnen seit drei Jahren in {C}.",
        "Das Paket wurde in {C} aufgegeben.",
        "Die Lieferung geht an {A}.",
        "Neue Anschrift: {A}",
        "Ansprechpartner: {P}",
        "Vielen Dank an {F} für die schnelle Hilfe!",
        "Hallo {F}, kannst du mir die Unterlagen schicken?",
        "Liebe Grüße aus {C}!",
        "Am Wochenende fahren wir nach {C}.",
        "{P} und {P} haben das Protokoll geschrieben.",
        "Laut {P} ist der Termin verschoben.",
        "Die Bestellung kam pünktlich, die Verpackung war beschädigt.",
        "Der Kundenservice war freundlich und schnell.",
        "Das Spiel gegen {K} endete unentschieden.",
        "Ich habe es bei {B} bestellt.",
        "Am Montag ist die Praxis geschlossen.",
        "Die Wohnung liegt zentral, die Nebenkosten sind niedrig.",
        "Geboren in {C}, aufgewachsen in {C}.",
        "Wohnort: {C}",
        "Mit freundlichen Grüßen\n{P}",
        "{T} hat den Antrag bearbeitet.",
        "{T} ist bis Freitag im Urlaub.",
        "Unser Vermieter {P} reagiert nicht auf Nachrichten.",
        "Die Heizung ist seit Dienstag kaputt.",
        "Flug ab {C} um 07:40, Ankunft in {C} um 10:15.",
        "Anwesend: {P}, {P}, {P}. Entschuldigt: {P}.",
        "Protokoll: {P}",
        "Mieter {P} meldet Schimmel im Bad.",
        "Verkaufe Kinderfahrrad, nur Abholung in {C}.",
        "Schadensort: {A}",
        "Die Klassenfahrt nach {C} findet im Mai statt.",
        "Berufserfahrung: 2015-2020 Projektleiterin bei einer Bank in {C}",
        "Der Vertrag wurde von {P} unterschrieben.",
        "Treffen wir uns am Bahnhof in {C}?",
        "Das Angebot Gilt Nur Solange Der Vorrat Reicht.",
        "Die Stadtwerke haben den Zähler abgelesen.",
        "{Q}",
        "{Q}",
        "{Q}",
        "Wir haben es dann bei {B} gekauft.",
        "Das {H} im Büro funktioniert wieder nicht.",
        "— {F}, {C}",
        "hab {l} gefragt, sie weiß es auch nicht",
        "Hallo {F},",
        "Viele Grüße\n{P}\n{J}",
        "{P}\n{J}\n{A}",
        "Die Nachricht von {F} an {F} ist nie angekommen.",
        "Die Präsentation ist im {V}.",
        "Treffpunkt: {A}",
        "Unfallort: {A}",
        "Die Wohnung in der {A} ist ab Juni frei.",
        "Zug {C} -> {C}, Umstieg in {C}.",
        "Ich arbeite jetzt bei {O}.",
        "Wir haben bei {O} einen Tisch reserviert.",
        "{O} sucht wieder Personal.",
        "Vielen Dank an {O}!",
        "{O} hat wegen der Rechnung angerufen.",
        "Das Angebot von {O} war deutlich günstiger.",
        "{G}",
        "{G}",
        "{G}",
        "Die Rechnung liegt im Anhang, die Zahlung erfolgt per Überweisung.",
        "Der Termin beim Zahnarzt wurde auf Donnerstag verlegt.",
        "Bitte bringen Sie Ausweis, Versichertenkarte und Überweisungsschein mit.",
        "Die Kündigung muss schriftlich erfolgen, die Frist beträgt drei Monate.",
        "Im Anhang finden Sie Lebenslauf, Zeugnisse und Anschreiben.",
        "Der Hausmeister kommt morgen wegen der Heizung und der Klingel.",
        "Parkplätze sind im Hof vorhanden, Frühstück ist im Preis inbegriffen.",
        "Wegen Bauarbeiten fällt der Unterricht in der Turnhalle aus.",
        "Die Sprechstunde findet Dienstag und Donnerstag statt.",
        "Bei Fragen steht Ihnen unser Kundenservice gerne zur Verfügung.",
        "mein name ist {P}",
        "ich rufe aus {C} an wegen meiner bestellung",
    ],
    "fr": [
        "J'ai parlé avec {P} hier soir.",
        "{P} reprend le dossier à partir de lundi.",
        "Merci d'envoyer la facture à {P}.",
        "Ma collègue {F} est en congé cette semaine.",
        "Nous habitons à {C} depuis 2019.",
        "Le colis est parti de {C} mardi.",
        "Adresse de livraison : {A}",
        "Nouvelle adresse : {A}",
        "Contact : {P}",
        "Un grand merci à {F} pour son aide !",
        "Bonjour {F}, pouvez-vous confirmer le rendez-vous ?",
        "Bisous de {C} !",
        "On part à {C} pour les vacances.",
        "{P} et {P} ont préparé le compte rendu.",
        "Selon {P}, la réunion est reportée.",
        "La commande est arrivée à temps mais le carton était abîmé.",
        "Le service client a été très réactif.",
        "Le match contre {K} a été annulé.",
        "Je l'ai commandé sur {B}.",
        "Le cabinet est fermé le lundi.",
        "Né à {C}, j'ai grandi à {C}.",
        "Ville : {C}",
        "Cordialement,\n{P}",
        "{T} a traité la demande.",
        "{T} est absent jusqu'à vendredi.",
        "Notre propriétaire {P} ne répond plus.",
        "Le chauffage ne marche plus depuis mardi.",
        "Vol au départ de {C} à 7h40, arrivée à {C} à 10h15.",
        "Présents : {P}, {P}, {P}. Excusé : {P}.",
        "Secrétaire de séance : {P}",
        "Le locataire {P} signale une fuite dans la cuisine.",
        "Vends vélo enfant, à récupérer à {C}.",
        "Lieu du sinistre : {A}",
        "La sortie scolaire à {C} est confirmée.",
        "Expérience : 2016-2021 cheffe de projet dans une banque à {C}",
        "Le contrat a été signé par {P}.",
        "On se retrouve à la gare de {C} ?",
        "Offre Valable Dans La Limite Des Stocks Disponibles.",
        "{Q}",
        "{Q}",
        "{Q}",
        "Finalement on a pris chez {B}, livraison rapide.",
        "Le {H} de l'hôtel ne marche pas.",
        "— {F}, {C}",
        "demande à {l} si elle a encore le chargeur",
        "Bonjour {F},",
        "Bien à vous,\n{P}\n{J}",
        "{P}\n{J}\n{A}",
        "Le message de {F} à {F} n'est jamais arrivé.",
        "La conférence a lieu dans le {V}.",
        "Point de rendez-vous : {A}",
        "Lieu de l'accident : {A}",
        "L'appartement au {A} est libre en juin.",
        "Train {C} -> {C}, correspondance à {C}.",
        "Je travaille chez {O} maintenant.",
        "On a réservé une table chez {O} pour vendredi.",
        "{O} recrute encore.",
        "Un grand bravo à {O} !",
        "{O} a appelé pour la facture.",
        "{G}",
        "{G}",
        "{G}",
        "je m'appelle {P}",
        "j'appelle de {C} pour ma commande",
    ],
    "es": [
        "Ayer hablé con {P} por teléfono.",
        "{P} se encarga del proyecto desde el lunes.",
        "Por favor, envía la factura a {P}.",
        "Mi compañera {F} está de vacaciones.",
        "Vivimos en {C} desde hace tres años.",
        "El paquete salió de {C} el martes.",
        "Dirección de entrega: {A}",
        "Nueva dirección: {A}",
        "Persona de contacto: {P}",
        "¡Muchas gracias a {F} por la ayuda!",
        "Hola {F}, ¿puedes confirmar la cita?",
        "¡Saludos desde {C}!",
        "Este verano vamos a {C}.",
        "{P} y {P} prepararon el acta.",
        "Según {P}, la reunión se aplaza.",
        "El pedido llegó a tiempo pero la caja estaba rota.",
        "La atención al cliente fue muy rápida.",
        "El partido contra el {K} se suspendió.",
        "Lo compré en {B}.",
        "La consulta cierra los lunes.",
        "Nací en {C} y crecí en {C}.",
        "Ciudad: {C}",
        "Un saludo,\n{P}",
        "La {T} tramitó la solicitud.",
        "El {T} está fuera hasta el viernes.",
        "Nuestro casero {P} no contesta.",
        "La calefacción no funciona desde el martes.",
        "Vuelo desde {C} a las 07:40, llegada a {C} a las 10:15.",
        "Asistentes: {P}, {P}, {P}. Excusa su ausencia: {P}.",
        "Secretaria: {P}",
        "El inquilino {P} avisa de una fuga en el baño.",
        "Vendo bici infantil, recogida en {C}.",
        "Lugar del siniestro: {A}",
        "La excursión del colegio a {C} será en mayo.",
        "Experiencia: 2014-2019 jefa de proyecto en un banco de {C}",
        "El contrato lo firmó {P}.",
        "¿Quedamos en la estación de {C}?",
        "Oferta Válida Hasta Agotar Existencias.",
        "{Q}",
        "{Q}",
        "{Q}",
        "Al final lo compramos en {B}.",
        "El {H} del hotel no funciona.",
        "— {F}, {C}",
        "pregúntale a {l} si todavía tiene el cargador",
        "Hola {F},",
        "Saludos,\n{P}\n{J}",
        "{P}\n{J}\n{A}",
        "El mensaje de {F} para {F} nunca llegó.",
        "La charla es en el {V}.",
        "Punto de encuentro: {A}",
        "Lugar del accidente: {A}",
        "El piso de {A} queda libre en junio.",
        "Tren {C} -> {C}, transbordo en {C}.",
        "Ahora trabajo en {O}.",
        "Reservamos mesa en {O} para el viernes.",
        "{O} vuelve a contratar.",
        "¡Gracias a {O} por todo!",
        "{O} llamó por la factura.",
        "{G}",
        "{G}",
        "{G}",
        "me llamo {P}",
        "llamo desde {C} por mi pedido",
    ],
}
BRANDS = [
    "Amazon",
    "Google",
    "Netflix",
    "Spotify",
    "IKEA",
    "Tesla",
    "Zalando",
    "Lidl",
    "Aldi",
    "PlayStation",
    "Windows",
    "iPhone",
    "Deutsche Bahn",
    "Air France",
    "Renfe",
    "Ryanair",
    "Microsoft Teams",
    "Zoom",
    "WhatsApp",
    "Telegram",
    "Decathlon",
    "Carrefour",
    "El Corte Inglés",
    "Fnac",
    # named after people or places, still brands
    "Marks & Spencer",
    "Ben & Jerry's",
    "Tommy Hilfiger",
    "Hugo Boss",
    "Ralph Lauren",
    "Mercedes-Benz",
    "Rolls-Royce",
    "Wells Fargo",
    "Ted Baker",
    "Calvin Klein",
    "Louis Vuitton",
    "Harley-Davidson",
    "John Lewis",
    "Sainsbury's",
    "McDonald's",
    "Tim Hortons",
    "Jack Daniel's",
    "Dr Martens",
    "Dr. Oetker",
    "Cadbury",
    "Peugeot",
    "Ferrero Rocher",
    "Giorgio Armani",
    "Victoria's Secret",
    # an acronym and a word: products, not people
    "IBM Watson",
    "SAP Concur",
    "AWS Lambda",
    "HP LaserJet",
    "BMW X5",
    "VW Golf",
    "LG OLED",
    "EA Sports",
]
# Rooms, halls and gates named by a letter or number: not places in the sense of where someone lives.
VENUES = (
    "Hall B",
    "Room 4",
    "Gate C14",
    "Terminal 2",
    "Hall 3",
    "Room B12",
    "Building C",
    "Block D",
    "Level 2",
    "Studio 1",
    "Stage B",
    "Wing A",
    "Platform 9",
    "Court 3",
)
HYPHENATED = [
    "Wi-Fi",
    "E-Mail",
    "T-Shirt",
    "X-Ray",
    "Check-in",
    "Follow-up",
    "Co-op",
    "Self-Service",
    "Coca-Cola",
    "Add-on",
    "Log-in",
    "Set-up",
    "Pop-up",
    "Drop-off",
    "Walk-in",
    "Roll-out",
]
# Form fields that hold no PII, with values written like names: capitals, "&", several words.
FIELDS = {
    "en": (
        "Category",
        "Status",
        "Priority",
        "Subject",
        "Department",
        "Team",
        "Condition",
        "Colour",
        "Size",
        "Brand",
        "Model",
        "Type",
        "Plan",
        "Tier",
        "Platform",
        "Severity",
        "Component",
        "Topic",
        "Reason",
        "Payment",
        "Delivery",
        "Shift",
        "Role",
        "Level",
        "Genre",
        "Course",
        "Room",
        "Channel",
    ),
    "de": (
        "Kategorie",
        "Status",
        "Priorität",
        "Betreff",
        "Abteilung",
        "Zustand",
        "Farbe",
        "Größe",
        "Marke",
        "Zahlungsart",
        "Lieferung",
        "Raum",
        "Kurs",
    ),
    "fr": (
        "Catégorie",
        "Statut",
        "Priorité",
        "Objet",
        "Service",
        "État",
        "Couleur",
        "Taille",
        "Marque",
        "Paiement",
        "Livraison",
        "Salle",
        "Cours",
    ),
    "es": (
        "Categoría",
        "Estado",
        "Prioridad",
        "Asunto",
        "Departamento",
        "Color",
        "Talla",
        "Marca",
        "Pago",
        "Entrega",
        "Sala",
        "Curso",
    ),
}
FIELD_VALUES = (
    "Electronics",
    "Home & Garden",
    "Luggage & Travel",
    "Shipped",
    "Pending Review",
    "High",
    "Low",
    "Platform Engineering",
    "Customer Success",
    "Used - Like New",
    "Navy Blue",
    "XL",
    "Premium",
    "Gold Tier",
    "Android",
    "Critical",
    "Billing",
    "Night Shift",
    "Team Lead",
    "Intermediate",
    "Jazz",
    "Advanced Spanish",
    "Room B2",
    "General",
    "Express",
    "Credit Card",
    "Elektronik",
    "Versendet",
    "Hoch",
    "Neu",
    "Expédié",
    "Haute",
    "Enviado",
    "Alta",
    "Nuevo",
    "Mathematics",
)
# Names of firms, shops, bands, venues and schools built on a surname {L}, a first name {N} or a town
# {C}: the name is no PERSON or LOCATION (the label follows what is meant, not the word).
ORGS: dict[str, tuple[str, ...]] = {
    "en": (
        "{L} & Sons",
        "{L} & Partners",
        "{L} Solicitors",
        "{L}'s Bakery",
        "{N}'s Kitchen",
        "{N}'s Café",
        "{L} Plumbing",
        "{L} Brothers",
        "The {L} Trio",
        "{N} and the Night Owls",
        "{C} Dental Practice",
        "{C} Rugby Club",
        "{C} Symphony Orchestra",
        "{C} Community Choir",
        "University of {C}",
        "{C} University",
        "{C} Grand Hotel",
        "St {N}'s Church",
        "St. {N}'s Primary School",
        "The {L} Arms",
        "{N} {L} Foundation",
        "{L} Institute",
        "{C} Building Society",
        "{C} Rovers",
        "{L} Motors",
        "{L} Estate Agents",
        "{C} Chamber of Commerce",
        "{C} Film Festival",
    ),
    "de": (
        "Bäckerei {L}",
        "{L} GmbH",
        "{L} & Söhne",
        "Autohaus {L}",
        "Stadtwerke {C}",
        "Universität {C}",
        "Hotel Stadt {C}",
        "Praxis Dr. {L}",
        "{L} Immobilien",
        "Gasthaus {L}",
        "{N}-{L}-Gymnasium",
        "Sparkasse {C}",
        "Volksbank {C}",
        "Chor {C}",
        "Malerbetrieb {L}",
    ),
    "fr": (
        "Boulangerie {L}",
        "Lycée {N} {L}",
        "Garage {L}",
        "{L} et Fils",
        "Cabinet {L}",
        "Pharmacie {L}",
        "Collège {N} {L}",
        "Stade {L}",
        "Brasserie {L}",
    ),
    "es": (
        "Panadería {L}",
        "Colegio {N} {L}",
        "Talleres {L}",
        "{L} e Hijos",
        "Hostal {C}",
        "Bar {N}",
        "Farmacia {L}",
        "Clínica {L}",
        "Estadio {N} {L}",
    ),
}
# Salutations that name nobody and headings: capitalized, at a line's start, no entity.
GREETINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "Dear Colleague,",
        "Dear Colleagues,",
        "Dear Sir or Madam,",
        "Dear Sir/Madam,",
        "Dear Customer,",
        "Dear Valued Customer,",
        "Dear Hiring Manager,",
        "Dear Team,",
        "Dear All,",
        "Hi Team,",
        "Hi All,",
        "Hello Everyone,",
        "Dear Members,",
        "Dear Neighbours,",
        "Dear Patient,",
        "To Whom It May Concern,",
        "Meeting Notes",
        "Action Items",
        "Next Steps",
        "Order Summary",
        "Billing Details",
        "Opening Hours",
        "Key Responsibilities",
        "Release Notes",
        "Incident Report",
        "Patient Information",
        "Shipping Address",
        "Agenda",
        "Summary",
        "Attachments",
        "Terms and Conditions",
        "Frequently Asked Questions",
        "Cover Letter",
        "Work Experience",
        "Personal Statement",
        "Case Notes",
        "Listing Details",
    ),
    "de": (
        "Sehr geehrte Damen und Herren,",
        "Liebe Kolleginnen und Kollegen,",
        "Liebes Team,",
        "Hallo zusammen,",
        "Liebe Kundin, lieber Kunde,",
        "Liebe Eltern,",
        "Zusammenfassung",
        "Nächste Schritte",
        "Wichtige Hinweise",
        "Tagesordnung",
        "Lieferadresse",
        "Rechnungsadresse",
        "Öffnungszeiten",
        "Berufserfahrung",
        "Anlagen",
        "Objektbeschreibung",
        "Ausstattung",
        "Befund",
        "Diagnose",
        "Therapie",
    ),
    "fr": (
        "Madame, Monsieur,",
        "Chers collègues,",
        "Bonjour à tous,",
        "Cher client,",
        "Chère cliente, cher client,",
        "Compte rendu",
        "Ordre du jour",
        "Prochaines étapes",
        "Adresse de livraison",
        "Horaires d'ouverture",
        "Expérience professionnelle",
        "Pièces jointes",
        "Description du bien",
    ),
    "es": (
        "Estimado cliente:",
        "Estimados señores:",
        "Estimados compañeros:",
        "Hola a todos:",
        "A quien corresponda:",
        "Resumen",
        "Orden del día",
        "Próximos pasos",
        "Dirección de envío",
        "Horario de atención",
        "Experiencia profesional",
        "Documentos adjuntos",
        "Descripción del inmueble",
    ),
}
CLUBS = [
    "Real Madrid",
    "Bayern München",
    "Manchester United",
    "Paris Saint-Germain",
    "Borussia Dortmund",
    "Olympique Lyon",
    "Atlético Madrid",
    "Inter Milan",
    "Ajax Amsterdam",
    "Leeds United",
    "Boca Juniors",
]
# Sentences put together from parts, so a name or a town turns up in many more contexts than the
# fixed sentences above give: (subjects that are people, what they did, verbs taking a person,
# verbs taking a place, times).
PARTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "who": ("{P}", "{F}", "My neighbour {F}", "Our landlord {P}", "{T}", "Your colleague {P}"),
        "did": (
            "called this morning",
            "is off sick today",
            "moved house last year",
            "never replied",
            "left the company in May",
            "is organising the party",
            "sent the paperwork",
            "wants a refund",
            "fixed the boiler",
            "won the quiz again",
        ),
        "me": (
            "I met {P}",
            "We called {P}",
            "I emailed {P}",
            "We thanked {P}",
            "I am waiting for {P}",
            "Nobody has heard from {P}",
            "The courier gave it to {P}",
        ),
        "went": (
            "lives in {C}",
            "works near {C}",
            "grew up in {C}",
            "is staying in {C}",
            "drove to {C}",
            "flew back from {C}",
            "is based at {A}",
            "was born in {C}",
            "moved to {C}",
            "is coming over from {C}",
            "is collecting it from {C}",
        ),
        "when": ("", " yesterday", " last week", " on Friday", " this morning", " in 2019"),
    },
    "de": {
        "who": ("{P}", "{F}", "Meine Nachbarin {F}", "Unser Vermieter {P}", "{T}", "Dein Kollege {P}"),
        "did": (
            "hat heute Morgen angerufen",
            "ist diese Woche krank",
            "ist letztes Jahr umgezogen",
            "hat nie geantwortet",
            "organisiert die Feier",
            "will das Geld zurück",
            "hat die Heizung repariert",
        ),
        "me": (
            "Ich habe {P} getroffen",
            "Wir haben {P} angerufen",
            "Ich warte noch auf {P}",
            "Der Bote hat es {P} gegeben",
            "Niemand hat von {P} gehört",
        ),
        "went": (
            "wohnt in {C}",
            "arbeitet in {C}",
            "ist in {C} aufgewachsen",
            "fährt nach {C}",
            "kommt gerade aus {C}",
            "wohnt jetzt in der {A}",
            "wurde in {C} geboren",
            "ist nach {C} gezogen",
            "holt es in {C} ab",
        ),
        "when": ("", " gestern", " letzte Woche", " am Freitag", " seit 2019"),
    },
    "fr": {
        "who": ("{P}", "{F}", "Ma voisine {F}", "Notre propriétaire {P}", "{T}", "Ton collègue {P}"),
        "did": (
            "a appelé ce matin",
            "est malade cette semaine",
            "a déménagé l'an dernier",
            "n'a jamais répondu",
            "organise la fête",
            "veut être remboursé",
            "a réparé la chaudière",
        ),
        "me": (
            "J'ai croisé {P}",
            "On a appelé {P}",
            "J'attends toujours {P}",
            "Le livreur l'a donné à {P}",
            "Personne n'a de nouvelles de {P}",
        ),
        "went": (
            "habite à {C}",
            "travaille à {C}",
            "a grandi à {C}",
            "part pour {C}",
            "rentre de {C}",
            "habite au {A}",
            "est né à {C}",
            "s'installe à {C}",
            "rejoint le bureau de {C}",
            "arrive de {C}",
        ),
        "when": ("", " hier", " la semaine dernière", " vendredi", " depuis 2019"),
    },
    "es": {
        "who": ("{P}", "{F}", "Mi vecina {F}", "Nuestro casero {P}", "{T}", "Tu compañero {P}"),
        "did": (
            "llamó esta mañana",
            "está enfermo esta semana",
            "se mudó el año pasado",
            "nunca contestó",
            "organiza la fiesta",
            "quiere un reembolso",
            "arregló la caldera",
        ),
        "me": ("Vi a {P}", "Llamamos a {P}", "Sigo esperando a {P}", "El repartidor se lo dio a {P}", "Nadie sabe nada de {P}"),
        "went": (
            "vive en {C}",
            "trabaja en {C}",
            "creció en {C}",
            "sale para {C}",
            "vuelve de {C}",
            "vive en {A}",
            "nació en {C}",
            "se mudó a {C}",
            "se fue a vivir a {C}",
            "llega de {C}",
        ),
        "when": ("", " ayer", " la semana pasada", " el viernes", " desde 2019"),
    },
}


def composed(lang: str, rng: random.Random) -> str:
    """One sentence template put together from PARTS[lang]."""
    p = PARTS[lang]
    when = rng.choice(p["when"])
    shape = rng.random()
    # sometimes the sentence opens on a phrase, so the name stands mid-sentence after an ordinary noun
    intro = rng.choice(INTROS[lang]) if rng.random() < 0.3 else ""
    if intro:
        intro += rng.choice([" ", ", "])
    if shape < 0.35:
        return f"{intro}{rng.choice(p['who'])} {rng.choice(p['did'])}{when}."
    if shape < 0.65:
        return f"{intro}{rng.choice(p['me'])}{when}."
    return f"{intro}{rng.choice(p['who'])} {rng.choice(p['went'])}{when}."


INTROS = {
    "en": (
        "After the meeting",
        "During the break",
        "At the wedding",
        "On the way home",
        "Before lunch",
        "After the match",
        "At the party",
        "Since the move",
        "After the funeral",
        "At the open day",
        "During the interview",
        "After the concert",
        "At the reunion",
        "Following the inspection",
    ),
    "de": ("Nach der Besprechung", "In der Pause", "Auf der Hochzeit", "Nach dem Spiel", "Beim Elternabend"),
    "fr": ("Après la réunion", "Pendant la pause", "Au mariage", "Après le match", "À la fête"),
    "es": ("Después de la reunión", "Durante el descanso", "En la boda", "Después del partido", "En la fiesta"),
}


TITLES = {
    "en": ("Mr", "Mr.", "Mrs", "Ms.", "Dr."),
    "de": ("Frau", "Herr", "Dr."),
    "fr": ("Mme", "M.", "Dr"),
    "es": ("Sra.", "Sr.", "Dra."),
}
LOCALES = {"en": ("en_US", "en_GB"), "de": ("de_DE", "de_AT"), "fr": ("fr_FR",), "es": ("es_ES", "es_MX")}
LANG_WEIGHTS = {"en": 0.4, "de": 0.2, "fr": 0.2, "es": 0.2}


_LOWER_IN_PLACES = frozenset(
    [
        "am",
        "an",
        "der",
        "im",
        "in",
        "de",
        "del",
        "la",
        "le",
        "les",
        "sur",
        "sous",
        "upon",
        "on",
        "the",
        "y",
        "di",
        "da",
        "do",
        "dos",
        "das",
    ]
)


def place_case(low: str) -> str:
    """A lower-cased place written as places are: "frankfurt am main" -> "Frankfurt am Main"."""
    words = low.split(" ")
    return " ".join(
        w if (k and w in _LOWER_IN_PLACES) else "-".join(p[:1].upper() + p[1:] for p in w.split("-")) for k, w in enumerate(words)
    )


# Addresses are written the way of their country, whatever the language of the post around them.
# (not it_IT: Faker's it_IT city() differs between runs with one seed)
ADDRESS_LOCALES = (
    "en_US",
    "en_GB",
    "en_IE",
    "de_DE",
    "de_AT",
    "de_CH",
    "fr_FR",
    "es_ES",
    "es_MX",
    "nl_NL",
    "pl_PL",
    "pt_PT",
    "sv_SE",
    "da_DK",
    "cs_CZ",
)


def _address(f, loc: str, rng: random.Random) -> str:
    """A street address, alone, with its town, or with postcode and town, in `loc`'s order."""
    street = " ".join(f.street_address().split())
    city, code = f.city(), f.postcode()
    u = rng.random()
    if u < 0.25:
        return street
    if u < 0.4:
        return f"{street}, {city}"
    if loc.startswith("en_US"):
        return f"{street}, {city}, {f.state_abbr()} {code}"
    if loc.startswith("en_"):
        return f"{street}, {city} {code}"
    return f"{street}, {code} {city}"


def general_posts(n: int, seed: int) -> Iterator[tuple[str, list[tuple[str, int, int]]]]:
    from faker import Faker

    rng = random.Random(seed)
    real_places = sorted(p for p in load_lexicon().places | load_cities() if p.replace(" ", "").replace("-", "").isalpha())
    two_words = [p for p in real_places if p.count(" ") == 1]
    fakers = {}
    for i, loc in enumerate(sorted({x for locs in LOCALES.values() for x in locs} | set(ADDRESS_LOCALES))):
        fakers[loc] = Faker(loc)
        fakers[loc].seed_instance(seed + i)
    langs = list(LANG_WEIGHTS)
    weights = [LANG_WEIGHTS[k] for k in langs]
    for _ in range(n):
        lang = rng.choices(langs, weights)[0]
        loc = rng.choice(LOCALES[lang])
        f = fakers[loc]
        if rng.random() < 0.08:
            yield _table(f, rng, lang, real_places, two_words)
            continue
        chosen = rng.sample(SENTENCES[lang], rng.randint(1, 4))
        chosen += [composed(lang, rng) for _ in range(rng.randint(0, 2))]
        if rng.random() < 0.3:
            # Faker's filler words in the post's language: German nouns come capitalized, no names
            chosen.append(f.sentence(nb_words=rng.randint(6, 14)).replace("{", "(").replace("}", ")"))
        rng.shuffle(chosen)
        style = rng.random()
        speakers = [
            rng.choice(
                [f.first_name(), f.first_name(), f"{f.first_name()} {f.last_name()}", f"{f.first_name()[0]}. {f.last_name()}"]
            )
            for _ in range(2)
        ]
        role = rng.choice(["", "", " (Support)", " (agent)", " (Host)"])
        # a call transcribed by speech-to-text: timed turns, lower case, no punctuation
        spoken = rng.random() < 0.08
        turns = rng.sample(["agent", "caller", "customer", "speaker 1", "speaker 2", "rep", "operator"], 2)
        t_sec = rng.randint(0, 300)
        parts: list[str] = []
        spans: list[tuple[str, int, int]] = []
        pos = 0
        for k, template in enumerate(chosen):
            if k:
                sep = "\n" if style < 0.5 or spoken else rng.choice([" ", " ", "\n"])
                parts.append(sep)
                pos += len(sep)
            if spoken:
                t_sec += rng.randint(2, 40)
                turn = f"[{t_sec // 60:02d}:{t_sec % 60:02d}] " if rng.random() < 0.5 else ""
                turn += rng.choice(turns) + ": "
                parts.append(turn)
                pos += len(turn)
            elif style < 0.2:  # a chat: every line opens with a speaker's name
                who = rng.choice(speakers)
                parts.append(who)
                spans.append(("PERSON", pos, pos + len(who)))
                pos += len(who)
                parts.append(role + ": ")
                pos += len(role) + 2
            i = 0
            while i < len(template):
                j = template.find("{", i)
                literal = template[i:] if j < 0 else template[i:j]
                if spoken:
                    literal = _spoken(literal)
                parts.append(literal)
                pos += len(literal)
                if j < 0:
                    break
                slot = template[j + 1]
                value, entity = _value(slot, f, rng, lang, loc, real_places, fakers)
                if spoken:
                    value = _spoken(value).strip()
                    if not value:
                        entity = None
                parts.append(value)
                if entity:
                    spans.append((entity, pos, pos + len(value)))
                pos += len(value)
                i = j + 3
        yield "".join(parts), spans


# Columns of an exported table: header words per language and what the cells hold ("P" a person's
# name, "F" a first name, "C" a town, anything else no entity). A cell alone does not say whether
# "Quorra Velandt" is a person or a town: only the header does, so the model sees both.
COLUMNS: dict[str, tuple[tuple[tuple[str, ...], str], ...]] = {
    "en": (
        (("name", "Name", "full_name", "customer", "Contact", "employee"), "P"),
        (("first_name", "First name"), "F"),
        (("city", "City", "town", "Town", "location"), "C"),
        (("id", "ID", "#", "row"), "id"),
        (("total", "amount", "Qty", "price"), "num"),
        (("status", "Status", "plan", "team"), "word"),
        (("product", "Brand", "merchant"), "brand"),
    ),
    "de": (
        (("Name", "Kunde", "Mitarbeiter"), "P"),
        (("Vorname",), "F"),
        (("Ort", "Stadt", "Wohnort"), "C"),
        (("Nr", "ID"), "id"),
        (("Betrag", "Menge"), "num"),
        (("Status", "Abteilung"), "word"),
        (("Marke",), "brand"),
    ),
    "fr": (
        (("nom", "Nom", "client"), "P"),
        (("prénom",), "F"),
        (("ville", "Ville"), "C"),
        (("id", "N°"), "id"),
        (("montant", "qté"), "num"),
        (("statut",), "word"),
        (("marque",), "brand"),
    ),
    "es": (
        (("nombre", "Nombre", "cliente"), "P"),
        (("nombre_pila",), "F"),
        (("ciudad", "Ciudad", "localidad"), "C"),
        (("id", "nº"), "id"),
        (("importe", "cantidad"), "num"),
        (("estado",), "word"),
        (("marca",), "brand"),
    ),
}


def _table(f, rng: random.Random, lang: str, real_places: list[str], multi: list[str]) -> tuple[str, list[tuple[str, int, int]]]:
    """A few rows of a CSV, TSV or pipe table under a header line; names and towns in their columns."""
    cols = rng.sample(COLUMNS[lang], rng.randint(2, min(5, len(COLUMNS[lang]))))
    if not any(kind in ("P", "F", "C") for _, kind in cols):
        cols.append(rng.choice(COLUMNS[lang][:3]))
    rng.shuffle(cols)
    sep = rng.choice([",", ",", "\t", ";", " | "])
    quote = sep != " | " and rng.random() < 0.3
    text = sep.join(rng.choice(names) for names, _ in cols)
    spans: list[tuple[str, int, int]] = []
    for _ in range(rng.randint(1, 5)):
        text += "\n"
        for k, (_, kind) in enumerate(cols):
            if k:
                text += sep
            entity = None
            if kind == "P":
                value, entity = f"{f.first_name()} {f.last_name()}", "PERSON"
            elif kind == "F":
                value, entity = f.first_name(), "PERSON"
            elif kind == "C":  # towns of two words as often as names of two words
                u = rng.random()
                town = f.city() if u < 0.25 else rng.choice(multi) if u < 0.9 else rng.choice(real_places)
                value, entity = place_case(town) if town.islower() else town, "LOCATION"
            elif kind == "id":
                value = str(rng.randint(1, 99999))
            elif kind == "num":
                value = f"{rng.randint(1, 999)}.{rng.randint(0, 99):02d}" if rng.random() < 0.6 else str(rng.randint(1, 50))
            elif kind == "brand":
                value = rng.choice(BRANDS)
            else:
                value = rng.choice(FIELD_VALUES)
            q = '"' if quote and not value[0].isdigit() else ""
            text += q
            if entity:
                spans.append((entity, len(text), len(text) + len(value)))
            text += value + q
    return text, spans


_PUNCT = str.maketrans("", "", '.,!?;:()"»«¡¿')


def _spoken(text: str) -> str:
    """Text as speech-to-text writes it: lower case (letter for letter), no punctuation."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text.translate(_PUNCT))


def _value(slot: str, f, rng: random.Random, lang: str, loc: str, real_places: list[str], fakers: dict) -> tuple[str, str | None]:
    if slot == "P":
        u = rng.random()
        if u < 0.55:
            return f"{f.first_name()} {f.last_name()}", "PERSON"
        if u < 0.72:
            return f.first_name(), "PERSON"
        if u < 0.8:
            return f"{f.first_name()[0]}. {f.last_name()}", "PERSON"
        return f"{rng.choice(TITLES[lang])} {f.last_name()}", "PERSON"
    if slot == "F":
        return f.first_name(), "PERSON"
    if slot == "T":
        return f"{rng.choice(TITLES[lang])} {f.last_name()}", "PERSON"
    if slot == "C":
        return (f.city() if rng.random() < 0.5 else place_case(rng.choice(real_places))), "LOCATION"
    if slot == "A":
        where = loc if rng.random() < 0.6 else rng.choice(ADDRESS_LOCALES)
        return _address(fakers[where], where, rng), "LOCATION"
    if slot == "Q":
        return f"{rng.choice(FIELDS[lang])}: {rng.choice(FIELD_VALUES)}", None
    if slot == "J":
        return f.job(), None
    if slot == "O":
        org = rng.choice(ORGS[lang])
        town = f.city() if rng.random() < 0.5 else place_case(rng.choice(real_places))
        return org.replace("{L}", f.last_name()).replace("{N}", f.first_name()).replace("{C}", town), None
    if slot == "G":
        return rng.choice(GREETINGS[lang]), None
    if slot == "V":
        return rng.choice(VENUES), None
    if slot == "H":
        return rng.choice(HYPHENATED), None
    if slot == "l":
        name = f.first_name() if rng.random() < 0.6 else f"{f.first_name()} {f.last_name()}"
        return name.lower(), "PERSON"
    if slot in "[]":
        return "{" if slot == "[" else "}", None
    if slot == "B":
        return rng.choice(BRANDS), None
    if slot == "K":
        return rng.choice(CLUBS), None
    raise ValueError(f"name_tagger.corpus: unknown slot {{{slot}}}")
