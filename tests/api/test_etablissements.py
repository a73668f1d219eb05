"""Fiches des entités (/etablissements/{finess}, /id/…) sur l'instantané national : HTML, JSON-LD, Turtle."""

from __future__ import annotations

import rdflib

IGR = "940000664"
IRI_IGR = f"https://w3id.org/boussole/id/etablissement/{IGR}"
SCHEMA_NAME = rdflib.URIRef("https://schema.org/name")


def test_fiche_html(client_national) -> None:
    r = client_national.get(f"/etablissements/{IGR}", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "INSTITUT GUSTAVE ROUSSY" in page
    assert "Villejuif" in page and "CAMILLE DESMOULINS" in page
    assert "48.79517" in page
    # les faits rangés sous le titre de leur source, avec la date des données
    assert "SAE 2023 — identification des établissements (bordereau ID)" in page
    assert "Eurostat GISCO" in page and "2020-03-06" in page
    assert "Chirurgie des cancers déclarée à la SAE 2023" in page


def test_fiche_jsonld(client_national) -> None:
    r = client_national.get(f"/etablissements/{IGR}", headers={"Accept": "application/ld+json"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/ld+json")
    assert "schema.org" in r.json()["@context"]["schema"]
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=r.text, format="json-ld")
    noms = {str(o) for _, _, o, _ in ds.quads((rdflib.URIRef(IRI_IGR), SCHEMA_NAME, None, None))}
    assert "INSTITUT GUSTAVE ROUSSY" in noms
    # la provenance reste : le nom vit dans le graphe de la source SAE
    graphes = {str(g) for _, _, _, g in ds.quads((rdflib.URIRef(IRI_IGR), SCHEMA_NAME, None, None))}
    assert any(g.endswith("/source/sae-id-2023") for g in graphes)


def test_fiche_turtle_et_parametre_format(client_national) -> None:
    r = client_national.get(f"/etablissements/{IGR}", params={"format": "turtle"}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert (rdflib.URIRef(IRI_IGR), SCHEMA_NAME, rdflib.Literal("INSTITUT GUSTAVE ROUSSY")) in g


def test_id_sert_toute_iri(client_national) -> None:
    a = client_national.get(f"/id/etablissement/{IGR}", params={"format": "turtle"})
    b = client_national.get(f"/etablissements/{IGR}", params={"format": "turtle"})
    assert a.status_code == 200 and a.text == b.text
    commune = client_national.get("/id/commune/56260")
    assert commune.status_code == 200 and "Vannes" in commune.text


def test_404_et_422(client_national) -> None:
    r = client_national.get("/etablissements/999999999")
    assert r.status_code == 404
    assert "aucun établissement" in r.json()["detail"]
    assert client_national.get("/id/etablissement/inconnu").status_code == 404
    assert client_national.get("/id/etablissement/%1F").status_code == 404  # trouvé par schemathesis (500)
    assert client_national.get("/etablissements/12345").status_code == 422
    assert client_national.get(f"/etablissements/{IGR}", params={"format": "pdf"}).status_code == 406
    assert client_national.get(f"/etablissements/{IGR}", headers={"Accept": "image/png"}).status_code == 406
