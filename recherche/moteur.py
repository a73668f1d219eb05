"""Le moteur d'orientation : comprendre la question, filtrer par le graphe, classer, expliquer.

Un ``Moteur`` est chargé une fois (index, modèle, lieux) puis répond à chaque question en quelques
millisecondes. Les deux cas d'usage : l'orientation (où adresser ce patient ?) et le second avis (quelle
équipe de compétence égale ou supérieure peut relire ce dossier, hors de l'équipe qui le suit ?).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from recherche import classement as cl
from recherche.catalogue import Entite, cle_ville, coordonnees, distances_km, dsrc_par_region
from recherche.expliquer import raisons
from recherche.index import Index, charger_index
from recherche.noms import IndexNoms, score_noms
from recherche.reponse import Reponse, Resultat

LIMITE_MAX = 50
QUESTION_MAX = 500
#: Part de chaque index dans la pertinence combinée (choisie par mesure : benchmarks/evaluation.py).
POIDS_LEXICAL, POIDS_DENSE = 0.5, 0.5


#: Quand rien n'est compris, ressemblance minimale (score_noms) avec un nom connu pour chercher par nom.
SEUIL_NOM = 0.7
NON_COMPRIS = (
    "question non comprise : précisez un besoin (radiothérapie, soins palliatifs…), un lieu (commune, code "
    "postal, département) ou un établissement"
)


#: Forme ajoutée devant une question qui ne dit pas « second avis », pour que le moteur l'entende ainsi.
AMORCE_SECOND_AVIS = "second avis : "


class QuestionInvalide(ValueError):
    """Question vide, trop longue ou limite hors bornes : erreur de l'utilisateur, message en français."""


