"""/ontologie : le document qui définit chaque terme ``bo:…`` (``https://w3id.org/boussole/ontologie#Terme``).

Pourquoi un document et pas une fiche par terme : les termes de l'ontologie sont des IRI à dièse ; un client qui
les déréférence demande ``/ontologie`` (le fragment ne part jamais au serveur) et y trouve le terme. La page HTML
a une section par terme, d'identifiant son nom local (``/ontologie#Etablissement`` y mène) ; JSON-LD et Turtle
rendent les triplets de l'ontologie dont le sujet est un terme ``bo:``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import pyoxigraph as ox

from api.fiches.modeles import Adresse, Fiche
from ontologie import espaces

IRI_ONTOLOGIE = str(espaces.BO).rstrip("#")


@dataclass
class TermeVocabulaire:
    """Un terme de l'ontologie : ses types (classe, propriété), libellé, définition et relations."""

    nom: str
    iri: str
    types: list[str] = field(default_factory=list)
    libelle: str = ""
    definition: str = ""
    relations: list[tuple[str, str]] = field(default_factory=list)  # (relation, IRI)


#: Les relations d'un terme montrées sur la page, dans cet ordre.
RELATIONS = {
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": "sous-classe de",
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf": "sous-propriété de",
    "http://www.w3.org/2000/01/rdf-schema#domain": "domaine",
    "http://www.w3.org/2000/01/rdf-schema#range": "valeurs",
}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def lire(store: ox.Store) -> tuple[Fiche, list[TermeVocabulaire]]:
    """La fiche du document (ses quads : tout ce que l'ontologie dit de ses termes) et ses termes, par nom."""
    graphe = ox.NamedNode(str(espaces.GRAPHE_ONTOLOGIE))
    base = str(espaces.BO)
    quads = [
        q
        for q in store.quads_for_pattern(None, None, None, graphe)
        if isinstance(q.subject, ox.NamedNode)
        and (q.subject.value.startswith(base) or q.subject.value == IRI_ONTOLOGIE)
    ]
    termes: dict[str, TermeVocabulaire] = {}
    for q in quads:
        iri = q.subject.value if isinstance(q.subject, ox.NamedNode) else IRI_ONTOLOGIE
        if iri == IRI_ONTOLOGIE:
            continue
        t = termes.setdefault(iri, TermeVocabulaire(iri[len(base) :], iri))
        p, o = q.predicate.value, q.object
        if p == RDF_TYPE and isinstance(o, ox.NamedNode):
            t.types.append(o.value)
        elif p == LABEL and isinstance(o, ox.Literal) and (not t.libelle or o.language == "fr"):
            t.libelle = o.value
        elif p == COMMENT and isinstance(o, ox.Literal) and (not t.definition or o.language == "fr"):
            t.definition = o.value
        elif p in RELATIONS and isinstance(o, ox.NamedNode):
            t.relations.append((p, o.value))
    fiche = Fiche(iri=IRI_ONTOLOGIE, nom="Ontologie de Boussole", types=[], sources=[], adresse=Adresse(), quads=quads)
    return fiche, sorted(termes.values(), key=lambda t: t.nom.lower())


def _lien(iri: str) -> str:
    from api.fiches.rendu import lien_local

    return lien_local(iri)


def en_html(termes: list[TermeVocabulaire], identifiant_instantane: str | None) -> str:
    """La page des termes : une section par terme, ancrée sur son nom local."""
    from api.fiches.rendu import court

    lignes = [
        '<!doctype html><html lang="fr"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Ontologie de Boussole</title>",
        '<link rel="alternate" type="text/turtle" href="?format=turtle">',
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/statique/fiche.css"></head><body>',
        '<nav aria-label="Liens du service"><p><a href="/">Boussole : où adresser un patient ?</a></p></nav>',
        '<main id="contenu"><h1>Ontologie de Boussole</h1>',
        f"<p>{len(termes)} termes (<code>bo:</code> = <code>{escape(str(espaces.BO))}</code>). Aussi en "
        '<a href="?format=turtle">Turtle</a> et en <a href="?format=jsonld">JSON-LD</a> ; le contrat du graphe '
        "est décrit dans <code>ontologie/MODELE.md</code>.</p>",
    ]
    for t in termes:
        genre = ", ".join(court(x) for x in t.types) or "terme"
        titre = f"{escape(t.libelle or t.nom)} <small>bo:{escape(t.nom)} ({escape(genre)})</small>"
        lignes.append(f'<section id="{escape(t.nom)}"><h2>{titre}</h2>')
        if t.definition:
            lignes.append(f"<p>{escape(t.definition)}</p>")
        if t.relations:
            lignes.append("<ul>")
            for relation, cible in t.relations:
                lien = f'<a href="{escape(_lien(cible))}">{escape(court(cible))}</a>'
                lignes.append(f"<li>{escape(RELATIONS[relation])} : {lien}</li>")
            lignes.append("</ul>")
        lignes.append("</section>")
    instantane = f" · instantané {escape(identifiant_instantane)}" if identifiant_instantane else ""
    lignes.append(f"</main><footer><p><a href=\"/\">Boussole</a>{instantane}</p></footer></body></html>")
    return "\n".join(lignes)
