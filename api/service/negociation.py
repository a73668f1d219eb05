"""La négociation de contenu de l'application (en-tête ``Accept`` avec ``q``), une seule pour toutes les routes.

Pourquoi une seule : les fiches d'entités (HTML, JSON-LD, Turtle) et le point SPARQL (JSON, XML, CSV… ou Turtle,
N-Triples…) choisissent leur format de la même façon ; deux lectures d'``Accept`` finissent par ne plus dire la même
chose du même en-tête. Chaque ressource décrit ses formats par des :class:`Offre` ; le paramètre ``format`` (qui
l'emporte sur ``Accept``) et les messages d'erreur restent propres à chaque ressource.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Plage:
    """Une plage d'un en-tête Accept : ``type/sous-type`` (ou ``type/*``, ``*/*``), sa qualité et son rang."""

    media: str
    q: float
    ordre: int


@dataclass(frozen=True)
class Offre:
    """Un format que le serveur sait rendre.

    :param nom: le nom court du format (``jsonld``, ``csv``…).
    :param type_media: son type MIME.
    :param equivalents: types comptés comme une demande exacte de ce format (``application/json`` pour JSON-LD
        sur une fiche).
    :param alias: types génériques qui couvrent ce format comme ``type/*`` le ferait (une demande exacte d'un autre
        format l'emporte sur eux).
    """

    nom: str
    type_media: str
    equivalents: frozenset[str] = frozenset()
    alias: frozenset[str] = frozenset()


def plages(accept: str) -> list[Plage]:
    """Les plages d'un en-tête Accept ; une plage mal écrite est ignorée, une qualité illisible vaut 0.

    :param accept: la valeur de l'en-tête.
    :returns: les plages dans l'ordre de l'en-tête, chaque ``q`` ramené entre 0 et 1.
    """
    sortie = []
    for ordre, morceau in enumerate(accept.split(",")):
        parties = [p.strip() for p in morceau.split(";")]
        media = parties[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in parties[1:]:
            cle, _, valeur = param.partition("=")
            if cle.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(valeur)))
                except ValueError:
                    q = 0.0
        sortie.append(Plage(media, q, ordre))
    return sortie


def qualite(offre: Offre, demandees: Sequence[Plage]) -> float | None:
    """La qualité accordée à ``offre`` : celle de la plage exacte si elle est nommée (même ``q=0``), sinon la
    meilleure des plages qui la couvrent (alias, ``type/*``, ``*/*``) ; None si aucune ne la désigne."""
    exact = [p.q for p in demandees if p.media == offre.type_media or p.media in offre.equivalents]
    if exact:
        return max(exact)
    genre = offre.type_media.split("/")[0]
    couvrants = [p.q for p in demandees if p.media in offre.alias or p.media in (f"{genre}/*", "*/*")]
    return max(couvrants) if couvrants else None


def choisir(accept: str | None, offres: Sequence[Offre]) -> Offre | None:
    """Le format à rendre : la meilleure qualité non nulle, à égalité le premier dans l'ordre du serveur.

    :param accept: l'en-tête Accept (absent ou vide : le client accepte tout).
    :param offres: les formats de la ressource, dans l'ordre de préférence du serveur.
    :returns: l'offre choisie, ou None si le client n'accepte aucun de ces formats (à rendre en 406).
    """
    if not accept or not accept.strip():
        return offres[0]
    demandees = plages(accept)
    candidats: list[tuple[float, int, Offre]] = []
    for rang, offre in enumerate(offres):
        q = qualite(offre, demandees)
        if q is not None and q > 0:
            candidats.append((q, -rang, offre))
    if not candidats:
        return None
    return max(candidats, key=lambda c: (c[0], c[1]))[2]
