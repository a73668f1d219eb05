"""Repérer les lieux d'une question : communes, codes postaux, départements, régions.

Pourquoi des règles de contexte : des communes s'appellent « Y », « Eu », « Vers » ou « Sens ». Un nom n'est
pris pour un lieu que s'il suit une préposition de lieu (« à », « près de », « vers »...), s'il est écrit avec
une majuscule, ou s'il désigne une grande ville dont le nom n'est pas un mot courant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from recherche.comprendre.lexique import MOTS_GENERIQUES, MOTS_VIDES, Jeton, employes, mots, ponctuation_entre
from recherche.comprendre.repertoire import Commune, Departement, Gazetteer, Lieu, Region

#: Mots (ou suites de mots) qui annoncent un lieu ; comparés aux mots qui précèdent le nom.
PREPOSITIONS_LIEU: Final[tuple[tuple[str, ...], ...]] = (
    ("a",),
    ("au",),
    ("aux",),
    ("vers",),
    ("sur",),
    ("pres", "de"),
    ("pres", "d"),
    ("autour", "de"),
    ("autour", "d"),
    ("proche", "de"),
    ("proche", "d"),
    ("proximite", "de"),
    ("proximite", "d"),
    ("cote", "de"),
    ("cote", "du"),
    ("pres", "du"),
    ("autour", "du"),
    ("proche", "du"),
    ("proximite", "du"),
    ("environs", "du"),
    ("alentours", "du"),
    ("loin", "de"),
    ("loin", "d"),
    ("loin", "du"),
    ("secteur",),
    ("environs", "de"),
    ("environs", "d"),
    ("alentours", "de"),
    ("alentours", "d"),
    ("secteur", "de"),
    ("secteur", "d"),
    ("region", "de"),
    ("region", "d"),
    ("habite",),
    ("habitant",),
    ("domicilie", "a"),
    ("domiciliee", "a"),
    ("vit", "a"),
    ("reside", "a"),
    ("dans",),
    ("en",),
    ("depuis",),
)
#: Premiers mots des prépositions de plusieurs mots : « côté » de « à côté de » n'est jamais un lieu (Corte),
#: et « près du Mans » se lit comme « près de Le Mans ».
MOTS_DE_PREPOSITION: Final[frozenset[str]] = frozenset(p[0] for p in PREPOSITIONS_LIEU if len(p) > 1) | mots(
    "secteur"
)
#: Articles contractés qui ouvrent un nom de lieu : « au Mans », « aux Sables-d'Olonne », « près du Havre ».
ARTICLES_CONTRACTES: Final[dict[str, str]] = {"au": "le", "aux": "les", "du": "le", "des": "les"}
#: Population sous laquelle une commune homonyme d'un département ou d'une région cède la place à la zone :
#: « Bretagne » (commune de 319 habitants) est la région, « à Mayenne » (12 883) la ville.
POPULATION_HOMONYME_APRES_PREPOSITION: Final = 2000
POPULATION_HOMONYME_SANS_PREPOSITION: Final = 20000
#: Prépositions assez nettes pour tenter un nom mal orthographié (« près de Quimpr »).
PREPOSITIONS_FORTES: Final[frozenset[tuple[str, ...]]] = frozenset(
    p for p in PREPOSITIONS_LIEU if p not in {("dans",), ("en",), ("sur",), ("depuis",)}
)
#: Contexte d'une zone (département, région) : « dans le 64 », « en Bretagne », « département du Nord ».
CONTEXTE_ZONE: Final[tuple[tuple[str, ...], ...]] = (
    ("dans", "le"),
    ("dans", "la"),
    ("dans", "les"),
    ("dans", "l"),
    ("en",),
    ("departement",),
    ("dept",),
    ("dpt",),
    ("departement", "du"),
    ("departement", "de"),
    ("departement", "de", "la"),
    ("departement", "des"),
    ("region",),
    ("region", "de"),
    ("region", "du"),
    ("le",),
    ("du",),
    ("la",),
)
#: Départements dont le nom est aussi un mot courant : il faut une majuscule ou « dans le / département ».
DEPARTEMENTS_AMBIGUS: Final[frozenset[str]] = mots(
    "ain var lot cher nord somme manche landes creuse aube orne gard aude eure tarn oise indre vienne loire "
    "marne meuse doubs jura rhone gers cantal allier isere charente savoie vosges"
)
#: Grandes villes dont le nom est un mot courant : jamais reconnues sans majuscule ni préposition.
COMMUNES_MOTS_COURANTS: Final[frozenset[str]] = mots(
    "sens tours orange croix fontaine plaisir vienne saintes stains bruges lens laval dole olivet"
)
#: Sigles d'établissements ou de soins qui ne sont jamais des communes.
SIGLES_NON_LIEUX: Final[frozenset[str]] = mots(
    "chu chr chru ch chi clcc had ssr rcp ars dsrc usp emsp tep irm ucog cetd apa aja ega oir tnc tne"
)
#: Titres de personnes : le nom qui suit est un patronyme (« Dr Laval », « Professeur Blay »), pas un lieu.
TITRES: Final[frozenset[str]] = mots("dr docteur pr professeur mme mr madame monsieur mlle mademoiselle")
#: Unités après un nombre : ce nombre n'est pas un département (« 84 ans », « 30 km »).
UNITES: Final[frozenset[str]] = mots(
    "ans an mois km kms kilometres kilometre semaines semaine jours jour cm mm kg h heures heure min minutes "
    "fois seances seance cures cure cycles cycle patients patientes lits"
)


@dataclass
class Mention:
    """Un lieu trouvé dans la question, avec ses candidats (homonymes) et la force de son contexte."""

    genre: str
    debut: int
    fin: int
    communes: list[Commune] = field(default_factory=list)
    departement: Departement | None = None
    region: Region | None = None
    code_postal: str | None = None
    force: int = 0


def _precede(formes: list[str], i: int, motifs: tuple[tuple[str, ...], ...] | frozenset) -> bool:
    """Vrai si l'un des motifs se termine juste avant le mot ``i``."""
    return any(tuple(formes[max(0, i - len(m)) : i]) == m for m in motifs)


