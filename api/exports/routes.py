"""/exports/… : l'instantané entier (N-Quads, TriG, Turtle, JSON-LD) et les sites en CSV et GeoJSON."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from api.exports import fichiers
from api.service.dependances import Depot, InstantaneServi, Sites
from api.service.erreurs_http import DocReponses, Erreur

routeur = APIRouter(prefix="/exports", tags=["Exports"])

_INDISPONIBLE: DocReponses = {503: {"model": Erreur, "description": "Aucun instantané servi."}}


def _route_rdf(cle: str) -> None:
    export = fichiers.EXPORTS_RDF[cle]

    async def servir(instantane: InstantaneServi, depot: Depot) -> FileResponse:
        chemin = await run_in_threadpool(
            fichiers.fichier_rdf, instantane.store, depot.dossier(), instantane.identifiant, cle
        )
        return FileResponse(
            chemin,
            media_type=export.type_media,
            filename=f"boussole-{instantane.identifiant}.{cle}",
            headers={"X-Boussole-Instantane": instantane.identifiant},
        )

    union = " (union des graphes nommés : la source de chaque fait est perdue)" if export.union else ""
    routeur.add_api_route(
        f"/{export.fichier}",
        servir,
        methods=["GET"],
        summary=f"Instantané complet en {export.nom}",
        description=f"Tout le graphe de l'instantané servi, en {export.nom}{union}. Préparé au premier appel, "
        "puis servi en flux.",
        response_class=FileResponse,
        responses={200: {"content": {export.type_media: {}}}, **_INDISPONIBLE},
    )


for _cle in fichiers.EXPORTS_RDF:
    _route_rdf(_cle)


@routeur.get(
    "/etablissements.csv",
    summary="Sites en CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **_INDISPONIBLE},
)
async def etablissements_csv(instantane: InstantaneServi, sites: Sites) -> Response:
    """Un site (FINESS géographique) par ligne : identité, territoire, point et précision, besoins couverts
    (``besoin:meilleur_niveau``, séparés par ``|``) et le détail des preuves (fait, source, date)."""
    table = await run_in_threadpool(sites.table, instantane)
    return Response(
        fichiers.csv_sites(table),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="boussole-etablissements-{instantane.identifiant}.csv"',
            "X-Boussole-Instantane": instantane.identifiant,
        },
    )


@routeur.get(
    "/etablissements.geojson",
    summary="Sites en GeoJSON",
    response_class=Response,
    responses={200: {"content": {"application/geo+json": {}}}, **_INDISPONIBLE},
)
async def etablissements_geojson(instantane: InstantaneServi, sites: Sites) -> Response:
    """FeatureCollection (RFC 7946) : un Point ``[longitude, latitude]`` par site géolocalisé, avec ses besoins
    et leurs preuves en propriétés."""
    table = await run_in_threadpool(sites.table, instantane)
    return Response(
        fichiers.geojson_sites(table),
        media_type="application/geo+json",
        headers={"X-Boussole-Instantane": instantane.identifiant},
    )
