"""Les ressources FHIR d'un site : ``Organization`` (et son entité juridique), ``Location``, ``HealthcareService``.

Pourquoi FHIR : c'est la langue des annuaires de santé (Annuaire Santé de l'ANS, profil IHE mCSD). Un logiciel
de coordination qui sait lire un annuaire mCSD lit Boussole sans adaptation : un site = une ``Organization``
(partie de son entité juridique) + une ``Location`` (point, adresse) + un ``HealthcareService`` par besoin
couvert, dont le commentaire dit le niveau de preuve, la source et la date.

Identifiants : le FINESS dans le système ``http://finess.sante.gouv.fr`` (type FINEG/FINEJ) et l'identifiant
national de structure ``urn:oid:1.2.250.1.71.4.2.2`` (IDNST = « 1 » + FINESS), comme l'Annuaire Santé.
"""

from __future__ import annotations

from api.fhir.modeles import (
    Address,
    CodeableConcept,
    Coding,
    HealthcareService,
    Identifier,
    Issue,
    Location,
    OperationOutcome,
    Organization,
    Position,
    Reference,
)
from api.service.sites import Site, libelle_besoin
from ontologie import espaces

MEDIA_FHIR = "application/fhir+json"
SYSTEME_IDNST = "urn:oid:1.2.250.1.71.4.2.2"
SYSTEME_FINESS = "http://finess.sante.gouv.fr"
SYSTEME_TYPE_ID = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
SYSTEME_BESOIN = str(espaces.CONCEPT) + "besoin"
SYSTEME_NIVEAU = str(espaces.BO) + "niveauPreuve"


def issue(diagnostic: str, code: str = "invalid", gravite: str = "error") -> OperationOutcome:
    """Un ``OperationOutcome`` d'un seul problème : ce que rend toute erreur de la façade.

    :param diagnostic: l'explication française.
    :param code: le code FHIR du problème (invalid, not-found, not-supported, transient).
    :param gravite: sa gravité FHIR.
    """
    return OperationOutcome(issue=[Issue(severity=gravite, code=code, diagnostics=diagnostic)])


def id_fhir(texte: str) -> str:
    """Identifiant logique FHIR : [A-Za-z0-9-.]{1,64}."""
    return "".join(c if c.isalnum() or c in "-." else "-" for c in texte)[:64]


def _identifiants(finess: str, juridique: bool) -> list[Identifier]:
    def identifiant(type_: str, systeme: str, valeur: str) -> Identifier:
        return Identifier(
            use="official", type=CodeableConcept(coding=[Coding(system=SYSTEME_TYPE_ID, code=type_)]),
            system=systeme, value=valeur,
        )

    return [
        identifiant("FINEJ" if juridique else "FINEG", SYSTEME_FINESS, finess),
        identifiant("IDNST", SYSTEME_IDNST, "1" + finess),
    ]


def _adresse(site: Site) -> Address:
    return Address(
        use="work",
        type="both",
        country="FRA",
        line=[site.rue] if site.rue else None,
        postalCode=site.code_postal or None,
        city=site.entite.commune or site.localite or None,
        district=site.departement_nom or None,
    )


def organisation(site: Site) -> Organization:
    """L'``Organization`` d'un site (FINESS géographique), ``partOf`` son entité juridique.

    :param site: une ligne de la table des sites.
    """
    e = site.entite
    partie = None
    if e.finess_ej:
        partie = Reference(
            reference=f"Organization/ej-{id_fhir(e.finess_ej)}",
            identifier=Identifier(system=SYSTEME_FINESS, value=e.finess_ej),
            display=site.ej_nom or None,
        )
    return Organization(
        id=id_fhir(e.finess or ""),
        identifier=_identifiants(e.finess or "", False),
        name=e.nom,
        address=[_adresse(site)],
        type=[CodeableConcept(text=e.categorie)] if e.categorie else None,
        partOf=partie,
    )


def organisation_juridique(finess: str, nom: str | None) -> Organization:
    """L'``Organization`` d'une entité juridique (identifiant logique ``ej-FINESS``).

    :param finess: son FINESS juridique.
    :param nom: son nom, s'il est connu.
    """
    return Organization(id="ej-" + id_fhir(finess), identifier=_identifiants(finess, True), name=nom or None)


def lieu(site: Site) -> Location:
    """La ``Location`` d'un site : adresse, point WGS84 (6 décimales) et organisation gestionnaire.

    :param site: une ligne de la table des sites.
    """
    e = site.entite
    position = None
    if e.latitude is not None and e.longitude is not None:
        position = Position(latitude=round(e.latitude, 6), longitude=round(e.longitude, 6))
    return Location(
        id=id_fhir(e.finess or ""),
        identifier=_identifiants(e.finess or "", False)[:1],
        name=e.nom,
        address=_adresse(site),
        managingOrganization=Reference(reference=f"Organization/{id_fhir(e.finess or '')}", display=e.nom),
        position=position,
    )


def services(site: Site) -> list[HealthcareService]:
    """Un ``HealthcareService`` par besoin couvert par le site ; le commentaire cite chaque preuve.

    :param site: une ligne de la table des sites.
    :returns: les services dans l'ordre des besoins ; la preuve la plus forte donne le niveau.
    """
    e = site.entite
    sortie = []
    for besoin, preuves in site.besoins().items():
        meilleure = preuves[0]
        faits = " ; ".join(f"{p.libelle} (source : {p.source}, {p.date})" for p in preuves)
        sortie.append(
            HealthcareService(
                id=id_fhir(f"{e.finess}-{besoin}"),
                providedBy=Reference(reference=f"Organization/{id_fhir(e.finess or '')}", display=e.nom),
                category=[
                    CodeableConcept(
                        coding=[Coding(system=SYSTEME_BESOIN, code=besoin, display=libelle_besoin(besoin))]
                    )
                ],
                type=[
                    CodeableConcept(
                        coding=[Coding(system=SYSTEME_NIVEAU, code=meilleure.niveau)],
                        text=f"niveau de preuve : {meilleure.niveau}",
                    )
                ],
                location=[Reference(reference=f"Location/{id_fhir(e.finess or '')}")],
                name=f"{libelle_besoin(besoin)} — {e.nom}",
                comment=f"Niveau de preuve : {meilleure.niveau}. {faits}",
            )
        )
    return sortie
