"""Traduction des erreurs en réponses JSON françaises.

Pourquoi : une entrée invalide doit toujours donner un 4xx qui explique quoi corriger, jamais un 500 ni un
message anglais de bibliothèque. Le 500 reste réservé aux vraies pannes, sans détail interne.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.sparql.garde import RequeteRefusee

journal = logging.getLogger("boussole.api")

#: Messages par défaut de Starlette, en français.
MESSAGES_HTTP = {
    400: "requête invalide",
    401: "authentification requise",
    403: "accès refusé",
    404: "ressource introuvable",
    405: "méthode HTTP non permise pour cette adresse",
    406: "aucun format de réponse acceptable",
    413: "contenu trop volumineux",
    415: "type de contenu non pris en charge",
    429: "trop de requêtes",
}


def _champ(loc: tuple) -> str:
    return ".".join(str(p) for p in loc if p != "body") or "requête"


async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
    erreurs = [{"champ": _champ(tuple(e.get("loc", ()))), "message": e.get("msg", "")} for e in exc.errors()]
    noms = ", ".join(sorted({e["champ"] for e in erreurs}))
    return JSONResponse(
        status_code=422,
        content={"detail": f"paramètre(s) invalide(s) : {noms}", "erreurs": erreurs},
    )


async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail
    if not isinstance(detail, str) or detail == _phrase_anglaise(exc.status_code):
        detail = MESSAGES_HTTP.get(exc.status_code, "erreur")
    return JSONResponse(status_code=exc.status_code, content={"detail": detail}, headers=exc.headers)


def _phrase_anglaise(statut: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(statut).phrase
    except ValueError:
        return ""


async def _refus(_: Request, exc: RequeteRefusee) -> JSONResponse:
    return JSONResponse(status_code=exc.statut, content={"detail": exc.message})


async def _panne(request: Request, exc: Exception) -> JSONResponse:
    journal.exception("erreur interne sur %s %s", request.method, request.url.path)
    return JSONResponse(status_code=500, content={"detail": "erreur interne du service"})


def installer(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequeteRefusee, _refus)
    app.add_exception_handler(Exception, _panne)
