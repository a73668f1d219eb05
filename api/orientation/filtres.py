"""Les filtres structurés de /orientation : lieu, rayon, besoin, population, niveau de preuve, secteur.

Pourquoi les quatre premiers sont dits au moteur *en mots* (« … radiothérapie près de Vannes dans un rayon de
30 km ») plutôt que posés à côté de sa compréhension : le moteur applique alors ses propres règles (lieu corrigé,
rayon assoupli et dit dans les remarques, population déduite), et la réponse montre ce qu'il a compris, comme
pour une question tapée. Chaque formulation est vérifiée contre le moteur par ``tests/api/test_filtres.py``.

Le niveau de preuve minimal et le secteur ne sont pas des notions de la question : ils trient les résultats
après classement (parmi les ``LIMITE_MAX`` premiers), et une remarque dit combien ont été écartés.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Final

from ontologie.besoins import NIVEAUX_PREUVE

#: code du besoin → (libellé affiché, formulation comprise par le moteur)
BESOINS: Final[dict[str, tuple[str, str]]] = {
    "radiotherapie": ("Radiothérapie externe", "radiothérapie"),
    "curietherapie": ("Curiethérapie", "curiethérapie"),
    "radiotherapie_interne": ("Radiothérapie interne vectorisée", "radiothérapie interne vectorisée"),
    "chimiotherapie": ("Chimiothérapie et traitements systémiques", "chimiothérapie"),
    "chirurgie": ("Chirurgie des cancers", "chirurgie des cancers"),
    "scanner": ("Scanner", "scanner"),
    "irm": ("IRM", "IRM"),
    "tep": ("TEP-scan", "TEP-scan"),
    "oncogenetique": ("Oncogénétique", "oncogénétique"),
    "fertilite": ("Préservation de la fertilité", "préservation de la fertilité"),
    "soins_support": ("Soins oncologiques de support", "soins oncologiques de support"),
    "palliatif": ("Soins palliatifs", "soins palliatifs"),
    "douleur": ("Structure douleur chronique", "structure douleur chronique"),
    "geriatrie": ("Oncogériatrie", "oncogériatrie"),
    "pediatrie": ("Pédiatrie générale", "pédiatrie"),
    "oncopediatrie": ("Cancérologie pédiatrique", "cancérologie pédiatrique"),
    "aja": ("Adolescents et jeunes adultes (unité AJA)", "unité AJA"),
    "cancer_rare": ("Centre expert cancers rares", "centre expert cancers rares"),
    "rcp_recours": ("RCP de recours", "RCP de recours"),
}
#: code de la population → (libellé affiché, formulation comprise par le moteur)
POPULATIONS: Final[dict[str, tuple[str, str]]] = {
    "enfant": ("Enfant (moins de 18 ans)", "pour un enfant"),
    "aja": ("Adolescent ou jeune adulte", "pour un adolescent jeune adulte"),
    "adulte": ("Adulte", "pour un adulte"),
    "personne_agee": ("Personne âgée", "pour une personne âgée"),
}
#: niveau de preuve → libellé en mots (le même vocabulaire sur la page et dans les remarques)
NIVEAUX: Final[dict[str, str]] = {
    "autorisation": "autorisation de l'ARS",
    "liste_curee": "liste officielle (INCa, réseaux)",
    "activite_declaree": "activité déclarée (SAE)",
}
SECTEURS: Final[dict[str, str]] = {"public": "public", "prive": "privé"}
#: Statut juridique FINESS : les codes 01 à 39 sont des personnes morales de droit public, 40 et au-delà privées.
STATUT_PUBLIC_MAX: Final = 39

Besoin = Enum("Besoin", {code: code for code in BESOINS}, type=str)  # type: ignore[misc]
Population = Enum("Population", {code: code for code in POPULATIONS}, type=str)  # type: ignore[misc]
NiveauMinimal = Enum("NiveauMinimal", {code: code for code in NIVEAUX}, type=str)  # type: ignore[misc]
Secteur = Enum("Secteur", {code: code for code in SECTEURS}, type=str)  # type: ignore[misc]


def question_composee(
    q: str, lieu: str | None, rayon_km: float | None, besoin: str | None, population: str | None
) -> str:
    """La question suivie des filtres dits en mots, dans l'ordre où un clinicien les dirait."""
    parties = [q.strip()]
    if besoin:
        parties.append(BESOINS[besoin][1])
    if population:
        parties.append(POPULATIONS[population][1])
    if lieu and lieu.strip():
        parties.append(f"près de {lieu.strip()}")
    if rayon_km is not None:
        parties.append(f"dans un rayon de {rayon_km:g} km")
    return " ".join(parties)


def secteur_du_statut(code_statut: str | None) -> str | None:
    """« public » ou « prive » d'après le code de statut juridique FINESS ; None s'il est inconnu."""
    if not code_statut or not code_statut.isdigit():
        return None
    return "public" if int(code_statut) <= STATUT_PUBLIC_MAX else "prive"


def trier(
    reponse: dict[str, Any],
    limite: int,
    niveau_min: str | None,
    secteur: str | None,
    secteurs: dict[str, str],
) -> dict[str, Any]:
    """Garde les résultats au niveau de preuve et au secteur demandés, renumérotés, ``limite`` au plus.

    :param secteurs: FINESS géographique → « public » / « prive » (un site sans statut connu est écarté
        quand un secteur est demandé).
    """
    seuil = NIVEAUX_PREUVE[niveau_min] if niveau_min else None
    gardes, ecartes = [], 0
    for r in reponse["resultats"]:
        if seuil is not None and NIVEAUX_PREUVE.get(r["niveau_de_preuve"], 0) < seuil:
            ecartes += 1
            continue
        if secteur and secteurs.get(r.get("finess") or "") != secteur:
            ecartes += 1
            continue
        gardes.append(r)
    for rang, r in enumerate(gardes[:limite], start=1):
        r["rang"] = rang
    reponse["resultats"] = gardes[:limite]
    criteres = []
    if niveau_min:
        criteres.append(f"niveau de preuve au moins « {NIVEAUX[niveau_min]} »")
    if secteur:
        criteres.append(f"secteur {SECTEURS[secteur]}")
    if ecartes and criteres:
        reponse["remarques"].append(
            f"{ecartes} résultat(s) écarté(s) par les filtres ({', '.join(criteres)}) parmi les premiers classés"
        )
    return reponse
