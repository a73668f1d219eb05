"""Aides des tests du moteur : le store de l'instantané national, et la vérification SPARQL des preuves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from recherche.evaluation import entites_avec_preuve


@pytest.fixture(scope="session")
def store_national(instantane_national: Path) -> ox.Store:
    return ox.Store.read_only(str(instantane_national / "store"))


@pytest.fixture(scope="session")
def preuves_sparql(store_national: ox.Store) -> Callable[[str], set[str]]:
    """besoin → IRI des entités qui en ont une preuve dans le graphe (requête SPARQL, mise en cache)."""
    cache: dict[str, set[str]] = {}

    def lire(besoin: str) -> set[str]:
        if besoin not in cache:
            cache[besoin] = entites_avec_preuve(store_national, besoin)
        return cache[besoin]

    return lire
