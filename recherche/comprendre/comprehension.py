"""Comprendre une question en français : intention, besoins, localisations, population, âge, lieu, rayon.

Pourquoi une compréhension typée avant toute recherche : « les contraintes dures priment sur la similarité ».
Un besoin (radiothérapie), une population (enfant) ou une équipe à exclure (second avis) doivent être des
champs explicites que la recherche applique, pas des mots noyés dans un vecteur. Ce qui n'a pas été
compris est rendu (``termes_non_compris``) pour que l'interface puisse le dire.

Ordre de lecture : formulations de second avis, concepts du thésaurus (le plus long d'abord), âge et rayon,
équipe en charge, nom d'établissement, lieux exacts, puis tolérance aux fautes (lieux après une préposition,
puis concepts). Chaque étape rend les mots qu'elle emploie ; les suivantes ne les revoient pas.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from graphe.texte import forme
from ontologie.thesaurus import Thesaurus
from recherche.comprendre.etablissements import TYPES_ETABLISSEMENT, Segment, reperer_etablissement
from recherche.comprendre.lexique import MOTS_GENERIQUES, MOTS_VIDES, Jeton, jetons, mots, normaliser
from recherche.comprendre.lieux import (
    PREPOSITIONS_FORTES,
    Mention,
    approcher_lieux,
    approcher_noms_propres,
    choisir_lieu,
    reperer_lieux,
)
from recherche.comprendre.mesures import reperer_age, reperer_rayon
from recherche.comprendre.repertoire import Gazetteer, Lieu
from recherche.comprendre.second_avis import equipe_nommee, reperer_equipes, reperer_second_avis
from recherche.comprendre.termes import IndexTermes, Terme

#: Âge à partir duquel on déduit la population « personne âgée » (seuil usuel de l'évaluation
#: oncogériatrique).
AGE_PERSONNE_AGEE = 75
#: Âge de la majorité : en dessous, la personne relève de la pédiatrie.
AGE_MAJORITE = 18
#: Bornes AJA de la réglementation (15–24 ans) ; l'âge seul ne suffit pas, il faut un mot qui nomme les AJA.
AGE_AJA = (15, 24)
#: Modalités de traitement qui, citées après « avant », « après », « pendant »..., ne sont que le contexte
#: d'un autre besoin : « préservation de la fertilité avant chimiothérapie » cherche une plateforme de
#: fertilité, pas un centre de chimiothérapie.
MODALITES_CONTEXTE: Final[frozenset[str]] = frozenset(
    {"radiotherapie", "chimiotherapie", "chirurgie", "curietherapie", "radiotherapie_interne"}
)
#: Mots qui placent une modalité dans le temps du parcours (formes normalisées).
MOTS_CONTEXTE: Final[frozenset[str]] = mots("avant apres pendant sous suite lors post prealable cours durant")
#: Participes d'une étape déjà faite : « dossier passé en RCP, radiothérapie à Lyon » cherche la radiothérapie ;
#: « présenter en RCP » (l'infinitif) cherche, lui, une RCP.
MOTS_DEJA_FAIT: Final[frozenset[str]] = mots(
    "passe passee discute discutee valide validee vu vue presente presentee decide decidee examine examinee"
)
#: Pour chaque besoin qui peut n'être que le contexte d'un autre, les mots qui l'y placent.
CONTEXTES: Final[dict[str, frozenset[str]]] = {m: MOTS_CONTEXTE for m in MODALITES_CONTEXTE} | {
    "rcp_recours": MOTS_CONTEXTE | MOTS_DEJA_FAIT
}
#: Mots sautés entre le mot de contexte et la modalité (« avant une chimio », « après sa chirurgie »).
_ENTRE_CONTEXTE: Final[frozenset[str]] = mots(
    "de d du des la le l les un une sa son ses leur a au aux en la cette ce traitement par"
)
#: « rare » dit d'une tumeur : la personne cherche un centre expert, même sans nom de réseau.
MOTS_RARE: Final[frozenset[str]] = mots("rare rares")
MOTS_TUMEUR: Final[frozenset[str]] = mots("cancer cancers tumeur tumeurs carcinome k lymphome sarcome")


@dataclass
class Comprehension:
    """Ce que la recherche doit appliquer ; toutes les clés sont en français (API, journal de mise au
    point).
    """

    intention: str = "orientation"
    besoins: list[str] = field(default_factory=list)
    localisations: list[str] = field(default_factory=list)
    soins_support: list[str] = field(default_factory=list)
    reseaux: list[str] = field(default_factory=list)
    population: str | None = None
    age: int | None = None
    lieu: Lieu | None = None
    rayon_km: float | None = None
    exclure: list[str] = field(default_factory=list)
    lieu_exclu: Lieu | None = None
    nom_etablissement: str | None = None
    texte_normalise: str = ""
    texte_recherche: str = ""
    termes_non_compris: list[str] = field(default_factory=list)
    termes_approches: list[str] = field(default_factory=list)

    def en_dict(self) -> dict[str, Any]:
        """Dictionnaire JSON-sérialisable (clés françaises) : la forme ``comprehension`` de l'API."""
        d = asdict(self)
        d["lieu"] = self.lieu.en_dict() if self.lieu else None
        d["lieu_exclu"] = self.lieu_exclu.en_dict() if self.lieu_exclu else None
        return d

    @property
    def ville_exclue(self) -> str | None:
        """Nom de la commune de l'équipe en charge (second avis), pour exclure ses sites à défaut de nom."""
        return self.lieu_exclu.nom if self.lieu_exclu else None

    @property
    def vide(self) -> bool:
        """Aucune contrainte comprise : l'interface doit demander de reformuler."""
        return not (
            self.besoins or self.localisations or self.lieu or self.nom_etablissement or self.population
        )

    @property
    def sans_objet_connu(self) -> bool:
        """Des mots non compris, et ni besoin, ni tumeur, ni réseau, ni établissement : la demande porte sur autre
        chose que l'offre de cancérologie (« dentiste de garde à Lille ») ; un lieu ou un âge seuls n'en font pas
        une question d'orientation, et rendre les sites de cancérologie de la ville serait répondre à côté."""
        if not self.termes_non_compris or any(INDICE_CANCER.fullmatch(forme(m)) for m in self.termes_non_compris):
            return False
        return not (self.besoins or self.localisations or self.soins_support or self.reseaux or self.nom_etablissement)


