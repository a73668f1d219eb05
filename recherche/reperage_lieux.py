"""Repérer les lieux d'une question : communes, codes postaux, départements, régions.

Pourquoi des règles de contexte : des communes s'appellent « Y », « Eu », « Vers » ou « Sens ». Un nom n'est
pris pour un lieu que s'il suit une préposition de lieu (« à », « près de », « vers »...), s'il est écrit avec
une majuscule, ou s'il désigne une grande ville dont le nom n'est pas un mot courant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from recherche.lexique import MOTS_GENERIQUES, MOTS_VIDES, Jeton, mots, ponctuation_entre
from recherche.lieux import Commune, Departement, Gazetteer, Region

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
    return len(cle) == 1 and (cle[0] in MOTS_VIDES or cle[0] in MOTS_GENERIQUES or cle[0] in SIGLES_NON_LIEUX)


def _accepter_commune(cle: tuple[str, ...], premier: Jeton, i: int, prep: bool, c: Commune) -> bool:
    lettres = sum(len(m) for m in cle)
    if _mot_ordinaire(cle) or lettres < 2:
        return False
    if prep:
        return True
    if premier.capitalise and not (premier.sigle and lettres <= 3):
        return i > 0 or c.population >= 2000
    return lettres >= 3 and c.population >= 20000 and " ".join(cle) not in COMMUNES_MOTS_COURANTS


def reperer_lieux(texte: str, jetons: list[Jeton], libres: list[bool], gaz: Gazetteer) -> list[Mention]:
    """Trouve les mentions de lieux dans les mots encore libres et les marque comme employés."""
    formes = [j.forme for j in jetons]
    mentions: list[Mention] = []
    i = 0
    while i < len(jetons):
        if not libres[i]:
            i += 1
            continue
        m = _mention_nombre(texte, jetons, formes, i, gaz, mentions) or _mention_nom(
            jetons, formes, libres, i, gaz
        )
        if m is None:
            i += 1
            continue
        for k in range(m.debut, m.fin):
            libres[k] = False
        mentions.append(m)
        i = m.fin
    return mentions


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
    if i + 1 < len(formes) and formes[i + 1] in UNITES:
        return None
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
    """« au Mans » → « le Mans », « aux Sables » → « les Sables »."""
    if cle[0] == "au" and len(cle) > 1:
        return [cle, ("le", *cle[1:])]
    if cle[0] == "aux" and len(cle) > 1:
        return [cle, ("les", *cle[1:])]
    return [cle]


def _mention_nom(
    jetons: list[Jeton], formes: list[str], libres: list[bool], i: int, gaz: Gazetteer
) -> Mention | None:
    """Nom de commune, de département ou de région commençant au mot ``i`` (le plus long d'abord)."""
    departs = [formes[i]] + (["le"] if formes[i] == "au" else ["les"] if formes[i] == "aux" else [])
    longueurs = sorted({n for d in departs for n in gaz.longueurs(d)}, reverse=True)
    prep = _precede(formes, i, PREPOSITIONS_LIEU)
    zone = _precede(formes, i, CONTEXTE_ZONE)
    for n in longueurs:
        if i + n > len(formes) or not all(libres[i : i + n]):
            continue
        for cle in _variantes(tuple(formes[i : i + n])):
            m = _essayer(cle, jetons, i, n, prep, zone, gaz)
            if m:
                return m
    return None


def _essayer(
    cle: tuple[str, ...], jetons: list[Jeton], i: int, n: int, prep: bool, zone: bool, gaz: Gazetteer
) -> Mention | None:
    communes = gaz.communes_nommees(cle)
    dep = gaz.departement_nomme(cle)
    reg = gaz.region_nommee(cle)
    premier = jetons[i]
    force = 2 if prep else 1 if premier.capitalise else 0
    if dep or reg:
        ambigu = dep is not None and " ".join(cle) in DEPARTEMENTS_AMBIGUS
        ok = premier.capitalise or (zone and not ambigu) or (ambigu and _zone_explicite(jetons, i))
        if reg and not dep and not ok:
            ok = len(cle) > 1 or premier.capitalise
        if ok and not _mot_ordinaire(cle) and (zone or not communes):
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


def approcher_lieux(texte: str, jetons: list[Jeton], libres: list[bool], gaz: Gazetteer) -> list[Mention]:
    """Noms mal orthographiés (« près de Quimpr ») : seulement après une préposition nette, avec un
    score élevé.
    """
    formes = [j.forme for j in jetons]
    mentions: list[Mention] = []
    for i, j in enumerate(jetons):
        if not libres[i] or j.nombre or len(j.forme) < 4 or _mot_ordinaire((j.forme,)):
            continue
        if not _precede(formes, i, PREPOSITIONS_FORTES):
            continue
        for n in (2, 1):
            if i + n > len(jetons) or not all(libres[i : i + n]):
                continue
            if n == 2 and ponctuation_entre(texte, jetons[i].fin, jetons[i + 1].debut):
                continue
            trouves = gaz.approcher(" ".join(formes[i : i + n]))
            if trouves:
                for k in range(i, i + n):
                    libres[k] = False
                mentions.append(Mention("commune", i, i + n, communes=trouves[:1], force=2))
                break
    return mentions


def choisir_lieu(mentions: list[Mention], gaz: Gazetteer) -> tuple[dict | None, list[Mention]]:
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
