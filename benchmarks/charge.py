"""Essai de charge borné, sur la boucle locale seulement : /orientation et /sparql sous N clients concurrents.

    python benchmarks/charge.py --instantane /chemin/des/instantanes [--clients 100] [--duree 30]

1. lance ``uvicorn`` (l'application de ``api.app``) sur 127.0.0.1, sur un port libre, dans un sous-processus ;
2. N clients ``httpx.AsyncClient`` envoient pendant ``--duree`` secondes, chacun à son tour, une question du jeu
   de développement (``benchmarks/questions_boussole.jsonl``) à /orientation ou une requête d'analyste
   (``api.sparql.exemples``) à /sparql ; on mesure débit, p50/p95/p99 des réponses servies, refus voulus
   (429/503, le client attend alors ce que dit ``Retry-After``) et erreurs par route ;
3. les mêmes requêtes SPARQL, en séquence, directement sur le store (pyoxigraph, résultat sérialisé dans le
   même format) et à travers /sparql (médiane de 20) → le surcoût du point d'accès.

Le quota SPARQL est relevé pour l'essai (``BOUSSOLE_QUOTA_REQUETES``) ; rien n'écoute ailleurs que 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

RACINE = Path(__file__).resolve().parent.parent
HOTE = "127.0.0.1"
#: Résultats JSON pour SELECT/ASK, Turtle pour CONSTRUCT/DESCRIBE.
ACCEPTE = "application/sparql-results+json, text/turtle;q=0.9"


def port_libre() -> int:
    with socket.socket() as s:
        s.bind((HOTE, 0))
        return s.getsockname()[1]


def questions() -> list[str]:
    lignes = (RACINE / "benchmarks" / "questions_boussole.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(x)["question"] for x in lignes if x.strip()]


def requetes_sparql() -> list[tuple[str, str]]:
    from api.sparql.exemples import EXEMPLES

    return [(e.identifiant, e.requete) for e in EXEMPLES]


def demarrer(instantane: Path, port: int, travailleurs: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        BOUSSOLE_INSTANTANE=str(instantane),
        BOUSSOLE_QUOTA_REQUETES="100000000",
        BOUSSOLE_SPARQL_TRAVAILLEURS=str(travailleurs),
    )
    commande = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.app:creer_app",
        "--factory",
        "--host",
        HOTE,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    # le journal du service va dans un fichier : un tuyau jamais lu se remplirait (64 Ko) et bloquerait le service
    journal = tempfile.TemporaryFile()  # noqa: SIM115 - fermé avec le processus, en fin de banc
    return subprocess.Popen(commande, cwd=RACINE, env=env, stdout=subprocess.DEVNULL, stderr=journal)


def attendre(base: str, processus: subprocess.Popen, delai_s: float = 180.0) -> None:
    fin = time.monotonic() + delai_s
    while time.monotonic() < fin:
        if processus.poll() is not None:
            processus.stderr.seek(0)
            raise SystemExit(f"le service s'est arrêté : {processus.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(base + "/sante", timeout=2).status_code == 200:
                # le moteur est chargé dans le cycle de démarrage : /orientation répond dès que /sante répond
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("le service n'a pas démarré à temps")


def centiles(valeurs: list[float]) -> dict[str, float]:
    if not valeurs:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan")}
    v = sorted(valeurs)

    def c(p: float) -> float:
        return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]

    return {"p50": c(50), "p95": c(95), "p99": c(99)}


async def client(
    numero: int, base: str, fin: float, qs: list[str], sparql: list[tuple[str, str]], mesures: dict, part_sparql: float
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        i = numero
        tirage = random.Random(numero)
        while time.monotonic() < fin:
            i += 1
            vers_sparql = tirage.random() < part_sparql
            route = "sparql" if vers_sparql else "orientation"
            t0 = time.perf_counter()
            try:
                if vers_sparql:
                    _, requete = sparql[i % len(sparql)]
                    r = await c.get("/sparql", params={"query": requete}, headers={"Accept": ACCEPTE})
                else:
                    r = await c.get("/orientation", params={"q": qs[i % len(qs)], "limite": 5})
                ok = r.status_code == 200
                statut = r.status_code
            except httpx.HTTPError as e:
                ok, statut = False, type(e).__name__
            duree = (time.perf_counter() - t0) * 1000
            m = mesures[route]
            if ok:
                m["durees"].append(duree)  # les centiles portent sur les réponses servies
            elif statut in (429, 503):
                m["refus"] += 1  # refus voulu : quota ou saturation, rendu vite avec Retry-After
                m["durees_refus"].append(duree)
                # un client bien élevé attend ce que dit Retry-After avant de revenir
                await asyncio.sleep(min(float(r.headers.get("retry-after", "1")), 5.0))
            else:
                m["erreurs"][str(statut)] = m["erreurs"].get(str(statut), 0) + 1


async def charge(base: str, clients: int, duree: float, part_sparql: float) -> dict:
    qs, sparql = questions(), requetes_sparql()
    mesures = {r: {"durees": [], "erreurs": {}, "refus": 0, "durees_refus": []} for r in ("orientation", "sparql")}
    fin = time.monotonic() + duree
    debut = time.perf_counter()
    await asyncio.gather(*(client(n, base, fin, qs, sparql, mesures, part_sparql) for n in range(clients)))
    ecoule = time.perf_counter() - debut
    bilan = {}
    for route, m in mesures.items():
        n = len(m["durees"])
        bilan[route] = {
            "requetes": n,
            "debit_par_s": round(n / ecoule, 1),
            **{k: round(v, 1) for k, v in centiles(m["durees"]).items()},
            "refus": m["refus"],
            "refus_p95": round(centiles(m["durees_refus"])["p95"], 1),
            "erreurs": m["erreurs"],
        }
    bilan["duree_s"] = round(ecoule, 1)
    return bilan


def surcout(base: str, instantane: Path, repetitions: int = 20) -> list[dict]:
    """Médiane (ms) de chaque requête d'exemple : directement sur le store (résultat sérialisé en JSON ou en
    Turtle, comme le rend le point d'accès), puis à travers /sparql."""
    import pyoxigraph as ox

    from graphe.instantane import ouvrir_courant

    store = ouvrir_courant(instantane).store
    lignes = []
    with httpx.Client(base_url=base, timeout=60) as c:
        for ident, requete in requetes_sparql():
            direct, http = [], []
            for _ in range(repetitions):
                # à armes égales : le point d'accès rend un document sérialisé, la mesure directe aussi
                t0 = time.perf_counter()
                resultat = store.query(requete, use_default_graph_as_union=True)
                if isinstance(resultat, ox.QueryTriples):
                    resultat.serialize(format=ox.RdfFormat.TURTLE)
                else:
                    resultat.serialize(format=ox.QueryResultsFormat.JSON)
                direct.append((time.perf_counter() - t0) * 1000)
                t0 = time.perf_counter()
                r = c.get("/sparql", params={"query": requete}, headers={"Accept": ACCEPTE})
                r.read()
                http.append((time.perf_counter() - t0) * 1000)
            d, h = statistics.median(direct), statistics.median(http)
            lignes.append(
                {
                    "requete": ident,
                    "direct_ms": round(d, 2),
                    "http_ms": round(h, 2),
                    "rapport": round(h / d, 2) if d else None,
                    "statut": r.status_code,
                }
            )
    return lignes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--instantane", type=Path, default=RACINE / "instantane", help="dossier des instantanés")
    p.add_argument("--clients", type=int, default=100)
    p.add_argument("--duree", type=float, default=30.0, help="secondes de charge")
    p.add_argument("--part-sparql", type=float, default=0.5, help="part des requêtes envoyées à /sparql (0–1)")
    p.add_argument("--travailleurs", type=int, default=2, help="travailleurs SPARQL du service")
    p.add_argument("--repetitions", type=int, default=20, help="répétitions pour la mesure de surcoût")
    p.add_argument("--json", type=Path, default=None, help="écrire aussi le bilan dans ce fichier")
    args = p.parse_args(argv)
    port = port_libre()
    base = f"http://{HOTE}:{port}"
    processus = demarrer(args.instantane, port, args.travailleurs)
    try:
        t0 = time.perf_counter()
        attendre(base, processus)
        print(f"service prêt sur {base} en {time.perf_counter() - t0:.1f} s")
        httpx.get(base + "/orientation", params={"q": "radiothérapie Vannes"}, timeout=60)  # échauffement
        bilan = {
            "clients": args.clients,
            "charge": asyncio.run(charge(base, args.clients, args.duree, args.part_sparql)),
        }
        bilan["surcout_sparql"] = surcout(base, args.instantane, args.repetitions)
    finally:
        processus.terminate()
        try:
            processus.wait(timeout=20)
        except subprocess.TimeoutExpired:
            processus.kill()
    c = bilan["charge"]
    print(f"\n{args.clients} clients, {c['duree_s']} s")
    for route in ("orientation", "sparql"):
        m = c[route]
        print(
            f"  {route:12s} {m['requetes']:6d} servies  {m['debit_par_s']:7.1f} req/s  p50 {m['p50']:8.1f} ms  "
            f"p95 {m['p95']:8.1f} ms  p99 {m['p99']:8.1f} ms  refus 429/503 {m['refus']} (p95 {m['refus_p95']} ms)"
            f"  erreurs {m['erreurs'] or 0}"
        )
    print("\nSPARQL direct (pyoxigraph) contre /sparql (médianes en ms) :")
    for ligne in bilan["surcout_sparql"]:
        print(
            f"  {ligne['requete']:28s} {ligne['direct_ms']:9.2f}  {ligne['http_ms']:9.2f}  ×{ligne['rapport']}"
            f"  (HTTP {ligne['statut']})"
        )
    lignes = bilan["surcout_sparql"]
    total_direct, total_http = sum(x["direct_ms"] for x in lignes), sum(x["http_ms"] for x in lignes)
    print(
        f"  {'ensemble (somme des médianes)':28s} {total_direct:9.2f}  {total_http:9.2f}  "
        f"×{total_http / total_direct:.2f}  ; surcoût fixe médian "
        f"{statistics.median(x['http_ms'] - x['direct_ms'] for x in lignes):.1f} ms par requête"
    )
    if args.json:
        args.json.write_text(json.dumps(bilan, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
