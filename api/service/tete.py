"""HEAD sur toute route GET : la réponse du GET, sans son corps (RFC 9110 § 9.3.2).

Pourquoi un intergiciel plutôt qu'une route HEAD par route GET : une route GET ajoutée plus tard (un export, une
page) répond à HEAD sans que personne n'y pense ; les en-têtes (type, longueur, ETag) sont ceux du GET.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class TeteCommeGet:
    """Intergiciel ASGI : une requête HEAD est servie comme un GET dont on ne transmet pas le corps."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def sans_corps(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # le corps d'une réponse en flux : ignoré morceau par morceau
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, sans_corps)
