"""Point d'accès SPARQL : protocole (GET, POST formulaire, POST direct) × formats, exemples."""

from __future__ import annotations

import io
import json
import logging

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.service.erreurs import RequeteRefusee
from api.sparql import formats, serialisation
from api.sparql.exemples import EXEMPLES

SELECT = "SELECT ?site ?nom WHERE { ?site a bo:Etablissement ; schema:name ?nom } ORDER BY ?site"
CONSTRUCT = "CONSTRUCT { ?site schema:name ?nom } WHERE { ?site a bo:Etablissement ; schema:name ?nom }"
DESCRIBE = "DESCRIBE <https://w3id.org/boussole/id/etablissement/690000880>"
ASK = "ASK { ?s a bo:Etablissement }"

MEDIAS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
}


def envoyer(client: TestClient, transport: str, requete: str, **options):
    """La même requête par les trois transports du protocole SPARQL 1.1."""
    entetes = options.pop("headers", {})
    params = options.pop("params", {})
    if transport == "get":
        return client.get("/sparql", params={"query": requete, **params}, headers=entetes)
    if transport == "post-formulaire":
        return client.post("/sparql", data={"query": requete, **params}, headers=entetes)
    entetes = {"Content-Type": "application/sparql-query", **entetes}
    return client.post("/sparql", content=requete.encode(), params=params, headers=entetes)


def solutions(reponse, format_: str) -> list[dict[str, str]]:
    """Relit une réponse de résultats avec l'analyseur d'Oxigraph (ou csv pour CSV)."""
    if format_ == "csv":
        import csv

        lignes = list(csv.reader(io.StringIO(reponse.text, newline="")))
        return [dict(zip(lignes[0], ligne, strict=True)) for ligne in lignes[1:]]
    fmt = {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "tsv": ox.QueryResultsFormat.TSV,
    }
    lues = ox.parse_query_results(reponse.content, fmt[format_])
    variables = [v.value for v in lues.variables]
    return [{v: s[v].value for v in variables if s[v] is not None} for s in lues]


TRANSPORTS = ["get", "post-formulaire", "post-direct"]


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("format_", ["json", "xml", "csv", "tsv"])
def test_select_par_transport_et_format(client: TestClient, transport: str, format_: str) -> None:
    r = envoyer(client, transport, SELECT, headers={"Accept": MEDIAS[format_]})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(MEDIAS[format_])
    assert r.headers["x-boussole-tronque"] == "false"
    assert r.headers["x-boussole-instantane"] == "20260110T100000-test"
    noms = {s["nom"] for s in solutions(r, format_)}
    assert noms == {"Centre hospitalier de Bretagne Atlantique", "Centre Léon Bérard", "Hôpital Lyon Sud"}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("format_", ["turtle", "ntriples", "jsonld"])
@pytest.mark.parametrize("requete", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_graphe_par_transport_et_format(
    client: TestClient, transport: str, format_: str, requete: str
) -> None:
    r = envoyer(client, transport, requete, params={"format": format_})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(MEDIAS[format_])
    rdf = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
    triplets = list(ox.parse(r.content, rdf[format_]))
    attendus = 3 if requete == CONSTRUCT else 6  # DESCRIBE : toutes les propriétés du site
    assert len(triplets) == attendus
    assert any(t.object.value == "Centre Léon Bérard" for t in triplets)


@pytest.mark.parametrize("format_", ["json", "xml", "csv", "tsv"])
def test_ask(client: TestClient, format_: str) -> None:
    r = client.get("/sparql", params={"query": ASK, "format": format_})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(MEDIAS[format_])
    assert "true" in r.text


def test_negociation_q_et_parametre(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "text/csv;q=0.5, text/tab-separated-values"}
    )
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    # Le paramètre format l'emporte sur Accept.
    r = client.get("/sparql", params={"query": SELECT, "format": "xml"}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    # Un navigateur (text/html, */*;q=0.8) reçoit du JSON SPARQL ; CONSTRUCT sans préférence : Turtle.
    navigateur = "text/html,application/xhtml+xml,*/*;q=0.8"
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": navigateur})
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "*/*"})
    assert r.headers["content-type"].startswith("text/turtle")
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "application/json"})
    assert r.headers["content-type"].startswith("application/ld+json")


