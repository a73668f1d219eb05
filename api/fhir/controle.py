"""Le contrôle d'une requête FHIR avant toute recherche : format demandé, paramètres inconnus, ``Prefer``.

Pourquoi (FHIR R4, http.html § 3.1.0.1.9 et search.html § 3.1.1.3) : un serveur qui ne sait pas rendre le format
demandé répond 406 ; un paramètre de recherche inconnu est ignoré *et signalé* (une entrée ``OperationOutcome``
en ``search.mode = outcome`` dans le Bundle), sauf sous ``Prefer: handling=strict`` où il est refusé (400).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from api.fhir.modeles import en_json
from api.fhir.parametres import ErreurFhir, ParametreInvalide
from api.fhir.ressources import issue

#: Les paramètres communs à toute recherche, toujours compris.
COMMUNS = frozenset({"_count", "_offset", "_format"})
#: Les valeurs de ``_format`` (et les types de l'en-tête Accept) qui désignent JSON.
FORMATS_JSON = frozenset({"json", "application/json", "application/fhir+json", "application/json+fhir"})


def verifier_format(requete: Request) -> None:
    """406 si ``_format`` ou l'en-tête Accept ne demande que ce que la façade ne sait pas rendre (XML, Turtle…)."""
    format_ = requete.query_params.get("_format")
    if format_ is not None and format_.split(";")[0].strip().lower() not in FORMATS_JSON:
        raise ErreurFhir(
            f"_format « {format_} » non pris en charge : seul JSON (application/fhir+json)", 406, "not-supported"
        )
    accept = requete.headers.get("accept")
    if format_ is None and accept:
        types = {t.split(";")[0].strip().lower() for t in accept.split(",")}
        if not types & (FORMATS_JSON | {"*/*", "application/*", ""}):
            raise ErreurFhir(
                f"format « {accept} » non pris en charge : seul JSON (application/fhir+json)", 406, "not-supported"
            )


def strict(requete: Request) -> bool:
    """Vrai sous ``Prefer: handling=strict`` : un paramètre inconnu est alors une erreur."""
    prefer = requete.headers.get("prefer", "")
    return any(p.strip().replace(" ", "").lower() == "handling=strict" for p in prefer.split(";"))


def parametres_ignores(requete: Request, compris: frozenset[str]) -> list[str]:
    """Les paramètres reçus que la recherche ne comprend pas ; 400 sous ``Prefer: handling=strict``."""
    ignores = sorted({k for k in requete.query_params if k not in compris | COMMUNS})
    if ignores and strict(requete):
        raise ParametreInvalide(f"paramètre(s) de recherche non pris en charge : {', '.join(ignores)}")
    return ignores


def signaler(bundle: dict[str, Any], ignores: list[str]) -> dict[str, Any]:
    """Ajoute au Bundle l'entrée ``OperationOutcome`` (``search.mode = outcome``) qui dit les paramètres ignorés."""
    if ignores:
        avis = issue(f"paramètre(s) ignoré(s), non pris en charge : {', '.join(ignores)}", "not-supported", "warning")
        bundle.setdefault("entry", []).append({"resource": en_json(avis), "search": {"mode": "outcome"}})
    return bundle
