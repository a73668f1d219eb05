"""Appariement de noms libres aux sites SAE réels : mieux vaut non apparié que faux."""

from __future__ import annotations

import pytest
from contexte_reel import contexte_reel
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graphe.appariement import ALIAS, CHU_SITE_PRINCIPAL, Apparieur, ecrire_appariement, normaliser
from ontologie.espaces import BO


@pytest.fixture(scope="module")
def apparieur() -> Apparieur:
    return Apparieur(contexte_reel())


@pytest.mark.parametrize(
    ("texte", "ville", "finess"),
    [
        ("Centre Léon Bérard", "Lyon", "690000880"),
        ("Centre Léon-Bérard", None, "690000880"),
        ("Institut Gustave Roussy", "Villejuif", "940000664"),
        ("Gustave Roussy", None, "940000664"),
        ("Institut Bergonié", "Bordeaux", "330000662"),
        ("CLCC de Rennes", None, "350002812"),
        ("Hôpital Cochin", None, "750100166"),
        ("Hôpital Trousseau (AP-HP)", None, "750100109"),
        ("Centre Hospitalier Lyon Sud (Hospices Civils de Lyon)", "Pierre-Bénite (Lyon)", "690784137"),
    ],
)
def test_noms_reels(apparieur: Apparieur, texte: str, ville: str | None, finess: str) -> None:
    resultat = apparieur.apparier(texte, ville)
    assert resultat.finess == finess
    assert 0.0 <= resultat.confiance <= 1.0


def test_chu_multi_sites_site_principal_confiance_basse(apparieur: Apparieur) -> None:
    r = apparieur.apparier("CHU de Nantes", None)
    assert (r.finess, r.methode) == ("440000271", "chu-site-principal")
    assert r.confiance < 0.9


@pytest.mark.parametrize(
    "texte", ["Zorglub et compagnie", "AP-HP (site non précisé)", "Hôpital Robert-Debré", ""]
)
def test_non_apparie_plutot_que_faux(apparieur: Apparieur, texte: str) -> None:
    r = apparieur.apparier(texte, None)
    assert r.finess is None and r.confiance == 0.0


def test_les_alias_ne_citent_que_des_finess_de_la_sae() -> None:
    sites = contexte_reel().etablissements
    assert all(a.finess in sites for a in ALIAS)
    assert all(f in sites and sites[f].categorie == "101" for f in CHU_SITE_PRINCIPAL.values())


def test_normaliser() -> None:
    assert normaliser("C.R.L.C.C. EUGENE MARQUIS") == "clcc eugene marquis"
    assert normaliser("Centre hospitalier universitaire de Nantes") == "chu de nantes"


def test_noeud_appariement(apparieur: Apparieur) -> None:
    g = Graph()
    sujet = URIRef("https://w3id.org/boussole/id/x")
    noeud = ecrire_appariement(g, sujet, apparieur.apparier("Institut Curie", "Paris"), "essai", 3)
    assert (
        noeud is not None and (noeud, RDF.type, BO.Appariement) in g and (sujet, BO.appariement, noeud) in g
    )
    assert ecrire_appariement(g, sujet, apparieur.apparier("Zorglub", None), "essai", 4) is None


def _normaliser_d_avant(texte: str) -> str:
    """La normalisation telle qu'écrite avant qu'elle ne repose sur graphe.texte.forme (référence figée)."""
    import re

    from unidecode import unidecode

    from graphe.appariement import _ABREVIATIONS

    t = re.sub(r"[^a-z0-9]+", " ", unidecode(texte).lower())
    t = f" {t} "
    for motif, remplacement in _ABREVIATIONS:
        t = re.sub(motif, remplacement, t)
    t = re.sub(r"\b\d+\s*(e|er|eme)?\b", " ", t)
    return re.sub(r"\s+", " ", t).strip()


@pytest.mark.parametrize(
    "texte",
    [
        "  Hôpital Saint-Louis (AP-HP) ",
        "C.H.U. de Nantes",
        "Assistance Publique - Hôpitaux de Paris",
        "CRLCC François Baclesse — Caen",
        "LYON CEDEX 08",
        "Paris 14e arrondissement",
        "Œuvre de l’Hôpital ; Cœur",
        "ICO – site Paul Papin",
        "",
        "!!!",
    ],
)
def test_normaliser_inchange_sur_la_forme_commune(texte: str) -> None:
    assert normaliser(texte) == _normaliser_d_avant(texte)


def test_sans_precisions_emporte_une_parenthese_non_fermee() -> None:
    from graphe.appariement import sans_precisions

    assert sans_precisions("Institut Curie (site d'Orsay)") == "Institut Curie"
    assert sans_precisions("CHU de Nantes (site Hôtel-Dieu") == "CHU de Nantes"
    assert sans_precisions("A (b (c) d) e") == "A d) e"
    assert sans_precisions("  - Centre X (Lyon) ,") == "Centre X"
    assert sans_precisions("(" * 3000 + "x") == ""  # linéaire : une seule correspondance jusqu'à la fin
