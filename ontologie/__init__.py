"""Vocabulaire de Boussole : espaces de noms, fichiers Turtle (ontologie, formes SHACL, thésaurus SKOS).

Ce paquet est la couche la plus basse : il n'importe rien du reste du projet.
"""

from ontologie.espaces import BO, ID, SRC

__all__ = ["BO", "ID", "SRC"]
