"""Lecteurs de la géographie administrative : régions, départements, communes (COG INSEE).

Pourquoi en premier : tous les autres lecteurs rattachent leurs sites à une commune, et la géolocalisation
vérifie chaque point Eurostat contre le point de la commune. Ces lecteurs remplissent donc
``contexte.regions``, ``contexte.departements`` et ``contexte.communes`` en plus d'écrire leur graphe nommé.

Fichiers (UTF-8, séparateur virgule, voir le README des données) :
``geo/regions.csv``, ``geo/departements.csv``, ``geo/communes.csv``. Dans ``communes.csv``, ``codes_postaux``
sépare les codes par des espaces (le point-virgule et la virgule sont aussi acceptés). Une commune sans point
(fusion récente, collectivité d'outre-mer) est gardée, avec un avertissement : elle reste une réponse valable
à « où », seulement pas à « à quelle distance ».
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import RDF, XSD

from graphe.geodesie import coordonnees, iri_point, litteral_decimal, litteral_wkt
from graphe.sources.base import (
    Contexte,
    DescriptionSource,
    InfoCommune,
    Lecture,
    Rapport,
    lire_csv,
    nouveau_graphe,
)
from ontologie import espaces
from ontologie.espaces import BO, GEO, SCHEMA

EDITEUR = "INSEE (Code officiel géographique), via Etalab ; points IGN / INSEE"
LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
URL = "https://github.com/etalab/decoupage-administratif"
#: Millésime du paquet @etalab/decoupage-administratif 6.0.0 (COG 2025).
DATE_DONNEES = "2025"

_CODE_REGION = re.compile(r"\d{2,3}")
_CODE_DEPARTEMENT = re.compile(r"\d{2,3}|2A|2B")
_CODE_COMMUNE = re.compile(r"\d{5}|2[AB]\d{3}")
_CODE_POSTAL = re.compile(r"\d{5}")


def _description(nom: str, titre: str, fichier: str, note: str | None = None) -> DescriptionSource:
    return DescriptionSource(
        nom=nom,
        titre=titre,
        editeur=EDITEUR,
        licence=LICENCE,
        fichiers=[fichier],
        date_donnees=DATE_DONNEES,
        url=URL,
        note=note,
    )


def lire_regions(donnees: Path, contexte: Contexte) -> Lecture:
    """Régions (``bo:Region``) ; remplit ``contexte.regions`` (code → nom)."""
    fichier = "geo/regions.csv"
    rapport = Rapport("geo-regions", fichier)
    g = nouveau_graphe()
    for numero, ligne in lire_csv(
        donnees / fichier, rapport, separateur=",", encodage="utf-8", colonnes_requises=("code_region", "nom")
    ):
        code, nom = ligne["code_region"].strip(), ligne["nom"].strip()
        if not _CODE_REGION.fullmatch(code):
            rapport.rejeter(numero, f"code de région invalide : {code!r}")
            continue
        if not nom:
            rapport.rejeter(numero, f"région {code} sans nom")
            continue
        if code in contexte.regions:
            rapport.rejeter(numero, f"région {code} en double (première occurrence gardée)")
            continue
        iri = espaces.region(code)
        g.add((iri, RDF.type, BO.Region))
        g.add((iri, BO.code, Literal(code)))
        g.add((iri, SCHEMA.name, Literal(nom, lang="fr")))
        contexte.regions[code] = nom
        rapport.gardees += 1
    return Lecture(_description("geo-regions", "Régions françaises", fichier), g, rapport)


def lire_departements(donnees: Path, contexte: Contexte) -> Lecture:
    """Départements (``bo:Departement``) ; remplit ``contexte.departements`` (code → nom).

    Lire les régions d'abord : une région inconnue est signalée (le lien est gardé, l'IRI reste stable).
    """
    fichier = "geo/departements.csv"
    rapport = Rapport("geo-departements", fichier)
    g = nouveau_graphe()
    for numero, ligne in lire_csv(
        donnees / fichier,
        rapport,
        separateur=",",
        encodage="utf-8",
        colonnes_requises=("code_departement", "nom", "code_region"),
    ):
        code, nom, reg = ligne["code_departement"].strip(), ligne["nom"].strip(), ligne["code_region"].strip()
        if not _CODE_DEPARTEMENT.fullmatch(code):
            rapport.rejeter(numero, f"code de département invalide : {code!r}")
            continue
        if not nom:
            rapport.rejeter(numero, f"département {code} sans nom")
            continue
        if code in contexte.departements:
            rapport.rejeter(numero, f"département {code} en double (première occurrence gardée)")
            continue
        iri = espaces.departement(code)
        g.add((iri, RDF.type, BO.Departement))
        g.add((iri, BO.code, Literal(code)))
        g.add((iri, SCHEMA.name, Literal(nom, lang="fr")))
        if reg:
            g.add((iri, BO.region, espaces.region(reg)))
            if contexte.regions and reg not in contexte.regions:
                rapport.avertir(numero, f"département {code} : région {reg} inconnue de geo/regions.csv")
        else:
            rapport.avertir(numero, f"département {code} sans région")
        contexte.departements[code] = nom
        rapport.gardees += 1
    return Lecture(_description("geo-departements", "Départements français", fichier), g, rapport)


def codes_postaux(texte: str) -> tuple[str, ...]:
    """Découpe les codes postaux d'une commune (espaces, points-virgules ou virgules), sans doublon."""
    vus: list[str] = []
    for code in re.split(r"[\s;,]+", texte.strip()):
        if code and code not in vus:
            vus.append(code)
    return tuple(vus)


