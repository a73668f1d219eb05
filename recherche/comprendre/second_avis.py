"""Demande de second avis et équipe déjà en charge du patient, à exclure de la réponse.

Pourquoi à part : ces règles décident de l'intention (« second avis » n'est pas une orientation de proximité :
on cherche une équipe *autre* que celle qui suit le patient).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from recherche.comprendre.etablissements import QUALIFICATIFS, TYPES_ETABLISSEMENT, Segment
from recherche.comprendre.lexique import MOTS_GENERIQUES, MOTS_VIDES, Jeton, commence, employes, mots, ponctuation_entre

#: Formulations d'une demande de second avis (formes normalisées).
SECOND_AVIS: Final[tuple[tuple[str, ...], ...]] = tuple(
    tuple(s.split())
    for s in (
        "second avis",
        "seconde avis",
        "2e avis",
        "2eme avis",
        "2nd avis",
        "2nde avis",
        "deuxieme avis",
        "autre avis",
        "avis d expert",
        "avis d experts",
        "avis expert",
        "avis specialise",
        "avis complementaire",
        "avis d un expert",
        "avis d une equipe experte",
        "seconde opinion",
        "second opinion",
        "double lecture",
        "relecture",
        "relire le dossier",
        "revoir le dossier",
        "contre expertise",
        "rcp de recours",
        "rcp recours",
        "hors de mon",
        "hors de ma",
        "hors de notre",
        "hors du",
        "autre equipe",
        "changer d equipe",
    )
)
#: Formulations qui nomment aussi le besoin « RCP de recours ».
RCP_RECOURS: Final[frozenset[tuple[str, ...]]] = frozenset({("rcp", "de", "recours"), ("rcp", "recours")})

_VERBES_SUIVI: Final = mots(
    "suivi suivie suivis suivies traite traitee traites traitees opere operee soigne soignee hospitalise "
    "hospitalisee pris prise"
)
_LIAISONS: Final = mots("a au aux par dans chez en sur")
_POSSESSIFS: Final = mots("mon ma mes notre nos son sa ses leur leurs le la les l")
_FIN_EQUIPE: Final = mots(
    "pour et qui avec depuis mais car donc ou souhaite souhaitons veut voudrait cherche cherchons demande "
    "actuellement aimerait"
)


def reperer_second_avis(formes: list[str], libres: Sequence[bool]) -> tuple[bool, bool, frozenset[int]]:
    """(demande de second avis ?, RCP de recours nommée ?) ; rend aussi les positions employées."""
    restants = list(libres)
    avis = rcp = False
    for i in range(len(formes)):
        for motif in SECOND_AVIS:
            n = len(motif)
            if commence(formes, i, motif) and all(restants[i : i + n]):
                avis = True
                rcp = rcp or motif in RCP_RECOURS
                if motif[0] != "hors":  # « hors du CHU de Rennes » : le nom de l'équipe suit, on le garde
                    for k in range(i, i + n):
                        restants[k] = False
                break
    return avis, rcp, employes(libres, restants)



def reperer_equipes(
    texte: str, jetons: list[Jeton], libres: Sequence[bool]
) -> tuple[list[Segment], frozenset[int]]:
    """Équipes déjà en charge (« suivie au CHU de Rennes », « hors du CHU de Nantes ») à exclure d'un
    second avis.
    """
    restants = list(libres)
    formes = [j.forme for j in jetons]
    segments: list[Segment] = []
    for i, f in enumerate(formes):
        debut = None
        if f in _VERBES_SUIVI:
            j = i + 3 if commence(formes, i + 1, ("en", "charge")) else i + 1
            if j < len(formes) and formes[j] in _LIAISONS:
                debut = j + 1
        elif f == "hors" and i + 1 < len(formes) and formes[i + 1] in ("de", "du", "des", "d"):
            debut = i + 2
        if debut is None:
            continue
        while debut < len(formes) and formes[debut] in _POSSESSIFS:
            debut += 1
        fin = debut
        while (
            fin < len(formes)
            and fin - debut < 7
            and formes[fin] not in _FIN_EQUIPE
            and (fin == debut or not ponctuation_entre(texte, jetons[fin - 1].fin, jetons[fin].debut))
        ):
            fin += 1
        if fin > debut:
            segments.append(Segment(debut, fin, texte[jetons[debut].debut : jetons[fin - 1].fin]))
            for k in range(i, fin):
                restants[k] = False
    return segments, employes(libres, restants)


def equipe_nommee(segment: Segment, jetons: list[Jeton]) -> bool:
    """« mon CHU » ne nomme personne ; « CHU de Rennes » ou « Nantes » si."""
    mots = [j.forme for j in jetons[segment.debut : segment.fin]]
    return any(
        m not in TYPES_ETABLISSEMENT
        and m not in MOTS_VIDES
        and m not in MOTS_GENERIQUES
        and m not in QUALIFICATIFS
        for m in mots
    )

