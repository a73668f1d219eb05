"""Débit et latence avec et sans le cache HTTP, dans la même exécution, sur un petit instantané.

    python benchmarks/cache_http.py [--requetes 400] [--clients 8] [--instantane DIR]

Trois façons de servir les mêmes requêtes (une requête SPARQL GET et une fiche JSON-LD), mesurées l'une après
l'autre sur le même déploiement (2 répliques + nginx, ``deploiement/lancer.py``) :

* **réplique, 200** : directement une réplique, sans nginx ni ``If-None-Match`` (la référence : chaque réponse
  est calculée) ;
* **réplique, 304** : directement une réplique, avec l'ETag reçu (``If-None-Match``) : la revalidation ne calcule
  rien ;
* **nginx, cache** : à travers nginx, le cache chaud (``X-Cache-Status: HIT``).

Imprime, par mode, requêtes par seconde, latence p50 et p95 (ms), et le rapport au mode de référence. Sans
``--instantane``, un petit instantané (celui des tests d'API) est écrit dans un dossier temporaire.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

REQUETE = "SELECT ?e ?nom WHERE { ?e a bo:Etablissement ; schema:name ?nom } ORDER BY ?nom"
CHEMINS = ["/sparql?" + urllib.parse.urlencode({"query": REQUETE}), "/etablissements/690000880?format=jsonld"]
ACCEPT = {"Accept": "application/sparql-results+json, application/ld+json;q=0.9", "Accept-Encoding": "gzip"}


def petit_instantane(racine: Path) -> None:
    """Écrit l'instantané des tests d'API (quelques sites, remplissage) et son lien ``courant``."""
    import pyoxigraph as ox

    from tests.api.conftest import _quads
    from tests.api.test_rechargement import _pointer

    identifiant = "20260101T000000-banc"
    dossier = racine / identifiant
    dossier.mkdir(parents=True)
    store = ox.Store(str(dossier / "store"))
    store.extend(_quads())
    store.flush()
    del store
    (dossier / "instantane.json").write_text(
        json.dumps({"identifiant": identifiant, "date_construction": "2026-01-01T00:00:00"}), encoding="utf-8"
    )
    _pointer(racine, identifiant)


def _etags(hote: str, port: int) -> dict[str, str]:
    conn = http.client.HTTPConnection(hote, port, timeout=30)
    sortie = {}
    for chemin in CHEMINS:
        conn.request("GET", chemin, headers=ACCEPT)
        r = conn.getresponse()
        r.read()
        sortie[chemin] = r.getheader("etag") or ""
    conn.close()
    return sortie


def mesurer(
    hote: str, port: int, requetes: int, clients: int, etags: dict[str, str] | None, attendu: int
) -> tuple[float, list[float], int]:
    """``requetes`` GET répartis sur ``clients`` connexions gardées ouvertes ; rend (req/s, latences ms, erreurs)."""
    latences: list[float] = []
    erreurs = [0]
    verrou = threading.Lock()
    par_client = requetes // clients

    def client(indice: int) -> None:
        conn = http.client.HTTPConnection(hote, port, timeout=60)
        locales = []
        for i in range(par_client):
            chemin = CHEMINS[(indice + i) % len(CHEMINS)]
            entetes = dict(ACCEPT)
            if etags:
                entetes["If-None-Match"] = etags[chemin]
            debut = time.perf_counter()
            conn.request("GET", chemin, headers=entetes)
            r = conn.getresponse()
            r.read()
            locales.append((time.perf_counter() - debut) * 1000)
            if r.status != attendu:
                with verrou:
                    erreurs[0] += 1
        conn.close()
        with verrou:
            latences.extend(locales)

    fils = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    debut = time.perf_counter()
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    duree = time.perf_counter() - debut
    return len(latences) / duree, latences, erreurs[0]


def main() -> int:
    from deploiement.lancer import Deploiement

    p = argparse.ArgumentParser(description="Cache HTTP : débit et latence avec et sans cache")
    p.add_argument("--requetes", type=int, default=400, help="requêtes par mode")
    p.add_argument("--clients", type=int, default=8, help="connexions simultanées")
    p.add_argument("--instantane", type=Path, default=None, help="dossier d'instantanés (défaut : petit, temporaire)")
    args = p.parse_args()
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        print("nginx absent : apt-get install nginx", file=sys.stderr)
        return 2

    temporaire = None
    racine = args.instantane
    if racine is None:
        temporaire = Path(tempfile.mkdtemp(prefix="boussole-banc-"))
        racine = temporaire / "instantanes"
        petit_instantane(racine)
    env = {"BOUSSOLE_QUOTA_REQUETES": "1000000", "BOUSSOLE_SPARQL_TRAVAILLEURS": "2"}
    try:
        with Deploiement(racine, repliques=2, environnement=env) as d:
            replique = d.ports_repliques[0]
            etags = _etags("127.0.0.1", replique)
            for _ in range(2):  # nginx : remplir le cache (une entrée par chemin)
                _etags("127.0.0.1", d.port)
            modes = [
                ("réplique, 200 (référence)", replique, None, 200),
                ("réplique, 304 (If-None-Match)", replique, etags, 304),
                ("nginx, cache chaud (HIT)", d.port, None, 200),
            ]
            print(f"{args.requetes} requêtes par mode, {args.clients} clients, chemins : {len(CHEMINS)}")
            print(f"{'mode':32} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'erreurs':>8} {'× réf.':>7}")
            reference = None
            for nom, port, validateurs, attendu in modes:
                mesurer("127.0.0.1", port, args.clients * 4, args.clients, validateurs, attendu)  # chauffe
                debit, latences, erreurs = mesurer("127.0.0.1", port, args.requetes, args.clients, validateurs, attendu)
                reference = reference or debit
                p95 = statistics.quantiles(latences, n=20)[18]
                print(
                    f"{nom:32} {debit:9.1f} {statistics.median(latences):8.2f} {p95:8.2f} {erreurs:8d} "
                    f"{debit / reference:7.2f}"
                )
    finally:
        if temporaire is not None:
            shutil.rmtree(temporaire, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
