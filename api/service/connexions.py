"""Délai des en-têtes HTTP : une connexion qui n'a pas envoyé d'en-têtes complets à temps est fermée.

Pourquoi : uvicorn (h11) n'a pas de délai propre aux en-têtes. Son délai ``timeout_keep_alive`` n'est armé
qu'après une réponse, et il est annulé dès le premier octet reçu : une connexion neuve, ou des en-têtes envoyés
un octet à la fois, étaient tenus sans fin (1 000 connexions à moitié envoyées gardées ouvertes). Ce protocole
arme un minuteur à l'ouverture de la connexion et après chaque réponse, et ne le désarme que quand une requête
complète (ligne de requête et en-têtes) est arrivée ; à échéance, la connexion est fermée.

Il dit aussi en français la saturation des connexions (``limit_concurrency``) : le 503 de uvicorn était un
« Service Unavailable » en texte anglais, sans ``Retry-After`` ; celui-ci est le JSON ``{"detail": …}`` du service.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

#: Ce que dit le 503 de saturation des connexions, et quand revenir.
MESSAGE_SATURE = "service saturé : trop de connexions ouvertes, réessayez dans quelques secondes"
RETRY_AFTER_SATURE_S = 5


async def _sature(scope: Any, receive: Any, send: Any) -> None:
    corps = json.dumps({"detail": MESSAGE_SATURE}, ensure_ascii=False).encode()
    entetes = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(corps)).encode()),
        (b"retry-after", str(RETRY_AFTER_SATURE_S).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": entetes})
    await send({"type": "http.response.body", "body": corps, "more_body": False})


class H11DelaiEntetes(H11Protocol):
    """Le protocole h11 de uvicorn, plus un délai pour recevoir chaque requête complète (``delai_entetes_s``)."""

    delai_entetes_s: float = 5.0
    _minuteur: asyncio.TimerHandle | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limite = self.limit_concurrency
        if limite is None:
            return
        # la borne de uvicorn, comptée de même (la connexion et la tâche courantes comprises), mais dite en français
        self.limit_concurrency = None
        application = self.app

        async def bornee(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] == "http" and (len(self.connections) >= limite or len(self.tasks) > limite):
                await _sature(scope, receive, send)
            else:
                await application(scope, receive, send)

        self.app = bornee

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[arg-type]
        self._armer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._desarmer()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        avant = self.cycle
        super().handle_events()
        if self.cycle is not avant:  # une requête complète est arrivée : elle a ses en-têtes
            self._desarmer()

    def on_response_complete(self) -> None:
        # armé avant : une requête déjà reçue à la suite (pipeline) le désarme dans la réponse de super()
        self._armer()
        super().on_response_complete()

    def _armer(self) -> None:
        self._desarmer()
        self._minuteur = self.loop.call_later(self.delai_entetes_s, self._trop_lent)

    def _desarmer(self) -> None:
        if self._minuteur is not None:
            self._minuteur.cancel()
            self._minuteur = None

    def _trop_lent(self) -> None:
        self._minuteur = None
        if not self.transport.is_closing():
            self.transport.close()


def protocole_http(delai_entetes_s: float) -> type[H11DelaiEntetes]:
    """La classe de protocole à donner à uvicorn (``http=``), avec ce délai pour les en-têtes."""
    return type("H11DelaiEntetesRegle", (H11DelaiEntetes,), {"delai_entetes_s": delai_entetes_s})
