"""Démarrages à froid : une réponse de ``boussole demander`` et un service prêt à répondre.

Ce qui est mesuré, dans un processus neuf à chaque fois (médiane de ``--tours`` essais) :

- ``demander`` : ``boussole demander "radiothérapie près de Vannes"`` de bout en bout (interpréteur, imports,
  chargement de l'index et des lieux, réponse imprimée) ;
- ``service`` : de ``boussole servir`` lancé à la première réponse 200 de ``/orientation`` (le service n'écoute
  qu'une fois le moteur et les travailleurs SPARQL prêts) ;
- les bases, mesurées dans la même exécution : l'interpréteur seul (``python -c pass``), et ce que coûtait
  l'import de torch + sentence-transformers que ``demander`` ne fait plus (le chemin d'avant).

Reproduire ::

    python benchmarks/demarrage.py [--instantane DIR] [--tours 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

QUESTION = "radiothérapie près de Vannes"


def _chrono(commande: list[str], env: dict[str, str]) -> float:
    debut = time.perf_counter()
    subprocess.run(commande, cwd=RACINE, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - debut


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _service_pret(env: dict[str, str], delai_max_s: float = 300.0) -> float:
    """Secondes entre le lancement de ``boussole servir`` et la première orientation servie (200)."""
    port = _port_libre()
    url = f"http://127.0.0.1:{port}/orientation?q=" + urllib.request.quote(QUESTION)
    debut = time.perf_counter()
    processus = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "servir", "--port", str(port)],
        cwd=RACINE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - debut < delai_max_s:
            try:
                with urllib.request.urlopen(url, timeout=30) as reponse:
                    if reponse.status == 200:
                        return time.perf_counter() - debut
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        raise RuntimeError(f"service non prêt après {delai_max_s} s")
    finally:
        processus.terminate()
        processus.wait(timeout=30)


def main() -> int:
    from api.reglages import reglages

    p = argparse.ArgumentParser(description="Démarrages à froid")
    p.add_argument("--instantane", type=Path, default=reglages().instantane)
    p.add_argument("--tours", type=int, default=5)
    args = p.parse_args()
    env = {**os.environ, "BOUSSOLE_INSTANTANE": str(args.instantane), "PYTHONPATH": str(RACINE)}
    python = [sys.executable]
    mesures: dict[str, list[float]] = {"interpréteur seul": [], "import torch + sentence-transformers": []}
    mesures |= {"boussole demander (froid)": [], "service prêt (1re orientation 200)": []}
    _chrono([*python, "-m", "api.cli", "demander", QUESTION], env)  # chauffe du cache disque, non comptée
    for _ in range(args.tours):
        mesures["interpréteur seul"].append(_chrono([*python, "-c", "pass"], env))
        mesures["import torch + sentence-transformers"].append(
            _chrono([*python, "-c", "import torch, sentence_transformers"], env)
        )
        mesures["boussole demander (froid)"].append(_chrono([*python, "-m", "api.cli", "demander", QUESTION], env))
        mesures["service prêt (1re orientation 200)"].append(_service_pret(env))
    print(f"Reproduire : python benchmarks/demarrage.py --instantane {args.instantane} --tours {args.tours}")
    print(f"{os.cpu_count()} cœurs ; médiane (min – max) de {args.tours} essais, processus neuf à chaque fois\n")
    base = statistics.median(mesures["interpréteur seul"])
    for nom, valeurs in mesures.items():
        med = statistics.median(valeurs)
        print(f"{nom:<40} {med:6.2f} s  ({min(valeurs):.2f} – {max(valeurs):.2f})  × {med / base:5.1f} l'interpréteur")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
