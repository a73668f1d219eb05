"""Classer les candidats retenus par les contraintes : une politique nommée par intention.

Trois politiques, choisies par ``politique`` d'après la question comprise :

- ``ETABLISSEMENT`` — la question nomme un établissement, ou ne dit ni besoin ni tumeur : le nom d'abord
  (``score_etablissement``) ;
- ``SECOND_AVIS`` — la compétence dans le réseau de la tumeur d'abord (``score_second_avis``) ;
- ``ORIENTATION`` — parmi les sites qui ont la preuve, le plus proche d'abord (``score_orientation``).

Chacune est une somme pondérée de signaux dans [0, 1] ; les poids sont dans ``poids.py`` (``Poids``), nulle part
ailleurs. Les contraintes dures (qui peut être rendu) sont appliquées avant, dans ``contraintes.py`` : un score
ne fait jamais entrer un candidat que les contraintes ont écarté, il ne fait que les ordonner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from graphe.texte import cle_ville
from ontologie.besoins import OFFRE_POPULATION
from recherche.classer.contraintes import NIVEAU_MAX, TRAITEMENTS, Masques, competence
from recherche.classer.noms import IndexNoms, score_noms
from recherche.classer.poids import POIDS, Poids
from recherche.comprendre.comprehension import Comprehension
from recherche.index.catalogue import Entite


class Politique(Enum):
    """La façon de classer, selon ce que la question demande."""

    ETABLISSEMENT = "etablissement"
    SECOND_AVIS = "second_avis"
    ORIENTATION = "orientation"


def politique(c: Comprehension, besoins: list[str]) -> Politique:
    """La politique d'une question comprise ; ``besoins`` : les besoins appliqués par les contraintes."""
    if c.intention == "etablissement" or not (besoins or c.localisations):
        return Politique.ETABLISSEMENT
    if c.intention == "second_avis":
        return Politique.SECOND_AVIS
    return Politique.ORIENTATION


def min_max(scores: np.ndarray, masque: np.ndarray) -> np.ndarray:
    """Ramène des scores à [0, 1] sur les candidats (min-max) ; 0 partout s'ils sont tous égaux."""
    if not masque.any():
        return np.zeros_like(scores)
    s = scores[masque]
    bas, haut = float(s.min()), float(s.max())
    if haut - bas < 1e-9:
        return np.zeros_like(scores)
    return np.clip((scores - bas) / (haut - bas), 0.0, 1.0)


def proximite_absolue(dist: np.ndarray, echelle_km: float = POIDS.echelle_km) -> np.ndarray:
    """Proximité [0, 1] au lieu de la question : 1 sur place, 1/2 à ``echelle_km`` ; 0 sans point."""
    return np.nan_to_num(1.0 / (1.0 + dist / echelle_km))


def proximite_relative(dist: np.ndarray, masque: np.ndarray, echelle_km: float = POIDS.echelle_km) -> np.ndarray:
    """Proximité [0, 1] mesurée depuis le candidat le plus proche : 1 pour lui, 1/2 à ``echelle_km`` de plus.

    Pourquoi relative : loin de tout (Ajaccio, Mende), une échelle absolue écrase les écarts (200 km et 230 km
    valent presque pareil) et laisse le niveau de preuve passer devant le plus proche.
    """
    proches = np.where(masque, dist, np.nan)
    plancher = float(np.nanmin(proches)) if np.isfinite(proches).any() else 0.0
    return np.nan_to_num(1.0 / (1.0 + np.maximum(dist - plancher, 0.0) / echelle_km))


@dataclass(frozen=True, slots=True)
class Candidats:
    """Une question à classer : ce que lisent les trois politiques.

    ``besoins`` : les besoins appliqués par les contraintes (élargis au besoin) ; ``masque`` : les candidats
    qu'elles ont retenus ; ``dist`` : distance de chaque entité au lieu, en km (``None`` sans lieu) ;
    ``pertinence`` : la pertinence textuelle de chaque entité, ramenée à [0, 1] sur les candidats.
    """

    c: Comprehension
    besoins: list[str]
    masque: np.ndarray
    dist: np.ndarray | None
    pertinence: np.ndarray


