"""/etablissements/{finess} et /id/… : la fiche d'une entité du graphe, en HTML, JSON-LD ou Turtle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.fiches import service
from api.pages.securite import entetes as entetes_page
from api.service.dependances import InstantaneOuRien
from api.service.erreurs import RequeteRefusee
from api.service.erreurs_http import DocReponses, Erreur, ErreurValidation
from ontologie import espaces

routeur = APIRouter(tags=["Établissements"])

MOTIF_FINESS = r"^(\d{2}|2[AB])\d{7}$"

_REPONSES: DocReponses = {
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


async def _servir(
    request: Request, instantane: InstantaneOuRien, iri: str | None, format: str | None, introuvable: str = ""
) -> Response:
    """La fiche de ``iri`` (``None`` : le document de l'ontologie)."""
    accept = request.headers.get("accept")
    if iri is None:
        fiche = await run_in_threadpool(service.servir_vocabulaire, instantane, accept, format)
    else:
        fiche = await run_in_threadpool(service.servir, instantane, iri, accept, format, introuvable)
    entetes = {"Vary": "Accept", "X-Boussole-Instantane": fiche.instantane}
    if fiche.type_contenu.startswith("text/html"):
        entetes.update(entetes_page())  # la page d'une personne : CSP stricte, comme les autres pages
    return Response(fiche.texte, headers=entetes, media_type=fiche.type_contenu)


@routeur.get(
    "/etablissements/{finess}",
    summary="Fiche d'un établissement",
    response_class=Response,
    responses=_REPONSES,
)
async def etablissement(
    request: Request,
    instantane: InstantaneOuRien,
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
    introuvable = f"aucun établissement de FINESS {finess} dans le graphe"
    return await _servir(request, instantane, str(espaces.etablissement(finess)), format, introuvable)


@routeur.get(
    "/id/{chemin:path}",
    summary="Toute entité du graphe par son IRI",
    response_class=Response,
    responses=_REPONSES,
)
async def entite(
    request: Request,
    instantane: InstantaneOuRien,
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
    return await _servir_espace(request, instantane, espaces.ID, "id", chemin, format)


def _verifier(chemin: str) -> None:
    if not chemin or any(c in chemin for c in '<>"{}|\\^` \n\r\t'):
        raise RequeteRefusee("aucune entité à cette adresse", 404)


async def _servir_espace(
    request: Request, instantane: InstantaneOuRien, base: object, nom: str, chemin: str, format: str | None
) -> Response:
    _verifier(chemin)
    introuvable = f"aucune entité « {nom}/{chemin} » dans le graphe"
    return await _servir(request, instantane, str(base) + chemin, format, introuvable)


Chemin = Annotated[str, Path(description="La fin de l'IRI.", examples=["besoin/radiotherapie"])]


@routeur.get(
    "/concept/{chemin:path}",
    summary="Un concept des thésaurus (SKOS)",
    response_class=Response,
    responses=_REPONSES,
)
async def concept(request: Request, instantane: InstantaneOuRien, chemin: Chemin, format: Format = None) -> Response:
    """Chaque IRI ``https://w3id.org/boussole/concept/…`` (besoins, localisations, catégories…) servie ici."""
    return await _servir_espace(request, instantane, espaces.CONCEPT, "concept", chemin, format)


@routeur.get(
    "/source/{chemin:path}",
    summary="Une source (graphe nommé) et sa description",
    response_class=Response,
    responses=_REPONSES,
)
async def source(request: Request, instantane: InstantaneOuRien, chemin: Chemin, format: Format = None) -> Response:
    """Chaque IRI ``https://w3id.org/boussole/source/…`` : titre, éditeur, licence, date des données (DCAT)."""
    return await _servir_espace(request, instantane, espaces.SRC, "source", chemin, format)


@routeur.get("/ontologie", summary="L'ontologie : chaque terme bo:…", response_class=Response, responses=_REPONSES)
async def ontologie(request: Request, instantane: InstantaneOuRien, format: Format = None) -> Response:
    """Le document des termes ``https://w3id.org/boussole/ontologie#Terme`` : une section par terme (HTML),
    ou leurs triplets (JSON-LD, Turtle)."""
    return await _servir(request, instantane, None, format)
