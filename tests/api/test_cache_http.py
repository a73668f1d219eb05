"""Cache HTTP : ETag fort par instantané et par requête, 304 sans calcul, Cache-Control, Vary, gzip et brotli."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import brotli
import pytest
from fastapi.testclient import TestClient

from api.app import creer_app
from api.fiches import service as service_fiches
from api.orientation.service import ServiceOrientation
from api.service.cache_http import codages_acceptes, etiquettes_demandees
from api.sparql import protocole
from tests.api.conftest import reglages_test
from tests.api.test_rechargement import REQUETE, _copie, _pointer

JSON_SPARQL = {"Accept": "application/sparql-results+json"}
FORT = re.compile(r'^"[\x21\x23-\x7e]+"$')  # une étiquette forte : entre guillemets, sans W/

#: Une adresse par famille de routes en lecture servie par le petit instantané.
FAMILLES = [
    "/",
    "/widget",
    "/sparql",
    "/sparql?query=" + REQUETE.replace(" ", "+"),
    "/etablissements/690000880",
    "/id/etablissement/690000880",
    "/exports/etablissements.csv",
    "/exports/etablissements.geojson",
    "/exports/instantane.nq",
    "/fhir/metadata",
    "/fhir/Organization",
    "/fhir/Location/690000880",
    "/openapi.json",
]


def _compteur(monkeypatch: pytest.MonkeyPatch, cible: Any, nom: str) -> list[int]:
    """Remplace ``cible.nom`` par une enveloppe qui compte ses appels (la vraie fonction répond toujours)."""
    appels = [0]
    originale = getattr(cible, nom)

    if hasattr(originale, "__code__") and originale.__code__.co_flags & 0x80:  # coroutine

        async def enveloppe_async(*args: Any, **kwargs: Any) -> Any:
            appels[0] += 1
            return await originale(*args, **kwargs)

        monkeypatch.setattr(cible, nom, enveloppe_async)
    else:

        def enveloppe(*args: Any, **kwargs: Any) -> Any:
            appels[0] += 1
            return originale(*args, **kwargs)

        monkeypatch.setattr(cible, nom, enveloppe)
    return appels


@pytest.mark.parametrize("chemin", FAMILLES)
def test_etag_fort_stable_et_cache_control(client: TestClient, chemin: str) -> None:
    a = client.get(chemin)
    b = client.get(chemin)
    assert a.status_code == 200, (chemin, a.text[:200])
    assert FORT.match(a.headers["etag"]), a.headers["etag"]
    assert a.headers["etag"] == b.headers["etag"] and a.content == b.content
    assert a.headers["cache-control"] == "public, max-age=300"
    vary = {v.strip().lower() for v in a.headers["vary"].split(",")}
    assert {"accept", "accept-encoding"} <= vary
    assert "last-modified" not in a.headers
    r = client.get(chemin, headers={"If-None-Match": a.headers["etag"]})
    assert r.status_code == 304 and r.content == b""
    assert r.headers["etag"] == a.headers["etag"] and r.headers["cache-control"] == "public, max-age=300"


def test_etag_depend_de_la_requete(client: TestClient) -> None:
    def etag(chemin: str, **entetes: str) -> str:
        r = client.get(chemin, headers=entetes)
        assert r.status_code == 200
        return r.headers["etag"]

    requete = "/sparql?query=" + REQUETE.replace(" ", "+")
    autre = "/sparql?query=" + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }".replace(" ", "+")
    assert etag(requete) != etag(autre)
    assert etag(requete, Accept="application/sparql-results+json") != etag(requete, Accept="text/csv")
    # Accept normalisé (espaces, casse) : même représentation, même étiquette
    assert etag(requete, Accept="text/csv, */*;q=0.1") == etag(requete, Accept="TEXT/CSV,*/*;q=0.1")
    fiche = "/etablissements/690000880"
    assert etag(fiche, Accept="text/html") != etag(fiche, Accept="text/turtle")
    assert etag(fiche + "?format=jsonld") != etag(fiche)
    # ordre des paramètres : même étiquette, et c'est bien la même réponse
    a = client.get("/fhir/Organization?_count=5&_id=690000880")
    b = client.get("/fhir/Organization?_id=690000880&_count=5")
    assert a.headers["etag"] == b.headers["etag"] and a.content == b.content
    assert a.headers["etag"] != etag("/fhir/Organization?_count=5")


def test_304_sans_calculer_la_reponse(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    appels_sparql = _compteur(monkeypatch, protocole, "repondre")
    appels_fiche = _compteur(monkeypatch, service_fiches, "servir")
    sparql = "/sparql?query=" + REQUETE.replace(" ", "+")
    premiere = client.get(sparql, headers=JSON_SPARQL)
    fiche = client.get("/etablissements/690000880")
    assert appels_sparql == [1] and appels_fiche == [1]
    for _ in range(3):
        r = client.get(sparql, headers={**JSON_SPARQL, "If-None-Match": premiere.headers["etag"]})
        assert r.status_code == 304 and r.content == b""
        assert r.headers["x-boussole-instantane"] == premiere.headers["x-boussole-instantane"]
        r = client.get("/etablissements/690000880", headers={"If-None-Match": fiche.headers["etag"]})
        assert r.status_code == 304
    assert appels_sparql == [1] and appels_fiche == [1]
    # une autre représentation (Accept) ne correspond pas : la route calcule
    r = client.get(sparql, headers={"Accept": "text/csv", "If-None-Match": premiere.headers["etag"]})
    assert r.status_code == 200 and r.headers["etag"] != premiere.headers["etag"]
    assert appels_sparql == [2]


def test_if_none_match_listes_faible_etoile(client: TestClient) -> None:
    chemin = "/fhir/metadata"
    etag = client.get(chemin).headers["etag"]
    assert client.get(chemin, headers={"If-None-Match": f'"autre", W/{etag}'}).status_code == 304  # faible
    assert client.get(chemin, headers={"If-None-Match": f'"autre",{etag} , "encore"'}).status_code == 304
    assert client.get(chemin, headers={"If-None-Match": '"autre", "encore"'}).status_code == 200
    assert client.get(chemin, headers={"If-None-Match": etag[:-2] + '"'}).status_code == 200  # préfixe
    assert client.get(chemin, headers={"If-None-Match": etag[1:-1]}).status_code == 200  # mal formé : ignoré
    r = client.get(chemin, headers={"If-None-Match": "*"})
    assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == etag
    # « * » sans représentation : l'erreur, pas un 304
    r = client.get("/etablissements/999999999", headers={"If-None-Match": "*"})
    assert r.status_code == 404 and "etag" not in r.headers


def test_head(client: TestClient) -> None:
    for chemin in ("/fhir/Organization", "/exports/instantane.nq", "/etablissements/690000880"):
        get = client.get(chemin)
        head = client.head(chemin)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["etag"] == get.headers["etag"]
        assert head.headers["cache-control"] == get.headers["cache-control"]
        r = client.head(chemin, headers={"If-None-Match": get.headers["etag"]})
        assert r.status_code == 304 and r.content == b""


def test_erreurs_post_et_sante_sans_etag(client: TestClient, client_quota: TestClient) -> None:
    for r in (
        client.get("/etablissements/999999999"),  # 404
        client.get("/etablissements/abc"),  # 422
        client.get("/sparql", params={"query": "SELECT ?x WHERE {"}),  # 400
        client.get("/fhir/Practitioner"),  # 404 FHIR
        client.get("/existe-pas"),
    ):
        assert r.status_code >= 400, r.status_code
        assert "etag" not in r.headers and r.headers["cache-control"] == "no-store"
    post = client.post("/sparql", data={"query": REQUETE}, headers=JSON_SPARQL)
    assert post.status_code == 200 and "etag" not in post.headers
    assert "public" not in post.headers.get("cache-control", "")
    sante = client.get("/sante")
    assert sante.status_code == 200 and "etag" not in sante.headers
    assert sante.headers["cache-control"] == "no-store"
    # 429 : jamais d'étiquette
    statuts = []
    for _ in range(7):
        r = client_quota.get("/sparql", params={"query": REQUETE})
        statuts.append(r.status_code)
        if r.status_code == 429:
            assert "etag" not in r.headers and r.headers["cache-control"] == "no-store"
    assert 429 in statuts


def _brut(client: TestClient, chemin: str, **entetes: str) -> tuple[dict[str, str], bytes]:
    with client.stream("GET", chemin, headers=entetes) as r:
        assert r.status_code == 200
        return dict(r.headers), b"".join(r.iter_raw())


@pytest.mark.parametrize("chemin", ["/fhir/Organization", "/exports/instantane.nq", "/sparql", "/"])
def test_gzip_et_brotli(client: TestClient, chemin: str) -> None:
    h_id, identite = _brut(client, chemin, **{"Accept-Encoding": "identity"})
    h_gz, corps_gz = _brut(client, chemin, **{"Accept-Encoding": "gzip"})
    h_br, corps_br = _brut(client, chemin, **{"Accept-Encoding": "gzip, br"})
    assert "content-encoding" not in h_id
    assert h_gz["content-encoding"] == "gzip" and h_br["content-encoding"] == "br"
    assert gzip.decompress(corps_gz) == identite and brotli.decompress(corps_br) == identite
    assert len(corps_gz) < len(identite) and len(corps_br) < len(identite)
    base = h_id["etag"][1:-1]
    assert h_gz["etag"] == f'"{base}-gzip"' and h_br["etag"] == f'"{base}-br"'
    assert FORT.match(h_gz["etag"]) and FORT.match(h_br["etag"])
    # chaque représentation revalide avec sa propre étiquette
    for codage, etag in (("gzip", h_gz["etag"]), ("br", h_br["etag"]), ("identity", h_id["etag"])):
        r = client.get(chemin, headers={"Accept-Encoding": codage, "If-None-Match": etag})
        assert r.status_code == 304, (codage, etag)
    # l'étiquette brotli ne vaut pas pour un client qui n'accepte que gzip
    r = client.get(chemin, headers={"Accept-Encoding": "gzip", "If-None-Match": h_br["etag"]})
    assert r.status_code == 200 and r.headers["etag"] == h_gz["etag"]


def test_export_compresse_reste_en_flux(client: TestClient) -> None:
    entetes, corps = _brut(client, "/exports/instantane.nq", **{"Accept-Encoding": "gzip"})
    assert "content-length" not in entetes  # envoyé morceau par morceau, pas tout en mémoire puis d'un coup
    assert gzip.decompress(corps).startswith(b"<")


def test_petit_corps_non_compresse(client: TestClient) -> None:
    chemin = "/fhir/Organization?_id=000000000"  # un Bundle vide : moins de 500 octets
    r = client.get(chemin, headers={"Accept-Encoding": "gzip, br"})
    assert r.status_code == 200 and len(r.content) < 500
    assert "content-encoding" not in r.headers and FORT.match(r.headers["etag"])
    assert not r.headers["etag"].endswith(('-gzip"', '-br"'))
    r = client.get(chemin, headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["etag"]})
    assert r.status_code == 304


def test_bascule_change_les_etags(dossier_instantane: Path, tmp_path: Path) -> None:
    racine = tmp_path / "instantanes"
    racine.mkdir()
    _copie(dossier_instantane, racine, "20260101T000000-aaaa")
    _pointer(racine, "20260101T000000-aaaa")
    app = creer_app(reglages_test(instantane=racine, rechargement_s=3600, cache_max_age_s=42))
    chemins = ["/sparql?query=" + REQUETE.replace(" ", "+"), "/etablissements/690000880", "/fhir/Organization", "/"]
    with TestClient(app) as c:
        avant = {ch: c.get(ch).headers["etag"] for ch in chemins}
        assert c.get(chemins[0]).headers["cache-control"] == "public, max-age=42"
        _copie(dossier_instantane, racine, "20260202T000000-bbbb")
        _pointer(racine, "20260202T000000-bbbb")
        assert app.state.rechargeur.verifier() is True
        for ch in chemins:
            r = c.get(ch, headers={"If-None-Match": avant[ch]})
            assert r.status_code == 200, ch  # l'ancienne étiquette ne vaut plus
            assert r.headers["etag"] != avant[ch]
            assert c.get(ch, headers={"If-None-Match": r.headers["etag"]}).status_code == 304


def test_bascule_pendant_le_calcul_sans_etag(fabrique: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """La route a lu un instantané, l'état servi en désigne un autre à la sortie : aucune étiquette n'est sûre."""
    app = fabrique()
    originale = protocole.repondre

    async def repondre_pendant_une_bascule(*args: Any, **kwargs: Any) -> Any:
        reponse = await originale(*args, **kwargs)
        actuel = app.state.instantane
        app.state.instantane = SimpleNamespace(identifiant="20990101T000000-autre", chemin=actuel.chemin)
        return reponse

    monkeypatch.setattr(protocole, "repondre", repondre_pendant_une_bascule)
    with TestClient(app) as c:
        r = c.get("/sparql", params={"query": REQUETE})
        assert r.status_code == 200 and "etag" not in r.headers
        assert r.headers["cache-control"] == "no-cache"


def test_analyse_des_entetes() -> None:
    assert etiquettes_demandees('"a", W/"b",  "c"') == ["a", "b", "c"]
    assert etiquettes_demandees(" * ") == ["*"]
    assert etiquettes_demandees('"a" "b"') is None
    assert etiquettes_demandees("a") is None
    assert codages_acceptes("gzip;q=0, br") == {"br"}
    assert codages_acceptes("*") == {"gzip", "br"}
    assert codages_acceptes("*, br;q=0") == {"gzip"}
    assert codages_acceptes("identity") == set()


def test_orientation_et_second_avis(client_national: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    appels = _compteur(monkeypatch, ServiceOrientation, "orienter")
    appels_avis = _compteur(monkeypatch, ServiceOrientation, "second_avis")
    q = {"q": "radiothérapie près de Vannes", "limite": 3}
    a = client_national.get("/orientation", params=q)
    assert a.status_code == 200 and FORT.match(a.headers["etag"])
    assert client_national.get("/orientation", params={**q, "limite": 4}).headers["etag"] != a.headers["etag"]
    assert appels == [2]
    r = client_national.get("/orientation", params=q, headers={"If-None-Match": a.headers["etag"]})
    assert r.status_code == 304 and r.content == b"" and appels == [2]
    avis = client_national.get("/second-avis", params={"q": "second avis sarcome, suivi au CHU de Nantes"})
    assert avis.status_code == 200 and FORT.match(avis.headers["etag"])
    r = client_national.get(
        "/second-avis",
        params={"q": "second avis sarcome, suivi au CHU de Nantes"},
        headers={"If-None-Match": avis.headers["etag"]},
    )
    assert r.status_code == 304 and appels_avis == [1]
    post = client_national.post("/orientation", json=q)
    assert post.status_code == 200 and "etag" not in post.headers and appels == [3]


def test_sparql_variable_sans_etag(client: TestClient) -> None:
    """Deux exécutions qui peuvent différer (NOW, RAND, nœuds anonymes construits) : ni ETag ni cache."""
    for requete in (
        "SELECT (NOW() AS ?t) WHERE {}",
        "SELECT (rand () AS ?r) WHERE {}",
        "CONSTRUCT { ?e <http://exemple.org/p> [ <http://exemple.org/q> 1 ] } WHERE { ?e a bo:Etablissement }",
    ):
        r = client.get("/sparql", params={"query": requete})
        assert r.status_code == 200, requete
        assert "etag" not in r.headers and r.headers["cache-control"] == "no-store", requete
    construit = "CONSTRUCT { ?e a bo:Etablissement } WHERE { ?e a bo:Etablissement }"
    a = client.get("/sparql", params={"query": construit}, headers={"Accept": "application/n-triples"})
    b = client.get("/sparql", params={"query": construit}, headers={"Accept": "application/n-triples"})
    assert a.content == b.content and FORT.match(a.headers["etag"]) and a.headers["etag"] == b.headers["etag"]
