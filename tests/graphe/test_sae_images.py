"""Lecteur SAE IMAGES 2023 : équipements déclarés (preuves) et valeurs brutes (jamais preuves)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from graphe.sources.base import Contexte, SourceIllisible
from graphe.sources.sae.tables import IMAGES
from ontologie import espaces
from ontologie.espaces import BO


def test_fleyriat_irm_preuve_radio_valeur_brute(donnees: Path, contexte: Contexte, verifier_preuves) -> None:
    lecture = IMAGES.lire(donnees, contexte)
    g = lecture.graphe
    irm = espaces.preuve("equipement-declare", "sae-images-2023", "010000024", "IRM")
    assert (irm, RDF.type, BO.EquipementDeclare) in g
    assert (irm, BO.nombre, Literal(3)) in g
    assert (irm, BO.besoin, espaces.concept("besoin", "irm")) in g
    assert (irm, BO.typeEquipement, espaces.concept("equipement", "IRM")) in g
    radio = espaces.preuve("valeur-enquete", "sae-images-2023", "010000024", "NB_RADIO")
    assert (radio, RDF.type, BO.ValeurEnquete) in g
    assert (radio, RDF.type, BO.EquipementDeclare) not in g
    assert verifier_preuves(g) > 0
    for noeud in g.subjects(BO.typeEquipement, espaces.concept("equipement", "TOMO")):
        if (noeud, RDF.type, BO.EquipementDeclare) in g:
            assert (noeud, BO.sensInfere, Literal(True)) in g
            assert (noeud, BO.besoin, espaces.concept("besoin", "tep")) in g


def test_nb_vide_rejete_et_doublon_par_type(donnees: Path, contexte: Contexte, ajouter, ligne) -> None:
    chemin = donnees / "sae/IMAGES_2023r.csv"
    ajouter(chemin, ligne(chemin, b"IMAGES;2023;010000024;CH DE FLEYRIAT;010780054;IRM;"))
    r = IMAGES.lire(donnees, contexte).rapport
    assert r.equilibre()
    raisons = [x.raison for x in r.rejets]
    assert "NB vide (FINESS 770000446, TOMO)" in raisons
    assert any("ligne en double : même clé 010000024 / IRM" in x for x in raisons)


def test_fichier_absent(tmp_path: Path, contexte: Contexte) -> None:
    with pytest.raises(SourceIllisible):
        IMAGES.lire(tmp_path, contexte)
