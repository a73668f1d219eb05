"""La table des sites (FINESS géographiques), tirée une fois par instantané : ce que servent les exports et FHIR.

Pourquoi réutiliser ``recherche.index.catalogue.extraire`` : c'est déjà *la* lecture des sites, de leur point et de
leurs preuves (besoin, niveau, source, date) ; CSV, GeoJSON et FHIR disent ainsi la même chose que la recherche.
On y ajoute ce que la recherche n'utilise pas : adresse, nom de l'entité juridique, noms des territoires.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pyoxigraph as ox

from graphe.instantane import Instantane
from graphe.texte import cle_ville
from ontologie import espaces
from ontologie.besoins import BESOINS, NIVEAUX_PREUVE
from recherche.index.catalogue import Entite, Preuve, extraire


@dataclass
class Site:
    """Un site : son entité du catalogue de la recherche, plus l'adresse et les noms que la recherche n'a pas."""

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
        """Besoin → preuves actives, la plus forte d'abord (ordre de ``ontologie.besoins.NIVEAUX_PREUVE``).

        :returns: les besoins dans l'ordre alphabétique ; à niveau égal, par source puis libellé.
        """
        par: dict[str, list[Preuve]] = {}
        for p in self.entite.preuves:
            if not p.inactive:
                par.setdefault(p.besoin, []).append(p)
        for liste in par.values():
            liste.sort(key=lambda p: (-NIVEAUX_PREUVE.get(p.niveau, 0), p.source, p.libelle))
        return dict(sorted(par.items()))


@dataclass
class TableSites:
    """Les sites d'un instantané, triés par FINESS, avec l'index par FINESS et les entités juridiques (nom)."""

    sites: list[Site]
    par_finess: dict[str, Site] = field(default_factory=dict)
    entites_juridiques: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.par_finess = {s.finess: s for s in self.sites}


def _q(store: ox.Store, corps: str) -> ox.QuerySolutions:
    solutions = store.query(espaces.entete_sparql() + corps, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return solutions


def _v(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str | None:
    return None if t is None or isinstance(t, ox.Triple) else t.value


def construire(store: ox.Store) -> TableSites:
    """La table des sites d'un store (quelques secondes sur l'instantané national).

    :param store: le store de l'instantané.
    :returns: chaque site FINESS du catalogue, avec adresse, noms de territoires et d'entité juridique.
    """
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
    return TableSites(sites, entites_juridiques=ej)


class CacheSites:
    """La table des sites de l'instantané servi, construite au premier appel puis gardée tant qu'il est servi.

    Sûr entre fils ; un autre instantané (bascule à chaud) donne une nouvelle table.
    """

    def __init__(self) -> None:
        self._verrou = threading.Lock()
        self._courante: tuple[str, TableSites] | None = None

    def table(self, instantane: Instantane) -> TableSites:
        """La table de ``instantane`` (construite s'il n'est pas celui de la table gardée).

        :param instantane: l'instantané servi.
        :returns: sa table des sites.
        """
        with self._verrou:
            if self._courante is None or self._courante[0] != instantane.identifiant:
                self._courante = (instantane.identifiant, construire(instantane.store))
            return self._courante[1]


def libelle_besoin(code: str) -> str:
    """Le libellé français d'un besoin (le code lui-même s'il est inconnu)."""
    return BESOINS.get(code, code)
