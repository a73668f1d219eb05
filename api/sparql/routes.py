"""/sparql : le point d'accès SPARQL 1.1 public (lecture seule) et ses exemples."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api.pages.securite import entetes
from api.reglages import Reglages
from api.service.dependances import InstantaneOuRien, ReglagesServis, ReserveOuRien
from api.service.erreurs import RequeteRefusee
from api.service.erreurs_http import DocReponses
from api.sparql import description, protocole
from api.sparql.budgets import BudgetsClients
from api.sparql.execution import ReserveSparql
from api.sparql.formats import Format
from api.sparql.limites import adresse_client, limiter
from api.sparql.modeles import ERREURS_SPARQL, ExempleSparql, RequeteCatalogueSparql
from api.sparql.page import catalogue_publie, exemples_publies, page
from api.sparql.protocole import PREFIXES
from graphe.instantane import Instantane

routeur = APIRouter(tags=["SPARQL"])

def _entete(description: str, type_: str) -> dict:
    return {"description": description, "schema": {"type": type_}}


#: Types de graphe RDF : réponses aux CONSTRUCT / DESCRIBE, et description du service (GET sans requête).
_GRAPHE = ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")
_RESULTATS: DocReponses = {
    200: {
        "description": "Résultats SPARQL (SELECT, ASK) ou graphe RDF (CONSTRUCT, DESCRIBE), format négocié. "
        "GET sans paramètre query : page d'exemples (text/html) ou, si Accept demande du RDF, description du "
        "service (SPARQL 1.1 Service Description).",
        "content": {
            "application/sparql-results+json": {"schema": {"type": "object"}},
            "application/sparql-results+xml": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
            "text/tab-separated-values": {"schema": {"type": "string"}},
            **{m: {"schema": {"type": "string"} if m != "application/ld+json" else {}} for m in _GRAPHE},
            "text/html": {"schema": {"type": "string"}},
        },
        "headers": {
            "X-Boussole-Tronque": _entete(
                "true si le résultat a été coupé (X-Boussole-Lignes-Max lignes ou X-Boussole-Octets-Max octets).",
                "string",
            ),
            "X-Boussole-Tronque-Motif": _entete(
                "Présent si le résultat a été coupé : « lignes » ou « octets », le plafond atteint (le JSON le "
                "redit dans son champ boussole.motif ; le document coupé reste valide).",
                "string",
            ),
            "X-Boussole-Lignes": _entete("Nombre de lignes (ou de triplets) rendues.", "integer"),
            "X-Boussole-Lignes-Max": _entete("Nombre maximal de lignes rendues.", "integer"),
            "X-Boussole-Octets-Max": _entete("Taille maximale d'une réponse, en octets.", "integer"),
            "X-Boussole-Instantane": _entete("Identifiant de l'instantané interrogé.", "string"),
        },
    },
    **ERREURS_SPARQL,
}


@routeur.get(
    "/sparql",
    summary="Interroger le graphe (SPARQL 1.1, GET)",
    response_class=Response,
    responses=_RESULTATS,
    dependencies=[Depends(limiter)],
)
async def sparql_get(
    request: Request,
    reglages: ReglagesServis,
    instantane: InstantaneOuRien,
    reserve: ReserveOuRien,
    query: Annotated[
        str | None,
        Query(
            description="Requête SPARQL 1.1 (SELECT, ASK, CONSTRUCT, DESCRIBE), non vide. Absente : page "
            "d'exemples (HTML) ou description du service (RDF, selon Accept). Mal formée : 400 avec sa position.",
            # déclaré, mais vérifié par le protocole (400 SPARQL) plutôt que par FastAPI (422)
            json_schema_extra={"minLength": 1, "pattern": r"\S"},
            examples=["SELECT ?source ?titre WHERE { GRAPH src:meta { ?source dct:title ?titre } }"],
        ),
    ] = None,
    format: Annotated[
        list[str],
        Query(
            description="json, xml, csv, tsv | turtle, ntriples, jsonld, rdfxml ; une seule valeur comprise "
            "l'emporte sur Accept (répétée ou inconnue : Accept décide)."
        ),
    ] = [],  # noqa: B006 - FastAPI copie la valeur par défaut
    default_graph_uri: Annotated[
        list[str], Query(alias="default-graph-uri", description="Graphe(s) par défaut.")
    ] = [],  # noqa: B006 - FastAPI copie la valeur par défaut
    named_graph_uri: Annotated[
        list[str], Query(alias="named-graph-uri", description="Graphe(s) nommé(s).")
    ] = [],  # noqa: B006
) -> Response:
    """Protocole SPARQL 1.1, opération query par GET. Sans ``query`` ni ``update`` : page d'exemples HTML."""
    operation = protocole.lire_get(request)
    if operation.requete is None and not operation.mise_a_jour:
        rdf = description.format_demande(request.headers.get("accept"))
        if rdf is None:
            return HTMLResponse(page(reglages, instantane.identifiant if instantane else None), headers=entetes())
        return await _description(request, rdf, reglages, reserve, instantane)
    return await _repondre(request, operation, reglages, reserve, instantane)


