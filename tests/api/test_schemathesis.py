"""Essai à données générées (schemathesis) : aucune route documentée ne répond 5xx, quelle que soit l'entrée.

Les exports du graphe entier (/exports/instantane.*) sont exclus : chacun écrit 50 à 120 Mo ; le rapport
d'analyse (/analyses/…) aussi : chaque région tirée au hasard coûterait un rapport de plusieurs minutes.

Pourquoi une boucle sur les opérations plutôt que ``schemathesis.pytest.from_fixture`` : l'intégration
« lazy » de schemathesis 4.32 lit un attribut interne de pytest (``Function._nodeid``) absent de pytest 9.
On garde le même moteur (stratégies Hypothesis tirées du schéma OpenAPI, appel ASGI, contrôle
``not_a_server_error``), opération par opération, et on rapporte tous les échecs d'un coup.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

#: Assez pour trouver les entrées qui cassent (caractères de contrôle, bornes), en moins d'une minute.
EXEMPLES_PAR_OPERATION = 12
#: Le moteur met jusqu'à ~3 s sur une question aléatoire de 500 caractères : moins d'exemples pour ces routes.
EXEMPLES_RECHERCHE = 6
ROUTES_RECHERCHE = ("/orientation", "/second-avis")


@pytest.fixture(scope="session")
def schema_api(client_national, app_nationale):
    # client_national garde l'application démarrée (instantané, moteur, travailleurs SPARQL)
    # /analyses/ : un rapport se calcule en minutes (refus et fichiers : tests/api/test_analyses.py)
    return schemathesis.openapi.from_asgi("/openapi.json", app_nationale).exclude(
        path_regex=r"^/exports/instantane|^/analyses/"
    )


def test_aucune_erreur_serveur(schema_api) -> None:
    echecs: list[str] = []
    operations = 0
    for resultat in schema_api.get_all_operations():
        operation = resultat.ok()
        operations += 1

        @settings(
            max_examples=EXEMPLES_RECHERCHE if operation.path in ROUTES_RECHERCHE else EXEMPLES_PAR_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy())
        def essai(case) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        try:
            essai()
        except Exception as erreur:  # noqa: BLE001 - on veut la liste complète des opérations en échec
            echecs.append(f"{operation.label} : {str(erreur)[:400]}")
    assert operations >= 10
    assert not echecs, "\n".join(echecs)
