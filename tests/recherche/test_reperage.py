"""Les repérages appelés directement, hors de ``Comprehenseur.comprendre`` : lieux, âge, rayon, second avis,
équipe, établissement, concepts du thésaurus, et la forme JSON d'un ``Lieu``.

Chaque repérage reçoit les mots libres sans pouvoir les modifier (un tuple) et rend les positions qu'il emploie.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from recherche.comprendre.etablissements import developper_sigles, reperer_etablissement
from recherche.comprendre.lexique import employes, jetons, normaliser
from recherche.comprendre.lieux import approcher_lieux, approcher_noms_propres, choisir_lieu, reperer_lieux
from recherche.comprendre.mesures import reperer_age, reperer_rayon
from recherche.comprendre.repertoire import Gazetteer, Lieu
from recherche.comprendre.second_avis import equipe_nommee, reperer_equipes, reperer_second_avis
from recherche.comprendre.termes import IndexTermes

DONNEES = Path(__file__).parents[2] / "donnees"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.depuis_csv(DONNEES / "geo")


def libres(texte: str) -> tuple[bool, ...]:
    return (True,) * len(jetons(texte))


def lieu(texte: str, gaz: Gazetteer) -> tuple[Lieu | None, frozenset[int]]:
    js = jetons(texte)
    mentions, pris = reperer_lieux(texte, js, libres(texte), gaz)
    return choisir_lieu(mentions, gaz)[0], pris


# -- lieux ------------------------------------------------------------------------------------------------------
def test_reperer_lieu_commune_apres_une_preposition(gaz: Gazetteer) -> None:
    trouve, pris = lieu("radiothérapie près de Quimper", gaz)
    assert trouve is not None and (trouve.type, trouve.code, trouve.nom) == ("commune", "29232", "Quimper")
    assert pris == {3}


def test_reperer_lieu_departement_region_code_postal(gaz: Gazetteer) -> None:
    dep, _ = lieu("chimio dans le 64", gaz)
    assert dep is not None and (dep.type, dep.code) == ("departement", "64") and dep.chef_lieu
    reg, _ = lieu("oncogénétique en Bretagne", gaz)
    assert reg is not None and (reg.type, reg.code) == ("region", "53")
    cp, _ = lieu("radiotherapie 06000", gaz)
    assert cp is not None and (cp.type, cp.code, cp.code_postal) == ("code_postal", "06088", "06000")


def test_un_mot_courant_n_est_pas_un_lieu(gaz: Gazetteer) -> None:
    assert lieu("consultation douleur", gaz) == (None, frozenset())
    assert lieu("patient de 84 ans", gaz)[0] is None  # « 84 ans » n'est pas le Vaucluse


def test_les_mots_deja_employes_ne_sont_pas_relus(gaz: Gazetteer) -> None:
    texte = "radiothérapie près de Quimper"
    js = jetons(texte)
    occupes = (True, True, True, False)
    mentions, pris = reperer_lieux(texte, js, occupes, gaz)
    assert mentions == [] and pris == frozenset()


def test_approcher_un_lieu_mal_ecrit(gaz: Gazetteer) -> None:
    texte = "radiothérapie près de Quimpr"
    mentions, pris = approcher_lieux(texte, jetons(texte), libres(texte), gaz)
    assert [c.nom for m in mentions for c in m.communes] == ["Quimper"] and pris == {3}
    texte = "Bonjour, Montpelier : chimio"
    mentions, pris = approcher_noms_propres(texte, jetons(texte), libres(texte), gaz)
    assert [c.nom for m in mentions for c in m.communes] == ["Montpellier"] and pris == {1}


def test_la_zone_citee_departage_les_homonymes(gaz: Gazetteer) -> None:
    trouve, _ = lieu("rayons à Valence (Drôme)", gaz)
    assert trouve is not None and trouve.code == "26362"


def test_forme_json_d_un_lieu() -> None:
    commune = Lieu("commune", "64445", "Pau", 43.3, -0.37, departement="64")
    assert list(commune.en_dict()) == ["type", "code", "nom", "departement", "latitude", "longitude"]
    cp = Lieu("code_postal", "06088", "Nice", 43.7, 7.26, departement="06", code_postal="06000")
    assert list(cp.en_dict())[-1] == "code_postal"
    zone = Lieu("departement", "64", "Pyrénées-Atlantiques", 43.3, -0.37, chef_lieu="64445")
    assert zone.est_zone and list(zone.en_dict()) == ["type", "code", "nom", "chef_lieu", "latitude", "longitude"]


# -- âge, rayon ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("texte", "age", "pris"),
    [("patient de 84 ans", 84, {2, 3}), ("bébé de 6 mois", 0, {2, 3}), ("84ans", 84, {0}), ("âgée de 79", 79, {2})],
)
def test_reperer_age(texte: str, age: int, pris: set[int]) -> None:
    formes = [j.forme for j in jetons(texte)]
    assert reperer_age(formes, libres(texte)) == (age, pris)


def test_un_age_deja_employe_n_est_pas_relu() -> None:
    assert reperer_age(["84", "ans"], (False, True)) == (None, frozenset())


@pytest.mark.parametrize(
    ("texte", "rayon"), [("à moins de 30 km", 30.0), ("dans un rayon de 50 km", 50.0), ("40km", 40.0), ("Lyon", None)]
)
def test_reperer_rayon(texte: str, rayon: float | None) -> None:
    trouve, pris = reperer_rayon([j.forme for j in jetons(texte)], libres(texte))
    assert trouve == rayon and bool(pris) == (rayon is not None)


# -- second avis, équipe, établissement ---------------------------------------------------------------------------
def test_reperer_second_avis() -> None:
    formes = [j.forme for j in jetons("second avis sarcome")]
    assert reperer_second_avis(formes, (True,) * 3) == (True, False, frozenset({0, 1}))
    formes = [j.forme for j in jetons("RCP de recours pour un sarcome")]
    avis, rcp, _ = reperer_second_avis(formes, (True,) * len(formes))
    assert avis and rcp
    assert reperer_second_avis(["chimio"], (True,))[:2] == (False, False)


def test_reperer_equipes_en_charge() -> None:
    texte = "second avis, patiente suivie au CHU de Rennes pour un sarcome"
    js = jetons(texte)
    segments, pris = reperer_equipes(texte, js, libres(texte))
    assert [s.texte for s in segments] == ["CHU de Rennes"]
    assert equipe_nommee(segments[0], js) and pris == set(range(3, 8))
    texte = "suivi dans mon CHU"
    (segment,), _ = reperer_equipes(texte, jetons(texte), libres(texte))
    assert not equipe_nommee(segment, jetons(texte))


def test_reperer_etablissement() -> None:
    texte = "adresse de l'Institut de cancérologie de l'Ouest"
    etab, pris = reperer_etablissement(texte, jetons(texte), libres(texte))
    assert etab is not None and etab.texte == "Institut de cancérologie de l'Ouest" and min(pris) == 3
    assert developper_sigles(normaliser("suivie à l'IGR")) == "suivie a l gustave roussy"
    assert reperer_etablissement("radiothérapie", jetons("radiothérapie"), (True,)) == (None, frozenset())


# -- concepts du thésaurus ------------------------------------------------------------------------------------------
def test_reperer_termes_le_plus_long_d_abord() -> None:
    index = IndexTermes.charger()
    js = jetons("soins de support après un sarcome des tissus mous")
    termes, pris = index.reperer(js, (True,) * len(js))
    assert {(t.schema, t.code) for t in termes} >= {("besoin", "soins_support")}
    assert any(t.schema == "localisation" and t.fin == len(js) for t in termes)
    approches, _ = index.approcher(jetons("radiothérpie"), (True,))
    assert [t.code for t in approches] == ["radiotherapie"] and approches[0].approche
    assert pris == frozenset(range(len(js))) - {3, 4}  # « après un » reste libre


def test_employes_compare_avant_et_apres() -> None:
    assert employes((True, True, False), [True, False, False]) == {1}


def test_le_repertoire_par_defaut_lit_donnees_geo() -> None:
    """``Comprehenseur()`` sans répertoire lit ``donnees/geo`` : le chemin suit le module où qu'il soit rangé."""
    assert Gazetteer.par_defaut().communes_nommees(("quimper",))[0].code == "29232"
