"""Négociation du format des résultats SPARQL : en-tête Accept (avec q) ou paramètre ``format``.

Pourquoi un paramètre en plus d'Accept : un lien dans une page ou un tableur (« ouvrir en CSV ») ne peut pas
choisir ses en-têtes. Le paramètre l'emporte sur Accept. Le choix dépend de la forme de la requête : SELECT et
ASK rendent des *résultats*, CONSTRUCT et DESCRIBE un *graphe*.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.sparql.garde import RequeteRefusee


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
}


def _familles(graphe: bool) -> tuple[Format, ...]:
    return FORMATS_GRAPHE if graphe else FORMATS_RESULTATS


def _par_nom(nom: str, graphe: bool) -> Format | None:
    formats = _familles(graphe)
    for f in formats:
        if nom in (f.nom, f.type_media):
            return f
    alias = ALIAS_NOMS.get(nom) or ALIAS_MEDIA.get(nom)
    if alias and alias[1 if graphe else 0]:
        return _par_nom(alias[1 if graphe else 0], graphe)
    return None


def _plages(accept: str) -> list[tuple[str, float, int]]:
    """(type, q, ordre) pour chaque plage d'un en-tête Accept ; une plage mal écrite est ignorée."""
    plages = []
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
        plages.append((media, q, ordre))
    return plages


def _q_pour(f: Format, graphe: bool, plages: list[tuple[str, float, int]]) -> float | None:
    """q accordé à ``f`` : la plage exacte si elle est nommée (même q=0), sinon la meilleure des plages qui
    le couvrent (alias comme application/json, type/*, */*)."""
    exact = [q for m, q, _ in plages if m == f.type_media]
    if exact:
        return max(exact)
    genre = f.type_media.split("/")[0]
    alias = {m for m, cibles in ALIAS_MEDIA.items() if cibles[1 if graphe else 0] == f.nom}
    couvrants = [q for m, q, _ in plages if m in alias or m in (f"{genre}/*", "*/*")]
    return max(couvrants) if couvrants else None


def choisir(accept: str | None, parametre: str | None, graphe: bool) -> Format:
    """Le format de la réponse ; 406 (message français) si rien de ce que le client accepte n'existe."""
    formats = _familles(graphe)
    noms = ", ".join(f.nom for f in formats)
    genre = "un graphe (CONSTRUCT, DESCRIBE)" if graphe else "des résultats (SELECT, ASK)"
    if parametre:
        f = _par_nom(parametre.strip().lower(), graphe)
        if f is None:
            raise RequeteRefusee(
                f"format « {parametre} » indisponible pour {genre} : choisissez parmi {noms}", 406
            )
        return f
    if not accept or not accept.strip():
        return formats[0]
    plages = _plages(accept)
    candidats: list[tuple[float, int, Format]] = []
    for rang, f in enumerate(formats):
        q = _q_pour(f, graphe, plages)
        if q is not None and q > 0:
            candidats.append((q, -rang, f))
    if not candidats:
        acceptes = ", ".join(f.type_media for f in formats)
        raise RequeteRefusee(
            f"aucun format acceptable pour {genre} : types proposés {acceptes} (ou paramètre format={noms})",
            406,
        )
    return max(candidats, key=lambda c: (c[0], c[1]))[2]
