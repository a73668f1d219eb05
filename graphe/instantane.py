"""Instantanés du graphe : un store Oxigraph sur disque par construction, et un pointeur « courant ».

Pourquoi cette forme : une construction ratée ne doit jamais remplacer un bon graphe, et un service qui lit
l'instantané courant ne doit jamais voir un graphe à moitié écrit. On construit donc dans un dossier neuf et
on ne bascule le lien symbolique ``courant`` (``os.replace`` d'un lien : atomique sous POSIX) qu'une fois tout
validé. Les lecteurs en cours gardent l'ancien dossier ouvert ; on conserve les deux derniers instantanés.

Disposition::

    instantane/
      courant -> 20261122T101500-3f2a
      20261122T101500-3f2a/
        store/          base Oxigraph
        instantane.json identifiant, date de construction, empreinte des sources
        rapport.json    bilan complet de la construction
        rapport.txt     résumé lisible
        recherche/      index de recherche (propriété de recherche/)
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

LIEN_COURANT = "courant"
FICHIER_INFO = "instantane.json"
A_GARDER = 2


class InstantaneAbsent(Exception):
    """Aucun instantané construit : il faut lancer ``boussole construire``."""


@dataclass
class Instantane:
    """Un instantané construit et ouvert en lecture seule."""

    chemin: Path
    identifiant: str
    date_construction: str
    store: ox.Store

    @property
    def chemin_store(self) -> Path:
        return self.chemin / "store"

    def info(self) -> dict:
        """Ce que /sante et les réponses disent de l'instantané servi."""
        return {"identifiant": self.identifiant, "date_construction": self.date_construction}


def chemin_courant(racine: Path) -> Path:
    """Dossier de l'instantané courant (lien résolu), ou InstantaneAbsent."""
    lien = racine / LIEN_COURANT
    if not lien.exists():
        raise InstantaneAbsent(f"aucun instantané dans {racine} : lancez d'abord « boussole construire »")
    return lien.resolve()


def ouvrir_courant(racine: Path) -> Instantane:
    """Ouvre l'instantané courant en lecture seule (plusieurs processus peuvent le faire en même temps)."""
    return ouvrir(chemin_courant(racine))


def ouvrir_chemin(chemin: Path) -> Instantane:
    """Ouvre ``chemin`` : un dossier d'instantanés (son lien ``courant``) ou un dossier d'instantané lui-même.

    Pourquoi les deux : ``boussole comparer`` compare l'instantané courant d'une racine à un instantané précédent,
    qui n'est plus pointé par ``courant`` mais reste un dossier de la racine (voir ``precedent``).
    """
    return ouvrir(chemin_courant(chemin) if (chemin / LIEN_COURANT).exists() else chemin)


def precedent(dossier: Path) -> Path | None:
    """L'instantané publié juste avant ``dossier`` dans la même racine, s'il est encore gardé (``A_GARDER``)."""
    avant = [d for d in _instantanes(dossier.parent) if d.name < dossier.name and (d / FICHIER_INFO).is_file()]
    return avant[-1] if avant else None


def ouvrir(dossier: Path) -> Instantane:
    info = json.loads((dossier / FICHIER_INFO).read_text(encoding="utf-8"))
    store = ox.Store.read_only(str(dossier / "store"))
    return Instantane(dossier, info["identifiant"], info["date_construction"], store)


def nouvel_identifiant(maintenant: datetime | None = None) -> str:
    """Identifiant triable par date, unique même pour deux constructions dans la même seconde."""
    maintenant = maintenant or datetime.now()
    return maintenant.strftime("%Y%m%dT%H%M%S") + "-" + os.urandom(2).hex()


def dossier_travail(racine: Path, identifiant: str) -> Path:
    """Dossier caché où se prépare un instantané ; rien ne le lit avant la bascule."""
    racine.mkdir(parents=True, exist_ok=True)
    travail = racine / f".en-construction-{identifiant}"
    travail.mkdir()
    return travail


def ecrire_info(dossier: Path, identifiant: str, info: dict) -> None:
    """Écrit ``instantane.json`` (identifiant et provenance de la construction) dans ``dossier``."""
    (dossier / FICHIER_INFO).write_text(
        json.dumps({"identifiant": identifiant, **info}, ensure_ascii=False, indent=2), encoding="utf-8"
    )


