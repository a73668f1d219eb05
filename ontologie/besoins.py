"""Quels codes des sources prouvent quel besoin : la table unique partagée par la construction et la recherche.

Pourquoi ici : « une question sur la radiothérapie ne renvoie jamais un site sans preuve de radiothérapie ».
Pour que cette règle tienne, le lecteur qui écrit une preuve et la recherche qui la lit doivent employer la même
correspondance. Les codes de besoin sont les identifiants des concepts ``concept/besoin/<code>``.
"""

from __future__ import annotations

from typing import Final

#: Les besoins connus, avec leur libellé préféré (le thésaurus SKOS donne les synonymes).
BESOINS: Final[dict[str, str]] = {
    "radiotherapie": "Radiothérapie externe",
    "curietherapie": "Curiethérapie",
    "radiotherapie_interne": "Radiothérapie interne vectorisée (radioéléments non scellés)",
    "chimiotherapie": "Chimiothérapie et traitements médicamenteux systémiques du cancer",
    "chirurgie": "Chirurgie des cancers",
    "tep": "TEP-scan (tomographie par émission de positons)",
    "irm": "IRM",
    "scanner": "Scanner (tomodensitométrie)",
    "palliatif": "Soins palliatifs",
    "douleur": "Structure douleur chronique",
    "geriatrie": "Oncogériatrie : évaluation gériatrique, équipe mobile ou unité de gériatrie",
    "pediatrie": "Service ou unité de pédiatrie générale",
    "oncopediatrie": "Cancérologie pédiatrique : centre d'une organisation interrégionale (OIR) ou mention pédiatrique",
    "aja": "Prise en charge des adolescents et jeunes adultes (AJA)",
    "cancer_rare": "Centre expert d'un réseau national cancers rares",
    "rcp_recours": "RCP de recours",
    "oncogenetique": "Oncogénétique",
    "fertilite": "Préservation de la fertilité",
    "soins_support": "Soins oncologiques de support",
}

#: SAE FILTRE (ligne DECLA) : variable → besoin. Sens documenté par la DREES (libellés des filtres).
FILTRE_SAE: Final[dict[str, str]] = {
    "RTH": "radiotherapie",
    "CHIMIO": "chimiotherapie",
    "CHIRCANCER": "chirurgie",
    "PALIA": "palliatif",
    "EMSP": "palliatif",
    "DOULEUR": "douleur",
}

#: SAE CANCERO : variable → besoin ; sens **inféré** (voir le README des données).
CANCERO_SAE: Final[dict[str, str]] = {
    "CANCERO_A1": "chimiotherapie",
    "CANCERO_A2": "radiotherapie",
}

#: SAE MCOGER : variable (1 = oui) → besoin.
MCOGER_SAE: Final[dict[str, str]] = {"EMGER": "geriatrie", "UGER": "geriatrie"}

#: SAE MCOPED : variable (1 = oui) → besoin. Un service de pédiatrie générale n'est pas un centre de cancérologie
#: pédiatrique : un enfant atteint d'un cancer va au centre de son OIR (``oncopediatrie``) ; la pédiatrie générale
#: n'est qu'un relais de proximité.
MCOPED_SAE: Final[dict[str, str]] = {"SPED": "pediatrie", "UPED": "pediatrie"}

#: SAE IMAGES : type d'équipement → besoin (TOMO = TEP est **inféré**).
EQUIPEMENT_SAE: Final[dict[str, str]] = {"TOMO": "tep", "IRM": "irm", "SCAN": "scanner"}
EQUIPEMENT_INFERE: Final[frozenset[str]] = frozenset({"TOMO"})

#: Ancien régime (activité 18, nomenclature TRE_R275) : modalité → besoin.
MODALITE_R275: Final[dict[str, str]] = {
    "67": "chimiotherapie",
    "68": "radiotherapie",
    "69": "chirurgie",
    "70": "curietherapie",
    "71": "radiotherapie_interne",
    "88": "radiotherapie",
    "89": "radiotherapie",
    "90": "chirurgie",
    "91": "chirurgie",
    "92": "chirurgie",
    "93": "chirurgie",
    "94": "chirurgie",
    "95": "chirurgie",
}

#: Ancien régime : modalité de chirurgie soumise à seuil → localisation (concept/localisation/<code>).
LOCALISATION_R275: Final[dict[str, str]] = {
    "90": "digestif",
    "91": "sein",
    "92": "urologie",
    "93": "thorax",
    "94": "gynecologie",
    "95": "orl",
}

#: Réforme 2022 (activité QA018) : modalité → besoin ; les mentions précisent (curiethérapie, pédiatrie).
MODALITE_2022: Final[dict[str, str]] = {
    "MO008": "chirurgie",
    "MO009": "radiotherapie",
    "MO010": "chimiotherapie",
}
MENTION_2022_BESOIN: Final[dict[str, str]] = {"ME039": "curietherapie", "ME041": "curietherapie"}
MENTION_2022_PEDIATRIE: Final[frozenset[str]] = frozenset({"ME037", "ME040", "ME041", "ME044"})
MENTION_2022_LOCALISATION: Final[dict[str, str]] = {
    "ME025": "digestif",
    "ME026": "thorax",
    "ME027": "orl",
    "ME028": "urologie",
    "ME029": "gynecologie",
    "ME030": "sein",
    "ME032": "digestif",
    "ME033": "thorax",
    "ME034": "orl",
    "ME035": "urologie",
    "ME036": "gynecologie",
}

#: L'offre propre à chaque population (concept/population/<code>) : ce qui, à distance égale, fait passer un site
#: devant un autre pour cette population, et le fait que la réponse montre pour le justifier.
OFFRE_POPULATION: Final[dict[str, str]] = {"enfant": "oncopediatrie", "aja": "aja", "personne_agee": "geriatrie"}

#: Rangs des niveaux de preuve : une autorisation prime sur une liste curée, qui prime sur une déclaration.
NIVEAUX_PREUVE: Final[dict[str, int]] = {"autorisation": 3, "liste_curee": 2, "activite_declaree": 1}
