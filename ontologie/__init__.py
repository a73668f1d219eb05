"""Vocabulaire de Boussole : espaces de noms, fichiers Turtle (ontologie, formes SHACL, thésaurus SKOS).

Ce paquet est la couche la plus basse : il n'importe rien du reste du projet.
Les fichiers Turtle vivent à côté de ce module (et dans ``thesaurus/``) pour voyager avec le paquet installé :
la construction, la recherche et l'API chargent le même vocabulaire, sans dépendre du dossier courant.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ontologie.espaces import BO, ID, PREFIXES, SRC

__all__ = ["BO", "ID", "SRC", "chemin", "charger_formes", "charger_ontologie", "fichiers_thesaurus"]

_DOSSIER = Path(__file__).resolve().parent


def chemin(nom: str) -> Path:
    """Chemin d'un fichier du paquet (``"boussole.ttl"``, ``"thesaurus/roles.ttl"``...) ; il doit exister."""
    fichier = _DOSSIER / nom
    if not fichier.is_file():
        raise FileNotFoundError(f"fichier de vocabulaire introuvable : {fichier}")
    return fichier


def fichiers_thesaurus() -> list[Path]:
    """Les thésaurus présents, en ordre stable (le graphe ne dépend pas du système de fichiers)."""
    dossier = _DOSSIER / "thesaurus"
    return sorted(dossier.glob("*.ttl")) if dossier.is_dir() else []


def _graphe() -> Graph:
    g = Graph()
    for prefixe, ns in PREFIXES.items():
        g.bind(prefixe, ns, override=True)
    return g


def charger_ontologie() -> Graph:
    """L'ontologie (boussole.ttl) et tous les thésaurus ``thesaurus/*.ttl`` : le graphe src:ontologie.

    Chaque appel rend un graphe neuf, que l'appelant peut modifier sans toucher aux autres.
    """
    g = _graphe()
    g.parse(chemin("boussole.ttl"), format="turtle")
    for fichier in fichiers_thesaurus():
        g.parse(fichier, format="turtle")
    return g


def charger_formes() -> Graph:
    """Les formes SHACL (formes.ttl) que le graphe construit doit respecter avant publication."""
    g = _graphe()
    g.parse(chemin("formes.ttl"), format="turtle")
    return g
