"""Plafond d'octets des réponses SPARQL : coupé en écrivant, document valide, motif dit (en-têtes et JSON)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.sparql import serialisation

PLAFOND = 8192
SELECT = "SELECT ?s ?v WHERE { ?s bo:valeur ?v }"  # 3000 lignes, bien plus que 8 Kio dans tous les formats
CONSTRUCT = "CONSTRUCT WHERE { ?s bo:valeur ?v }"
MEDIAS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
FORMATS_RESULTATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


@pytest.fixture(scope="module")
def client_plafonne(dossier_instantane) -> Iterator[TestClient]:
    from api.app import creer_app
    from graphe.instantane import ouvrir
    from tests.api.conftest import reglages_test

    app = creer_app(reglages_test(sparql_octets_max=PLAFOND, sparql_lignes_max=100_000), ouvrir(dossier_instantane))
    with TestClient(app) as c:
        yield c


def _relire(reponse, format_: str) -> list[list[str | None]]:
    """Les lignes d'un résultat, relues par un vrai analyseur (Oxigraph ; csv pour CSV) : échoue s'il est invalide."""
    if format_ == "csv":
        lignes = list(csv.reader(io.StringIO(reponse.content.decode(), newline="")))
        assert lignes[0] == ["s", "v"]
        return [list(ligne) for ligne in lignes[1:]]
    solutions = ox.parse_query_results(reponse.content, FORMATS_RESULTATS[format_])
    assert isinstance(solutions, ox.QuerySolutions)
    return [[None if s[v] is None else s[v].value for v in ("s", "v")] for s in solutions]


@pytest.mark.parametrize("format_", ["json", "xml", "csv", "tsv"])
def test_resultats_coupes_au_plafond_d_octets_valides_et_signales(client_plafonne: TestClient, format_: str) -> None:
    r = client_plafonne.get("/sparql", params={"query": SELECT}, headers={"Accept": MEDIAS[format_]})
    assert r.status_code == 200, r.text
    assert len(r.content) <= PLAFOND
    assert r.headers["x-boussole-tronque"] == "true"
    assert r.headers["x-boussole-tronque-motif"] == "octets"
    assert r.headers["x-boussole-octets-max"] == str(PLAFOND)
    assert "8192 octets" in r.headers["warning"]
    lignes = _relire(r, format_)
    assert 10 < len(lignes) == int(r.headers["x-boussole-lignes"]) < 3000
    assert all(s and s.startswith("https://w3id.org/boussole/id/remplissage/") and v for s, v in lignes)
    if format_ == "json":
        attendu = {"tronque": True, "motif": "octets", "lignes_max": 100_000, "octets_max": PLAFOND}
        assert r.json()["boussole"] == attendu
    if format_ == "csv":
        assert r.content.endswith(b"\r\n")  # pas de ligne à moitié écrite


@pytest.mark.parametrize("format_", list(RDF))
def test_graphes_coupes_au_plafond_d_octets_valides(client_plafonne: TestClient, format_: str) -> None:
    r = client_plafonne.get("/sparql", params={"query": CONSTRUCT, "format": format_})
    assert r.status_code == 200, r.text
    assert len(r.content) <= PLAFOND
    assert r.headers["x-boussole-tronque-motif"] == "octets"
    triplets = list(ox.parse(r.content, RDF[format_]))
    assert 10 < len(triplets) == int(r.headers["x-boussole-lignes"]) < 3000


def test_sous_le_plafond_rien_n_est_coupe(client_plafonne: TestClient) -> None:
    r = client_plafonne.get("/sparql", params={"query": SELECT + " LIMIT 20", "format": "csv"})
    assert r.headers["x-boussole-tronque"] == "false" and "x-boussole-tronque-motif" not in r.headers
    assert len(_relire(r, "csv")) == 20


def test_lignes_avant_octets_le_motif_dit_lequel(client: TestClient) -> None:
    """Le client partagé : 100 lignes au plus, 50 Mo : c'est le plafond de lignes qui coupe, et il est nommé."""
    r = client.get("/sparql", params={"query": SELECT, "format": "tsv"})
    assert r.headers["x-boussole-tronque-motif"] == "lignes" and "100 lignes" in r.headers["warning"]
    assert r.headers["x-boussole-octets-max"] == "50000000"