def publier(racine: Path, travail: Path, identifiant: str, info: dict) -> Path:
    """Rend l'instantané préparé visible et courant, atomiquement ; nettoie les anciens.

    Appelée seulement quand la construction et la validation ont réussi.
    """
    ecrire_info(travail, identifiant, info)
    final = racine / identifiant
    os.replace(travail, final)
    lien_tmp = racine / f".{LIEN_COURANT}-{identifiant}"
    os.symlink(identifiant, lien_tmp)  # cible relative : le dossier reste déplaçable
    os.replace(lien_tmp, racine / LIEN_COURANT)
    _nettoyer(racine, garder=final)
    return final


class ConstructionEnCours(Exception):
    """Une autre construction tient le verrou de ce dossier d'instantanés."""


FICHIER_VERROU = "verrou-construction"


@contextmanager
def verrou_construction(racine: Path) -> Iterator[None]:
    """Verrou exclusif ``fcntl`` sur la racine : deux constructions simultanées se marcheraient dessus
    (nettoyage des dossiers de travail de l'autre, bascule croisée). Le noyau le relâche si le processus meurt,
    même sous ``kill -9`` : pas de verrou orphelin."""
    racine.mkdir(parents=True, exist_ok=True)
    with open(racine / FICHIER_VERROU, "a+") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConstructionEnCours(
                f"une autre construction est en cours dans {racine} ; attendez qu'elle finisse"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def nettoyer_restes(racine: Path) -> list[str]:
    """Efface les dossiers ``.en-construction-*`` et liens ``.courant-*`` laissés par une construction tuée.

    Appelée sous le verrou : aucune autre construction ne peut être en train de les écrire.
    """
    if not racine.is_dir():
        return []
    restes = []
    for chemin in sorted(racine.iterdir()):
        if chemin.name.startswith(".en-construction-"):
            shutil.rmtree(chemin, ignore_errors=True)
            restes.append(chemin.name)
        elif chemin.name.startswith(f".{LIEN_COURANT}-") and chemin.is_symlink():
            chemin.unlink()
            restes.append(chemin.name)
    return restes


def abandonner(travail: Path) -> None:
    """Efface un instantané en préparation après un échec ; l'instantané courant n'est pas touché."""
    shutil.rmtree(travail, ignore_errors=True)


def _nettoyer(racine: Path, garder: Path) -> None:
    """Garde les A_GARDER instantanés les plus récents (un service peut encore lire le précédent)."""
    tous = _instantanes(racine)
    for ancien in tous[:-A_GARDER]:
        if ancien != garder:
            shutil.rmtree(ancien, ignore_errors=True)


def _instantanes(racine: Path) -> list[Path]:
    """Les dossiers d'instantanés publiés d'une racine, du plus ancien au plus récent (l'identifiant est daté)."""
    return sorted(
        (
            d
            for d in racine.iterdir()
            if d.is_dir() and not d.name.startswith(".") and not d.is_symlink() and d.name != "refus"
        ),
        key=lambda d: d.name,
    )


class Interrogeable(Protocol):
    """Ce que les lectures en SPARQL (analyses, projection, distances) demandent d'une base : ``query``.

    Pourquoi : le store Oxigraph de l'instantané le fait, et aussi un moteur SPARQL externe chargé du même
    instantané (``api.sparql.externe.PointExterne``, ``BOUSSOLE_SPARQL_EXTERNE``) ; les deux rendent des solutions
    Oxigraph.
    """

    def query(
        self, query: str, /, *, prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False
    ) -> Any: ...


def solutions(store: Interrogeable, requete: str) -> ox.QuerySolutions:
    """Les solutions d'une requête SELECT interne, sur l'union des graphes nommés.

    Pourquoi une fonction : ``Store.query`` rend aussi un booléen (ASK) ou des triplets (CONSTRUCT) ; les
    requêtes du rapport et de la projection sont toutes des SELECT, et le disent ici une fois.

    :param store: la base Oxigraph de l'instantané.
    :param requete: une requête SELECT complète (préfixes compris).
    :returns: les solutions, à parcourir une fois.
    :raises TypeError: la requête n'est pas un SELECT.
    """
    resultats = store.query(requete, use_default_graph_as_union=True)
    if not isinstance(resultats, ox.QuerySolutions):
        raise TypeError(f"requête SELECT attendue : {requete[:80]!r}")
    return resultats
