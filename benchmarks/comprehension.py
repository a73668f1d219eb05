"""Vitesse des étapes légères de la recherche : lecture du thésaurus, du répertoire des lieux, compréhension.

    python benchmarks/comprehension.py [--tours 20]

Ces étapes ne touchent ni l'index ni le modèle ; elles étaient autrefois bornées par des tests chronométrés,
fragiles sur une machine partagée. Ici on imprime des médianes (le thésaurus et le répertoire sont relus
``--tours`` fois, cache vidé ; la compréhension passe ``--tours`` fois sur le jeu de développement) et, comme
base de comparaison mesurée dans la même exécution, le temps d'un simple ``sans_accents`` sur les mêmes textes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from graphe.texte import sans_accents  # noqa: E402
from ontologie.thesaurus import Thesaurus, _charger  # noqa: E402
from recherche.comprendre.comprehension import Comprehenseur  # noqa: E402
from recherche.comprendre.repertoire import Gazetteer  # noqa: E402

DEV = RACINE / "benchmarks" / "questions_dev.jsonl"
THESAURUS = RACINE / "ontologie" / "turtle" / "thesaurus"
GEO = RACINE / "donnees" / "geo"


def mediane_ms(action, tours: int) -> float:
    """Médiane en millisecondes de ``tours`` exécutions de ``action``."""
    durees = []
    for _ in range(tours):
        debut = time.perf_counter()
        action()
        durees.append((time.perf_counter() - debut) * 1000)
    return statistics.median(durees)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tours", type=int, default=20)
    args = parser.parse_args()
    questions = [json.loads(ligne)["question"] for ligne in DEV.read_text(encoding="utf-8").splitlines() if ligne]

    def thesaurus() -> None:
        _charger.cache_clear()
        Thesaurus.charger(THESAURUS)

    gaz = Gazetteer.depuis_csv(GEO)
    comp = Comprehenseur(gazetteer=gaz)
    for q in questions:  # chauffe
        comp.comprendre(q)
    par_question = mediane_ms(lambda: [comp.comprendre(q) for q in questions], args.tours) / len(questions)
    base = mediane_ms(lambda: [sans_accents(q) for q in questions], args.tours) / len(questions)
    print(f"thésaurus (lecture à froid)      : {mediane_ms(thesaurus, max(3, args.tours // 4)):8.1f} ms")
    print(f"répertoire des lieux (CSV)       : {mediane_ms(lambda: Gazetteer.depuis_csv(GEO), 3):8.1f} ms")
    print(f"compréhension, par question      : {par_question:8.3f} ms  ({len(questions)} questions)")
    print(f"base sans_accents, par question  : {base:8.4f} ms  (rapport {par_question / base:,.0f}×)")


if __name__ == "__main__":
    main()
