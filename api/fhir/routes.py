"""/fhir/… : l'annuaire des sites en FHIR R4 (Organization, Location, HealthcareService), esprit IHE mCSD."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.fhir.modeles import Bundle, CapabilityStatement, OperationOutcome, Ressource, en_json
from api.fhir.parametres import ErreurFhir
from api.fhir.ressources import MEDIA_FHIR, issue
from api.fhir.service import Annuaire, annuaire
from api.service.erreurs_http import DocReponses

routeur = APIRouter(prefix="/fhir", tags=["FHIR"])

_FHIR: dict[str, dict] = {"content": {MEDIA_FHIR: {}}}
#: Les réponses documentées, avec le schéma de la ressource FHIR rendue (modèles de ``api.fhir.modeles``).
_REPONSES: DocReponses = {
    200: {"model": Bundle, "description": "Bundle FHIR (searchset).", **_FHIR},
    400: {
        "model": OperationOutcome,
        "description": "Paramètre invalide : OperationOutcome (diagnostic en français).",
        **_FHIR,
    },
    503: {"model": OperationOutcome, "description": "Aucun instantané servi : OperationOutcome.", **_FHIR},
}
_REPONSES_DECLARATION: DocReponses = {
    **_REPONSES,
    200: {"model": CapabilityStatement, "description": "CapabilityStatement FHIR.", **_FHIR},
}
_REPONSES_LECTURE: DocReponses = {
    **_REPONSES,
    200: {"model": Ressource, "description": "La ressource (Organization, Location ou HealthcareService).", **_FHIR},
    404: {"model": OperationOutcome, "description": "Ressource inconnue : OperationOutcome.", **_FHIR},
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
Service = Annotated[Annuaire, Depends(annuaire)]


class Reponse(JSONResponse):
    media_type = MEDIA_FHIR


async def erreur_fhir(_: Request, exc: Exception) -> Reponse:
    """Gestionnaire d'erreurs de l'application : toute :class:`ErreurFhir` devient un ``OperationOutcome``."""
    assert isinstance(exc, ErreurFhir)
    return Reponse(en_json(issue(exc.diagnostic, exc.code)), status_code=exc.statut)


@routeur.get("/metadata", summary="CapabilityStatement", response_class=Reponse, responses=_REPONSES_DECLARATION)
def metadata(service: Service) -> Reponse:
    """Ce que cette façade FHIR sait faire : ressources, interactions, paramètres de recherche."""
    return Reponse(en_json(service.declaration()))


@routeur.get("/Organization", summary="Chercher des organisations", response_class=Reponse, responses=_REPONSES)
async def organisations(
    service: Service,
    identifier: Identifiant = None,
    name: Nom = None,
    _count: Compte = None,
    _offset: Decalage = None,
) -> Reponse:
    """Sites (FINESS géographiques, ``partOf`` leur entité juridique) puis entités juridiques (``ej-…``)."""
    return Reponse(en_json(await run_in_threadpool(service.organisations, identifier, name, _count, _offset)))


@routeur.get("/Location", summary="Chercher des lieux (near)", response_class=Reponse, responses=_REPONSES)
async def lieux(
    service: Service,
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
    return Reponse(en_json(await run_in_threadpool(service.lieux, identifier, name, near, _count, _offset)))


@routeur.get("/HealthcareService", summary="Chercher des services", response_class=Reponse, responses=_REPONSES)
async def services(
    service: Service,
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
    bundle = await run_in_threadpool(service.services, service_category, organization, _count, _offset)
    return Reponse(en_json(bundle))


@routeur.get(
    "/{type_ressource}/{ident}",
    summary="Lire une ressource",
    response_class=Reponse,
    responses=_REPONSES_LECTURE,
)
async def lire(
    service: Service,
    type_ressource: Annotated[
        str, Path(description="Organization, Location ou HealthcareService.", examples=["Location"])
    ],
    ident: Annotated[
        str, Path(description="Identifiant logique (FINESS, ej-FINESS, FINESS-besoin).", examples=["940000664"])
    ],
) -> Reponse:
    """Lecture d'une ressource par son identifiant logique."""
    return Reponse(en_json(await run_in_threadpool(service.lire, type_ressource, ident)))
