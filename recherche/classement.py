"""Classer sous contraintes dures : d'abord le graphe, ensuite la pertinence, ensuite la distance.

Les contraintes dures ne se négocient pas avec la similarité : un site sans preuve de radiothérapie n'est jamais
rendu pour une question de radiothérapie, un mineur va vers une offre pédiatrique quand il en existe une, la
deuxième opinion exclut l'équipe qui suit déjà le patient. Quand une contrainte ne laisse rien, on l'assouplit
explicitement et on le dit dans les remarques.

Distances : orthodromiques (haversine sur une Terre sphérique), à vol d'oiseau, pas en temps de route.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from ontologie.besoins import BESOINS, NIVEAUX_PREUVE
from recherche.catalogue import Entite, Preuve, cle_ville

#: Besoins qu'une localisation tumorale seule (« cancer du sein à Lyon ») appelle : l'un d'eux suffit.
TRAITEMENTS = ("chirurgie", "chimiotherapie", "radiotherapie")
#: Échelle de la proximité : à 25 km, la proximité vaut 1/2.
ECHELLE_KM = 25.0
#: Au-delà, on signale que le plus proche est loin (sans rayon demandé).
LOIN_KM = 100.0


@dataclass
class Candidat:
    indice: int
    score: float
    distance_km: float | None
    preuves: list[Preuve]
    niveau: str
    notes: list[str] = field(default_factory=list)


def _preuves_pour(entite: Entite, besoin: str, localisations: set[str]) -> list[Preuve]:
    preuves = [p for p in entite.preuves if p.besoin == besoin and not p.inactive]
    if besoin == "cancer_rare" and localisations:
        preuves = [p for p in preuves if localisations & set(p.localisations)]
    return sorted(preuves, key=lambda p: -NIVEAUX_PREUVE[p.niveau])


def masque_besoins(
    entites: list[Entite], besoins: list[str], localisations: set[str]
) -> tuple[np.ndarray, list[str]]:
    """Entités qui ont une preuve pour chaque besoin ; assouplit la localisation d'un cancer rare si rien."""
    remarques: list[str] = []

    def masque(locs: set[str]) -> np.ndarray:
        return np.array([all(_preuves_pour(e, b, locs) for b in besoins) for e in entites], dtype=bool)

    m = masque(localisations)
    if "cancer_rare" in besoins and localisations and not m.any():
        remarques.append(
            "aucun centre expert n'est rattaché à cette localisation dans les listes connues ; "
            "voici les centres experts de tous les réseaux cancers rares"
        )
        m = masque(set())
    return m, remarques


def masque_traitement(entites: list[Entite]) -> np.ndarray:
    return np.array([bool(e.besoins() & set(TRAITEMENTS)) for e in entites], dtype=bool)


def masque_pediatrie(entites: list[Entite]) -> np.ndarray:
    return np.array(["pediatrie" in e.besoins() for e in entites], dtype=bool)


def masque_exclusion(entites: list[Entite], exclure: list[str], ville_exclue: str | None) -> np.ndarray:
    """Entités à exclure pour une deuxième opinion : l'équipe nommée (nom proche), ou à défaut sa ville."""
    exclus = np.zeros(len(entites), dtype=bool)
    noms = [cle_ville(n) for n in exclure if n]
    for i, e in enumerate(entites):
        nom = cle_ville(e.nom)
        if any(fuzz.token_set_ratio(n, nom) >= 90 for n in noms if len(n) > 3):
            exclus[i] = True
        elif ville_exclue and e.commune and cle_ville(e.commune) == cle_ville(ville_exclue):
            exclus[i] = True
    return exclus


def normaliser(scores: np.ndarray, masque: np.ndarray) -> np.ndarray:
    """Ramène des scores à [0, 1] sur les candidats (min-max) ; 0 partout s'ils sont tous égaux."""
    if not masque.any():
        return np.zeros_like(scores)
    s = scores[masque]
    bas, haut = float(s.min()), float(s.max())
    if haut - bas < 1e-9:
        return np.zeros_like(scores)
    return np.clip((scores - bas) / (haut - bas), 0.0, 1.0)


def competence(entite: Entite) -> float:
    """Pour un second avis : centre coordonnateur ou de référence > centre expert > CHU / CLCC > autres."""
    roles = " ".join((p.role or "") for p in entite.preuves).lower()
    if "coordonn" in roles or "référence" in roles or "reference" in roles:
        return 1.0
    if any(p.besoin in ("cancer_rare", "rcp_recours") for p in entite.preuves):
        return 0.7
    categorie = (entite.categorie or "").lower()
    if "lutte contre le cancer" in categorie or "régional" in categorie or "universitaire" in categorie:
        return 0.4
    return 0.0


def libelle_besoin(code: str) -> str:
    return BESOINS.get(code, code)
