"""Lecteur de la SAE PALIA 2023 (``sae/PALIA_2023r.csv``) : le questionnaire soins palliatifs.

Pourquoi si peu : les colonnes ``PALIA_A*`` sont codées sans dictionnaire publié, et la preuve d'activité
palliative vient de FILTRE (``PALIA``, ``EMSP``). On garde seulement, en ``bo:ValeurEnquete`` (jamais une
preuve), la réponse ``PALIA_A1`` : elle atteste que le site a rempli le questionnaire et se lira quand le
dictionnaire sera connu. Une ligne sans ``PALIA_A1`` est rejetée (rien à garder).
"""

from __future__ import annotations

from pathlib import Path

from graphe.sources.base import Contexte, Lecture, Rapport, nouveau_graphe
from graphe.sources.sae import description_sae, lignes_sae, valeur_enquete

SOURCE = "sae-palia-2023"
FICHIER = "sae/PALIA_2023r.csv"
ANNEE = "2023"
VARIABLE = "PALIA_A1"


def lire(donnees: Path, contexte: Contexte) -> Lecture:
    """Une ``bo:ValeurEnquete`` ``PALIA_A1`` par site ayant répondu."""
    rapport = Rapport(SOURCE, FICHIER)
    g = nouveau_graphe()
    for ligne in lignes_sae(donnees / FICHIER, rapport, contexte, annee=ANNEE, colonnes_requises=(VARIABLE,)):
        valeur = ligne[VARIABLE]
        if not valeur:
            rapport.rejeter(ligne.numero, f"{VARIABLE} vide : rien à garder (FINESS {ligne.finess})")
            continue
        valeur_enquete(
            g,
            SOURCE,
            ligne.finess,
            VARIABLE,
            valeur,
            annee=ANNEE,
            libelle=f"Questionnaire soins palliatifs SAE {ANNEE} rempli "
            f"({VARIABLE} = {valeur}, sens non documenté)",
        )
        rapport.gardees += 1
    return Lecture(
        description_sae(
            SOURCE,
            "SAE 2023 — soins palliatifs (bordereau PALIA)",
            FICHIER,
            ANNEE,
            note="Seule la réponse PALIA_A1 est gardée, comme valeur brute (sens non documenté). "
            "L'activité palliative déclarée vient de FILTRE.",
        ),
        g,
        rapport,
    )
