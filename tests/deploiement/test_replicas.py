"""Deux répliques derrière nginx (deploiement/lancer.py) : un nouvel instantané publié est servi par les deux,
sans une requête en échec pendant la bascule, et le cache de nginx répond (HIT, puis REVALIDATED par ETag).

nginx vient des paquets Debian (``apt-get install nginx``) : sans lui, ce test est sauté avec sa raison, sauf si
``BOUSSOLE_TESTS_NGINX=obligatoire`` (posé par la CI), où son absence est une erreur.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from deploiement.lancer import NGINX, Deploiement
from graphe.instantane import publier
from tests.api.conftest import _quads
from tests.api.test_rechargement import REQUETE, _pointer

if shutil.which("nginx") is None and not Path(NGINX).exists():
    import os

    if os.environ.get("BOUSSOLE_TESTS_NGINX") == "obligatoire":
        raise RuntimeError("nginx absent alors que BOUSSOLE_TESTS_NGINX=obligatoire")
    pytest.skip("nginx absent : apt-get install nginx", allow_module_level=True)

ANCIEN = "20260101T000000-aaaa"
NOUVEAU = "20260202T000000-bbbb"
#: Routes qui ne demandent pas d'index de recherche (les répliques de ce test n'en ont pas).
CHEMINS = [
    "/sante",
    "/sparql?" + urllib.parse.urlencode({"query": REQUETE}),
    "/etablissements/690000880?format=jsonld",
    "/fhir/Organization",
]


def _ecrire_instantane(dossier: Path, identifiant: str) -> None:
    dossier.mkdir(parents=True)
    store = ox.Store(str(dossier / "store"))
    store.extend(_quads())
    store.flush()
    del store
    (dossier / "instantane.json").write_text(
        json.dumps({"identifiant": identifiant, "date_construction": "2026-01-10T10:00:00"}), encoding="utf-8"
    )


def _get(url: str, entetes: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    requete = urllib.request.Request(url, headers=entetes or {})
    try:
        with urllib.request.urlopen(requete, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def _servi(adresse: str) -> str | None:
    statut, _, corps = _get(adresse + "/sante")
    return json.loads(corps)["instantane"]["identifiant"] if statut == 200 else None


@pytest.fixture
def deploiement(tmp_path: Path) -> Iterator[Deploiement]:
    racine = tmp_path / "instantanes"
    _ecrire_instantane(racine / ANCIEN, ANCIEN)
    _pointer(racine, ANCIEN)
    env = {
        "BOUSSOLE_RECHARGEMENT_S": "0.5",
        "BOUSSOLE_SPARQL_TRAVAILLEURS": "1",
        "BOUSSOLE_CACHE_MAX_AGE_S": "1",  # fraîcheur courte : nginx revalide vite, la bascule se voit
        "BOUSSOLE_QUOTA_REQUETES": "100000",
    }
    with Deploiement(racine, repliques=2, environnement=env) as d:
        yield d


def test_bascule_servie_par_les_deux_repliques_sans_echec(deploiement: Deploiement) -> None:
    d = deploiement
    assert [_servi(r) for r in d.repliques] == [ANCIEN, ANCIEN]

    # le cache répond : MISS, puis HIT ; une fois périmée, l'entrée est revalidée par ETag (304 du service)
    fiche = d.adresse + CHEMINS[2]
    statuts_cache = [_get(fiche)[1].get("x-cache-status") for _ in range(3)]
    assert statuts_cache[0] == "MISS" and statuts_cache[1:] == ["HIT", "HIT"]
    time.sleep(2.5)  # la fraîcheur (1 s, à la seconde près chez nginx) passe : la condition de la revalidation
    statut, entetes, _ = _get(fiche)
    assert statut == 200 and entetes["x-cache-status"] == "REVALIDATED"

    echecs: list[str] = []
    reponses: list[tuple[str, int, str | None]] = []
    arret = threading.Event()

    def boucle() -> None:
        while not arret.is_set():
            for chemin in CHEMINS:
                try:
                    statut, h, corps = _get(d.adresse + chemin)
                except Exception as erreur:  # noqa: BLE001 - connexion refusée, coupée, réponse tronquée…
                    echecs.append(f"{chemin} : {erreur!r}")
                    continue
                servi = h.get("x-boussole-instantane")
                if chemin == "/sante" and statut == 200:  # jamais en cache : la réplique du moment répond
                    servi = json.loads(corps)["instantane"]["identifiant"]
                reponses.append((chemin, statut, servi))
                if statut != 200:
                    echecs.append(f"{chemin} : {statut}")

    clients = [threading.Thread(target=boucle) for _ in range(3)]
    for c in clients:
        c.start()
    try:
        limite = time.monotonic() + 60  # borne d'attente (jamais une mesure) : un client mort ne bloque pas le test
        while len(reponses) < 20 and time.monotonic() < limite:
            time.sleep(0.05)
        # publication du nouvel instantané dans le dossier partagé, comme le fait « boussole construire »
        racine = d.instantane
        travail = racine / f".en-construction-{NOUVEAU}"
        _ecrire_instantane(travail, NOUVEAU)
        publier(racine, travail, NOUVEAU, {"date_construction": "2026-02-02T00:00:00"})
        fin = time.monotonic() + 120
        while time.monotonic() < fin and [_servi(r) for r in d.repliques] != [NOUVEAU, NOUVEAU]:
            time.sleep(0.2)
        vus = len(reponses)
        limite = time.monotonic() + 60
        while len(reponses) < vus + 40 and time.monotonic() < limite:  # encore des requêtes après la bascule
            time.sleep(0.05)
    finally:
        arret.set()
        for c in clients:
            c.join()

    assert [_servi(r) for r in d.repliques] == [NOUVEAU, NOUVEAU]
    assert echecs == []
    assert len(reponses) >= 60 and all(c.is_alive() is False for c in clients)
    # la boucle a vu l'ancien instantané puis le nouveau (/sante ne passe jamais par le cache)
    assert {i for c, _, i in reponses if c == "/sante"} == {ANCIEN, NOUVEAU}
    # à travers nginx aussi, le nouvel instantané est servi (SPARQL : l'entrée du cache, périmée, est rafraîchie)
    fin = time.monotonic() + 30
    while time.monotonic() < fin and _get(d.adresse + CHEMINS[1])[1].get("x-boussole-instantane") != NOUVEAU:
        time.sleep(0.3)
    assert _get(d.adresse + CHEMINS[1])[1].get("x-boussole-instantane") == NOUVEAU
    assert _servi(d.adresse) == NOUVEAU
