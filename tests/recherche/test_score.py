"""Le score et ses poids sur un petit catalogue fait main : chaque poids change l'ordre dans le sens documenté.

Chaque test oppose deux entités, l'une meilleure sur un signal, l'autre sur un autre : le poids du premier signal
mis en avant (ou à zéro) doit faire passer la première devant (ou la laisser derrière). Sans instantané ni modèle :
la pertinence textuelle est donnée par le test.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from recherche.classer.contraintes import Masques
from recherche.classer.noms import IndexNoms
from recherche.classer.poids import POIDS, Poids, PoidsEtablissement, PoidsOrientation, PoidsSecondAvis
from recherche.classer.score import Classement, Politique, min_max, politique, proximite_relative
from recherche.comprendre.comprehension import Comprehension
from recherche.index.catalogue import Entite, Preuve

NUL_ORIENTATION = PoidsOrientation(0, 0, 0, 0, 0, 0, 0)
NUL_SECOND_AVIS = PoidsSecondAvis(0, 0, 0, 0, 0, 0)
NUL_ETABLISSEMENT = PoidsEtablissement(0, 0, 0, 0)


def preuve(besoin: str, niveau: str = "autorisation", **autres) -> Preuve:
    return Preuve(besoin, niveau, besoin, "source de test", "urn:test", "2024-01-01", **autres)


def entite(iri: str, nom: str, *preuves: Preuve, finess: str | None = "000", commune: str | None = None) -> Entite:
    return Entite(iri=iri, nom=nom, finess=finess, commune=commune, preuves=list(preuves))


def premier(entites: list[Entite], c: Comprehension, poids: Poids, dist=None, pertinence=None, besoins=None) -> str:
    """L'entité classée première (à score égal, la première du catalogue : tri stable)."""
    classement = Classement(entites, Masques(entites), IndexNoms(entites), poids)
    masque = np.ones(len(entites), dtype=bool)
    brute = np.zeros(len(entites)) if pertinence is None else np.asarray(pertinence, dtype=np.float64)
    scores = classement.scores(c, list(c.besoins) if besoins is None else besoins, masque, dist, lambda _: brute)
    return entites[int(np.argsort(-scores, kind="stable")[0])].iri


def orientation(**poids: float) -> Poids:
    return replace(POIDS, orientation=replace(NUL_ORIENTATION, **poids))


def second_avis(**poids: float) -> Poids:
    return replace(POIDS, second_avis=replace(NUL_SECOND_AVIS, **poids))


def etablissement(**poids: float) -> Poids:
    return replace(POIDS, etablissement=replace(NUL_ETABLISSEMENT, **poids))


# -- la politique ---------------------------------------------------------------------------------------------
def test_la_politique_suit_l_intention() -> None:
    assert politique(Comprehension(besoins=["radiotherapie"]), ["radiotherapie"]) is Politique.ORIENTATION
    assert politique(Comprehension(localisations=["sein"]), []) is Politique.ORIENTATION
    assert politique(Comprehension(intention="second_avis"), ["rcp_recours"]) is Politique.SECOND_AVIS
    assert politique(Comprehension(intention="etablissement"), ["radiotherapie"]) is Politique.ETABLISSEMENT
    # ni besoin ni tumeur (un lieu, une population) : par le nom et l'importance
    assert politique(Comprehension(population="enfant"), []) is Politique.ETABLISSEMENT


def test_le_produit_garde_ses_poids() -> None:
    """Les poids mesurés du produit : les changer est un choix à mesurer (benchmarks/evaluation.py)."""
    assert (POIDS.lexical, POIDS.dense, POIDS.echelle_km, POIDS.loin_km) == (0.5, 0.5, 25, 100)
    assert (POIDS.seuil_nom, POIDS.seuil_expert, POIDS.part_couverture) == (0.7, 0.7, 0.5)
    assert POIDS.etablissement == PoidsEtablissement(0.6, 0.05, 0.25, 0.1)
    assert POIDS.second_avis == PoidsSecondAvis(0.45, 0.15, 0.1, 0.1, 0.05, 0.15)
    assert POIDS.orientation == PoidsOrientation(0.8, 0.15, 0.05, 0.5, 0.5, 0.5, 0.3)


