"""Le fond de carte hors ligne : les départements (donnees/geo/departements-simplifie.geojson) en chemins SVG.

Pourquoi projeter côté serveur : la page et le widget n'ont qu'à poser les chemins dans un ``<svg>`` et à placer
leurs points avec la même formule (``projeter``), sans bibliothèque ni serveur de tuiles. La projection est
équirectangulaire, x = longitude × cos(46,5°), y = −latitude, en centièmes de degré : exacte à quelques pour cent
près sur la métropole, ce qui suffit à dire « où » sans prétendre au cadastre. Les coordonnées sont arrondies
au centième de degré (~1 km) et les points répétés retirés : le fond pèse quelques dizaines de Ko compressé.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

#: Échelle de la projection (unités SVG par degré de latitude) et parallèle de référence.
ECHELLE: Final = 100.0
LATITUDE_REFERENCE: Final = 46.5
FACTEUR_X: Final = math.cos(math.radians(LATITUDE_REFERENCE))


def projeter(longitude: float, latitude: float) -> tuple[float, float]:
    """Le point SVG d'une position WGS 84 (la même formule est dans les scripts des pages)."""
    return round(longitude * FACTEUR_X * ECHELLE, 1), round(-latitude * ECHELLE, 1)


def _anneau(points: list[list[float]]) -> str:
    sortie: list[tuple[float, float]] = []
    for lon, lat in points:
        p = (round(lon * FACTEUR_X * ECHELLE), round(-lat * ECHELLE))
        if not sortie or p != sortie[-1]:
            sortie.append(p)
    if len(sortie) < 3:
        return ""
    x0, y0 = sortie[0]
    morceaux = [f"M{x0} {y0}"]
    for (xa, ya), (xb, yb) in zip(sortie, sortie[1:], strict=False):
        morceaux.append(f"l{xb - xa} {yb - ya}")
    return "".join(morceaux) + "z"


def _polygones(geometrie: dict[str, Any]) -> list[list[list[list[float]]]]:
    if geometrie["type"] == "Polygon":
        return [geometrie["coordinates"]]
    if geometrie["type"] == "MultiPolygon":
        return list(geometrie["coordinates"])
    return []


@lru_cache(maxsize=4)
def fond_de_carte(fichier: Path) -> dict[str, Any]:
    """Les départements projetés (code, nom, chemin SVG), la boîte englobante et la projection ; lus une fois.

    :param fichier: le GeoJSON des départements (propriétés ``code`` et ``nom``).
    :raises OSError, ValueError: fichier absent ou illisible (la route répond alors 503).
    """
    donnees = json.loads(fichier.read_text(encoding="utf-8"))
    departements = []
    xs: list[float] = []
    ys: list[float] = []
    for f in donnees["features"]:
        chemins = [_anneau(anneau) for poly in _polygones(f["geometry"]) for anneau in poly]
        chemin = "".join(c for c in chemins if c)
        if not chemin:
            continue
        for poly in _polygones(f["geometry"]):
            for lon, lat in poly[0]:
                xs.append(lon * FACTEUR_X * ECHELLE)
                ys.append(-lat * ECHELLE)
        departements.append({"code": f["properties"]["code"], "nom": f["properties"]["nom"], "chemin": chemin})
    return {
        "projection": {
            "type": "equirectangulaire",
            "echelle": ECHELLE,
            "facteur_x": round(FACTEUR_X, 6),
            "formule": "x = longitude × facteur_x × echelle ; y = −latitude × echelle",
        },
        "boite": [math.floor(min(xs)), math.floor(min(ys)), math.ceil(max(xs)), math.ceil(max(ys))],
        "source": "Contours des départements (donnees/geo/departements-simplifie.geojson), simplifiés",
        "departements": departements,
    }
