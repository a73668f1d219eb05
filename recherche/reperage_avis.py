"""Second avis, équipe à exclure, nom d'établissement, âge et rayon : les repères qui ne sont ni lieu
ni concept.

Pourquoi à part : ces règles décident de l'intention (« second avis » n'est pas une orientation de proximité :
on cherche une équipe *autre* que celle qui suit le patient) et de contraintes chiffrées (âge → population).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from recherche.lexique import MOTS_GENERIQUES, MOTS_VIDES, Jeton, mots, ponctuation_entre

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
#: Mots qui ouvrent un nom d'établissement (« CHU de Rennes », « Institut Curie », « Centre Léon Bérard »).
TYPES_ETABLISSEMENT: Final = mots(
    "chu chru chr ch chi chic chg clcc gh ghu ghi hopital hopitaux clinique polyclinique institut centre "
    "fondation hia hospices aphp ap hcl aphm iuct ico icans icm"
)
_QUALIFICATIFS: Final = mots(
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


_AGE_COLLE: Final = re.compile(r"^(\d{1,3})(ans?|mois)$")
_KM_COLLE: Final = re.compile(r"^(\d{1,4})(kms?)$")


def _suite(formes: list[str], i: int, motif: tuple[str, ...]) -> bool:
    return tuple(formes[i : i + len(motif)]) == motif


def reperer_second_avis(formes: list[str], libres: list[bool]) -> tuple[bool, bool]:
    """(demande de second avis ?, RCP de recours nommée ?) ; marque les mots employés."""
    avis = rcp = False
    for i in range(len(formes)):
        for motif in SECOND_AVIS:
            n = len(motif)
            if _suite(formes, i, motif) and all(libres[i : i + n]):
                avis = True
                rcp = rcp or motif in RCP_RECOURS
                if motif[0] != "hors":  # « hors du CHU de Rennes » : le nom de l'équipe suit, on le garde
                    for k in range(i, i + n):
                        libres[k] = False
                break
    return avis, rcp


@dataclass(frozen=True, slots=True)
class Segment:
    """Une suite de mots de la question et son texte d'origine."""

    debut: int
    fin: int
    texte: str


def reperer_equipes(texte: str, jetons: list[Jeton], libres: list[bool]) -> list[Segment]:
    """Équipes déjà en charge (« suivie au CHU de Rennes », « hors du CHU de Nantes ») à exclure d'un
    second avis.
    """
    formes = [j.forme for j in jetons]
    segments: list[Segment] = []
    for i, f in enumerate(formes):
        debut = None
        if f in _VERBES_SUIVI:
            j = i + 3 if _suite(formes, i + 1, ("en", "charge")) else i + 1
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
                libres[k] = False
    return segments


def equipe_nommee(segment: Segment, jetons: list[Jeton]) -> bool:
    """« mon CHU » ne nomme personne ; « CHU de Rennes » ou « Nantes » si."""
    mots = [j.forme for j in jetons[segment.debut : segment.fin]]
    return any(
        m not in TYPES_ETABLISSEMENT
        and m not in MOTS_VIDES
        and m not in MOTS_GENERIQUES
        and m not in _QUALIFICATIFS
        for m in mots
    )


def _mot_de_nom(jeton: Jeton, minuscules: bool) -> bool:
    """Un mot qui peut continuer un nom d'établissement : à majuscule, ou, dans une question tapée toute en
    minuscules (« chu bordeaux », « clinique pasteur toulouse »), tout mot qui n'est ni outil ni générique."""
    if jeton.capitalise or jeton.forme in _QUALIFICATIFS:
        return True
    return minuscules and jeton.forme not in MOTS_VIDES and jeton.forme not in MOTS_GENERIQUES