def _mot_ordinaire(cle: tuple[str, ...]) -> bool:
    return len(cle) == 1 and (
        cle[0] in MOTS_VIDES or cle[0] in MOTS_GENERIQUES or cle[0] in SIGLES_NON_LIEUX or cle[0] in MOTS_DE_PREPOSITION
    )


def _ouvre_preposition(formes: list[str], i: int) -> bool:
    """Vrai si le mot ``i`` commence une préposition de plusieurs mots (« côté de », « près du »)."""
    return any(len(p) > 1 and tuple(formes[i : i + len(p)]) == p for p in PREPOSITIONS_LIEU)


def _accepter_commune(cle: tuple[str, ...], premier: Jeton, i: int, prep: bool, c: Commune) -> bool:
    lettres = sum(len(m) for m in cle)
    if _mot_ordinaire(cle) or lettres < 2:
        return False
    if prep:
        return True
    if premier.capitalise and not (premier.sigle and lettres <= 3):
        return i > 0 or c.population >= 2000
    return lettres >= 3 and c.population >= 20000 and " ".join(cle) not in COMMUNES_MOTS_COURANTS


def reperer_lieux(
    texte: str, jetons: list[Jeton], libres: Sequence[bool], gaz: Gazetteer
) -> tuple[list[Mention], frozenset[int]]:
    """Les mentions de lieux dans les mots encore libres, et les positions qu'elles emploient."""
    restants = list(libres)
    formes = [j.forme for j in jetons]
    mentions: list[Mention] = []
    i = 0
    while i < len(jetons):
        if not restants[i]:
            i += 1
            continue
        m = _mention_nombre(texte, jetons, formes, i, gaz, mentions) or _mention_nom(
            jetons, formes, restants, i, gaz
        )
        if m is None:
            i += 1
            continue
        for k in range(m.debut, m.fin):
            restants[k] = False
        mentions.append(m)
        i = m.fin
    return mentions, employes(libres, restants)


