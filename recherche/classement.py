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

from ontologie.besoins import BESOINS, NIVEAUX_PREUVE
from recherche.catalogue import Entite, Preuve, cle_ville, distances_km
from recherche.lexique import mots
from recherche.lexique import normaliser as normaliser_texte
from recherche.noms import IndexNoms

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
        """Part [0, 1] des besoins alternatifs couverts (0 partout s'il n'y a pas d'alternatives)."""
        _, alternatives = groupes_besoins(besoins)
        if not alternatives:
            return np.zeros(len(self.entites))
        return np.mean([self.niveau(b) > 0 for b in alternatives], axis=0)


def proximite(dist: np.ndarray, masque: np.ndarray) -> np.ndarray:
    """Proximité [0, 1] mesurée depuis le candidat le plus proche : 1 pour lui, 1/2 à ECHELLE_KM de plus.

    Pourquoi relative : loin de tout (Ajaccio, Mende), une échelle absolue écrase les écarts (200 km et 230 km
    valent presque pareil) et laisse le niveau de preuve passer devant le plus proche.
    """
    proches = np.where(masque, dist, np.nan)
    plancher = float(np.nanmin(proches)) if np.isfinite(proches).any() else 0.0
    return np.nan_to_num(1.0 / (1.0 + np.maximum(dist - plancher, 0.0) / ECHELLE_KM))


#: Une équipe nommée désigne les sites dont le nom (ou la commune) la couvre presque aussi bien que le meilleur.
SEUIL_EQUIPE, ECART_EQUIPE = 0.7, 0.05
#: Au-delà de ce nombre de sites, une entité juridique est un groupe (AP-HP : 38 sites) dont un hôpital nommé
#: n'engage pas les autres ; en deçà (CHU de Rennes, Institut Curie, ICO), tous ses sites sont la même équipe.
SITES_MAX_EQUIPE = 12
#: Mots qui nomment l'institution entière : « suivi au CHU de Lyon » exclut tous les sites de l'entité juridique.
_MOTS_INSTITUTION = mots("chu chru chr aphp aphm hcl hospices assistance ghu")


def masque_exclusion(
    index: IndexNoms, entites: list[Entite], exclure: list[str], ville_exclue: str | None
) -> np.ndarray:
    """Entités à exclure pour un second avis : l'équipe nommée et tous ses sites, ou à défaut sa ville.

    L'équipe se reconnaît comme un nom cherché (sigles dépliés : « IGR », « CLB » ; commune : « CHU de Rennes »
    trouve « CHRU RENNES SITE PONTCHAILLOU ») ; ses autres sites sont ceux de la même entité juridique. Quand
    le nom désigne des sites, la ville n'exclut rien de plus : suivi au CHU de Rennes, le centre Eugène Marquis
    reste une autre équipe. ``index`` : l'index des noms des mêmes entités, dans l'ordre de ``entites``.
    """
    from collections import Counter

    from recherche.reperage_avis import developper_sigles

    exclus = np.zeros(len(entites), dtype=bool)
    sites_par_ej = Counter(e.finess_ej for e in entites if e.finess_ej)
    for texte in exclure:
        developpe = developper_sigles(normaliser_texte(texte))
        if len(developpe) <= 2:
            continue
        score = index.score(developpe)
        meilleur = float(score.max(initial=0.0))
        if meilleur < SEUIL_EQUIPE:
            continue
        designes = score >= meilleur - ECART_EQUIPE
        institution = bool(set(developpe.split()) & _MOTS_INSTITUTION)
        # un nom qui désigne beaucoup de sites est une ville (« suivi à Lille ») : pas d'extension par entité
        ejs = set()
        if int(designes.sum()) <= SITES_MAX_EQUIPE:
            ejs = {
                entites[i].finess_ej
                for i in np.flatnonzero(designes)
                if entites[i].finess_ej
                and (institution or sites_par_ej[entites[i].finess_ej] <= SITES_MAX_EQUIPE)
            }
        exclus |= designes
        if ejs:
            exclus |= np.array([e.finess_ej in ejs for e in entites])
    if ville_exclue and not exclus.any():
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


#: Rôles du premier rang (« régional ou national » d'une liste de centres experts n'en est pas un).
_ROLES_NATIONAUX = (
    "référence",
    "reference",
    "centre national",
    "expert national",
    "coordonnateur national",
    "coordination principal",
)


def _du_reseau(preuve: Preuve, reseaux: list[str] | tuple[str, ...]) -> bool:
    """La preuve relève d'un des réseaux nommés : par son sigle, ou cité dans son libellé ou son rôle
    (« RENATEN (devenu ENDOCAN) », RCP « REFCOR (centre national à l'Institut Gustave Roussy) »)."""
    if preuve.reseau and preuve.reseau in reseaux:
        return True
    texte = f"{preuve.libelle} {preuve.role or ''}".upper()
    return any(sigle.upper() in texte for sigle in reseaux)


def competence(
    entite: Entite, besoins: list[str], localisations: set[str], reseaux: list[str] | tuple[str, ...] = ()
) -> float:
    """Pour un second avis : centre national ou de référence du réseau concerné (1) > coordonnateur (0,9) >
    centre expert, membre ou RCP de recours pour cette tumeur (0,7) > CHU / CLCC (0,4) > autres (0).

    Seuls comptent les rôles tenus pour les besoins, la tumeur ou le réseau demandés. Une preuve sans
    localisation ne vaut pour toute tumeur que si elle n'est d'aucun réseau (RCP de recours régionale) : le
    centre d'un réseau des tumeurs neuroendocrines n'est pas un expert du sarcome.
    """

    def pertinente(p: Preuve) -> bool:
        if p.besoin not in besoins or p.inactive:
            return False
        if reseaux and p.besoin in ("cancer_rare", "rcp_recours") and _du_reseau(p, reseaux):
            return True
        if not localisations:
            return True
        if p.localisations:
            return bool(localisations & set(p.localisations))
        return p.reseau is None or not any(b in ("cancer_rare", "rcp_recours") for b in besoins)

    preuves = [p for p in entite.preuves if pertinente(p)]
    roles = " ".join((p.role or "") for p in preuves if p.besoin in ("cancer_rare", "rcp_recours")).lower()
    if any(m in roles for m in _ROLES_NATIONAUX):
        return 1.0
    if "coordonn" in roles or "coordinat" in roles:
        return 0.9
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
