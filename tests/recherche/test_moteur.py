"""Le moteur sur l'instantané national : contraintes dures, pédiatrie, second avis, explications, bornes.

Les preuves sont vérifiées deux fois : dans la vue du moteur (les preuves de l'entité rendue) et, sans passer par
le moteur, par SPARQL sur le store (``recherche.evaluation.entites_avec_preuve``). Aucune mesure de temps ici
(voir ``benchmarks/latence.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recherche.evaluation import charger_questions, evaluer
from recherche.moteur import LIMITE_MAX, QuestionInvalide

RACINE = Path(__file__).resolve().parents[2]
DEV = RACINE.parent / "shared" / "eval" / "questions_dev.jsonl"
BOUSSOLE = RACINE / "benchmarks" / "questions_boussole.jsonl"

CONTRAINTES = [
    ("radiotherapie", "radiothérapie à Limoges"),
    ("radiotherapie", "rayons près de Mende"),
    ("radiotherapie", "radiotherapie 29000"),
    ("chimiotherapie", "chimio à Aurillac"),
    ("chimiotherapie", "chimiothérapie près de Lille"),
    ("chirurgie", "chirurgie du cancer à Angers"),
    ("chirurgie", "opération d'un cancer près de Gap"),
    ("tep", "TEP-scan à Ajaccio"),
    ("tep", "pet scan Montpellier"),
    ("palliatif", "soins palliatifs à Quimper"),
    ("palliatif", "soins palliatifs près de Mende"),
    ("douleur", "consultation douleur à Rodez"),
    ("douleur", "structure douleur chronique Dijon"),
    ("geriatrie", "évaluation gériatrique, patient de 85 ans, Brest"),
    ("geriatrie", "oncogériatrie à Perpignan"),
]


def _entites(moteur) -> dict[str, object]:
    return {e.iri: e for e in moteur.index.entites}


def _a_preuve(entite, besoin: str) -> bool:
    return any(p.besoin == besoin and not p.inactive for p in entite.preuves)


@pytest.mark.parametrize(("besoin", "question"), CONTRAINTES)
def test_chaque_resultat_a_une_preuve_du_besoin(moteur, preuves_sparql, besoin, question):
    reponse = moteur.demander(question, limite=10)
    assert besoin in reponse.comprehension["besoins"], reponse.comprehension
    assert reponse.resultats, reponse.remarques
    entites = _entites(moteur)
    avec_preuve = preuves_sparql(besoin)
    for r in reponse.resultats:
        assert _a_preuve(entites[r.iri], besoin), f"{r.finess} {r.nom} sans preuve de {besoin} (vue du moteur)"
        assert r.iri in avec_preuve, f"{r.finess} {r.nom} sans preuve de {besoin} dans le graphe (SPARQL)"


def test_enfant_seulement_des_offres_pediatriques(moteur, preuves_sparql):
    reponse = moteur.demander("enfant de 10 ans, radiothérapie, Lyon", limite=10)
    assert reponse.comprehension["population"] == "enfant"
    assert reponse.resultats
    entites = _entites(moteur)
    for r in reponse.resultats:
        assert _a_preuve(entites[r.iri], "pediatrie"), f"{r.finess} {r.nom} sans prise en charge pédiatrique"
        assert r.iri in preuves_sparql("pediatrie")
        assert r.iri in preuves_sparql("radiotherapie")


@pytest.mark.parametrize("limite", [5, LIMITE_MAX])
def test_second_avis_exclut_l_equipe_en_charge(moteur, limite):
    reponse = moteur.demander("second avis sarcome, patiente suivie au Centre Léon Bérard", limite=limite)
    assert reponse.comprehension["intention"] == "second_avis"
    finess = [r.finess for r in reponse.resultats]
    assert finess, reponse.remarques
    assert "690000880" not in finess


@pytest.mark.parametrize(
    "question",
    [
        "radiothérapie près de Quimper",
        "enfant de 8 ans, chimiothérapie, près de Lille",
        "second avis sarcome, patient suivi à Nantes",
        "Institut Bergonié",
        "préservation de la fertilité près de Clermont-Ferrand",
        "évaluation gériatrique, patient de 86 ans, Reims",
    ],
)
def test_chaque_resultat_est_explique_avec_source_et_date(moteur, question):
    reponse = moteur.demander(question, limite=10)
    assert reponse.resultats
    for r in reponse.resultats:
        assert r.raisons, f"{r.finess} {r.nom} sans raison"
        for raison in r.raisons:
            assert raison.fait.strip()
            assert raison.source.strip(), f"{r.finess} : raison sans source : {raison.fait}"
            assert raison.date.strip(), f"{r.finess} : raison sans date : {raison.fait}"


def test_rayon_impossible_dit_ou_est_le_plus_proche(moteur):
    # (« à moins de 1 km de Gap » ne convient pas : le CHICAS de Gap a un TEP à 0,5 km du point de la commune)
    reponse = moteur.demander("TEP-scan à moins de 5 km de Briançon", limite=5)
    assert reponse.comprehension["rayon_km"] == 5
    assert any("le plus proche est à" in r for r in reponse.remarques), reponse.remarques


@pytest.mark.xfail(
    reason="classement : la proximité sature au-delà de ~100 km (ECHELLE_KM = 25), le plus "
    "proche n'est pas en tête et la remarque donne la distance du premier rendu, pas du plus proche"
)
@pytest.mark.parametrize(
    ("question", "plus_proche"),
    [
        ("radiothérapie près de Mende", "430000117"),  # CH Émile Roux, Le Puy : 66 km
        ("où passer un TEP à Ajaccio ?", "060789195"),  # CHU de Nice l'Archet : 233 km
    ],
)
def test_loin_de_tout_le_plus_proche_reste_en_tete(moteur, question, plus_proche):
    reponse = moteur.demander(question, limite=5)
    finess = [r.finess for r in reponse.resultats]
    assert plus_proche in finess[:2], finess
    distances = [float(x) for m in reponse.remarques for x in re.findall(r"est à (\d+) km", m)]
    proche = min(r.distance_km for r in reponse.resultats)
    assert all(abs(d - proche) <= 1 for d in distances), (distances, proche)


@pytest.mark.parametrize(
    ("question", "limite"),
    [
        ("", 5),
        ("   ", 5),
        ("radiothérapie " * 715, 5),
        ("x" * 10_000, 5),
        ("radiothérapie à Lyon", 0),
        ("radiothérapie à Lyon", 500),
        ("radiothérapie à Lyon", -1),
    ],
)
def test_entree_invalide(moteur, question, limite):
    with pytest.raises(QuestionInvalide):
        moteur.demander(question, limite=limite)


@pytest.mark.skipif(not DEV.exists(), reason="jeu de développement absent (../shared/eval)")
def test_jeu_de_developpement(moteur, store_national):
    (bilan,) = evaluer(moteur, store_national, charger_questions(DEV))
    chiffres = bilan.chiffres
    assert chiffres["hit@5"] >= 0.9, chiffres
    assert chiffres["violations"] == 0, [m.violations for m in bilan.mesures if m.violations]


def test_jeu_boussole_hit5(moteur, store_national):
    (bilan,) = evaluer(moteur, store_national, charger_questions(BOUSSOLE))
    assert bilan.chiffres["hit@5"] >= 0.9, bilan.chiffres


@pytest.mark.xfail(
    reason="« conservation des ovocytes » n'est pas reconnu comme préservation de la fertilité : "
    "sans besoin compris, aucune contrainte n'est appliquée"
)
def test_jeu_boussole_sans_violation(moteur, store_national):
    (bilan,) = evaluer(moteur, store_national, charger_questions(BOUSSOLE))
    assert bilan.chiffres["violations"] == 0, [(m.id, m.violations) for m in bilan.mesures if m.violations]
