"""Quota par client : /orientation et /exports comptés comme /sparql ; X-Forwarded-For cru des seuls mandataires."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import uvicorn  # noqa: F401 - le serveur réel de tests/api/test_sparqlwrapper.py

from api.app import creer_app
from api.cli import options_uvicorn
from graphe.instantane import ouvrir
from tests.api.conftest import reglages_test
from tests.api.test_sparqlwrapper import port_libre, servir


def test_orientation_et_exports_sous_quota(fabrique) -> None:
    from fastapi.testclient import TestClient

    with TestClient(fabrique(quota_requetes=3, sparql_travailleurs=1)) as c:
        statuts = [c.get("/orientation", params={"q": "radiothérapie à Lyon"}).status_code for _ in range(3)]
        assert 429 not in statuts
        r = c.get("/exports/etablissements.csv")
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert r.json()["detail"].startswith("trop de requêtes")


def _get(url: str, entetes: dict[str, str]) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=entetes)) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_x_forwarded_for_ne_contourne_pas_le_quota(dossier_instantane: Path) -> None:
    """Vrai serveur uvicorn, réglages de `boussole servir` : XFF tournant depuis 127.0.0.1 ne change pas le client."""
    reglages = reglages_test(quota_requetes=3)
    app = creer_app(reglages, ouvrir(dossier_instantane))
    options = options_uvicorn(reglages)
    assert options["proxy_headers"] is False  # aucun mandataire déclaré par défaut
    import uvicorn as uv

    ancien = uv.Config.__init__

    def config(self, *a, **k):  # les options de `boussole servir`, sur le serveur du test
        ancien(self, *a, **{**k, **options})

    uv.Config.__init__ = config  # type: ignore[method-assign]
    try:
        for adresse in servir(app, port_libre()):
            url = f"{adresse}/sparql?query=ASK%7B%7D"
            statuts = [_get(url, {"X-Forwarded-For": f"10.0.0.{i}"}) for i in range(6)]
            assert statuts[:3] == [200, 200, 200] and statuts[3:] == [429, 429, 429], statuts
    finally:
        uv.Config.__init__ = ancien  # type: ignore[method-assign]
