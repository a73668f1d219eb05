"""GET /sante : le service peut-il répondre, et sur quel instantané ?"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from api.service.dependances import InstantaneOuRien, ReserveOuRien

routeur = APIRouter(tags=["Service"])


class InfoInstantane(BaseModel):
    identifiant: str = Field(examples=["20261122T101500-3f2a"])
    date_construction: str = Field(examples=["2026-11-22T10:15:00"])


class Sante(BaseModel):
    """État du service : « pret » quand un instantané est ouvert et que les travailleurs SPARQL tournent."""

    statut: Literal["pret", "indisponible"]
    instantane: InfoInstantane | None = None


def etat(instantane: Any | None, reserve: Any | None) -> Sante:
    """L'état du service.

    :param instantane: l'instantané servi (ou None).
    :param reserve: la réserve de travailleurs SPARQL (ou None).
    :returns: « pret » si un instantané est ouvert et la réserve en service, sinon « indisponible ».
    """
    info = (
        InfoInstantane(identifiant=instantane.identifiant, date_construction=instantane.date_construction)
        if instantane is not None
        else None
    )
    pret = info is not None and reserve is not None and reserve.en_service
    return Sante(statut="pret" if pret else "indisponible", instantane=info)


@routeur.get(
    "/sante",
    response_model=Sante,
    summary="État du service",
    responses={503: {"model": Sante, "description": "Aucun instantané servi ou travailleurs arrêtés."}},
)
def sante(response: Response, instantane: InstantaneOuRien, reserve: ReserveOuRien) -> Sante:
    """« pret » si un instantané est ouvert et les travailleurs SPARQL démarrés ; sinon 503 (répartiteurs)."""
    reponse = etat(instantane, reserve)
    if reponse.statut != "pret":
        response.status_code = 503
    return reponse
