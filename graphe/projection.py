"""Projection networkx du graphe : sites, entités juridiques, réseaux et territoires.

Pourquoi une projection : SPARQL répond bien « qui a quoi » ; les algorithmes de graphe (chemin de relations
le plus court entre deux équipes, voisinage d'un site, composantes d'un réseau) se font mieux sur un graphe
networkx compact. La projection ne garde que les liens structurants, chacun étiqueté par sa relation.
"""

from __future__ import annotations

import networkx as nx

from graphe.instantane import Interrogeable, solutions
from ontologie.espaces import entete_sparql

#: Relations projetées : (étiquette, motif SPARQL liant ?a à ?b).
RELATIONS: dict[str, str] = {
    "entite_juridique": "?a bo:entiteJuridique ?b",
    "commune": "?a bo:commune ?b",
    "departement": "?a a bo:Commune ; bo:departement ?b",
    "region": "?a a bo:Departement ; bo:region ?b",
    "membre": "?m org:member ?a ; org:organization ?b",
    "partenaire": "?a bo:sitePartenaire ?b",
    "organisateur": "?b bo:organisateur ?a",
    "region_couverte": "?a bo:regionCouverte ?b",
}


def projeter(store: Interrogeable, relations: dict[str, str] | None = None) -> nx.MultiGraph:
    """Construit le graphe networkx ; chaque nœud porte ``nom`` et ``type`` (classe bo: courte)."""
    g = nx.MultiGraph()
    for etiquette, motif in (relations or RELATIONS).items():
        requete = entete_sparql() + f"SELECT ?a ?b WHERE {{ {motif} }}"
        for a, b in solutions(store, requete):
            g.add_edge(a.value, b.value, relation=etiquette)
    requete = (
        entete_sparql()
        + """
        SELECT ?s ?type ?nom WHERE {
          ?s a ?c . FILTER(STRSTARTS(STR(?c), STR(bo:)))
          BIND(STRAFTER(STR(?c), "#") AS ?type)
          OPTIONAL { ?s schema:name ?nom }
        }"""
    )
    for s, type_, nom in solutions(store, requete):
        if s.value not in g:
            continue
        attributs = g.nodes[s.value]
        attributs["nom"] = nom.value if nom is not None else s.value
        # bo:Preuve est une super-classe matérialisée (plateforme de fertilité + preuve) : la classe propre,
        # plus parlante, l'emporte quel que soit l'ordre des réponses.
        if type_.value != "Preuve" or attributs.get("type") in (None, "Preuve"):
            attributs["type"] = type_.value
    return g


def chemin_relations(g: nx.MultiGraph, depart: str, arrivee: str) -> list[tuple[str, str, str]]:
    """Le plus court chemin de relations entre deux entités : [(de, relation, vers), ...] ; [] si aucun."""
    try:
        noeuds = nx.shortest_path(g, depart, arrivee)
    except (nx.NetworkXNoPath, nx.NodeNotFound):
        return []
    return [
        (a, next(iter(g.get_edge_data(a, b).values()))["relation"], b) for a, b in zip(noeuds, noeuds[1:], strict=False)
    ]


def voisinage(g: nx.MultiGraph, noeud: str, rayon: int = 1) -> set[str]:
    """Entités à au plus ``rayon`` relations de ``noeud`` (lui exclu)."""
    if noeud not in g:
        return set()
    return set(nx.single_source_shortest_path_length(g, noeud, cutoff=rayon)) - {noeud}


def membres(g: nx.MultiGraph, organisation: str) -> set[str]:
    """Membres directs d'un réseau, d'une OIR ou d'une UCOG."""
    if organisation not in g:
        return set()
    return {
        voisin
        for voisin in g.neighbors(organisation)
        if any(d["relation"] == "membre" for d in g.get_edge_data(organisation, voisin).values())
    }
