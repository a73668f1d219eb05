"""Délai des en-têtes HTTP : une connexion qui n'a pas envoyé d'en-têtes complets à temps est fermée.

Pourquoi : uvicorn (h11) n'a pas de délai propre aux en-têtes. Son délai ``timeout_keep_alive`` n'est armé
qu'après une réponse, et il est annulé dès le premier octet reçu : une connexion neuve, ou des en-têtes envoyés
un octet à la fois, étaient tenus sans fin (1 000 connexions à moitié envoyées gardées ouvertes). Ce protocole
arme un minuteur à l'ouverture de la connexion et après chaque réponse, et ne le désarme que quand une requête
complète (ligne de requête et en-têtes) est arrivée ; à échéance, la connexion est fermée.
"""

from __future__ import annotations

import asyncio

from uvicorn.protocols.http.h11_impl import H11Protocol


class H11DelaiEntetes(H11Protocol):
    """Le protocole h11 de uvicorn, plus un délai pour recevoir chaque requête complète (``delai_entetes_s``)."""

    delai_entetes_s: float = 5.0
    _minuteur: asyncio.TimerHandle | None = None

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
