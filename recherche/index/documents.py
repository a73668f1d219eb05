"""Deux textes par entité, tirés du graphe : le document de l'index lexical et le profil de l'index dense.

Pourquoi y mettre les libellés du thésaurus : le modèle dense échoue sur le vocabulaire profane contre les
libellés de spécialistes (« tumeur des tissus mous » → sarcome). Les synonymes SKOS attachés au document
comblent l'écart des deux côtés (voir MODELES.md).

Pourquoi un profil sans nom ni lieu pour l'index dense : les noms, sigles, numéros FINESS et villes, c'est le
lexical qui les trouve (et le répertoire des lieux, l'index des noms) ; le dense sert aux formulations libres de
l'*offre*. Sans le nom, 3 993 entités ne font que ~420 profils distincts : l'encodage (l'étape la plus longue de
la construction) passe de ~300 000 à ~23 000 jetons, à qualité égale sur les trois jeux d'évaluation (mesuré :
benchmarks/construction.py, benchmarks/evaluation.py ; chiffres dans la note du stop).
"""

from __future__ import annotations

from ontologie.besoins import BESOINS
from recherche.index.catalogue import Entite

#: Nombre de synonymes d'un besoin repris dans le document (au-delà, on noie le nom du site).
SYNONYMES_MAX = 4


def _reseaux_et_cancers(entite: Entite) -> list[str]:
    """Les réseaux (sigles) et les cancers (localisations) des preuves de l'entité, s'il y en a."""
    morceaux = []
    reseaux = sorted({p.reseau for p in entite.preuves if p.reseau})
    if reseaux:
        morceaux.append("réseaux " + " ".join(reseaux))
    localisations = sorted({loc for p in entite.preuves for loc in p.localisations})
    if localisations:
        morceaux.append("cancers : " + ", ".join(localisations))
    return morceaux


def document(entite: Entite, synonymes: dict[str, list[str]] | None = None) -> str:
    """Texte indexé d'une entité : nom, lieu, catégorie, besoins (avec synonymes), réseaux."""
    morceaux = [entite.nom]
    if entite.finess:
        morceaux.append(f"FINESS {entite.finess}")
    if entite.categorie:
        morceaux.append(entite.categorie)
    if entite.commune:
        morceaux.append(entite.commune)
    for besoin in sorted(entite.besoins()):
        libelle = BESOINS.get(besoin, besoin)
        autres = [s for s in (synonymes or {}).get(besoin, []) if s.lower() != libelle.lower()][:SYNONYMES_MAX]
        morceaux.append(", ".join([libelle, *autres]))
    return ". ".join(morceaux + _reseaux_et_cancers(entite))


def profil(entite: Entite) -> str:
    """Texte de l'index dense : l'offre seule (catégorie, besoins, réseaux, cancers), sans nom ni lieu."""
    morceaux = [entite.categorie or ""]
    morceaux += [BESOINS.get(besoin, besoin) for besoin in sorted(entite.besoins())]
    return ". ".join(morceaux + _reseaux_et_cancers(entite))
