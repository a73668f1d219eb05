"""Les trois rendus d'une fiche : HTML pour une personne, JSON-LD et Turtle pour une machine.

Pourquoi trois rendus d'un même objet : une IRI de Boussole s'ouvre dans un navigateur comme dans un client de
données liées ; tous disent les mêmes faits, le JSON-LD garde en plus le graphe nommé (la source) de chacun.
"""

from __future__ import annotations

import json
from html import escape

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib import Graph as RdfGraph
from rdflib.term import Node

from api.fiches.modeles import Fait, Fiche
from ontologie import espaces

CONTEXTE_JSONLD = {
    "@vocab": str(espaces.SCHEMA),
    **{p: str(ns) for p, ns in espaces.PREFIXES.items() if p not in ("id", "src", "concept")},
}


def _rdflib(terme: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """Le terme rdflib d'un terme Oxigraph (un littéral xsd:string reste un littéral simple)."""
    if isinstance(terme, ox.NamedNode):
        return URIRef(terme.value)
    if isinstance(terme, ox.Literal):
        if terme.language:
            return Literal(terme.value, lang=terme.language)
        if terme.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(terme.value)
        return Literal(terme.value, datatype=URIRef(terme.datatype.value))
    if isinstance(terme, ox.BlankNode):
        return BNode(terme.value)
    raise TypeError(f"terme inattendu dans une fiche : {terme!r}")


def _lier(g: RdfGraph) -> None:
    for p, ns in espaces.PREFIXES.items():
        g.bind(p, ns, override=True)


def en_jsonld(fiche: Fiche) -> str:
    """JSON-LD compacté (contexte schema.org + préfixes Boussole) ; un graphe nommé par source.

    :param fiche: la fiche lue.
    :returns: le document JSON-LD, indenté.
    """
    ds = Dataset()
    _lier(ds)
    for q in fiche.quads:
        graphe = q.graph_name
        cible = ds.default_context if isinstance(graphe, ox.DefaultGraph) else ds.graph(URIRef(graphe.value))
        cible.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))
    texte = ds.serialize(format="json-ld", context=CONTEXTE_JSONLD, auto_compact=True)
    return json.dumps(json.loads(texte), ensure_ascii=False, indent=2)


def en_turtle(fiche: Fiche) -> str:
    """Turtle de l'union (les graphes nommés sont perdus : la provenance est en JSON-LD et en TriG).

    :param fiche: la fiche lue.
    :returns: le document Turtle, préfixes Boussole déclarés.
    """
    g = RdfGraph()
    _lier(g)
    for q in fiche.quads:
        g.add((_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object)))
    return g.serialize(format="turtle")


def court(iri: str) -> str:
    """Le nom court (CURIE) d'une IRI d'un vocabulaire connu, sinon l'IRI."""
    for p, ns in espaces.PREFIXES.items():
        if iri.startswith(str(ns)) and p not in ("id", "concept", "src"):
            return f"{p}:{iri[len(str(ns)) :]}"
    return iri


#: Chaque espace d'IRI que Boussole frappe, et où le service le sert : toute IRI montrée s'ouvre sur le service.
CHEMINS_LOCAUX = (
    (str(espaces.ID), "/id/"),
    (str(espaces.CONCEPT), "/concept/"),
    (str(espaces.SRC), "/source/"),
    (str(espaces.BO), "/ontologie#"),
)


def lien_local(iri: str) -> str:
    """Lien local pour une IRI servie par l'API (entité, concept, source, terme de l'ontologie), sinon l'IRI."""
    for base, chemin in CHEMINS_LOCAUX:
        if iri.startswith(base):
            return chemin + iri[len(base) :]
    return iri


_court, _lien = court, lien_local


def _objet_html(f: Fait) -> str:
    o = f.objet
    if isinstance(o, ox.NamedNode):
        texte = f.libelle_objet or _court(o.value)
        return f'<a href="{escape(_lien(o.value))}">{escape(texte)}</a>'
    return escape(str(o) if isinstance(o, ox.Triple) else o.value)


#: Libellés français des propriétés courantes : la fiche se lit d'abord en mots ; le nom technique suit, en petit.
LIBELLES = {
    "schema:name": "Nom",
    "schema:address": "Adresse",
    "schema:latitude": "Latitude",
    "schema:longitude": "Longitude",
    "schema:telephone": "Téléphone",
    "schema:url": "Site web",
    "bo:finess": "Numéro FINESS",
    "bo:categorie": "Catégorie d'établissement",
    "bo:statutJuridique": "Statut juridique",
    "bo:entiteJuridique": "Entité juridique",
    "bo:commune": "Commune",
    "bo:precisionGeo": "Précision du point",
    "bo:sitePartenaire": "Site partenaire",
    "bo:departement": "Département",
    "bo:region": "Région",
    "rdf:type": "Type",
    "rdfs:label": "Libellé",
    "skos:prefLabel": "Libellé",
    "org:unitOf": "Rattaché à",
}


