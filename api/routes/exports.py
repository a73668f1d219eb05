"""/exports/… : l'instantané entier (N-Quads, TriG, Turtle, JSON-LD) et les sites en CSV et GeoJSON."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from api import exportation, vue
from api.reponses import Erreur

routeur = APIRouter(prefix="/exports", tags=["Exports"])

_INDISPONIBLE = {503: {"model": Erreur, "description": "Aucun instantané servi."}}


def _instantane(request: Request):
    instantane = getattr(request.app.state, "instantane", None)
    if instantane is None:
        raise HTTPException(503, "service indisponible : aucun instantané servi")
    return instantane


def _dossier(request: Request) -> Path:
    dossier = getattr(request.app.state, "dossier_exports", None)
    if dossier is None:
        dossier = Path(tempfile.mkdtemp(prefix="boussole-exports-"))
        request.app.state.dossier_exports = dossier
    return dossier


def _route_rdf(cle: str):
    export = exportation.EXPORTS_RDF[cle]

    async def servir(request: Request) -> FileResponse:
        instantane = _instantane(request)
        chemin = await run_in_threadpool(
            exportation.fichier_rdf, instantane.store, _dossier(request), instantane.identifiant, cle
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


for _cle in exportation.EXPORTS_RDF:
    _route_rdf(_cle)


@routeur.get(
    "/etablissements.csv",
    summary="Sites en CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **_INDISPONIBLE},
)
async def etablissements_csv(request: Request) -> Response:
    """Un site (FINESS géographique) par ligne : identité, territoire, point et précision, besoins couverts
    (``besoin:meilleur_niveau``, séparés par ``|``) et le détail des preuves (fait, source, date)."""
    instantane = _instantane(request)
    v = await run_in_threadpool(vue.vue, request.app)
    return Response(
        exportation.csv_sites(v),
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
async def etablissements_geojson(request: Request) -> Response:
    """FeatureCollection (RFC 7946) : un Point ``[longitude, latitude]`` par site géolocalisé, avec ses besoins
    et leurs preuves en propriétés."""
    instantane = _instantane(request)
    v = await run_in_threadpool(vue.vue, request.app)
    return Response(
        exportation.geojson_sites(v),
        media_type="application/geo+json",
        headers={"X-Boussole-Instantane": instantane.identifiant},
    )
