"""Exports (RDF, CSV, GeoJSON) et façade FHIR sur l'instantané national."""

from __future__ import annotations

import csv
import io
import json
import math

import pyoxigraph as ox
import rdflib


def test_nquads(client_national, app_nationale) -> None:
    r = client_national.get("/exports/instantane.nq")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/n-quads")
    # tout le graphe, relu par Oxigraph ; un échantillon relu par rdflib
    quads = list(ox.parse(r.content, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(app_nationale.state.instantane.store)
    echantillon = b"\n".join(r.content.split(b"\n")[:5000])
    ds = rdflib.Dataset()
    ds.parse(data=echantillon.decode("utf-8"), format="nquads")
    assert len(ds) > 0 or sum(1 for _ in ds.quads()) == 5000
    # deuxième appel : le fichier préparé est resservi
    assert client_national.head("/exports/instantane.nq").status_code in (200, 405)


def test_turtle_union(client_national) -> None:
    r = client_national.get("/exports/instantane.ttl", headers={"Range": "bytes=0-2000"})
    assert r.status_code in (200, 206)
    assert r.headers["content-type"].startswith("text/turtle")


def test_csv(client_national) -> None:
    r = client_national.get("/exports/etablissements.csv")
    assert r.status_code == 200
    lignes = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert set(lignes[0]) >= {
        "finess",
        "nom",
        "commune",
        "code_insee",
        "departement",
        "region",
        "latitude",
        "longitude",
        "precision_geo",
        "besoins",
        "preuves",
    }
    igr = next(x for x in lignes if x["finess"] == "940000664")
    assert igr["commune"] == "Villejuif" and igr["code_insee"] == "94076"
    assert "chirurgie:" in igr["besoins"] and "SAE 2023" in igr["preuves"]
    assert len(lignes) > 3000


def test_geojson(client_national) -> None:
    r = client_national.get("/exports/etablissements.geojson")
    assert r.status_code == 200
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) > 3000
    for f in fc["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    igr = next(f for f in fc["features"] if f["properties"]["finess"] == "940000664")
    assert igr["geometry"]["coordinates"] == [2.3479, 48.79517]  # [longitude, latitude]
    assert igr["properties"]["besoins"]["chirurgie"][0]["source"]


def test_fhir_organization(client_national) -> None:
    r = client_national.get("/fhir/Organization", params={"identifier": "940000664"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/fhir+json")
    b = r.json()
    assert b["resourceType"] == "Bundle" and b["type"] == "searchset" and b["total"] == 1
    org = b["entry"][0]["resource"]
    assert org["resourceType"] == "Organization" and org["name"] == "INSTITUT GUSTAVE ROUSSY"
    assert {"system": "urn:oid:1.2.250.1.71.4.2.2", "value": "1940000664"}.items() <= {
        k: v for i in org["identifier"] for k, v in i.items() if i["system"] == "urn:oid:1.2.250.1.71.4.2.2"
    }.items()
    assert org["partOf"]["reference"] == "Organization/ej-940160013"
    tout = client_national.get("/fhir/Organization", params={"_count": 10}).json()
    assert len(tout["entry"]) == 10 and tout["total"] > 3000
    assert any(lien["relation"] == "next" for lien in tout["link"])


def test_fhir_services_et_lecture(client_national) -> None:
    b = client_national.get("/fhir/HealthcareService", params={"organization": "Organization/940000664"}).json()
    assert b["total"] >= 5
    s = next(e["resource"] for e in b["entry"] if e["resource"]["category"][0]["coding"][0]["code"] == "chirurgie")
    assert s["providedBy"]["reference"] == "Organization/940000664"
    assert s["location"][0]["reference"] == "Location/940000664"
    assert "Niveau de preuve" in s["comment"] and "SAE 2023" in s["comment"]
    assert client_national.get(f"/fhir/HealthcareService/{s['id']}").json()["id"] == s["id"]
    assert client_national.get("/fhir/Location/940000664").json()["position"]["latitude"] == 48.79517
    inconnu = client_national.get("/fhir/Location/000000000")
    assert inconnu.status_code == 404 and inconnu.json()["resourceType"] == "OperationOutcome"
    assert client_national.get("/fhir/metadata").json()["resourceType"] == "CapabilityStatement"


def _haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2, dl, dp = map(math.radians, (lat1, lat2, lon2 - lon1, lat2 - lat1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_fhir_near(client_national) -> None:
    r = client_national.get("/fhir/Location", params={"near": "47.66|-2.76|30|km", "_count": 500})
    assert r.status_code == 200
    b = r.json()
    assert b["total"] == len(b["entry"]) > 0
    distances = []
    for e in b["entry"]:
        pos = e["resource"]["position"]
        d = _haversine(47.66, -2.76, pos["latitude"], pos["longitude"])
        assert d <= 30.001
        distances.append(d)
        assert abs(e["search"]["extension"][0]["valueDistance"]["value"] - d) < 0.01
    assert distances == sorted(distances)
    assert any(e["resource"]["id"] == "560018038" for e in b["entry"])


def test_fhir_400_operation_outcome(client_national) -> None:
    for params in (
        {"near": "abc"},
        {"near": "95|0|10|km"},
        {"near": "47|-2|10|mi"},
        {"near": "47|-2|-5"},
        {"_count": "0"},
        {"_count": "501"},
        {"_count": "dix"},
        {"name": "x" * 201},
        {"identifier": "9" * 201},
    ):
        r = client_national.get("/fhir/Location", params=params)
        assert r.status_code == 400, params
        assert r.headers["content-type"].startswith("application/fhir+json")
        corps = r.json()
        assert corps["resourceType"] == "OperationOutcome"
        assert corps["issue"][0]["severity"] == "error" and corps["issue"][0]["diagnostics"]


def test_fhir_nom_sans_lettre_ni_chiffre(client_national) -> None:
    """Des « ( » sans « ) » rendaient la normalisation des noms quadratique (minutes par requête) ; un nom
    réduit à de la ponctuation ne désigne rien : 400 plutôt que « tout correspond »."""
    r = client_national.get("/fhir/Organization", params={"name": "(" * 200})
    assert r.status_code == 400 and "lettre" in r.json()["issue"][0]["diagnostics"]
    assert client_national.get("/fhir/Organization", params={"name": "(roussy"}).json()["total"] >= 1


def test_pages(client_national) -> None:
    accueil = client_national.get("/")
    assert accueil.status_code == 200 and "/docs" in accueil.text and "/sparql" in accueil.text
    widget = client_national.get("/widget")
    assert widget.status_code == 200 and "<boussole-orientation" in widget.text and 'lang="fr"' in widget.text
    assert "/orientation" in client_national.get("/widget.js").text
    cors = client_national.get(
        "/orientation", params={"q": "radiothérapie Brest"}, headers={"Origin": "https://partenaire.example"}
    )
    assert cors.headers.get("access-control-allow-origin") in ("*", "https://partenaire.example")
    json.dumps(cors.json())
