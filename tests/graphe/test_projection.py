"""La projection networkx d'un vrai instantané (petit) : territoires, réseaux, chemins étiquetés.

Pourquoi sur un instantané construit : la projection est faite de requêtes SPARQL sur les termes du modèle ;
un terme renommé dans un lecteur rendrait une projection vide sans erreur. Ici chaque relation attendue est
vérifiée sur des sites réels (Centre Léon Bérard à Lyon, Gustave Roussy à Villejuif).
"""

from __future__ import annotations

import networkx as nx
import pytest
from donnees_petites import PetitInstantane

from graphe import instantane as inst
from graphe.projection import RELATIONS, chemin_relations, membres, projeter, voisinage
from graphe.sources.curation.organisations import iri_reseau
from ontologie import espaces

LEON_BERARD = str(espaces.etablissement("690000880"))
GUSTAVE_ROUSSY = str(espaces.etablissement("940000664"))


@pytest.fixture(scope="module")
def projection(petit_instantane: PetitInstantane) -> nx.MultiGraph:
    return projeter(inst.ouvrir_courant(petit_instantane.racine).store)


def _relations(g: nx.MultiGraph, a: str, b: str) -> set[str]:
    return {d["relation"] for d in (g.get_edge_data(a, b) or {}).values()}


def test_site_relie_a_sa_commune_son_departement_sa_region(projection: nx.MultiGraph) -> None:
    lyon, rhone, ara = (str(espaces.commune("69123")), str(espaces.departement("69")), str(espaces.region("84")))
    assert "commune" in _relations(projection, LEON_BERARD, lyon)
    assert "departement" in _relations(projection, lyon, rhone)
    assert "region" in _relations(projection, rhone, ara)
    assert projection.nodes[LEON_BERARD]["type"] == "Etablissement"
    assert "BERARD" in projection.nodes[LEON_BERARD]["nom"].upper()
    assert projection.nodes[lyon]["type"] == "Commune" and projection.nodes[ara]["type"] == "Region"
    # Le plus court chemin vers la région peut passer par le territoire (3 pas) ou par une OIR qui la couvre
    # (2 pas : membre, region_couverte) ; dans les deux cas chaque pas dit sa relation.
    chemin = chemin_relations(projection, LEON_BERARD, ara)
    assert 2 <= len(chemin) <= 3 and all(r in RELATIONS for _, r, _ in chemin)
    assert chemin[-1][1] in ("region", "region_couverte")


def test_chaque_relation_du_modele_est_presente(projection: nx.MultiGraph) -> None:
    # Une relation absente voudrait dire un terme renommé côté lecteur ou côté projection.
    vues = {d["relation"] for _, _, d in projection.edges(data=True)}
    assert vues == set(RELATIONS)


def test_membres_de_netsarc(projection: nx.MultiGraph) -> None:
    netsarc = str(iri_reseau("NETSARC+"))
    assert projection.nodes[netsarc]["type"] == "ReseauCancersRares"
    m = membres(projection, netsarc)
    assert {LEON_BERARD, GUSTAVE_ROUSSY} <= m
    # Hors de l'extrait (Bergonié à Bordeaux) : membre gardé comme organisation sans FINESS, jamais perdu.
    assert any(projection.nodes[x].get("type") == "OrganisationSansFiness" for x in m)
    assert membres(projection, "https://exemple.invalid/absent") == set()


def test_chemin_entre_deux_sites_aux_aretes_etiquetees(projection: nx.MultiGraph) -> None:
    chemin = chemin_relations(projection, LEON_BERARD, GUSTAVE_ROUSSY)
    assert chemin and chemin[0][0] == LEON_BERARD and chemin[-1][2] == GUSTAVE_ROUSSY
    assert all(relation in RELATIONS for _, relation, _ in chemin)
    assert all(a == chemin[i - 1][2] for i, (a, _, _) in enumerate(chemin) if i)  # chemin continu
    assert len(chemin) == 2 and {r for _, r, _ in chemin} == {"membre"}  # par un réseau commun
    assert chemin_relations(projection, LEON_BERARD, "https://exemple.invalid/absent") == []
    assert GUSTAVE_ROUSSY in voisinage(projection, LEON_BERARD, rayon=2)
    assert GUSTAVE_ROUSSY not in voisinage(projection, LEON_BERARD, rayon=1)
