"""Roles and ranks written before a name: "President Thabo MBEKI", "Prime Minister Keith MITCHELL", "Gen. Sekouba
KONATE", "Captain Peleg", "Deputy Prime Ministers ASTER Mamo". The words after such a role are a person's name
(news, histories, official lists and novels all write them so). The span keeps the role, as it keeps a title.

    role_length(keys) -> how many of a run's first words are a role (0 if none)

Unlike the titles of address (`names_places.TITLES`: "Mr", "Dr"), these words mean something alone ("the
President said", "General elections"), so a reader takes what follows as a name only when it looks like one
(`names_places.NamesAndPlaces._after_role`).
"""

from __future__ import annotations

# Offices, ranks and nobility, in lower case without a final dot ("Gen." -> "gen").
ROLE_WORDS = frozenset(
    (
        # heads of state and government, ministers, diplomats
        "president presidents minister ministers premier chancellor ambassador envoy consul governor governors "
        "senator sen congressman congresswoman mayor secretary chairman chairwoman speaker commissioner "
        # courts and churches
        "judge justice archbishop bishop cardinal pope reverend rev pastor rabbi imam ayatollah patriarch deacon abbot "
        "friar messer "
        # universities: "Professor Koga"
        "professor "
        # armed forces
        "general gen lieutenant lt colonel col major maj captain capt commander cmdr commodore admiral adm marshal "
        "sergeant sgt corporal brigadier "
        # monarchs and nobility
        "king queen prince princess emperor empress sultan sheikh shaykh emir amir tsar czar shah pharaoh raja rajah "
        "maharaja co-prince dame lady lord baron baroness count countess duke duchess earl marquis marquess viscount "
        "regent apparent attorney-general lieutenant-general major-general "
        # kin, as novels name their people ("Aunt Sally", "Uncle Jack")
        "aunt uncle"
    ).split()
)
# Words that open a role but are none alone: "Vice President", "Crown Prince", "Heir Apparent", "former President".
ROLE_LEADS = frozenset(
    "vice deputy first second third former acting interim co crown heir chief grand supreme prime attorney high".split()
)
ROLE_OPENERS = ROLE_WORDS | ROLE_LEADS  # the words a role may open with
# Roles written short with a dot ("Gen. Sekouba KONATE", "Capt. Moussa Dadis CAMARA", "Sen. McCain"): the dot ends no
# sentence.
# (Not "Rev.": forms write a revision so, "Form 1099-NEC (Rev. January 2024)".)
ROLE_ABBREVIATIONS = frozenset("gen lt col maj capt cmdr adm sgt sen".split())
# Peers are styled by a place ("Lord Salisbury", "Lady Bracknell", "the Duke of Wellington"): after these a town's
# name is still a person's, where after an office it is none ("Governor Texas", "Captain America").
PEERAGE = frozenset("lord lady duke duchess earl countess baron baroness marquis marquess viscount".split())
# Foundations named after a role, whose word is a town's name somewhere too ("Duke University"; University, MS).
FOUNDATIONS = frozenset("university college school hospital institute academy".split())
# Words that end a title rather than open a name: "the Princess Royal", "President Elect", "Pope Emeritus".
ROLE_TAILS = frozenset("royal consort regent elect designate emeritus dowager general".split())
_LONGEST = 5  # "First Deputy Prime Minister", "Heir Apparent Crown Prince"


def role_length(keys: list[str]) -> int:
    """The number of the first `keys` that make a role ending in a role word ("vice president", "crown prince",
    "king and prime minister" is none: "and" is in lower case and ends the run); 0 when the run opens otherwise."""
    length = 0
    for i, key in enumerate(keys[:_LONGEST]):
        if key in ROLE_WORDS:
            length = i + 1
        elif key not in ROLE_LEADS:
            break
    return length
