"""Lecteur SAE ID 2023 : sites, entités juridiques, adresses, rattachement aux communes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from graphe.sources import geo
from graphe.sources.base import Contexte, SourceIllisible
from graphe.sources.sae import identite
from ontologie import espaces
from ontologie.espaces import BO, SCHEMA


def _lire(donnees: Path):
    ctx = Contexte(date(2026, 4, 1))
    for f in (geo.lire_regions, geo.lire_departements, geo.lire_communes):
        f(donnees, ctx)
    return ctx, identite.lire(donnees, ctx)


def test_site_reel_fleyriat(donnees: Path) -> None:
    ctx, lecture = _lire(donnees)
    g = lecture.graphe
    site = espaces.etablissement("010000024")
    assert (site, RDF.type, BO.Etablissement) in g
    assert (site, SCHEMA.name, Literal("CH DE FLEYRIAT")) in g
    assert (site, BO.finess, Literal("010000024")) in g
    assert (site, BO.entiteJuridique, espaces.entite_juridique("010780054")) in g
    assert (espaces.entite_juridique("010780054"), RDF.type, BO.EntiteJuridique) in g
    assert (site, BO.categorie, espaces.concept("categorie-etablissement", "355")) in g
    assert (site, BO.statutJuridique, espaces.concept("statut-juridique", "13")) in g
    assert (site, BO.commune, espaces.commune("01451")) in g  # Viriat
    adresse = g.value(site, SCHEMA.address)
    assert str(adresse) == str(site) + "/adresse"
    assert (adresse, SCHEMA.streetAddress, Literal("900 RTE DE PARIS")) in g
    assert (adresse, SCHEMA.postalCode, Literal("01440")) in g
    info = ctx.etablissements["010000024"]
    assert (info.nom, info.finess_ej, info.commune, info.categorie) == (
        "CH DE FLEYRIAT",
        "010780054",
        "01451",
        "355",
    )
    assert lecture.description.nom == "sae-id-2023"
    assert lecture.rapport.equilibre() and lecture.rapport.rejetees == 0


@pytest.mark.parametrize(
    ("finess", "commune"),
    [
        ("970100012", "97101"),  # code SAE 9A101 → INSEE 97101 (Les Abymes)
        ("620000117", "62447"),  # Marconne → Hesdin-la-Forêt
        ("690023098", "69149"),  # Pierre-Bénite → Oullins-Pierre-Bénite
        ("970100384", "97701"),  # 9A123 (ancien code) → Saint-Barthélemy
    ],
)
def test_rattachement_communes_reelles(donnees: Path, finess: str, commune: str) -> None:
    ctx, lecture = _lire(donnees)
    assert ctx.etablissements[finess].commune == commune
    assert (espaces.etablissement(finess), BO.commune, espaces.commune(commune)) in lecture.graphe


def test_commune_inconnue_site_garde_sans_commune(donnees: Path, ajouter, ligne) -> None:
    chemin = donnees / "sae/ID_2023r.csv"
    brute = ligne(chemin, b"ID;2023;010000032;")
    ajouter(
        chemin,
        brute.replace(b"010000032", b"010999999").replace(b";01034;", b";01999;").replace(b"01300", b"99999"),
    )
    ctx, lecture = _lire(donnees)
    assert ctx.etablissements["010999999"].commune == ""
    assert lecture.graphe.value(espaces.etablissement("010999999"), BO.commune) is None
    assert any("01999" in a.raison and "sans commune" in a.raison for a in lecture.rapport.avertissements)


def test_erreurs_ligne_par_ligne(donnees: Path, ajouter, ligne) -> None:
    chemin = donnees / "sae/ID_2023r.csv"
    brute = ligne(chemin, b"ID;2023;010000024;")
    ajouter(
        chemin,
        brute,  # doublon
        brute.replace(b"010000024", b"01000002X"),  # FINESS invalide
        b"ID;2023;010000099;CH TRONQUE",  # tronquée
        brute.replace(b"010000024", b"010000098").replace(
            b"CH DE FLEYRIAT", "CH DE FLEYRIAT É".encode()
        ),  # UTF-8
    )
    n = len(chemin.read_bytes().splitlines())
    _, lecture = _lire(donnees)
    r = lecture.rapport
    assert r.equilibre() and r.rejetees == 4
    par_ligne = {x.ligne: x.raison for x in r.rejets}
    assert "ligne en double" in par_ligne[n - 3]
    assert "FINESS invalide" in par_ligne[n - 2]
    assert "champs au lieu de" in par_ligne[n - 1]
    assert "UTF-8" in par_ligne[n]


def test_fichier_absent(tmp_path: Path) -> None:
    with pytest.raises(SourceIllisible):
        identite.lire(tmp_path, Contexte(date(2026, 4, 1)))


def test_code_insee_sae() -> None:
    assert identite.code_insee_sae("9D411") == "97411"
    assert identite.code_insee_sae("2A004") == "2A004"
    assert identite.code_insee_sae("01451") == "01451"
