"""Compression des réponses : brotli (``br``) ou gzip selon ``Accept-Encoding``, par ``starlette-compress``.

Pourquoi cette bibliothèque plutôt que ``GZipMiddleware`` seul : elle fait gzip *et* brotli en un intergiciel,
compresse en flux les réponses en plusieurs morceaux (les exports restent servis en flux, sans tout garder en
mémoire), laisse intactes les réponses partielles (``Content-Range``) et les petits corps (< 500 octets), et ne
touche pas à l'ETag : c'est ``cache_http`` qui suffixe l'étiquette d'une réponse compressée. zstd n'est pas offert :
deux codages suffisent, et chacun est une variante de plus dans les caches partagés.
"""

from __future__ import annotations

from typing import Any

from starlette_compress import CompressMiddleware, add_compress_type

#: Types servis par Boussole que la bibliothèque ne compresse pas d'elle-même (texte RDF, résultats SPARQL, FHIR).
TYPES_COMPRESSES = (
    "application/n-quads",
    "application/n-triples",
    "application/trig",
    "text/turtle",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/fhir+json",
)

#: En deçà, un corps n'est pas compressé : l'en-tête gzip coûterait plus qu'il ne gagne.
TAILLE_MIN = 500


def installer(app: Any) -> None:
    """Ajoute la compression à ``app`` (sous le cache HTTP, qui lit le ``Content-Encoding`` qu'elle pose)."""
    for type_media in TYPES_COMPRESSES:
        add_compress_type(type_media)
    app.add_middleware(CompressMiddleware, minimum_size=TAILLE_MIN, zstd=False, brotli=True, gzip=True)
