"""Quota par client (seau à jetons par adresse IP) : 429 avec Retry-After au-delà.

Pourquoi un seau à jetons : il laisse passer une rafale courte d'un analyste (jusqu'à ``quota_requetes``) puis
impose le rythme moyen ``quota_requetes / quota_fenetre_s``, sans garder l'horodatage de chaque requête.
La clé est l'adresse vue par le serveur : derrière un mandataire inverse, il faut que celui-ci transmette la
vraie adresse (uvicorn ``--proxy-headers`` avec ``--forwarded-allow-ips``), sinon tous les clients partagent
un seul seau.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from fastapi import HTTPException, Request


class LimiteDepassee(HTTPException):
    """429 Too Many Requests, avec le délai d'attente en secondes."""

    def __init__(self, attente_s: int) -> None:
        super().__init__(
            status_code=429,
            detail=f"trop de requêtes : quota atteint pour votre adresse, réessayez dans {attente_s} s",
            headers={"Retry-After": str(attente_s)},
        )


class Limiteur:
    """Un seau par client ; sûr entre fils ; les seaux pleins et inactifs sont oubliés."""

    def __init__(self, quota: int, fenetre_s: float, horloge: Callable[[], float] = time.monotonic) -> None:
        self.capacite = float(quota)
        self.debit = quota / fenetre_s  # jetons rendus par seconde
        self.horloge = horloge
        self._seaux: dict[str, tuple[float, float]] = {}  # client -> (jetons, instant)
        self._verrou = threading.Lock()
        self._dernier_menage = horloge()

    def prendre(self, client: str) -> float:
        """Prend un jeton pour ``client`` ; rend 0 si accepté, sinon l'attente (s) avant le prochain jeton."""
        maintenant = self.horloge()
        with self._verrou:
            jetons, instant = self._seaux.get(client, (self.capacite, maintenant))
            jetons = min(self.capacite, jetons + (maintenant - instant) * self.debit)
            if jetons >= 1.0:
                self._seaux[client] = (jetons - 1.0, maintenant)
                attente = 0.0
            else:
                self._seaux[client] = (jetons, maintenant)
                attente = (1.0 - jetons) / self.debit
            self._menage(maintenant)
        return attente

    def _menage(self, maintenant: float) -> None:
        """Oublie les seaux redevenus pleins (pas plus d'une fois par minute) : la mémoire reste bornée."""
        if maintenant - self._dernier_menage < 60:
            return
        self._dernier_menage = maintenant
        plein = self.capacite / self.debit
        for client, (_, instant) in list(self._seaux.items()):
            if maintenant - instant > plein:
                del self._seaux[client]


def adresse_client(request: Request) -> str:
    return request.client.host if request.client else "inconnu"


def limiter(request: Request) -> None:
    """Dépendance FastAPI : applique le limiteur de l'application (``app.state.limiteur``) à la route.

    Les autres routeurs (orientation, exports…) peuvent l'ajouter de la même façon :
    ``APIRouter(dependencies=[Depends(limiter)])``.
    """
    limiteur: Limiteur | None = getattr(request.app.state, "limiteur", None)
    if limiteur is None:
        return
    attente = limiteur.prendre(adresse_client(request))
    if attente > 0:
        raise LimiteDepassee(max(1, math.ceil(attente)))