class Classement:
    """Les signaux d'un instantané qui ne dépendent pas de la question, et les trois politiques.

    ``importance`` : nombre de besoins renseignés de chaque entité, rapporté à l'entité la plus complète ;
    ``site_identifie`` : l'entité est un site FINESS (et non une organisation d'une liste curée). ``index_noms``
    est l'index des noms des mêmes entités, dans le même ordre.
    """

    def __init__(self, entites: list[Entite], masques: Masques, index_noms: IndexNoms, poids: Poids = POIDS) -> None:
        self.entites = entites
        self.masques = masques
        self.index_noms = index_noms
        self.poids = poids
        self.noms = [cle_ville(e.nom) for e in entites]
        self.site_identifie = np.array([e.finess is not None for e in entites], dtype=bool)
        self.rcp = np.array([e.nature == "rcp" for e in entites], dtype=bool)
        self.importance = np.array([len(e.besoins()) for e in entites], dtype=np.float64)
        self.importance /= max(float(self.importance.max(initial=0.0)), 1.0)

    def ressemblance_max(self, texte: str) -> float:
        """La plus forte ressemblance (0 à 1, sans l'index des noms) de ``texte`` à un nom connu."""
        return float(score_noms(self.noms, texte).max(initial=0.0))

    def scores(
        self,
        c: Comprehension,
        besoins: list[str],
        masque: np.ndarray,
        dist: np.ndarray | None,
        pertinence: Callable[[str], np.ndarray],
    ) -> np.ndarray:
        """Le score de chaque entité pour une question, selon sa politique (seuls comptent ceux du masque).

        Args:
            c: la question comprise.
            besoins: les besoins appliqués par les contraintes (élargis au besoin).
            masque: les candidats retenus par les contraintes (la pertinence est normalisée sur eux).
            dist: distance de chaque entité au lieu, en km (``None`` sans lieu).
            pertinence: texte → pertinence brute de chaque entité (recherche hybride, lexicale ou dense).

        Returns:
            Un tableau de scores, un par entité ; plus haut d'abord.
        """
        texte = c.texte_recherche or c.texte_normalise
        pert = min_max(pertinence(texte), masque) if texte else np.zeros(len(self.entites))
        candidats = Candidats(c, besoins, masque, dist, pert)
        choix = politique(c, besoins)
        if choix is Politique.ETABLISSEMENT:
            return self.score_etablissement(candidats)
        # « à quelle RCP… » : la réunion elle-même répond, avant les sites qui l'organisent
        # un second avis d'un cancer courant : la RCP de recours de la région d'abord, si les contraintes en ont
        # gardé une (``_recours_d_un_cancer_courant``)
        demandee = "rcp_recours" in c.besoins or (choix is Politique.SECOND_AVIS and not besoins)
        rcp = (self.poids.rcp_demandee if demandee else -self.poids.rcp_non_demandee) * self.rcp
        if choix is Politique.SECOND_AVIS and besoins:
            return self.score_second_avis(candidats) + rcp
        # un cancer courant (aucun besoin) : les centres de référence retenus se valent, le plus proche d'abord
        return self.score_orientation(candidats) + rcp

    def score_etablissement(self, q: Candidats) -> np.ndarray:
        """Par le nom : ressemblance, puis importance du site, puis pertinence et proximité (``PoidsEtablissement``)."""
        p, c, dist = self.poids.etablissement, q.c, q.dist
        proximite = proximite_absolue(dist, self.poids.echelle_km) if dist is not None else 0.0
        # toute la question, pas seulement le nom repéré : la ville (« Institut Sainte-Catherine Avignon »,
        # « IGR Villejuif ») départage les homonymes par la commune du site
        nom = " ".join(dict.fromkeys(filter(None, (c.nom_etablissement, c.texte_normalise))))
        nom = nom or c.texte_recherche or c.texte_normalise
        ressemblance = score_noms(self.noms, nom, self.index_noms) if nom else 0.0
        return (
            p.ressemblance * ressemblance
            + p.pertinence * q.pertinence
            + p.importance * self.importance
            + p.proximite * proximite
        )

    def score_second_avis(self, q: Candidats) -> np.ndarray:
        """Par la compétence dans le réseau de la tumeur, puis niveau de preuve, site identifié, importance et
        proximité (``PoidsSecondAvis``)."""
        p, c, besoins, masque, dist = self.poids.second_avis, q.c, q.besoins, q.masque, q.dist
        niveau = self._niveau(besoins)
        comp = np.zeros(len(self.entites))
        # un cancer rare : la RCP de recours de son réseau compte comme son centre expert ; une RCP
        # régionale sans tumeur n'est pas un second avis chirurgical pour un cancer courant
        # sans besoin (un cancer courant) : aucun rôle de réseau ne compte, un centre de référence vaut 0,4
        pour = besoins + (["rcp_recours"] if "cancer_rare" in besoins else [])
        localisations = set(c.localisations)
        for i in np.flatnonzero(masque):
            comp[i] = competence(self.entites[i], pour, localisations, c.reseaux)
        base = (
            p.competence * comp
            + p.niveau * niveau
            + p.pertinence * q.pertinence
            + p.site_identifie * self.site_identifie
            + p.importance * self.importance
        )
        proximite = proximite_relative(dist, masque, self.poids.echelle_km) if dist is not None else None
        return base + (p.proximite * proximite if proximite is not None else 0.0)

    def score_orientation(self, q: Candidats) -> np.ndarray:
        """Par la proximité (avec un lieu) ou le niveau de preuve (sans), plus les bonus population et couverture
        (``PoidsOrientation``)."""
        p, c, besoins, pertinence = self.poids.orientation, q.c, q.besoins, q.pertinence
        niveau = self._niveau(besoins)
        offre = OFFRE_POPULATION.get(c.population or "")
        # une offre déjà demandée comme besoin compte dans ``niveau`` : pas deux fois
        bonus = p.population * self.masques.niveau(offre) / NIVEAU_MAX if offre and offre not in besoins else 0.0
        couverture = p.couverture * self.masques.couverture(besoins) if besoins else 0.0
        if q.dist is not None:
            proximite = proximite_relative(q.dist, q.masque, self.poids.echelle_km)
            return p.proximite * proximite + p.niveau * niveau + p.pertinence * pertinence + bonus + couverture
        return p.niveau_sans_lieu * niveau + p.pertinence_sans_lieu * pertinence + bonus + couverture

    def _niveau(self, besoins: list[str]) -> np.ndarray:
        """Niveau de preuve [0, 1] des besoins ; une localisation seule (« K du sein à Lyon ») : un site qui
        traite des trois façons (chirurgie, chimiothérapie, radiothérapie) passe devant."""
        if besoins:
            return self.masques.niveau_combine(besoins, self.poids.part_couverture)
        return np.mean([self.masques.niveau(b) for b in TRAITEMENTS], axis=0) / NIVEAU_MAX
