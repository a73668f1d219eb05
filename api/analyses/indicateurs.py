"""Les indicateurs du rapport d'analyse : les requêtes du catalogue ``requetes/*.rq``, lancées sur la base.

Pourquoi les mêmes fichiers que la page /sparql et ``boussole sparql --fichier`` : un chiffre du rapport est
toujours celui qu'un analyste retrouve en lançant la requête dont il porte le nom ; les tests recalculent ces
requêtes depuis les sources, ils valent donc pour le rapport.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from api.sparql.catalogue import RequeteCatalogue, par_identifiant
from graphe.distances import BESOINS_DISTANCE, lire_sites
from graphe.instantane import Interrogeable
from ontologie import espaces

#: Les préfixes déclarés d'office, comme sur /sparql et dans ``boussole sparql``.
PREFIXES = {p: str(ns) for p, ns in espaces.PREFIXES.items()}

#: Les requêtes du rapport, dans l'ordre du rapport (la distance par commune, ~280 000 lignes, n'y est pas).
INDICATEURS: tuple[str, ...] = (
    "population_eloignee",
    "radiotherapie_par_region",
    "sites_par_besoin_et_region",
    "couverture_cancers_rares_par_region",
    "reseaux_cancers_rares_par_region",
    "evolutions_enquetes_2022_2023",
    "faits_anciens_par_source",
)

REQUETE_TERRITOIRE = """
SELECT ?departement ?nom ?region ?nom_region WHERE {
  ?d a bo:Departement ; bo:code ?departement ; schema:name ?nom ; bo:region ?r .
  ?r bo:code ?region ; schema:name ?nom_region .
}"""

#: La région de chaque site (pour restreindre les points d'une carte régionale).
REQUETE_REGIONS_SITES = """
SELECT ?e ?region WHERE { ?e a bo:Etablissement ; bo:commune/bo:region/bo:code ?region }"""

REQUETE_DATES = """
SELECT ?source ?date WHERE { GRAPH src:meta { ?source a dcat:Dataset ; bo:dateDonnees ?date } }"""


@dataclass
class Indicateur:
    """Le résultat d'une requête du catalogue : ses colonnes et ses lignes (valeurs en texte, vide si absente)."""

    requete: RequeteCatalogue
    lignes: list[dict[str, str]] = field(default_factory=list)

    @property
    def identifiant(self) -> str:
        return self.requete.identifiant

    @property
    def colonnes(self) -> list[str]:
        return self.requete.colonnes


@dataclass(frozen=True)
class Territoire:
    """Les départements et régions du graphe : code → nom, et la région de chaque département."""

    departements: dict[str, str]
    regions: dict[str, str]
    region_du_departement: dict[str, str]


def selection(store: Interrogeable, requete: str) -> list[dict[str, str]]:
    """Les solutions d'un SELECT (union des graphes nommés), chaque valeur en texte."""
    resultats = store.query(requete, use_default_graph_as_union=True, prefixes=PREFIXES)
    if not isinstance(resultats, ox.QuerySolutions):
        raise TypeError("requête SELECT attendue")
    noms = [v.value for v in resultats.variables]
    return [{n: (s[n].value if s[n] is not None else "") for n in noms} for s in resultats]


def calculer(store: Interrogeable, identifiant: str) -> Indicateur:
    """Lance la requête ``requetes/<identifiant>.rq`` sur la base."""
    requete = par_identifiant(identifiant)
    if requete is None:
        raise KeyError(f"requête inconnue du catalogue : {identifiant}")
    return Indicateur(requete, selection(store, requete.texte))


def territoire(store: Interrogeable) -> Territoire:
    lignes = selection(store, REQUETE_TERRITOIRE)
    return Territoire(
        departements={ligne["departement"]: ligne["nom"] for ligne in lignes},
        regions={ligne["region"]: ligne["nom_region"] for ligne in lignes},
        region_du_departement={ligne["departement"]: ligne["region"] for ligne in lignes},
    )


def restreindre(indicateur: Indicateur, region: str, terr: Territoire) -> Indicateur:
    """Les lignes d'une région : par la colonne ``region``, ou ``departement`` ; les autres tables restent entières."""
    if "region" in indicateur.colonnes and indicateur.identifiant != "reseaux_cancers_rares_par_region":
        garde = [ligne for ligne in indicateur.lignes if ligne["region"] == region]
    elif indicateur.identifiant == "reseaux_cancers_rares_par_region":
        garde = [ligne for ligne in indicateur.lignes if ligne["region"] in (region, "")]
    elif "departement" in indicateur.colonnes:
        garde = [ligne for ligne in indicateur.lignes if terr.region_du_departement.get(ligne["departement"]) == region]
    else:
        garde = list(indicateur.lignes)
    return Indicateur(indicateur.requete, garde)


def sites_par_besoin(store: Interrogeable, region: str | None = None) -> dict[str, list[tuple[float, float]]]:
    """Pour chaque besoin mesuré, les points (lat, lon) des sites qui en ont une preuve (dans la région).

    Les sites sont ceux du précalcul des distances (``graphe.distances.lire_sites``) : les points d'une carte sont
    ceux dont la distance est mesurée.
    """
    regions = {ligne["e"]: ligne["region"] for ligne in selection(store, REQUETE_REGIONS_SITES)} if region else {}
    return {
        besoin: [(p.lat, p.lon) for p in lire_sites(store, besoin) if region is None or regions.get(p.iri) == region]
        for besoin in BESOINS_DISTANCE
    }


def date_des_donnees(store: Interrogeable) -> str:
    """La phrase « données de … à … » des sources de l'instantané (années des bo:dateDonnees, calcul exclu)."""
    annees = sorted(
        {
            ligne["date"][:4]
            for ligne in selection(store, REQUETE_DATES)
            if not ligne["source"].endswith("/distances") and ligne["date"][:4].isdigit()
        }
    )
    if not annees:
        return "date des données inconnue"
    return f"données {annees[0]}–{annees[-1]}" if len(annees) > 1 else f"données {annees[0]}"
