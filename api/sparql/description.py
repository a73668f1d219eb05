"""La description du service (SPARQL 1.1 Service Description) : GET /sparql sans requête, avec un Accept RDF.

Pourquoi : un client générique (éditeur de requêtes, moissonneur, catalogue) découvre ce qu'un point d'accès sait
faire en lisant cette description plutôt qu'en devinant : langage, formats de résultats, graphe par défaut (ici
l'union des graphes nommés) et liste des graphes nommés de l'instantané servi. Un navigateur, lui, continue de
recevoir la page d'exemples (HTML) : c'est Accept qui tranche.

Les graphes nommés sont lus une fois par instantané, par un travailleur (comme toute requête), puis gardés.
"""

from __future__ import annotations

import json
import threading

import pyoxigraph as ox

from api.service import negociation
from api.service.negociation import Offre
from api.sparql import formats, serialisation
from api.sparql.execution import ReserveSparql
from api.sparql.travailleur import Tache

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS_W3C = "http://www.w3.org/ns/formats/"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
ENTAILMENT_SIMPLE = "http://www.w3.org/ns/entailment/Simple"

#: Le nom W3C (http://www.w3.org/ns/formats/) de chaque format rendu, dans l'ordre de formats.py.
NOMS_W3C = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
}
#: La page HTML d'abord (un navigateur envoie */*), puis les formats de graphe qui portent la description.
OFFRES = (Offre("html", "text/html"), *formats.OFFRES[True])
REQUETE_GRAPHES = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"

_graphes: dict[str, list[str]] = {}  # identifiant d'instantané -> graphes nommés
_verrou = threading.Lock()


def format_demande(accept: str | None) -> formats.Format | None:
    """Le format RDF de la description si Accept le préfère à HTML ; None : la page d'exemples."""
    offre = negociation.choisir(accept, OFFRES)
    if offre is None or offre.nom == "html":
        return None
    return next(f for f in formats.FORMATS_GRAPHE if f.nom == offre.nom)


def graphes_nommes(reserve: ReserveSparql, identifiant: str, lignes_max: int) -> list[str]:
    """Les graphes nommés de l'instantané ``identifiant`` (lus une fois, par un travailleur)."""
    with _verrou:
        connus = _graphes.get(identifiant)
    if connus is not None:
        return connus
    resultat = reserve.executer(Tache(texte=REQUETE_GRAPHES, format="json", lignes_max=lignes_max))
    liaisons = json.loads(resultat.lire())["results"]["bindings"]
    graphes = [l["g"]["value"] for l in liaisons if "g" in l]  # noqa: E741
    with _verrou:
        _graphes.clear()  # un seul instantané servi à la fois : l'ancien ne sert plus
        _graphes[identifiant] = graphes
    return graphes


def triplets(point: str, graphes: list[str], lignes_max: int, delai_s: float) -> list[ox.Triple]:
    """La description du point d'accès ``point`` (son adresse absolue) et de son jeu de données."""
    service = ox.NamedNode(point)
    sortie: list[ox.Triple] = []

    def ajouter(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> None:
        sortie.append(ox.Triple(s, RDF_TYPE if p == "a" else ox.NamedNode(p), o))

    ajouter(service, "a", ox.NamedNode(SD + "Service"))
    ajouter(service, SD + "endpoint", service)
    ajouter(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query"))
    for nom in (*(f.nom for f in formats.FORMATS_RESULTATS), *(f.nom for f in formats.FORMATS_GRAPHE)):
        ajouter(service, SD + "resultFormat", ox.NamedNode(FORMATS_W3C + NOMS_W3C[nom]))
    # Sans FROM, le graphe par défaut est l'union des graphes nommés (voir travailleur.py).
    ajouter(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph"))
    ajouter(service, SD + "defaultEntailmentRegime", ox.NamedNode(ENTAILMENT_SIMPLE))
    ajouter(service, DCT + "title", ox.Literal("Boussole : point d'accès SPARQL public", language="fr"))
    ajouter(
        service,
        DCT + "description",
        ox.Literal(
            f"Lecture seule, sans SERVICE. Bornes : {delai_s:g} s par requête, {lignes_max} lignes par réponse ; "
            "quotas par client (voir la page d'exemples).",
            language="fr",
        ),
    )
    jeu = ox.BlankNode("jeu")
    defaut = ox.BlankNode("defaut")
    ajouter(service, SD + "defaultDataset", jeu)
    ajouter(jeu, "a", ox.NamedNode(SD + "Dataset"))
    ajouter(jeu, SD + "defaultGraph", defaut)
    ajouter(defaut, "a", ox.NamedNode(SD + "Graph"))
    ajouter(defaut, DCT + "description", ox.Literal("Union des graphes nommés de l'instantané", language="fr"))
    for i, g in enumerate(graphes):
        nomme = ox.BlankNode(f"graphe{i}")
        ajouter(jeu, SD + "namedGraph", nomme)
        ajouter(nomme, "a", ox.NamedNode(SD + "NamedGraph"))
        ajouter(nomme, SD + "name", ox.NamedNode(g))
    return sortie


def serialiser(triplets_: list[ox.Triple], format_: formats.Format, prefixes: dict[str, str]) -> bytes:
    return serialisation.graphe(triplets_, format_.nom, {**prefixes, "sd": SD, "formats": FORMATS_W3C})
