"""Bascule à chaud : le service suit le lien « courant » sans redémarrer, et garde l'ancien état sur un échec."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import creer_app
from tests.api.conftest import reglages_test

REQUETE = "SELECT (COUNT(*) AS ?n) WHERE { ?e a bo:Etablissement }"


def _copie(source: Path, racine: Path, identifiant: str) -> Path:
    cible = racine / identifiant
    shutil.copytree(source, cible)
    info = json.loads((cible / "instantane.json").read_text(encoding="utf-8"))
    (cible / "instantane.json").write_text(json.dumps({**info, "identifiant": identifiant}), encoding="utf-8")
    return cible


def _pointer(racine: Path, identifiant: str) -> None:
    lien = racine / f".courant-{identifiant}"
    os.symlink(identifiant, lien)
    os.replace(lien, racine / "courant")


def test_bascule_sur_le_nouvel_instantane(dossier_instantane: Path, tmp_path: Path) -> None:
    racine = tmp_path / "instantanes"
    racine.mkdir()
    _copie(dossier_instantane, racine, "20260101T000000-aaaa")
    _pointer(racine, "20260101T000000-aaaa")
    # période longue : la vérification est déclenchée à la main, sans attente
    app = creer_app(reglages_test(instantane=racine, rechargement_s=3600))
    with TestClient(app) as c:
        assert c.get("/sante").json()["instantane"]["identifiant"] == "20260101T000000-aaaa"
        rechargeur = app.state.rechargeur
        assert rechargeur is not None and rechargeur.verifier() is False  # rien de neuf

        _copie(dossier_instantane, racine, "20260202T000000-bbbb")
        _pointer(racine, "20260202T000000-bbbb")
        ancienne = app.state.reserve
        assert rechargeur.verifier() is True
        sante = c.get("/sante")
        assert sante.status_code == 200 and sante.json()["instantane"]["identifiant"] == "20260202T000000-bbbb"
        r = c.get("/sparql", params={"query": REQUETE}, headers={"Accept": "application/sparql-results+json"})
        assert r.status_code == 200 and r.headers["X-Boussole-Instantane"] == "20260202T000000-bbbb"
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "3"
        assert app.state.reserve is not ancienne
        # l'ancienne réserve sert encore les requêtes en cours pendant le délai de grâce
        assert ancienne.en_service

        # un instantané illisible publié ensuite : refusé, l'état servi reste
        casse = racine / "20260303T000000-cccc"
        casse.mkdir()
        (casse / "instantane.json").write_text("{pas du json", encoding="utf-8")
        _pointer(racine, "20260303T000000-cccc")
        assert rechargeur.verifier() is False
        assert c.get("/sante").json()["instantane"]["identifiant"] == "20260202T000000-bbbb"
        assert c.get("/sparql", params={"query": REQUETE}).status_code == 200


def test_instantane_impose_sans_rechargeur(client: TestClient) -> None:
    assert client.app.state.rechargeur is None