def _mention_nombre(
    texte: str, jetons: list[Jeton], formes: list[str], i: int, gaz: Gazetteer, avant: list[Mention]
) -> Mention | None:
    """Code postal (5 chiffres) ou numéro de département (« dans le 64 », « Valence (26) », « 2A »)."""
    f = formes[i]
    if f.isdigit() and len(f) == 5:
        communes = gaz.par_code_postal(f)
        return (
            Mention("code_postal", i, i + 1, communes=communes, code_postal=f, force=2) if communes else None
        )
    if not (f.isdigit() and len(f) in (1, 2, 3)) and f not in ("2a", "2b"):
        return None
    if (
        i + 1 < len(formes)
        and formes[i + 1] in UNITES
        and not ponctuation_entre(texte, jetons[i].fin, jetons[i + 1].debut)
    ):
        return None  # « 84 ans », « 30 km » ; mais « Saint-Denis (93), séances » : la parenthèse sépare
    dep = gaz.departement_code(f)
    if dep is None or (len(f) == 1 and not _precede(formes, i, CONTEXTE_ZONE[:9])):
        return None
    parenthese = texte[: jetons[i].debut].rstrip().endswith("(")
    apres_commune = bool(avant) and avant[-1].fin == i and avant[-1].genre == "commune"
    seul_a_la_fin = i == len(formes) - 1 and i > 0
    if _precede(formes, i, CONTEXTE_ZONE) or parenthese or apres_commune or seul_a_la_fin:
        return Mention("departement", i, i + 1, departement=dep, force=2)
    return None


def _variantes(cle: tuple[str, ...]) -> list[tuple[str, ...]]:
    """« au Mans » → « le Mans », « aux Sables » → « les Sables », « (près) du Havre » → « le Havre »."""
    if cle[0] in ARTICLES_CONTRACTES and len(cle) > 1:
        return [cle, (ARTICLES_CONTRACTES[cle[0]], *cle[1:])]
    return [cle]


def _mention_nom(
    jetons: list[Jeton], formes: list[str], libres: Sequence[bool], i: int, gaz: Gazetteer, article: bool = True
) -> Mention | None:
    """Nom de commune, de département ou de région commençant au mot ``i`` (le plus long d'abord).

    Le nom le plus long n'est pas toujours celui qui commence le premier : « dans le Puy-de-Dôme » est le
    département, pas la commune « Le Puy » (Gironde) suivie de « Dôme ».
    """
    if _ouvre_preposition(formes, i) or (i > 0 and formes[i - 1] in TITRES):
        return None
    contracte = formes[i] in ARTICLES_CONTRACTES
    if contracte and formes[i] in ("du", "des") and not (i > 0 and formes[i - 1] in MOTS_DE_PREPOSITION):
        return None  # « du », « des » ne s'ouvrent sur un nom qu'après « près », « autour », « côté »...
    departs = [formes[i]] + ([ARTICLES_CONTRACTES[formes[i]]] if contracte else [])
    longueurs = sorted({n for d in departs for n in gaz.longueurs(d)}, reverse=True)
    prep = _precede(formes, i, PREPOSITIONS_LIEU)
    zone = _precede(formes, i, CONTEXTE_ZONE)
    trouve = None
    for n in longueurs:
        if i + n > len(formes) or not all(libres[i : i + n]):
            continue
        for cle in _variantes(tuple(formes[i : i + n])):
            variante = cle[0] != formes[i]
            premier = jetons[i + 1] if variante else jetons[i]
            m = _essayer(cle, jetons, i, n, prep or variante, zone, gaz, premier)
            if m:
                trouve = m
                break
        if trouve:
            break
    if trouve and article:
        # Un nom qui commence plus loin dans l'empan et va plus loin l'emporte : « en région Centre-Val de
        # Loire » est Centre-Val de Loire, pas l'alias « région Centre » suivi du département de la Loire.
        for k in range(i + 1, trouve.fin):
            suivant = _mention_nom(jetons, formes, libres, k, gaz, article=False)
            if suivant is None:
                continue
            egal = suivant.fin == trouve.fin and k == i + 1 and formes[i] in ARTICLES
            if suivant.fin > trouve.fin or (egal and _zone_contre_petite(suivant, trouve)):
                return None
    return trouve


