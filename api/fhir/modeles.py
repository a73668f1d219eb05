"""Les ressources FHIR R4 que sert la façade, en modèles typés (sous-ensemble utile des types FHIR).

Pourquoi des modèles : un ``Organization`` mal formé (clé mal orthographiée, liste au lieu d'objet) est une
erreur de type ici, pas une surprise chez le logiciel qui lit l'annuaire ; et le schéma OpenAPI des réponses
FHIR en découle. Les noms des champs sont ceux de la norme FHIR (``managingOrganization``, ``partOf``…) : c'est le
vocabulaire que lit un client mCSD. Un champ absent (None) n'est pas écrit (:func:`en_json`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class ElementFhir(BaseModel):
    """Base des éléments FHIR : champs dans l'ordre de la norme, aucun champ inconnu."""

    model_config = ConfigDict(extra="forbid")


class Coding(ElementFhir):
    system: str | None = None
    code: str | None = None
    display: str | None = None


class CodeableConcept(ElementFhir):
    coding: list[Coding] | None = None
    text: str | None = None


class Identifier(ElementFhir):
    use: str | None = None
    type: CodeableConcept | None = None
    system: str | None = None
    value: str | None = None


class Reference(ElementFhir):
    reference: str | None = None
    identifier: Identifier | None = None
    display: str | None = None


class Address(ElementFhir):
    use: str | None = None
    type: str | None = None
    country: str | None = None
    line: list[str] | None = None
    postalCode: str | None = None
    city: str | None = None
    district: str | None = None


class Position(ElementFhir):
    latitude: float
    longitude: float


class Meta(ElementFhir):
    lastUpdated: str


class Organization(ElementFhir):
    resourceType: Literal["Organization"] = "Organization"
    id: str
    meta: Meta | None = None
    identifier: list[Identifier]
    active: bool = True
    name: str | None = None
    address: list[Address] | None = None
    type: list[CodeableConcept] | None = None
    partOf: Reference | None = None


class Location(ElementFhir):
    resourceType: Literal["Location"] = "Location"
    id: str
    meta: Meta | None = None
    identifier: list[Identifier]
    status: str = "active"
    mode: str = "instance"
    name: str | None = None
    address: Address | None = None
    managingOrganization: Reference | None = None
    position: Position | None = None


class HealthcareService(ElementFhir):
    resourceType: Literal["HealthcareService"] = "HealthcareService"
    id: str
    meta: Meta | None = None
    active: bool = True
    providedBy: Reference | None = None
    category: list[CodeableConcept] | None = None
    type: list[CodeableConcept] | None = None
    location: list[Reference] | None = None
    name: str | None = None
    comment: str | None = None


Ressource = Organization | Location | HealthcareService


class Distance(ElementFhir):
    """Une distance FHIR (quantité UCUM)."""

    value: float
    unit: str
    system: str
    code: str


class Extension(ElementFhir):
    url: str
    valueDistance: Distance | None = None


class BundleLink(ElementFhir):
    relation: str
    url: str


class BundleSearch(ElementFhir):
    mode: str = "match"
    extension: list[Extension] | None = None


class BundleEntry(ElementFhir):
    fullUrl: str
    resource: Ressource
    search: BundleSearch


class Bundle(ElementFhir):
    resourceType: Literal["Bundle"] = "Bundle"
    type: str = "searchset"
    total: int
    link: list[BundleLink]
    entry: list[BundleEntry]


class Issue(ElementFhir):
    severity: str
    code: str
    diagnostics: str


class OperationOutcome(ElementFhir):
    resourceType: Literal["OperationOutcome"] = "OperationOutcome"
    issue: list[Issue]


class SearchParam(ElementFhir):
    name: str
    type: str
    documentation: str


class Interaction(ElementFhir):
    code: str


class RessourceDeclaree(ElementFhir):
    type: str
    interaction: list[Interaction]
    searchInclude: list[str] | None = None
    searchParam: list[SearchParam]


class Rest(ElementFhir):
    mode: str
    resource: list[RessourceDeclaree]


class Software(ElementFhir):
    name: str
    version: str


class Implementation(ElementFhir):
    description: str
    url: str


class CapabilityStatement(ElementFhir):
    resourceType: Literal["CapabilityStatement"] = "CapabilityStatement"
    status: str
    date: str
    publisher: str
    kind: str
    software: Software
    implementation: Implementation
    fhirVersion: str
    format: list[str]
    instantiates: list[str]
    rest: list[Rest]


def en_json(element: ElementFhir) -> dict[str, Any]:
    """Le JSON FHIR d'un élément : les champs absents (None) ne sont pas écrits, les autres dans l'ordre du modèle.

    :param element: une ressource ou un élément FHIR.
    :returns: le dictionnaire prêt à sérialiser (ce que sert la façade).
    """
    return element.model_dump(mode="json", exclude_none=True)
