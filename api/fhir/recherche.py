"""Les recherches FHIR sur la table des sites : ``Organization``, ``Location`` (``near``), ``HealthcareService``.

Chaque recherche rend un ``Bundle`` *searchset* paginé, avec ses liens ``self``/``next``/``previous`` qui
reprennent les paramètres reçus.
"""

from __future__ import annotations

from urllib.parse import urlencode

import numpy as np

from api.fhir import parametres
from api.fhir.mcsd import FiltresLieu, FiltresOrganisation, FiltresService
from api.fhir.modeles import (
    Bundle,
    BundleEntry,
    BundleLink,
    BundleSearch,
    Distance,
    Extension,
    HealthcareService,
    Ressource,
)
from api.fhir.parametres import Filtres, Page, Pres
from api.fhir.ressources import lieu, organisation, organisation_juridique, services
from api.service.sites import TableSites
from graphe.geodesie import distances_km
from graphe.texte import cle_ville

EXTENSION_DISTANCE = "http://hl7.org/fhir/StructureDefinition/location-distance"


def paquet(
    base: str,
    chemin: str,
    ressources: list[Ressource],
    total: int,
    page: Page,
    params: dict[str, str | None],
    recherche: list[BundleSearch] | None = None,
) -> Bundle:
    """Le ``Bundle`` d'une page de résultats.

    :param base: l'adresse publique du service (liens absolus).
    :param chemin: le chemin de la recherche (``/fhir/Location``).
    :param ressources: les ressources de la page.
    :param total: le nombre de résultats de la recherche entière.
    :param page: la page servie.
    :param params: les paramètres reçus, repris dans les liens (les vides sont omis).
    :param recherche: pour chaque ressource, son ``search`` (distance de ``near``), ou None.
    """

    def lien(relation: str, depart: int) -> BundleLink:
        p: dict[str, str | int] = {k: v for k, v in params.items() if v}  # sans les paramètres absents ou vides
        p.update({"_count": page.compte, "_offset": depart})
        return BundleLink(relation=relation, url=f"{base}{chemin}?{urlencode(p)}")

    liens = [lien("self", page.debut)]
    if page.debut + page.compte < total:
        liens.append(lien("next", page.debut + page.compte))
    if page.debut > 0:
        liens.append(lien("previous", max(0, page.debut - page.compte)))
    entrees = [
        BundleEntry(
            fullUrl=f"{base}/fhir/{r.resourceType}/{r.id}",
            resource=r,
            search=recherche[i] if recherche else BundleSearch(),
        )
        for i, r in enumerate(ressources)
    ]
    return Bundle(total=total, link=liens, entry=entrees)


def _tranche(elements: list, page: Page) -> list:
    return elements[page.debut : page.debut + page.compte]


def chercher_organisations(
    table: TableSites,
    base: str,
    identifier: str | None,
    name: str | None,
    page: Page,
    filtres: Filtres | None = None,
    mcsd: FiltresOrganisation | None = None,
) -> Bundle:
    """Sites (FINESS géographiques) puis entités juridiques (``ej-…``), filtrés par identifiant et nom."""
    filtres = filtres or Filtres()
    mcsd = mcsd or FiltresOrganisation()
    parametres.verifier_identifiant(identifier)
    motif = parametres.motif_nom(name)
    ressources: list[Ressource] = []
    for site in table.sites:
        if identifier and not parametres.correspond_identifiant(site.finess, identifier):
            continue
        if motif is not None and motif not in site.cle_nom:
            continue
        if filtres.retient(site.finess, site.entite.nom) and mcsd.retient_site(site):
            ressources.append(organisation(site))
    for finess, nom in sorted(table.entites_juridiques.items() if mcsd.retient_entite_juridique() else []):
        if identifier and not parametres.correspond_identifiant(finess, identifier):
            continue
        if motif is not None and not (nom and motif in cle_ville(nom)):
            continue
        if filtres.retient(f"ej-{finess}", nom):
            ressources.append(organisation_juridique(finess, nom))
    params = {"identifier": identifier, "name": name, **_params_filtres(filtres), **_params_organisation(mcsd)}
    return paquet(base, "/fhir/Organization", _tranche(ressources, page), len(ressources), page, params)


def _params_organisation(mcsd: FiltresOrganisation) -> dict[str, str | None]:
    return {
        "active": None if mcsd.actif is None else str(mcsd.actif).lower(),
        "partof": f"Organization/ej-{mcsd.partie_de}" if mcsd.partie_de else None,
        "type": ",".join(sorted(mcsd.types)) if mcsd.types else None,
    }


def _params_filtres(filtres: Filtres) -> dict[str, str | None]:
    """Les filtres, sous leur nom FHIR, repris dans les liens de pagination."""
    return {"_id": filtres.id_logique, "name:contains": filtres.nom_contient, "name:exact": filtres.nom_exact}


def _recherche_distance(distance_km: float) -> BundleSearch:
    valeur = Distance(value=round(distance_km, 3), unit="km", system="http://unitsofmeasure.org", code="km")
    return BundleSearch(extension=[Extension(url=EXTENSION_DISTANCE, valueDistance=valeur)])


