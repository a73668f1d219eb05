"""Le point SPARQL face à un vrai client : SPARQLWrapper, réglages par défaut, contre un vrai serveur uvicorn.

Pourquoi un vrai serveur : SPARQLWrapper parle HTTP par urllib (TestClient ne peut pas le servir), et ce sont ses
habitudes réelles qu'on veut tenir — paramètre ``format`` répété (``format=json-ld&format=application/ld+json,…``),
noms maison (``n3``, ``rdf+xml``), en-tête Accept exact. Chaque forme de requête (SELECT, ASK, CONSTRUCT, DESCRIBE)
est essayée dans chaque format que SPARQLWrapper propose, et sa réponse est relue par SPARQLWrapper lui-même.
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import uvicorn
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from api.app import creer_app
from graphe.instantane import ouvrir
from tests.api.conftest import reglages_test

FORMES = {
    "SELECT": "SELECT ?nom WHERE { ?s a bo:Etablissement ; schema:name ?nom } ORDER BY ?nom",
    "ASK": "ASK { ?s a bo:Etablissement }",
    "CONSTRUCT": "CONSTRUCT { ?s schema:name ?nom } WHERE { ?s a bo:Etablissement ; schema:name ?nom }",
    "DESCRIBE": "DESCRIBE <https://w3id.org/boussole/id/etablissement/690000880>",
}
FORMATS = (JSON, XML, CSV, TSV, JSONLD, RDFXML, TURTLE, N3)


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def servir(app, port: int) -> Iterator[str]:
    """Un vrai serveur uvicorn dans un fil, sur ``port`` (boucle locale), arrêté à la fin."""
    serveur = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    fil = threading.Thread(target=serveur.run, daemon=True)
    fil.start()
    limite = time.monotonic() + 60
    while not serveur.started:
        assert fil.is_alive() and time.monotonic() < limite, "uvicorn n'a pas démarré"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        serveur.should_exit = True
        fil.join(timeout=30)


@pytest.fixture(scope="module")
def adresse(dossier_instantane: Path) -> Iterator[str]:
    yield from servir(creer_app(reglages_test(), ouvrir(dossier_instantane)), port_libre())


def _verifier(forme: str, format_: str, resultat) -> None:
    """Ce que SPARQLWrapper a relu (convert) porte bien la réponse attendue."""
    if forme == "SELECT":
        if format_ in (CSV, TSV):
            assert b"Centre L" in resultat and resultat.count(b"\n") >= 4
        elif format_ == XML:
            assert len(resultat.getElementsByTagName("result")) == 3
        else:  # JSON, ou ce que le service rend quand SPARQLWrapper accepte tout (*/*) : JSON SPARQL
            assert len(resultat["results"]["bindings"]) == 3
    elif forme == "ASK":
        if format_ in (CSV, TSV):
            assert b"true" in resultat
        elif format_ == XML:
            assert resultat.getElementsByTagName("boolean")[0].firstChild.data == "true"
        else:
            assert resultat["boolean"] is True
    else:
        if isinstance(resultat, bytes):  # Turtle / N3 / CSV / TSV : SPARQLWrapper rend le texte
            graphe = rdflib.Graph().parse(data=resultat.decode(), format="turtle")
        else:
            graphe = resultat
        assert isinstance(graphe, rdflib.Graph) and len(graphe) >= (3 if forme == "CONSTRUCT" else 4)


@pytest.mark.parametrize("format_", FORMATS)
@pytest.mark.parametrize("forme", FORMES)
def test_sparqlwrapper_reglages_par_defaut(adresse: str, forme: str, format_: str) -> None:
    client = SPARQLWrapper(f"{adresse}/sparql")  # GET, format répété + Accept : ses réglages par défaut
    client.setQuery(FORMES[forme])
    client.setReturnFormat(format_)
    with warnings.catch_warnings():
        # SPARQLWrapper avertit quand on lui demande CSV pour un CONSTRUCT : il accepte alors tout (*/*)
        warnings.simplefilter("ignore", RuntimeWarning)
        reponse = client.query()
        assert reponse.response.status == 200
        _verifier(forme, format_, reponse.convert())


def test_sparqlwrapper_post_et_erreur_400(adresse: str) -> None:
    from SPARQLWrapper import POST
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(f"{adresse}/sparql")
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery(FORMES["SELECT"])
    assert len(client.queryAndConvert()["results"]["bindings"]) == 3
    client.setQuery("SELECT * WHERE { ?s ?p }")
    with pytest.raises(QueryBadFormed):
        client.query()
