"""Ce que les routes reçoivent de l'application, injecté par ``Depends`` de FastAPI.

Pourquoi des dépendances plutôt que des lectures de ``request.app.state`` dans chaque route : une route dit dans
sa signature ce dont elle a besoin (l'instantané servi, le moteur, la réserve SPARQL…), un test peut le remplacer
(``app.dependency_overrides``), et l'état servi n'est lu qu'ici. Le rechargement à chaud remplace ces objets dans
``app.state`` d'un coup ; chaque requête les lit une fois, à son début.

Les dépendances « …OuRien » rendent None quand l'objet manque (pas d'instantané, pas d'index) : c'est le service
de la ressource qui décide du refus, après la validation des paramètres (422 d'abord, comme avant).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.exports.fichiers import DepotExports
from api.reglages import Reglages
from api.service.admission import Admission
from api.service.erreurs import RequeteRefusee
from api.service.sites import CacheSites
from api.sparql.execution import ReserveSparql
from graphe.instantane import Instantane
from recherche.moteur import Moteur


def reglages_servis(request: Request) -> Reglages:
    """Les réglages de l'application (ceux passés à ``creer_app``)."""
    return request.app.state.reglages


def instantane_ou_rien(request: Request) -> Instantane | None:
    """L'instantané servi, ou None si aucun n'a pu être ouvert."""
    return getattr(request.app.state, "instantane", None)


def instantane_servi(request: Request) -> Instantane:
    """L'instantané servi ; 503 s'il n'y en a pas.

    Levé avant la validation des paramètres de la route : à réserver aux routes sans paramètre (exports).
    """
    instantane = instantane_ou_rien(request)
    if instantane is None:
        raise RequeteRefusee("service indisponible : aucun instantané servi", 503)
    return instantane


def reserve_ou_rien(request: Request) -> ReserveSparql | None:
    """La réserve de travailleurs SPARQL de l'instantané servi, ou None."""
    return getattr(request.app.state, "reserve", None)


def moteur_ou_rien(request: Request) -> Moteur | None:
    """Le moteur de recherche de l'instantané servi, ou None s'il n'a pas d'index."""
    return getattr(request.app.state, "moteur", None)


def admission_questions(request: Request) -> Admission:
    """L'admission bornée des questions d'orientation."""
    return request.app.state.admission


def cache_sites(request: Request) -> CacheSites:
    """La table des sites de l'instantané servi (construite au premier appel)."""
    return request.app.state.sites


def depot_exports(request: Request) -> DepotExports:
    """Le dossier temporaire des exports de l'application."""
    return request.app.state.exports


def base_publique(request: Request) -> str:
    """L'adresse de base du service telle que le client l'a appelée, sans « / » final (liens FHIR)."""
    return str(request.base_url).rstrip("/")


ReglagesServis = Annotated[Reglages, Depends(reglages_servis)]
InstantaneOuRien = Annotated[Instantane | None, Depends(instantane_ou_rien)]
InstantaneServi = Annotated[Instantane, Depends(instantane_servi)]
ReserveOuRien = Annotated[ReserveSparql | None, Depends(reserve_ou_rien)]
MoteurOuRien = Annotated[Moteur | None, Depends(moteur_ou_rien)]
AdmissionQuestions = Annotated[Admission, Depends(admission_questions)]
Sites = Annotated[CacheSites, Depends(cache_sites)]
Depot = Annotated[DepotExports, Depends(depot_exports)]
BasePublique = Annotated[str, Depends(base_publique)]
