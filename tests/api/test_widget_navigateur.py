"""Le module d'orientation dans un vrai navigateur (Chromium de Debian, piloté par Playwright).

Deux cas d'usage des sites partenaires : la page /widget servie par Boussole, et la même page hébergée sur une
autre origine qui vise l'API avec ``?api=`` (l'appel passe alors par CORS, comme chez un partenaire).

Chromium vient des paquets Debian (``apt-get install chromium``) : sans lui, ces essais sont sautés avec leur
raison, sauf si ``BOUSSOLE_TESTS_NAVIGATEUR=obligatoire`` (posé par la CI), où son absence est une erreur.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

CHROMIUM = "/usr/bin/chromium"
#: Drapeaux de Chromium sur ces machines au réseau fermé (sinon il tente, et rate, des connexions externes).
DRAPEAUX = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = Path(__file__).resolve().parents[2] / "api" / "pages"

if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
    if os.environ.get("BOUSSOLE_TESTS_NAVIGATEUR") == "obligatoire":
        raise RuntimeError(f"{CHROMIUM} absent alors que BOUSSOLE_TESTS_NAVIGATEUR=obligatoire")
    pytest.skip(f"{CHROMIUM} absent : apt-get install chromium", allow_module_level=True)

from playwright import sync_api  # noqa: E402 - après le contrôle de Chromium : playwright est dans [test]


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def service(client_national) -> Iterator[str]:
    """L'application nationale servie sur la boucle locale (son état est déjà démarré par client_national)."""
    port = _port_libre()
    serveur = uvicorn.Server(
        uvicorn.Config(client_national.app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    fil = threading.Thread(target=serveur.run, daemon=True)
    fil.start()
    limite = time.monotonic() + 20
    while not serveur.started:
        assert time.monotonic() < limite, "le serveur de test n'a pas démarré"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    serveur.should_exit = True
    fil.join(timeout=10)


@pytest.fixture(scope="module")
def partenaire() -> Iterator[str]:
    """Un « site partenaire » : une autre origine (autre port) qui héberge la page du module telle quelle."""
    gestionnaire = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(PAGES))
    gestionnaire.log_message = lambda *args: None  # type: ignore[attr-defined]
    serveur = http.server.ThreadingHTTPServer(("127.0.0.1", _port_libre()), gestionnaire)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    yield f"http://127.0.0.1:{serveur.server_address[1]}"
    serveur.shutdown()


@pytest.fixture(scope="module")
def navigateur() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=DRAPEAUX)
        yield chromium
        chromium.close()


def _demander(page, question: str, second_avis: bool = False) -> list[str]:
    page.fill("#boussole-q", question)
    if second_avis:
        page.check("#boussole-avis")
    page.click("button[type=submit]")
    page.wait_for_selector("#boussole-resultats li.resultat, #boussole-etat .erreur", timeout=30_000)
    return page.locator("#boussole-resultats li.resultat").all_inner_texts()


def test_orientation_dans_la_page_du_service(navigateur, service) -> None:
    page = navigateur.new_page()
    page.goto(f"{service}/widget")
    resultats = _demander(page, "radiothérapie près de Vannes")
    assert 1 <= len(resultats) <= 10
    assert "Vannes" in resultats[0] and "FINESS" in resultats[0]
    # chaque raison affichée cite sa source et sa date (« fait — source, date »)
    raisons = page.locator("#boussole-resultats li.resultat .raisons li").all_inner_texts()
    assert raisons and all(" — " in r and "," in r for r in raisons)
    # le nom mène à la fiche de l'établissement, servie par le même service
    lien = page.locator("#boussole-resultats li.resultat a").first.get_attribute("href")
    assert lien.startswith(f"{service}/id/etablissement/")
    page.close()


def test_second_avis_depuis_un_site_partenaire(navigateur, service, partenaire) -> None:
    """La page hébergée ailleurs appelle l'API d'une autre origine : CORS doit le permettre."""
    page = navigateur.new_page()
    erreurs: list[str] = []
    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    page.goto(f"{partenaire}/widget.html?api={service}")
    resultats = _demander(page, "second avis sarcome, patiente suivie au Centre Léon Bérard", second_avis=True)
    assert resultats, page.inner_text("#boussole-etat")
    assert not any("LEON BERARD" in r.upper() for r in resultats)  # l'équipe qui suit est exclue
    assert not erreurs, erreurs
    page.close()


def test_question_non_comprise_dite_en_francais(navigateur, service) -> None:
    page = navigateur.new_page()
    page.goto(f"{service}/widget")
    page.fill("#boussole-q", "?!")  # rien à comprendre : le service le dit, sans résultat au hasard
    page.click("button[type=submit]")
    page.wait_for_selector("#boussole-resultats li.resultat, #boussole-etat .erreur, #boussole-etat .remarque")
    assert page.locator("#boussole-resultats li.resultat").count() == 0
    assert "question non comprise" in page.inner_text("#boussole-etat")
    page.close()
