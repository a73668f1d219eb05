"""Le ``CapabilityStatement`` de la façade : ce qu'elle sait faire (lecture, recherche) et ses paramètres."""

from __future__ import annotations

from api.fhir.mcsd import INCLUSIONS_SERVICE
from api.fhir.modeles import (
    CapabilityStatement,
    Implementation,
    Interaction,
    RessourceDeclaree,
    Rest,
    SearchParam,
    Software,
)
from api.fhir.parametres import COMPTE_DEFAUT, COMPTE_MAX
from api.fhir.ressources import MEDIA_FHIR, SYSTEME_BESOIN, SYSTEME_NIVEAU


def _ressource(
    type_: str, params: list[tuple[str, str, str]], inclusions: list[str] | None = None
) -> RessourceDeclaree:
    return RessourceDeclaree(
        type=type_,
        interaction=[Interaction(code="read"), Interaction(code="search-type")],
        searchInclude=inclusions,
        searchParam=[SearchParam(name=n, type=t, documentation=d) for n, t, d in params],
    )


def declaration(base: str, date: str) -> CapabilityStatement:
    """CapabilityStatement : ce que la façade sait faire (lecture, recherche).

    :param base: l'adresse publique du service.
    :param date: la date de construction de l'instantané servi (AAAA-MM-JJ).
    """
    communs = [
        ("_count", "number", f"Taille de page (défaut {COMPTE_DEFAUT}, au plus {COMPTE_MAX})."),
        ("_offset", "number", "Rang de départ (pagination)."),
    ]
    return CapabilityStatement(
        status="active",
        date=date,
        publisher="Boussole",
        kind="instance",
        software=Software(name="Boussole", version="0.1.0"),
        implementation=Implementation(
            description="Annuaire FHIR en lecture de l'offre de soins en cancérologie", url=f"{base}/fhir"
        ),
        fhirVersion="4.0.1",
        format=[MEDIA_FHIR, "json"],
        instantiates=["https://profiles.ihe.net/ITI/mCSD/CapabilityStatement/IHE.mCSD.Directory"],
        rest=[
            Rest(
                mode="server",
                resource=[
                    _ressource(
                        "Organization",
                        [
                            ("identifier", "token", "FINESS (système http://finess.sante.gouv.fr) ou IDNST"),
                            ("name", "string", "Nom (contient, sans accents ; name:contains, name:exact)"),
                            ("_id", "token", "Identifiant logique (FINESS, ej-FINESS)"),
                            ("active", "token", "true ou false"),
                            ("partof", "reference", "L'entité juridique : Organization/ej-{FINESS}"),
                            ("type", "token", "Catégorie d'établissement (texte, sans casse ni accents)"),
                            *communs,
                        ],
                    ),
                    _ressource(
                        "Location",
                        [
                            ("identifier", "token", "FINESS géographique"),
                            ("name", "string", "Nom (contient, sans accents ; name:contains, name:exact)"),
                            ("_id", "token", "Identifiant logique (FINESS)"),
                            ("near", "special", "latitude|longitude|distance|km (ou m) ; tri par distance"),
                            ("organization", "reference", "L'organisation gestionnaire : Organization/{FINESS}"),
                            ("status", "token", "active, suspended, inactive"),
                            *communs,
                        ],
                    ),
                    _ressource(
                        "HealthcareService",
                        [
                            ("service-category", "token", f"Besoin ({SYSTEME_BESOIN}|code)"),
                            ("organization", "reference", "Organization/{finess}"),
                            ("location", "reference", "Location/{FINESS}"),
                            ("service-type", "token", f"Niveau de preuve ({SYSTEME_NIVEAU}|code)"),
                            ("_id", "token", "Identifiant logique ({FINESS}-{besoin})"),
                            ("name", "string", "Nom du service (contient, sans accents)"),
                            *communs,
                        ],
                        list(INCLUSIONS_SERVICE),
                    ),
                ],
            )
        ],
    )