def reperer_etablissement(texte: str, jetons: list[Jeton], libres: list[bool]) -> Segment | None:
    """Nom d'établissement : un type (« CHU », « Institut ») suivi de mots de nom, ou un nom connu.

    Les mots de liaison s'enchaînent (« hôpital de la Pitié », « Institut de cancérologie de l'Ouest ») tant
    qu'un mot de nom suit. Sans aucune majuscule dans la question, la majuscule ne peut pas signaler le nom :
    tout mot libre qui n'est ni outil ni générique le continue (les besoins et lieux déjà lus ne sont plus libres).
    """
    formes = [j.forme for j in jetons]
    minuscules = not any(j.capitalise for j in jetons)
    for i, f in enumerate(formes):
        if not libres[i]:
            continue
        connu = next((n for n in NOMS_CONNUS if _suite(formes, i, n) and all(libres[i : i + len(n)])), None)
        if f in TYPES_ETABLISSEMENT or connu:
            fin = i + (len(connu) if connu else 1)
            while (
                fin < len(formes)
                and libres[fin]
                and not ponctuation_entre(texte, jetons[fin - 1].fin, jetons[fin].debut)
            ):
                if _mot_de_nom(jetons[fin], minuscules):
                    fin += 1
                    continue
                # une suite de mots de liaison (« de la », « de l' ») seulement si un mot de nom la suit
                k = fin
                while k < len(formes) and libres[k] and formes[k] in _CONNECTEURS and k - fin < 3:
                    k += 1
                if (
                    k > fin
                    and k < len(formes)
                    and libres[k]
                    and not ponctuation_entre(texte, jetons[k - 1].fin, jetons[k].debut)
                    and _mot_de_nom(jetons[k], minuscules)
                ):
                    fin = k + 1
                else:
                    break
            if connu or fin > i + 1:
                for k in range(i, fin):
                    libres[k] = False
                return Segment(i, fin, texte[jetons[i].debut : jetons[fin - 1].fin])
    return None


def reperer_rayon(formes: list[str], libres: list[bool]) -> float | None:
    """Rayon (« à moins de 30 km », « dans un rayon de 50 km », « 40km ») ; lu avant le thésaurus, car
    « rayon » ressemble à « rayons » (radiothérapie)."""
    for i, f in enumerate(formes):
        suivant = formes[i + 1] if i + 1 < len(formes) else ""
        colle_km = _KM_COLLE.match(f)
        rayon = None
        if f.isdigit() and suivant in ("km", "kms", "kilometres", "kilometre"):
            rayon, fin = float(f), i + 2
        elif colle_km:
            rayon, fin = float(colle_km.group(1)), i + 1
        elif (
            _suite(formes, i, ("rayon", "de"))
            and suivant == "de"
            and formes[i + 2 : i + 3]
            and formes[i + 2].isdigit()
        ):
            rayon, fin = float(formes[i + 2]), i + 3
            if fin < len(formes) and formes[fin] in ("km", "kms", "kilometres", "kilometre"):
                fin += 1
        if rayon is not None:
            debut = i - 2 if tuple(formes[max(0, i - 2) : i]) == ("rayon", "de") else i
            for k in range(debut, fin):
                libres[k] = False
            return rayon
    return None


def reperer_age(formes: list[str], libres: list[bool]) -> int | None:
    """Âge (« 84 ans », « 6 mois », « 84ans », « âgé de 84 ») ; marque les mots employés."""
    age: int | None = None
    for i, f in enumerate(formes):
        if not libres[i]:
            continue
        suivant = formes[i + 1] if i + 1 < len(formes) else ""
        colle_age = _AGE_COLLE.match(f)
        if f.isdigit() and suivant in ("ans", "an", "mois") and age is None:
            age = int(f) // 12 if suivant == "mois" else int(f)
            libres[i] = libres[i + 1] = False
        elif colle_age and age is None:
            age = int(colle_age.group(1)) // 12 if colle_age.group(2) == "mois" else int(colle_age.group(1))
            libres[i] = False
        elif (
            f.isdigit()
            and len(f) <= 3
            and tuple(formes[max(0, i - 2) : i]) in (("age", "de"), ("agee", "de"))
        ):
            age = int(f)
            libres[i] = False
    return age if age is not None and age <= 120 else None
