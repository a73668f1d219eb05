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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graphe.geodesie import coordonnees, ecrire_point
from graphe.sources.base import Contexte, Editeur, InfoCommune, Lecture, Rapport, lire_csv, nouveau_graphe
from ontologie import espaces
from ontologie.espaces import BO, SCHEMA

EDITEUR = Editeur(
    "INSEE (Code officiel géographique), via Etalab ; points IGN / INSEE",
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "https://github.com/etalab/decoupage-administratif",
)
#: Millésime du paquet @etalab/decoupage-administratif 6.0.0 (COG 2025).
DATE_DONNEES = "2025"
#: Le fichier des communes (lu ici ; le point de repli d'un site, dans ``eurostat.py``, en vient aussi).
FICHIER_COMMUNES = "geo/communes.csv"

_CODE_POSTAL = re.compile(r"\d{5}")


@dataclass(frozen=True)
class _Territoire:
    """Ce qui distingue une région, un département et une commune dans les contrôles communs."""

    classe: URIRef
    iri: Callable[[str], URIRef]
    motif: re.Pattern[str]
    invalide: str  #: début du message d'un code mal formé
    genre: str  #: « région », « département », « commune » dans les messages

    def ecrire(
        self, g: Graph, rapport: Rapport, numero: int, code: str, nom: str, connus: Mapping[str, object]
    ) -> URIRef | None:
        """Rejette (et rend None) un code mal formé, un nom vide, un code déjà lu (la première occurrence est
        gardée) ; sinon écrit le type, le code et le nom, et rend l'IRI.
        """
        if not self.motif.fullmatch(code):
            rapport.rejeter(numero, f"{self.invalide} : {code!r}")
            return None
        if not nom:
            rapport.rejeter(numero, f"{self.genre} {code} sans nom")
            return None
        if code in connus:
            rapport.rejeter(numero, f"{self.genre} {code} en double (première occurrence gardée)")
            return None
        noeud = self.iri(code)
        g.add((noeud, RDF.type, self.classe))
        g.add((noeud, BO.code, Literal(code)))
        g.add((noeud, SCHEMA.name, Literal(nom, lang="fr")))
        return noeud


_REGION = _Territoire(BO.Region, espaces.region, re.compile(r"\d{2,3}"), "code de région invalide", "région")
_DEPARTEMENT = _Territoire(
    BO.Departement, espaces.departement, re.compile(r"\d{2,3}|2A|2B"), "code de département invalide", "département"
)
_COMMUNE = _Territoire(
    BO.Commune, espaces.commune, re.compile(r"\d{5}|2[AB]\d{3}"), "code INSEE de commune invalide", "commune"
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
        iri = _REGION.ecrire(g, rapport, numero, code, nom, contexte.regions)
        if iri is None:
            continue
        contexte.regions[code] = nom
        rapport.gardees += 1
    return Lecture(EDITEUR.decrire("geo-regions", "Régions françaises", fichier, DATE_DONNEES), g, rapport)


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
        iri = _DEPARTEMENT.ecrire(g, rapport, numero, code, nom, contexte.departements)
        if iri is None:
            continue
        if reg:
            g.add((iri, BO.region, espaces.region(reg)))
            if contexte.regions and reg not in contexte.regions:
                rapport.avertir(numero, f"département {code} : région {reg} inconnue de geo/regions.csv")
        else:
            rapport.avertir(numero, f"département {code} sans région")
        contexte.departements[code] = nom
        rapport.gardees += 1
    return Lecture(EDITEUR.decrire("geo-departements", "Départements français", fichier, DATE_DONNEES), g, rapport)


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
    fichier = FICHIER_COMMUNES
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
        iri = _COMMUNE.ecrire(g, rapport, numero, code, nom, contexte.communes)
        if iri is None:
            continue
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
            ecrire_point(g, iri, *point)
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
        EDITEUR.decrire(
            "geo-communes", "Communes françaises, codes postaux, population et point", fichier, DATE_DONNEES, note
        ),
        g,
        rapport,
    )