class Moteur:
    """Répond aux questions sur un instantané ; sûr entre fils (lecture seule après chargement)."""

    def __init__(self, index: Index, encodeur, lieux, dsrc: dict[str, tuple[str, str | None]] | None = None) -> None:
        from recherche.comprendre import Comprehenseur

        self.index = index
        self.lieux = lieux
        self.dsrc = dsrc or {}
        self.encodeur = encodeur
        self.comprendre = Comprehenseur(lieux).comprendre
        self.points = coordonnees(index.entites)
        self.est_site = np.array([e.finess is not None for e in index.entites], dtype=bool)
        self.masques = cl.Masques(index.entites)
        self.pediatrie = self.masques.niveau("pediatrie") > 0
        self.traitement = np.zeros(len(index.entites), dtype=bool)
        for besoin in cl.TRAITEMENTS:
            self.traitement |= self.masques.niveau(besoin) > 0
        self.importance = np.array([len(e.besoins()) for e in index.entites], dtype=np.float64)
        self.importance /= max(float(self.importance.max()), 1.0)
        self.points_communes = cl.points_communes_fiables(index.entites)
        self.noms = [cle_ville(e.nom) for e in index.entites]
        self.index_noms = IndexNoms(index.entites)
        self.departements = np.array([e.departement or "" for e in index.entites])
        self.regions = np.array([e.region or "" for e in index.entites])

    @classmethod
    def charger(cls, dossier_instantane: Path, modele: str = "auto") -> Moteur:
        """Charge le moteur d'un instantané ; ``modele`` est le réglage ``BOUSSOLE_MODELE`` (voir api/reglages.py)."""
        import pyoxigraph as ox

        from recherche.encodeur import charger_encodeur
        from recherche.lieux import Gazetteer

        encodeur, nom = charger_encodeur(modele)
        index = charger_index(dossier_instantane, nom if modele == "auto" else modele)
        store = ox.Store.read_only(str(dossier_instantane / "store"))
        return cls(index, encodeur, Gazetteer.depuis_store(store), dsrc_par_region(store))

    # -- pertinence -------------------------------------------------------------------------------------
    def pertinence(self, texte: str, mode: str = "hybride") -> np.ndarray:
        """Pertinence brute de chaque entité pour ``texte`` : lexicale, dense ou combinée (normalisées)."""
        tous = np.ones(len(self.index.entites), dtype=bool)
        lex = cl.normaliser(self.index.scores_lexicaux(texte), tous) if mode != "dense" else 0.0
        if mode == "lexical":
            return lex
        from recherche.encodeur import encoder_requete

        dense = cl.normaliser(self.index.scores_denses(encoder_requete(self.encodeur, texte)), tous)
        if mode == "dense":
            return dense
        return POIDS_LEXICAL * lex + POIDS_DENSE * dense

    def retrouver(self, texte: str, limite: int = 10, mode: str = "hybride") -> list[dict]:
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
        entites = self.index.entites
        remarques: list[str] = []
        if c.vide and not self._nom_probable(c.texte_recherche):
            remarques.append(NON_COMPRIS)
            return Reponse(question, c.en_dict(), [], remarques)
        if c.lieu:
            c.lieu = cl.corriger_lieu(c.lieu, self.points_communes)
            if "point_corrige_km" in c.lieu:
                remarques.append(
                    f"le point de la commune {c.lieu['nom']} est à {c.lieu['point_corrige_km']:g} km de ses "
                    "établissements : la distance est mesurée depuis ceux-ci"
                )
        lieu = c.lieu
        dist = distances_km(self.points, lieu["latitude"], lieu["longitude"]) if lieu else None

        besoins = list(c.besoins)
        localisations = set(c.localisations)
        if besoins:
            besoins = self._elargir(besoins, remarques)
            masque, notes = self.masques.pour(besoins, localisations)
            remarques += notes
        elif localisations and c.intention != "etablissement":
            masque = self.traitement.copy()
        else:
            masque = np.ones(len(entites), dtype=bool)
        if c.population == "enfant" and c.intention != "etablissement":
            pedia = masque & self.pediatrie
            if pedia.any():
                masque = pedia
                remarques.append(
                    "patient mineur : seules les offres avec une prise en charge pédiatrique sont proposées"
                )
            elif masque.any():
                remarques.append("aucune offre pédiatrique connue pour ce besoin : offres adultes proposées")
        if c.intention == "second_avis":
            exclus = cl.masque_exclusion(self.index_noms, entites, c.exclure, c.ville_exclue)
            if (masque & exclus).any():
                remarques.append(f"{int((masque & exclus).sum())} site(s) de l'équipe qui suit le patient exclu(s)")
            masque = self._experts_de_la_tumeur(c, masque, exclus, besoins, localisations, remarques)
        if lieu and lieu.get("type") in ("departement", "region") and c.intention != "etablissement":
            masque = self._dans_le_territoire(lieu, masque, remarques)
        if c.rayon_km is not None and dist is not None:
            dans = masque & (dist <= c.rayon_km)
            if not dans.any() and masque.any():
                plus_proche = float(np.nanmin(np.where(masque, dist, np.nan)))
                remarques.append(f"aucun site à moins de {c.rayon_km:g} km ; le plus proche est à {plus_proche:.0f} km")
            else:
                masque = dans
        if not masque.any():
            remarques.append("aucun établissement des sources ne satisfait ces contraintes")
            return Reponse(question, c.en_dict(), [], remarques)

        score = self._score(c, masque, dist, besoins, localisations, mode)
        ordre = [i for i in np.argsort(-score, kind="stable") if masque[i]][:limite]
        if dist is not None and c.rayon_km is None and ordre:
            plus_proche = float(np.nanmin(np.where(masque, dist, np.nan)))
            if plus_proche > cl.LOIN_KM:
                remarques.append(f"le site le plus proche répondant à la demande est à {plus_proche:.0f} km")
        self._signaler_listes_partielles(besoins, lieu, remarques)
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

    def _experts_de_la_tumeur(self, c, masque, exclus, besoins, localisations, remarques) -> np.ndarray:
        """Second avis : les centres du réseau de la tumeur (ou ses RCP de recours), hors de l'équipe en charge.

        Pourquoi : la localisation des listes curées manque parfois (un centre RENATEN sans tumeur rattachée) ;
        le sigle du réseau, connu du thésaurus, retrouve alors ses centres au lieu de proposer ceux de tous les
        réseaux. Quand l'équipe en charge est le seul centre connu, ou qu'aucun centre du réseau n'est connu,
        on le dit, et on propose les centres experts d'autres réseaux comme recours de compétence.
        """
        entites = self.index.entites
        if not {"cancer_rare", "rcp_recours"} & set(besoins):
            return masque & ~exclus
        pour = besoins + [b for b in ("rcp_recours",) if "cancer_rare" in besoins and b not in besoins]
        experts = np.zeros(len(entites), dtype=bool)
        for i in np.flatnonzero(masque):
            experts[i] = cl.competence(entites[i], pour, localisations, c.reseaux) >= 0.7
        reseaux = ", ".join(c.reseaux)
        if (experts & ~exclus).any():
            remarques[:] = [r for r in remarques if not r.startswith("aucun centre expert n'est rattaché")]
            return experts & ~exclus
        if experts.any():
            remarques.append(
                "l'équipe qui suit le patient est le seul centre connu pour cette tumeur"
                + (f" (réseau {reseaux})" if reseaux else "")
                + " : voici d'autres centres de recours, à qui demander s'ils prennent ce second avis"
            )
        elif reseaux:
            remarques.append(
                f"aucun centre du réseau {reseaux} n'est connu dans les sources : le réseau lui-même oriente vers ses "
                "centres ; voici d'autres centres de recours"
            )
        return masque & ~exclus

    def _nom_probable(self, texte: str) -> bool:
        """Rien de compris : la question n'a de sens que si elle ressemble au nom d'un établissement connu."""
        texte = texte.strip()
        return bool(texte) and float(score_noms(self.noms, texte).max(initial=0.0)) >= SEUIL_NOM

    def _elargir(self, besoins: list[str], remarques: list[str]) -> list[str]:
        """Remplace un besoin qu'aucune source ne renseigne par son besoin plus large, et le dit."""
        sortie = []
        for b in besoins:
            large = cl.ELARGISSEMENTS.get(b)
            if large and not (self.masques.niveau(b) > 0).any():
                remarques.append(
                    f"aucune source du graphe ne renseigne « {cl.libelle_besoin(b)} » ; voici les sites de "
                    f"« {cl.libelle_besoin(large)} », à qui demander s'ils la pratiquent"
                )
                b = large
            if b not in sortie:
                sortie.append(b)
        return sortie

    def _dans_le_territoire(self, lieu: dict, masque: np.ndarray, remarques: list[str]) -> np.ndarray:
        """Un département ou une région nommés bornent la réponse, tant qu'il y a des sites dedans."""
        codes = self.departements if lieu["type"] == "departement" else self.regions
        dedans = masque & (codes == lieu["code"])
        if dedans.any():
            return dedans
        if masque.any():
            zone = "région" if lieu["type"] == "region" else "département"
            remarques.append(
                f"aucun site répondant à la demande n'est connu dans le territoire demandé ({zone} {lieu['nom']}) : "
                "voici les plus proches, hors de ce territoire"
            )
        return masque

    def _signaler_listes_partielles(self, besoins: list[str], lieu: dict | None, remarques: list[str]) -> None:
        """Un besoin connu seulement par des listes partielles : le dire, et nommer le réseau régional."""
        partiels = [b for b in besoins if b in cl.LISTES_PARTIELLES]
        if not partiels:
            return
        libelles = ", ".join(f"« {cl.libelle_besoin(b)} »" for b in partiels)
        texte = f"{libelles} : seules des listes partielles sont connues, une structure plus proche peut exister"
        region = self._region_du_lieu(lieu)
        if region in self.dsrc:
            nom, url = self.dsrc[region]
            texte += f" ; le réseau régional de cancérologie {nom}" + (f" ({url})" if url else "")
            texte += " tient l'annuaire de la région"
        remarques.append(texte)

    def _region_du_lieu(self, lieu: dict | None) -> str | None:
        if not lieu:
            return None
        if lieu.get("type") == "region":
            return lieu.get("code")
        dep = self.lieux.departements.get(lieu.get("departement") or "") if self.lieux else None
        return dep.region if dep else None

    def _score(self, c, masque, dist, besoins, localisations, mode) -> np.ndarray:
        entites = self.index.entites
        texte = c.texte_recherche or c.texte_normalise
        pertinence = cl.normaliser(self.pertinence(texte, mode), masque) if texte else np.zeros(len(entites))
        if c.intention == "etablissement" or not (besoins or localisations):
            proximite = np.nan_to_num(1.0 / (1.0 + dist / cl.ECHELLE_KM)) if dist is not None else 0.0
            # toute la question, pas seulement le nom repéré : la ville (« Institut Sainte-Catherine Avignon »,
            # « IGR Villejuif ») départage les homonymes par la commune du site
            nom = " ".join(dict.fromkeys(filter(None, (c.nom_etablissement, c.texte_normalise)))) or texte
            ressemblance = score_noms(self.noms, nom, self.index_noms) if nom else 0.0
            # le site principal (le plus d'activités renseignées) passe devant ses annexes homonymes (dialyse,
            # SSR, antennes SMUR) ; la pertinence textuelle ne fait que départager
            return 0.6 * ressemblance + 0.05 * pertinence + 0.25 * self.importance + 0.1 * proximite
        if besoins:
            niveau = self.masques.niveau_combine(besoins)
        else:
            # une localisation seule (« K du sein à Lyon ») : un site qui traite des trois façons passe devant
            niveau = np.mean([self.masques.niveau(b) for b in cl.TRAITEMENTS], axis=0) / 3.0
        proximite = cl.proximite(dist, masque) if dist is not None else None
        if c.intention == "second_avis":
            comp = np.zeros(len(entites))
            # un cancer rare : la RCP de recours de son réseau compte comme son centre expert ; une RCP
            # régionale sans tumeur n'est pas un second avis chirurgical pour un cancer courant
            pour = (besoins or ["cancer_rare"]) + (["rcp_recours"] if "cancer_rare" in besoins else [])
            for i in np.flatnonzero(masque):
                comp[i] = cl.competence(entites[i], pour, localisations, c.reseaux)
            # à compétence égale, un site identifié (FINESS, adresse) passe devant une organisation « site non
            # précisé », et un grand centre (beaucoup d'activités renseignées) devant un petit
            base = 0.45 * comp + 0.15 * niveau + 0.1 * pertinence + 0.1 * self.est_site + 0.05 * self.importance
            return base + (0.15 * proximite if proximite is not None else 0.0)
        # un mineur : une organisation interrégionale d'oncopédiatrie (liste curée) passe avant un simple
        # service de pédiatrie déclaré
        bonus = 0.2 * self.masques.niveau("pediatrie") / 3.0 if c.population == "enfant" else 0.0
        # plusieurs soins de support cités : un site qui les couvre tous passe devant un voisin qui n'en a qu'un
        couverture = 0.3 * self.masques.couverture(besoins) if besoins else 0.0
        if proximite is not None:
            return 0.8 * proximite + 0.15 * niveau + 0.05 * pertinence + bonus + couverture
        return 0.5 * niveau + 0.5 * pertinence + bonus + couverture

    def _resultat(self, rang: int, i: int, score: float, dist, c, besoins: list[str]) -> Resultat:
        e: Entite = self.index.entites[i]
        d = None if dist is None or np.isnan(dist[i]) else round(float(dist[i]), 1)
        liste, niveau = raisons(e, c, d, besoins)
        return Resultat(rang, e.finess, e.nom, e.commune, d, round(float(score), 4), niveau, liste, e.iri)


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
