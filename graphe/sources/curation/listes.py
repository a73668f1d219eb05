"""Toutes les listes curées, dans l'ordre de lecture, et leur lecture en une fois par la construction."""

from __future__ import annotations

from pathlib import Path

from graphe.appariement import Apparieur
from graphe.sources.base import Contexte, Lecture
from graphe.sources.curation.organisations import CENTRES_EXPERTS, DSRC, OIR, RCP_RECOURS, RESEAUX, UCOG
from graphe.sources.curation.squelette import Liste
from graphe.sources.curation.structures import FERTILITE, ONCOGENETIQUE, SOINS_DE_SUPPORT

#: Les réseaux avant leurs centres experts et leurs RCP.
LISTES: tuple[Liste, ...] = (
    RESEAUX,
    CENTRES_EXPERTS,
    RCP_RECOURS,
    OIR,
    DSRC,
    UCOG,
    ONCOGENETIQUE,
    FERTILITE,
    SOINS_DE_SUPPORT,
)


def lire_tout(donnees: Path, contexte: Contexte) -> list[Lecture]:
    """Lit toutes les listes curées avec un seul index d'appariement, préparé une fois pour les neuf.

    :param donnees: dossier racine des sources (celui qui contient ``curation/``).
    :param contexte: sites de la SAE ID et régions déjà lus.
    :returns: une lecture par liste, dans l'ordre de ``LISTES``.
    :raises SourceIllisible: un fichier de liste absent ou vide.
    """
    apparieur = Apparieur(contexte)
    return [liste.lire(donnees, contexte, apparieur) for liste in LISTES]
