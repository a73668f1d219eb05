"""Repérer les concepts du thésaurus (besoins, localisations, populations, soins de support) dans une
question.

Pourquoi un index par premier mot : la question est lue une fois, de gauche à droite, en essayant d'abord les
libellés les plus longs (« soins de support » avant « soins », « sarcome des tissus mous » avant « sarcome ») ;
c'est linéaire et tient en quelques dizaines de microsecondes. Les mots de liaison (« de », « du », « l' »,
« en »...) sont ignorés des deux côtés : « chirurgie cancer du sein » et « chirurgie du cancer du sein »,
« hôpital de jour oncologie » et « hôpital de jour d'oncologie » se rencontrent sans écrire chaque variante.
La tolérance aux fautes ne porte que sur les mots d'au moins 6 lettres, avec un seuil élevé : « radiothérpie »
oui, « opérée » → « opérer » non.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz, process

from ontologie.thesaurus import Thesaurus
from recherche.comprendre.lexique import MOTS_GENERIQUES, MOTS_VIDES, Jeton, employes, forme_cle, mots

#: Les schémas lus dans les questions.
SCHEMAS: Final[tuple[str, ...]] = ("besoin", "localisation", "population", "soin-support")
#: Score minimal (rapidfuzz ratio, 0–100) pour accepter un mot mal orthographié.
SEUIL_APPROCHE: Final = 87.0
#: Longueur minimale d'un mot pour la tolérance aux fautes.
LONGUEUR_APPROCHE: Final = 6
#: Mots de liaison ignorés dans les libellés et dans les questions : ils varient d'un usager à l'autre
#: (« conservation des ovocytes » / « conservation d'ovocytes ») sans changer le concept.
LIAISONS: Final[frozenset[str]] = mots("de d du des la le l les en a au aux un une")


def singulier(forme: str) -> str:
    """Pluriel naïf retiré des deux côtés (« tissus mous » = « tissu mou ») ; les mots courts restent."""
    return forme[:-1] if len(forme) > 3 and forme.endswith("s") else forme


def cle_libelle(libelle: str) -> tuple[str, ...]:
    """Clé d'index d'un libellé : formes au singulier, sans mots de liaison (sauf si le libellé n'a qu'eux)."""
    formes = forme_cle(libelle)
    pleines = tuple(singulier(f) for f in formes if f not in LIAISONS)
    return pleines or tuple(singulier(f) for f in formes)


@dataclass(frozen=True, slots=True)
class Terme:
    """Un concept trouvé : où, sous quelle forme, et s'il a fallu tolérer une faute."""

    schema: str
    code: str
    debut: int
    fin: int
    approche: bool = False


class IndexTermes:
    """Libellés normalisés des thésaurus, indexés par premier mot."""

    def __init__(self, thesaurus: Thesaurus) -> None:
        cibles: dict[tuple[str, ...], set[tuple[str, str]]] = defaultdict(set)
        for schema in SCHEMAS:
            for code, libelles in thesaurus.libelles(schema).items():
                for libelle in libelles:
                    cle = cle_libelle(libelle)
                    if cle:
                        cibles[cle].add((schema, code))
        par_premier: dict[str, list[tuple[tuple[str, ...], tuple[tuple[str, str], ...]]]] = defaultdict(list)
        for cle, concepts in cibles.items():
            par_premier[cle[0]].append((cle, tuple(sorted(concepts))))
        self._par_premier = {k: sorted(v, key=lambda t: -len(t[0])) for k, v in par_premier.items()}
        self._simples: dict[str, tuple[tuple[str, str], ...]] = {
            cle[0]: tuple(sorted(c))
            for cle, c in cibles.items()
            if len(cle) == 1 and len(cle[0]) >= LONGUEUR_APPROCHE
        }
        self._simples_liste = sorted(self._simples)

    @classmethod
    def charger(cls, thesaurus: Thesaurus | None = None) -> IndexTermes:
        """Index du thésaurus par défaut (mis en cache) ou d'un thésaurus donné."""
        return cls(thesaurus) if thesaurus is not None else _index_defaut()

    def reperer(self, jetons: list[Jeton], libres: Sequence[bool]) -> tuple[list[Terme], frozenset[int]]:
        """Libellés exacts (à la normalisation près), le plus long d'abord ; rend aussi les positions employées.

        Les mots de liaison sont sautés : la comparaison porte sur la suite des mots pleins, et le terme
        trouvé couvre tout l'empan de la question (liaisons intérieures comprises).
        """
        restants = list(libres)
        pleins = [k for k, j in enumerate(jetons) if j.forme not in LIAISONS]
        formes = [singulier(jetons[k].forme) for k in pleins]
        termes: list[Terme] = []
        i = 0
        while i < len(formes):
            trouve = None
            if restants[pleins[i]]:
                for cle, concepts in self._par_premier.get(formes[i], ()):
                    n = len(cle)
                    if i + n > len(formes) or tuple(formes[i : i + n]) != cle:
                        continue
                    debut, fin = pleins[i], pleins[i + n - 1] + 1
                    if all(restants[debut:fin]):
                        trouve = (n, debut, fin, concepts)
                        break
            if trouve is None:
                i += 1
                continue
            n, debut, fin, concepts = trouve
            termes.extend(Terme(s, c, debut, fin) for s, c in concepts)
            for k in range(debut, fin):
                restants[k] = False
            i += n
        return termes, employes(libres, restants)

    def approcher(self, jetons: list[Jeton], libres: Sequence[bool]) -> tuple[list[Terme], frozenset[int]]:
        """Mots mal orthographiés d'au moins 6 lettres, rapprochés d'un libellé d'un seul mot ; rend aussi les
        positions employées."""
        restants = list(libres)
        termes: list[Terme] = []
        for i, j in enumerate(jetons):
            f = singulier(j.forme)
            if not restants[i] or len(f) < LONGUEUR_APPROCHE or j.nombre:
                continue
            if j.forme in MOTS_VIDES or j.forme in MOTS_GENERIQUES:
                continue
            meilleur = process.extractOne(
                f, self._simples_liste, scorer=fuzz.ratio, score_cutoff=SEUIL_APPROCHE
            )
            if meilleur is None:
                continue
            termes.extend(Terme(s, c, i, i + 1, approche=True) for s, c in self._simples[meilleur[0]])
            restants[i] = False
        return termes, employes(libres, restants)


@lru_cache(maxsize=1)
def _index_defaut() -> IndexTermes:
    return IndexTermes(Thesaurus.charger())