#: Articles qui peuvent appartenir au nom (« Le Mans ») ou seulement l'annoncer (« dans le Nord »).
ARTICLES: Final[frozenset[str]] = mots("le la les l")


def _zone_contre_petite(zone: Mention, commune: Mention) -> bool:
    """« dans la Creuse » : le département, pas la commune « La Creuse » (Haute-Saône, quelques centaines
    d'habitants)."""
    return (
        zone.genre in ("departement", "region")
        and commune.genre == "commune"
        and commune.communes[0].population < POPULATION_HOMONYME_SANS_PREPOSITION
    )


def _essayer(
    cle: tuple[str, ...],
    jetons: list[Jeton],
    i: int,
    n: int,
    prep: bool,
    zone: bool,
    gaz: Gazetteer,
    premier: Jeton | None = None,
) -> Mention | None:
    communes = gaz.communes_nommees(cle)
    dep = gaz.departement_nomme(cle)
    reg = gaz.region_nommee(cle)
    premier = premier or jetons[i]
    force = 2 if prep else 1 if premier.capitalise else 0
    if dep or reg:
        ambigu = dep is not None and " ".join(cle) in DEPARTEMENTS_AMBIGUS
        ok = premier.capitalise or (zone and not ambigu) or (ambigu and _zone_explicite(jetons, i))
        if not ok and not ambigu:
            ok = prep or len(cle) > 1
        seuil = POPULATION_HOMONYME_APRES_PREPOSITION if prep else POPULATION_HOMONYME_SANS_PREPOSITION
        petite = bool(communes) and communes[0].population < seuil
        if ok and not _mot_ordinaire(cle) and (zone or not communes or petite):
            if dep:
                return Mention("departement", i, i + n, departement=dep, force=force)
            return Mention("region", i, i + n, region=reg, force=force)
    if communes and _accepter_commune(cle, premier, i, prep, communes[0]):
        return Mention("commune", i, i + n, communes=list(communes), force=force)
    if (dep or reg) and (premier.capitalise or zone) and not _mot_ordinaire(cle):
        if dep:
            return Mention("departement", i, i + n, departement=dep, force=force)
        return Mention("region", i, i + n, region=reg, force=force)
    return None


def _zone_explicite(jetons: list[Jeton], i: int) -> bool:
    formes = [j.forme for j in jetons]
    return _precede(formes, i, CONTEXTE_ZONE[:9])


def approcher_lieux(
    texte: str, jetons: list[Jeton], libres: Sequence[bool], gaz: Gazetteer
) -> tuple[list[Mention], frozenset[int]]:
    """Noms mal orthographiés (« près de Quimpr ») : seulement après une préposition nette, avec un
    score élevé ; rend aussi les positions employées.
    """
    restants = list(libres)
    formes = [j.forme for j in jetons]
    mentions: list[Mention] = []
    for i, j in enumerate(jetons):
        if not restants[i] or j.nombre or len(j.forme) < 4 or _mot_ordinaire((j.forme,)):
            continue
        if not _precede(formes, i, PREPOSITIONS_FORTES) or _ouvre_preposition(formes, i):
            continue
        for n in (2, 1):
            if i + n > len(jetons) or not all(restants[i : i + n]):
                continue
            if n == 2 and ponctuation_entre(texte, jetons[i].fin, jetons[i + 1].debut):
                continue
            trouves = gaz.approcher(" ".join(formes[i : i + n]))
            if trouves:
                for k in range(i, i + n):
                    restants[k] = False
                mentions.append(Mention("commune", i, i + n, communes=trouves[:1], force=2))
                break
    return mentions, employes(libres, restants)


