"""/etablissements/{finess} et /id/… : la fiche d'une entité du graphe, en HTML, JSON-LD ou Turtle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from api import fiche
from api.reponses import Erreur, ErreurValidation
from ontologie import espaces

routeur = APIRouter(tags=["Établissements"])

MOTIF_FINESS = r"^(\d{2}|2[AB])\d{7}$"

_REPONSES = {
    200: {
        "description": "La fiche : HTML (personnes), JSON-LD ou Turtle (machines), selon Accept ou ``format``.",
        "content": {"text/html": {}, "application/ld+json": {}, "text/turtle": {}},
    },
    404: {"model": Erreur, "description": "Le graphe ne connaît pas cette entité."},
    406: {"model": Erreur, "description": "Format demandé indisponible."},
    422: {"model": ErreurValidation, "description": "Identifiant mal formé."},
    503: {"model": Erreur, "description": "Aucun instantané servi."},
}

Format = Annotated[
    str | None,
    Query(description="html, jsonld ou turtle ; l'emporte sur l'en-tête Accept.", examples=["jsonld"]),
]


async def _servir(request: Request, iri: str, format: str | None, introuvable: str) -> Response:
    instantane = getattr(request.app.state, "instantane", None)
    if instantane is None:
        raise HTTPException(503, "service indisponible : aucun instantané servi")
    try:
        nom = fiche.choisir_format(request.headers.get("accept"), format)
    except fiche.FormatInconnu as erreur:
        raise HTTPException(406, str(erreur)) from erreur
    contenu = await run_in_threadpool(fiche.lire, instantane.store, iri)
    if contenu is None:
        raise HTTPException(404, introuvable)
    entetes = {"Vary": "Accept", "X-Boussole-Instantane": instantane.identifiant}
    if nom == "html":
        return HTMLResponse(fiche.en_html(contenu, instantane.identifiant), headers=entetes)
    if nom == "jsonld":
        texte = await run_in_threadpool(fiche.en_jsonld, contenu)
        return Response(texte, media_type="application/ld+json", headers=entetes)
    texte = await run_in_threadpool(fiche.en_turtle, contenu)
    return Response(texte, media_type="text/turtle; charset=utf-8", headers=entetes)


@routeur.get(
    "/etablissements/{finess}",
    summary="Fiche d'un établissement",
    response_class=Response,
    responses=_REPONSES,
)
async def etablissement(
    request: Request,
    finess: Annotated[
        str,
        Path(
            pattern=MOTIF_FINESS,
            description="FINESS géographique (9 caractères ; 2A/2B pour la Corse).",
            examples=["940000664"],
        ),
    ],
    format: Format = None,
) -> Response:
    """Nom, adresse, commune, point, et chaque fait du graphe rangé sous sa source (titre, date des données),
    avec les preuves (autorisations, activités déclarées, appartenances) qui désignent ce site."""
    return await _servir(
        request, str(espaces.etablissement(finess)), format, f"aucun établissement de FINESS {finess} dans le graphe"
    )


@routeur.get(
    "/id/{chemin:path}",
    summary="Toute entité du graphe par son IRI",
    response_class=Response,
    responses=_REPONSES,
)
async def entite(
    request: Request,
    chemin: Annotated[
        str,
        Path(
            description="La fin de l'IRI https://w3id.org/boussole/id/… (ex. etablissement/940000664).",
            examples=["etablissement/940000664"],
        ),
    ],
    format: Format = None,
) -> Response:
    """Chaque IRI ``https://w3id.org/boussole/id/…`` est servie ici sous ``/id/…`` (données liées)."""
    if not chemin or any(c in chemin for c in '<>"{}|\\^` \n\r\t'):
        raise HTTPException(404, "aucune entité à cette adresse")
    return await _servir(request, str(espaces.ID) + chemin, format, f"aucune entité « id/{chemin} » dans le graphe")
