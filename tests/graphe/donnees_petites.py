"""Une copie réduite mais complète de ``donnees/`` (cinq départements) et sa construction.

Pourquoi une copie complète plutôt que des extraits par lecteur : la construction lit toutes les sources dans
l'ordre et publie ; seul un dossier où rien ne manque (nomenclatures, FINESS, listes curées) la fait aller
jusqu'au bout. Pourquoi réduite : la construction nationale prend ≈ 95 s, celle-ci quelques secondes, ce qui
permet de la refaire dans les tests d'échec et de bascule. Les lignes gardées sont copiées octet pour octet
(mêmes encodages, mêmes pièges).
"""

from __future__ import annotations

import csv
import io
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DONNEES = Path(__file__).resolve().parents[2] / "donnees"

#: L'Ain (échantillon FINESS des autorisations), l'Ille-et-Vilaine, le Morbihan, le Rhône (Centre Léon Bérard,
#: coordonnateur NETSARC+) et le Val-de-Marne (Gustave Roussy, centre expert NETSARC+).
DEPARTEMENTS_PETITS: frozenset[str] = frozenset({"01", "35", "56", "69", "94"})


def _champ(ligne: bytes, rang: int, sep: bytes = b";") -> str:
    champs = ligne.split(sep)
    return champs[rang].decode("latin-1").strip() if len(champs) > rang else ""


def copier_donnees_petites(cible: Path) -> Path:
    """Copie ``donnees/`` ; des gros fichiers (SAE, communes, Eurostat) ne garde que l'en-tête et les lignes
    de DEPARTEMENTS_PETITS (sites SAE dont le FINESS commence par ces codes, communes de ces départements,
    points Eurostat de ces sites). Nomenclatures, FINESS, listes curées, régions, départements : entiers."""
    shutil.copytree(DONNEES, cible, ignore=shutil.ignore_patterns("*.geojson"))

    def filtrer(relatif: str, garder: Callable[[bytes], bool]) -> None:
        lignes = (DONNEES / relatif).read_bytes().splitlines(keepends=True)
        (cible / relatif).write_bytes(b"".join([lignes[0], *(lg for lg in lignes[1:] if garder(lg))]))

    for fichier in sorted((DONNEES / "sae").glob("*.csv")):
        filtrer(f"sae/{fichier.name}", lambda lg: _champ(lg, 2)[:2] in DEPARTEMENTS_PETITS)
    sites = {_champ(lg, 2) for lg in (cible / "sae" / "ID_2023r.csv").read_bytes().splitlines()[1:]}

    def commune_gardee(lg: bytes) -> bool:
        champs = next(csv.reader(io.StringIO(lg.decode("utf-8"))), [])
        return len(champs) > 2 and champs[2] in DEPARTEMENTS_PETITS

    filtrer("geo/communes.csv", commune_gardee)
    filtrer("geoloc/eurostat_healthcare_services_FR.csv", lambda lg: _champ(lg, 0, b",").zfill(9) in sites)
    return cible


@dataclass
class PetitInstantane:
    """Une construction réussie sur les données réduites : où sont les données, les instantanés, le résultat."""

    donnees: Path
    racine: Path
    resultat: object  # graphe.construction.ResultatConstruction
    duree_s: float


def construire_petit(base: Path) -> PetitInstantane:
    """Copie les données réduites dans ``base/donnees`` et publie un instantané dans ``base/instantane``."""
    from graphe.construction import construire

    donnees = copier_donnees_petites(base / "donnees")
    racine = base / "instantane"
    debut = time.perf_counter()
    resultat = construire(donnees, racine, progression=False)
    return PetitInstantane(donnees, racine, resultat, time.perf_counter() - debut)
