"""Les contraintes dures sur un petit catalogue fait main, sans instantané ni modèle.

Ce que le domaine exige, vérifié directement sur ``Contraintes.appliquer`` : un mineur va vers l'offre
pédiatrique quand il en existe une, un site sans preuve du besoin n'est jamais rendu, l'équipe qui suit le
patient (et ses autres sites) est exclue d'un second avis, un territoire nommé borne la réponse.
"""

from __future__ import annotations

import numpy as np
import pytest

from graphe.geodesie import distances_km
from recherche.classer.contraintes import (
    Contraintes,
    competence,
    corriger_lieu,
    masque_exclusion,
    points_communes_fiables,
    remarque_listes_partielles,
)
from recherche.classer.noms import IndexNoms
from recherche.comprendre.comprehension import Comprehension
from recherche.comprendre.repertoire import Lieu
from recherche.index.catalogue import Entite, Preuve, points_radians


def preuve(besoin: str, niveau: str = "autorisation", **autres) -> Preuve:
    return Preuve(besoin, niveau, f"{besoin} ({niveau})", "source de test", "urn:test", "2024-01-01", **autres)


def site(iri: str, nom: str, *preuves: Preuve, **autres) -> Entite:
    return Entite(iri=iri, nom=nom, finess=autres.pop("finess", iri), preuves=list(preuves), **autres)


#: Lyon (69) : deux sites de radiothérapie dont un pédiatrique, un site de chimiothérapie seule, un site dont
#: l'autorisation de radiothérapie est inactive ; le Centre Léon Bérard et une antenne de la même entité
#: juridique ; Bordeaux (33) : un site de radiothérapie.
CATALOGUE = [
    site("a", "CENTRE DE RADIOTHERAPIE DU PARC", preuve("radiotherapie"), commune="Lyon", departement="69"),
    site(
        "b",
        "HOPITAL FEMME MERE ENFANT",
        preuve("radiotherapie"),
        preuve("oncopediatrie", "liste_curee"),
        commune="Lyon",
        departement="69",
    ),
    site("c", "CLINIQUE DE LA CHIMIO", preuve("chimiotherapie"), commune="Lyon", departement="69"),
    site("d", "CLINIQUE FERMEE", preuve("radiotherapie", inactive=True), commune="Lyon", departement="69"),
    site(
        "e",
        "CENTRE LEON BERARD",
        preuve("radiotherapie"),
        preuve("cancer_rare", "liste_curee", localisations=("sarcome",), reseau="NETSARC", role="centre expert"),
        commune="Lyon",
        departement="69",
        finess_ej="ej-clb",
    ),
    site(
        "f",
        "CLB ANTENNE DE SOINS",
        preuve("radiotherapie"),
        commune="Villeurbanne",
        departement="69",
        finess_ej="ej-clb",
    ),
    site(
        "g",
        "INSTITUT BERGONIE",
        preuve("radiotherapie"),
        preuve("cancer_rare", "liste_curee", localisations=("sarcome",), reseau="NETSARC", role="centre expert"),
        commune="Bordeaux",
        departement="33",
        finess_ej="ej-bergonie",
    ),
]


@pytest.fixture(scope="module")
def contraintes() -> Contraintes:
    return Contraintes(CATALOGUE, IndexNoms(CATALOGUE))


def retenus(masque: np.ndarray) -> set[str]:
    return {CATALOGUE[i].iri for i in np.flatnonzero(masque)}


def test_un_site_sans_preuve_n_est_jamais_rendu(contraintes: Contraintes) -> None:
    remarques: list[str] = []
    masque, besoins = contraintes.appliquer(Comprehension(besoins=["radiotherapie"]), None, remarques)
    assert besoins == ["radiotherapie"]
    # ni la chimiothérapie seule (c), ni l'autorisation inactive (d)
    assert retenus(masque) == {"a", "b", "e", "f", "g"}


def test_un_mineur_va_vers_l_offre_pediatrique(contraintes: Contraintes) -> None:
    remarques: list[str] = []
    c = Comprehension(intention="orientation", besoins=["radiotherapie"], population="enfant", age=10)
    masque, besoins = contraintes.appliquer(c, None, remarques)
    assert retenus(masque) == {"b"}
    assert besoins == ["radiotherapie", "oncopediatrie"]
    assert any(r.startswith("patient mineur") for r in remarques)


#: Un centre de cancérologie pédiatrique loin, un service de pédiatrie générale tout près, tous deux en radiothérapie.
PEDIATRIE = [
    site("centre", "CHU CENTRE OIR", preuve("radiotherapie"), preuve("oncopediatrie", "liste_curee")),
    site("ward", "CH SERVICE DE PEDIATRIE", preuve("radiotherapie"), preuve("pediatrie", "activite_declaree")),
    site("chimio", "CH CHIMIO ET PEDIATRIE", preuve("chimiotherapie"), preuve("pediatrie", "activite_declaree")),
]


