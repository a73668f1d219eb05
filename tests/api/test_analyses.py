"""/analyses : le rapport d'analyse servi par l'API (sur le petit instantané de test), et son lien d'accueil."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from api.analyses.indicateurs import INDICATEURS
from api.sparql.catalogue import par_identifiant


def test_indicateurs_en_json(client: TestClient) -> None:
    liste = client.get("/analyses/indicateurs").json()
    assert [i["identifiant"] for i in liste] == list(INDICATEURS)
    for i in liste:
        requete = par_identifiant(i["identifiant"])
        assert requete is not None and i["colonnes"] == requete.colonnes and i["csv"].startswith("/analyses/csv/")


def test_rapport_page_csv_et_cartes(client: TestClient) -> None:
    r = client.get("/analyses/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Analyse de l'offre de soins en cancérologie" in r.text and "X-Boussole-Instantane" in r.headers
    for identifiant in INDICATEURS:
        c = client.get(f"/analyses/csv/{identifiant}.csv")
        assert c.status_code == 200 and c.headers["content-type"].startswith("text/csv")
        requete = par_identifiant(identifiant)
        assert requete is not None and next(csv.reader(io.StringIO(c.text))) == requete.colonnes
    png = client.get("/analyses/cartes/population_radiotherapie.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = client.get("/analyses/cartes/population_radiotherapie.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.count('id="departement-') >= 96


def test_chemins_et_regions_refuses_en_francais(client: TestClient) -> None:
    for chemin in ("/analyses/inconnu.txt", "/analyses/csv/absent.csv", "/analyses/cartes/..%2F..%2Fstore"):
        r = client.get(chemin)
        assert r.status_code == 404, chemin
        assert "inconnu" in r.json()["detail"]
    r = client.get("/analyses/regions/99/")
    assert r.status_code == 404 and "région inconnue" in r.json()["detail"]
    assert client.get("/analyses/regions/abc/").status_code == 422


def test_accueil_renvoie_aux_analyses(client: TestClient) -> None:
    assert 'href="/analyses/"' in client.get("/").text