#: Score minimal (0–100) pour rapprocher d'une commune un nom propre mal orthographié sans préposition.
SCORE_NOM_PROPRE: Final = 90.0
#: Longueur minimale de ce nom : « Martin », « Durand » ne deviennent pas Martrin ou Duran.
LONGUEUR_NOM_PROPRE: Final = 7


def approcher_noms_propres(
    texte: str, jetons: list[Jeton], libres: Sequence[bool], gaz: Gazetteer
) -> tuple[list[Mention], frozenset[int]]:
    """Nom propre mal orthographié sans préposition (« Bonjour, Montpelier : chimio ») : dernier recours,
    quand aucun lieu n'a été trouvé.

    Plus strict qu'après une préposition : majuscule, au moins 7 lettres, score élevé, et pas le premier mot
    de la question sauf s'il est suivi d'une ponctuation (« Existe-t-il » n'est pas « Exideuil »).
    """
    for i, j in enumerate(jetons):
        if not libres[i] or j.nombre or len(j.forme) < LONGUEUR_NOM_PROPRE or not j.capitalise or j.sigle:
            continue
        if _mot_ordinaire((j.forme,)) or (i > 0 and jetons[i - 1].forme in TITRES):
            continue
        suivi_de_ponctuation = i + 1 < len(jetons) and ponctuation_entre(texte, j.fin, jetons[i + 1].debut)
        # « Georges-Pompidou », « Léon Bérard » : un nom de personne (voisin à majuscule que rien n'a
        # compris), pas une ville mal écrite.
        colle_avant = (
            i > 0
            and libres[i - 1]
            and jetons[i - 1].capitalise
            and not ponctuation_entre(texte, jetons[i - 1].fin, j.debut)
        )
        colle_apres = not suivi_de_ponctuation and i + 1 < len(jetons) and libres[i + 1] and jetons[i + 1].capitalise
        if colle_avant or colle_apres:
            continue
        if i == 0 and not suivi_de_ponctuation:
            continue
        trouves = gaz.approcher(j.forme, score_min=SCORE_NOM_PROPRE)
        if trouves:
            return [Mention("commune", i, i + 1, communes=trouves[:1], force=1)], frozenset({i})
    return [], frozenset()


def choisir_lieu(mentions: list[Mention], gaz: Gazetteer) -> tuple[Lieu | None, list[Mention]]:
    """Le lieu de la question : le plus précis (commune > département > région), départagé par les
    zones citées.

    « Valence (Drôme) » : la Drôme départage les Valence. « chimio dans le 64, vers Pau » : Pau l'emporte.
    """
    deps = {m.departement.code for m in mentions if m.departement}
    regs = {m.region.code for m in mentions if m.region} | {
        gaz.departements[d].region for d in deps if d in gaz.departements
    }
    for m in mentions:
        if m.communes:
            m.communes.sort(key=lambda c: (c.departement not in deps, c.region not in regs, -c.population))
    rang = {"code_postal": 0, "commune": 0, "departement": 1, "region": 2}
    ordonnees = sorted(mentions, key=lambda m: (rang[m.genre], -m.force, m.debut))
    if not ordonnees:
        return None, []
    m = ordonnees[0]
    if m.genre == "code_postal" and m.code_postal:
        return gaz.lieu_code_postal(m.code_postal, m.communes[0]), ordonnees
    if m.communes:
        return gaz.lieu_commune(m.communes[0]), ordonnees
    if m.departement:
        return gaz.lieu_departement(m.departement), ordonnees
    assert m.region is not None
    return gaz.lieu_region(m.region), ordonnees
