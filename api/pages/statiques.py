"""Les fichiers statiques des pages (CSS, scripts, Swagger UI), lus une fois et servis compressés.

Pourquoi pas ``StaticFiles`` : une liste fermée de fichiers (rien d'autre n'est servi), la version gzip préparée
au chargement (le widget se mesure compressé) et un ``Cache-Control`` explicite.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request, Response

from api.service.erreurs import RequeteRefusee

DOSSIER = Path(__file__).resolve().parent / "statique"
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".png": "image/png"}


@dataclass(frozen=True)
class Fichier:
    """Un fichier servi : son contenu brut, compressé, son type et son empreinte (ETag)."""

    brut: bytes
    compresse: bytes
    type: str
    etag: str


def _fichier(chemin: Path) -> Fichier:
    brut = chemin.read_bytes()
    return Fichier(
        brut, gzip.compress(brut, 9, mtime=0), TYPES[chemin.suffix], '"' + hashlib.sha256(brut).hexdigest()[:20] + '"'
    )


def _swagger() -> dict[str, Fichier]:
    """Swagger UI du paquet PyPI ``swagger-ui-bundle`` (épinglé) : /docs marche sans réseau."""
    from swagger_ui_bundle import swagger_ui_path

    dossier = Path(str(swagger_ui_path))
    return {f"swagger/{n}": _fichier(dossier / n) for n in ("swagger-ui-bundle.js", "swagger-ui.css")}


FICHIERS: dict[str, Fichier] = {
    **{c.name: _fichier(c) for c in sorted(DOSSIER.iterdir()) if c.suffix in TYPES},
    **_swagger(),
}


def servir(nom: str, request: Request) -> Response:
    """Le fichier ``nom``, compressé si le client l'accepte ; 304 si son ETag est déjà connu ; 404 sinon."""
    fichier = FICHIERS.get(nom)
    if fichier is None:
        raise RequeteRefusee(f"fichier statique inconnu : {nom}", 404)
    entetes = {
        "ETag": fichier.etag,
        "Cache-Control": "public, max-age=3600",
        "Vary": "Accept-Encoding",
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if request.headers.get("if-none-match") == fichier.etag:
        return Response(status_code=304, headers=entetes)
    if "gzip" in request.headers.get("accept-encoding", ""):
        entetes["Content-Encoding"] = "gzip"
        return Response(fichier.compresse, media_type=fichier.type, headers=entetes)
    return Response(fichier.brut, media_type=fichier.type, headers=entetes)