async def _repondre(
    request: Request,
    operation: protocole.Operation,
    reglages: Reglages,
    reserve: ReserveSparql | None,
    instantane: Instantane | None,
) -> Response:
    """L'opération, exécutée sous les budgets du client (``app.state.budgets_sparql``, posés par ``creer_app``)."""
    budgets: BudgetsClients | None = getattr(request.app.state, "budgets_sparql", None)
    return await protocole.repondre(
        operation, request.headers.get("accept"), reglages, reserve, instantane, budgets, adresse_client(request)
    )


async def _description(
    request: Request,
    rdf: Format,
    reglages: Reglages,
    reserve: ReserveSparql | None,
    instantane: Instantane | None,
) -> Response:
    """SPARQL 1.1 Service Description de ce point d'accès, dans le format RDF négocié."""
    if reserve is None or instantane is None:
        raise RequeteRefusee("aucun instantané du graphe n'est servi pour le moment : réessayez plus tard", 503)
    with reserve.admission():
        graphes = await run_in_threadpool(
            description.graphes_nommes, reserve, instantane.identifiant, reglages.sparql_lignes_max
        )
    point = str(request.url.replace(query=""))
    corps = description.serialiser(
        description.triplets(point, graphes, reglages.sparql_lignes_max, reglages.sparql_delai_s), rdf, PREFIXES
    )
    entetes = {"Vary": "Accept", "X-Boussole-Instantane": instantane.identifiant}
    return Response(content=corps, media_type=rdf.content_type, headers=entetes)


@routeur.post(
    "/sparql",
    summary="Interroger le graphe (SPARQL 1.1, POST)",
    response_class=Response,
    responses=_RESULTATS,
    dependencies=[Depends(limiter)],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string", "minLength": 1, "pattern": r"\S"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "format": {"type": "string"},
                        },
                        "required": ["query"],
                    }
                },
                "application/sparql-query": {
                    "schema": {"type": "string", "minLength": 1, "pattern": r"\S"},
                    "example": "ASK { ?s a <https://w3id.org/boussole/ontologie#Etablissement> }",
                },
            },
        }
    },
)
async def sparql_post(
    request: Request, reglages: ReglagesServis, instantane: InstantaneOuRien, reserve: ReserveOuRien
) -> Response:
    """Protocole SPARQL 1.1, opération query par POST (formulaire ou corps direct) ; mise à jour : 403."""
    operation = await protocole.lire_post(request, reglages.sparql_taille_max)
    return await _repondre(request, operation, reglages, reserve, instantane)


@routeur.get("/sparql/exemples", summary="Requêtes d'exemple", response_model=list[ExempleSparql])
def exemples() -> list[ExempleSparql]:
    """Les requêtes d'analyste de la page /sparql, prêtes à envoyer (PREFIX compris)."""
    return exemples_publies()


@routeur.get(
    "/sparql/catalogue", summary="Catalogue des requêtes d'analyste", response_model=list[RequeteCatalogueSparql]
)
def catalogue_analyste() -> list[RequeteCatalogueSparql]:
    """Les requêtes ``requetes/*.rq`` (indicateurs, couverture, fraîcheur, évolutions), prêtes à envoyer."""
    return catalogue_publie()
