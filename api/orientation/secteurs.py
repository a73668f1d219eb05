"""Le secteur (public / privé) de chaque site, lu une fois par instantané dans son statut juridique FINESS.

Pourquoi ici et pas dans l'index de recherche : le secteur ne sert qu'au filtre de l'API ; le lire dans le
graphe servi (3 à 4 000 sites, une requête) évite de reconstruire l'index national pour un champ de plus.
"""

from __future__ import annotations

import threading

from api.orientation.filtres import secteur_du_statut
from graphe.instantane import Instantane, solutions

STATUTS = """
PREFIX bo: <https://w3id.org/boussole/ontologie#>
SELECT ?finess ?statut WHERE { ?e a bo:Etablissement ; bo:finess ?finess ; bo:statutJuridique ?statut }"""

_par_instantane: dict[str, dict[str, str]] = {}
_verrou = threading.Lock()


def secteurs(instantane: Instantane | None) -> dict[str, str]:
    """FINESS géographique → « public » ou « prive » ; vide sans instantané (le filtre écarte alors tout)."""
    if instantane is None:
        return {}
    with _verrou:
        if instantane.identifiant not in _par_instantane:
            table: dict[str, str] = {}
            for s in solutions(instantane.store, STATUTS):
                secteur = secteur_du_statut(s["statut"].value.rsplit("/", 1)[-1])
                if secteur:
                    table[s["finess"].value] = secteur
            _par_instantane.clear()
            _par_instantane[instantane.identifiant] = table
        return _par_instantane[instantane.identifiant]
