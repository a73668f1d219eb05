"""Un petit instantané réaliste (modèle de MODELE.md) et des applications de test aux délais courts."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import creer_app
from api.reglages import Reglages
from graphe.instantane import ouvrir
from ontologie import espaces

BO = str(espaces.BO)
SCHEMA = str(espaces.SCHEMA)
GEO = str(espaces.GEO)
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS_PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
DCAT = "http://www.w3.org/ns/dcat#"

#: Triplets de remplissage : de quoi faire exploser un produit cartésien (3000³).
REMPLISSAGE = 3000
#: Littéraux longs pour l'expression rationnelle catastrophique.
LONGUEUR_CHAINE = 20_000


def n(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def lit(valeur, type_: str | None = None, langue: str | None = None) -> ox.Literal:
    if langue:
        return ox.Literal(str(valeur), language=langue)
    return ox.Literal(str(valeur), datatype=ox.NamedNode(XSD + type_)) if type_ else ox.Literal(str(valeur))


def _quads() -> list[ox.Quad]:
    g_meta = n(espaces.GRAPHE_META)
    g_onto = n(espaces.GRAPHE_ONTOLOGIE)
    g_geo = n(espaces.source("geo-communes"))
    g_reg = n(espaces.source("geo-regions"))
    g_sae = n(espaces.source("sae-id-2023"))
    g_eur = n(espaces.source("eurostat-geoloc"))
    g_aut = n(espaces.source("finess-autorisations"))
    g_rem = n(espaces.source("remplissage"))
    q: list[ox.Quad] = []

    def add(s, p, o, g) -> None:
        q.append(ox.Quad(n(s) if not isinstance(s, ox.NamedNode) else s, n(p), o, g))

    # Sources décrites dans src:meta
    for nom, titre, date in [
        ("sae-id-2023", "SAE 2023 – identification", "2023"),
        ("geo-communes", "Communes (COG)", "2024"),
        ("geo-regions", "Régions (COG)", "2024"),
        ("eurostat-geoloc", "Géolocalisation Eurostat", "2023"),
        ("finess-autorisations", "Autorisations FINESS", "2025-06-01"),
    ]:
        s = espaces.source(nom)
        add(s, RDF_TYPE.value, n(DCAT + "Dataset"), g_meta)
        add(s, DCT + "title", lit(titre), g_meta)
        add(s, DCT + "publisher", lit("DREES"), g_meta)
        add(s, BO + "dateDonnees", lit(date, "gYear" if len(date) == 4 else "date"), g_meta)
        add(s, PROV + "generatedAtTime", lit("2026-01-10T10:00:00", "dateTime"), g_meta)
        add(s, BO + "lignesGardees", lit(10, "integer"), g_meta)
    # Territoire
    for code, nom in [("84", "Auvergne-Rhône-Alpes"), ("53", "Bretagne")]:
        add(espaces.region(code), RDF_TYPE.value, n(BO + "Region"), g_reg)
        add(espaces.region(code), SCHEMA + "name", lit(nom), g_reg)
    for insee, nom, reg in [("69123", "Lyon", "84"), ("56260", "Vannes", "53")]:
        c = espaces.commune(insee)
        add(c, RDF_TYPE.value, n(BO + "Commune"), g_geo)
        add(c, SCHEMA + "name", lit(nom), g_geo)
        add(c, BO + "region", n(espaces.region(reg)), g_geo)
    # Établissements, points, autorisations
    sites = [
        ("560018038", "Centre hospitalier de Bretagne Atlantique", "56260", 47.66, -2.75),
        ("690000880", "Centre Léon Bérard", "69123", 45.7437, 4.8829),
        ("690781810", "Hôpital Lyon Sud", "69123", 45.6947, 4.8156),
    ]
    for finess, nom, insee, lat, lon in sites:
        e = espaces.etablissement(finess)
        add(e, RDF_TYPE.value, n(BO + "Etablissement"), g_sae)
        add(e, SCHEMA + "name", lit(nom), g_sae)
        add(e, BO + "finess", lit(finess), g_sae)
        add(e, BO + "commune", n(espaces.commune(insee)), g_sae)
        adresse = n(f"{e}/adresse")
        add(e, SCHEMA + "address", adresse, g_sae)
        add(adresse, SCHEMA + "postalCode", lit(insee[:2] + "000"), g_sae)
        point = n(f"{e}/point")
        add(e, GEO + "hasGeometry", point, g_eur)
        wkt = ox.Literal(f"POINT({lon} {lat})", datatype=n(GEO + "wktLiteral"))
        add(point, GEO + "asWKT", wkt, g_eur)
        add(point, SCHEMA + "latitude", lit(lat, "decimal"), g_eur)
        add(point, SCHEMA + "longitude", lit(lon, "decimal"), g_eur)
        add(point, BO + "precisionGeo", lit("etablissement"), g_eur)
        a = espaces.preuve("autorisation", f"aut-{finess}")
        add(a, RDF_TYPE.value, n(BO + "Autorisation"), g_aut)
        add(a, BO + "etablissement", n(e), g_aut)
        add(a, BO + "etat", lit("active"), g_aut)
        add(a, BO + "modalite", n(espaces.concept("modalite-2022", "radiotherapie_externe")), g_aut)
        add(a, BO + "besoin", n(espaces.concept("besoin", "radiotherapie")), g_aut)
        add(a, BO + "niveauPreuve", lit("autorisation"), g_aut)
    add(
        espaces.concept("modalite-2022", "radiotherapie_externe"),
        SKOS_PREF.value,
        lit("Radiothérapie externe", langue="fr"),
        g_onto,
    )
    add(
        espaces.concept("besoin", "radiotherapie"), SKOS_PREF.value, lit("Radiothérapie", langue="fr"), g_onto
    )
    # Remplissage
    for i in range(REMPLISSAGE):
        add(f"{espaces.ID}remplissage/{i}", BO + "valeur", lit(i, "integer"), g_rem)
    for i in range(20):
        add(f"{espaces.ID}chaine/{i}", BO + "texte", lit("a" * LONGUEUR_CHAINE + "!"), g_rem)
    return q


@pytest.fixture(scope="session")
def dossier_instantane(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Un instantané au format de graphe/instantane.py : store/ + instantane.json."""
    dossier = tmp_path_factory.mktemp("instantane") / "20260110T100000-test"
    dossier.mkdir()
    store = ox.Store(str(dossier / "store"))
    store.extend(_quads())
    store.flush()
    del store  # referme la base avant toute ouverture en lecture seule
    (dossier / "instantane.json").write_text(
        json.dumps({"identifiant": "20260110T100000-test", "date_construction": "2026-01-10T10:00:00"}),
        encoding="utf-8",
    )
    return dossier


