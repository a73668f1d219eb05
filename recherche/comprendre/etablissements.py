"""Noms d'établissement dans une question : « CHU de Rennes », « Institut Curie », « IGR », « HEGP ».

Pourquoi à part : les usagers nomment un établissement par un type suivi d'un nom, par un nom d'usage ou par un
sigle, et les sources l'écrivent autrement (« INSTITUT GUSTAVE ROUSSY ») ; les sigles dépliés ici servent aussi au
classement par nom et à l'exclusion de l'équipe en charge d'un second avis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from recherche.comprendre.lexique import MOTS_GENERIQUES, MOTS_VIDES, Jeton, commence, employes, mots, ponctuation_entre

#: Mots qui ouvrent un nom d'établissement (« CHU de Rennes », « Institut Curie », « Centre Léon Bérard »).
TYPES_ETABLISSEMENT: Final = mots(
    "chu chru chr ch chi chic chg clcc gh ghu ghi hopital hopitaux clinique polyclinique institut centre "
    "fondation hia hospices aphp ap hcl aphm iuct ico icans icm"
)
QUALIFICATIFS: Final = mots(
    "hospitalier hospitaliere hospitaliers universitaire universitaires regional regionale intercommunal "
    "intercommunale prive privee general generale mutualiste departemental militaire armees cancerologie "
    "lutte contre cancer hp hm oncopole d instruction europeen europeenne nord sud ouest"
)
_CONNECTEURS: Final = mots("de du des d la le l les et saint sainte")
#: Sigles et noms d'usage des grands établissements → mots de leur nom dans les sources (SAE, FINESS).
#: Pourquoi : les usagers disent « IGR », « CLB », « HEGP » ou « Institut de cancérologie de l'Ouest », les
#: sources écrivent « INSTITUT GUSTAVE ROUSSY », « CENTRE LEON BERARD », « HU PARIS OUEST SITE G POMPIDOU
#: APHP », « ICO - SITE PAUL PAPIN » : ni la ressemblance de chaînes ni les vecteurs ne font ce pont.
#: Clés et valeurs en forme normalisée (``lexique.normaliser``).
SIGLES_ETABLISSEMENTS: Final[dict[str, str]] = {
    "igr": "gustave roussy",
    "clb": "leon berard",
    "ipc": "paoli calmettes",
    "cgfl": "georges francois leclerc",
    "icl": "institut de cancerologie de lorraine",
    "institut de cancerologie de l ouest": "ico",
    "institut de cancerologie ouest": "ico",
    "institut du cancer de montpellier": "icm",
    "institut regional du cancer de montpellier": "icm",
    "val d aurelle": "icm",
    "institut de cancerologie strasbourg europe": "icans",
    "institut de cancerologie de strasbourg": "icans",
    "iuct o": "oncopole",
    "iuct oncopole": "oncopole",
    "iuct": "oncopole",
    "institut universitaire du cancer de toulouse": "oncopole",
    "hegp": "pompidou",
    "hopital europeen georges pompidou": "pompidou",
    "georges pompidou": "pompidou",
    "hospices civils de lyon": "hcl",
    "assistance publique hopitaux de paris": "aphp",
    "assistance publique hopitaux de marseille": "aphm",
    "ap hp": "aphp",
    "ap hm": "aphm",
    "la pitie": "pitie salpetriere",
    "hopital de la pitie": "pitie salpetriere",
}
_CLES_SIGLES: Final = sorted((tuple(c.split()) for c in SIGLES_ETABLISSEMENTS), key=len, reverse=True)
#: Noms usuels de centres de lutte contre le cancer et de grands sites, reconnus même sans « Institut ».
NOMS_CONNUS: Final[tuple[tuple[str, ...], ...]] = tuple(
    tuple(s.split())
    for s in sorted(
        {
            *SIGLES_ETABLISSEMENTS,
            "gustave roussy",
            "leon berard",
            "curie",
            "bergonie",
            "oscar lambret",
            "paoli calmettes",
            "francois baclesse",
            "baclesse",
            "jean perrin",
            "eugene marquis",
            "georges francois leclerc",
            "henri becquerel",
            "antoine lacassagne",
            "lacassagne",
            "claudius regaud",
            "paul strauss",
            "jean godinot",
            "godinot",
            "sainte catherine",
            "val d aurelle",
            "rene gauducheau",
            "rene huguenin",
            "paul papin",
            "pitie salpetriere",
            "hotel dieu",
            "pontchaillou",
            "pellegrin",
            "haut leveque",
            "foch",
            "montsouris",
            "oncopole",
            "timone",
            "la timone",
        },
        key=lambda n: (-len(n.split()), n),
    )
)


def developper_sigles(texte_normalise: str) -> str:
    """Remplace sigles et noms d'usage (forme normalisée) par les mots que portent les noms des sources ; le
    plus long d'abord, mot à mot (« iuct oncopole » avant « iuct »)."""
    mots_texte = texte_normalise.split()
    sortie: list[str] = []
    k = 0
    while k < len(mots_texte):
        cle = next((c for c in _CLES_SIGLES if tuple(mots_texte[k : k + len(c)]) == c), None)
        if cle is None:
            sortie.append(mots_texte[k])
            k += 1
        else:
            sortie.append(SIGLES_ETABLISSEMENTS[" ".join(cle)])
            k += len(cle)
    return " ".join(sortie)



