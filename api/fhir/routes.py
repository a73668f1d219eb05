"""/fhir/… : l'annuaire des sites en FHIR R4 (Organization, Location, HealthcareService), esprit IHE mCSD."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.fhir import controle
from api.fhir.mcsd import FiltresLieu, FiltresOrganisation, FiltresService, inclusions
from api.fhir.modeles import Bundle, CapabilityStatement, OperationOutcome, Ressource, en_json
from api.fhir.parametres import ErreurFhir, Filtres
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
IdLogique = Annotated[str | None, Query(alias="_id", description="Identifiant logique (FINESS, ej-FINESS).")]
NomContient = Annotated[str | None, Query(alias="name:contains", description="Partie du nom, sans casse ni accents.")]
NomExact = Annotated[str | None, Query(alias="name:exact", description="Le nom exact (casse et accents compris).")]
Service = Annotated[Annuaire, Depends(annuaire)]
Actif = Annotated[str | None, Query(description="true ou false (toutes les organisations servies sont actives).")]
PartieDe = Annotated[str | None, Query(description="L'entité juridique : Organization/ej-{FINESS juridique}.")]
TypeOrganisation = Annotated[
    str | None, Query(alias="type", description="Catégorie d'établissement (texte, sans casse ni accents).")
]
OrganisationGestionnaire = Annotated[str | None, Query(description="Organization/{FINESS} (gestionnaire).")]
Statut = Annotated[str | None, Query(description="active, suspended ou inactive (les lieux servis sont actifs).")]

#: Les paramètres compris par chaque recherche ; les autres sont ignorés et signalés (ou refusés, mode strict).
COMPRIS_NOMS = frozenset({"identifier", "name", "_id", "name:contains", "name:exact"})
COMPRIS_ORGANISATION = COMPRIS_NOMS | {"active", "partof", "type"}
COMPRIS_LIEU = COMPRIS_NOMS | {"near", "organization", "status"}
COMPRIS_SERVICE = frozenset({"service-category", "organization", "location", "service-type", "_id", "name", "_include"})


class Reponse(JSONResponse):
    media_type = MEDIA_FHIR


async def erreur_fhir(_: Request, exc: Exception) -> Reponse:
    """Gestionnaire d'erreurs de l'application : toute :class:`ErreurFhir` devient un ``OperationOutcome``."""
    assert isinstance(exc, ErreurFhir)
    return Reponse(en_json(issue(exc.diagnostic, exc.code)), status_code=exc.statut)


@routeur.get("/metadata", summary="CapabilityStatement", response_class=Reponse, responses=_REPONSES_DECLARATION)
def metadata(requete: Request, service: Service) -> Reponse:
    """Ce que cette façade FHIR sait faire : ressources, interactions, paramètres de recherche."""
    controle.verifier_format(requete)
    return Reponse(en_json(service.declaration()))


@routeur.get("/Organization", summary="Chercher des organisations", response_class=Reponse, responses=_REPONSES)
async def organisations(
    requete: Request,
    service: Service,
    identifier: Identifiant = None,
    name: Nom = None,
    _id: IdLogique = None,
    name_contains: NomContient = None,
    name_exact: NomExact = None,
    active: Actif = None,
    partof: PartieDe = None,
    type_: TypeOrganisation = None,
    _count: Compte = None,
    _offset: Decalage = None,
) -> Reponse:
    """Sites (FINESS géographiques, ``partOf`` leur entité juridique) puis entités juridiques (``ej-…``)."""
    controle.verifier_format(requete)
    ignores = controle.parametres_ignores(requete, COMPRIS_ORGANISATION)
    filtres = Filtres(_id, name_contains, name_exact)
    mcsd = FiltresOrganisation.lire(active, partof, type_)
    bundle = await run_in_threadpool(service.organisations, identifier, name, _count, _offset, filtres, mcsd)
    return Reponse(controle.signaler(en_json(bundle), ignores))


@routeur.get("/Location", summary="Chercher des lieux (near)", response_class=Reponse, responses=_REPONSES)
async def lieux(
    requete: Request,
    service: Service,
    identifier: Identifiant = None,
    name: Nom = None,
    _id: IdLogique = None,
    name_contains: NomContient = None,
    name_exact: NomExact = None,
    near: Annotated[
        str | None,
        Query(
            description="latitude|longitude|distance|unité (km ou m, défaut km) : lieux dans le rayon, du plus "
            "proche au plus loin (distance orthodromique).",
            examples=["47.66|-2.76|30|km"],
        ),
    ] = None,
    organization: OrganisationGestionnaire = None,
    status: Statut = None,
    _count: Compte = None,
    _offset: Decalage = None,
) -> Reponse:
    """Le point, l'adresse et l'organisation gestionnaire de chaque site."""
    controle.verifier_format(requete)
    ignores = controle.parametres_ignores(requete, COMPRIS_LIEU)
    filtres = Filtres(_id, name_contains, name_exact)
    mcsd = FiltresLieu.lire(organization, status)
    bundle = await run_in_threadpool(service.lieux, identifier, name, near, _count, _offset, filtres, mcsd)
    return Reponse(controle.signaler(en_json(bundle), ignores))


@routeur.get("/HealthcareService", summary="Chercher des services", response_class=Reponse, responses=_REPONSES)
async def services(
    requete: Request,
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
    location: Annotated[str | None, Query(description="Location/{FINESS} : les services du lieu.")] = None,
    service_type: Annotated[
        str | None,
        Query(alias="service-type", description="Niveau de preuve (ex. autorisation), ou système|code."),
    ] = None,
    _id: Annotated[str | None, Query(alias="_id", description="Identifiant logique ({FINESS}-{besoin}).")] = None,
    name: Annotated[str | None, Query(description="Partie du nom du service, sans casse ni accents.")] = None,
    _include: Annotated[
        list[str],
        Query(alias="_include", description="HealthcareService:location, HealthcareService:organization."),
    ] = [],  # noqa: B006 - FastAPI copie la valeur par défaut
    _count: Compte = None,
    _offset: Decalage = None,
) -> Reponse:
    """Un service par site et par besoin couvert ; ``comment`` dit le niveau de preuve, la source et la date."""
    controle.verifier_format(requete)
    ignores = controle.parametres_ignores(requete, COMPRIS_SERVICE)
    mcsd = FiltresService.lire(location, service_type, _id, name)
    inclure = inclusions(_include)
    bundle = await run_in_threadpool(
        service.services, service_category, organization, _count, _offset, mcsd, inclure
    )
    return Reponse(controle.signaler(en_json(bundle), ignores))


@routeur.get(
    "/{type_ressource}/{ident}",
    summary="Lire une ressource",
    response_class=Reponse,
    responses=_REPONSES_LECTURE,
)
async def lire(
    requete: Request,
    service: Service,
    type_ressource: Annotated[
        str, Path(description="Organization, Location ou HealthcareService.", examples=["Location"])
    ],
    ident: Annotated[
        str, Path(description="Identifiant logique (FINESS, ej-FINESS, FINESS-besoin).", examples=["940000664"])
    ],
) -> Reponse:
    """Lecture d'une ressource par son identifiant logique."""
    controle.verifier_format(requete)
    return Reponse(en_json(await run_in_threadpool(service.lire, type_ressource, ident)))


@routeur.get("/{type_ressource}", summary="Type non servi", response_class=Reponse, responses=_REPONSES_LECTURE)
def type_non_servi(type_ressource: str) -> Reponse:
    """Un type de ressource que la façade ne sert pas (Practitioner…) : 404 en ``OperationOutcome``, pas ``detail``."""
    raise ErreurFhir(
        f"type de ressource « {type_ressource} » non servi (Organization, Location, HealthcareService)",
        404,
        "not-supported",
    )


@routeur.get(
    "/{type_ressource}/{ident}/{reste:path}",
    summary="Interaction non prise en charge",
    response_class=Reponse,
    responses=_REPONSES_LECTURE,
)
def interaction_non_prise(type_ressource: str, ident: str, reste: str) -> Reponse:
    """``_history``, ``$opération``… : non pris en charge, dit en ``OperationOutcome``."""
    raise ErreurFhir(f"interaction « {reste} » non prise en charge sur {type_ressource}/{ident}", 404, "not-supported")