#: Un mot non compris qui parle pourtant de cancer (« onco », « neuroblastome », « opère », « radiothé », « RCP ») :
#: la question est dans le champ, seulement mal comprise ; elle n'est pas déclarée hors champ.
INDICE_CANCER = re.compile(
    r"onco\w*|cancer\w*|k|tumeur\w*|\w{3,}omes?|chimio\w*|radio\w*|rcp|oper\w*|chirurg\w*|metasta\w*"
    r"|leucemi\w*|hdj|had|biops\w*|greffe\w*|hemato\w*|curie\w*|germinal\w*|blast\w*"
)


def _ajouter(liste: list[str], valeur: str) -> None:
    if valeur not in liste:
        liste.append(valeur)


def population_deduite(mots: list[str], age: int | None) -> str | None:
    """Population : l'âge prime sur les mots, sauf « AJA » / « jeune adulte » dans les bornes 15–24 ans."""
    if "aja" in mots and (age is None or AGE_AJA[0] <= age <= AGE_AJA[1]):
        return "aja"
    if age is not None:
        if age < AGE_MAJORITE:
            return "enfant"
        return "personne_agee" if age >= AGE_PERSONNE_AGEE else "adulte"
    for code in ("enfant", "personne_agee", "adulte"):
        if code in mots:
            return code
    return None


