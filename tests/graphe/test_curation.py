"""Listes curées : aucune ligne perdue, noms appariés ou listés comme non appariés."""

from __future__ import annotations

from pathlib import Path

import pytest
from contexte_reel import DONNEES_REELLES, contexte_reel
from rdflib import Literal
from rdflib.namespace import DCTERMS, ORG, RDF

from graphe.sources.base import Lecture
from graphe.sources.curation import cellules, listes
from graphe.sources.curation.organisations import iri_reseau, remplaces
from ontologie import espaces
from ontologie.espaces import BO


@pytest.fixture(scope="module")
def lectures() -> dict[str, Lecture]:
    return {lc.description.nom: lc for lc in listes.lire_tout(DONNEES_REELLES, contexte_reel())}


def test_chaque_fichier_est_une_source_equilibree(lectures: dict[str, Lecture]) -> None:
    fichiers = sorted(p.stem for p in (DONNEES_REELLES / "curation").glob("*.csv"))
    assert sorted(n.removeprefix("curation-").replace("-", "_") for n in lectures) == fichiers
    for lecture in lectures.values():
        r = lecture.rapport
        lignes = len((DONNEES_REELLES / r.fichier).read_text(encoding="utf-8").splitlines()) - 1
        assert r.lues == lignes and r.equilibre() and r.rejetees == 0, r.source


def test_comptes(lectures: dict[str, Lecture]) -> None:
    g = lectures["curation-reseaux-cancers-rares"].graphe
    assert len(set(g.subjects(RDF.type, BO.ReseauCancersRares))) == 20  # 28 lignes, 20 sigles
    assert len(set(lectures["curation-dsrc"].graphe.subjects(RDF.type, BO.DSRC))) == 16
    assert len(set(lectures["curation-oir-pediatrie"].graphe.subjects(RDF.type, BO.OIRPediatrie))) == 5
    assert (
        len(
            set(lectures["curation-centres-experts-cancers-rares"].graphe.subjects(RDF.type, BO.Appartenance))
        )
        == 46  # 46 lignes (curation 2), une appartenance chacune
    )


def test_centre_expert_netsarc_lyon(lectures: dict[str, Lecture]) -> None:
    g = lectures["curation-centres-experts-cancers-rares"].graphe
    clb = espaces.etablissement("690000880")
    noeuds = [
        n
        for n in g.subjects(ORG.member, clb)
        if g.value(n, ORG.organization) == iri_reseau("NETSARC+")
    ]
    assert noeuds
    n = noeuds[0]
    assert g.value(n, BO.niveauPreuve) == Literal("liste_curee")
    assert (n, RDF.type, BO.Preuve) in g
    assert g.value(n, ORG.role) == espaces.concept("role", "coordonnateur")
    assert (n, BO.besoin, espaces.concept("besoin", "cancer_rare")) in g
    assert g.value(n, DCTERMS.source) is not None and g.value(n, BO.ligneSource) is not None
    assert g.value(n, BO.appariement) is not None


def test_reseaux_renommes_ou_fusionnes_lies(lectures: dict[str, Lecture]) -> None:
    """« RENATEN (devenu ENDOCAN) », CANCERIMMUNE « né de la fusion des réseaux CANCERVIH et K-VIROGREF » :
    l'ancien et le nouveau nom ne coexistent plus sans lien (dct:replaces / dct:isReplacedBy)."""
    centres = lectures["curation-centres-experts-cancers-rares"].graphe
    assert (iri_reseau("ENDOCAN"), DCTERMS.replaces, iri_reseau("RENATEN")) in centres
    assert (iri_reseau("RENATEN"), DCTERMS.isReplacedBy, iri_reseau("ENDOCAN")) in centres
    reseaux = lectures["curation-reseaux-cancers-rares"].graphe
    assert set(reseaux.objects(iri_reseau("CANCERIMMUNE"), DCTERMS.replaces)) == {
        iri_reseau("CANCERVIH"),
        iri_reseau("K-VIROGREF"),
    }
    # un volet n'est pas un renommage
    assert remplaces("NETSARC+ (volet RESOS)") == [] and remplaces("ENDOCAN", "Tumeurs endocrines") == []


def test_non_apparies_listes_et_gardes(lectures: dict[str, Lecture]) -> None:
    r = lectures["curation-centres-experts-cancers-rares"].rapport
    assert any("Clinique Armoricaine de Radiologie" in x for x in r.non_apparies)
    assert any("AP-HP (site non précisé)" in x for x in r.non_apparies)
    g = lectures["curation-centres-experts-cancers-rares"].graphe
    assert (
        len(set(g.subjects(RDF.type, BO.OrganisationSansFiness)))
        >= len({x.split(" : ", 1)[1] for x in r.non_apparies}) - 1
    )


def test_non_precise_n_est_pas_un_fait(lectures: dict[str, Lecture]) -> None:
    for lecture in lectures.values():
        assert not any(
            str(o).lower().startswith("non précis")
            for o in lecture.graphe.objects()
            if isinstance(o, Literal)
        )


def test_localisations_et_soins(lectures: dict[str, Lecture]) -> None:
    g = lectures["curation-reseaux-cancers-rares"].graphe
    assert (iri_reseau("NETSARC+"), BO.localisation, espaces.concept("localisation", "sarcome")) in g
    s = lectures["curation-soins-support-exemples"].graphe
    assert espaces.concept("soin-support", "activite_physique_adaptee") in set(s.objects(None, BO.typeSoin))


def test_oir_regions(lectures: dict[str, Lecture]) -> None:
    g = lectures["curation-oir-pediatrie"].graphe
    pacaura = espaces.organisation("oir-pediatrie", "PACAURA")
    assert {str(o).rsplit("/", 1)[1] for o in g.objects(pacaura, BO.regionCouverte)} == {"84", "93", "94"}


def test_decoupage_cellule() -> None:
    assert cellules.morceaux_etablissements("CHU de Nice et Centre Antoine Lacassagne (CAL)") == [
        "CHU de Nice",
        "Centre Antoine Lacassagne (CAL)",
    ]
    assert cellules.precise("non précisé") is False and cellules.precise("Lyon")
    assert cellules.urls("https://a.fr | https://b.fr") == ["https://a.fr", "https://b.fr"]
    assert Path  # noqa: B018 (import gardé pour la lisibilité des chemins)


def test_toute_preuve_curee_est_typee_preuve(lectures: dict[str, Lecture]) -> None:
    """Tout nœud qui porte un niveau de preuve est aussi ``bo:Preuve`` (Oxigraph n'infère pas la super-classe),
    et rien d'autre ne l'est : une organisation (réseau, DSRC) n'est pas une preuve."""
    vus = 0
    for lecture in lectures.values():
        g = lecture.graphe
        porteurs = set(g.subjects(BO.niveauPreuve, None))
        assert porteurs == set(g.subjects(RDF.type, BO.Preuve)), lecture.description.nom
        vus += len(porteurs)
    fertilite = lectures["curation-preservation-fertilite"].graphe
    assert set(fertilite.subjects(RDF.type, BO.PlateformeFertilite)) <= set(fertilite.subjects(RDF.type, BO.Preuve))
    assert not set(lectures["curation-dsrc"].graphe.subjects(RDF.type, BO.Preuve))
    assert vus > 42
