"""Le moteur d'orientation : comprendre la question, filtrer par le graphe, classer, expliquer.

Un ``Moteur`` est chargé une fois (index, modèle, lieux) puis répond à chaque question en quelques
millisecondes. Les deux cas d'usage : l'orientation (où adresser ce patient ?) et le second avis (quelle
équipe de compétence égale ou supérieure peut relire ce dossier, hors de l'équipe qui le suit ?).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from graphe.geodesie import distances_km
from recherche.classer.contraintes import (
    Contraintes,
    corriger_lieu,
    points_communes_fiables,
    remarque_listes_partielles,
)
from recherche.classer.noms import IndexNoms
from recherche.classer.poids import POIDS, Poids
from recherche.classer.score import Classement, min_max
from recherche.comprendre.comprehension import Comprehenseur, Comprehension
from recherche.comprendre.repertoire import Gazetteer, Lieu
from recherche.expliquer import raisons
from recherche.index import Index, charger_index
from recherche.index.catalogue import Entite, points_radians
from recherche.index.embarques import EncodeurRequetes
from recherche.reponse import Reponse, Resultat

LIMITE_MAX = 50
QUESTION_MAX = 500
HORS_CHAMP = (
    "demande hors du champ de l'offre de cancérologie, ou non comprise ({mots}) : Boussole oriente vers les "
    "traitements du cancer, les centres experts, les soins de support, l'oncogénétique, la préservation de la "
    "fertilité ; précisez le besoin (radiothérapie, chimiothérapie, soins palliatifs…)"
)
NON_COMPRIS = (
    "question non comprise : précisez un besoin (radiothérapie, soins palliatifs…), un lieu (commune, code "
    "postal, département) ou un établissement"
)


#: Forme ajoutée devant une question qui ne dit pas « second avis », pour que le moteur l'entende ainsi.
AMORCE_SECOND_AVIS = "second avis : "


class QuestionInvalide(ValueError):
    """Question vide, trop longue ou limite hors bornes : erreur de l'utilisateur, message en français."""