def chercher_lieux(
    table: TableSites,
    base: str,
    identifier: str | None,
    name: str | None,
    near: Pres | None,
    page: Page,
    near_brut: str | None = None,
    filtres: Filtres | None = None,
    mcsd: FiltresLieu | None = None,
) -> Bundle:
    """Les lieux filtrés par identifiant et nom ; avec ``near``, ceux du rayon, du plus proche au plus loin.

    :param near_brut: le paramètre ``near`` tel que reçu, repris dans les liens de pagination.
    """
    parametres.verifier_identifiant(identifier)
    motif = parametres.motif_nom(name)
    sites = [
        s
        for s in table.sites
        if (not identifier or parametres.correspond_identifiant(s.finess, identifier))
        and (motif is None or motif in s.cle_nom)
        and (filtres is None or filtres.retient(s.finess, s.entite.nom))
        and (mcsd is None or mcsd.retient(s))
    ]
    recherche: list[BundleSearch] | None = None
    if near is not None:
        avec_point = [s for s in sites if s.entite.latitude is not None and s.entite.longitude is not None]
        points = np.radians(
            np.array([(s.entite.latitude, s.entite.longitude) for s in avec_point], dtype=float).reshape(-1, 2)
        )
        d = distances_km(points, near.latitude, near.longitude) if len(avec_point) else np.array([])
        ordre = [i for i in np.argsort(d, kind="stable") if d[i] <= near.distance_km]
        sites = [avec_point[i] for i in ordre]
        recherche = [_recherche_distance(float(d[i])) for i in ordre]
    params = {"identifier": identifier, "name": name, "near": near_brut, **_params_filtres(filtres or Filtres())}
    if mcsd is not None:
        params["organization"] = f"Organization/{mcsd.organisation}" if mcsd.organisation else None
        params["status"] = ",".join(sorted(mcsd.statuts)) if mcsd.statuts else None
    return paquet(
        base,
        "/fhir/Location",
        [lieu(s) for s in _tranche(sites, page)],
        len(sites),
        page,
        params,
        _tranche(recherche, page) if recherche is not None else None,
    )


def chercher_services(
    table: TableSites,
    base: str,
    categorie: str | None,
    organization: str | None,
    page: Page,
    mcsd: FiltresService | None = None,
    inclure: list[str] | None = None,
) -> Bundle:
    """Les services, filtrés par besoin (``service-category``), organisation et filtres mCSD.

    :param inclure: les types suivis par ``_include`` (Location, Organization) : leurs ressources, pour les
        services de la page, s'ajoutent au Bundle (``search.mode = include``), une fois chacune.
    """
    mcsd = mcsd or FiltresService()
    ressources: list[HealthcareService] = []
    cible = organization.rsplit("/", 1)[-1] if organization else None
    code = categorie.rpartition("|")[2] if categorie else None
    for site in table.sites:
        if cible and site.finess != cible:
            continue
        if mcsd.lieu and site.finess != mcsd.lieu:
            continue
        ressources += [
            s
            for s in services(site)
            if (not code or _code_besoin(s) == code)
            and (mcsd.types is None or _code_type(s) in mcsd.types)
            and (mcsd.ids is None or s.id in mcsd.ids)
            and (mcsd.motif_nom is None or mcsd.motif_nom in cle_ville(s.name or ""))
        ]
    params = {"service-category": categorie, "organization": organization, **_params_service(mcsd)}
    bundle = paquet(base, "/fhir/HealthcareService", _tranche(ressources, page), len(ressources), page, params)
    if inclure:
        bundle.entry += _incluses(table, base, [e.resource for e in bundle.entry], inclure)
    return bundle


def _params_service(mcsd: FiltresService) -> dict[str, str | None]:
    return {
        "location": mcsd.lieu,
        "service-type": ",".join(sorted(mcsd.types)) if mcsd.types else None,
        "_id": ",".join(sorted(mcsd.ids)) if mcsd.ids else None,
    }


def _incluses(table: TableSites, base: str, page: list[Ressource], types: list[str]) -> list[BundleEntry]:
    """Les Location / Organization référencées par les services de la page, une fois chacune (mode include)."""
    sortie: list[BundleEntry] = []
    vues: set[str] = set()
    for service in page:
        assert isinstance(service, HealthcareService)
        references = []
        if "Location" in types:
            references += [r.reference for r in service.location or [] if r.reference]
        if "Organization" in types and service.providedBy and service.providedBy.reference:
            references.append(service.providedBy.reference)
        for reference in references:
            type_, _, ident = reference.partition("/")
            site = table.par_finess.get(ident)
            if reference in vues or site is None:
                continue
            vues.add(reference)
            ressource: Ressource = lieu(site) if type_ == "Location" else organisation(site)
            sortie.append(
                BundleEntry(fullUrl=f"{base}/fhir/{reference}", resource=ressource, search=BundleSearch(mode="include"))
            )
    return sortie


def _code_type(service: HealthcareService) -> str | None:
    """Le code du type d'un ``HealthcareService`` (le niveau de preuve de sa meilleure preuve)."""
    type_ = service.type[0] if service.type else None
    codage = type_.coding if type_ is not None else None
    return codage[0].code if codage else None


def _code_besoin(service: HealthcareService) -> str | None:
    """Le code du besoin d'un ``HealthcareService`` (sa première catégorie)."""
    categorie = service.category[0] if service.category else None
    codage = categorie.coding if categorie is not None else None
    return codage[0].code if codage else None
