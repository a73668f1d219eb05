"""Lecture des thésaurus SKOS (``ontologie/turtle/thesaurus/*.ttl``).

Pourquoi un module : la compréhension des questions, l'index de recherche et la construction du graphe lisent
les mêmes libellés (préférés, synonymes profanes, fautes fréquentes). Les fichiers Turtle sont la seule
source ;
ce module les expose sous forme de dictionnaires simples, chargés une fois (lru_cache) en quelques centièmes
de seconde.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from ontologie import DOSSIER_THESAURUS
from ontologie.espaces import BO, CONCEPT


@dataclass(frozen=True, slots=True)
class Concept:
    """Un concept SKOS réduit à ce dont la recherche a besoin."""

    schema: str
    code: str
    iri: str
    pref: str
    alt: tuple[str, ...] = ()
    caches: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    lies: tuple[str, ...] = ()
    rare: bool = False
    reseaux: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None

    @property
    def libelles(self) -> list[str]:
        """Tous les libellés : préféré, puis synonymes, puis formes cachées (fautes, sans accents)."""
        return [self.pref, *self.alt, *self.caches]


def _schema_et_code(iri: Node) -> tuple[str, str] | None:
    """``concept/<schema>/<code>`` → (schema, code) ; None pour toute autre IRI."""
    texte = str(iri)
    if not texte.startswith(str(CONCEPT)):
        return None
    reste = texte[len(str(CONCEPT)) :]
    if "/" not in reste:
        return None
    schema, code = reste.split("/", 1)
    return schema, code


def _fr(valeurs: list) -> tuple[str, ...]:
    """Littéraux en français (ou sans langue), dans un ordre stable, sans doublon."""
    vus: dict[str, None] = {}
    for v in valeurs:
        if isinstance(v, Literal) and v.language in (None, "fr"):
            vus.setdefault(str(v), None)
    return tuple(sorted(vus))


class Thesaurus:
    """Les concepts de tous les thésaurus, rangés par schéma puis par code."""

    def __init__(self, graphe: Graph) -> None:
        self._graphe = graphe
        self._concepts: dict[str, dict[str, Concept]] = {}
        for iri in sorted({s for s in graphe.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}):
            cle = _schema_et_code(iri)
            if cle is None:
                continue
            schema, code = cle
            pref = _fr(list(graphe.objects(iri, SKOS.prefLabel)))
            lies = sorted({str(o) for o in graphe.objects(iri, SKOS.related)})
            age_min = graphe.value(iri, BO.ageMin)
            age_max = graphe.value(iri, BO.ageMax)
            rare = graphe.value(iri, BO.rare)
            self._concepts.setdefault(schema, {})[code] = Concept(
                schema=schema,
                code=code,
                iri=str(iri),
                pref=pref[0] if pref else code,
                alt=_fr(list(graphe.objects(iri, SKOS.altLabel))),
                caches=_fr(list(graphe.objects(iri, SKOS.hiddenLabel))),
                parents=tuple(
                    sorted(c[1] for o in graphe.objects(iri, SKOS.broader) if (c := _schema_et_code(o)))
                ),
                lies=tuple(lies),
                rare=bool(isinstance(rare, Literal) and rare.toPython() is True),
                reseaux=_fr(list(graphe.objects(iri, BO.reseauSigle))),
                age_min=int(str(age_min)) if age_min is not None else None,
                age_max=int(str(age_max)) if age_max is not None else None,
            )

    @classmethod
    def charger(cls, dossier: Path | str | None = None) -> Thesaurus:
        """Thésaurus lu depuis ``dossier`` (par défaut ``ontologie/turtle/thesaurus``), mis en cache."""
        return _charger(str(Path(dossier) if dossier else DOSSIER_THESAURUS))

    @property
    def graphe(self) -> Graph:
        """Le graphe RDF brut, pour le verser dans le graphe nommé de l'ontologie."""
        return self._graphe

    def schemas(self) -> list[str]:
        return sorted(self._concepts)

    def concepts(self, schema: str) -> dict[str, Concept]:
        return dict(self._concepts.get(schema, {}))

    def concept(self, schema: str, code: str) -> Concept | None:
        return self._concepts.get(schema, {}).get(code)

    def libelles(self, schema: str) -> dict[str, list[str]]:
        """code → libellés (préféré + synonymes + formes cachées) du schéma."""
        return {code: c.libelles for code, c in self._concepts.get(schema, {}).items()}

    def pref(self, schema: str, code: str) -> str:
        """Libellé préféré ; le code lui-même si le concept est inconnu (jamais d'exception à l'affichage)."""
        c = self.concept(schema, code)
        return c.pref if c else code

    def ancetres(self, schema: str, code: str) -> list[str]:
        """Codes des concepts plus généraux (skos:broader transitif), du plus proche au plus lointain."""
        vus: list[str] = []
        a_voir = list(self._concepts.get(schema, {}).get(code, Concept(schema, code, "", code)).parents)
        while a_voir:
            parent = a_voir.pop(0)
            if parent not in vus:
                vus.append(parent)
                c = self.concept(schema, parent)
                a_voir.extend(c.parents if c else ())
        return vus

    def besoins_lies(self, schema: str, code: str) -> list[str]:
        """Codes de besoin reliés (skos:related vers concept/besoin/…) : la contrainte qu'implique un
        concept.
        """
        c = self.concept(schema, code)
        if c is None:
            return []
        prefixe = str(CONCEPT) + "besoin/"
        return [iri[len(prefixe) :] for iri in c.lies if iri.startswith(prefixe)]

    def est_rare(self, code_localisation: str) -> bool:
        """Vrai si la localisation (ou un de ses ancêtres) relève d'un réseau national cancers rares."""
        codes = [code_localisation, *self.ancetres("localisation", code_localisation)]
        return any((c := self.concept("localisation", k)) is not None and c.rare for k in codes)

    def reseaux(self, code_localisation: str) -> list[str]:
        """Sigles des réseaux cancers rares qui couvrent la localisation (tels que dans les listes curées)."""
        c = self.concept("localisation", code_localisation)
        return list(c.reseaux) if c else []


@lru_cache(maxsize=4)
def _charger(dossier: str) -> Thesaurus:
    graphe = Graph()
    for fichier in sorted(Path(dossier).glob("*.ttl")):
        graphe.parse(fichier, format="turtle")
    return Thesaurus(graphe)
