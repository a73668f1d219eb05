"""Lecteur SAE FILTRE 2023 (et, à travers lui, les contrôles communs de ``graphe/sources/sae/commun.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from graphe.sources.base import Contexte, SourceIllisible
from graphe.sources.sae.tables import FILTRE
from ontologie import espaces
from ontologie.espaces import BO

RTH_FLEYRIAT = espaces.preuve("activite-declaree", "sae-filtre-2023", "010000024", "RTH")


def test_fleyriat_radiotherapie_declaree_jamais_autorisation(
    donnees: Path, contexte: Contexte, verifier_preuves
) -> None:
    lecture = FILTRE.lire(donnees, contexte)
    g = lecture.graphe
    assert (RTH_FLEYRIAT, RDF.type, BO.ActiviteDeclaree) in g
    assert (RTH_FLEYRIAT, RDF.type, BO.Autorisation) not in g
    assert (RTH_FLEYRIAT, BO.etablissement, espaces.etablissement("010000024")) in g
    assert (RTH_FLEYRIAT, BO.besoin, espaces.concept("besoin", "radiotherapie")) in g
    assert (RTH_FLEYRIAT, BO.activite, espaces.concept("activite-sae", "RTH")) in g
    assert (RTH_FLEYRIAT, BO.anneeEnquete, Literal("2023", datatype=XSD.gYear)) in g
    assert (RTH_FLEYRIAT, BO.niveauPreuve, Literal("activite_declaree")) in g
    assert str(g.value(RTH_FLEYRIAT, RDFS.label)) == "Radiothérapie déclarée à la SAE 2023 (variable RTH = 1)"
    # CH Bugey Sud : pas de radiothérapie déclarée (RTH = 0)
    assert (espaces.preuve("activite-declaree", "sae-filtre-2023", "010000032", "RTH"), None, None) not in g
    assert verifier_preuves(g) > 0
    assert lecture.description.nom == "sae-filtre-2023"


def test_seules_les_lignes_decla_comptent(donnees: Path, contexte: Contexte) -> None:
    lecture = FILTRE.lire(donnees, contexte)
    r = lecture.rapport
    chemin = donnees / "sae/FILTRE_2023r.csv"
    decla = sum(1 for x in chemin.read_bytes().splitlines()[1:] if b";DECLA;" in x)
    init = sum(1 for x in chemin.read_bytes().splitlines()[1:] if b";INIT;" in x)
    assert r.lues == decla and r.equilibre()
    assert any(a.ligne == 0 and f"{init} lignes ignorées" in a.raison for a in r.avertissements)


def test_erreurs_ligne_par_ligne(donnees: Path, contexte: Contexte, ajouter, ligne) -> None:
    chemin = donnees / "sae/FILTRE_2023r.csv"
    decla = ligne(chemin, b"FILTRE;2023;010000024;CH DE FLEYRIAT;010780054;DECLA;")
    ajouter(
        chemin,
        decla,  # doublon
        decla.replace(b"010000024", b"01000002"),  # FINESS invalide
        decla.replace(b"010000024", b"290000207"),  # site absent de l'ID 2023
        decla[:60],  # tronquée
        decla.replace(b"CH DE FLEYRIAT", "CH DE FLEYRIAT É".encode()),  # UTF-8 dans un fichier latin-1
        decla.replace(b";DECLA;1;", b";DECLA;x;"),  # même site une 3e fois : doublon avant toute valeur
        decla.replace(b"010000024", b"010000032").replace(b";DECLA;", b";INIT;"),  # INIT : ignorée
    )
    n = len(chemin.read_bytes().splitlines())
    r = FILTRE.lire(donnees, contexte).rapport
    assert r.equilibre()
    par_ligne = {x.ligne: x.raison for x in r.rejets}
    assert "ligne en double" in par_ligne[n - 6]
    assert "FINESS invalide" in par_ligne[n - 5]
    assert "site absent de la SAE ID 2023" in par_ligne[n - 4]
    assert "champs au lieu de" in par_ligne[n - 3]
    assert "UTF-8" in par_ligne[n - 2]
    assert "ligne en double" in par_ligne[n - 1]  # même site : le doublon prime sur la valeur
    assert n not in par_ligne


def test_valeur_invalide_rejetee(donnees: Path, contexte: Contexte, ajouter, ligne) -> None:
    chemin = donnees / "sae/FILTRE_2023r.csv"
    texte = chemin.read_bytes()
    decla = ligne(chemin, b"FILTRE;2023;010000032;CH BUGEY SUD;010780062;DECLA;")
    champs = decla.split(b";")
    entete = texte.splitlines()[0].split(b";")
    champs[entete.index(b"RTH")] = b"2"
    chemin.write_bytes(texte.replace(decla, b";".join(champs)))
    r = FILTRE.lire(donnees, contexte).rapport
    assert any("valeur non 0/1 : RTH='2'" in x.raison for x in r.rejets)
    assert r.equilibre()


def test_fichier_absent(tmp_path: Path, contexte: Contexte) -> None:
    with pytest.raises(SourceIllisible):
        FILTRE.lire(tmp_path, contexte)