class Comprehenseur:
    """Le thésaurus et le répertoire des lieux, chargés une fois ; ``comprendre`` est ensuite rapide."""

    def __init__(self, gazetteer: Gazetteer | None = None, thesaurus: Thesaurus | None = None) -> None:
        self.gaz = gazetteer or Gazetteer.par_defaut()
        self.thesaurus = thesaurus or Thesaurus.charger()
        self.index = IndexTermes.charger(thesaurus)

    def comprendre(self, question: str) -> Comprehension:
        """Lit une question en français et rend ce que la recherche doit appliquer.

        Les étapes lisent la question dans l'ordre dit en tête du module ; chacune reçoit les mots encore libres
        (sans pouvoir les modifier) et rend ceux qu'elle a employés : seule cette méthode tient la liste.

        Args:
            question: la question telle que tapée (les bornes de longueur sont celles du moteur).

        Returns:
            La compréhension : intention, besoins, localisations, population, âge, lieu, rayon, équipe à exclure,
            nom d'établissement, texte pour la recherche, et ce qui n'a pas été compris ou a été approché.
            Une question vide ou incompréhensible rend une compréhension vide (``vide`` vrai), jamais d'erreur.
        """
        texte = question.strip()
        js = jetons(texte)
        formes = [j.forme for j in js]
        lecture = _Lecture(len(js))
        c = Comprehension(texte_normalise=normaliser(texte))

        second_avis, rcp, pris = reperer_second_avis(formes, lecture.libres)
        retires = set(lecture.employer(pris))
        c.rayon_km, pris = reperer_rayon(formes, lecture.libres)
        retires |= lecture.employer(pris)
        reserves = self._noms_de_lieux_probables(js, lecture.libres)
        lecture.employer(reserves)
        termes, pris = self.index.reperer(js, lecture.libres)
        lecture.employer(pris)
        # Un nom de lieu qui commence par un mot d'établissement (« Centre-Val de Loire ») reste réservé
        # jusqu'après le repérage des établissements, qui y verrait sinon « Centre Val ».
        reserves_etab = self._commencent_par_un_type(js, reserves)
        lecture.liberer(reserves - reserves_etab)
        avant = lecture.libres
        c.age, pris = reperer_age(formes, lecture.libres)
        lecture.employer(pris)
        if second_avis:
            equipes, pris = reperer_equipes(texte, js, lecture.libres)
            lecture.employer(pris)
            for seg in equipes:
                if equipe_nommee(seg, js):
                    _ajouter(c.exclure, seg.texte)
                dans_l_equipe = [seg.debut <= k < seg.fin for k in range(len(js))]
                lieu_exclu, _ = choisir_lieu(reperer_lieux(texte, js, dans_l_equipe, self.gaz)[0], self.gaz)
                c.lieu_exclu = c.lieu_exclu or lieu_exclu
        etab, pris = reperer_etablissement(texte, js, lecture.libres)
        lecture.employer(pris)
        lecture.liberer(reserves_etab)
        etab_k = set(range(etab.debut, etab.fin)) if etab else set()
        mentions, pris = reperer_lieux(texte, js, lecture.libres, self.gaz)
        lecture.employer(pris)
        approchees, pris = approcher_lieux(texte, js, lecture.libres, self.gaz)
        lecture.employer(pris)
        mentions += approchees
        if not mentions:
            mentions, pris = approcher_noms_propres(texte, js, lecture.libres, self.gaz)
            lecture.employer(pris)
        retires |= {k for k, libre in enumerate(lecture.libres) if avant[k] and not libre and k not in etab_k}
        approches, pris = self.index.approcher(js, lecture.libres)
        lecture.employer(pris)
        termes += approches
        c.termes_approches = [js[t.debut].original for t in approches]
        c.lieu, _ = choisir_lieu(mentions, self.gaz)
        if etab is not None:
            c.nom_etablissement = etab.texte
            if c.lieu is None:
                c.lieu = self._lieu_du_nom(texte, js, etab)

        self._remplir_concepts(c, termes, rcp)
        retires |= self._ecarter_contexte(c, termes, formes)
        lecture.employer(self._tumeur_rare(c, formes, lecture.libres))
        libres = lecture.libres
        c.intention = self._intention(c, second_avis, js, libres)
        c.termes_non_compris = [
            js[k].original
            for k in range(len(js))
            if libres[k] and formes[k] not in MOTS_VIDES and formes[k] not in MOTS_GENERIQUES
        ]
        if c.intention == "etablissement" and c.nom_etablissement is None:
            c.nom_etablissement = texte
            c.termes_non_compris = []
        c.texte_recherche = self._texte_recherche(c, js, retires)
        return c

    def _texte_recherche(self, c: Comprehension, js: list[Jeton], retires: set[int]) -> str:
        """Texte pour la recherche lexicale et dense : la question sans lieux, âge, rayon ni équipe exclue
        (ils sont appliqués comme contraintes), plus les libellés préférés des concepts compris."""
        mots_gardes = [j.original for k, j in enumerate(js) if k not in retires and j.forme not in MOTS_VIDES]
        libelles = [self.thesaurus.pref("besoin", b) for b in c.besoins]
        libelles += [self.thesaurus.pref("localisation", loc) for loc in c.localisations]
        return " ".join(dict.fromkeys([*mots_gardes, *libelles]))

    def _noms_de_lieux_probables(self, js: list[Jeton], libres: Sequence[bool]) -> set[int]:
        """Noms à majuscule qui sont des lieux, pas des concepts : « à Gorges » (après une préposition),
        « Bouches-du-Rhône » (nom de plusieurs mots, dont « bouche » n'est pas l'ORL)."""
        formes = [j.forme for j in js]
        reserves: set[int] = set()
        for i, j in enumerate(js):
            if not (libres[i] and j.capitalise and not j.sigle):
                continue
            prep = any(tuple(formes[max(0, i - len(p)) : i]) == p for p in PREPOSITIONS_FORTES)
            for n in self.gaz.longueurs(formes[i]):
                cle = tuple(formes[i : i + n])
                if i + n > len(formes) or not (prep or (n >= 2 and i > 0) or n >= 3):
                    continue
                if (
                    self.gaz.communes_nommees(cle)
                    or self.gaz.departement_nomme(cle)
                    or self.gaz.region_nommee(cle)
                ):
                    reserves.update(range(i, i + n))
                    break
        return reserves

    @staticmethod
    def _commencent_par_un_type(js: list[Jeton], reserves: set[int]) -> set[int]:
        """Suites de mots réservés qui commencent par un mot d'établissement (« Centre », « Institut »)."""
        garde: set[int] = set()
        for k in sorted(reserves):
            if k - 1 not in reserves and js[k].forme in TYPES_ETABLISSEMENT:
                n = k
                while n in reserves:
                    garde.add(n)
                    n += 1
        return garde

    def _lieu_du_nom(self, texte: str, js: list[Jeton], etab: Segment) -> Lieu | None:
        """Lieu contenu dans un nom (« CHU de Rennes ») : seulement après « de », jamais « Léon » de «
        Léon Bérard ».
        """
        formes = [j.forme for j in js]
        sous = [etab.debut <= k < etab.fin and formes[k] not in ("ch", "chu") for k in range(len(js))]
        debut = next((k for k, s in enumerate(sous) if s), None)
        if debut is None:
            return None
        apres_de = [s and k > 0 and formes[k - 1] in ("de", "d", "du") for k, s in enumerate(sous)]
        for k in range(len(sous)):
            if apres_de[k]:
                for n in range(k, len(sous)):
                    if not sous[n]:
                        break
                    apres_de[n] = True
        mentions: list[Mention] = reperer_lieux(texte, js, apres_de, self.gaz)[0]
        return choisir_lieu(mentions, self.gaz)[0]

    def _remplir_concepts(self, c: Comprehension, termes: list[Terme], rcp: bool) -> None:
        populations: list[str] = []
        for t in sorted(termes, key=lambda t: t.debut):
            if t.schema == "besoin":
                _ajouter(c.besoins, t.code)
            elif t.schema == "localisation":
                _ajouter(c.localisations, t.code)
            elif t.schema == "population":
                _ajouter(populations, t.code)
            elif t.schema == "soin-support":
                _ajouter(c.soins_support, t.code)
                for b in self.thesaurus.besoins_lies("soin-support", t.code):
                    _ajouter(c.besoins, b)
        for loc in c.localisations:
            if self.thesaurus.est_rare(loc):
                _ajouter(c.besoins, "cancer_rare")
                for sigle in self.thesaurus.reseaux(loc):
                    _ajouter(c.reseaux, sigle)
        if rcp:
            _ajouter(c.besoins, "rcp_recours")
        if "aja" in c.besoins:
            # « unité AJA » nomme une population autant qu'une offre : seule, c'est le besoin ; avec un autre
            # besoin (« sarcome, unité AJA »), l'offre AJA départage les sites qui ont ce besoin
            _ajouter(populations, "aja")
            if len(c.besoins) > 1:
                c.besoins.remove("aja")
        c.population = population_deduite(populations, c.age)

    def _ecarter_contexte(self, c: Comprehension, termes: list[Terme], formes: list[str]) -> set[int]:
        """Retire une modalité qui n'est que le contexte d'un autre besoin (« avant chimiothérapie », « passé en
        RCP ») ; rend les mots écartés, que le texte de recherche ne doit pas porter non plus.

        Seulement s'il reste un autre besoin : « suivi après radiothérapie » seul garde la radiothérapie.
        """
        contexte: dict[str, bool] = {}
        for t in termes:
            if t.schema != "besoin" or t.code not in CONTEXTES:
                continue
            k = t.debut - 1
            while k >= 0 and formes[k] in _ENTRE_CONTEXTE and t.debut - k <= 3:
                k -= 1
            est_contexte = k >= 0 and formes[k] in CONTEXTES[t.code]
            contexte[t.code] = contexte.get(t.code, True) and est_contexte
        ecartes = {code for code, oui in contexte.items() if oui}
        if not ecartes or all(b in ecartes for b in c.besoins):
            return set()
        c.besoins = [b for b in c.besoins if b not in ecartes]
        return {k for t in termes if t.schema == "besoin" and t.code in ecartes for k in range(t.debut, t.fin)}

    def _tumeur_rare(self, c: Comprehension, formes: list[str], libres: Sequence[bool]) -> frozenset[int]:
        """« tumeur cérébrale rare », « cancer rare de l'ORL » : l'usager dit lui-même que le cas est rare ; rend
        les positions de « rare » employées."""
        rares = [k for k, f in enumerate(formes) if libres[k] and f in MOTS_RARE]
        if rares and (c.localisations or any(f in MOTS_TUMEUR for f in formes)):
            _ajouter(c.besoins, "cancer_rare")
            return frozenset(rares)
        return frozenset()

    def _intention(self, c: Comprehension, second_avis: bool, js: list[Jeton], libres: Sequence[bool]) -> str:
        if second_avis:
            # une tumeur courante nommée (« cancer du rectum ») : le second avis d'un cancer courant, que les
            # contraintes cherchent parmi la RCP de recours de la région et les centres de référence ; sans
            # tumeur, la RCP de recours est le seul recours qu'on puisse nommer
            if not c.besoins and not c.localisations:
                c.besoins.append("rcp_recours")
            return "second_avis"
        if c.besoins or c.localisations:
            return "orientation"
        if c.nom_etablissement:
            return "etablissement"
        # Quelques mots à majuscule, rien d'autre : c'est un nom propre (« Hôpital Foch », « Bergonié »), même
        # suivi de sa ville (« Godinot Reims ») : un lieu seul ne fait pas une demande d'orientation.
        restants = [j for k, j in enumerate(js) if libres[k] and j.forme not in MOTS_VIDES]
        if restants and len(js) <= 5 and all(j.capitalise for j in restants):
            return "etablissement"
        return "orientation"


class _Lecture:
    """Les mots encore libres d'une question pendant ``Comprehenseur.comprendre`` : la seule liste modifiée.

    Pourquoi : les repérages lisent un instantané (``libres``) et rendent les positions qu'ils emploient ; l'ordre
    des étapes, y compris les mots réservés puis rendus, se lit alors dans ``comprendre`` seul.
    """

    def __init__(self, taille: int) -> None:
        self._libres = [True] * taille

    @property
    def libres(self) -> tuple[bool, ...]:
        """Les mots libres à cet instant (une copie : la modifier ne change rien)."""
        return tuple(self._libres)

    def employer(self, positions: Collection[int]) -> frozenset[int]:
        """Marque ces mots comme lus ; rend les positions qui étaient encore libres."""
        nouveaux = frozenset(k for k in positions if self._libres[k])
        for k in positions:
            self._libres[k] = False
        return nouveaux

    def liberer(self, positions: Collection[int]) -> None:
        """Rend ces mots aux étapes suivantes (un nom de lieu réservé le temps d'une étape)."""
        for k in positions:
            self._libres[k] = True