class Moteur:
    """Répond aux questions sur un instantané ; sûr entre fils (lecture seule après chargement).

    Le pipeline d'une question : comprendre (``comprendre/``), corriger le lieu, appliquer les contraintes du
    graphe (``classer/contraintes.py``), classer selon la politique de l'intention (``classer/score.py``, poids
    dans ``classer/poids.py``), expliquer chaque résultat (``expliquer.py``).
    """

    def __init__(
        self,
        index: Index,
        encodeur: EncodeurRequetes,
        lieux: Gazetteer,
        dsrc: dict[str, tuple[str, str | None]] | None = None,
        poids: Poids = POIDS,
    ) -> None:
        self.index = index
        self.lieux = lieux
        self.dsrc = dsrc or {}
        self.encodeur = encodeur
        self.poids = poids
        self.comprendre: Callable[[str], Comprehension] = Comprehenseur(lieux).comprendre
        self.points = points_radians(index.entites)
        self.points_communes = points_communes_fiables(index.entites)
        index_noms = IndexNoms(index.entites)
        self.contraintes = Contraintes(index.entites, index_noms, poids)
        self.classement = Classement(index.entites, self.contraintes.masques, index_noms, poids)

    @classmethod
    def charger(cls, dossier_instantane: Path, modele: str = "auto") -> Moteur:
        """Charge le moteur d'un instantané ; ``modele`` est le réglage ``BOUSSOLE_MODELE`` (voir api/reglages.py)."""
        from recherche.index.embarques import charger_pour_requetes

        encodeur = charger_pour_requetes(modele)
        index = charger_index(dossier_instantane, encodeur.nom)
        return cls(index, encodeur, index.lieux, index.dsrc)

    # -- pertinence -------------------------------------------------------------------------------------
    def pertinence(self, texte: str, mode: str = "hybride") -> np.ndarray:
        """Pertinence brute de chaque entité pour ``texte`` : lexicale, dense ou combinée (normalisées)."""
        tous = np.ones(len(self.index.entites), dtype=bool)
        if mode == "dense":
            return min_max(self.index.scores_denses(self.encodeur.requete(texte)), tous)
        lex = min_max(self.index.scores_lexicaux(texte), tous)
        if mode == "lexical":
            return lex
        dense = min_max(self.index.scores_denses(self.encodeur.requete(texte)), tous)
        return self.poids.lexical * lex + self.poids.dense * dense

    def retrouver(self, texte: str, limite: int = 10, mode: str = "hybride") -> list[dict[str, str | None]]:
        """La recherche seule, sans compréhension ni contrainte : les entités les plus pertinentes pour le texte.

        Sert de référence à l'évaluation (ce qu'apporte le graphe) ; rend ``finess``, ``nom``, ``iri``.
        """
        scores = self.pertinence(texte, mode)
        ordre = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")[:limite]
        return [
            {"finess": self.index.entites[i].finess, "nom": self.index.entites[i].nom, "iri": self.index.entites[i].iri}
            for i in ordre
        ]

    # -- question -----------------------------------------------------------------------------------------
    def demander(self, question: str, limite: int = 5, mode: str = "hybride") -> Reponse:
        """Orientation (ou second avis, si la question le dit) : comprendre, filtrer par le graphe, classer.

        Args:
            question: la question en français, 1 à ``QUESTION_MAX`` caractères.
            limite: nombre maximal de résultats (1 à ``LIMITE_MAX``).
            mode: ``hybride`` (le produit), ``lexical`` ou ``dense`` (ablations de l'évaluation).

        Returns:
            La réponse : ce qui a été compris, les résultats classés avec leurs raisons, les remarques (tout
            assouplissement, liste partielle ou refus d'aller plus loin y est dit).

        Raises:
            QuestionInvalide: question vide, trop longue, ou limite hors bornes.
        """
        question = (question or "").strip()
        if not question:
            raise QuestionInvalide("la question est vide")
        if len(question) > QUESTION_MAX:
            raise QuestionInvalide(f"la question dépasse {QUESTION_MAX} caractères")
        if not 1 <= limite <= LIMITE_MAX:
            raise QuestionInvalide(f"la limite doit être comprise entre 1 et {LIMITE_MAX}")
        c = self.comprendre(question)
        remarques: list[str] = []
        if c.vide and not self._nom_probable(c.texte_recherche):
            remarques.append(NON_COMPRIS)
            return Reponse(question, c.en_dict(), [], remarques)
        if c.intention == "orientation" and c.sans_objet_connu and not self._nom_probable(c.texte_recherche):
            mots = ", ".join(f"« {m} »" for m in c.termes_non_compris)
            remarques.append(HORS_CHAMP.format(mots=mots))
            return Reponse(question, c.en_dict(), [], remarques)
        if c.lieu:
            c.lieu = corriger_lieu(c.lieu, self.points_communes)
            if c.lieu.point_corrige_km is not None:
                remarques.append(
                    f"le point de la commune {c.lieu.nom} est à {c.lieu.point_corrige_km:g} km de ses "
                    "établissements : la distance est mesurée depuis ceux-ci"
                )
        origine = c.lieu
        if origine is None and c.intention == "second_avis" and not c.besoins and c.lieu_exclu is not None:
            # un cancer courant : le patient vit près de l'équipe qui le suit, et les centres de référence se
            # valent ; le second avis se cherche d'abord près d'elle (un cancer rare se relit chez l'expert,
            # où qu'il soit)
            origine = c.lieu_exclu
            remarques.append(f"distances mesurées depuis {origine.nom}, la ville de l'équipe qui suit le patient")
        dist = self._distances(origine)
        masque, besoins = self.contraintes.appliquer(c, dist, remarques)
        if not masque.any():
            remarques.append("aucun établissement des sources ne satisfait ces contraintes")
            return Reponse(question, c.en_dict(), [], remarques)

        score = self.classement.scores(c, besoins, masque, dist, lambda texte: self.pertinence(texte, mode))
        ordre = [i for i in np.argsort(-score, kind="stable") if masque[i]][:limite]
        if dist is not None and c.rayon_km is None and ordre:
            plus_proche = float(np.nanmin(np.where(masque, dist, np.nan)))
            if plus_proche > self.poids.loin_km:
                remarques.append(f"le site le plus proche répondant à la demande est à {plus_proche:.0f} km")
        region = self._region_du_lieu(c.lieu)
        partielles = remarque_listes_partielles(besoins, self.dsrc.get(region) if region else None)
        if partielles:
            remarques.append(partielles)
        resultats = [self._resultat(rang, i, score[i], dist, c, besoins) for rang, i in enumerate(ordre, start=1)]
        return Reponse(question, c.en_dict(), resultats, remarques)

    def second_avis(self, question: str, limite: int = 5, mode: str = "hybride") -> Reponse:
        """Une demande de second avis, qu'elle le dise ou non.

        Pourquoi ici et pas dans l'API : ``boussole demander --second-avis`` et ``/second-avis`` doivent répondre
        la même chose. Une question qui n'est pas comprise comme un second avis est relue précédée de
        « second avis : », et une remarque le dit ; la question rendue reste celle posée.

        Args:
            question: la question telle que posée (1 à ``QUESTION_MAX`` caractères).
            limite: nombre maximal de résultats (1 à ``LIMITE_MAX``).
            mode: ``hybride``, ``lexical`` ou ``dense`` (ablations de l'évaluation).

        Returns:
            La réponse, dont ``comprehension["intention"]`` vaut ``second_avis`` quand la relecture a réussi.

        Raises:
            QuestionInvalide: question vide, trop longue, ou limite hors bornes.
        """
        reponse = self.demander(question, limite, mode)
        comprise = reponse.comprehension.get("intention")
        if comprise == "second_avis":
            return reponse
        relue = self.demander((AMORCE_SECOND_AVIS + question.strip())[:QUESTION_MAX], limite, mode)
        relue.question = reponse.question
        if relue.comprehension.get("intention") == "second_avis":
            remarque = (
                f"la question a été comprise comme « {comprise} » ; elle a été relue comme une demande de second avis"
            )
        else:
            remarque = (
                "la question n'a pas pu être lue comme une demande de second avis (intention comprise : "
                f"« {relue.comprehension.get('intention')} ») : précisez la pathologie et l'équipe qui suit le patient"
            )
        relue.remarques.insert(0, remarque)
        return relue

    def _nom_probable(self, texte: str) -> bool:
        """Rien de compris : la question n'a de sens que si elle ressemble au nom d'un établissement connu."""
        texte = texte.strip()
        return bool(texte) and self.classement.ressemblance_max(texte) >= self.poids.seuil_nom

    def _distances(self, lieu: Lieu | None) -> np.ndarray | None:
        """Distance de chaque entité au lieu, en km (NaN pour une entité sans point) ; ``None`` sans lieu."""
        if lieu is None or lieu.latitude is None or lieu.longitude is None:
            return None
        return distances_km(self.points, lieu.latitude, lieu.longitude)

    def _region_du_lieu(self, lieu: Lieu | None) -> str | None:
        if not lieu:
            return None
        if lieu.type == "region":
            return lieu.code
        dep = self.lieux.departements.get(lieu.departement or "") if self.lieux else None
        return dep.region if dep else None

    def _resultat(
        self, rang: int, i: int, score: float, dist: np.ndarray | None, c: Comprehension, besoins: list[str]
    ) -> Resultat:
        e: Entite = self.index.entites[i]
        d = None if dist is None or np.isnan(dist[i]) else round(float(dist[i]), 1)
        liste, niveau = raisons(e, c, d, besoins)
        return Resultat(
            rang,
            e.finess,
            e.nom,
            e.commune,
            d,
            round(float(score), 4),
            niveau,
            liste,
            e.iri,
            e.latitude,
            e.longitude,
            e.precision_geo if e.latitude is not None else None,
            e.nature,
        )


_moteurs: dict[Path, Moteur] = {}
_verrou = threading.Lock()


def moteur_courant(racine: Path, modele: str = "auto") -> Moteur:
    """Le moteur de l'instantané courant, chargé une fois par processus et par instantané."""
    from graphe.instantane import chemin_courant

    dossier = chemin_courant(racine)
    with _verrou:
        if dossier not in _moteurs:
            _moteurs.clear()
            _moteurs[dossier] = Moteur.charger(dossier, modele)
        return _moteurs[dossier]
