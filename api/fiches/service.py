"""Le service des fiches : choisir le format (paramètre ``format``, sinon ``Accept``), lire la fiche, la rendre.

Pourquoi le choix du format ici : le paramètre ``format`` (un lien ne peut pas choisir ses en-têtes) et ses noms
courts sont propres aux fiches ; la lecture d'``Accept`` est celle de toute l'application
(``api.service.negociation``).
"""

from __future__ import annotations

from dataclasses import dataclass

from api.fiches import lecture, rendu, vocabulaire
from api.service import negociation
from api.service.erreurs import RequeteRefusee
from api.service.negociation import Offre
from graphe.instantane import Instantane

#: Les formats d'une fiche, dans l'ordre de préférence du serveur (HTML quand le client accepte tout).
OFFRES = (
    Offre("html", "text/html"),
    Offre("jsonld", "application/ld+json", equivalents=frozenset({"application/json"})),
    Offre("turtle", "text/turtle"),
)
FORMATS = {o.nom: o.type_media for o in OFFRES}
ALIAS_FORMAT = {"ttl": "turtle", "json-ld": "jsonld", "json": "jsonld"}
#: Le type de contenu rendu pour chaque format.
TYPES_CONTENU = {
    "html": "text/html; charset=utf-8",
    "jsonld": "application/ld+json",
    "turtle": "text/turtle; charset=utf-8",
}


class FormatInconnu(RequeteRefusee):
    """Aucun format de fiche ne convient (406)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 406)


def choisir_format(accept: str | None, parametre: str | None) -> str:
    """Le format de la fiche.

    :param accept: l'en-tête Accept (avec ``q``).
    :param parametre: le paramètre ``format`` (html, jsonld, turtle ou un nom court : ttl, json…), qui l'emporte.
    :returns: ``html``, ``jsonld`` ou ``turtle`` ; ``html`` si le client accepte tout.
    :raises FormatInconnu: format demandé inconnu, ou rien d'acceptable dans Accept.
    """
    if parametre:
        nom = ALIAS_FORMAT.get(parametre.strip().lower(), parametre.strip().lower())
        if nom not in FORMATS:
            raise FormatInconnu(f"format « {parametre} » inconnu : choisissez html, jsonld ou turtle")
        return nom
    offre = negociation.choisir(accept, OFFRES)
    if offre is None:
        raise FormatInconnu("aucun format acceptable : text/html, application/ld+json ou text/turtle")
    return offre.nom


@dataclass(frozen=True)
class FicheRendue:
    """Une fiche prête à servir : son texte, son type de contenu et l'instantané dont elle vient."""

    texte: str
    type_contenu: str
    instantane: str


def servir(
    instantane: Instantane | None, iri: str, accept: str | None, parametre: str | None, introuvable: str
) -> FicheRendue:
    """La fiche de ``iri`` dans le format négocié.

    :param instantane: l'instantané servi (None : 503).
    :param iri: l'IRI de l'entité.
    :param accept: l'en-tête Accept.
    :param parametre: le paramètre ``format``.
    :param introuvable: le message du 404 si le graphe ne connaît pas l'entité.
    :returns: le texte rendu et son type de contenu.
    :raises RequeteRefusee: 503 sans instantané, 406 format, 404 entité inconnue.
    """
    if instantane is None:
        raise RequeteRefusee("service indisponible : aucun instantané servi", 503)
    nom = choisir_format(accept, parametre)
    fiche = lecture.lire(instantane.store, iri)
    if fiche is None:
        raise RequeteRefusee(introuvable, 404)
    if nom == "html":
        texte = rendu.en_html(fiche, instantane.identifiant)
    elif nom == "jsonld":
        texte = rendu.en_jsonld(fiche)
    else:
        texte = rendu.en_turtle(fiche)
    return FicheRendue(texte, TYPES_CONTENU[nom], instantane.identifiant)


def servir_vocabulaire(instantane: Instantane | None, accept: str | None, parametre: str | None) -> FicheRendue:
    """Le document de l'ontologie (``/ontologie``) dans le format négocié : page des termes, JSON-LD ou Turtle."""
    if instantane is None:
        raise RequeteRefusee("service indisponible : aucun instantané servi", 503)
    nom = choisir_format(accept, parametre)
    fiche, termes = vocabulaire.lire(instantane.store)
    if nom == "html":
        texte = vocabulaire.en_html(termes, instantane.identifiant)
    else:
        texte = rendu.en_jsonld(fiche) if nom == "jsonld" else rendu.en_turtle(fiche)
    return FicheRendue(texte, TYPES_CONTENU[nom], instantane.identifiant)
