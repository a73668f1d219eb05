"""Requêtes d'exemple pour les analystes, servies par ``GET /sparql`` (page) et ``GET /sparql/exemples``.

Pourquoi des données et pas du texte dans une page : les tests les exécutent toutes sur un petit graphe au
modèle de ``ontologie/MODELE.md`` ; un exemple cassé par une évolution du modèle fait échouer la suite au lieu
d'égarer un analyste.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ontologie import espaces

#: Un établissement d'exemple (FINESS géographique) repris par MODELE.md.
SITE_EXEMPLE = str(espaces.etablissement("560018038"))


@dataclass(frozen=True)
class Exemple:
    identifiant: str
    titre: str
    description: str
    corps: str  # la requête sans ses PREFIX

    @property
    def requete(self) -> str:
        """La requête complète : seulement les PREFIX qu'elle utilise, pour rester lisible et copiable."""
        entete = "".join(
            ligne
            for ligne in espaces.entete_sparql().splitlines(keepends=True)
            if re.search(rf"(?<![\w]){re.escape(ligne.split()[1])}", self.corps)
        )
        return entete + "\n" + self.corps


EXEMPLES: tuple[Exemple, ...] = (
    Exemple(
        "modalites-par-region",
        "Sites autorisés par modalité et par région",
        "Nombre d'établissements géographiques titulaires d'au moins une autorisation active, par région "
        "et par modalité de traitement du cancer.",
        """SELECT ?region ?modalite (COUNT(DISTINCT ?site) AS ?sites) WHERE {
  ?autorisation a bo:Autorisation ;
                bo:etat "active" ;
                bo:modalite ?concept ;
                bo:etablissement ?site .
  ?concept skos:prefLabel ?modalite .
  ?site bo:commune/bo:region/schema:name ?region .
}
GROUP BY ?region ?modalite
ORDER BY ?region DESC(?sites)
""",
    ),
    Exemple(
        "sites-proches",
        "Établissements proches d'un point",
        "Établissements à moins d'environ 20 km de Lyon (45,764 N ; 4,836 E), du plus proche au plus loin. "
        "Distance approchée sur un plan local (1° de latitude ≈ 111,2 km, longitude × cos 45,76° ≈ 0,698) ; "
        "?distance2 est le carré de la distance en km² (SPARQL 1.1 n'a pas de racine carrée).",
        """SELECT ?site ?nom ?precision ?distance2 WHERE {
  ?site a bo:Etablissement ;
        schema:name ?nom ;
        geo:hasGeometry ?point .
  ?point schema:latitude ?lat ;
         schema:longitude ?lon .
  OPTIONAL { ?point bo:precisionGeo ?precision }
  FILTER(?lat > 45.58 && ?lat < 45.95 && ?lon > 4.57 && ?lon < 5.10)
  BIND((?lat - 45.764) * 111.2 AS ?dy)
  BIND((?lon - 4.836) * 111.2 * 0.698 AS ?dx)
  BIND(?dx * ?dx + ?dy * ?dy AS ?distance2)
  FILTER(?distance2 < 400)
}
ORDER BY ?distance2
LIMIT 50
""",
    ),
    Exemple(
        "faits-d-un-site",
        "Tous les faits d'un site, avec leur source et sa date",
        "Ce que chaque source dit d'un établissement : ses propriétés et les preuves qui le désignent "
        "(autorisations, activités déclarées, équipements, appartenances), avec le graphe nommé de la source "
        "et la date de ses données.",
        f"""SELECT ?sujet ?propriete ?valeur ?source ?date WHERE {{
  {{
    GRAPH ?source {{ <{SITE_EXEMPLE}> ?propriete ?valeur }}
    BIND(<{SITE_EXEMPLE}> AS ?sujet)
  }} UNION {{
    GRAPH ?source {{ ?sujet bo:etablissement <{SITE_EXEMPLE}> ; ?propriete ?valeur }}
  }}
  OPTIONAL {{ GRAPH src:meta {{ ?source bo:dateDonnees ?date }} }}
}}
ORDER BY ?source ?sujet ?propriete
""",
    ),
    Exemple(
        "sources-et-dates",
        "Sources et dates de leurs données",
        "Chaque source embarquée (un graphe nommé par source) : titre, éditeur, date des données, date de "
        "construction et lignes gardées.",
        """SELECT ?source ?titre ?editeur ?date_donnees ?construit ?lignes WHERE {
  GRAPH src:meta {
    ?source a dcat:Dataset ;
            dct:title ?titre .
    OPTIONAL { ?source dct:publisher ?editeur }
    OPTIONAL { ?source bo:dateDonnees ?date_donnees }
    OPTIONAL { ?source prov:generatedAtTime ?construit }
    OPTIONAL { ?source bo:lignesGardees ?lignes }
  }
}
ORDER BY ?source
""",
    ),
    Exemple(
        "preuves-par-niveau",
        "Preuves par besoin et niveau de preuve",
        "Combien de faits fondent chaque besoin de soin, selon leur force : autorisation, activité déclarée "
        "ou liste curée.",
        """SELECT ?besoin ?niveau (COUNT(?preuve) AS ?preuves) WHERE {
  ?preuve bo:besoin ?concept ;
          bo:niveauPreuve ?niveau .
  ?concept skos:prefLabel ?besoin .
}
GROUP BY ?besoin ?niveau
ORDER BY ?besoin ?niveau
""",
    ),
    Exemple(
        "fiche-rdf",
        "Fiche d'un établissement en RDF (CONSTRUCT)",
        "Le graphe d'un établissement et de son adresse, à télécharger en Turtle, N-Triples ou JSON-LD.",
        f"""CONSTRUCT {{
  <{SITE_EXEMPLE}> ?p ?o .
  ?adresse ?pa ?oa .
}} WHERE {{
  <{SITE_EXEMPLE}> ?p ?o .
  OPTIONAL {{ <{SITE_EXEMPLE}> schema:address ?adresse . ?adresse ?pa ?oa }}
}}
""",
    ),
)


def par_identifiant(identifiant: str) -> Exemple | None:
    return next((e for e in EXEMPLES if e.identifiant == identifiant), None)
