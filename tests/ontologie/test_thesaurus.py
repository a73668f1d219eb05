"""Les thésaurus SKOS lus par la recherche : complets, cohérents avec besoins.py et les listes curées."""

from __future__ import annotations

import csv
from pathlib import Path

from ontologie.besoins import BESOINS, LOCALISATION_R275
from ontologie.espaces import concept
from ontologie.thesaurus import Thesaurus

DONNEES = Path(__file__).parents[2] / "donnees"


def test_un_concept_par_besoin() -> None:
    t = Thesaurus.charger()
    assert set(t.libelles("besoin")) == set(BESOINS)
    for code, libelle in BESOINS.items():
        assert t.pref("besoin", code) == libelle
        assert t.concept("besoin", code).iri == str(concept("besoin", code))


def test_synonymes_profanes() -> None:
    t = Thesaurus.charger()
    assert "chimio" in t.libelles("besoin")["chimiotherapie"]
    assert "rayons" in t.libelles("besoin")["radiotherapie"]
    assert "radiotherapie" in t.concept("besoin", "radiotherapie").caches
    assert "K du sein" in t.libelles("localisation")["sein"]
    assert "tumeur des tissus mous" in t.libelles("localisation")["sarcome"]


def test_localisations_des_autorisations_existent() -> None:
    t = Thesaurus.charger()
    assert set(LOCALISATION_R275.values()) <= set(t.libelles("localisation"))
    assert t.ancetres("localisation", "pancreas") == ["digestif"]


def test_cancers_rares_et_reseaux_des_listes_curees() -> None:
    t = Thesaurus.charger()
    with open(DONNEES / "curation" / "reseaux_cancers_rares.csv", encoding="utf-8") as f:
        sigles = {r["sigle"] for r in csv.DictReader(f)}
    # les listes de centres emploient encore d'anciens sigles (« RENATEN (devenu ENDOCAN) ») : connus aussi
    with open(DONNEES / "curation" / "centres_experts_cancers_rares.csv", encoding="utf-8") as f:
        sigles |= {r["reseau_sigle"].split(" (")[0].strip() for r in csv.DictReader(f)}
    rares = [c for c in t.concepts("localisation").values() if c.rare]
    assert {"sarcome", "mesotheliome", "neuroendocrine", "thymus", "oeil"} <= {c.code for c in rares}
    for c in rares:
        assert c.reseaux and set(c.reseaux) <= sigles, c.code
        assert "cancer_rare" in t.besoins_lies("localisation", c.code)
    assert t.est_rare("sarcome") and not t.est_rare("sein")
    assert t.reseaux("sarcome") == ["NETSARC+"]


def test_populations_et_soins_de_support() -> None:
    t = Thesaurus.charger()
    assert set(t.libelles("population")) == {"enfant", "aja", "adulte", "personne_agee"}
    assert t.concept("population", "personne_agee").age_min == 75
    assert t.concept("population", "enfant").age_max == 17
    support = t.libelles("soin-support")
    assert {
        "douleur",
        "nutrition",
        "psycho-oncologie",
        "activite-physique-adaptee",
        "socio-esthetique",
    } <= set(support)
    assert t.besoins_lies("soin-support", "douleur") == ["douleur"]
    assert t.besoins_lies("soin-support", "nutrition") == ["soins_support"]
    for code in support:
        assert set(t.besoins_lies("soin-support", code)) <= set(BESOINS)


def test_chargement_en_cache() -> None:
    """Le thésaurus est lu une fois par processus (sa vitesse : ``benchmarks/comprehension.py``)."""
    t = Thesaurus.charger(Path(__file__).parents[2] / "ontologie" / "turtle" / "thesaurus")
    assert Thesaurus.charger(Path(__file__).parents[2] / "ontologie" / "turtle" / "thesaurus") is t
