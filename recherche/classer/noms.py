"""Ressemblance entre un nom d'établissement cherché et les noms des sources (SAE, FINESS).

Pourquoi un module à part : les noms des sources sont des abréviations en capitales (« CLCC OSCAR LAMBRET
LILLE », « HU PARIS OUEST SITE G POMPIDOU APHP ») et les usagers écrivent « centre Oscar Lambret » ou « HEGP ».
Il faut déplier les abréviations, peser les mots rares plus que « hôpital », tenir compte de la commune et de la
sorte d'établissement (CHU, CH, CLCC, clinique) : c'est un métier à lui seul, que le classement et l'exclusion
de l'équipe en charge (second avis) emploient tous deux.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from rapidfuzz import fuzz, process

from graphe.texte import cle_ville
from recherche.comprendre.etablissements import developper_sigles
from recherche.comprendre.lexique import mots, normaliser
from recherche.index.catalogue import Entite

#: Abréviations des noms des sources (SAE, FINESS), dépliées pour rencontrer les mots des usagers.
_ABREVIATIONS_NOMS: dict[str, str] = {
    "hop": "hopital",
    "cl": "clinique",
    "clin": "clinique",
    "polyclin": "polyclinique",
    "polycl": "polyclinique",
    "ctre": "centre",
    "inst": "institut",
    "hospit": "hospitalier",
    "mut": "mutualiste",
}
#: Mots qui disent la sorte d'établissement : ils ne distinguent pas un site d'un autre, ils disent sa famille.
_FAMILLES_QUESTION: dict[tuple[str, ...], frozenset[str]] = {
    ("centre", "hospitalier", "universitaire"): frozenset({"chu"}),
    ("centre", "hospitalier", "regional"): frozenset({"chu"}),
    ("centre", "hospitalier"): frozenset({"ch"}),
    ("centre", "de", "lutte", "contre", "le", "cancer"): frozenset({"clcc"}),
    ("hopital", "prive"): frozenset({"clinique"}),
    ("chu",): frozenset({"chu"}),
    ("chru",): frozenset({"chu"}),
    ("chr",): frozenset({"chu"}),
    ("hu",): frozenset({"chu"}),
    ("ch",): frozenset({"ch"}),
    ("chi",): frozenset({"ch"}),
    ("chic",): frozenset({"ch"}),
    ("chg",): frozenset({"ch"}),
    ("clcc",): frozenset({"clcc"}),
    ("crlcc",): frozenset({"clcc"}),
    ("clinique",): frozenset({"clinique"}),
    ("polyclinique",): frozenset({"clinique"}),
    ("hopital",): frozenset({"chu", "ch", "hopital"}),
}
#: Mots sans pouvoir distinctif dans un nom cherché (liaisons, demandes : « adresse du CHU de Nantes »).
_MOTS_SANS_POIDS = mots(
    "a au aux de des du d la le l les et en sur site sites adresse adresses telephone contact coordonnees "
    "numero ou trouver cherche trouve est"
)
#: Mots de type gardés, mais faibles : « Institut Curie » préfère « INSTITUT CURIE » à « CENTRE MARIE CURIE ».
_MOTS_FAIBLES = mots("institut centre groupe hospitalier universitaire prive fondation")
#: Poids d'un mot faible, rapporté à un mot distinctif de même rareté.
POIDS_MOT_FAIBLE = 0.3
#: Ressemblance minimale (0 à 1) d'un mot cherché d'au moins 5 lettres à un mot des noms (faute de frappe) ;
#: un mot plus court doit être égal.
RESSEMBLANCE_MOT = 0.8
#: Une initiale (« G POMPIDOU ») vaut un prénom, à moitié.
RESSEMBLANCE_INITIALE = 0.5
#: ``IndexNoms.score`` quand la question dit une famille : part des termes distinctifs couverts, part de la
#: famille demandée (CHU, CLCC…).
PART_TERMES, PART_FAMILLE = 0.8, 0.2
#: ``score_noms`` avec index : part de la ressemblance de chaînes, part de ``IndexNoms.score``.
PART_CHAINES, PART_INDEX = 0.2, 0.8


def _mots_nom(texte: str) -> list[str]:
    return [_ABREVIATIONS_NOMS.get(m, m) for m in normaliser(texte).split()]


def _familles_entite(entite: Entite, termes: set[str]) -> frozenset[str]:
    """Familles d'un site d'après sa catégorie FINESS et son nom (« CHU », « CLINIQUE »…)."""
    categorie = (entite.categorie or "").lower()
    familles = set()
    if "régional" in categorie or termes & {"chu", "chru", "chr", "hu", "aphp", "aphm", "hcl"}:
        familles.add("chu")
    if categorie.startswith("centre hospitalier (c.h.)") or "ex hôpital local" in categorie or termes & {"ch", "chi"}:
        familles.add("ch")
    if "lutte contre" in categorie or termes & {"clcc", "crlcc"}:
        familles.add("clcc")
    if termes & {"clinique", "polyclinique"} or categorie.startswith("etablissement de soins"):
        familles.add("clinique")
    if termes & {"hopital", "hopitaux", "hia", "gh", "ghu"}:
        familles.add("hopital")
    return frozenset(familles)


class IndexNoms:
    """Les termes des noms (et communes) de chaque entité, leur rareté et la famille de chaque site.

    Pourquoi un index : « CHU de Bordeaux » doit trouver « GROUPE HOSPITALIER PELLEGRIN - CHU » (catégorie CHR,
    commune Bordeaux), « Gustave Rousy » « INSTITUT GUSTAVE ROUSSY » ; une ressemblance de chaînes entières
    ne voit ni la commune, ni la famille, ni qu'un mot rare (« Pompidou ») pèse plus qu'un mot courant
    (« hôpital »). Calculé une fois par moteur.
    """

    def __init__(self, entites: list[Entite]) -> None:
        self.termes: list[set[str]] = []
        for e in entites:
            termes = set(_mots_nom(e.nom))
            if e.commune:
                termes |= set(_mots_nom(e.commune))
            self.termes.append(termes)
        frequences = Counter(m for termes in self.termes for m in termes)
        self.vocabulaire = sorted(frequences)
        rang = {m: k for k, m in enumerate(self.vocabulaire)}
        n = max(len(entites), 1)
        self.rarete = np.array([np.log(1.0 + n / frequences[m]) for m in self.vocabulaire])
        entite_de: list[int] = []
        mot_de: list[int] = []
        for i, termes in enumerate(self.termes):
            for m in termes:
                entite_de.append(i)
                mot_de.append(rang[m])
        #: paires (entité, mot) à plat : l'entité et le rang du mot dans ``vocabulaire``
        self.entite_de = np.array(entite_de, dtype=np.int64)
        self.mot_de = np.array(mot_de, dtype=np.int64)
        self.familles = [_familles_entite(e, termes) for e, termes in zip(entites, self.termes, strict=True)]
        self.taille = len(entites)

    def _ressemblance_mot(self, mot: str) -> np.ndarray:
        """Ressemblance [0, 1] d'un mot cherché à chaque mot du vocabulaire : égal, faute de frappe, initiale."""
        sim = process.cdist([mot], self.vocabulaire, scorer=fuzz.ratio, workers=1)[0].astype(np.float64) / 100.0
        sim[sim < (RESSEMBLANCE_MOT if len(mot) >= 5 else 1.0)] = 0.0
        # « G POMPIDOU », « J.PERRIN » : une initiale vaut un prénom, à moitié
        for k, v in enumerate(self.vocabulaire):
            if len(v) == 1 and mot.startswith(v) and len(mot) > 1:
                sim[k] = max(sim[k], RESSEMBLANCE_INITIALE)
        return sim

    def couverture(self, nom: str) -> tuple[np.ndarray, frozenset[str]]:
        """(part pondérée des termes distinctifs du nom trouvés dans le nom ou la commune de chaque entité,
        familles demandées par les termes de type)."""
        termes = _mots_nom(nom)
        demandees: set[str] = set()
        k = 0
        distinctifs: list[str] = []
        while k < len(termes):
            motif = next((m for m in _FAMILLES_QUESTION if tuple(termes[k : k + len(m)]) == m), None)
            if motif is not None:
                demandees |= _FAMILLES_QUESTION[motif]
                k += len(motif)
                continue
            if termes[k] not in _MOTS_SANS_POIDS:
                distinctifs.append(termes[k])
            k += 1
        total = np.zeros(self.taille)
        poids_total = 0.0
        for mot in dict.fromkeys(distinctifs):
            sim = self._ressemblance_mot(mot)
            if not sim.any():
                continue  # un mot inconnu de tous les noms ne départage personne
            poids = float(self.rarete[int(np.argmax(sim))]) * (POIDS_MOT_FAIBLE if mot in _MOTS_FAIBLES else 1.0)
            meilleur = np.zeros(self.taille)
            np.maximum.at(meilleur, self.entite_de, sim[self.mot_de])
            total += poids * meilleur
            poids_total += poids
        return (total / poids_total if poids_total else total), frozenset(demandees)

    def score(self, nom: str) -> np.ndarray:
        """Ressemblance [0, 1] : termes distinctifs couverts (l'essentiel), puis famille du site demandée."""
        couverture, demandees = self.couverture(nom)
        if not demandees:
            return couverture
        famille = np.array([1.0 if demandees & f else 0.0 for f in self.familles])
        return PART_TERMES * couverture + PART_FAMILLE * famille


