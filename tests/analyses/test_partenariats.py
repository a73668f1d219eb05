"""Le réseau de partenariat (api/analyses/partenariats.py) : sur un petit exemple fait à la main, puis sur le
graphe national, où le nombre de sites associés est recompté depuis les CSV CANCERO."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import sources_brutes

from api.analyses import partenariats
from api.analyses.partenariats import Site, composantes_de_sites, partenaires_des_sites, sans_partenaire_proche
from graphe.instantane import ouvrir_courant

#: Quimper associé à Brest (traitant, ~60 km) et à l'entité juridique EJ1 (sites Q2 traitant à 2 km, Q3 non).
SITES = {
    "Q1": Site("Q1", "Quimper", "53", (47.996, -4.102), "EJQ"),
    "B1": Site("B1", "Brest", "53", (48.39, -4.49), "EJB"),
    "Q2": Site("Q2", "Quimper 2", "53", (48.01, -4.10), "EJ1"),
    "Q3": Site("Q3", "Quimper 3", "53", (48.00, -4.11), "EJ1"),
    "R1": Site("R1", "Rennes", "53", (48.11, -1.68), "EJR"),
}


def test_partenaire_declare_par_site_ou_par_entite() -> None:
    rendu = partenaires_des_sites({"Q1": {"B1", "EJ1"}, "R1": {"R1", "INCONNU"}}, SITES)
    assert rendu == {"Q1": {"B1", "Q2", "Q3"}, "R1": set()}


def test_sans_partenaire_traitant_proche() -> None:
    partenaires = {"Q1": {"B1", "Q2", "Q3"}, "Q3": {"B1"}, "R1": set()}
    # Q2 traite, à 2 km de Q1 : Q1 n'est pas isolé ; Q3 n'a que Brest (> 50 km) ; R1 n'a aucun partenaire
    lignes = sans_partenaire_proche(partenaires, SITES, traitants={"B1", "Q2"})
    assert [(ligne["finess"], ligne["partenaires_traitants"]) for ligne in lignes] == [("Q3", "1"), ("R1", "0")]
    assert float(lignes[0]["distance_km_plus_proche"]) > 50 and lignes[1]["distance_km_plus_proche"] == ""
    # sans Q2 parmi les traitants, Q1 est isolé à son tour
    assert "Q1" in {ligne["finess"] for ligne in sans_partenaire_proche(partenaires, SITES, traitants={"B1"})}


def test_composantes_comptent_les_sites_seulement() -> None:
    g = nx.MultiGraph()
    g.add_edge("id/etablissement/1", "id/entite-juridique/9")
    g.add_edge("id/etablissement/2", "id/entite-juridique/9")
    g.add_edge("id/etablissement/3", "id/etablissement/4")
    g.add_edge("id/etablissement/5", "id/entite-juridique/8")
    assert composantes_de_sites(g) == [2, 2]


def test_national_associes_recomptes_depuis_les_csv(racine_nationale: Path) -> None:
    p = partenariats.analyser(ouvrir_courant(racine_nationale).store)
    assert p.associes == len(sources_brutes.sites_declarant_un_partenaire())
    assert p.composantes and p.composantes[0] > 50
    assert 0 < len(p.isoles) < p.associes
    assert all(set(ligne) == set(partenariats.COLONNES) for ligne in p.isoles)
