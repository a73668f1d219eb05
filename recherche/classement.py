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
from recherche.catalogue import Entite, Preuve, cle_ville, distances_km

#: Besoins qu'une localisation tumorale seule (« cancer du sein à Lyon ») appelle : l'un d'eux suffit.
TRAITEMENTS = ("chirurgie", "chimiotherapie", "radiotherapie")
#: Échelle de la proximité : à 25 km, la proximité vaut 1/2.
ECHELLE_KM = 25.0
#: Au-delà, on signale que le plus proche est loin (sans rayon demandé).
LOIN_KM = 100.0
#: Besoins de soins de support : cités ensemble (« douleur, soins palliatifs »), ce sont des alternatives ;
#: un site qui les couvre tous passe devant, un site qui n'en couvre qu'un reste une réponse.
SOUTIENS = ("soins_support", "douleur", "palliatif")
#: Quand aucune source ne renseigne un besoin, le besoin plus large proposé à la place (et dit comme tel).
ELARGISSEMENTS = {"curietherapie": "radiotherapie"}
#: Besoins connus seulement par des listes curées partielles : une structure plus proche peut exister.
LISTES_PARTIELLES = ("oncogenetique", "fertilite", "soins_support")


def groupes_besoins(besoins: list[str]) -> tuple[list[str], list[str]]:
    """(besoins requis tous ensemble, besoins de support dont un seul suffit)."""
    soutiens = [b for b in besoins if b in SOUTIENS]
    if len(soutiens) < 2:
        return list(besoins), []
    return [b for b in besoins if b not in SOUTIENS], soutiens


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


class Masques:
    """Pour chaque besoin, qui a une preuve et de quel niveau : calculé une fois par instantané.

    Pourquoi : filtrer 4 000 entités en Python à chaque question coûterait plus que tout le reste de la
    réponse ; des tableaux numpy rendent le filtrage quasi gratuit.
    """

    def __init__(self, entites: list[Entite]) -> None:
        self.entites = entites
        n = len(entites)
        self.niveaux: dict[str, np.ndarray] = {}
        for i, e in enumerate(entites):
            for p in e.preuves:
                if p.inactive:
                    continue
                tableau = self.niveaux.setdefault(p.besoin, np.zeros(n, dtype=np.int8))
                tableau[i] = max(tableau[i], NIVEAUX_PREUVE[p.niveau])
        self.vide = np.zeros(n, dtype=np.int8)

    def niveau(self, besoin: str) -> np.ndarray:
        return self.niveaux.get(besoin, self.vide)

    def pour(self, besoins: list[str], localisations: set[str]) -> tuple[np.ndarray, list[str]]:
        """Entités qui ont une preuve pour chaque besoin ; assouplit la localisation d'un cancer rare si rien."""
        remarques: list[str] = []
        requis, alternatives = groupes_besoins(besoins)
        m = np.ones(len(self.entites), dtype=bool)
        for b in requis:
            m &= self.niveau(b) > 0
        if alternatives:
            m &= np.any([self.niveau(b) > 0 for b in alternatives], axis=0)
        if "cancer_rare" in besoins and localisations:
            avec_loc = m.copy()
            for i in np.flatnonzero(m):
                avec_loc[i] = bool(_preuves_pour(self.entites[i], "cancer_rare", localisations))
            if avec_loc.any():
                m = avec_loc
            elif m.any():
                remarques.append(
                    "aucun centre expert n'est rattaché à cette localisation dans les listes connues ; "
                    "voici les centres experts de tous les réseaux cancers rares"
                )
        return m, remarques


    def niveau_combine(self, besoins: list[str]) -> np.ndarray:
        """Niveau de preuve [0, 1] pour des besoins : le plus faible des requis ; pour des alternatives, le
        meilleur, pondéré par la part des alternatives couvertes."""
        requis, alternatives = groupes_besoins(besoins)
        parts = [np.min([self.niveau(b) for b in requis], axis=0) / 3.0] if requis else []
        if alternatives:
            niveaux = np.array([self.niveau(b) for b in alternatives], dtype=np.float64)
            couverture = (niveaux > 0).mean(axis=0)
            parts.append(niveaux.max(axis=0) / 3.0 * (0.5 + 0.5 * couverture))
        return np.mean(parts, axis=0)

    def couverture(self, besoins: list[str]) -> np.ndarray:
        """Part [0, 1] des besoins alternatifs couverts (1 partout s'il n'y a pas d'alternatives)."""
        _, alternatives = groupes_besoins(besoins)
        if not alternatives:
            return np.ones(len(self.entites))
        return np.mean([self.niveau(b) > 0 for b in alternatives], axis=0)


