"""/openapi.json face aux vrais outils : openapi-spec-validator (document valide) et schemathesis, tous contrôles.

Pourquoi les vrais outils : un document OpenAPI « presque » valide casse les générateurs de clients et les
passerelles ; seul le validateur de référence le dit. Schemathesis, avec *tous* ses contrôles (conformité des
statuts, des types de contenu, des en-têtes, acceptation des données valides, refus des invalides), vérifie que
ce que le document promet est ce que le service fait.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode

#: Une requête SPARQL en corps direct (SPARQL 1.1 Protocol §2.1.3) est du texte UTF-8 : schemathesis n'a pas de
#: sérialiseur pour ce type, on lui dit d'utiliser celui de text/plain.
schemathesis.serializer.alias("application/sparql-query", "text/plain")

EXEMPLES_PAR_OPERATION = 25
CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_openapi_valide_selon_openapi_spec_validator(client: TestClient) -> None:
    validate(client.get("/openapi.json").json())  # lève OpenAPIValidationError au premier écart


@pytest.fixture
def schema_sparql(fabrique):
    """Une application à elle : schemathesis pilote l'ASGI, cycle de vie compris, et son arrêt fermerait
    l'instantané servi par le client partagé de la session (les tests suivants recevraient des 503)."""
    with TestClient(fabrique()) as propre:
        yield schemathesis.openapi.from_asgi(
            "/openapi.json", propre.app, config=schemathesis.Config.from_path(CONFIG)
        )


@schemathesis.check
def refus_sur_le_texte_sparql_seulement(ctx, response, case) -> bool | None:
    """Le 400 permis aux données valides (voir schemathesis.toml) ne vaut que pour le *texte* SPARQL.

    Une requête vide ou absente est un défaut de paramètre : si le schéma la dit valide, c'est la déclaration
    qui ment (le service la refuse), et ce contrôle échoue.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 400:
        return None
    detail = response.json().get("detail", "")
    if "vide" in detail or "manquant" in detail:
        raise AssertionError(f"donnée valide selon le schéma, refusée comme paramètre : {detail}")
    return None


def _types_de_corps(operation) -> list[str | None]:
    corps = operation.definition.raw.get("requestBody", {}).get("content", {})
    return list(corps) or [None]


def test_schemathesis_tous_controles_sur_sparql(schema_sparql) -> None:
    """Chaque opération /sparql, chaque type de corps déclaré, données valides ET invalides : aucun échec."""
    echecs: list[str] = []
    essais: list[str] = []
    for resultat in schema_sparql.get_all_operations():
        operation = resultat.ok()
        if not operation.path.startswith("/sparql"):
            continue
        # sans paramètre ni corps (/sparql/exemples, /sparql/catalogue), aucune donnée invalide n'existe
        entrees = operation.definition.raw.get("parameters") or operation.definition.raw.get("requestBody")
        modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if entrees else (GenerationMode.POSITIVE,)
        for media in _types_de_corps(operation):
            for mode in modes:

                @settings(
                    max_examples=EXEMPLES_PAR_OPERATION,
                    deadline=None,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
                @given(operation.as_strategy(mode, media_type=media))
                def essai(case) -> None:
                    case.call_and_validate(additional_checks=[refus_sur_le_texte_sparql_seulement])

                nom = f"{operation.label} [{media or 'sans corps'}, {mode.value}]"
                essais.append(nom)
                try:
                    essai()
                except Exception as erreur:  # noqa: BLE001 - la liste complète des opérations en échec
                    echecs.append(f"{nom} : {str(erreur)[:1500]}")
    # (GET, POST formulaire, POST sparql-query) × 2 modes ; /sparql/exemples ; /sparql/catalogue
    assert len(essais) == 8, essais
    assert not echecs, "\n".join(echecs)
