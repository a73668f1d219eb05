"""Le type de refus de toute l'application : une requête que le service refuse, avec son code HTTP.

Pourquoi ici et sans FastAPI : la garde SPARQL, le travailleur (processus à part, chargé sans l'application
web), la négociation de contenu et les services des ressources lèvent tous ce même refus ; le gestionnaire
d'erreurs (``api.service.erreurs_http``) le traduit en une réponse JSON française ``{"detail": …}``.
"""

from __future__ import annotations


class RequeteRefusee(Exception):
    """Une requête que le service refuse.

    :param message: l'explication, en français, rendue telle quelle au client (``detail``).
    :param statut: le code HTTP à rendre (400 par défaut : l'entrée est à corriger).
    :param retry_after_s: pour un 429 / 503, quand revenir (``Retry-After``) ; None : le délai par défaut.
    :param champs: des champs ajoutés au corps JSON, à côté de ``detail`` (ex. ``{"budget": "temps"}``).
    """

    def __init__(
        self, message: str, statut: int = 400, retry_after_s: int | None = None, champs: dict | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.statut = statut
        self.retry_after_s = retry_after_s
        self.champs = champs or {}
