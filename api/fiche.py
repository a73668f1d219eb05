"""La fiche d'une entité du graphe (établissement, autorisation, commune…) : ses faits, groupés par source.

Pourquoi une fiche par IRI : toute IRI ``https://w3id.org/boussole/id/…`` doit pouvoir être ouverte (données
liées) ; une personne lit la page HTML, une machine le JSON-LD ou le Turtle. Chaque fait reste dans le graphe
nommé de sa source : la page l'affiche sous le titre et la date de cette source, le JSON-LD garde les graphes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib import Graph as RdfGraph

from api.sparql.formats import _plages
from ontologie import espaces

#: Les prédicats par lesquels une preuve, une appartenance ou une liste désigne un site.
LIENS_ENTRANTS = (
    "bo:etablissement",
    "org:member",
    "bo:organisateur",
    "bo:sitePartenaire",
    "bo:titulaire",
)

CONTEXTE_JSONLD = {
    "@vocab": str(espaces.SCHEMA),
    **{p: str(ns) for p, ns in espaces.PREFIXES.items() if p not in ("id", "src", "concept")},
}

FORMATS = {"html": "text/html", "jsonld": "application/ld+json", "turtle": "text/turtle"}
ALIAS_FORMAT = {"ttl": "turtle", "json-ld": "jsonld", "json": "jsonld"}


class FormatInconnu(ValueError):
    pass


def choisir_format(accept: str | None, parametre: str | None) -> str:
    """html, jsonld ou turtle : le paramètre ``format`` l'emporte ; sinon Accept (q) ; sinon html."""
    if parametre:
        nom = ALIAS_FORMAT.get(parametre.strip().lower(), parametre.strip().lower())
        if nom not in FORMATS:
            raise FormatInconnu(f"format « {parametre} » inconnu : choisissez html, jsonld ou turtle")
        return nom
    if not accept or not accept.strip():
        return "html"
    plages = _plages(accept)
    meilleurs: list[tuple[float, int, str]] = []
    for rang, (nom, media) in enumerate(FORMATS.items()):
        exact = [q for m, q, _ in plages if m == media or (nom == "jsonld" and m == "application/json")]
        genre = media.split("/")[0]
        couvrants = [q for m, q, _ in plages if m in (f"{genre}/*", "*/*")]
        q = max(exact) if exact else max(couvrants, default=None)
        if q:
            meilleurs.append((q, -rang, nom))
    if not meilleurs:
        raise FormatInconnu("aucun format acceptable : text/html, application/ld+json ou text/turtle")
    return max(meilleurs)[2]


@dataclass
class Fait:
    predicat: str
    objet: ox.NamedNode | ox.Literal | ox.BlankNode
    libelle_objet: str | None = None


@dataclass
class Source:
    iri: str
    titre: str
    date: str
    faits: list[Fait] = field(default_factory=list)
    preuves: list[tuple[str, str, str | None]] = field(default_factory=list)  # (iri, libellé, niveau)


@dataclass
class Fiche:
    iri: str
    nom: str
    types: list[str]
    sources: dict[str, Source]
    adresse: dict[str, str]
    commune: str | None
    latitude: str | None
    longitude: str | None
    precision: str | None
    quads: list[ox.Quad]


def _q(store: ox.Store, corps: str):
    return store.query(espaces.entete_sparql() + corps, use_default_graph_as_union=True)


def _v(terme) -> str | None:
    return None if terme is None else terme.value


def _meta(store: ox.Store) -> dict[str, tuple[str, str]]:
    return {
        r["g"].value: (r["t"].value, _v(r["d"]) or "")
        for r in _q(
            store, "SELECT ?g ?t ?d WHERE { GRAPH src:meta { ?g dct:title ?t OPTIONAL { ?g bo:dateDonnees ?d } } }"
        )
    }


def existe(store: ox.Store, iri: str) -> bool:
    return bool(_q(store, f"ASK {{ <{iri}> ?p ?o }}"))


