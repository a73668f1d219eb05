"""Les indicateurs recalculés droit depuis les fichiers sources, sans le graphe ni SPARQL.

Pourquoi : chaque requête du catalogue est vérifiée contre un calcul indépendant. Ce module relit les CSV de
la SAE et des communes avec le module ``csv`` et refait la règle à la main : une activité 2022 n'est plus une
preuve si le site a répondu à l'édition 2023 du même bordereau sans la déclarer ; seules les lignes ``DECLA`` de
FILTRE engagent le site ; une ligne d'un site absent de la SAE ID 2023 ne compte pas.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

SAE = Path(__file__).resolve().parents[2] / "donnees" / "sae"
GEO = Path(__file__).resolve().parents[2] / "donnees" / "geo"


def _lignes(nom: str) -> list[dict[str, str]]:
    with (SAE / nom).open(encoding="latin-1", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


#: La SAE range Saint-Barthélemy (9A123) et Saint-Martin (9A127) en Guadeloupe (région 01) ; le code officiel
#: géographique (geo/communes.csv, que suit le graphe) en fait deux collectivités, 977 et 978.
COLLECTIVITES: dict[str, str] = {"9A123": "977", "9A127": "978"}


def regions_des_sites() -> dict[str, str]:
    """FINESS géographique → code INSEE de sa région : la colonne ``reg`` de la SAE ID 2023, hors collectivités."""
    return {r["fi"]: COLLECTIVITES.get(r["COMINSEE"], r["reg"]) for r in _lignes("ID_2023r.csv")}


def sites_declarant(besoin: str) -> set[str]:
    """Les sites avec une activité déclarée du besoin (radiotherapie ou chimiotherapie), 2022 non contredit."""
    filtre_var, cancero_var = {"radiotherapie": ("RTH", "CANCERO_A2"), "chimiotherapie": ("CHIMIO", "CANCERO_A1")}[
        besoin
    ]
    connus = set(regions_des_sites())
    sites = {r["FI"] for r in _lignes("FILTRE_2023r.csv") if r["STATUT"] == "DECLA" and r[filtre_var] == "1"}
    c23 = _lignes("CANCERO_2023r.csv")
    repondants_2023 = {r["FI"] for r in c23}
    sites |= {r["FI"] for r in c23 if r[cancero_var] == "1"}
    sites |= {r["FI"] for r in _lignes("CANCERO_2022r.csv") if r[cancero_var] == "1" and r["FI"] not in repondants_2023}
    return sites & connus


def appareils_radiotherapie() -> dict[str, int]:
    """FINESS → nombre d'appareils (CANCERO_A12) de l'édition la plus récente qui le déclare (2023, sinon 2022)."""
    appareils: dict[str, int] = {}
    for nom in ("CANCERO_2022r.csv", "CANCERO_2023r.csv"):  # 2023 écrase 2022
        for r in _lignes(nom):
            if r["CANCERO_A12"].strip():
                appareils[r["FI"]] = int(float(r["CANCERO_A12"]))
    return appareils


@dataclass(frozen=True)
class Commune:
    code: str
    departement: str
    population: int
    lat: float
    lon: float


def communes() -> list[Commune]:
    """Les communes de ``geo/communes.csv`` qui ont un point et une population."""
    with (GEO / "communes.csv").open(encoding="utf-8", newline="") as f:
        return [
            Commune(
                r["code_insee"],
                r["code_departement"],
                int(r["population"] or 0),
                float(r["latitude"]),
                float(r["longitude"]),
            )
            for r in csv.DictReader(f)
            if r["latitude"] and r["longitude"]
        ]


def sites_declarant_un_partenaire() -> set[str]:
    """Les sites (de la SAE ID 2023) qui déclarent un FINESS partenaire (CANCERO_A8/B8/C8) en 2022 ou en 2023."""
    connus = set(regions_des_sites())
    sites = set()
    for nom in ("CANCERO_2022r.csv", "CANCERO_2023r.csv"):
        for r in _lignes(nom):
            if any(r[v].strip() for v in ("CANCERO_A8", "CANCERO_B8", "CANCERO_C8")):
                sites.add(r["FI"])
    return sites & connus
