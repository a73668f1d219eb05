"""Un document texte par entité, tiré du graphe : ce que les index lexical et dense cherchent.

Pourquoi y mettre les libellés du thésaurus : le modèle dense échoue sur le vocabulaire profane contre les
libellés de spécialistes (« tumeur des tissus mous » → sarcome). Les synonymes SKOS attachés au document
comblent l'écart des deux côtés (voir MODELES.md).
"""

from __future__ import annotations

from ontologie.besoins import BESOINS
from recherche.index.catalogue import Entite

#: Nombre de synonymes d'un besoin repris dans le document (au-delà, on noie le nom du site).
SYNONYMES_MAX = 4


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
    reseaux = sorted({p.reseau for p in entite.preuves if p.reseau})
    if reseaux:
        morceaux.append("réseaux " + " ".join(reseaux))
    localisations = sorted({loc for p in entite.preuves for loc in p.localisations})
    if localisations:
        morceaux.append("cancers : " + ", ".join(localisations))
    return ". ".join(morceaux)