def lire_communes(donnees: Path, contexte: Contexte) -> Lecture:
    """Communes (``bo:Commune``, point ``…/point``) ; remplit ``contexte.communes`` (INSEE → InfoCommune).

    Rejet : code INSEE invalide, nom vide, commune en double. Avertissement (ligne gardée) : pas de point,
    population ou code postal illisible, département inconnu.
    """
    fichier = "geo/communes.csv"
    rapport = Rapport("geo-communes", fichier)
    g = nouveau_graphe()
    sans_point = 0
    for numero, ligne in lire_csv(
        donnees / fichier,
        rapport,
        separateur=",",
        encodage="utf-8",
        colonnes_requises=(
            "code_insee",
            "nom",
            "code_departement",
            "code_region",
            "codes_postaux",
            "population",
            "latitude",
            "longitude",
        ),
    ):
        code, nom = ligne["code_insee"].strip(), ligne["nom"].strip()
        dep, reg = ligne["code_departement"].strip(), ligne["code_region"].strip()
        if not _CODE_COMMUNE.fullmatch(code):
            rapport.rejeter(numero, f"code INSEE de commune invalide : {code!r}")
            continue
        if not nom:
            rapport.rejeter(numero, f"commune {code} sans nom")
            continue
        if code in contexte.communes:
            rapport.rejeter(numero, f"commune {code} en double (première occurrence gardée)")
            continue
        iri = espaces.commune(code)
        g.add((iri, RDF.type, BO.Commune))
        g.add((iri, BO.code, Literal(code)))
        g.add((iri, SCHEMA.name, Literal(nom, lang="fr")))
        postaux = codes_postaux(ligne["codes_postaux"])
        for cp in postaux:
            if _CODE_POSTAL.fullmatch(cp):
                g.add((iri, SCHEMA.postalCode, Literal(cp)))
            else:
                rapport.avertir(numero, f"commune {code} : code postal illisible {cp!r} ignoré")
        postaux = tuple(cp for cp in postaux if _CODE_POSTAL.fullmatch(cp))
        population = ligne["population"].strip()
        if population.isdigit():
            g.add((iri, BO.population, Literal(int(population), datatype=XSD.integer)))
        else:
            rapport.avertir(numero, f"commune {code} : population absente ou illisible ({population!r})")
        if dep:
            g.add((iri, BO.departement, espaces.departement(dep)))
            if contexte.departements and dep not in contexte.departements:
                rapport.avertir(numero, f"commune {code} : département {dep} inconnu de geo/departements.csv")
        if reg:
            g.add((iri, BO.region, espaces.region(reg)))
        point = coordonnees(ligne["latitude"], ligne["longitude"])
        if point is None:
            sans_point += 1
            rapport.avertir(numero, f"commune {code} ({nom}) sans point géographique : gardée sans géométrie")
        else:
            lat, lon = point
            noeud = iri_point(iri)
            g.add((iri, GEO.hasGeometry, noeud))
            g.add((noeud, RDF.type, GEO.Geometry))
            g.add((noeud, GEO.asWKT, litteral_wkt(lat, lon)))
            g.add((iri, SCHEMA.latitude, litteral_decimal(lat)))
            g.add((iri, SCHEMA.longitude, litteral_decimal(lon)))
        contexte.communes[code] = InfoCommune(
            code=code,
            nom=nom,
            departement=dep,
            region=reg,
            codes_postaux=postaux,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
        )
        rapport.gardees += 1
    note = f"{sans_point} communes sans point géographique (gardées sans géométrie)." if sans_point else None
    return Lecture(
        _description(
            "geo-communes", "Communes françaises, codes postaux, population et point", fichier, note
        ),
        g,
        rapport,
    )