def _propriete_html(iri: str) -> str:
    """La propriété en mots, puis son nom technique (vue des données) en petit."""
    court = _court(iri)
    libelle = LIBELLES.get(court)
    if libelle is None:
        return f"<code>{escape(court)}</code>"
    return f'{escape(libelle)} <code class="technique">{escape(court)}</code>'


NIVEAUX = {
    "autorisation": "autorisation de l'ARS",
    "activite_declaree": "activité déclarée (SAE)",
    "liste_curee": "liste officielle (INCa, réseaux)",
}


def _offre_html(fiche: Fiche) -> list[str]:
    """Ce que le site propose, toutes sources réunies : la première chose qu'un clinicien cherche sur la fiche.

    Chaque offre garde son niveau de preuve (en mots) et la source qui l'affirme, avec sa date.
    """
    vues: dict[str, list[str]] = {}
    ordre: list[tuple[str, str, str | None]] = []
    for s in fiche.sources:
        for d in s.designations:
            if d.libelle not in vues:
                vues[d.libelle] = []
                ordre.append((d.libelle, d.iri, d.niveau))
            source = f"{s.titre}, {s.date}" if s.date else s.titre
            if source not in vues[d.libelle]:
                vues[d.libelle].append(source)
    if not ordre:
        return []
    lignes = ["<h2>Ce que propose ce site</h2>", "<ul>"]
    for libelle, iri, niveau in ordre:
        preuve = f" — {escape(NIVEAUX.get(niveau, niveau))}" if niveau else ""
        sources = " ; ".join(escape(x) for x in vues[libelle])
        lignes.append(
            f'<li><a href="{escape(_lien(iri))}">{escape(libelle)}</a>{preuve} '
            f'<span class="date">(source : {sources})</span></li>'
        )
    lignes.append("</ul>")
    return lignes


def en_html(fiche: Fiche, identifiant_instantane: str | None) -> str:
    """La page HTML de la fiche : identité, puis chaque source (titre, date) avec ses faits et ses preuves.

    :param fiche: la fiche lue.
    :param identifiant_instantane: l'instantané servi, cité en pied de page.
    :returns: la page complète, tout texte du graphe échappé.
    """
    lignes = [
        "<!doctype html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(fiche.nom)} — Boussole</title>",
        '<link rel="alternate" type="application/ld+json" href="?format=jsonld">',
        '<link rel="alternate" type="text/turtle" href="?format=turtle">',
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/statique/fiche.css"></head><body>',
        '<nav aria-label="Liens du service"><p><a href="/">Boussole : où adresser un patient ?</a></p></nav>',
        "<main>",
        f"<h1>{escape(fiche.nom)}</h1>",
    ]
    identite = []
    if not fiche.adresse.vide():
        identite.append(f"<li>Adresse : {escape(fiche.adresse.en_ligne())}</li>")
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
    lignes += _offre_html(fiche)
    lignes.append(
        "<h2>Le détail, source par source</h2>"
        '<p>Aussi en <a href="?format=jsonld">JSON-LD</a> et en <a href="?format=turtle">Turtle</a>. '
        "Chaque fait ci-dessous est rangé sous la source qui l'affirme, avec la date de ses données.</p>"
    )
    for s in fiche.sources:
        date = f' <span class="date">— données {escape(s.date)}</span>' if s.date else ""
        lignes.append(
            f'<h3>{escape(s.titre)}{date}</h3><p><a href="{escape(lien_local(s.iri))}"><code>{escape(s.iri)}</code></a>'
            " (la source : éditeur, licence, date)</p>"
        )
        if s.faits:
            lignes.append("<table>")
            lignes += [f"<tr><td>{_propriete_html(f.predicat)}</td><td>{_objet_html(f)}</td></tr>" for f in s.faits]
            lignes.append("</table>")
        if s.designations:
            lignes.append("<ul>")
            for d in s.designations:
                badge = f' <span class="niveau">{escape(NIVEAUX.get(d.niveau, d.niveau))}</span>' if d.niveau else ""
                lignes.append(f'<li><a href="{escape(_lien(d.iri))}">{escape(d.libelle)}</a>{badge}</li>')
            lignes.append("</ul>")
    lignes.append(
        "<h2>Données liées</h2>"
        f"<p>IRI : <code>{escape(fiche.iri)}</code><br>Types : "
        + ", ".join(escape(_court(t)) for t in fiche.types)
        + "</p></main>"
    )
    lignes.append(
        f"<footer><p>Instantané {escape(identifiant_instantane or '?')} — "
        '<a href="/">Boussole</a> · <a href="/sparql">SPARQL</a> · <a href="/docs">API</a></p></footer>'
    )
    lignes.append("</body></html>")
    return "\n".join(lignes)
