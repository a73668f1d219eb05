"""Évaluation de la recherche sur le jeu de développement et sur benchmarks/questions_boussole.jsonl.

Reproduire :

    python benchmarks/evaluation.py [QUESTIONS_DEV.jsonl] [--instantane DIR] [--sans-references]

(défaut : benchmarks/questions_dev.jsonl, le jeu de développement publié du projet, copié tel quel de
/work/shared/eval/questions_dev.jsonl). Mêmes mesures que ``boussole evaluer FICHIER`` :
hit@1, hit@5, MRR (rang du premier attendu dans les 10 premiers) et violations des contraintes, vérifiées par
SPARQL sur le store (voir recherche/evaluation.py). Le moteur est chargé une seule fois pour les deux jeux.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

DEV = RACINE / "benchmarks" / "questions_dev.jsonl"
BOUSSOLE = RACINE / "benchmarks" / "questions_boussole.jsonl"


def main() -> int:
    import pyoxigraph as ox

    from api.reglages import reglages
    from graphe.instantane import chemin_courant
    from recherche.evaluation import ABLATIONS, REFERENCES, SYSTEME_PRINCIPAL, charger_questions, evaluer, rapport
    from recherche.moteur import Moteur

    p = argparse.ArgumentParser(description="Évaluation de la recherche")
    p.add_argument("dev", type=Path, nargs="?", default=DEV)
    p.add_argument("--instantane", type=Path, default=reglages().instantane)
    p.add_argument("--sans-references", action="store_true")
    args = p.parse_args()

    dossier = chemin_courant(args.instantane)
    moteur = Moteur.charger(dossier, reglages().modele)
    store = ox.Store.read_only(str(dossier / "store"))
    systemes = (SYSTEME_PRINCIPAL,) if args.sans_references else (SYSTEME_PRINCIPAL, *REFERENCES, *ABLATIONS)
    commande = f"python benchmarks/evaluation.py {args.dev}"
    print(f"Reproduire : {commande} --instantane {args.instantane}\n")
    for fichier in (args.dev, BOUSSOLE):
        questions = charger_questions(fichier)
        bilans = evaluer(moteur, store, questions, systemes)
        print(rapport(bilans, f"== {fichier} ({len(questions)} questions, instantané {dossier.name})"))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
