"""Espaces de noms et fabrication des IRI.

Un seul endroit décide de la forme des IRI, pour qu'elles restent stables d'un instantané à l'autre :
une page, un lien partenaire ou une requête SPARQL enregistrée doit encore marcher après une reconstruction.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

#: Base de toutes les IRI de Boussole (l'API les sert sous le même chemin : /id/...).
BASE = "https://w3id.org/boussole/"
#: Vocabulaire (classes et propriétés).
BO = Namespace(BASE + "ontologie#")
#: Entités du graphe (établissements, autorisations, communes...).
ID = Namespace(BASE + "id/")
#: Graphes nommés : un par source.
SRC = Namespace(BASE + "source/")
#: Concepts SKOS des thésaurus : concept/<schema>/<code>.
CONCEPT = Namespace(BASE + "concept/")

SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Préfixe → espace de noms ; les vocabulaires de rdflib (RDF, OWL…) sont des ``DefinedNamespace``.
PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "bo": BO,
    "id": ID,
    "src": SRC,
    "concept": CONCEPT,
    "schema": SCHEMA,
    "geo": GEO,
    "org": ORG,
    "skos": SKOS,
    "prov": PROV,
    "dcat": DCAT,
    "dct": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
}


def entete_sparql() -> str:
    """Les PREFIX de toutes les requêtes internes et des exemples pour les analystes."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def fragment(texte: str) -> str:
    """Transforme un libre texte (nom, sigle) en segment d'IRI stable : minuscules, sans accents, tirets."""
    sans_accent = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", sans_accent.lower()).strip("-") or "x"


def etablissement(finess: str) -> URIRef:
    """Établissement géographique (FINESS ET) : un site avec une adresse."""
    return ID[f"etablissement/{finess}"]


def entite_juridique(finess: str) -> URIRef:
    """Entité juridique (FINESS EJ) : titulaire des autorisations."""
    return ID[f"entite-juridique/{finess}"]


def commune(code_insee: str) -> URIRef:
    return ID[f"commune/{code_insee}"]


def departement(code: str) -> URIRef:
    return ID[f"departement/{code}"]


def region(code: str) -> URIRef:
    return ID[f"region/{code}"]


def concept(schema: str, code: str) -> URIRef:
    """Concept SKOS ``code`` du thésaurus ``schema`` (ex. concept('besoin', 'radiotherapie'))."""
    return CONCEPT[f"{schema}/{fragment(code) if not re.fullmatch(r'[A-Za-z0-9_]+', code) else code}"]


def schema_concepts(schema: str) -> URIRef:
    """Le skos:ConceptScheme qui regroupe les concepts ``schema``."""
    return CONCEPT[schema]


def preuve(genre: str, *parties: str) -> URIRef:
    """Nœud d'un fait daté et sourcé (autorisation, activité déclarée, équipement, appartenance...).

    ``genre`` : 'autorisation', 'activite-declaree', 'equipement-declare', 'appartenance'...
    ``parties`` : ce qui rend le fait unique (FINESS, code, année).
    """
    return ID[genre + "/" + "/".join(fragment(p) if not re.fullmatch(r"[A-Za-z0-9_.-]+", p) else p for p in parties)]


def organisation(genre: str, nom: str) -> URIRef:
    """Organisation citée par une liste (réseau, RCP, UCOG, OIR, DSRC, structure sans FINESS)."""
    return ID[f"{genre}/{fragment(nom)}"]


def distance(besoin: str, code_insee: str) -> URIRef:
    """Distance précalculée d'une commune au site le plus proche qui a une preuve du besoin (graphe src:distances)."""
    return ID[f"distance/{besoin}/{code_insee}"]


def source(nom: str) -> URIRef:
    """IRI du graphe nommé (et du dcat:Dataset qui le décrit) d'une source."""
    return SRC[fragment(nom)]


#: Graphe nommé qui décrit les sources (DCAT / PROV-O) et la construction elle-même.
GRAPHE_META = SRC["meta"]
#: Graphe nommé de l'ontologie et des thésaurus.
GRAPHE_ONTOLOGIE = SRC["ontologie"]