def lire(store: ox.Store, iri: str) -> Fiche | None:
    """La fiche de ``iri``, ou None si le graphe ne dit rien de ce sujet (ou si ``iri`` n'est pas une IRI).

    L'IRI est validée par Oxigraph avant d'entrer dans le texte des requêtes : ni espace, ni ``>``, ni caractère
    de contrôle ne peuvent y passer (pas d'injection SPARQL)."""
    try:
        sujet = ox.NamedNode(iri)
    except ValueError:
        return None
    quads = list(store.quads_for_pattern(sujet, None, None, None))
    if not quads:
        return None
    meta = _meta(store)
    sources: dict[str, Source] = {}

    def source(g: str) -> Source:
        if g not in sources:
            titre, date = meta.get(g, (g.rsplit("/", 1)[-1], ""))
            sources[g] = Source(g, titre, date)
        return sources[g]

    # libellés des objets (nom, libellé SKOS, rdfs:label)
    libelles = {
        r["o"].value: r["l"].value
        for r in _q(
            store,
            f"SELECT ?o (SAMPLE(?x) AS ?l) WHERE {{ <{iri}> ?p ?o . FILTER(isIRI(?o)) "
            "?o schema:name|skos:prefLabel|rdfs:label ?x } GROUP BY ?o",
        )
    }
    for q in quads:
        libelle = libelles.get(q.object.value) if isinstance(q.object, ox.NamedNode) else None
        source(q.graph_name.value).faits.append(Fait(q.predicate.value, q.object, libelle))
    # nœuds dépendants (adresse, point) : leurs triplets vont avec la fiche
    for r in _q(store, f'SELECT DISTINCT ?n WHERE {{ <{iri}> ?p ?n FILTER(STRSTARTS(STR(?n), "{iri}/")) }}'):
        quads += list(store.quads_for_pattern(r["n"], None, None, None))
    # preuves et appartenances qui désignent l'entité
    liens = " ".join(f"{{ ?preuve {p} <{iri}> }} UNION" for p in LIENS_ENTRANTS).removesuffix(" UNION")
    for r in _q(
        store,
        f"SELECT ?g ?preuve (SAMPLE(?l) AS ?label) (SAMPLE(?n) AS ?niveau) WHERE {{ GRAPH ?g {{ {liens} "
        "OPTIONAL { ?preuve rdfs:label ?l } OPTIONAL { ?preuve bo:niveauPreuve ?n } } } "
        "GROUP BY ?g ?preuve ORDER BY ?g ?label",
    ):
        source(r["g"].value).preuves.append((r["preuve"].value, _v(r["label"]) or r["preuve"].value, _v(r["niveau"])))
        quads += list(store.quads_for_pattern(r["preuve"], None, None, r["g"]))

    ident = _q(
        store,
        f"""SELECT ?nom ?rue ?cp ?ville ?com ?lat ?lon ?prec WHERE {{
  OPTIONAL {{ <{iri}> schema:name|rdfs:label|skos:prefLabel ?nom }}
  OPTIONAL {{ <{iri}> schema:address ?a . OPTIONAL {{ ?a schema:streetAddress ?rue }}
             OPTIONAL {{ ?a schema:postalCode ?cp }} OPTIONAL {{ ?a schema:addressLocality ?ville }} }}
  OPTIONAL {{ <{iri}> bo:commune/schema:name ?com }}
  OPTIONAL {{ <{iri}> schema:latitude ?lat ; schema:longitude ?lon }}
  OPTIONAL {{ <{iri}> geo:hasGeometry ?pt . ?pt schema:latitude ?lat2 ; schema:longitude ?lon2 }}
  OPTIONAL {{ <{iri}> bo:precisionGeo ?prec }}
}} LIMIT 1""",
    )
    r = next(iter(ident), None)
    adresse = {}
    nom = iri.rsplit("/", 1)[-1]
    commune = lat = lon = prec = None
    if r is not None:
        nom = _v(r["nom"]) or nom
        adresse = {k: _v(r[k]) for k in ("rue", "cp", "ville") if r[k] is not None}
        commune, lat, lon, prec = _v(r["com"]), _v(r["lat"]), _v(r["lon"]), _v(r["prec"])
    types = sorted({q.object.value for q in quads if q.subject == sujet and q.predicate.value.endswith("#type")})
    # les sources dans l'ordre de leur titre, pour une page stable
    ordonnees = dict(sorted(sources.items(), key=lambda kv: kv[1].titre))
    return Fiche(iri, nom, types, ordonnees, adresse, commune, lat, lon, prec, quads)


# -- sérialisations ---------------------------------------------------------------------------------------


def _rdflib(terme):
    if isinstance(terme, ox.NamedNode):
        return URIRef(terme.value)
    if isinstance(terme, ox.Literal):
        if terme.language:
            return Literal(terme.value, lang=terme.language)
        if terme.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(terme.value)
        return Literal(terme.value, datatype=URIRef(terme.datatype.value))
    from rdflib import BNode

    return BNode(terme.value)


def _lier(g) -> None:
    for p, ns in espaces.PREFIXES.items():
        g.bind(p, ns, override=True)


def en_jsonld(fiche: Fiche) -> str:
    """JSON-LD compacté (contexte schema.org + préfixes Boussole) ; un graphe nommé par source."""
    ds = Dataset()
    _lier(ds)
    for q in fiche.quads:
        ds.graph(URIRef(q.graph_name.value)).add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))
    texte = ds.serialize(format="json-ld", context=CONTEXTE_JSONLD, auto_compact=True)
    return json.dumps(json.loads(texte), ensure_ascii=False, indent=2)


