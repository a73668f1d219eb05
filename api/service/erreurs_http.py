"""Traduction des erreurs en réponses JSON françaises, et la forme de ces réponses.

Pourquoi : une entrée invalide doit toujours donner un 4xx qui explique quoi corriger, jamais un 500 ni un
message anglais de bibliothèque. Le 500 reste réservé aux vraies pannes, sans détail interne. Les services lèvent
des exceptions du domaine (:class:`~api.service.erreurs.RequeteRefusee`, :class:`~api.service.admission.Sature`) ;
seul ce module sait les dire en HTTP.
"""

from __future__ import annotations

import logging
from html import escape
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.pages import securite
from api.service.admission import Sature
from api.service.erreurs import RequeteRefusee
from api.service.negociation import Offre, choisir

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
    422: "paramètres invalides",
    429: "trop de requêtes",
    500: "erreur interne",
    503: "service indisponible pour le moment : réessayez dans quelques secondes",
}

#: Une entrée ``responses`` de la documentation OpenAPI d'une route.
DocReponses = dict[int | str, dict[str, Any]]


class Erreur(BaseModel):
    """Toute réponse d'erreur : un message en français, lisible par une personne."""

    detail: str = Field(examples=["requête trop longue : 1048600 octets, au plus 20000 permis"])


class ErreurValidation(Erreur):
    erreurs: list[dict] = Field(
        default_factory=list,
        description="Chaque paramètre refusé : champ et raison.",
        examples=[[{"champ": "query.limite", "message": "doit être un entier"}]],
    )


_JSON, _HTML = Offre("json", "application/json"), Offre("html", "text/html")


def pour_un_navigateur(request: Request) -> bool:
    """Le client préfère une page à du JSON (un navigateur nomme ``text/html`` avant ``*/*``) ; curl, les
    bibliothèques HTTP et les scripts, qui n'en disent rien ou demandent JSON, reçoivent du JSON."""
    accept = request.headers.get("accept") or ""
    return "text/html" in accept.lower() and choisir(accept, [_JSON, _HTML]) is _HTML


def page_erreur(statut: int, detail: str) -> str:
    """La page HTML d'une erreur, en français, avec la même feuille de style que les autres pages."""
    titre = f"Erreur {statut} — {MESSAGES_HTTP.get(statut, 'erreur')}"
    return (
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(titre)} · Boussole</title><link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="/statique/boussole.css"></head><body><main id="contenu">'
        f"<h1>{escape(titre)}</h1><p>{escape(detail)}</p>"
        '<p><a href="/">Retour à la page d\'accueil de Boussole</a> · <a href="/docs">documentation de l\'API</a></p>'
        "</main></body></html>"
    )


def repondre(request: Request, statut: int, contenu: dict[str, Any], entetes: dict[str, str] | None = None) -> Response:
    """Une réponse d'erreur : JSON (``{"detail": …}``), ou la même erreur en page HTML pour un navigateur."""
    if pour_un_navigateur(request):
        return HTMLResponse(
            page_erreur(statut, str(contenu.get("detail", ""))), statut, {**(entetes or {}), **securite.entetes()}
        )
    return JSONResponse(status_code=statut, content=contenu, headers=entetes)


def _champ(loc: tuple) -> str:
    return ".".join(str(p) for p in loc if p != "body") or "requête"


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    erreurs = [{"champ": _champ(tuple(e.get("loc", ()))), "message": e.get("msg", "")} for e in exc.errors()]
    noms = ", ".join(sorted({e["champ"] for e in erreurs}))
    return repondre(request, 422, {"detail": f"paramètre(s) invalide(s) : {noms}", "erreurs": erreurs})


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail
    if not isinstance(detail, str) or detail == _phrase_anglaise(exc.status_code):
        detail = MESSAGES_HTTP.get(exc.status_code, "erreur")
    entetes = dict(exc.headers or {})
    if exc.status_code in (429, 503):
        entetes.setdefault("Retry-After", str(RETRY_AFTER_DEFAUT_S))
    return repondre(request, exc.status_code, {"detail": detail}, entetes or None)


def _phrase_anglaise(statut: int) -> str:
    try:
        return HTTPStatus(statut).phrase
    except ValueError:
        return ""


#: Délai conseillé (s) quand un refus « revenez plus tard » (429, 503) n'en donne pas lui-même.
RETRY_AFTER_DEFAUT_S = 5


async def _refus(request: Request, exc: Exception) -> Response:
    """Un refus du domaine ; 429 et 503 disent toujours quand revenir (``Retry-After``), jamais un corps vide."""
    assert isinstance(exc, RequeteRefusee)
    attente = exc.retry_after_s if exc.retry_after_s is not None else RETRY_AFTER_DEFAUT_S
    entetes = {"Retry-After": str(attente)} if exc.statut in (429, 503) else None
    return repondre(request, exc.statut, {"detail": exc.message, **exc.champs}, entetes)


async def _sature(request: Request, exc: Exception) -> Response:
    """503 : le service est plein ; ``Retry-After`` dit quand revenir."""
    assert isinstance(exc, Sature)
    return repondre(request, 503, {"detail": exc.message}, {"Retry-After": str(exc.retry_after_s)})


async def _panne(request: Request, exc: Exception) -> Response:
    journal.exception("erreur interne sur %s %s", request.method, request.url.path)
    return repondre(request, 500, {"detail": "erreur interne du service"})


def installer(app: FastAPI) -> None:
    """Branche les traductions sur ``app`` : validation (422), HTTP, refus du domaine, saturation (503), panne."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(RequeteRefusee, _refus)
    app.add_exception_handler(Sature, _sature)
    app.add_exception_handler(Exception, _panne)
