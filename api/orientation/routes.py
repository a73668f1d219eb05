"""/orientation et /second-avis : poser une question en français, recevoir des établissements sourcés."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.orientation.modeles import Demande, ReponseOrientation
from api.orientation.service import ServiceOrientation, service_orientation
from api.service.erreurs_http import DocReponses, Erreur, ErreurValidation
from recherche.moteur import LIMITE_MAX, QUESTION_MAX

routeur = APIRouter(tags=["Orientation"])

Service = Annotated[ServiceOrientation, Depends(service_orientation)]

_ERREURS: DocReponses = {
    400: {"model": Erreur, "description": "Question refusée par le moteur (vide après nettoyage…)."},
    422: {"model": ErreurValidation, "description": "Paramètre hors bornes (q : 1 à 500 caractères, limite : 1 à 50)."},
    503: {"model": Erreur, "description": "Index de recherche non chargé, ou service saturé (voir Retry-After)."},
}

Question = Annotated[
    str,
    Query(
        min_length=1,
        max_length=QUESTION_MAX,
        description="La question, en français : besoin, lieu, âge, équipe qui suit le patient…",
        examples=["radiothérapie près de Vannes"],
    ),
]
Limite = Annotated[int, Query(ge=1, le=LIMITE_MAX, description="Nombre maximal de résultats.")]


@routeur.get("/orientation", response_model=ReponseOrientation, summary="Orienter (GET)", responses=_ERREURS)
def orientation_get(service: Service, q: Question, limite: Limite = 5) -> dict:
    """Où adresser ce patient ? Les établissements qui répondent au besoin, les plus pertinents d'abord, chacun
    avec les faits du graphe qui le justifient (source et date)."""
    return service.orienter(q, limite)


@routeur.post("/orientation", response_model=ReponseOrientation, summary="Orienter (POST)", responses=_ERREURS)
def orientation_post(service: Service, demande: Demande) -> dict:
    """Comme GET /orientation, la question dans un corps JSON (``{"q": …, "limite": …}``)."""
    return service.orienter(demande.q, demande.limite)


@routeur.get("/second-avis", response_model=ReponseOrientation, summary="Second avis", responses=_ERREURS)
def second_avis_get(
    service: Service,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=QUESTION_MAX,
            description="La situation : pathologie, équipe ou ville qui suit déjà le patient.",
            examples=["second avis pour un sarcome, suivi au CHU de Nantes"],
        ),
    ],
    limite: Limite = 5,
) -> dict:
    """Quelle équipe de compétence égale ou supérieure peut relire ce dossier, hors de l'équipe qui le suit ?
    Une question qui ne dit pas « second avis » est relue comme telle ; une remarque le signale."""
    return service.second_avis(q, limite)
