"""HEAD sur toute route GET : même statut et mêmes en-têtes que le GET, sans corps."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

#: Des valeurs d'exemple pour les paramètres de chemin des routes GET.
EXEMPLES = {"finess": "690000880", "type_ressource": "Organization", "ident": "690000880"}


def _routes(routes: list[Any]) -> Iterator[APIRoute]:
    """Les routes de l'application, y compris celles des routeurs inclus (FastAPI récent les emboîte)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "original_router"):
            yield from _routes(route.original_router.routes)


def _chemins_get(client: TestClient) -> list[str]:
    return [
        re.sub(r"\{(\w+)(:\w+)?\}", lambda m: EXEMPLES.get(m.group(1), "x"), route.path)
        for route in _routes(client.app.routes)  # type: ignore[attr-defined]
        if "GET" in route.methods
    ]


def test_head_sur_toute_route_get(client: TestClient) -> None:
    chemins = _chemins_get(client)
    assert any(c.startswith("/exports") for c in chemins)
    for chemin in chemins:
        get = client.get(chemin)
        head = client.head(chemin)
        assert head.status_code != 405, chemin
        assert head.status_code == get.status_code, chemin
        assert head.content == b"", chemin
        assert head.headers.get("content-type") == get.headers.get("content-type"), chemin