def en_turtle(fiche: Fiche) -> str:
    """Turtle de l'union (les graphes nommés sont perdus : la provenance est en JSON-LD et en TriG)."""
    g = RdfGraph()
    _lier(g)
    for q in fiche.quads:
        g.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))
    return g.serialize(format="turtle")


def _court(iri: str) -> str:
    for p, ns in espaces.PREFIXES.items():
        if iri.startswith(str(ns)) and p not in ("id", "concept", "src"):
            return f"{p}:{iri[len(str(ns)) :]}"
    return iri


def _lien(iri: str) -> str:
    """Lien local pour une IRI servie par l'API, sinon l'IRI elle-même."""
    base = str(espaces.ID)
    return "/id/" + iri[len(base) :] if iri.startswith(base) else iri


def _objet_html(f: Fait) -> str:
    o = f.objet
    if isinstance(o, ox.NamedNode):
        texte = f.libelle_objet or _court(o.value)
        return f'<a href="{escape(_lien(o.value))}">{escape(texte)}</a>'
    return escape(o.value)


NIVEAUX = {"autorisation": "autorisation", "activite_declaree": "activité déclarée", "liste_curee": "liste curée"}

_STYLE = """body{font-family:system-ui,sans-serif;max-width:62rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:1.8rem;border-top:1px solid #ddd;padding-top:.6rem}
table{border-collapse:collapse;width:100%}td{padding:.15rem .5rem;vertical-align:top;border-bottom:1px solid #f0f0f0}
td:first-child{color:#555;width:16rem;font-family:ui-monospace,monospace;font-size:.85rem}.date{color:#555}
code{background:#f2f2f2;padding:0 .2rem}.niveau{font-size:.8rem;background:#eef;padding:0 .3rem;border-radius:.2rem}"""


def en_html(fiche: Fiche, identifiant_instantane: str | None) -> str:
    lignes = [
        "<!doctype html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(fiche.nom)} — Boussole</title>",
        '<link rel="alternate" type="application/ld+json" href="?format=jsonld">',
        '<link rel="alternate" type="text/turtle" href="?format=turtle">',
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{escape(fiche.nom)}</h1>",
        f"<p>IRI : <code>{escape(fiche.iri)}</code><br>Types : "
        + ", ".join(escape(_court(t)) for t in fiche.types)
        + "</p>",
    ]
    identite = []
    if fiche.adresse:
        adresse = " ".join(fiche.adresse.get(k, "") for k in ("rue", "cp", "ville")).strip()
        identite.append(f"<li>Adresse : {escape(adresse)}</li>")
    if fiche.commune:
        identite.append(f"<li>Commune : {escape(fiche.commune)}</li>")
    if fiche.latitude and fiche.longitude:
        precision = f" (précision : {escape(fiche.precision)})" if fiche.precision else ""
        identite.append(
            f"<li>Point : {escape(fiche.latitude)} N, {escape(fiche.longitude)} E{precision} — "
            f'<a href="https://www.openstreetmap.org/?mlat={escape(fiche.latitude)}&amp;mlon={escape(fiche.longitude)}'
            '#map=15/">voir sur une carte</a></li>'
        )
    if identite:
        lignes.append("<ul>" + "".join(identite) + "</ul>")
    lignes.append(
        '<p>Aussi en <a href="?format=jsonld">JSON-LD</a> et en <a href="?format=turtle">Turtle</a>. '
        "Chaque fait ci-dessous est rangé sous la source qui l'affirme, avec la date de ses données.</p>"
    )
    for s in fiche.sources.values():
        date = f' <span class="date">— données {escape(s.date)}</span>' if s.date else ""
        lignes.append(f"<h2>{escape(s.titre)}{date}</h2><p><code>{escape(s.iri)}</code></p>")
        if s.faits:
            lignes.append("<table>")
            lignes += [f"<tr><td>{escape(_court(f.predicat))}</td><td>{_objet_html(f)}</td></tr>" for f in s.faits]
            lignes.append("</table>")
        if s.preuves:
            lignes.append("<ul>")
            for iri, libelle, niveau in s.preuves:
                badge = f' <span class="niveau">{escape(NIVEAUX.get(niveau, niveau))}</span>' if niveau else ""
                lignes.append(f'<li><a href="{escape(_lien(iri))}">{escape(libelle)}</a>{badge}</li>')
            lignes.append("</ul>")
    lignes.append(
        f"<footer><p>Instantané {escape(identifiant_instantane or '?')} — "
        '<a href="/">Boussole</a> · <a href="/sparql">SPARQL</a> · <a href="/docs">API</a></p></footer>'
    )
    lignes.append("</body></html>")
    return "\n".join(lignes)
