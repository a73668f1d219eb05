"""Description des sources et de la construction en DCAT / PROV-O, dans le graphe nommé ``src:meta``.

Pourquoi : chaque fait du graphe vit dans le graphe nommé de sa source ; c'est ici que ce graphe nommé reçoit
sa date, son éditeur, sa licence et ses comptes de lignes. Une requête peut donc toujours remonter d'un fait
à sa source et à sa date (voir ontologie/MODELE.md).
"""

from __future__ import annotations

from datetime import date, datetime

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, XSD

from graphe.sources.base import Lecture, nouveau_graphe
from ontologie.espaces import BO, ID


def litteral_date(valeur: date | str) -> Literal:
    """Une date précise en xsd:date, une année seule en xsd:gYear (enquête annuelle)."""
    if isinstance(valeur, date):
        return Literal(valeur.isoformat(), datatype=XSD.date)
    if len(valeur) == 4 and valeur.isdigit():
        return Literal(valeur, datatype=XSD.gYear)
    return Literal(valeur, datatype=XSD.date)


def litteral_annee(valeur: date | str) -> Literal:
    """L'année des données en xsd:integer : comparable et soustrayable d'une source à l'autre, quand
    ``bo:dateDonnees`` mêle dates précises et années d'enquête."""
    return Literal(valeur.year if isinstance(valeur, date) else int(str(valeur)[:4]), datatype=XSD.integer)


def graphe_meta(lectures: list[Lecture], identifiant: str, debut: datetime, fin: datetime):
    """Le graphe src:meta : un dcat:Dataset par source, une prov:Activity pour la construction."""
    g = nouveau_graphe()
    construction = ID[f"construction/{identifiant}"]
    g.add((construction, RDF.type, PROV.Activity))
    g.add((construction, RDFS.label, Literal(f"Construction de l'instantané {identifiant}", lang="fr")))
    g.add((construction, PROV.startedAtTime, Literal(debut.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    g.add((construction, PROV.endedAtTime, Literal(fin.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    quand = Literal(fin.isoformat(timespec="seconds"), datatype=XSD.dateTime)
    for lecture in lectures:
        d, r, iri = lecture.description, lecture.rapport, lecture.iri
        for classe in (DCAT.Dataset, PROV.Entity):
            g.add((iri, RDF.type, classe))
        g.add((iri, DCTERMS.title, Literal(d.titre, lang="fr")))
        g.add((iri, DCTERMS.publisher, Literal(d.editeur)))
        g.add((iri, DCTERMS.license, Literal(d.licence)))
        g.add((iri, BO.dateDonnees, litteral_date(d.date_donnees)))
        g.add((iri, BO.anneeDonnees, litteral_annee(d.date_donnees)))
        g.add((iri, PROV.generatedAtTime, quand))
        g.add((iri, PROV.wasGeneratedBy, construction))
        for fichier in d.fichiers:
            g.add((iri, DCTERMS.source, Literal(fichier)))
        if d.url:
            g.add((iri, DCAT.landingPage, URIRef(d.url)))
        if d.note:
            g.add((iri, RDFS.comment, Literal(d.note, lang="fr")))
        g.add((iri, BO.lignesLues, Literal(r.lues)))
        g.add((iri, BO.lignesGardees, Literal(r.gardees)))
        g.add((iri, BO.lignesRejetees, Literal(r.rejetees)))
        g.add((iri, BO.nombreTriplets, Literal(len(lecture.graphe))))
    return g
