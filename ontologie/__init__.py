"""Vocabulaire de Boussole : espaces de noms, fichiers Turtle (ontologie, formes SHACL, thésaurus SKOS).

Ce paquet est la couche la plus basse : il n'importe rien du reste du projet.

- ``espaces`` : les espaces de noms et la fabrique des IRI ;
- ``besoins`` : quels codes des sources prouvent quel besoin, l'ordre des niveaux de preuve ;
- ``thesaurus`` : la lecture des thésaurus SKOS ;
- ``turtle/`` : les fichiers Turtle — ``boussole.ttl`` (l'ontologie), ``formes.ttl`` (les formes SHACL),
  ``thesaurus/*.ttl`` (les thésaurus). Ils sont des données du paquet (``package-data``) pour voyager avec lui
  une fois installé : la construction, la recherche et l'API chargent le même vocabulaire, sans dépendre du
  dossier courant.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from ontologie.espaces import BO, ID, PREFIXES, SRC

__all__ = [
    "BO",
    "DOSSIER_THESAURUS",
    "DOSSIER_TURTLE",
    "ID",
    "SRC",
    "chemin",
    "charger_formes",
    "charger_ontologie",
    "fichiers_thesaurus",
]

#: Le dossier des fichiers Turtle du paquet.
DOSSIER_TURTLE = Path(__file__).resolve().parent / "turtle"
#: Le dossier des thésaurus SKOS (un fichier par schéma de concepts).
DOSSIER_THESAURUS = DOSSIER_TURTLE / "thesaurus"


def chemin(nom: str) -> Path:
    """Chemin d'un fichier Turtle du paquet (``"boussole.ttl"``, ``"thesaurus/roles.ttl"``...).

    :param nom: chemin relatif au dossier ``turtle/``.
    :returns: le chemin absolu du fichier.
    :raises FileNotFoundError: le fichier n'existe pas (paquet installé sans ses données ?).
    """
    fichier = DOSSIER_TURTLE / nom
    if not fichier.is_file():
        raise FileNotFoundError(f"fichier de vocabulaire introuvable : {fichier}")
    return fichier


def fichiers_thesaurus() -> list[Path]:
    """Les thésaurus présents, en ordre stable (le graphe ne dépend pas du système de fichiers)."""
    return sorted(DOSSIER_THESAURUS.glob("*.ttl")) if DOSSIER_THESAURUS.is_dir() else []


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