@dataclass(frozen=True, slots=True)
class Segment:
    """Une suite de mots de la question et son texte d'origine."""

    debut: int
    fin: int
    texte: str



def _mot_de_nom(jeton: Jeton, minuscules: bool) -> bool:
    """Un mot qui peut continuer un nom d'établissement : à majuscule, ou, dans une question tapée toute en
    minuscules (« chu bordeaux », « clinique pasteur toulouse »), tout mot qui n'est ni outil ni générique."""
    if jeton.capitalise or jeton.forme in QUALIFICATIFS:
        return True
    return minuscules and jeton.forme not in MOTS_VIDES and jeton.forme not in MOTS_GENERIQUES


def reperer_etablissement(
    texte: str, jetons: list[Jeton], libres: Sequence[bool]
) -> tuple[Segment | None, frozenset[int]]:
    """Nom d'établissement : un type (« CHU », « Institut ») suivi de mots de nom, ou un nom connu.

    Les mots de liaison s'enchaînent (« hôpital de la Pitié », « Institut de cancérologie de l'Ouest ») tant
    qu'un mot de nom suit. Sans aucune majuscule dans la question, la majuscule ne peut pas signaler le nom :
    tout mot libre qui n'est ni outil ni générique le continue (les besoins et lieux déjà lus ne sont plus libres).
    """
    restants = list(libres)
    formes = [j.forme for j in jetons]
    minuscules = not any(j.capitalise for j in jetons)
    for i, f in enumerate(formes):
        if not restants[i]:
            continue
        connu = next((n for n in NOMS_CONNUS if commence(formes, i, n) and all(restants[i : i + len(n)])), None)
        if f in TYPES_ETABLISSEMENT or connu:
            fin = i + (len(connu) if connu else 1)
            while (
                fin < len(formes)
                and restants[fin]
                and not ponctuation_entre(texte, jetons[fin - 1].fin, jetons[fin].debut)
            ):
                if _mot_de_nom(jetons[fin], minuscules):
                    fin += 1
                    continue
                # une suite de mots de liaison (« de la », « de l' ») seulement si un mot de nom la suit
                k = fin
                while k < len(formes) and restants[k] and formes[k] in _CONNECTEURS and k - fin < 3:
                    k += 1
                if (
                    k > fin
                    and k < len(formes)
                    and restants[k]
                    and not ponctuation_entre(texte, jetons[k - 1].fin, jetons[k].debut)
                    and _mot_de_nom(jetons[k], minuscules)
                ):
                    fin = k + 1
                else:
                    break
            if connu or fin > i + 1:
                for k in range(i, fin):
                    restants[k] = False
                return Segment(i, fin, texte[jetons[i].debut : jetons[fin - 1].fin]), employes(libres, restants)
    return None, frozenset()

