"""Calculs géographiques partagés (distance, point WKT).

Pourquoi un module à part : la vérification des points Eurostat (lecture) et la recherche « à moins de N km »
doivent employer exactement la même distance, sinon un site accepté à 14,9 km serait refusé ailleurs
à 15,1 km.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

import numpy as np
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ontologie.espaces import GEO, SCHEMA

#: Rayon terrestre moyen (UGGI), en kilomètres.
RAYON_TERRE_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance orthodromique (formule de haversine) entre deux points WGS84, en kilomètres.

    Une sphère suffit : l'écart avec l'ellipsoïde (< 0,5 %) est sans effet sur des seuils de plusieurs
    kilomètres.
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * RAYON_TERRE_KM * math.asin(min(1.0, math.sqrt(h)))


def distances_km(points_rad: np.ndarray, lat: float, lon: float) -> np.ndarray:
    """La même distance que ``distance_km``, vectorisée : de chaque point (n, 2), en radians, au point donné.

    Pourquoi vectorisée : la recherche mesure 4 000 distances par question ; une boucle Python coûterait plus que
    le reste de la réponse. Un point NaN donne une distance NaN.
    """
    la, lo = math.radians(lat), math.radians(lon)
    dlat, dlon = points_rad[:, 0] - la, points_rad[:, 1] - lo
    h = np.sin(dlat / 2) ** 2 + math.cos(la) * np.cos(points_rad[:, 0]) * np.sin(dlon / 2) ** 2
    return 2 * RAYON_TERRE_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def coordonnees(lat: str, lon: str) -> tuple[float, float] | None:
    """Lit une latitude et une longitude textuelles ; None si absentes, illisibles ou hors bornes WGS84."""
    try:
        la, lo = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(la) and math.isfinite(lo)) or not (-90 <= la <= 90 and -180 <= lo <= 180):
        return None
    return la, lo


def iri_point(entite: URIRef) -> URIRef:
    """Le nœud géométrie d'une entité (commune, établissement) : son IRI suivie de ``/point``."""
    return URIRef(str(entite) + "/point")


def litteral_wkt(lat: float, lon: float) -> Literal:
    """``POINT(lon lat)`` typé geo:wktLiteral (ordre longitude puis latitude, comme le veut WKT en CRS84)."""
    return Literal(f"POINT({_texte(lon)} {_texte(lat)})", datatype=GEO.wktLiteral)


def ecrire_point(g: Graph, entite: URIRef, lat: float, lon: float) -> URIRef:
    """Écrit le point d'une entité : sa géométrie WKT (GeoSPARQL) et ses schema:latitude / longitude.

    Pourquoi les deux : la géométrie sert aux requêtes GeoSPARQL, latitude et longitude à la recherche et aux
    exports, qui n'ont pas à lire du WKT. Rend le nœud géométrie (``…/point``).
    """
    noeud = iri_point(entite)
    g.add((entite, GEO.hasGeometry, noeud))
    g.add((noeud, RDF.type, GEO.Geometry))
    g.add((noeud, GEO.asWKT, litteral_wkt(lat, lon)))
    g.add((entite, SCHEMA.latitude, litteral_decimal(lat)))
    g.add((entite, SCHEMA.longitude, litteral_decimal(lon)))
    return noeud


def litteral_decimal(valeur: float) -> Literal:
    """Un xsd:decimal sans artefact binaire (46.2222 et non 46.22220000000000084)."""
    return Literal(_decimal(valeur), datatype=XSD.decimal)


def _decimal(valeur: float) -> Decimal:
    try:
        return Decimal(repr(valeur))
    except InvalidOperation:  # pragma: no cover - repr d'un float fini est toujours lisible
        return Decimal(str(valeur))


def _texte(valeur: float) -> str:
    return format(_decimal(valeur).normalize(), "f")
