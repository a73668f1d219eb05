"""Lecteur Eurostat : point vérifié contre la commune, repli sur la commune (crédité aux communes, pas à
Eurostat), sites non géolocalisés."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from graphe.geodesie import iri_point
from graphe.sources import eurostat
from graphe.sources.base import Contexte, SourceIllisible
from ontologie import espaces
from ontologie.espaces import BO, GEO, SCHEMA


def _point(g, finess: str):
    """Le nœud géométrie du site (pour geo:asWKT) ; les autres propriétés sont sur le site."""
    site = espaces.etablissement(finess)
    noeud = g.value(site, GEO.hasGeometry)
    assert noeud is None or noeud == iri_point(site)
    return noeud


def _lire(donnees: Path, contexte: Contexte):
    """(lecture Eurostat, lecture des replis, union des deux graphes)."""
    lecture, repli = eurostat.lire(donnees, contexte)
    return lecture, repli, lecture.graphe + repli.graphe


def test_point_eurostat_verifie_fleyriat(donnees: Path, contexte: Contexte) -> None:
    lecture, _, g = _lire(donnees, contexte)
    p, site = _point(g, "010000024"), espaces.etablissement("010000024")
    assert (p, GEO.asWKT, Literal("POINT(5.20879 46.2222)", datatype=GEO.wktLiteral)) in g
    assert (site, SCHEMA.latitude, Literal("46.2222", datatype=XSD.decimal)) in g
    assert (site, BO.precisionGeo, Literal("etablissement")) in g
    assert float(g.value(site, BO.ecartCommuneKm)) < eurostat.SEUIL_KM
    assert lecture.description.nom == "eurostat-geoloc"


@pytest.mark.parametrize("finess", ["010000081", "680004546"])  # Gex : 114 km ; Mulhouse : 767 km
def test_point_faux_repli_sur_la_commune(donnees: Path, contexte: Contexte, finess: str) -> None:
    lecture, repli, g = _lire(donnees, contexte)
    site = espaces.etablissement(finess)
    # le point de repli est celui de la commune : crédité au référentiel des communes, pas à Eurostat ;
    # l'écart au point Eurostat écarté est un fait sur Eurostat, il reste dans son graphe
    assert (site, SCHEMA.latitude, None) in repli.graphe and (site, SCHEMA.latitude, None) not in lecture.graphe
    assert (site, BO.ecartCommuneKm, None) in lecture.graphe
    assert repli.description.nom == eurostat.SOURCE_REPLI and "INSEE" in repli.description.editeur
    assert _point(g, finess) is not None
    assert (site, BO.precisionGeo, Literal("commune")) in g
    commune = contexte.communes[contexte.etablissements[finess].commune]
    assert float(g.value(site, SCHEMA.latitude)) == pytest.approx(commune.latitude)
    assert float(g.value(site, BO.ecartCommuneKm)) > 100
    assert any(
        finess in x.raison and "repli sur le point de la commune" in x.raison for x in lecture.rapport.rejets
    )


def test_site_absent_d_eurostat_et_site_non_geolocalise(donnees: Path, contexte: Contexte) -> None:
    lecture, repli, g = _lire(donnees, contexte)
    absent = espaces.etablissement("010005379")  # absent d'Eurostat
    assert _point(g, "010005379") is not None
    assert (absent, BO.precisionGeo, Literal("commune")) in repli.graphe and g.value(absent, BO.ecartCommuneKm) is None
    # une « ligne gardée » du repli est un site placé au point de sa commune
    places = set(repli.graphe.subjects(BO.precisionGeo, Literal("commune")))
    assert repli.rapport.gardees == repli.rapport.lues == len(places) > 0
    assert _point(g, "970107587") is None  # Saint-Martin : ni Eurostat ni point de commune
    assert any(
        "970107587" in a.raison and "non géolocalisé" in a.raison for a in lecture.rapport.avertissements
    )
    # Saint-Barthélemy : commune sans point, point Eurostat gardé sans vérification
    assert _point(g, "970100384") is not None
    assert (espaces.etablissement("970100384"), BO.precisionGeo, Literal("etablissement")) in g


def test_comptage_hors_perimetre(donnees: Path, contexte: Contexte) -> None:
    r = eurostat.lire(donnees, contexte)[0].rapport
    lignes = (donnees / eurostat.FICHIER).read_bytes().splitlines()[1:]
    dans_sae = [x for x in lignes if x.split(b",")[0].decode().zfill(9) in contexte.etablissements]
    assert r.lues == len(dans_sae) and r.equilibre()
    assert any(
        f"{len(lignes) - len(dans_sae)} lignes Eurostat hors périmètre" in a.raison for a in r.avertissements
    )


def test_erreurs(donnees: Path, contexte: Contexte, ajouter, ligne) -> None:
    chemin = donnees / eurostat.FICHIER
    fleyriat = ligne(chemin, b"10000024,")
    ajouter(
        chemin,
        fleyriat,  # doublon
        fleyriat.replace(b",46.2222,5.20879,", b",,5.20879,"),  # coordonnées absentes (doublon aussi)
        b"10000032,CH TRONQUE",
        b"1X000032" + fleyriat[8:],
    )
    r = eurostat.lire(donnees, contexte)[0].rapport
    assert r.equilibre()
    raisons = " | ".join(x.raison for x in r.rejets)
    assert "en double" in raisons and "champs au lieu de" in raisons and "pas un FINESS" in raisons


def test_finess_eurostat() -> None:
    assert eurostat.finess_eurostat("10000024") == "010000024"
    assert eurostat.finess_eurostat("2A0000022") == "2A0000022"
    assert eurostat.finess_eurostat("750100018") == "750100018"


def test_fichier_absent(tmp_path: Path, contexte: Contexte) -> None:
    with pytest.raises(SourceIllisible):
        eurostat.lire(tmp_path, contexte)