def test_406(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "aucun format acceptable" in r.json()["detail"]
    # un paramètre format d'une autre famille ne décide pas : Accept décide, et c'est lui qui fait le 406
    r = client.get("/sparql", params={"query": SELECT, "format": "turtle"}, headers={"Accept": "image/png"})
    assert r.status_code == 406


def test_parametre_format_tolerant(client: TestClient) -> None:
    """Répété, inconnu ou d'une autre famille : le paramètre format laisse décider Accept (clients réels)."""
    jsonld = [("format", "json-ld"), ("format", "application/ld+json,application/x-json+ld")]  # SPARQLWrapper
    tsv = [("format", "tsv"), ("format", "text/tab-separated-values")]
    for requete, params, accept in [
        (CONSTRUCT, jsonld, "application/ld+json"),
        (CONSTRUCT, [("format", "rdf+xml")], "application/rdf+xml"),
        (CONSTRUCT, [("format", "n3")], "text/turtle"),
        (CONSTRUCT, [("format", "inconnu")], "application/n-triples"),
        (SELECT, tsv, "text/tab-separated-values"),
    ]:
        r = client.get("/sparql", params=[("query", requete), *params], headers={"Accept": accept})
        assert r.status_code == 200, (params, r.text)
        assert r.headers["content-type"].startswith(accept)
    r = client.get("/sparql", params={"query": SELECT, "format": "turtle"})
    assert r.headers["content-type"].startswith("application/sparql-results+json")


def test_choisir_unitaire() -> None:
    assert formats.choisir(None, None, graphe=False).nom == "json"
    assert formats.choisir("text/*", None, graphe=False).nom == "csv"
    assert formats.choisir("text/csv;q=0, */*", None, graphe=False).nom == "json"
    assert formats.choisir("application/n-triples, text/turtle;q=0.9", None, graphe=True).nom == "ntriples"
    with pytest.raises(RequeteRefusee) as e:
        formats.choisir("text/csv;q=0", None, graphe=False)
    assert e.value.statut == 406


def test_troncature_json_et_entetes(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?s ?v WHERE { ?s bo:valeur ?v }"})
    assert r.status_code == 200
    assert r.headers["x-boussole-tronque"] == "true"
    assert r.headers["x-boussole-lignes-max"] == "100"
    assert r.headers["x-boussole-lignes"] == "100"
    assert "199" in r.headers["warning"]
    corps = r.json()
    assert len(corps["results"]["bindings"]) == 100
    assert corps["boussole"] == {"tronque": True, "motif": "lignes", "lignes_max": 100, "octets_max": 50_000_000}
    assert r.headers["x-boussole-tronque-motif"] == "lignes"
    assert r.headers["x-boussole-octets-max"] == "50000000"
    assert corps["head"]["vars"] == ["s", "v"]  # les clés standard restent intactes


def test_troncature_csv_et_construct(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?v WHERE { ?s bo:valeur ?v }", "format": "csv"})
    assert r.headers["x-boussole-tronque"] == "true"
    assert r.text.count("\r\n") == 101  # en-tête + 100 lignes
    r = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s bo:valeur ?v }", "format": "ntriples"})
    assert r.headers["x-boussole-tronque"] == "true"
    assert len(list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))) == 100


