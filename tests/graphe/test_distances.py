"""Le précalcul des distances (graphe/distances.py) sur un tout petit graphe fait à la main.

Trois communes, quatre sites : le plus proche de chaque commune est connu d'avance par la géométrie (mesurée ici
avec ``distance_km`` point par point, pas avec la boucle vectorisée du module) ; un site plus proche mais dont la
seule preuve est inactive, et un autre dont la déclaration est contredite, ne doivent jamais être retenus.
"""

from __future__ import annotations

from datetime import datetime

import pyoxigraph as ox
import pytest

from graphe import distances
from graphe.geodesie import distance_km
from ontologie import espaces
from ontologie.espaces import BO, GRAPHE_META, SCHEMA

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DEC = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
GRAPHE = ox.NamedNode(str(espaces.source("test")))

#: code INSEE → (lat, lon) : Brest, Quimper, Rennes.
COMMUNES = {"29019": (48.39, -4.49), "29232": (47.996, -4.102), "35238": (48.111, -1.68)}
#: FINESS → (lat, lon, état de la preuve de radiothérapie) ; 290000001 est à Brest même mais inactive.
SITES = {
    "290000001": (48.39, -4.49, "inactive"),
    "290000002": (48.40, -4.47, "active"),
    "290000003": (47.99, -4.10, "contredite"),
    "350000001": (48.11, -1.67, "active"),
}


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _dec(x: float) -> ox.Literal:
    return ox.Literal(str(x), datatype=DEC)


@pytest.fixture()
def store() -> ox.Store:
    s = ox.Store()
    quads = []
    for code, (lat, lon) in COMMUNES.items():
        c = _n(espaces.commune(code))
        quads += [
            ox.Quad(c, RDF_TYPE, _n(BO.Commune), GRAPHE),
            ox.Quad(c, _n(BO.code), ox.Literal(code), GRAPHE),
            ox.Quad(c, _n(SCHEMA.latitude), _dec(lat), GRAPHE),
            ox.Quad(c, _n(SCHEMA.longitude), _dec(lon), GRAPHE),
        ]
    for finess, (lat, lon, etat) in SITES.items():
        e, p = _n(espaces.etablissement(finess)), _n(espaces.preuve("test", finess))
        quads += [
            ox.Quad(e, RDF_TYPE, _n(BO.Etablissement), GRAPHE),
            ox.Quad(e, _n(SCHEMA.latitude), _dec(lat), GRAPHE),
            ox.Quad(e, _n(SCHEMA.longitude), _dec(lon), GRAPHE),
            ox.Quad(p, _n(BO.besoin), _n(espaces.concept("besoin", "radiotherapie")), GRAPHE),
            ox.Quad(p, _n(BO.etablissement), e, GRAPHE),
        ]
        if etat == "inactive":
            quads.append(ox.Quad(p, _n(BO.etat), ox.Literal("inactive"), GRAPHE))
        if etat == "contredite":
            quads.append(ox.Quad(p, _n(BO.contreditePar), _n(espaces.source("autre")), GRAPHE))
    s.extend(quads)
    return s


def _attendu(code: str) -> tuple[str, float]:
    """Le site actif le plus proche et sa distance, mesurés un par un avec distance_km."""
    lat, lon = COMMUNES[code]
    actifs = {f: (la, lo) for f, (la, lo, etat) in SITES.items() if etat == "active"}
    return min(((f, distance_km(lat, lon, la, lo)) for f, (la, lo) in actifs.items()), key=lambda t: t[1])


def test_plus_proches_egale_le_calcul_point_par_point() -> None:
    communes = [(c, distances.Point(str(espaces.commune(c)), *p)) for c, p in COMMUNES.items()]
    sites = [distances.Point(f, la, lo) for f, (la, lo, etat) in SITES.items() if etat == "active"]
    rendu = {d.code_insee: d for d in distances.plus_proches(communes, sites, "radiotherapie")}
    assert set(rendu) == set(COMMUNES)
    for code in COMMUNES:
        finess, km = _attendu(code)
        assert rendu[code].site == finess
        assert rendu[code].km == pytest.approx(km, abs=1e-6)


def test_aucun_site_aucune_distance() -> None:
    communes = [(c, distances.Point(str(espaces.commune(c)), *p)) for c, p in COMMUNES.items()]
    assert list(distances.plus_proches(communes, [], "tep")) == []


def test_precalculer_ecrit_son_graphe_et_sa_provenance(store: ox.Store) -> None:
    triplets = distances.precalculer(store, "essai", datetime(2026, 1, 2, 3, 4, 5), progression=False)
    requete = f"""
      SELECT ?code ?km ?site WHERE {{
        GRAPH <{distances.GRAPHE_DISTANCES}> {{
          ?d a <{BO.DistanceAuPlusProche}> ; <{BO.commune}> ?c ; <{BO.distanceKm}> ?km ;
             <{BO.besoinVise}> <{espaces.concept("besoin", "radiotherapie")}> ; <{BO.etablissementLePlusProche}> ?site .
        }}
        ?c <{BO.code}> ?code .
      }}"""
    lignes = {
        s["code"].value: (float(s["km"].value), s["site"].value)
        for s in store.query(requete, use_default_graph_as_union=True)
    }
    assert set(lignes) == set(COMMUNES)
    for code in COMMUNES:
        finess, km = _attendu(code)
        assert lignes[code][1] == str(espaces.etablissement(finess))
        assert lignes[code][0] == pytest.approx(km, abs=0.05)  # arrondi à 0,1 km
    # Brest : le site inactif de Brest même n'est pas retenu ; Quimper : le site contredit non plus
    assert lignes["29019"][1].endswith("290000002") and lignes["29232"][1].endswith("290000002")
    # les autres besoins n'ont aucun site dans ce graphe : aucun nœud ; 5 triplets par (commune, besoin) mesuré
    assert triplets == 5 * len(COMMUNES)
    meta = f"""
      SELECT ?p ?o WHERE {{ GRAPH <{GRAPHE_META}> {{ <{distances.GRAPHE_DISTANCES}> ?p ?o }} }}"""
    proprietes = {s["p"].value: s["o"].value for s in store.query(meta)}
    assert proprietes[str(BO.nombreTriplets)] == str(triplets)
    assert proprietes[str(BO.dateDonnees)] == "2026-01-02" and proprietes[str(BO.anneeDonnees)] == "2026"
    assert "haversine" in proprietes["http://www.w3.org/2000/01/rdf-schema#comment"]
    derivees = {s["o"].value for s in store.query(meta) if s["p"].value.endswith("wasDerivedFrom")}
    assert GRAPHE.value in derivees


def test_annee_des_donnees_comparable() -> None:
    """bo:anneeDonnees : un entier, que la source soit datée au jour (xsd:date) ou à l'année (xsd:gYear)."""
    from datetime import date

    from rdflib.namespace import XSD

    from graphe.provenance import litteral_annee

    for valeur, annee in ((date(2020, 3, 6), 2020), ("2023", 2023), ("2026-04-01", 2026)):
        litteral = litteral_annee(valeur)
        assert litteral.datatype == XSD.integer and litteral.toPython() == annee