def test_un_service_de_pediatrie_generale_n_est_qu_un_relais() -> None:
    """Le centre de l'OIR passe seul quand il a le besoin ; la pédiatrie générale seulement à défaut, dite relais."""
    contraintes = Contraintes(PEDIATRIE, IndexNoms(PEDIATRIE))
    noms = lambda m: {PEDIATRIE[i].iri for i in np.flatnonzero(m)}  # noqa: E731
    remarques: list[str] = []
    masque, _ = contraintes.appliquer(
        Comprehension(intention="orientation", besoins=["radiotherapie"], population="enfant"), None, remarques
    )
    assert noms(masque) == {"centre"}
    remarques = []
    masque, besoins = contraintes.appliquer(
        Comprehension(intention="orientation", besoins=["chimiotherapie"], population="enfant"), None, remarques
    )
    assert noms(masque) == {"chimio"} and besoins == ["chimiotherapie", "pediatrie"]
    assert any("relais de proximité" in r for r in remarques)


def test_un_cancer_rare_de_l_enfant_va_au_centre_pediatrique(contraintes: Contraintes) -> None:
    """Sarcome d'un enfant : les centres de l'OIR, pas les centres experts adultes du réseau (e, g)."""
    remarques: list[str] = []
    c = Comprehension(intention="orientation", besoins=["cancer_rare"], localisations=["sarcome"], population="enfant")
    masque, besoins = contraintes.appliquer(c, None, remarques)
    assert retenus(masque) == {"b"} and besoins == ["oncopediatrie"]
    assert any("cancers de l'enfant" in r for r in remarques)


def test_un_mineur_sans_offre_pediatrique_le_dit(contraintes: Contraintes) -> None:
    remarques: list[str] = []
    c = Comprehension(besoins=["chimiotherapie"], population="enfant")
    masque, _ = contraintes.appliquer(c, None, remarques)
    assert retenus(masque) == {"c"}
    assert remarques == ["aucune offre pédiatrique connue pour ce besoin : offres adultes proposées"]


def test_l_equipe_en_charge_et_ses_sites_sont_exclus(contraintes: Contraintes) -> None:
    remarques: list[str] = []
    c = Comprehension(
        intention="second_avis",
        besoins=["cancer_rare"],
        localisations=["sarcome"],
        reseaux=["NETSARC"],
        exclure=["Centre Léon Bérard"],
    )
    masque, _ = contraintes.appliquer(c, None, remarques)
    # le CLB et son antenne (même entité juridique) sont exclus ; Bergonié, centre expert, reste
    assert retenus(masque) == {"g"}
    assert "site(s) de l'équipe qui suit le patient exclu(s)" in remarques[0]


def test_exclusion_par_sigle_et_par_ville() -> None:
    index = IndexNoms(CATALOGUE)
    assert retenus(masque_exclusion(index, CATALOGUE, ["CLB"], None)) >= {"e", "f"}
    # sans nom reconnu, la ville de l'équipe exclut les sites de la ville
    assert retenus(masque_exclusion(index, CATALOGUE, [], "Villeurbanne")) == {"f"}


def test_la_competence_suit_le_reseau_et_la_tumeur() -> None:
    clb, chimio = CATALOGUE[4], CATALOGUE[2]
    assert competence(clb, ["cancer_rare"], {"sarcome"}, ["NETSARC"]) == 0.7
    assert competence(clb, ["cancer_rare"], {"thyroide"}) == 0.0  # expert du sarcome, pas de la thyroïde
    assert competence(chimio, ["cancer_rare"], {"sarcome"}) == 0.0


def test_un_departement_borne_la_reponse(contraintes: Contraintes) -> None:
    gironde = Lieu("departement", "33", "Gironde", 44.84, -0.58, chef_lieu="33063")
    remarques: list[str] = []
    masque, _ = contraintes.appliquer(Comprehension(besoins=["radiotherapie"], lieu=gironde), None, remarques)
    assert retenus(masque) == {"g"}
    landes = Lieu("departement", "40", "Landes", 43.89, -0.5, chef_lieu="40192")
    masque, _ = contraintes.appliquer(Comprehension(besoins=["radiotherapie"], lieu=landes), None, remarques)
    assert len(retenus(masque)) == 5 and "hors de ce territoire" in remarques[-1]


def test_le_rayon_borne_la_reponse_ou_le_dit(contraintes: Contraintes) -> None:
    dist = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 500.0])
    remarques: list[str] = []
    masque, _ = contraintes.appliquer(Comprehension(besoins=["radiotherapie"], rayon_km=3.0), dist, remarques)
    assert retenus(masque) == {"a", "b"}
    masque, _ = contraintes.appliquer(Comprehension(besoins=["radiotherapie"], rayon_km=0.5), dist, remarques)
    assert len(retenus(masque)) == 5 and remarques[-1].startswith("aucun site à moins de 0.5 km")


def test_un_besoin_sans_source_est_elargi(contraintes: Contraintes) -> None:
    remarques: list[str] = []
    masque, besoins = contraintes.appliquer(Comprehension(besoins=["curietherapie"]), None, remarques)
    assert besoins == ["radiotherapie"] and "aucune source du graphe ne renseigne" in remarques[0]
    assert "d" not in retenus(masque)


