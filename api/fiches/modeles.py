"""Les formes d'une fiche d'entité : ses faits rangés par source, son identité (nom, adresse, point).

Pourquoi des modèles typés : la lecture du graphe (``lecture.py``) et les trois rendus (``rendu.py`` : HTML,
JSON-LD, Turtle) se parlent par ces objets, pas par des dictionnaires dont chacun devinerait les clés.
"""

from __future__ import annotations

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field


class Fait(BaseModel):
    """Un triplet dont l'entité est le sujet, et le libellé de son objet quand c'est une entité nommée."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    predicat: str
    objet: ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple
    libelle_objet: str | None = None


class Designation(BaseModel):
    """Une preuve, une appartenance ou une liste qui désigne l'entité (autorisation, activité déclarée…)."""

    model_config = ConfigDict(frozen=True)

    iri: str
    libelle: str
    niveau: str | None = None


class SourceFiche(BaseModel):
    """Une source (graphe nommé) : son titre, la date de ses données, ce qu'elle affirme de l'entité."""

    iri: str
    titre: str
    date: str
    faits: list[Fait] = Field(default_factory=list)
    designations: list[Designation] = Field(default_factory=list)


class Adresse(BaseModel):
    """L'adresse postale de l'entité, telle que le graphe la donne (chaque partie peut manquer)."""

    rue: str | None = None
    code_postal: str | None = None
    ville: str | None = None

    def en_ligne(self) -> str:
        """L'adresse sur une ligne (« 1 rue … 56000 Vannes »), les parties absentes omises."""
        return " ".join(p or "" for p in (self.rue, self.code_postal, self.ville)).strip()

    def vide(self) -> bool:
        """Vrai si le graphe ne donne aucune partie de l'adresse."""
        return self.rue is None and self.code_postal is None and self.ville is None


class Fiche(BaseModel):
    """Tout ce que le graphe dit d'une entité, et les quads qui le disent (pour JSON-LD et Turtle)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    iri: str
    nom: str
    types: list[str]
    #: Les sources dans l'ordre de leur titre (page stable).
    sources: list[SourceFiche]
    adresse: Adresse
    commune: str | None = None
    latitude: str | None = None
    longitude: str | None = None
    precision: str | None = None
    quads: list[ox.Quad] = Field(default_factory=list, repr=False)