def test_non_tronque_sous_le_plafond(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?v WHERE { ?s bo:valeur ?v } LIMIT 100"})
    assert r.headers["x-boussole-tronque"] == "false"
    assert "x-boussole-tronque-motif" not in r.headers
    assert "boussole" not in r.json()


def test_graphe_par_defaut_union_et_from(client: TestClient) -> None:
    """Sans FROM : union des graphes nommés. Avec FROM (ou default-graph-uri) : seulement ces graphes."""
    requete = "SELECT (COUNT(*) AS ?n) WHERE { ?s schema:name ?nom }"
    union = int(
        client.get("/sparql", params={"query": requete}).json()["results"]["bindings"][0]["n"]["value"]
    )
    assert union == 7  # 2 régions, 2 communes, 3 sites : trois sources différentes
    avec_from = requete.replace("WHERE", "FROM src:sae-id-2023 WHERE")
    r = client.get("/sparql", params={"query": avec_from})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "3"
    r = client.get(
        "/sparql",
        params={"query": requete, "default-graph-uri": "https://w3id.org/boussole/source/geo-communes"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "2"
    r = client.get(
        "/sparql",
        params={
            "query": "SELECT ?g (COUNT(*) AS ?n) FROM NAMED src:meta "
            "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        },
    )
    assert r.status_code == 200, r.text
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [
        "https://w3id.org/boussole/source/meta"
    ]


def test_prefixes_par_defaut_et_redeclares(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "PREFIX bo: <urn:autre#> ASK { ?s a bo:Etablissement }"})
    assert r.json()["boolean"] is False
    r = client.get("/sparql", params={"query": "ASK { ?s a bo:Etablissement }"})
    assert r.json()["boolean"] is True


def test_erreur_de_syntaxe_avec_position(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p ?o \n"})
    assert r.status_code == 400
    detail = r.json()["detail"]
    assert detail.startswith("erreur de syntaxe SPARQL, ligne 3")
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } GROUP BY"})
    assert r.status_code == 400 and "ligne 1, colonne" in r.json()["detail"]


@pytest.mark.parametrize("exemple", EXEMPLES, ids=[e.identifiant for e in EXEMPLES])
def test_exemples_repondent(client: TestClient, exemple) -> None:
    r = client.get(
        "/sparql",
        params={"query": exemple.requete, "format": "json" if "SELECT" in exemple.corps else "ntriples"},
    )
    assert r.status_code == 200, r.text
    if "SELECT" in exemple.corps:
        assert r.json()["results"]["bindings"], f"l'exemple {exemple.identifiant} ne rend rien"
    else:
        assert list(ox.parse(r.content, ox.RdfFormat.N_TRIPLES))


def test_page_et_liste_des_exemples(client: TestClient) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    for e in EXEMPLES:
        assert e.titre.replace("'", "&#x27;") in r.text
    liste = client.get("/sparql/exemples").json()
    assert [e["identifiant"] for e in liste] == [e.identifiant for e in EXEMPLES]
    assert all(e["requete"].startswith("PREFIX") and e["lien"].startswith("/sparql?query=") for e in liste)
    assert client.get(liste[3]["lien"]).status_code == 200


def test_sante_et_openapi(client: TestClient) -> None:
    r = client.get("/sante")
    assert r.status_code == 200
    assert r.json() == {
        "statut": "pret",
        "instantane": {"identifiant": "20260110T100000-test", "date_construction": "2026-01-10T10:00:00"},
    }
    schema = client.get("/openapi.json").json()
    assert "/sparql" in schema["paths"] and "post" in schema["paths"]["/sparql"]


def test_erreurs_en_francais(client: TestClient) -> None:
    assert client.get("/inexistant").json() == {"detail": "ressource introuvable"}
    r = client.put("/sparql", content=b"x")
    assert r.status_code == 405 and r.json()["detail"].startswith("méthode HTTP non permise")
    r = client.post("/sparql", content=b"query=x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415 and "non pris en charge" in r.json()["detail"]
    r = client.post("/sparql", content=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 400 and "UTF-8" in r.json()["detail"]
    r = client.get("/sparql", params=[("query", ASK), ("query", ASK)])
    assert r.status_code == 400 and "un seul paramètre" in r.json()["detail"]
    r = client.post("/sparql", data={"format": "json"})
    assert r.status_code == 400 and "query" in r.json()["detail"]


def test_journal_sans_texte_de_requete(client: TestClient) -> None:
    """Le journal note chemin, statut, durée ; jamais le texte de la requête (données de santé possibles)."""
    lignes: list[str] = []

    class Collecte(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lignes.append(record.getMessage())

    collecte = Collecte()
    logging.getLogger("boussole.api").addHandler(collecte)
    try:
        client.get("/sparql", params={"query": 'ASK { ?s schema:name "cancer du sein de Mme Martin" }'})
    finally:
        logging.getLogger("boussole.api").removeHandler(collecte)
    evenements = [json.loads(ligne) for ligne in lignes]
    assert {"methode": "GET", "chemin": "/sparql", "statut": 200}.items() <= evenements[-1].items()
    assert "duree_ms" in evenements[-1]
    assert not any("Martin" in ligne for ligne in lignes)


# --- Sérialisation plafonnée : mêmes résultats que le sérialiseur d'Oxigraph --------------------------------


def _store_varie() -> ox.Store:
    store = ox.Store()
    ex = "http://example.org/"
    valeurs = [
        ox.NamedNode(ex + "a"),
        ox.BlankNode("b0"),
        ox.Literal("simple"),
        ox.Literal('virgule, "guillemet"\nligne\ttab'),
        ox.Literal("été", language="fr"),
        ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.Literal("<b>&amp;</b>"),
    ]
    for i, v in enumerate(valeurs):
        store.add(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(ex + "p"), v))
    store.add(ox.Quad(ox.NamedNode(ex + "s0"), ox.NamedNode(ex + "q"), ox.Literal("option")))
    return store


REQUETE_VARIEE = (
    "SELECT ?s ?o ?x WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <http://example.org/q> ?x } }"
)


@pytest.mark.parametrize("format_", ["json", "xml", "csv", "tsv"])
def test_serialisation_conforme_a_oxigraph(format_: str) -> None:
    store = _store_varie()
    reference = store.query(REQUETE_VARIEE).serialize(format=serialisation.FORMATS_BOOLEEN[format_])
    variables, lignes, tronque = serialisation.lignes_plafonnees(store.query(REQUETE_VARIEE), 100)
    assert not tronque
    notre = serialisation.SERIALISEURS_LIGNES[format_](variables, lignes)
    if format_ == "json":
        assert json.loads(notre) == json.loads(reference)
    elif format_ == "csv":
        assert notre == reference
    else:
        fmt = ox.QueryResultsFormat.XML if format_ == "xml" else ox.QueryResultsFormat.TSV

        def relire(octets: bytes) -> list:
            return [
                [str(s[v]) if s[v] is not None else None for v in variables]
                for s in ox.parse_query_results(octets, fmt)
            ]

        assert relire(notre) == relire(reference)


def test_lignes_plafonnees_s_arrete_au_plafond() -> None:
    store = _store_varie()
    variables, lignes, tronque = serialisation.lignes_plafonnees(store.query(REQUETE_VARIEE), 3)
    assert tronque and len(lignes) == 3
    _, lignes, tronque = serialisation.lignes_plafonnees(store.query(REQUETE_VARIEE), 7)
    assert not tronque and len(lignes) == 7


def test_sans_instantane_indisponible(tmp_path) -> None:
    """Sans instantané construit, le service démarre, se dit indisponible (503) et l'explique."""
    from api.app import creer_app
    from api.reglages import Reglages

    lignes: list[str] = []

    class Collecte(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lignes.append(record.getMessage())

    app = creer_app(Reglages(instantane=tmp_path / "vide", journaliser_questions=True))
    collecte = Collecte()
    logging.getLogger("boussole.api").addHandler(collecte)
    try:
        with TestClient(app) as c:
            r = c.get("/sante")
            assert r.status_code == 503 and r.json() == {"statut": "indisponible", "instantane": None}
            r = c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
            assert r.status_code == 503 and "aucun instantané" in r.json()["detail"]
            assert int(r.headers["retry-after"]) > 0  # tout 503 dit quand revenir
            assert c.get("/sparql").status_code == 200  # la page d'aide reste servie
    finally:
        logging.getLogger("boussole.api").removeHandler(collecte)
    # journaliser_questions : le texte des requêtes apparaît, par choix explicite.
    assert any("ASK" in json.loads(ligne).get("parametres", "") for ligne in lignes if ligne.startswith("{"))


def test_description_du_service(client: TestClient) -> None:
    """GET /sparql sans requête, Accept RDF : SPARQL 1.1 Service Description ; un navigateur garde la page HTML."""
    sd = "http://www.w3.org/ns/sparql-service-description#"
    for accept, format_rdf in [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-triples, text/html;q=0.5", ox.RdfFormat.N_TRIPLES),
    ]:
        r = client.get("/sparql", headers={"Accept": accept})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(accept.split(",")[0])
        triplets = list(ox.parse(r.content, format_rdf, base_iri="http://testserver/sparql"))
        par_predicat: dict[str, list] = {}
        for t in triplets:
            par_predicat.setdefault(t.predicate.value, []).append(t.object)
        service = ox.NamedNode("http://testserver/sparql")
        assert any(t.subject == service and t.object == ox.NamedNode(sd + "Service") for t in triplets)
        assert par_predicat[sd + "endpoint"] == [service]
        assert par_predicat[sd + "supportedLanguage"] == [ox.NamedNode(sd + "SPARQL11Query")]
        assert ox.NamedNode("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in par_predicat[sd + "resultFormat"]
        assert len(par_predicat[sd + "resultFormat"]) == 8
        assert ox.NamedNode(sd + "UnionDefaultGraph") in par_predicat[sd + "feature"]
        assert len(par_predicat[sd + "defaultDataset"]) == 1 and par_predicat[sd + "defaultGraph"]
        noms = {o.value for o in par_predicat[sd + "name"]}
        assert "https://w3id.org/boussole/source/sae-id-2023" in noms and len(noms) == 8
    r = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.headers["content-type"].startswith("text/html")
