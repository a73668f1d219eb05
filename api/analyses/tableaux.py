"""Écrire un tableau du rapport en CSV (UTF-8, virgules, en-tête) : le seul écrivain des CSV des analyses.

Pourquoi à part de ``rapport`` : ``boussole comparer`` et ``boussole valider`` écrivent leurs CSV de la même façon
sans dépendre de la page du rapport (qui, elle, montre ce que ``comparer`` calcule).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path


def ecrire_lignes(colonnes: list[str], lignes: list[dict[str, str]], chemin: Path) -> None:
    tampon = io.StringIO()
    ecrivain = csv.DictWriter(tampon, fieldnames=colonnes, lineterminator="\n")
    ecrivain.writeheader()
    ecrivain.writerows(lignes)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_text(tampon.getvalue(), encoding="utf-8")
