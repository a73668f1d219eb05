"""Mémoire du service SPARQL selon la taille de la réponse : elle ne doit pas grandir avec le corps.

    python benchmarks/memoire_sparql.py [--tours 3] [--taille-ko 50]

Pourquoi : un résultat CSV de 348 Mo portait le service à 1,65 Go et son travailleur à 2,45 Go (le corps était
fait en mémoire dans le travailleur, passé par le tuyau, puis gardé en mémoire par le service). Désormais le
travailleur écrit le corps en flux dans un fichier et le service le relit par morceaux.

Le script fabrique un petit instantané de 2 000 littéraux de ``--taille-ko`` Ko, sert l'application par un vrai
uvicorn (dans ce processus, sur un port libre de la boucle locale), demande des résultats CSV de tailles
croissantes (la ligne de base : 1 ligne) et lit chaque réponse par morceaux sans la garder. Il affiche, par
taille, la médiane sur ``--tours`` de la croissance du RSS du service pendant la réponse et le pic de mémoire
anonyme du travailleur (échantillonnés toutes les 10 ms). Ligne de base, mesurée dans la même exécution : un
processus neuf qui lit seulement les solutions (le cache de blocs de RocksDB grandit avec les données lues, jusqu'à
sa capacité), puis les écrit aussi en CSV : l'écriture n'ajoute rien. Aucune assertion : des chiffres à comparer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

LITTERAUX = 2000


def _kio(pid: int | str, cle: str) -> int:
    for ligne in Path(f"/proc/{pid}/status").read_text().splitlines():
        if ligne.startswith(cle + ":"):
            return int(ligne.split()[1])
    return 0


def fabriquer(dossier: Path, taille_ko: int) -> Path:
    import pyoxigraph as ox

    instantane = dossier / "20260101T000000-memoire"
    instantane.mkdir()
    store = ox.Store(str(instantane / "store"))
    graphe = ox.NamedNode("https://w3id.org/boussole/source/remplissage")
    texte = ox.NamedNode("https://w3id.org/boussole/ontologie#texte")
    long = "x" * (taille_ko * 1024)
    store.extend(
        ox.Quad(ox.NamedNode(f"https://w3id.org/boussole/id/long/{i}"), texte, ox.Literal(f"{i}:" + long), graphe)
        for i in range(LITTERAUX)
    )
    store.flush()
    del store
    (instantane / "instantane.json").write_text(
        json.dumps({"identifiant": instantane.name, "date_construction": "2026-01-01T00:00:00"}), encoding="utf-8"
    )
    return instantane


def mesurer(adresse: str, lignes: int, pids: set[int]) -> tuple[int, int, int]:
    """(octets reçus, croissance du RSS du service, pic de mémoire anonyme des travailleurs), en Kio.

    Mémoire anonyme (RssAnon) des travailleurs : ce que la requête alloue ; les pages du store lues par RocksDB
    (RssFile, partagées avec le cache du noyau) n'en sont pas.
    """
    requete = f"SELECT ?s ?t WHERE {{ ?s bo:texte ?t }} LIMIT {lignes}"
    url = f"{adresse}/sparql?" + urllib.parse.urlencode({"query": requete, "format": "csv"})
    base = _kio("self", "VmRSS")
    pic = [base]
    anonyme = [0]
    fini = threading.Event()

    def echantillonner() -> None:
        while not fini.is_set():
            pic[0] = max(pic[0], _kio("self", "VmRSS"))
            anonyme[0] = max(anonyme[0], *(_kio(p, "RssAnon") for p in pids))
            time.sleep(0.01)

    fil = threading.Thread(target=echantillonner, daemon=True)
    fil.start()
    recus = 0
    with urllib.request.urlopen(url, timeout=120) as reponse:
        while morceau := reponse.read(256 * 1024):
            recus += len(morceau)
    fini.set()
    fil.join()
    return recus, pic[0] - base, anonyme[0]


_SEUL = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
import pyoxigraph as ox
from api.sparql import serialisation
from benchmarks.memoire_sparql import _kio
store = ox.Store.read_only(sys.argv[2])
for n in map(int, sys.argv[4:]):
    r = store.query("SELECT ?s ?t WHERE { ?s <https://w3id.org/boussole/ontologie#texte> ?t } LIMIT %d" % n,
                    use_default_graph_as_union=True)
    if sys.argv[1] == "lire":
        for _ in r:
            pass
    else:
        with open("/dev/null", "wb") as sortie:
            serialisation.ecrire_solutions(r, ["s", "t"], "csv", sortie, 10**9)
    print(n, _kio("self", "RssAnon"))
"""


def seul(store: Path, mode: str, tailles: list[int]) -> dict[int, float]:
    """Mémoire anonyme (Mo) d'un processus neuf qui lit seulement les solutions, ou les écrit aussi en CSV."""
    import subprocess

    sortie = subprocess.run(
        [sys.executable, "-c", _SEUL, mode, str(store), str(RACINE), *map(str, tailles)],
        capture_output=True, text=True, check=True,
    ).stdout
    return {int(n): int(k) / 1024 for n, k in (ligne.split() for ligne in sortie.splitlines())}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tours", type=int, default=3)
    p.add_argument("--taille-ko", type=int, default=50)
    args = p.parse_args()

    from api.app import creer_app
    from api.reglages import Reglages
    from graphe.instantane import ouvrir
    from tests.api.test_sparqlwrapper import port_libre, servir

    with tempfile.TemporaryDirectory(prefix="boussole-memoire-") as tmp:
        instantane = fabriquer(Path(tmp), args.taille_ko)
        reglages = Reglages(
            sparql_lignes_max=100_000,
            sparql_octets_max=1 << 40,
            sparql_delai_s=120,
            sparql_travailleurs=1,
            quota_requetes=100_000,
            sparql_temps_client_s=1e6,
        )
        tailles = [1, 200, 1000, LITTERAUX]
        lire = seul(instantane / "store", "lire", tailles)
        ecrire = seul(instantane / "store", "ecrire", tailles)
        print("ligne de base, processus neuf : mémoire anonyme après lecture seule des solutions / après écriture CSV")
        for n in tailles:
            print(f"{n:>7} lignes : {lire[n]:7.1f} Mo / {ecrire[n]:7.1f} Mo")
        app = creer_app(reglages, ouvrir(instantane))
        for adresse in servir(app, port_libre()):
            pids = app.state.reserve.pids()
            print(f"littéraux de {args.taille_ko} Ko ; {args.tours} tours par taille (médianes)")
            print(f"{'lignes':>7} {'corps (Mo)':>11} {'RSS service +Mo':>16} {'travailleur anonyme (Mo)':>25}")
            for lignes in tailles:
                mesures = [mesurer(adresse, lignes, pids) for _ in range(args.tours)]
                corps = statistics.median(m[0] for m in mesures) / 1e6
                rss = statistics.median(m[1] for m in mesures) / 1024
                travailleur = max(m[2] for m in mesures) / 1024
                print(f"{lignes:>7} {corps:>11.1f} {rss:>16.1f} {travailleur:>25.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
