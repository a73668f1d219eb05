"""Fixtures partagées : l'instantané national construit une fois par session, et son moteur de recherche.

La construction (≈ 1,5 min) et la préparation des index (encodage des documents) ne sont faites qu'une fois,
et seulement si un test les demande. Pour réutiliser un instantané déjà construit (mise au point locale) :
``BOUSSOLE_TESTS_INSTANTANE=/chemin/des/instantanes pytest`` (le dossier qui contient le lien ``courant``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def instantane_national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Le dossier de l'instantané national (store + index de recherche prêts)."""
    from graphe.instantane import chemin_courant
    from recherche.index import preparer_index

    existant = os.environ.get("BOUSSOLE_TESTS_INSTANTANE")
    if existant:
        dossier = chemin_courant(Path(existant))
    else:
        from api.reglages import reglages
        from graphe.construction import construire

        racine = tmp_path_factory.mktemp("instantanes")
        construire(reglages().donnees, racine, progression=False)
        dossier = chemin_courant(racine)
    preparer_index(dossier, progression=False)
    return dossier


@pytest.fixture(scope="session")
def moteur(instantane_national: Path):
    """Le moteur de recherche chargé sur l'instantané national."""
    from recherche.moteur import Moteur

    return Moteur.charger(instantane_national)