def test_le_point_douteux_d_une_commune_est_corrige() -> None:
    sites = [
        Entite(f"s{k}", f"SITE {k}", commune_code="94076", precision_geo="etablissement", latitude=lat, longitude=lon)
        for k, (lat, lon) in enumerate([(48.794, 2.358), (48.795, 2.36)])
    ]
    fiables = points_communes_fiables(sites)
    mairie = Lieu("commune", "94076", "Villejuif", 48.9, 2.36, departement="94")
    corrige = corriger_lieu(mairie, fiables)
    assert corrige.point_corrige_km is not None and corrige.point_corrige_km > 10
    assert corrige.en_dict()["point_corrige_km"] == corrige.point_corrige_km
    assert float(distances_km(points_radians(sites), corrige.latitude or 0, corrige.longitude or 0).max()) < 1
    proche = Lieu("commune", "94076", "Villejuif", 48.795, 2.359, departement="94")
    assert corriger_lieu(proche, fiables) is proche


def test_remarque_des_listes_partielles() -> None:
    assert remarque_listes_partielles(["radiotherapie"], None) is None
    texte = remarque_listes_partielles(["fertilite"], ("ONCO-AURA", "https://exemple.fr"))
    assert texte is not None and "listes partielles" in texte and "ONCO-AURA (https://exemple.fr)" in texte


#: Outre-mer : deux sites de radiothérapie à La Réunion (974), un à Mayotte sans radiothérapie, deux en
#: métropole ; points approximatifs réels (Saint-Pierre, Saint-Denis, Mamoudzou, Cherbourg, Brest).
OUTRE_MER = [
    site(
        "r1",
        "CH SUD REUNION",
        preuve("radiotherapie"),
        commune="Saint-Pierre",
        departement="974",
        latitude=-21.34,
        longitude=55.48,
    ),
    site(
        "r2",
        "CHU NORD REUNION",
        preuve("radiotherapie"),
        commune="Saint-Denis",
        departement="974",
        latitude=-20.88,
        longitude=55.45,
    ),
    site(
        "m1",
        "CH DE MAYOTTE",
        preuve("chimiotherapie"),
        commune="Mamoudzou",
        departement="976",
        latitude=-12.78,
        longitude=45.23,
    ),
    site(
        "c1",
        "CENTRE DE CHERBOURG",
        preuve("radiotherapie"),
        preuve("chimiotherapie"),
        commune="Cherbourg",
        departement="50",
        latitude=49.64,
        longitude=-1.62,
    ),
    site(
        "b1",
        "CHU DE BREST",
        preuve("radiotherapie"),
        commune="Brest",
        departement="29",
        latitude=48.39,
        longitude=-4.49,
    ),
]


def _appliquer_outre_mer(besoin: str, departement: str, lat: float, lon: float) -> tuple[set[str], list[str]]:
    contraintes = Contraintes(OUTRE_MER, IndexNoms(OUTRE_MER))
    lieu = Lieu("commune", "00000", "lieu de test", lat, lon, departement=departement)
    dist = distances_km(points_radians(OUTRE_MER), lat, lon)
    remarques: list[str] = []
    masque, _ = contraintes.appliquer(Comprehension(besoins=[besoin], lieu=lieu), dist, remarques)
    return {OUTRE_MER[i].iri for i in np.flatnonzero(masque)}, remarques


def test_outre_mer_et_metropole_ne_se_melent_pas_en_silence() -> None:
    # La Réunion a de la radiothérapie : pas de padding par la métropole, pas de remarque à faire
    assert _appliquer_outre_mer("radiotherapie", "974", -21.34, 55.48) == ({"r1", "r2"}, [])
    # un patient de Brest n'est pas orienté outre-mer
    assert _appliquer_outre_mer("radiotherapie", "29", 48.39, -4.49)[0] == {"c1", "b1"}
    # Mayotte sans radiothérapie : La Réunion (≈ 1 400 km), pas la métropole (≈ 8 000 km), et la réponse le dit
    retenus_mayotte, remarques = _appliquer_outre_mer("radiotherapie", "976", -12.78, 45.23)
    assert retenus_mayotte == {"r1", "r2"}
    assert len(remarques) == 1 and "département 976" in remarques[0] and "rien au-delà" in remarques[0]


def test_un_second_avis_d_outre_mer_n_est_pas_borne_au_territoire() -> None:
    contraintes = Contraintes(OUTRE_MER, IndexNoms(OUTRE_MER))
    lieu = Lieu("commune", "97416", "Saint-Pierre", -21.34, 55.48, departement="974")
    c = Comprehension(intention="second_avis", besoins=["radiotherapie"], lieu=lieu)
    masque, _ = contraintes.appliquer(c, distances_km(points_radians(OUTRE_MER), -21.34, 55.48), [])
    assert {OUTRE_MER[i].iri for i in np.flatnonzero(masque)} == {"r1", "r2", "c1", "b1"}
