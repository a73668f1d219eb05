"""Une vue tabulaire des sites (FINESS géographiques), tirée une fois par instantané, pour les exports et FHIR.

Pourquoi réutiliser ``recherche.catalogue.extraire`` : c'est déjà *la* lecture des sites, de leur point et de
leurs preuves (besoin, niveau, source, date) ; CSV, GeoJSON et FHIR disent ainsi la même chose que la recherche.
On y ajoute ce que la recherche n'utilise pas : adresse, nom de l'entité juridique, noms des territoires.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pyoxigraph as ox

from ontologie import espaces
from ontologie.besoins import BESOINS
from recherche.catalogue import Entite, Preuve, cle_ville, extraire

#: Ordre des niveaux de preuve, du plus fort au plus faible.
ORDRE_NIVEAUX = {"autorisation": 0, "liste_curee": 1, "activite_declaree": 2}


@dataclass
class Site:
    entite: Entite
    rue: str | None = None
    code_postal: str | None = None
    localite: str | None = None
    departement_nom: str | None = None
    region_nom: str | None = None
    ej_nom: str | None = None
    #: Le nom sous sa forme de comparaison (``cle_ville``), calculé une fois : la recherche FHIR ``name`` le lit.
    cle_nom: str = ""

    def __post_init__(self) -> None:
        self.cle_nom = cle_ville(self.entite.nom or "")

    @property
    def finess(self) -> str:
        return self.entite.finess or ""

    def besoins(self) -> dict[str, list[Preuve]]:
        """Besoin → preuves actives, la plus forte d'abord."""
        par: dict[str, list[Preuve]] = {}
        for p in self.entite.preuves:
            if not p.inactive:
                par.setdefault(p.besoin, []).append(p)
        for liste in par.values():
            liste.sort(key=lambda p: (ORDRE_NIVEAUX.get(p.niveau, 9), p.source, p.libelle))
        return dict(sorted(par.items()))


@dataclass
class Vue:
    sites: list[Site]
    par_finess: dict[str, Site] = field(default_factory=dict)
    entites_juridiques: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.par_finess = {s.finess: s for s in self.sites}


def _q(store: ox.Store, corps: str):
    return store.query(espaces.entete_sparql() + corps, use_default_graph_as_union=True)


def _v(t) -> str | None:
    return None if t is None else t.value


def construire(store: ox.Store) -> Vue:
    adresses = {
        r["f"].value: (_v(r["rue"]), _v(r["cp"]), _v(r["ville"]))
        for r in _q(
            store,
            "SELECT ?f (SAMPLE(?r) AS ?rue) (SAMPLE(?c) AS ?cp) (SAMPLE(?v) AS ?ville) WHERE { "
            "?e a bo:Etablissement ; bo:finess ?f ; schema:address ?a . OPTIONAL { ?a schema:streetAddress ?r } "
            "OPTIONAL { ?a schema:postalCode ?c } OPTIONAL { ?a schema:addressLocality ?v } } GROUP BY ?f",
        )
    }
    ej = {
        r["f"].value: _v(r["nom"])
        for r in _q(
            store,
            "SELECT ?f (SAMPLE(?n) AS ?nom) WHERE { ?ej a bo:EntiteJuridique ; bo:finess ?f "
            "OPTIONAL { ?ej schema:name ?n } } GROUP BY ?f",
        )
    }
    territoires = {
        (r["t"].value, r["c"].value): r["n"].value
        for r in _q(
            store,
            "SELECT ?t ?c ?n WHERE { VALUES ?t { bo:Departement bo:Region } ?x a ?t ; bo:code ?c ; schema:name ?n }",
        )
    }
    dep, reg = str(espaces.BO.Departement), str(espaces.BO.Region)
    sites = []
    for e in extraire(store):
        if not e.finess:
            continue
        rue, cp, ville = adresses.get(e.finess, (None, None, None))
        sites.append(
            Site(
                e,
                rue,
                cp,
                ville,
                territoires.get((dep, e.departement or "")),
                territoires.get((reg, e.region or "")),
                ej.get(e.finess_ej or ""),
            )
        )
    sites.sort(key=lambda s: s.finess)
    return Vue(sites, entites_juridiques=ej)


_verrou = threading.Lock()


def vue(app) -> Vue:
    """La vue de l'instantané servi, construite au premier appel (quelques secondes) puis gardée."""
    instantane = app.state.instantane
    with _verrou:
        courante = getattr(app.state, "vue", None)
        if courante is None or courante[0] != instantane.identifiant:
            courante = (instantane.identifiant, construire(instantane.store))
            app.state.vue = courante
        return courante[1]


def libelle_besoin(code: str) -> str:
    return BESOINS.get(code, code)
