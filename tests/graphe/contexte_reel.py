"""Un contexte construit à partir des vraies données embarquées (SAE ID 2023 complète, régions, communes).

Pourquoi lire la SAE ici à la main : l'appariement et les listes curées doivent être testés sur les vrais noms
de
la SAE (« CENTRE LEON BERARD », « CHU DE NANTES SITE HOTEL DIEU HME »), sans dépendre d'un autre lecteur.
"""

from __future__ import annotations

import csv
from datetime import date
from functools import lru_cache
from pathlib import Path

from graphe.sources.base import Contexte, InfoCommune, InfoEtablissement

DONNEES_REELLES = Path(__file__).resolve().parents[2] / "donnees"


@lru_cache(maxsize=1)
def contexte_reel() -> Contexte:
    """Les 3 975 sites SAE 2023, les régions et les communes réelles (ne pas modifier : partagé)."""
    ctx = Contexte(date_construction=date(2026, 4, 2))
    with (DONNEES_REELLES / "sae" / "ID_2023r.csv").open(encoding="latin-1", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            ctx.etablissements[r["fi"]] = InfoEtablissement(
                finess=r["fi"],
                nom=r["rs"],
                finess_ej=r["fi_ej"],
                commune=r["COMINSEE"],
                ville=r["LIBCOM"],
                categorie=r["cat"],
            )
    with (DONNEES_REELLES / "geo" / "regions.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            ctx.regions[r["code_region"]] = r["nom"]
    with (DONNEES_REELLES / "geo" / "communes.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            ctx.communes[r["code_insee"]] = InfoCommune(
                code=r["code_insee"],
                nom=r["nom"],
                departement=r["code_departement"],
                region=r["code_region"],
                codes_postaux=tuple(r["codes_postaux"].split()),
                latitude=None,
                longitude=None,
            )
    return ctx
