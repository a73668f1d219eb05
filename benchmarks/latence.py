"""Latence de ``Moteur.demander``, moteur chaud, comparée au plancher (encodage de la requête + index seuls).

    python benchmarks/latence.py [--instantane DIR] [--tours 5] [--questions F.jsonl ...]

Questions : le jeu de développement (``benchmarks/questions_dev.jsonl``, copié de
/work/shared/eval/questions_dev.jsonl) et ``benchmarks/questions_boussole.jsonl``. Chaque question passe
``--tours`` fois (après un tour de chauffe).
Le plancher mesure, sur les mêmes textes, ``encodeur.requete`` + ``index.scores_denses`` +
``index.scores_lexicaux`` : ce qu'aucune réponse ne peut éviter ; le rapport demander / plancher dit ce que
coûtent la compréhension, les masques, le classement et les explications.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

DEV = RACINE / "benchmarks" / "questions_dev.jsonl"
BOUSSOLE = RACINE / "benchmarks" / "questions_boussole.jsonl"


def textes(fichiers: list[Path]) -> list[str]:
    sortie = []
    for f in fichiers:
        for ligne in f.read_text(encoding="utf-8").splitlines():
            if ligne.strip():
                sortie.append(json.loads(ligne)["question"])
    return sortie


def centiles(durees_ms: list[float]) -> tuple[float, float]:
    return float(np.percentile(durees_ms, 50)), float(np.percentile(durees_ms, 95))


def main() -> int:
    from api.reglages import reglages
    from graphe.instantane import chemin_courant
    from recherche.moteur import Moteur

    p = argparse.ArgumentParser(description="Latence de la recherche")
    p.add_argument("--instantane", type=Path, default=reglages().instantane)
    p.add_argument("--tours", type=int, default=5)
    p.add_argument("--questions", type=Path, nargs="*", default=[DEV, BOUSSOLE])
    args = p.parse_args()

    dossier = chemin_courant(args.instantane)
    debut = time.perf_counter()
    moteur = Moteur.charger(dossier, reglages().modele)
    chargement = time.perf_counter() - debut
    questions = textes(args.questions)

    def plancher(q: str) -> None:
        moteur.index.scores_denses(moteur.encodeur.requete(q))
        moteur.index.scores_lexicaux(q)

    for q in questions:  # chauffe
        moteur.demander(q, limite=5)
        plancher(q)
    d_demander, d_plancher = [], []
    for _ in range(args.tours):
        for q in questions:
            t = time.perf_counter()
            moteur.demander(q, limite=5)
            d_demander.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            plancher(q)
            d_plancher.append((time.perf_counter() - t) * 1000)

    p50, p95 = centiles(d_demander)
    f50, f95 = centiles(d_plancher)
    print(f"Instantané {dossier.name}, modèle {moteur.index.modele}, {len(moteur.index.entites)} entités")
    print(f"Chargement du moteur : {chargement:.1f} s")
    print(f"{len(questions)} questions × {args.tours} tours = {len(d_demander)} mesures")
    print(f"{'':<22} {'p50 (ms)':>9} {'p95 (ms)':>9}")
    print(f"{'demander':<22} {p50:>9.1f} {p95:>9.1f}")
    print(f"{'plancher (enc.+index)':<22} {f50:>9.1f} {f95:>9.1f}")
    print(f"{'rapport':<22} {p50 / f50:>9.2f} {p95 / f95:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
