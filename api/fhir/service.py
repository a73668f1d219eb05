"""Le service de la façade FHIR : l'annuaire des sites de l'instantané servi, lu et cherché en ressources typées.

Pourquoi un objet par requête : il porte ce que chaque opération partage (l'instantané servi, la table des sites,
l'adresse publique des liens) ; les routes n'ont plus qu'à passer les paramètres reçus. L'ordre des contrôles
est celui de la norme d'usage : paramètres de pagination et ``near`` d'abord (400), puis l'instantané (503),
puis les filtres (400).
"""

from __future__ import annotations

from dataclasses import dataclass

from api.fhir import parametres
from api.fhir.datation import date_des_faits, dater, dater_paquet
from api.fhir.declaration import declaration
from api.fhir.mcsd import FiltresLieu, FiltresOrganisation, FiltresService
from api.fhir.modeles import Bundle, CapabilityStatement, Ressource
from api.fhir.parametres import ErreurFhir, Filtres
from api.fhir.recherche import chercher_lieux, chercher_organisations, chercher_services
from api.fhir.ressources import lieu, organisation, organisation_juridique, services
from api.service.dependances import BasePublique, InstantaneOuRien, Sites
from api.service.sites import CacheSites, TableSites
from graphe.instantane import Instantane

TYPES_SERVIS = ("Organization", "Location", "HealthcareService")


@dataclass
class Annuaire:
    """L'annuaire FHIR de l'instantané servi.

    :param instantane: l'instantané servi, ou None (toute opération sur les sites rend alors 503).
    :param sites: le cache de la table des sites.
    :param base: l'adresse publique du service (liens ``fullUrl`` et pagination).
    """

    instantane: Instantane | None
    sites: CacheSites
    base: str

    def _table(self) -> TableSites:
        if self.instantane is None:
            raise ErreurFhir("service indisponible : aucun instantané servi", 503, "transient")
        return self.sites.table(self.instantane)

    def _date(self) -> str:
        """``meta.lastUpdated`` : la date des faits sources de l'instantané servi."""
        assert self.instantane is not None  # appelé après _table()
        return date_des_faits(self.instantane)

    def declaration(self) -> CapabilityStatement:
        """Le ``CapabilityStatement``, daté de la construction de l'instantané servi."""
        date = (self.instantane.date_construction if self.instantane else "1970-01-01")[:10]
        return declaration(self.base, date)

    def organisations(
        self,
        identifier: str | None,
        name: str | None,
        count: str | None,
        offset: str | None,
        filtres: Filtres | None = None,
        mcsd: FiltresOrganisation | None = None,
    ) -> Bundle:
        """Recherche ``Organization`` : sites puis entités juridiques."""
        page = parametres.page(count, offset)
        bundle = chercher_organisations(self._table(), self.base, identifier, name, page, filtres or Filtres(), mcsd)
        return dater_paquet(bundle, self._date())

    def lieux(
        self,
        identifier: str | None,
        name: str | None,
        near: str | None,
        count: str | None,
        offset: str | None,
        filtres: Filtres | None = None,
        mcsd: FiltresLieu | None = None,
    ) -> Bundle:
        """Recherche ``Location`` ; ``near`` trie par distance dans le rayon."""
        page = parametres.page(count, offset)
        pres = parametres.pres(near) if near is not None else None
        table = self._table()
        bundle = chercher_lieux(table, self.base, identifier, name, pres, page, near, filtres or Filtres(), mcsd)
        return dater_paquet(bundle, self._date())

    def services(
        self,
        categorie: str | None,
        organization: str | None,
        count: str | None,
        offset: str | None,
        mcsd: FiltresService | None = None,
        inclure: list[str] | None = None,
    ) -> Bundle:
        """Recherche ``HealthcareService`` par besoin, organisation, filtres mCSD ; ``_include`` des lieux et
        organisations."""
        page = parametres.page(count, offset)
        bundle = chercher_services(self._table(), self.base, categorie, organization, page, mcsd, inclure)
        return dater_paquet(bundle, self._date())

    def lire(self, type_ressource: str, ident: str) -> Ressource:
        """Lecture d'une ressource par son identifiant logique (FINESS, ``ej-FINESS``, ``FINESS-besoin``).

        :raises ErreurFhir: 503 sans instantané, 404 type non servi ou ressource inconnue.
        """
        table = self._table()
        ressource: Ressource | None = None
        if type_ressource == "Organization":
            if ident.startswith("ej-") and ident[3:] in table.entites_juridiques:
                ressource = organisation_juridique(ident[3:], table.entites_juridiques[ident[3:]])
            elif ident in table.par_finess:
                ressource = organisation(table.par_finess[ident])
        elif type_ressource == "Location" and ident in table.par_finess:
            ressource = lieu(table.par_finess[ident])
        elif type_ressource == "HealthcareService":
            site = table.par_finess.get(ident.split("-", 1)[0])
            ressource = next((s for s in services(site) if s.id == ident), None) if site else None
        elif type_ressource not in TYPES_SERVIS:
            raise ErreurFhir(
                f"type de ressource « {type_ressource} » non servi (Organization, Location, HealthcareService)",
                404,
                "not-supported",
            )
        if ressource is None:
            raise ErreurFhir(f"aucune ressource {type_ressource}/{ident}", 404, "not-found")
        return dater(ressource, self._date())


def annuaire(instantane: InstantaneOuRien, sites: Sites, base: BasePublique) -> Annuaire:
    """Dépendance FastAPI : l'annuaire de l'instantané servi, pour cette requête."""
    return Annuaire(instantane, sites, base)
