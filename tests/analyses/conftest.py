"""Le graphe national pour les analyses : l'instantané déjà construit, sans exiger l'index de recherche.

Les requêtes du catalogue ne lisent que le graphe. Si ``BOUSSOLE_TESTS_INSTANTANE`` désigne un dossier
d'instantanés, on l'ouvre tel quel (un instantané « graphe seul » suffit) ; sinon on prend l'instantané national
complet de la session (tests/conftest.py), construit une fois pour toute la suite.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def racine_nationale(request: pytest.FixtureRequest) -> Path:
    """Le dossier qui contient le lien ``courant`` de l'instantané national."""
    existant = os.environ.get("BOUSSOLE_TESTS_INSTANTANE")
    if existant:
        return Path(existant)
    return Path(request.getfixturevalue("instantane_national")).parent
