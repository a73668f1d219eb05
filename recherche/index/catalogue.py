"""Le catalogue : une vue compacte, en mémoire, des entités que la recherche peut rendre, tirée du graphe.

Pourquoi une vue : répondre en quelques millisecondes interdit de lancer des requêtes SPARQL à chaque question.
On extrait une fois par instantané, avec SPARQL, chaque site (ou organisation sans FINESS) avec son point et
ses preuves (besoin, niveau, libellé, source, date), et on garde ce tableau à côté des index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pyoxigraph as ox

from graphe.texte import cle_ville
from ontologie.espaces import entete_sparql


@dataclass(frozen=True)
class Preuve:
    """Un fait qui fonde une réponse, avec sa source et sa date."""

    besoin: str
    niveau: str  # une clé de ontologie.besoins.NIVEAUX_PREUVE
    libelle: str
    source: str  # titre de la source
    source_iri: str
    date: str
    localisations: tuple[str, ...] = ()
    reseau: str | None = None  # sigle du réseau, pour une appartenance
    role: str | None = None
    inactive: bool = False


@dataclass
class Entite:
    """Un site FINESS, une organisation sans FINESS citée par une liste curée, ou une RCP de recours.

    ``nature`` : ``site``, ``organisation`` ou ``rcp``. Pourquoi une RCP est une entité à part entière : à
    « à quelle RCP présenter ce dossier ? », la réponse est la réunion (son périmètre, son rythme, qui
    l'organise), pas seulement l'établissement qui l'accueille ; elle est placée au site de son organisateur.
    """

    iri: str
    nom: str
    nature: str = "site"
    finess: str | None = None
    finess_ej: str | None = None
    categorie: str | None = None
    commune_code: str | None = None
    commune: str | None = None
    departement: str | None = None
    region: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    precision_geo: str | None = None
    #: (titre, date) des sources de l'identité et du point : chaque raison affichée cite sa source
    source_identite: tuple[str, str] | None = None
    source_point: tuple[str, str] | None = None
    preuves: list[Preuve] = field(default_factory=list)

    def besoins(self) -> set[str]:
        """Les besoins dont l'entité a une preuve active."""
        return {p.besoin for p in self.preuves if not p.inactive}


COMMUNES = """
SELECT ?c ?nom ?lat ?lon ?pop WHERE {
  ?c a bo:Commune ; schema:name ?nom ; schema:latitude ?lat ; schema:longitude ?lon .
  OPTIONAL { ?c bo:population ?pop }
}"""


def _val(terme: ox.Literal | ox.NamedNode | ox.BlankNode | None) -> str | None:
    return None if terme is None else terme.value


SITES = """
SELECT ?e ?finess ?nom ?ej ?cat ?com ?comnom ?dep ?reg ?lat ?lon ?prec ?gid ?gidt ?gidd ?gpt ?gptt ?gptd WHERE {
  GRAPH ?gid { ?e a bo:Etablissement ; bo:finess ?finess ; schema:name ?nom . }
  OPTIONAL { GRAPH src:meta { ?gid dct:title ?gidt ; bo:dateDonnees ?gidd } }
  OPTIONAL { ?e bo:entiteJuridique/bo:finess ?ej }
  OPTIONAL { ?e bo:categorie/skos:prefLabel ?cat }
  OPTIONAL { ?e bo:commune ?com . OPTIONAL { ?com schema:name ?comnom }
             OPTIONAL { ?com bo:departement/bo:code ?dep } OPTIONAL { ?com bo:region/bo:code ?reg } }
  OPTIONAL { GRAPH ?gpt { ?e schema:latitude ?lat ; schema:longitude ?lon }
             OPTIONAL { GRAPH src:meta { ?gpt dct:title ?gptt ; bo:dateDonnees ?gptd } } }
  OPTIONAL { ?e bo:precisionGeo ?prec }
}"""

RCPS = """
SELECT ?r ?nom ?perimetre ?rythme ?contact ?g ?titre ?date
       (GROUP_CONCAT(DISTINCT ?loc; separator=" ") AS ?locs)
       (GROUP_CONCAT(DISTINCT ?sigle; separator=" ") AS ?sigles)
       (GROUP_CONCAT(DISTINCT ?oir; separator=" ") AS ?oirs)
       (GROUP_CONCAT(DISTINCT STR(?o); separator=" ") AS ?organisateurs) WHERE {
  GRAPH ?g { ?r a bo:RCPRecours ; schema:name ?nom . }
  OPTIONAL { ?r bo:perimetre ?perimetre } OPTIONAL { ?r bo:rythme ?rythme } OPTIONAL { ?r bo:contact ?contact }
  OPTIONAL { ?r bo:localisation ?l . BIND(STRAFTER(STR(?l), "/localisation/") AS ?loc) }
  OPTIONAL { ?r bo:organisateur ?reseau . ?reseau a bo:ReseauCancersRares ; bo:sigle ?sigle }
  OPTIONAL { ?r bo:organisateur ?oirn . ?oirn a bo:OIRPediatrie ; bo:sigle ?oir }
  OPTIONAL { ?r bo:organisateur ?o . FILTER NOT EXISTS { ?o a bo:ReseauCancersRares }
             FILTER NOT EXISTS { ?o a bo:OIRPediatrie } }
  OPTIONAL { GRAPH src:meta { ?g dct:title ?titre ; bo:dateDonnees ?date } }
} GROUP BY ?r ?nom ?perimetre ?rythme ?contact ?g ?titre ?date"""

SIGLES_RESEAUX = "SELECT DISTINCT ?sigle WHERE { ?r a bo:ReseauCancersRares ; bo:sigle ?sigle }"

ORGANISATIONS = """
SELECT ?e ?nom ?ville WHERE {
  ?e a bo:OrganisationSansFiness ; schema:name ?nom .
  OPTIONAL { ?e bo:ville ?ville }
}"""

PREUVES = """
SELECT ?e ?besoin ?niveau ?libelle ?g ?titre ?date ?etat ?sigle ?role
       (GROUP_CONCAT(DISTINCT ?loc; separator=" ") AS ?locs) WHERE {
  GRAPH ?g {
    ?p bo:besoin ?b ; bo:niveauPreuve ?niveau ; rdfs:label ?libelle .
    { ?p bo:etablissement ?e } UNION { ?p org:member ?e }
  }
  BIND(STRAFTER(STR(?b), "/besoin/") AS ?besoin)
  OPTIONAL { ?p bo:etat ?etatp }
  # une déclaration contredite par l'édition plus récente de l'enquête n'est plus une preuve (MODELE.md)
  BIND(IF(EXISTS { ?p bo:contreditePar ?recente }, "inactive", ?etatp) AS ?etat)
  OPTIONAL { ?p bo:roleTexte ?role }
  OPTIONAL { ?p org:organization ?res . OPTIONAL { ?res bo:sigle ?sigle }
             OPTIONAL { ?res bo:localisation ?locres } }
  OPTIONAL { ?p bo:localisation ?locp }
  BIND(COALESCE(?locp, ?locres) AS ?locx)
  BIND(STRAFTER(STR(?locx), "/localisation/") AS ?loc)
  OPTIONAL { GRAPH src:meta { ?g dct:title ?titre ; bo:dateDonnees ?date } }
} GROUP BY ?e ?besoin ?niveau ?libelle ?g ?titre ?date ?etat ?sigle ?role"""


def _requete(store: ox.Store, texte: str) -> ox.QuerySolutions:
    solutions = store.query(entete_sparql() + texte, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)  # un SELECT rend des solutions
    return solutions


def extraire(store: ox.Store, points_villes: dict[str, tuple[str, float, float]] | None = None) -> list[Entite]:
    """Lit les entités du graphe. ``points_villes`` (nom normalisé → (code, lat, lon)) place les organisations
    sans FINESS au point de leur ville quand on le connaît."""
    entites: dict[str, Entite] = {}
    for s in _requete(store, SITES):
        iri = s["e"].value
        lat, lon = _val(s["lat"]), _val(s["lon"])
        entites[iri] = Entite(
            iri=iri,
            nom=s["nom"].value,
            finess=s["finess"].value,
            finess_ej=_val(s["ej"]),
            categorie=_val(s["cat"]),
            commune_code=(_val(s["com"]) or "").rsplit("/", 1)[-1] or None,
            commune=_val(s["comnom"]),
            departement=_val(s["dep"]),
            region=_val(s["reg"]),
            latitude=float(lat) if lat else None,
            longitude=float(lon) if lon else None,
            precision_geo=_val(s["prec"]),
            source_identite=(_val(s["gidt"]) or s["gid"].value, _val(s["gidd"]) or ""),
            source_point=(_val(s["gptt"]) or _val(s["gpt"]) or "", _val(s["gptd"]) or "") if lat else None,
        )
    for s in _requete(store, ORGANISATIONS):
        ville = _val(s["ville"])
        point = (points_villes or {}).get(cle_ville(ville)) if ville else None
        entites[s["e"].value] = Entite(
            iri=s["e"].value,
            nom=s["nom"].value,
            nature="organisation",
            commune=ville,
            commune_code=point[0] if point else None,
            latitude=point[1] if point else None,
            longitude=point[2] if point else None,
            precision_geo="commune" if point else None,
        )
    for s in _requete(store, PREUVES):
        entite = entites.get(s["e"].value)
        if entite is None:
            continue
        locs = tuple(x for x in (_val(s["locs"]) or "").split() if x)
        entite.preuves.append(
            Preuve(
                besoin=s["besoin"].value,
                niveau=s["niveau"].value,
                libelle=s["libelle"].value,
                source=_val(s["titre"]) or s["g"].value,
                source_iri=s["g"].value,
                date=_val(s["date"]) or "",
                localisations=locs,
                reseau=_val(s["sigle"]),
                role=_val(s["role"]),
                inactive=_val(s["etat"]) == "inactive",
            )
        )
    sigles = sorted({r["sigle"].value for r in _requete(store, SIGLES_RESEAUX)}, key=len, reverse=True)
    for s in _requete(store, RCPS):
        rcp = _rcp(s, entites, sigles)
        entites[rcp.iri] = rcp
    return sorted(entites.values(), key=lambda e: e.iri)


def _rcp(s: ox.QuerySolution, entites: dict[str, Entite], sigles: list[str]) -> Entite:
    """Une RCP de recours : au point de son premier organisateur situé, avec les preuves de ce qu'elle relit.

    Son réseau : l'organisateur quand c'est un réseau (ou une OIR pédiatrique), sinon le sigle d'un réseau cité
    dans son intitulé (« RCP RYTHMIC (Institut Curie / Gustave-Roussy) »). Une RCP d'un réseau de cancers rares
    vaut aussi preuve « cancer rare » (c'est la voie de recours du réseau), une RCP d'OIR « oncopédiatrie ».
    """
    nom = s["nom"].value
    organisateurs = [entites[iri] for iri in (_val(s["organisateurs"]) or "").split() if iri in entites]
    situe = next((o for o in organisateurs if o.latitude is not None), None)
    reseaux = (_val(s["sigles"]) or "").split() or [x for x in sigles if re.search(rf"\b{re.escape(x)}\b", nom, re.I)]
    oirs = (_val(s["oirs"]) or "").split()
    reseau = next(iter(reseaux or oirs), None)
    details = [f"RCP de recours « {nom} »"]
    details += [x for x in (_val(s["perimetre"]), _val(s["rythme"])) if x]
    if organisateurs:
        details.append("organisée par " + ", ".join(o.nom for o in organisateurs))
    elif reseaux:
        details.append(f"organisée par le réseau {reseau}")
    elif oirs:
        details.append(f"organisée par l'organisation interrégionale d'oncologie pédiatrique {reseau}")
    contact = _val(s["contact"])
    if contact:
        details.append(f"inscription : {contact}")
    source, date, locs = _val(s["titre"]) or s["g"].value, _val(s["date"]) or "", tuple((_val(s["locs"]) or "").split())

    def preuve(besoin: str) -> Preuve:
        return Preuve(besoin, "liste_curee", " ; ".join(details), source, s["g"].value, date, locs, reseau)

    besoins = ["rcp_recours"] + (["cancer_rare"] if reseaux else []) + (["oncopediatrie"] if oirs else [])
    return Entite(
        iri=s["r"].value,
        nom=nom,
        nature="rcp",
        categorie="RCP de recours",
        commune_code=situe.commune_code if situe else None,
        commune=situe.commune if situe else None,
        departement=situe.departement if situe else None,
        region=situe.region if situe else None,
        latitude=situe.latitude if situe else None,
        longitude=situe.longitude if situe else None,
        precision_geo=situe.precision_geo if situe else None,
        source_identite=(source, date),
        source_point=situe.source_point if situe else None,
        preuves=[preuve(b) for b in besoins],
    )


def points_villes(store: ox.Store) -> dict[str, tuple[str, float, float]]:
    """Nom de commune normalisé → (code, lat, lon) de la plus peuplée : pour placer les organisations sans FINESS."""
    meilleurs: dict[str, tuple[int, str, float, float]] = {}
    for s in _requete(store, COMMUNES):
        cle = cle_ville(s["nom"].value)
        pop = int(s["pop"].value) if s["pop"] is not None else 0
        if cle not in meilleurs or pop > meilleurs[cle][0]:
            code = s["c"].value.rsplit("/", 1)[-1]
            meilleurs[cle] = (pop, code, float(s["lat"].value), float(s["lon"].value))
    return {k: v[1:] for k, v in meilleurs.items()}


def points_radians(entites: list[Entite]) -> np.ndarray:
    """Tableau (n, 2) des points en radians ; NaN pour une entité sans point."""
    return np.radians(np.array([(e.latitude or np.nan, e.longitude or np.nan) for e in entites], dtype=np.float64))


def dsrc_par_region(store: ox.Store) -> dict[str, tuple[str, str | None]]:
    """Code de région → (nom, site web) de son dispositif spécifique régional du cancer (DSRC).

    Pourquoi : quand une réponse ne s'appuie que sur des listes partielles, le réseau régional est l'interlocuteur
    qui tient l'annuaire à jour ; la réponse le nomme plutôt que de laisser croire à l'exhaustivité.
    """
    lignes = _requete(
        store,
        "SELECT ?reg (SAMPLE(?n) AS ?nom) (SAMPLE(?u) AS ?url) WHERE { ?d a bo:DSRC ; schema:name ?n ; "
        "bo:region/bo:code ?reg . OPTIONAL { ?d schema:url ?u } } GROUP BY ?reg",
    )
    return {r["reg"].value: (r["nom"].value, _val(r["url"])) for r in lignes}
