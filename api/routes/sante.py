"""GET /sante : le service peut-il répondre, et sur quel instantané ?"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.reponses import InfoInstantane, Sante

routeur = APIRouter(tags=["Service"])


@routeur.get(
    "/sante",
    response_model=Sante,
    summary="État du service",
    responses={503: {"model": Sante, "description": "Aucun instantané servi ou travailleurs arrêtés."}},
)
def sante(request: Request, response: Response) -> Sante:
    """« pret » si un instantané est ouvert et les travailleurs SPARQL démarrés ; sinon 503 (répartiteurs)."""
    instantane = getattr(request.app.state, "instantane", None)
    reserve = getattr(request.app.state, "reserve", None)
    info = (
        InfoInstantane(identifiant=instantane.identifiant, date_construction=instantane.date_construction)
        if instantane is not None
        else None
    )
    pret = info is not None and reserve is not None and reserve.en_service
    if not pret:
        response.status_code = 503
    return Sante(statut="pret" if pret else "indisponible", instantane=info)
