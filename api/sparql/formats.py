"""Négociation du format des résultats SPARQL : en-tête Accept (avec q) ou paramètre ``format``.

Pourquoi un paramètre en plus d'Accept : un lien dans une page ou un tableur (« ouvrir en CSV ») ne peut pas
choisir ses en-têtes. Un paramètre unique et compris l'emporte sur Accept. Le choix dépend de la forme de la
requête : SELECT et ASK rendent des *résultats*, CONSTRUCT et DESCRIBE un *graphe*.

Pourquoi un paramètre *tolérant* : les clients courants le remplissent au hasard des serveurs qu'ils visent.
SPARQLWrapper, par défaut, envoie ``format=json-ld&format=application/ld+json,…`` (répété) ou ``format=n3`` en
plus d'un en-tête Accept exact. Un paramètre répété, inconnu ou d'une autre famille (``turtle`` pour un SELECT)
est donc ignoré : c'est Accept qui décide, et le 406 ne vient que si Accept lui-même ne peut être satisfait.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from api.service import negociation
from api.service.erreurs import RequeteRefusee
from api.service.negociation import Offre


@dataclass(frozen=True)
class Format:
    nom: str
    type_media: str
    texte: bool = True  # ajoute « ; charset=utf-8 »

    @property
    def content_type(self) -> str:
        return f"{self.type_media}; charset=utf-8" if self.texte else self.type_media


#: Dans l'ordre de préférence du serveur (le premier sert quand le client accepte tout).
FORMATS_RESULTATS = (
    Format("json", "application/sparql-results+json"),
    Format("xml", "application/sparql-results+xml"),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
)
FORMATS_GRAPHE = (
    Format("turtle", "text/turtle"),
    Format("ntriples", "application/n-triples"),
    Format("jsonld", "application/ld+json"),
    Format("rdfxml", "application/rdf+xml"),
)
#: Types génériques que des clients courants envoient, ramenés au format SPARQL correspondant.
ALIAS_MEDIA = {
    "application/json": ("json", "jsonld"),
    "application/xml": ("xml", "rdfxml"),
    "text/xml": ("xml", "rdfxml"),
    "text/plain": ("tsv", "ntriples"),
}
#: Noms courts tolérés dans le paramètre ``format``.
ALIAS_NOMS = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "nt": ("tsv", "ntriples"),
    "ttl": (None, "turtle"),
    # noms de SPARQLWrapper (et de Virtuoso) : N3 contient Turtle, une réponse Turtle est du N3 valide
    "n3": (None, "turtle"),
    "json-ld": (None, "jsonld"),
    "rdf+xml": (None, "rdfxml"),
    "rdf": (None, "rdfxml"),
    "n-triples": (None, "ntriples"),
}


def _familles(graphe: bool) -> tuple[Format, ...]:
    return FORMATS_GRAPHE if graphe else FORMATS_RESULTATS


def _par_nom(nom: str, graphe: bool) -> Format | None:
    formats = _familles(graphe)
    for f in formats:
        if nom in (f.nom, f.type_media):
            return f
    alias = ALIAS_NOMS.get(nom) or ALIAS_MEDIA.get(nom)
    cible = alias[graphe] if alias else None
    return _par_nom(cible, graphe) if cible else None


def _offres(graphe: bool) -> tuple[Offre, ...]:
    """Les formats de la famille, comme offres de la négociation commune (alias : application/json…)."""
    return tuple(
        Offre(f.nom, f.type_media, alias=frozenset(m for m, cibles in ALIAS_MEDIA.items() if cibles[graphe] == f.nom))
        for f in _familles(graphe)
    )


#: Les offres de chaque famille (résultats, graphe), calculées une fois.
OFFRES = {graphe: _offres(graphe) for graphe in (False, True)}


def _parametre_compris(parametres: Sequence[str], graphe: bool) -> Format | None:
    """Le format d'un paramètre ``format`` unique et connu pour cette forme de requête ; sinon None (Accept)."""
    valeurs = {p.strip().lower() for p in parametres if p.strip()}
    if len(valeurs) != 1:
        return None
    return _par_nom(valeurs.pop(), graphe)


def choisir(accept: str | None, parametres: Sequence[str] | None, graphe: bool) -> Format:
    """Le format de la réponse ; 406 (message français) si rien de ce que le client accepte n'existe.

    :param accept: l'en-tête Accept (None : tout convient).
    :param parametres: les valeurs du paramètre ``format`` (zéro, une ou plusieurs).
    :param graphe: vrai pour CONSTRUCT / DESCRIBE.
    """
    formats = _familles(graphe)
    noms = ", ".join(f.nom for f in formats)
    genre = "un graphe (CONSTRUCT, DESCRIBE)" if graphe else "des résultats (SELECT, ASK)"
    compris = _parametre_compris(parametres or (), graphe)
    if compris is not None:
        return compris
    offre = negociation.choisir(accept, OFFRES[graphe])
    if offre is None:
        acceptes = ", ".join(f.type_media for f in formats)
        raise RequeteRefusee(
            f"aucun format acceptable pour {genre} : types proposés {acceptes} (ou paramètre format={noms})",
            406,
        )
    return next(f for f in formats if f.nom == offre.nom)
