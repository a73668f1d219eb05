"""Âge du patient et rayon de recherche : les contraintes chiffrées d'une question.

Pourquoi à part : un nombre ne dit rien seul (« 84 ans », « 30 km », « dans le 64 ») ; ces règles le lisent
avec le mot qui le suit, avant le thésaurus (« rayon » ressemble à « rayons », la radiothérapie).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from recherche.comprendre.lexique import commence, employes

_AGE_COLLE: Final = re.compile(r"^(\d{1,3})(ans?|mois)$")
_KM_COLLE: Final = re.compile(r"^(\d{1,4})(kms?)$")


def reperer_rayon(formes: list[str], libres: Sequence[bool]) -> tuple[float | None, frozenset[int]]:
    """Rayon (« à moins de 30 km », « dans un rayon de 50 km », « 40km ») ; lu avant le thésaurus, car
    « rayon » ressemble à « rayons » (radiothérapie)."""
    restants = list(libres)
    for i, f in enumerate(formes):
        suivant = formes[i + 1] if i + 1 < len(formes) else ""
        colle_km = _KM_COLLE.match(f)
        rayon = None
        if f.isdigit() and suivant in ("km", "kms", "kilometres", "kilometre"):
            rayon, fin = float(f), i + 2
        elif colle_km:
            rayon, fin = float(colle_km.group(1)), i + 1
        elif (
            commence(formes, i, ("rayon", "de"))
            and suivant == "de"
            and formes[i + 2 : i + 3]
            and formes[i + 2].isdigit()
        ):
            rayon, fin = float(formes[i + 2]), i + 3
            if fin < len(formes) and formes[fin] in ("km", "kms", "kilometres", "kilometre"):
                fin += 1
        if rayon is not None:
            debut = i - 2 if tuple(formes[max(0, i - 2) : i]) == ("rayon", "de") else i
            for k in range(debut, fin):
                restants[k] = False
            return rayon, employes(libres, restants)
    return None, frozenset()


def reperer_age(formes: list[str], libres: Sequence[bool]) -> tuple[int | None, frozenset[int]]:
    """Âge (« 84 ans », « 6 mois », « 84ans », « âgé de 84 ») ; rend aussi les positions employées."""
    restants = list(libres)
    age: int | None = None
    for i, f in enumerate(formes):
        if not restants[i]:
            continue
        suivant = formes[i + 1] if i + 1 < len(formes) else ""
        colle_age = _AGE_COLLE.match(f)
        if f.isdigit() and suivant in ("ans", "an", "mois") and age is None:
            age = int(f) // 12 if suivant == "mois" else int(f)
            restants[i] = restants[i + 1] = False
        elif colle_age and age is None:
            age = int(colle_age.group(1)) // 12 if colle_age.group(2) == "mois" else int(colle_age.group(1))
            restants[i] = False
        elif (
            f.isdigit()
            and len(f) <= 3
            and tuple(formes[max(0, i - 2) : i]) in (("age", "de"), ("agee", "de"))
        ):
            age = int(f)
            restants[i] = False
    return (age if age is not None and age <= 120 else None), employes(libres, restants)
