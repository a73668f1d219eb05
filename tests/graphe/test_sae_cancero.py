"""Lecteur SAE CANCERO 2023 / 2022 (sens inférés, partenaires, sites absents de l'ID 2023)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from graphe.sources.base import Contexte, SourceIllisible
from graphe.sources.sae.cancero import CANCERO_2022, CANCERO_2023
from ontologie import espaces
from ontologie.espaces import BO


def test_fleyriat_2023_chimio_radio_inferees(donnees: Path, contexte: Contexte, verifier_preuves) -> None:
    lecture = CANCERO_2023.lire(donnees, contexte)
    g = lecture.graphe
    for var, besoin in (("CANCERO_A1", "chimiotherapie"), ("CANCERO_A2", "radiotherapie")):
        noeud = espaces.preuve("activite-declaree", "sae-cancero-2023", "010000024", var)
        assert (noeud, RDF.type, BO.ActiviteDeclaree) in g
        assert (noeud, BO.besoin, espaces.concept("besoin", besoin)) in g
        assert (noeud, BO.sensInfere, Literal(True)) in g
    machines = espaces.preuve("valeur-enquete", "sae-cancero-2023", "010000024", "CANCERO_A12")
    assert (machines, RDF.type, BO.ValeurEnquete) in g
    assert (machines, BO.valeur, Literal("2")) in g
    # le compte est aussi un nombre (somme sans conversion) ; un FINESS partenaire jamais
    assert g.value(machines, BO.valeurNombre) == Literal(2, datatype=XSD.integer)
    assert all(g.value(s, BO.valeurNombre) is None for s in g.subjects(BO.variable, Literal("CANCERO_A8")))
    assert verifier_preuves(g) > 0
    assert lecture.description.nom == "sae-cancero-2023" and lecture.rapport.equilibre()


def test_partenaires(donnees: Path, contexte: Contexte) -> None:
    lecture = CANCERO_2023.lire(donnees, contexte)
    g = lecture.graphe
    # Ambérieu déclare 690023411, un site de la SAE : lien de site (sens inféré)
    amberieu = espaces.etablissement("010780203")
    assert (amberieu, BO.sitePartenaire, espaces.etablissement("690023411")) in g
    # Haut Bugey déclare 010780054, l'entité juridique de Fleyriat : valeur gardée, pas de lien de site
    haut_bugey = espaces.etablissement("010005239")
    assert g.value(haut_bugey, BO.sitePartenaire) is None
    brute = espaces.preuve("valeur-enquete", "sae-cancero-2023", "010005239", "CANCERO_A8")
    assert (brute, BO.valeur, Literal("010780054")) in g
    avertissements = [a.raison for a in lecture.rapport.avertissements]
    assert any("010780054 (FINESS d'entité juridique)" in a for a in avertissements)
    # Bugey Sud déclare 730000015, inconnu de l'extrait (ni site ni entité) : dit comme tel
    assert g.value(espaces.etablissement("010000032"), BO.sitePartenaire) is None
    assert any("730000015 (FINESS absent de la SAE ID 2023)" in a for a in avertissements)


def test_2022_site_absent_de_l_id_2023_rejete(donnees: Path, contexte: Contexte) -> None:
    lecture = CANCERO_2022.lire(donnees, contexte)
    r = lecture.rapport
    assert lecture.description.nom == "sae-cancero-2022" and r.equilibre()
    assert sorted(x.raison for x in r.rejets) == [
        "site absent de la SAE ID 2023 (FINESS 290000207)",
        "site absent de la SAE ID 2023 (FINESS 2A0000022)",
    ]
    assert not list(lecture.graphe.triples((None, BO.etablissement, espaces.etablissement("290000207"))))
    noeud = espaces.preuve("activite-declaree", "sae-cancero-2022", "010000024", "CANCERO_A2")
    assert (noeud, BO.anneeEnquete, Literal("2022", datatype=XSD.gYear)) in lecture.graphe


def test_valeur_illisible_et_annee(donnees: Path, contexte: Contexte, ajouter, ligne) -> None:
    chemin = donnees / "sae/CANCERO_2023r.csv"
    brute = ligne(chemin, b"CANCERO;2023;010000032;")
    chemin.write_bytes(
        chemin.read_bytes().replace(brute, brute.replace(b";010780062;1;0;", b";010780062;oui;0;"))
    )
    ajouter(chemin, brute.replace(b"CANCERO;2023;010000032", b"CANCERO;2022;010780203"))
    r = CANCERO_2023.lire(donnees, contexte).rapport
    assert r.equilibre()
    raisons = [x.raison for x in r.rejets]
    assert any("valeur illisible" in x and "010000032" in x for x in raisons)
    assert any("année d'enquête '2022' au lieu de 2023" in x for x in raisons)


def test_fichier_absent(tmp_path: Path, contexte: Contexte) -> None:
    with pytest.raises(SourceIllisible):
        CANCERO_2022.lire(tmp_path, contexte)


def _mettre_a_zero(chemin: Path, finess: str, variable: str) -> None:
    """Réécrit la case ``variable`` de la ligne du site à 0 (octets de l'extrait gardés ailleurs)."""
    lignes = chemin.read_bytes().split(b"\n")
    rang = lignes[0].decode("latin-1").split(";").index(variable)
    for i, ligne in enumerate(lignes):
        champs = ligne.split(b";")
        if len(champs) > rang and champs[2] == finess.encode():
            champs[rang] = b"0"
            lignes[i] = b";".join(champs)
    chemin.write_bytes(b"\n".join(lignes))


def test_2022_contredite_par_2023_reste_l_histoire_mais_plus_une_preuve(donnees: Path, contexte: Contexte) -> None:
    # Fleyriat déclare la radiothérapie en 2022 ; on lui fait répondre 2023 sans la déclarer (chimio gardée)
    _mettre_a_zero(donnees / "sae/CANCERO_2023r.csv", "010000024", "CANCERO_A2")
    CANCERO_2023.lire(donnees, contexte)
    g = CANCERO_2022.lire(donnees, contexte).graphe
    recente = espaces.source("sae-cancero-2023")
    radio = espaces.preuve("activite-declaree", "sae-cancero-2022", "010000024", "CANCERO_A2")
    chimio = espaces.preuve("activite-declaree", "sae-cancero-2022", "010000024", "CANCERO_A1")
    assert (radio, RDF.type, BO.ActiviteDeclaree) in g  # gardée : l'évolution se voit dans les analyses
    assert (radio, BO.contreditePar, recente) in g
    assert (chimio, BO.contreditePar, None) not in g  # encore déclarée en 2023 : pas contredite
    # un site qui n'a pas répondu à CANCERO 2023 n'est contredit en rien : se taire n'est pas dire 0
    repondants_2023 = contexte.declarations_sae["sae-cancero-2023"]
    for noeud, _, _ in g.triples((None, BO.contreditePar, None)):
        finess = str(g.value(noeud, BO.etablissement)).rsplit("/", 1)[-1]
        assert finess in repondants_2023
        assert str(g.value(noeud, BO.variable)) not in repondants_2023[finess]


def test_2022_lue_sans_l_edition_2023_ne_contredit_rien(donnees: Path, contexte: Contexte) -> None:
    g = CANCERO_2022.lire(donnees, contexte).graphe
    assert not list(g.triples((None, BO.contreditePar, None)))