def score_noms(noms_normalises: list[str], nom: str, index: IndexNoms | None = None) -> np.ndarray:
    """Ressemblance [0, 1] entre un nom d'établissement cherché et chaque nom connu.

    Les sigles et noms d'usage (« IGR », « HEGP ») sont d'abord dépliés en termes des sources. Sans ``index`` :
    ressemblance de chaînes (termes dans le désordre). Avec ``index`` (l'``IndexNoms`` des mêmes entités, dans
    l'ordre de ``noms_normalises``, construit une fois par le moteur) : un cinquième chaînes, le reste termes
    distinctifs couverts par le nom ou la commune, pondérés par leur rareté, et famille demandée (CHU, CH, CLCC,
    clinique) — voir ``IndexNoms``.
    """
    developpe = developper_sigles(normaliser(nom))
    cle = cle_ville(developpe)
    scores = process.cdist([cle], noms_normalises, scorer=fuzz.token_set_ratio, workers=1)[0]
    exacts = process.cdist([cle], noms_normalises, scorer=fuzz.token_sort_ratio, workers=1)[0]
    chaines = (0.5 * scores + 0.5 * exacts).astype(np.float64) / 100.0
    if index is None:
        return chaines
    return PART_CHAINES * chaines + PART_INDEX * index.score(developpe)
