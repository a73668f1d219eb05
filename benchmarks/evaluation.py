"""Évaluation de la recherche sur trois jeux : le jeu de développement, le jeu maison et le jeu inédit.

Reproduire :

    python benchmarks/evaluation.py [QUESTIONS_DEV.jsonl] [--instantane DIR] [--sans-references] [--json DIR]

Les jeux : benchmarks/questions_dev.jsonl (le jeu de développement publié du projet, copié tel quel de
/work/shared/eval/questions_dev.jsonl ; remplaçable en argument), benchmarks/questions_boussole.jsonl (le jeu
maison) et benchmarks/inedites/questions_inedites.jsonl (écrit par un évaluateur qui n'a pas lu le code, attendus
calculés depuis les données brutes : voir son README). Mêmes mesures que ``boussole evaluer FICHIER`` : hit@1,
hit@5, MRR (rang du premier attendu dans les 10 premiers) et violations des contraintes, vérifiées par SPARQL sur
le store (voir recherche/evaluation.py), au total puis par genre, le produit à côté des deux références (bm25 seul,
dense seul). Les échecs listés sont ceux du produit ; ``--json DIR`` écrit le détail de tous les systèmes. Le
moteur est chargé une seule fois pour les trois jeux.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

DEV = RACINE / "benchmarks" / "questions_dev.jsonl"
BOUSSOLE = RACINE / "benchmarks" / "questions_boussole.jsonl"
INEDITES = RACINE / "benchmarks" / "inedites" / "questions_inedites.jsonl"


def main() -> int:
    import json

    import pyoxigraph as ox

    from api.reglages import reglages
    from graphe.instantane import chemin_courant
    from recherche.evaluation import ABLATIONS, REFERENCES, SYSTEME_PRINCIPAL, charger_questions, evaluer, rapport
    from recherche.moteur import Moteur

    p = argparse.ArgumentParser(description="Évaluation de la recherche")
    p.add_argument("dev", type=Path, nargs="?", default=DEV)
    p.add_argument("--instantane", type=Path, default=reglages().instantane)
    p.add_argument("--sans-references", action="store_true")
    p.add_argument("--json", type=Path, default=None, help="dossier où écrire le détail des mesures, un JSON par jeu")
    args = p.parse_args()

    dossier = chemin_courant(args.instantane)
    moteur = Moteur.charger(dossier, reglages().modele)
    store = ox.Store.read_only(str(dossier / "store"))
    systemes = (SYSTEME_PRINCIPAL,) if args.sans_references else (SYSTEME_PRINCIPAL, *REFERENCES, *ABLATIONS)
    commande = f"python benchmarks/evaluation.py {args.dev}"
    print(f"Reproduire : {commande} --instantane {args.instantane}\n")
    for fichier in (args.dev, BOUSSOLE, INEDITES):
        questions = charger_questions(fichier)
        bilans = evaluer(moteur, store, questions, systemes)
        titre = f"== {fichier} ({len(questions)} questions, instantané {dossier.name})"
        print(rapport(bilans, titre, echecs_pour=(SYSTEME_PRINCIPAL,)))
        print(flush=True)
        if args.json is not None:
            args.json.mkdir(parents=True, exist_ok=True)
            (args.json / f"{fichier.stem}.json").write_text(
                json.dumps([b.en_dict() for b in bilans], ensure_ascii=False, indent=2), encoding="utf-8"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
