"""Distances précalculées : pour chaque commune et chaque besoin, le site le plus proche qui en a une preuve.

Pourquoi à la construction : Oxigraph n'a pas de fonction de distance GeoSPARQL, et SPARQL 1.1 pas de racine
carrée. Une analyse de couverture (« population à plus de 50 km d'une radiothérapie ») doit pourtant rester une
requête SPARQL. On calcule donc ici, une fois par instantané, avec la seule distance du projet
(``graphe.geodesie.distances_km``, haversine), et on écrit le résultat dans son propre graphe nommé
``src:distances``, décrit dans ``src:meta`` comme toute source (dérivée de celles qu'elle lit).

Une preuve compte comme pour l'évaluation de la recherche : ``bo:etablissement`` ou ``org:member`` un site
géolocalisé, ni autorisation inactive, ni déclaration contredite par l'édition plus récente de l'enquête.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pyoxigraph as ox
from tqdm import tqdm

from graphe.geodesie import distances_km
from graphe.instantane import Interrogeable, solutions
from ontologie import espaces
from ontologie.espaces import BO, GRAPHE_META, entete_sparql

#: Le graphe nommé des distances précalculées.
GRAPHE_DISTANCES = espaces.source("distances")

#: Les besoins des questions d'orientation (les mots de l'évaluation) : un nœud par commune et par besoin, soit
#: ~35 000 × 8 nœuds. Tous les besoins du thésaurus quintupleraient la taille du graphe pour des listes partielles.
BESOINS_DISTANCE: tuple[str, ...] = (
    "radiotherapie",
    "chimiotherapie",
    "chirurgie",
    "palliatif",
    "douleur",
    "geriatrie",
    "tep",
    "cancer_rare",
)

REQUETE_COMMUNES = """
SELECT ?c ?code ?lat ?lon WHERE {
  ?c a bo:Commune ; bo:code ?code ; schema:latitude ?lat ; schema:longitude ?lon .
}"""

#: Les sites géolocalisés qui ont une preuve du besoin (même règle que ``recherche/evaluation.py``).
REQUETE_SITES = """
SELECT DISTINCT ?e ?lat ?lon WHERE {
  ?p bo:besoin <%s> .
  { ?p bo:etablissement ?e } UNION { ?p org:member ?e }
  ?e a bo:Etablissement ; schema:latitude ?lat ; schema:longitude ?lon .
  FILTER NOT EXISTS { ?p bo:etat "inactive" }
  FILTER NOT EXISTS { ?p bo:contreditePar ?recente }
}"""

#: Les sources dont les preuves entrent dans le calcul (pour prov:wasDerivedFrom).
REQUETE_SOURCES = """
SELECT DISTINCT ?g WHERE {
  GRAPH ?g { ?p bo:besoin ?b }
  FILTER(?b IN (%s))
}"""


@dataclass(frozen=True)
class Point:
    """Un lieu nommé par son IRI (commune ou site) et ses coordonnées WGS84 en degrés."""

    iri: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Distance:
    """La distance d'une commune au site le plus proche ayant une preuve d'un besoin."""

    commune: str
    code_insee: str
    besoin: str
    site: str
    km: float


def plus_proches(communes: list[tuple[str, Point]], sites: list[Point], besoin: str) -> Iterator[Distance]:
    """Pour chaque commune (code INSEE, point), le site le plus proche parmi ``sites`` et sa distance.

    Une boucle sur les sites (quelques centaines à quelques milliers) et un calcul vectorisé sur les communes :
    la distance reste celle de ``distances_km``, sans matrice communes × sites en mémoire.
    """
    if not sites or not communes:
        return
    points = np.radians(np.array([[p.lat, p.lon] for _, p in communes], dtype=float))
    meilleure = np.full(len(communes), np.inf)
    indice = np.zeros(len(communes), dtype=int)
    for i, site in enumerate(sites):
        d = distances_km(points, site.lat, site.lon)
        plus_pres = d < meilleure
        meilleure[plus_pres] = d[plus_pres]
        indice[plus_pres] = i
    for (code, commune), km, i in zip(communes, meilleure, indice, strict=True):
        yield Distance(commune.iri, code, besoin, sites[i].iri, float(km))


def _km(valeur: float) -> str:
    """Une distance arrondie à 100 m, en xsd:decimal (assez pour un seuil de plusieurs kilomètres)."""
    return f"{round(valeur, 1):.1f}"


def en_ntriples(distances: Iterable[Distance]) -> Iterator[str]:
    """Les triplets N-Triples de chaque distance (type, commune, besoin, km, site le plus proche)."""
    dec = "http://www.w3.org/2001/XMLSchema#decimal"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    for d in distances:
        n = f"<{espaces.distance(d.besoin, d.code_insee)}>"
        yield (
            f"{n} <{rdf_type}> <{BO.DistanceAuPlusProche}> .\n"
            f"{n} <{BO.commune}> <{d.commune}> .\n"
            f"{n} <{BO.besoinVise}> <{espaces.concept('besoin', d.besoin)}> .\n"
            f'{n} <{BO.distanceKm}> "{_km(d.km)}"^^<{dec}> .\n'
            f"{n} <{BO.etablissementLePlusProche}> <{d.site}> .\n"
        )


def lire_communes(store: Interrogeable) -> list[tuple[str, Point]]:
    communes = [
        (s["code"].value, Point(s["c"].value, float(s["lat"].value), float(s["lon"].value)))
        for s in solutions(store, entete_sparql() + REQUETE_COMMUNES)
    ]
    return [(code, p) for code, p in communes if math.isfinite(p.lat) and math.isfinite(p.lon)]


def lire_sites(store: Interrogeable, besoin: str) -> list[Point]:
    requete = entete_sparql() + REQUETE_SITES % espaces.concept("besoin", besoin)
    sites = [Point(s["e"].value, float(s["lat"].value), float(s["lon"].value)) for s in solutions(store, requete)]
    # ordre stable : à égalité de distance, le même site d'une construction à l'autre
    return sorted(sites, key=lambda p: p.iri)


def _meta(store: ox.Store, triplets: int, sites: dict[str, int], quand: datetime, identifiant: str) -> None:
    """La description de ``src:distances`` dans ``src:meta`` : ce qui est calculé, d'où, comment, quand."""
    iri = ox.NamedNode(str(GRAPHE_DISTANCES))
    meta = ox.NamedNode(str(GRAPHE_META))
    dcat, dct, prov = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    rdfs = "http://www.w3.org/2000/01/rdf-schema#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    horodatage = ox.Literal(quand.isoformat(timespec="seconds"), datatype=ox.NamedNode(xsd + "dateTime"))
    besoins = ", ".join(f"{b} ({n} sites)" for b, n in sites.items())
    quads: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (rdf_type, ox.NamedNode(dcat + "Dataset")),
        (rdf_type, ox.NamedNode(prov + "Entity")),
        (ox.NamedNode(dct + "title"), ox.Literal("Distances des communes au site le plus proche", language="fr")),
        (ox.NamedNode(dct + "publisher"), ox.Literal("Boussole (calcul à la construction)")),
        (ox.NamedNode(str(BO.dateDonnees)), ox.Literal(quand.date().isoformat(), datatype=ox.NamedNode(xsd + "date"))),
        (ox.NamedNode(str(BO.anneeDonnees)), ox.Literal(str(quand.year), datatype=ox.NamedNode(xsd + "integer"))),
        (ox.NamedNode(prov + "generatedAtTime"), horodatage),
        (ox.NamedNode(prov + "wasGeneratedBy"), ox.NamedNode(str(espaces.ID[f"construction/{identifiant}"]))),
        (ox.NamedNode(str(BO.nombreTriplets)), ox.Literal(str(triplets), datatype=ox.NamedNode(xsd + "integer"))),
        (
            ox.NamedNode(rdfs + "comment"),
            ox.Literal(
                "Distance orthodromique (haversine, graphe/geodesie.py) du point de chaque commune au point du site "
                "le plus proche qui a une preuve active et non contredite du besoin ; arrondie à 0,1 km. Un site "
                "placé au point de sa commune (bo:precisionGeo « commune ») est compté à ce point. Besoins : "
                + besoins,
                language="fr",
            ),
        ),
    ]
    store.extend([ox.Quad(iri, p, o, meta) for p, o in quads])
    requete = entete_sparql() + REQUETE_SOURCES % ", ".join(f"<{espaces.concept('besoin', b)}>" for b in sites)
    derivees = [ox.NamedNode(s["g"].value) for s in solutions(store, requete)] + [
        ox.NamedNode(str(espaces.source("geo-communes")))
    ]
    store.extend([ox.Quad(iri, ox.NamedNode(prov + "wasDerivedFrom"), g, meta) for g in derivees])


def precalculer(store: ox.Store, identifiant: str, quand: datetime, progression: bool = True) -> int:
    """Calcule et écrit le graphe ``src:distances`` dans ``store`` ; rend le nombre de triplets écrits."""
    communes = lire_communes(store)
    sites: dict[str, int] = {}
    lignes: list[str] = []
    for besoin in tqdm(BESOINS_DISTANCE, desc="Distances aux sites", unit="besoin", disable=not progression):
        liste = lire_sites(store, besoin)
        sites[besoin] = len(liste)
        lignes.extend(en_ntriples(plus_proches(communes, liste, besoin)))
    texte = "".join(lignes).encode("utf-8")
    triplets = 5 * len(lignes)
    if texte:
        store.bulk_load(texte, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(GRAPHE_DISTANCES)))
    _meta(store, triplets, sites, quand, identifiant)
    store.flush()
    return triplets
