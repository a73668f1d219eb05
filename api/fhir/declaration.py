"""Le ``CapabilityStatement`` de la façade : ce qu'elle sait faire (lecture, recherche) et ses paramètres."""

from __future__ import annotations

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
from api.fhir.ressources import MEDIA_FHIR, SYSTEME_BESOIN


def _ressource(type_: str, params: list[tuple[str, str, str]]) -> RessourceDeclaree:
    return RessourceDeclaree(
        type=type_,
        interaction=[Interaction(code="read"), Interaction(code="search-type")],
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
                            ("name", "string", "Nom (contient, sans accents)"),
                            *communs,
                        ],
                    ),
                    _ressource(
                        "Location",
                        [
                            ("identifier", "token", "FINESS géographique"),
                            ("name", "string", "Nom"),
                            ("near", "special", "latitude|longitude|distance|km ; tri par distance"),
                            *communs,
                        ],
                    ),
                    _ressource(
                        "HealthcareService",
                        [
                            ("service-category", "token", f"Besoin ({SYSTEME_BESOIN}|code)"),
                            ("organization", "reference", "Organization/{finess}"),
                            *communs,
                        ],
                    ),
                ],
            )
        ],
    )