def test_gros_corps_rendu_en_flux_avec_sa_longueur(fabrique) -> None:
    """Au-delà de 256 Kio, le corps est relu par morceaux ; Content-Length est juste, le document entier.

    Sans compression demandée (``identity``) ; un client qui accepte gzip reçoit le même document compressé,
    en flux (sans longueur annoncée : elle n'est connue qu'à la fin)."""
    from api.sparql.protocole import CORPS_EN_MEMOIRE

    with TestClient(fabrique(sparql_lignes_max=100_000, sparql_travailleurs=1)) as c:
        params = {"query": "SELECT ?s ?t WHERE { ?s bo:texte ?t }", "format": "csv"}
        r = c.get("/sparql", params=params, headers={"Accept-Encoding": "identity"})
        assert r.status_code == 200 and "content-encoding" not in r.headers
        assert len(r.content) > CORPS_EN_MEMOIRE and int(r.headers["content-length"]) == len(r.content)
        assert len(_relire_csv_textes(r.content)) == 20
        compresse = c.get("/sparql", params=params, headers={"Accept-Encoding": "gzip"})
        assert compresse.headers["content-encoding"] == "gzip" and compresse.content == r.content
        assert not list(c.app.state.reserve._dossier.iterdir())  # noqa: SLF001 - aucun fichier laissé derrière


def _relire_csv_textes(octets: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(octets.decode(), newline="")))[1:]


def test_ecriture_en_flux_sans_plafond_egale_l_ecriture_en_memoire() -> None:
    """Sans plafond atteint, le document écrit en flux est celui de l'écriture d'une traite (clés standard)."""
    lignes = [[ox.NamedNode(f"http://ex/{i}"), ox.Literal(str(i))] for i in range(50)]
    tampon = io.BytesIO()
    bilan = serialisation.ecrire_solutions(lignes, ["s", "v"], "json", tampon, 100, 1_000_000)
    assert not bilan.tronque and bilan.lignes == 50 and bilan.octets == len(tampon.getvalue())
    assert json.loads(tampon.getvalue()) == json.loads(serialisation.json_resultats(["s", "v"], lignes))
    assert "boussole" not in json.loads(tampon.getvalue())


@pytest.mark.parametrize("plafond", [60, 200, 1000, 5000])
def test_plafond_jamais_depasse_document_toujours_valide(plafond: int) -> None:
    """Même pour un plafond minuscule : jamais au-delà (sauf le document vide, plus long), toujours lisible."""
    lignes = [[ox.NamedNode(f"http://ex/{i}"), ox.Literal("é" * (i % 7) + '"<&>')] for i in range(200)]
    for format_ in ("json", "xml", "csv", "tsv"):
        tampon = io.BytesIO()
        bilan = serialisation.ecrire_solutions(lignes, ["s", "v"], format_, tampon, 10_000, plafond)
        corps = tampon.getvalue()
        assert bilan.motif == "octets" and bilan.octets == len(corps)
        assert len(corps) <= plafond or bilan.lignes == 0
        if format_ != "csv":
            fmt = FORMATS_RESULTATS[format_]
            assert len(list(ox.parse_query_results(corps, fmt))) == bilan.lignes  # type: ignore[arg-type]


def test_lignes_enormes_coupees_par_les_octets_pas_par_les_lignes(fabrique) -> None:
    """Le cas du rapport : 10 000 lignes permises, chacune de 20 Ko (1,2 Go en tout sans plafond). Le plafond
    d'octets coupe bien avant le plafond de lignes, le document reste lisible, le service répond ensuite."""
    plafond = 1_000_000
    with TestClient(fabrique(sparql_lignes_max=10_000, sparql_octets_max=plafond, sparql_travailleurs=1)) as c:
        requete = "SELECT ?t ?v WHERE { ?s bo:texte ?t . ?x bo:valeur ?v }"
        for format_ in ("csv", "json"):
            r = c.get("/sparql", params={"query": requete, "format": format_})
            assert r.status_code == 200, r.text
            assert len(r.content) <= plafond and r.headers["x-boussole-tronque-motif"] == "octets"
            lues = _relire_csv_textes(r.content) if format_ == "csv" else r.json()["results"]["bindings"]
            assert 10 < len(lues) == int(r.headers["x-boussole-lignes"]) < 100
        assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
