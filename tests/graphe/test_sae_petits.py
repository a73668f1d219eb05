"""Lecteurs SAE PALIA, DOULEUR, MCOGER, MCOPED (faits réels du CH de Fleyriat et rejets réels)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from graphe.sources.base import Contexte, SourceIllisible
from graphe.sources.sae.tables import DOULEUR, MCOGER, MCOPED, PALIA
from ontologie import espaces
from ontologie.espaces import BO

LECTEURS = (PALIA.lire, DOULEUR.lire, MCOGER.lire, MCOPED.lire)


def test_palia_valeur_brute(donnees: Path, contexte: Contexte, verifier_preuves) -> None:
    lecture = PALIA.lire(donnees, contexte)
    g = lecture.graphe
    noeud = espaces.preuve("valeur-enquete", "sae-palia-2023", "010000024", "PALIA_A1")
    assert (noeud, RDF.type, BO.ValeurEnquete) in g and (noeud, BO.valeur, Literal("1")) in g
    assert verifier_preuves(g) == 0
    assert [x.raison for x in lecture.rapport.rejets] == ["PALIA_A1 vide : rien à garder (FINESS 910000272)"]


def test_douleur_consultation(donnees: Path, contexte: Contexte, verifier_preuves) -> None:
    lecture = DOULEUR.lire(donnees, contexte)
    g = lecture.graphe
    noeud = espaces.preuve("activite-declaree", "sae-douleur-2022", "010000024", "STRUCTURE")
    assert (noeud, BO.besoin, espaces.concept("besoin", "douleur")) in g
    assert (noeud, BO.activite, espaces.concept("activite-sae", "DOULEUR_STRUCTURE")) in g
    assert (noeud, BO.typeStructure, Literal("Consultation")) in g
    assert (
        str(g.value(noeud, RDFS.label)) == "Structure douleur chronique (Consultation) déclarée à la SAE 2022"
    )
    assert verifier_preuves(g) >= 1
    raisons = sorted(x.raison for x in lecture.rapport.rejets)
    assert raisons == [
        "STRUCTURE '' : ni Consultation ni Centre (FINESS 850000209)",
        "site absent de la SAE ID 2023 (FINESS 2A0000022)",
    ]


def test_mcoger_fleyriat(donnees: Path, contexte: Contexte, verifier_preuves) -> None:
    g = MCOGER.lire(donnees, contexte).graphe
    for var in ("EMGER", "UGER", "EVALIH", "EVALEH"):
        noeud = espaces.preuve("activite-declaree", "sae-mcoger-2023", "010000024", var)
        assert (noeud, BO.besoin, espaces.concept("besoin", "geriatrie")) in g, var
    evalih = espaces.preuve("activite-declaree", "sae-mcoger-2023", "010000024", "EVALIH")
    assert "déclarées : 106" in str(g.value(evalih, RDFS.label))
    assert verifier_preuves(g) >= 4


def test_mcoped_fleyriat(donnees: Path, contexte: Contexte, verifier_preuves) -> None:
    g = MCOPED.lire(donnees, contexte).graphe
    for var in ("SPED", "UPED"):
        noeud = espaces.preuve("activite-declaree", "sae-mcoped-2023", "010000024", var)
        assert (noeud, BO.besoin, espaces.concept("besoin", "pediatrie")) in g
    assert verifier_preuves(g) >= 2


@pytest.mark.parametrize("lecteur", LECTEURS)
def test_doublon_finess_invalide_tronquee(lecteur, donnees: Path, contexte: Contexte, ajouter) -> None:
    lecture_saine = lecteur(donnees, contexte)
    chemin = donnees / lecture_saine.rapport.fichier
    brute = next(x for x in chemin.read_bytes().splitlines() if b";010000024;" in x)
    ajouter(chemin, brute, brute.replace(b"010000024", b"ABC000024"), brute[:30])
    r = lecteur(donnees, contexte).rapport
    assert r.equilibre()
    nouveaux = r.rejets[-3:] if r.rejets[-1].ligne > r.rejets[0].ligne else r.rejets
    raisons = " | ".join(x.raison for x in sorted(nouveaux, key=lambda x: x.ligne)[-3:])
    assert "ligne en double" in raisons and "FINESS invalide" in raisons and "champs au lieu de" in raisons


@pytest.mark.parametrize("lecteur", LECTEURS)
def test_fichier_absent(lecteur, tmp_path: Path, contexte: Contexte) -> None:
    with pytest.raises(SourceIllisible):
        lecteur(tmp_path, contexte)