def proximite(dist: np.ndarray, masque: np.ndarray) -> np.ndarray:
    """Proximité [0, 1] mesurée depuis le candidat le plus proche : 1 pour lui, 1/2 à ECHELLE_KM de plus.

    Pourquoi relative : loin de tout (Ajaccio, Mende), une échelle absolue écrase les écarts (200 km et 230 km
    valent presque pareil) et laisse le niveau de preuve passer devant le plus proche.
    """
    proches = np.where(masque, dist, np.nan)
    plancher = float(np.nanmin(proches)) if np.isfinite(proches).any() else 0.0
    return np.nan_to_num(1.0 / (1.0 + np.maximum(dist - plancher, 0.0) / ECHELLE_KM))


def masque_exclusion(
    noms: list[str], entites: list[Entite], exclure: list[str], ville_exclue: str | None
) -> np.ndarray:
    """Entités à exclure pour un second avis : l'équipe nommée (nom proche), ou à défaut sa ville.

    ``noms`` : les noms des entités déjà normalisés (cle_ville), dans l'ordre de ``entites``.
    """
    from rapidfuzz import process

    exclus = np.zeros(len(entites), dtype=bool)
    cles = [cle_ville(n) for n in exclure if n and len(cle_ville(n)) > 3]
    if cles:
        scores = process.cdist(cles, noms, scorer=fuzz.token_set_ratio, workers=1)
        exclus |= (scores >= 90).any(axis=0)
    if ville_exclue:
        ville = cle_ville(ville_exclue)
        exclus |= np.array([bool(e.commune) and cle_ville(e.commune) == ville for e in entites])
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


def competence(entite: Entite, besoins: list[str], localisations: set[str]) -> float:
    """Pour un second avis : coordonnateur ou centre de référence du réseau concerné > centre expert de ce
    réseau > CHU / CLCC > autres. Seuls comptent les rôles tenus pour les besoins et la localisation demandés."""
    preuves = [
        p
        for p in entite.preuves
        if p.besoin in besoins and (not localisations or not p.localisations or localisations & set(p.localisations))
    ]
    roles = " ".join((p.role or "") for p in preuves).lower()
    if "coordonn" in roles or "référence" in roles or "reference" in roles:
        return 1.0
    if any(p.besoin in ("cancer_rare", "rcp_recours") for p in preuves):
        return 0.7
    categorie = (entite.categorie or "").lower()
    if "lutte contre le cancer" in categorie or "régional" in categorie or "universitaire" in categorie:
        return 0.4
    return 0.0


def libelle_besoin(code: str) -> str:
    return BESOINS.get(code, code)


#: Un point de commune est douteux quand les sites géolocalisés de la commune s'accordent entre eux
#: (à ACCORD_KM près) mais sont tous à plus de ECART_KM de lui (ex. : Villejuif, point de mairie à 8 km).
ACCORD_KM, ECART_KM = 3.0, 8.0


def points_communes_fiables(entites: list[Entite]) -> dict[str, tuple[float, float]]:
    """Code INSEE → point médian des sites (points vérifiés) de la commune, quand au moins deux s'accordent.

    Sert à corriger le lieu d'une question quand le point de la commune est manifestement faux : les points
    Eurostat de plusieurs sites qui se confirment valent mieux qu'un point de mairie isolé.
    """
    from collections import defaultdict

    par_commune: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for e in entites:
        if e.precision_geo == "etablissement" and e.commune_code and e.latitude is not None:
            par_commune[e.commune_code].append((e.latitude, e.longitude))
    fiables = {}
    for code, points in par_commune.items():
        if len(points) < 2:
            continue
        tableau = np.array(points)
        median = np.median(tableau, axis=0)
        if distances_km(np.radians(tableau), *median).max() <= ACCORD_KM:
            fiables[code] = (float(median[0]), float(median[1]))
    return fiables


def corriger_lieu(lieu: dict, fiables: dict[str, tuple[float, float]]) -> dict:
    """Remplace le point d'une commune par celui de ses sites s'il en est à plus de ECART_KM ; le signale."""
    if lieu.get("type") not in ("commune", "code_postal") or lieu.get("code") not in fiables:
        return lieu
    lat, lon = fiables[lieu["code"]]
    ecart = float(distances_km(np.radians([[lieu["latitude"], lieu["longitude"]]]), lat, lon)[0])
    if ecart <= ECART_KM:
        return lieu
    return {**lieu, "latitude": lat, "longitude": lon, "point_corrige_km": round(ecart, 1)}


def score_noms(noms_normalises: list[str], nom: str) -> np.ndarray:
    """Ressemblance [0, 1] entre un nom d'établissement cherché et chaque nom connu (mots dans le désordre)."""
    from rapidfuzz import process

    cle = cle_ville(nom)
    scores = process.cdist([cle], noms_normalises, scorer=fuzz.token_set_ratio, workers=1)[0]
    exacts = process.cdist([cle], noms_normalises, scorer=fuzz.token_sort_ratio, workers=1)[0]
    return (0.5 * scores + 0.5 * exacts).astype(np.float64) / 100.0