def reglages_test(**changes) -> Reglages:
    base = dict(
        sparql_delai_s=1.0,
        sparql_lignes_max=100,
        sparql_taille_max=20_000,
        sparql_travailleurs=2,
        quota_requetes=100_000,
        quota_fenetre_s=60.0,
        # budgets par client larges : les tests partagent une adresse (« testclient ») ; test_budgets les serre
        sparql_concurrence_client=1000,
        sparql_temps_client_s=1e6,
        sparql_memoire_mo=2048,
    )
    base.update(changes)
    return Reglages(**base)


@pytest.fixture(scope="session")
def client(dossier_instantane: Path) -> Iterator[TestClient]:
    """L'application aux réglages de test (délai 1 s, 100 lignes), partagée par les tests."""
    app = creer_app(reglages_test(), ouvrir(dossier_instantane))
    with TestClient(app) as c:
        yield c


@pytest.fixture
def fabrique(dossier_instantane: Path) -> Callable[..., FastAPI]:
    """Une application aux réglages de test modifiés (``fabrique(quota_requetes=5)``)."""
    return lambda **changes: creer_app(reglages_test(**changes), ouvrir(dossier_instantane))


@pytest.fixture
def client_quota(fabrique) -> Iterator[TestClient]:
    """Une application au petit quota (5 requêtes par heure : aucun jeton ne revient pendant un test, même sur une
    machine chargée — à 5 par minute, un jeton revenait toutes les 12 s et mille refus n'y tenaient pas toujours)."""
    with TestClient(fabrique(quota_requetes=5, quota_fenetre_s=3600.0, sparql_travailleurs=1)) as c:
        yield c


@pytest.fixture(scope="session")
def app_nationale(instantane_national: Path, moteur) -> FastAPI:
    """L'application sur l'instantané national (fixture partagée de tests/conftest.py) et son moteur."""
    return creer_app(reglages_test(sparql_delai_s=10.0, sparql_lignes_max=10_000), ouvrir(instantane_national), moteur)


@pytest.fixture(scope="session")
def client_national(app_nationale: FastAPI) -> Iterator[TestClient]:
    with TestClient(app_nationale) as c:
        yield c
