"""``meta.lastUpdated`` des ressources FHIR : la date des faits sources de l'instantané servi.

Pourquoi cette date et pas l'heure de la requête ni celle de la construction : une ressource de l'annuaire change
quand ses sources changent. Sa date est donc la plus récente des dates de données des sources de l'instantané
(``bo:dateDonnees`` dans ``src:meta``) ; une année seule compte pour son 1er janvier, à minuit UTC (FHIR demande un
instant complet). Lue une fois par instantané.
"""

from __future__ import annotations

import re
import threading

import pyoxigraph as ox

from api.fhir.modeles import Bundle, Meta, Ressource
from graphe.instantane import Instantane
from ontologie import espaces

REQUETE = f"SELECT ?d WHERE {{ GRAPH <{espaces.GRAPHE_META}> {{ ?s <{espaces.BO}dateDonnees> ?d }} }}"

_dates: dict[str, str] = {}  # identifiant d'instantané -> instant
_verrou = threading.Lock()


def _jour(valeur: str) -> str | None:
    """AAAA-MM-JJ d'une date ou d'une année (``xsd:date``, ``xsd:gYear``) ; None si illisible."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", valeur[:10]):
        return valeur[:10]
    if re.fullmatch(r"\d{4}", valeur):
        return valeur + "-01-01"
    return None


def date_des_faits(instantane: Instantane) -> str:
    """L'instant FHIR des faits sources les plus récents de ``instantane`` (à défaut : sa construction)."""
    with _verrou:
        connue = _dates.get(instantane.identifiant)
    if connue is not None:
        return connue
    resultat = instantane.store.query(REQUETE)
    assert isinstance(resultat, ox.QuerySolutions)
    jours = [j for s in resultat if isinstance(s["d"], ox.Literal) and (j := _jour(s["d"].value))]
    jour = max(jours) if jours else instantane.date_construction[:10]
    instant = f"{jour}T00:00:00Z"
    with _verrou:
        _dates.clear()  # un seul instantané servi à la fois
        _dates[instantane.identifiant] = instant
    return instant


def dater(ressource: Ressource, instant: str) -> Ressource:
    ressource.meta = Meta(lastUpdated=instant)
    return ressource


def dater_paquet(bundle: Bundle, instant: str) -> Bundle:
    for entree in bundle.entry:
        dater(entree.resource, instant)
    return bundle
