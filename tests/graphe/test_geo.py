"""Lecteurs de la géographie : régions, départements, communes (extraits réels)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from graphe.geodesie import distance_km, iri_point
from graphe.sources import geo
from graphe.sources.base import Contexte, SourceIllisible
from ontologie import espaces
from ontologie.espaces import BO, GEO, SCHEMA


def _lire_tout(donnees: Path) -> tuple[Contexte, list]:
    ctx = Contexte(date(2026, 4, 1))
    lectures = [f(donnees, ctx) for f in (geo.lire_regions, geo.lire_departements, geo.lire_communes)]
    return ctx, lectures


def test_regions_et_departements_reels(donnees: Path) -> None:
    ctx, (regions, departements, _) = _lire_tout(donnees)
    assert (regions.rapport.lues, regions.rapport.gardees) == (26, 26)
    assert (departements.rapport.lues, departements.rapport.gardees) == (109, 109)
    assert ctx.regions["84"] == "Auvergne-Rhône-Alpes"
    assert ctx.departements["2A"] == "Corse-du-Sud"
    g = departements.graphe
    assert (espaces.departement("01"), RDF.type, BO.Departement) in g
    assert (espaces.departement("01"), BO.region, espaces.region("84")) in g
    assert regions.description.nom == "geo-regions" and departements.description.nom == "geo-departements"


def test_commune_reelle_complete(donnees: Path) -> None:
    ctx, (_, _, communes) = _lire_tout(donnees)
    g, r = communes.graphe, communes.rapport
    assert r.equilibre() and r.rejetees == 0
    boissey = espaces.commune("01050")
    assert (boissey, RDF.type, BO.Commune) in g
    assert set(g.objects(boissey, SCHEMA.postalCode)) == {Literal("01190"), Literal("01380")}
    assert (boissey, BO.population, Literal(396, datatype=XSD.integer)) in g
    assert (boissey, BO.departement, espaces.departement("01")) in g
    assert (boissey, BO.region, espaces.region("84")) in g
    assert (boissey, GEO.hasGeometry, iri_point(boissey)) in g
    assert (iri_point(boissey), GEO.asWKT, Literal("POINT(4.99696 46.3812)", datatype=GEO.wktLiteral)) in g
    assert g.value(boissey, SCHEMA.latitude).datatype == XSD.decimal
    info = ctx.communes["01050"]
    assert info.codes_postaux == ("01190", "01380") and info.latitude == pytest.approx(46.3812)


def test_commune_sans_point_gardee_avec_avertissement(donnees: Path) -> None:
    ctx, (_, _, communes) = _lire_tout(donnees)
    aurseulles = espaces.commune("14581")
    assert (aurseulles, RDF.type, BO.Commune) in communes.graphe
    assert communes.graphe.value(aurseulles, GEO.hasGeometry) is None
    assert ctx.communes["14581"].latitude is None
    assert any("14581" in a.raison and "sans point" in a.raison for a in communes.rapport.avertissements)


def test_codes_postaux_separateurs() -> None:
    assert geo.codes_postaux("01190 01380") == ("01190", "01380")
    assert geo.codes_postaux("01190;01380 ; 01190") == ("01190", "01380")
    assert geo.codes_postaux("") == ()


def test_commune_en_double_tronquee_et_code_invalide(donnees: Path, ajouter) -> None:
    chemin = donnees / "geo/communes.csv"
    ajouter(
        chemin,
        b"01050,Boissey,01,84,01190 01380,396,46.3812,4.99696,mairie",  # doublon
        b"01999,Tronquee,01,84",  # ligne tronquée
        b"1234,Code court,01,84,01000,10,46.0,5.0,mairie",  # code INSEE invalide
    )
    _, (_, _, communes) = _lire_tout(donnees)
    r = communes.rapport
    assert r.equilibre()
    raisons = [x.raison for x in r.rejets]
    assert any("01050 en double" in x for x in raisons)
    assert any("champs au lieu de" in x for x in raisons)
    assert any("code INSEE de commune invalide" in x for x in raisons)
    assert {x.ligne for x in r.rejets} == {len(chemin.read_bytes().splitlines()) - i for i in (2, 1, 0)}


def test_fichier_absent(tmp_path: Path) -> None:
    with pytest.raises(SourceIllisible):
        geo.lire_communes(tmp_path, Contexte(date(2026, 4, 1)))


def test_distance_km_reelle() -> None:
    # Bourg-en-Bresse (mairie) → Lyon (mairie) : environ 56 km à vol d'oiseau.
    assert distance_km(46.2052, 5.2255, 45.7676, 4.8357) == pytest.approx(57.7, abs=1.5)
    assert distance_km(45.0, 5.0, 45.0, 5.0) == 0.0
