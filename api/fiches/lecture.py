"""La lecture d'une fiche d'entité dans le graphe : ses faits groupés par source, son identité, ses preuves.

Pourquoi une fiche par IRI : toute IRI ``https://w3id.org/boussole/id/…`` doit pouvoir être ouverte (données
liées) ; une personne lit la page HTML, une machine le JSON-LD ou le Turtle. Chaque fait reste dans le graphe
nommé de sa source : la page l'affiche sous le titre et la date de cette source, le JSON-LD garde les graphes.
"""

from __future__ import annotations

import pyoxigraph as ox

from api.fiches.modeles import Adresse, Designation, Fait, Fiche, SourceFiche
from ontologie import espaces

#: Les prédicats par lesquels une preuve, une appartenance ou une liste désigne un site.
LIENS_ENTRANTS = (
    "bo:etablissement",
    "org:member",
    "bo:organisateur",
    "bo:sitePartenaire",
    "bo:titulaire",
)


Terme = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph


def _q(store: ox.Store, corps: str) -> ox.QuerySolutions:
    solutions = store.query(espaces.entete_sparql() + corps, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _v(terme: Terme | None) -> str | None:
    return None if terme is None else _valeur(terme)


def _valeur(terme: Terme) -> str:
    """La valeur d'un terme (IRI, littéral, nœud anonyme) ; un triplet cité ou le graphe par défaut n'en ont pas."""
    return "" if isinstance(terme, ox.Triple | ox.DefaultGraph) else terme.value


def _meta(store: ox.Store) -> dict[str, tuple[str, str]]:
    """Graphe nommé → (titre, date des données) de chaque source décrite dans ``src:meta``."""
    return {
        _valeur(r["g"]): (_valeur(r["t"]), _v(r["d"]) or "")
        for r in _q(
            store, "SELECT ?g ?t ?d WHERE { GRAPH src:meta { ?g dct:title ?t OPTIONAL { ?g bo:dateDonnees ?d } } }"
        )
    }


def _types_de_l_ontologie(store: ox.Store, iri: str, sujet: ox.NamedNode) -> list[ox.Quad]:
    """Les classes que l'ontologie entraîne pour l'entité (``rdfs:subClassOf``) : un site ``bo:Etablissement``
    est aussi ``schema:MedicalOrganization``, ce qu'un consommateur de schema.org sait lire. Rangées sous le
    graphe de l'ontologie, qui les fonde."""
    graphe = ox.NamedNode(str(espaces.GRAPHE_ONTOLOGIE))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    return [
        ox.Quad(sujet, rdf_type, r["sup"], graphe)
        for r in _q(
            store,
            f"SELECT DISTINCT ?sup WHERE {{ <{iri}> a ?t . ?t rdfs:subClassOf+ ?sup . FILTER(isIRI(?sup)) "
            f"FILTER NOT EXISTS {{ <{iri}> a ?sup }} }}",
        )
        if isinstance(r["sup"], ox.NamedNode)
    ]


def lire(store: ox.Store, iri: str) -> Fiche | None:
    """La fiche de ``iri``, ou None si le graphe ne dit rien de ce sujet (ou si ``iri`` n'est pas une IRI).

    L'IRI est validée par Oxigraph avant d'entrer dans le texte des requêtes : ni espace, ni ``>``, ni caractère
    de contrôle ne peuvent y passer (pas d'injection SPARQL).

    :param store: le store de l'instantané servi.
    :param iri: l'IRI de l'entité.
    :returns: la fiche, ses sources dans l'ordre de leur titre.
    """
    try:
        sujet = ox.NamedNode(iri)
    except ValueError:
        return None
    quads = list(store.quads_for_pattern(sujet, None, None, None))
    if not quads:
        return None
    meta = _meta(store)
    sources: dict[str, SourceFiche] = {}

    def source(g: str) -> SourceFiche:
        if g not in sources:
            titre, date = meta.get(g, (g.rsplit("/", 1)[-1], ""))
            sources[g] = SourceFiche(iri=g, titre=titre, date=date)
        return sources[g]

    # libellés des objets (nom, libellé SKOS, rdfs:label)
    libelles = {
        _valeur(r["o"]): _valeur(r["l"])
        for r in _q(
            store,
            f"SELECT ?o (SAMPLE(?x) AS ?l) WHERE {{ <{iri}> ?p ?o . FILTER(isIRI(?o)) "
            "?o schema:name|skos:prefLabel|rdfs:label ?x } GROUP BY ?o",
        )
    }
    for q in quads:
        libelle = libelles.get(q.object.value) if isinstance(q.object, ox.NamedNode) else None
        fait = Fait(predicat=q.predicate.value, objet=q.object, libelle_objet=libelle)
        source(_valeur(q.graph_name)).faits.append(fait)
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
        preuve = _valeur(r["preuve"])
        source(_valeur(r["g"])).designations.append(
            Designation(iri=preuve, libelle=_v(r["label"]) or preuve, niveau=_v(r["niveau"]))
        )
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
    quads += _types_de_l_ontologie(store, iri, sujet)
    r = next(iter(ident), None)
    fiche = Fiche(
        iri=iri,
        nom=iri.rsplit("/", 1)[-1],
        types=sorted({_valeur(q.object) for q in quads if q.subject == sujet and q.predicate.value.endswith("#type")}),
        # les sources dans l'ordre de leur titre, pour une page stable
        sources=sorted(sources.values(), key=lambda s: s.titre),
        adresse=Adresse(),
        quads=quads,
    )
    if r is not None:
        fiche.nom = _v(r["nom"]) or fiche.nom
        fiche.adresse = Adresse(rue=_v(r["rue"]), code_postal=_v(r["cp"]), ville=_v(r["ville"]))
        fiche.commune, fiche.latitude, fiche.longitude = _v(r["com"]), _v(r["lat"]), _v(r["lon"])
        fiche.precision = _v(r["prec"])
    return fiche
