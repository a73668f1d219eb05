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


NAVIGATEUR = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_TYPE = rdflib.RDF.type
SCHEMA = rdflib.Namespace("https://schema.org/")


def test_un_site_est_type_schema_org(client_national) -> None:
    """Un consommateur de schema.org trouve un type qu'il connaît (entraîné par l'ontologie : bo:Etablissement ⊑
    schema:MedicalOrganization), rangé sous le graphe de l'ontologie."""
    r = client_national.get(f"/etablissements/{IGR}", params={"format": "jsonld"})
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=r.text, format="json-ld")
    quads = list(ds.quads((rdflib.URIRef(IRI_IGR), RDF_TYPE, SCHEMA.MedicalOrganization, None)))
    assert quads and str(quads[0][3]).endswith("/source/ontologie")
    assert "schema:MedicalOrganization" in client_national.get(f"/etablissements/{IGR}").text


def test_chaque_iri_montree_s_ouvre_sur_le_service(client_national) -> None:
    """Entités, concepts, sources, termes de l'ontologie : tout lien d'une fiche vers une IRI de Boussole est un
    chemin du service, et chacun répond 200 (avant : seules les IRI /id/… s'ouvraient)."""
    import re

    page = client_national.get(f"/etablissements/{IGR}", headers={"Accept": NAVIGATEUR}).text
    liens = set(re.findall(r'href="([^"]+)"', page))
    assert not [x for x in liens if x.startswith("https://w3id.org/boussole/")]
    espaces_locaux = ("/id/", "/concept/", "/source/", "/ontologie")
    locaux = sorted({x.split("#", 1)[0] for x in liens if x.startswith(espaces_locaux)})
    assert any(x.startswith("/concept/") for x in locaux) and any(x.startswith("/source/") for x in locaux)
    assert "/ontologie" in locaux
    for lien in locaux:
        r = client_national.get(lien.replace("&amp;", "&"), headers={"Accept": NAVIGATEUR})
        assert r.status_code == 200, lien


def test_l_ontologie_se_dereference(client_national) -> None:
    page = client_national.get("/ontologie", headers={"Accept": NAVIGATEUR})
    assert page.status_code == 200 and '<section id="Etablissement">' in page.text
    g = rdflib.Graph().parse(data=client_national.get("/ontologie", params={"format": "turtle"}).text, format="turtle")
    bo = rdflib.Namespace("https://w3id.org/boussole/ontologie#")
    assert (bo.Etablissement, rdflib.RDFS.subClassOf, SCHEMA.MedicalOrganization) in g
    source = client_national.get("/source/sae-id-2023", params={"format": "turtle"})
    assert source.status_code == 200 and "SAE 2023" in source.text
    assert client_national.get("/concept/besoin/radiotherapie").status_code == 200
    assert client_national.get("/source/inconnue").status_code == 404


def test_une_erreur_vue_par_un_navigateur_est_une_page(client_national) -> None:
    """Un navigateur reçoit une page HTML française (avec la politique de sécurité des pages) ; un client qui ne
    demande pas de HTML garde le JSON ``{"detail": …}``."""
    r = client_national.get("/etablissements/999999999", headers={"Accept": NAVIGATEUR})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Erreur 404" in r.text and "aucun établissement de FINESS 999999999" in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert client_national.get("/nulle-part", headers={"Accept": NAVIGATEUR}).headers["content-type"].startswith(
        "text/html"
    )
    json_ = client_national.get("/etablissements/999999999", headers={"Accept": "*/*"})
    assert json_.status_code == 404 and "aucun établissement" in json_.json()["detail"]
