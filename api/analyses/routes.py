"""/analyses/… : le rapport d'analyse (page HTML, tableaux CSV, cartes SVG et PNG), national ou par région."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from api.analyses import service
from api.analyses.modeles import IndicateurAnalyse
from api.pages import securite
from api.service.dependances import Depot, InstantaneOuRien, ReglagesServis
from api.service.erreurs_http import DocReponses, Erreur, ErreurValidation

routeur = APIRouter(prefix="/analyses", tags=["Analyses"])

_REPONSES: DocReponses = {
    200: {"content": {"text/html": {}, "text/csv": {}, "image/svg+xml": {}, "image/png": {}}},
    404: {"model": Erreur, "description": "Région ou fichier inconnu du rapport."},
    422: {"model": ErreurValidation, "description": "Code de région mal formé."},
    503: {"model": Erreur, "description": "Aucun instantané servi."},
}

CodeRegion = Annotated[str, Path(pattern=r"^\d{2,3}$", description="Code INSEE de la région.", examples=["53"])]
Chemin = Annotated[
    str,
    Path(
        description="Fichier du rapport : csv/NOM.csv, cartes/NOM.svg ou .png.",
        examples=["csv/radiotherapie_par_region.csv"],
    ),
]


async def _servir(instantane, depot, reglages, region: str | None, chemin: str) -> FileResponse:
    dossier = await run_in_threadpool(service.dossier_rapport, instantane, depot, reglages, region)
    cible, type_media = service.fichier(dossier, chemin)
    # le rapport est hors ligne et sans script : la même politique stricte que les pages (styles en ligne permis)
    entetes = {**securite.entetes(style_en_ligne=True), "X-Boussole-Instantane": instantane.identifiant}
    return FileResponse(cible, media_type=type_media, headers=entetes)


@routeur.get("/indicateurs", summary="Les indicateurs du rapport", response_model=list[IndicateurAnalyse])
def indicateurs() -> list[IndicateurAnalyse]:
    """Chaque tableau du rapport : la requête du catalogue qui le calcule et son CSV national."""
    return service.indicateurs()


@routeur.get("/", summary="Rapport d'analyse national (HTML)", response_class=FileResponse, responses=_REPONSES)
async def rapport_national(instantane: InstantaneOuRien, depot: Depot, reglages: ReglagesServis) -> FileResponse:
    """Le rapport national : constats, cartes de couverture par département, tableaux ; préparé au premier appel."""
    return await _servir(instantane, depot, reglages, None, "index.html")


@routeur.get(
    "/regions/{code}/",
    summary="Rapport d'analyse d'une région (HTML)",
    response_class=FileResponse,
    responses=_REPONSES,
)
async def rapport_region(
    code: CodeRegion, instantane: InstantaneOuRien, depot: Depot, reglages: ReglagesServis
) -> FileResponse:
    """Le rapport restreint à une région (ses départements, ses sites)."""
    return await _servir(instantane, depot, reglages, code, "index.html")


@routeur.get(
    "/regions/{code}/{chemin:path}",
    summary="Fichier du rapport d'une région",
    response_class=FileResponse,
    responses=_REPONSES,
)
async def fichier_region(
    code: CodeRegion, chemin: Chemin, instantane: InstantaneOuRien, depot: Depot, reglages: ReglagesServis
) -> FileResponse:
    """Un tableau CSV ou une carte (SVG, PNG) du rapport d'une région."""
    return await _servir(instantane, depot, reglages, code, chemin)


@routeur.get("/{chemin:path}", summary="Fichier du rapport national", response_class=FileResponse, responses=_REPONSES)
async def fichier_national(
    chemin: Chemin, instantane: InstantaneOuRien, depot: Depot, reglages: ReglagesServis
) -> FileResponse:
    """Un tableau CSV ou une carte (SVG, PNG) du rapport national."""
    return await _servir(instantane, depot, reglages, None, chemin)