# -- orientation ----------------------------------------------------------------------------------------------
#: « proche » : à 1 km, activité seulement déclarée ; « loin » : à 60 km, autorisation.
PROCHE_OU_SUR = [
    entite("proche", "CLINIQUE PROCHE", preuve("radiotherapie", "activite_declaree")),
    entite("loin", "CENTRE LOINTAIN", preuve("radiotherapie")),
]
DIST = np.array([1.0, 60.0])


def test_orientation_la_proximite_passe_devant_le_niveau_de_preuve() -> None:
    c = Comprehension(besoins=["radiotherapie"])
    assert premier(PROCHE_OU_SUR, c, POIDS, DIST) == "proche"
    assert premier(PROCHE_OU_SUR, c, orientation(proximite=1.0), DIST) == "proche"
    assert premier(PROCHE_OU_SUR, c, orientation(niveau=1.0), DIST) == "loin"


def test_orientation_sans_lieu_le_niveau_de_preuve_puis_la_pertinence() -> None:
    c = Comprehension(besoins=["radiotherapie"], texte_recherche="radiothérapie")
    assert premier(PROCHE_OU_SUR, c, POIDS) == "loin"
    assert premier(PROCHE_OU_SUR, c, orientation(niveau_sans_lieu=1.0), pertinence=[1.0, 0.0]) == "loin"
    assert premier(PROCHE_OU_SUR, c, orientation(pertinence_sans_lieu=1.0), pertinence=[1.0, 0.0]) == "proche"


def test_orientation_la_pertinence_departage_avec_un_lieu() -> None:
    c = Comprehension(besoins=["radiotherapie"], texte_recherche="radiothérapie")
    egaux = np.array([10.0, 10.0])
    assert premier(PROCHE_OU_SUR, c, orientation(pertinence=1.0), egaux, pertinence=[0.0, 1.0]) == "loin"
    assert premier(PROCHE_OU_SUR, c, orientation(pertinence=1.0), egaux, pertinence=[1.0, 0.0]) == "proche"


def test_orientation_l_offre_de_la_population_passe_devant() -> None:
    """À distance égale, l'équipe AJA pour un jeune adulte, l'équipe gériatrique pour une personne âgée."""
    entites = [
        entite("sans", "CENTRE SANS EQUIPE DEDIEE", preuve("radiotherapie")),
        entite("aja", "CENTRE AVEC UNITE AJA", preuve("radiotherapie"), preuve("aja", "liste_curee")),
    ]
    c = Comprehension(besoins=["radiotherapie"], population="aja")
    egaux = np.array([10.0, 10.0])
    assert premier(entites, c, POIDS, egaux) == "aja"
    assert premier(entites, c, orientation(population=1.0), egaux) == "aja"
    assert premier(entites, c, orientation(), egaux) == "sans"  # sans ce poids : égalité
    assert premier(entites, Comprehension(besoins=["radiotherapie"]), POIDS, egaux) == "sans"  # adulte


def test_orientation_la_couverture_des_soins_de_support() -> None:
    besoins = ["soins_support", "douleur", "palliatif"]
    entites = [
        entite("un", "EQUIPE DOULEUR", preuve("douleur")),
        entite("tous", "CENTRE DE SOINS DE SUPPORT", *(preuve(b) for b in besoins)),
    ]
    c = Comprehension(besoins=besoins)
    egaux = np.array([10.0, 10.0])
    assert premier(entites, c, POIDS, egaux) == "tous"
    assert premier(entites, c, orientation(couverture=1.0), egaux) == "tous"
    assert premier(entites, c, orientation(), egaux) == "un"


# -- second avis ----------------------------------------------------------------------------------------------
EXPERT_OU_PROCHE = [
    entite("proche", "CHU VOISIN", preuve("cancer_rare", "liste_curee", localisations=("sarcome",))),
    entite(
        "reference",
        "CENTRE DE REFERENCE",
        preuve("cancer_rare", "liste_curee", localisations=("sarcome",), reseau="NETSARC", role="centre de référence"),
    ),
]
SECOND_AVIS = Comprehension(intention="second_avis", besoins=["cancer_rare"], localisations=["sarcome"])


