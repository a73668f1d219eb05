"""/fhir/… : l'annuaire des sites en FHIR R4 (Organization, Location, HealthcareService), esprit IHE mCSD."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api import fhir, vue

routeur = APIRouter(prefix="/fhir", tags=["FHIR"])

_FHIR = {"content": {fhir.MEDIA_FHIR: {}}}
_REPONSES = {
    200: {"description": "Bundle FHIR (searchset).", **_FHIR},
    400: {"description": "Paramètre invalide : OperationOutcome (diagnostic en français).", **_FHIR},
    503: {"description": "Aucun instantané servi : OperationOutcome.", **_FHIR},
}

Compte = Annotated[
    str | None, Query(alias="_count", description="Taille de page (1 à 500, défaut 50).", examples=["20"])
]
Decalage = Annotated[str | None, Query(alias="_offset", description="Rang de départ (pagination).")]
Identifiant = Annotated[
    str | None,
    Query(
        description="FINESS, ou système|valeur (http://finess.sante.gouv.fr, urn:oid:1.2.250.1.71.4.2.2).",
        examples=["940000664"],
    ),
]
Nom = Annotated[str | None, Query(description="Partie du nom, sans casse ni accents.", examples=["roussy"])]


class Reponse(JSONResponse):
    media_type = fhir.MEDIA_FHIR


def _erreur(statut: int, diagnostic: str, code: str = "invalid") -> Reponse:
    return Reponse(fhir.issue(diagnostic, code), status_code=statut)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _avec_vue(request: Request, fonction, *args: Any) -> Reponse:
    if getattr(request.app.state, "instantane", None) is None:
        return _erreur(503, "service indisponible : aucun instantané servi", "transient")
    try:
        v = await run_in_threadpool(vue.vue, request.app)
        return Reponse(await run_in_threadpool(fonction, v, _base(request), *args))
    except fhir.ParametreInvalide as e:
        return _erreur(400, str(e))


@routeur.get("/metadata", summary="CapabilityStatement", response_class=Reponse, responses=_REPONSES)
def metadata(request: Request) -> Reponse:
    """Ce que cette façade FHIR sait faire : ressources, interactions, paramètres de recherche."""
    instantane = getattr(request.app.state, "instantane", None)
    date = (instantane.date_construction if instantane else "1970-01-01")[:10]
    return Reponse(fhir.declaration(_base(request), date))


@routeur.get("/Organization", summary="Chercher des organisations", response_class=Reponse, responses=_REPONSES)
async def organisations(
    request: Request, identifier: Identifiant = None, name: Nom = None, _count: Compte = None, _offset: Decalage = None
) -> Reponse:
    """Sites (FINESS géographiques, ``partOf`` leur entité juridique) puis entités juridiques (``ej-…``)."""
    try:
        n, debut = fhir.compte(_count), fhir.decalage(_offset)
    except fhir.ParametreInvalide as e:
        return _erreur(400, str(e))
    return await _avec_vue(request, fhir.chercher_organisations, identifier, name, n, debut)


@routeur.get("/Location", summary="Chercher des lieux (near)", response_class=Reponse, responses=_REPONSES)
async def lieux(
    request: Request,
    identifier: Identifiant = None,
    name: Nom = None,
    near: Annotated[
        str | None,
        Query(
            description="latitude|longitude|distance|km : lieux dans le rayon, du plus "
            "proche au plus loin (distance orthodromique).",
            examples=["47.66|-2.76|30|km"],
        ),
    ] = None,
    _count: Compte = None,
    _offset: Decalage = None,
) -> Reponse:
    """Le point, l'adresse et l'organisation gestionnaire de chaque site."""
    try:
        n, debut = fhir.compte(_count), fhir.decalage(_offset)
        pres = fhir.pres(near) if near is not None else None
    except fhir.ParametreInvalide as e:
        return _erreur(400, str(e))
    return await _avec_vue(request, fhir.chercher_lieux, identifier, name, pres, n, debut, near)


@routeur.get("/HealthcareService", summary="Chercher des services", response_class=Reponse, responses=_REPONSES)
async def services(
    request: Request,
    service_category: Annotated[
        str | None,
        Query(
            alias="service-category",
            description="Code du besoin (ex. radiotherapie) ou système|code.",
            examples=["radiotherapie"],
        ),
    ] = None,
    organization: Annotated[
        str | None, Query(description="Organization/{finess} ou FINESS.", examples=["940000664"])
    ] = None,
    _count: Compte = None,
    _offset: Decalage = None,
) -> Reponse:
    """Un service par site et par besoin couvert ; ``comment`` dit le niveau de preuve, la source et la date."""
    try:
        n, debut = fhir.compte(_count), fhir.decalage(_offset)
    except fhir.ParametreInvalide as e:
        return _erreur(400, str(e))
    return await _avec_vue(request, fhir.chercher_services, service_category, organization, n, debut)


@routeur.get(
    "/{type_ressource}/{ident}",
    summary="Lire une ressource",
    response_class=Reponse,
    responses={**_REPONSES, 404: {"description": "Ressource inconnue : OperationOutcome.", **_FHIR}},
)
async def lire(
    request: Request,
    type_ressource: Annotated[
        str, Path(description="Organization, Location ou HealthcareService.", examples=["Location"])
    ],
    ident: Annotated[
        str, Path(description="Identifiant logique (FINESS, ej-FINESS, FINESS-besoin).", examples=["940000664"])
    ],
) -> Reponse:
    """Lecture d'une ressource par son identifiant logique."""
    if getattr(request.app.state, "instantane", None) is None:
        return _erreur(503, "service indisponible : aucun instantané servi", "transient")
    v = await run_in_threadpool(vue.vue, request.app)
    ressource = None
    if type_ressource == "Organization":
        if ident.startswith("ej-") and ident[3:] in v.entites_juridiques:
            ressource = fhir.organisation_juridique(ident[3:], v.entites_juridiques[ident[3:]])
        elif ident in v.par_finess:
            ressource = fhir.organisation(v.par_finess[ident])
    elif type_ressource == "Location" and ident in v.par_finess:
        ressource = fhir.lieu(v.par_finess[ident])
    elif type_ressource == "HealthcareService":
        site = v.par_finess.get(ident.split("-", 1)[0])
        ressource = next((s for s in fhir.services(site) if s["id"] == ident), None) if site else None
    elif type_ressource not in ("Organization", "Location"):
        return _erreur(
            404,
            f"type de ressource « {type_ressource} » non servi (Organization, Location, HealthcareService)",
            "not-supported",
        )
    if ressource is None:
        return _erreur(404, f"aucune ressource {type_ressource}/{ident}", "not-found")
    return Reponse(ressource)
