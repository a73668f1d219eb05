"""Lecteur de la SAE DOULEUR 2022 (``sae/DOULEUR_2022a.csv``) : les structures douleur chronique.

``STRUCTURE`` vaut ``Consultation`` ou ``Centre`` (les deux niveaux de labellisation des structures douleur
chronique) : c'est une activité déclarée du besoin « douleur », avec son type en ``bo:typeStructure``.
Le fichier est de 2022 : il est rapporté aux sites de la SAE ID 2023, une ligne d'un site absent est rejetée.
Une ``STRUCTURE`` vide ou inconnue rejette la ligne.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal

from graphe.sources.base import Contexte, Lecture, Rapport, nouveau_graphe
from graphe.sources.sae import activite_declaree, description_sae, lignes_sae
from ontologie.espaces import BO

SOURCE = "sae-douleur-2022"
FICHIER = "sae/DOULEUR_2022a.csv"
ANNEE = "2022"
TYPES = ("Consultation", "Centre")
ACTIVITE = "DOULEUR_STRUCTURE"


def lire(donnees: Path, contexte: Contexte) -> Lecture:
    """Un ``bo:ActiviteDeclaree`` (besoin douleur) par structure déclarée."""
    rapport = Rapport(SOURCE, FICHIER)
    g = nouveau_graphe()
    for ligne in lignes_sae(
        donnees / FICHIER, rapport, contexte, annee=ANNEE, colonnes_requises=("STRUCTURE",)
    ):
        structure = ligne["STRUCTURE"]
        if structure not in TYPES:
            rapport.rejeter(
                ligne.numero, f"STRUCTURE {structure!r} : ni Consultation ni Centre (FINESS {ligne.finess})"
            )
            continue
        noeud = activite_declaree(
            g,
            SOURCE,
            ligne.finess,
            "STRUCTURE",
            structure,
            annee=ANNEE,
            besoin="douleur",
            activite=ACTIVITE,
            libelle=f"Structure douleur chronique ({structure}) déclarée à la SAE {ANNEE}",
        )
        g.add((noeud, BO.typeStructure, Literal(structure)))
        rapport.gardees += 1
    return Lecture(
        description_sae(
            SOURCE,
            "SAE 2022 — structures douleur chronique (bordereau DOULEUR)",
            FICHIER,
            ANNEE,
            note="Type de structure (Consultation / Centre) déclaré en 2022, "
            "rapporté aux sites de la SAE ID 2023.",
        ),
        g,
        rapport,
    )
