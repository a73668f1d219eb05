"""Cartes du rapport : un aplat par département (choroplèthe) et les sites en points, en SVG et en PNG.

Pourquoi matplotlib (épinglé) et non un tracé fait main : le rendu PNG (anticrénelage, polices, légende) est le
métier d'une bibliothèque suivie. Les contours viennent des fichiers embarqués
(``donnees/geo/departements-simplifie.geojson``, ``regions-simplifie.geojson`` : la France métropolitaine) ; rien
n'est téléchargé. Projection : plate-carrée corrigée du cosinus de la latitude moyenne, assez juste à l'échelle
d'un pays pour y poser une barre d'échelle en kilomètres.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from matplotlib import colormaps, rc_context
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon

from graphe.geodesie import RAYON_TERRE_KM

#: Kilomètres par degré de latitude, sur la sphère de graphe/geodesie.py.
KM_PAR_DEGRE = RAYON_TERRE_KM * math.pi / 180

Anneau = list[tuple[float, float]]


@dataclass(frozen=True)
class Classe:
    """Une classe de la légende : bornes [bas, haut[ et libellé."""

    bas: float
    haut: float
    libelle: str


#: Classes de population (habitants) : assez fines pour distinguer un département épargné d'un département isolé.
CLASSES_POPULATION: tuple[Classe, ...] = (
    Classe(0, 1, "0"),
    Classe(1, 10_000, "1 – 9 999"),
    Classe(10_000, 50_000, "10 000 – 49 999"),
    Classe(50_000, 100_000, "50 000 – 99 999"),
    Classe(100_000, 200_000, "100 000 – 199 999"),
    Classe(200_000, math.inf, "200 000 et plus"),
)


def lire_contours(fichier: Path) -> dict[str, list[Anneau]]:
    """Code → anneaux extérieurs (lon, lat) de chaque entité d'un GeoJSON (Polygon ou MultiPolygon)."""
    contenu = json.loads(fichier.read_text(encoding="utf-8"))
    contours: dict[str, list[Anneau]] = {}
    for entite in contenu["features"]:
        geometrie = entite["geometry"]
        polygones = [geometrie["coordinates"]] if geometrie["type"] == "Polygon" else geometrie["coordinates"]
        contours[str(entite["properties"]["code"])] = [[(x, y) for x, y in p[0]] for p in polygones]
    return contours


def classe_de(valeur: float, classes: tuple[Classe, ...]) -> int:
    return next(i for i, c in enumerate(classes) if c.bas <= valeur < c.haut)


def _longueur_echelle(largeur_km: float) -> int:
    """Une longueur ronde proche du cinquième de la largeur de la carte."""
    cible = largeur_km / 5
    return max((n for n in (5, 10, 20, 25, 50, 100, 200, 250, 500) if n <= cible), default=5)


def carte_choroplethe(
    contours: dict[str, list[Anneau]],
    valeurs: dict[str, float],
    points: list[tuple[float, float]],
    *,
    titre: str,
    legende: str,
    legende_points: str,
    mention: str,
    sortie: Path,
    classes: tuple[Classe, ...] = CLASSES_POPULATION,
    regions: dict[str, list[Anneau]] | None = None,
) -> tuple[Path, Path]:
    """Dessine la carte et l'écrit en ``sortie.svg`` et ``sortie.png`` ; rend les deux chemins.

    :param contours: les départements à dessiner (code → anneaux lon/lat).
    :param valeurs: la valeur de chaque département (absent : « sans donnée », gris).
    :param points: les sites (lat, lon) ; ceux hors du cadre des départements ne sont pas dessinés.
    :param mention: la date des données et l'instantané, écrits au pied de la carte.
    :param regions: contours des régions à tracer par-dessus (trait plus épais), ou None.
    """
    tous = [pt for anneaux in contours.values() for anneau in anneaux for pt in anneau]
    lon_min, lon_max = min(p[0] for p in tous), max(p[0] for p in tous)
    lat_min, lat_max = min(p[1] for p in tous), max(p[1] for p in tous)
    cos0 = math.cos(math.radians((lat_min + lat_max) / 2))

    def projeter(lon: float, lat: float) -> tuple[float, float]:
        return lon * cos0, lat

    couleurs = colormaps["YlOrRd"].resampled(len(classes))
    fig = Figure(figsize=(10, 8.5), dpi=100)
    ax = fig.add_axes((0.02, 0.08, 0.62, 0.84))
    ax.set_aspect("equal")
    ax.set_axis_off()
    for code, anneaux in sorted(contours.items()):
        valeur = valeurs.get(code)
        teinte = couleurs(classe_de(valeur, classes)) if valeur is not None else "#d9d9d9"
        for i, anneau in enumerate(anneaux):
            forme = Polygon(
                [projeter(*p) for p in anneau], closed=True, facecolor=teinte, edgecolor="#555555", linewidth=0.4
            )
            forme.set_gid(f"departement-{code}" if i == 0 else f"departement-{code}-{i}")
            ax.add_patch(forme)
    for anneaux in (regions or {}).values():
        for anneau in anneaux:
            ax.add_patch(
                Polygon([projeter(*p) for p in anneau], closed=True, fill=False, edgecolor="#222222", linewidth=1.0)
            )
    dedans = [(lat, lon) for lat, lon in points if lon_min <= lon <= lon_max and lat_min <= lat <= lat_max]
    if dedans:
        xs, ys = zip(*(projeter(lon, lat) for lat, lon in dedans), strict=True)
        ax.scatter(xs, ys, s=14, c="#08519c", edgecolors="white", linewidths=0.5, zorder=3, gid="sites")
    marge = 0.02 * (lat_max - lat_min)
    ax.set_xlim(lon_min * cos0 - marge, lon_max * cos0 + marge)
    ax.set_ylim(lat_min - marge, lat_max + marge)
    # barre d'échelle (en bas à gauche) : 1 unité verticale = 1 degré de latitude
    largeur_km = (lon_max - lon_min) * cos0 * KM_PAR_DEGRE
    km = _longueur_echelle(largeur_km)
    x0, y0 = lon_min * cos0, lat_min - marge / 2
    ax.plot([x0, x0 + km / KM_PAR_DEGRE], [y0, y0], color="black", linewidth=3, solid_capstyle="butt", gid="echelle")
    ax.text(x0, y0 + 0.01 * (lat_max - lat_min) + marge / 2, f"{km} km", fontsize=9)
    poignees: list[Artist] = [
        Patch(facecolor=couleurs(i), edgecolor="#555555", label=c.libelle) for i, c in enumerate(classes)
    ]
    poignees.append(Patch(facecolor="#d9d9d9", edgecolor="#555555", label="sans donnée"))
    poignees.append(
        Line2D([], [], marker="o", linestyle="", color="#08519c", markeredgecolor="white", label=legende_points)
    )
    fig.legend(
        handles=poignees,
        title=legende,
        loc="upper left",
        bbox_to_anchor=(0.66, 0.90),
        fontsize=8,
        title_fontsize=9,
        frameon=False,
    )
    fig.suptitle(titre, fontsize=12, x=0.02, ha="left")
    fig.text(0.02, 0.03, mention, fontsize=8, color="#333333")
    svg, png = sortie.with_suffix(".svg"), sortie.with_suffix(".png")
    sortie.parent.mkdir(parents=True, exist_ok=True)
    # SVG reproductible (ni date ni identifiants tirés au hasard) et textes gardés en texte (lisibles, cherchables)
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "boussole"}):
        fig.savefig(svg, format="svg", metadata={"Date": None})
    fig.savefig(png, format="png", dpi=100)
    return svg, png