def test_second_avis_la_competence_passe_devant_la_distance() -> None:
    dist = np.array([1.0, 100.0])
    assert premier(EXPERT_OU_PROCHE, SECOND_AVIS, POIDS, dist) == "reference"
    assert premier(EXPERT_OU_PROCHE, SECOND_AVIS, second_avis(competence=1.0), dist) == "reference"
    assert premier(EXPERT_OU_PROCHE, SECOND_AVIS, second_avis(proximite=1.0), dist) == "proche"


def test_second_avis_un_site_identifie_et_un_grand_centre_d_abord() -> None:
    p = preuve("cancer_rare", "liste_curee", localisations=("sarcome",))
    entites = [
        entite("organisation", "RESEAU SITE NON PRECISE", p, finess=None),
        entite("site", "CENTRE", p, preuve("radiotherapie"), preuve("chirurgie")),
    ]
    assert premier(entites, SECOND_AVIS, POIDS) == "site"
    assert premier(entites, SECOND_AVIS, second_avis(site_identifie=1.0)) == "site"
    assert premier(entites, SECOND_AVIS, second_avis(importance=1.0)) == "site"
    assert premier(entites, SECOND_AVIS, second_avis()) == "organisation"


def test_second_avis_le_niveau_et_la_pertinence() -> None:
    entites = [
        entite("declaree", "A", preuve("rcp_recours", "activite_declaree")),
        entite("autorisee", "B", preuve("rcp_recours")),
    ]
    c = Comprehension(intention="second_avis", besoins=["rcp_recours"], texte_recherche="rcp")
    assert premier(entites, c, second_avis(niveau=1.0)) == "autorisee"
    assert premier(entites, c, second_avis(pertinence=1.0), pertinence=[1.0, 0.0]) == "declaree"


# -- établissement --------------------------------------------------------------------------------------------
def test_etablissement_le_nom_passe_devant_l_importance() -> None:
    entites = [
        entite("grand", "CENTRE HOSPITALIER DE PAU", *(preuve(b) for b in ("radiotherapie", "chirurgie", "tep"))),
        entite("curie", "INSTITUT CURIE"),
    ]
    c = Comprehension(intention="etablissement", nom_etablissement="Institut Curie", texte_normalise="institut curie")
    assert premier(entites, c, POIDS) == "curie"
    assert premier(entites, c, etablissement(ressemblance=1.0)) == "curie"
    assert premier(entites, c, etablissement(importance=1.0)) == "grand"


def test_etablissement_la_proximite_et_la_pertinence_departagent_les_homonymes() -> None:
    entites = [
        entite("loin", "CLINIQUE PASTEUR", commune="Toulouse"),
        entite("pres", "CLINIQUE PASTEUR", commune="Brest"),
    ]
    c = Comprehension(
        intention="etablissement", nom_etablissement="Clinique Pasteur", texte_normalise="clinique pasteur"
    )
    dist = np.array([800.0, 2.0])
    assert premier(entites, c, POIDS, dist) == "pres"
    assert premier(entites, c, etablissement(proximite=1.0), dist) == "pres"
    assert premier(entites, c, etablissement(), dist) == "loin"
    assert premier(entites, c, etablissement(pertinence=1.0), dist, pertinence=[1.0, 0.0]) == "loin"


# -- signaux ----------------------------------------------------------------------------------------------------
def test_echelle_de_proximite() -> None:
    dist, tous = np.array([10.0, 35.0, np.nan]), np.ones(3, dtype=bool)
    assert proximite_relative(dist, tous, echelle_km=25.0).tolist() == [1.0, 0.5, 0.0]
    assert proximite_relative(dist, tous, echelle_km=50.0)[1] > 0.5  # une échelle plus grande aplatit


def test_min_max_sur_les_candidats() -> None:
    scores = np.array([1.0, 3.0, 100.0])
    assert min_max(scores, np.array([True, True, False])).tolist() == [0.0, 1.0, 1.0]
    assert min_max(scores, np.zeros(3, dtype=bool)).tolist() == [0.0, 0.0, 0.0]
