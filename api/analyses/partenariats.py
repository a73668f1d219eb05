"""Le réseau de partenariat entre sites, lu comme un graphe (networkx) : composantes et sites associés isolés.

Pourquoi un graphe : « ce site associé a-t-il un partenaire qui traite, pas trop loin ? » et « quels groupes de
sites travaillent ensemble ? » sont des questions de chemins et de composantes, que SPARQL dit mal. La projection
(``graphe/projection.py``) garde les liens de partenariat déclarés à la SAE CANCERO (variables A8/B8/C8, sens
inféré : ``bo:sitePartenaire``), le rattachement des sites à leur entité juridique et l'appartenance aux réseaux.

Un site **associé** est un site qui déclare au moins un partenaire (valeur CANCERO_A8/B8/C8). Un partenaire
**traitant** est un site qui a une preuve active de chimiothérapie ou de radiothérapie (l'extrait FINESS embarqué
ne porte presque aucune autorisation : la preuve est le plus souvent une activité déclarée). Quand la valeur
déclarée est le FINESS d'une entité juridique, ses sites comptent comme partenaires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from api.analyses.indicateurs import selection
from graphe.geodesie import distance_km
from graphe.instantane import Interrogeable
from graphe.projection import projeter

#: Les liens projetés pour le réseau de partenariat.
RELATIONS = {
    "partenaire": "?a bo:sitePartenaire ?b",
    "entite_juridique": "?a a bo:Etablissement ; bo:entiteJuridique ?b",
    "membre": "?m org:member ?a ; org:organization ?b . ?a a bo:Etablissement",
}
#: Au-delà, un partenaire traitant n'est pas « proche ».
SEUIL_KM = 50.0

REQUETE_DECLARES = """
SELECT DISTINCT ?site ?valeur WHERE {
  ?v a bo:ValeurEnquete ; bo:variable ?variable ; bo:valeur ?valeur ; bo:etablissement ?site .
  FILTER(?variable IN ("CANCERO_A8", "CANCERO_B8", "CANCERO_C8"))
}"""
REQUETE_SITES = """
SELECT ?site ?finess ?nom ?lat ?lon ?region ?ej WHERE {
  ?site a bo:Etablissement ; bo:finess ?finess ; schema:name ?nom .
  OPTIONAL { ?site schema:latitude ?lat ; schema:longitude ?lon }
  OPTIONAL { ?site bo:commune/bo:region/bo:code ?region }
  OPTIONAL { ?site bo:entiteJuridique/bo:finess ?ej }
}"""
REQUETE_TRAITANTS = """
SELECT DISTINCT ?site WHERE {
  ?p bo:besoin ?b .
  FILTER(?b IN (<https://w3id.org/boussole/concept/besoin/chimiotherapie>,
                <https://w3id.org/boussole/concept/besoin/radiotherapie>))
  ?p bo:etablissement ?site .
  FILTER NOT EXISTS { ?p bo:etat "inactive" }
  FILTER NOT EXISTS { ?p bo:contreditePar ?recente }
}"""

COLONNES = ["finess", "nom", "region", "partenaires_declares", "partenaires_traitants", "distance_km_plus_proche"]


@dataclass(frozen=True)
class Site:
    finess: str
    nom: str
    region: str
    point: tuple[float, float] | None
    entite: str


@dataclass
class Partenariats:
    """Ce que le rapport montre : les composantes du réseau et les sites associés sans partenaire traitant proche."""

    composantes: list[int]  # nombre de sites de chaque composante qui en a au moins deux, du plus grand au plus petit
    associes: int
    isoles: list[dict[str, str]]


def partenaires_des_sites(declares: Mapping[str, set[str]], sites: Mapping[str, Site]) -> dict[str, set[str]]:
    """FINESS du site associé → FINESS des sites partenaires : le site déclaré, ou les sites de l'entité déclarée."""
    par_entite: dict[str, set[str]] = {}
    for s in sites.values():
        par_entite.setdefault(s.entite, set()).add(s.finess)
    rendu: dict[str, set[str]] = {}
    for site, valeurs in declares.items():
        partenaires = set()
        for v in valeurs:
            partenaires |= {v} if v in sites else par_entite.get(v, set())
        rendu[site] = partenaires - {site}
    return rendu


def sans_partenaire_proche(
    partenaires: Mapping[str, set[str]], sites: Mapping[str, Site], traitants: set[str], seuil_km: float = SEUIL_KM
) -> list[dict[str, str]]:
    """Les sites associés dont aucun partenaire traitant n'est à moins de ``seuil_km`` (ou qui n'en ont aucun)."""
    lignes = []
    for finess in sorted(partenaires):
        site = sites.get(finess)
        if site is None:
            continue
        traitants_du_site = sorted(p for p in partenaires[finess] if p in traitants)
        points = [sites[p].point for p in traitants_du_site]
        distances = [
            distance_km(site.point[0], site.point[1], pt[0], pt[1])
            for pt in points
            if site.point is not None and pt is not None
        ]
        plus_proche = min(distances) if distances else None
        if plus_proche is None or plus_proche > seuil_km:
            lignes.append(
                {
                    "finess": finess,
                    "nom": site.nom,
                    "region": site.region,
                    "partenaires_declares": str(len(partenaires[finess])),
                    "partenaires_traitants": str(len(traitants_du_site)),
                    "distance_km_plus_proche": "" if plus_proche is None else f"{plus_proche:.1f}",
                }
            )
    return lignes


def composantes_de_sites(g: nx.MultiGraph) -> list[int]:
    """Taille (en sites) de chaque composante connexe qui réunit au moins deux sites, de la plus grande à la plus
    petite ; les entités juridiques et les réseaux relient les sites mais ne sont pas comptés."""
    tailles = []
    for composante in nx.connected_components(g):
        n = sum(1 for noeud in composante if "/etablissement/" in noeud)
        if n >= 2:
            tailles.append(n)
    return sorted(tailles, reverse=True)


def analyser(store: Interrogeable, region: str | None = None) -> Partenariats:
    """Projette le réseau, mesure ses composantes et liste les sites associés isolés (dans la région)."""
    sites = {}
    for ligne in selection(store, REQUETE_SITES):
        point = (float(ligne["lat"]), float(ligne["lon"])) if ligne["lat"] and ligne["lon"] else None
        sites[ligne["finess"]] = Site(ligne["finess"], ligne["nom"], ligne["region"], point, ligne["ej"])
    iri_vers_finess = {ligne["site"]: ligne["finess"] for ligne in selection(store, REQUETE_SITES)}
    declares: dict[str, set[str]] = {}
    for ligne in selection(store, REQUETE_DECLARES):
        finess = iri_vers_finess.get(ligne["site"])
        if finess is not None:
            declares.setdefault(finess, set()).add(ligne["valeur"].strip())
    traitants = {
        iri_vers_finess[x["site"]] for x in selection(store, REQUETE_TRAITANTS) if x["site"] in iri_vers_finess
    }
    isoles = sans_partenaire_proche(partenaires_des_sites(declares, sites), sites, traitants)
    g = projeter(store, RELATIONS)
    if region is not None:
        isoles = [ligne for ligne in isoles if ligne["region"] == region]
        garder = [
            n
            for n in g
            if "/etablissement/" not in n
            or sites.get(n.rsplit("/", 1)[-1]) is not None
            and sites[n.rsplit("/", 1)[-1]].region == region
        ]
        g = g.subgraph(garder)
        declares = {f: v for f, v in declares.items() if sites[f].region == region}
    return Partenariats(composantes_de_sites(g), len(declares), isoles)
