"""Le moteur sur l'instantané national : contraintes dures, pédiatrie, second avis, explications, bornes.

Les preuves sont vérifiées deux fois : dans la vue du moteur (les preuves de l'entité rendue) et, sans passer par
le moteur, par SPARQL sur le store (``recherche.evaluation.entites_avec_preuve``). Aucune mesure de temps ici
(voir ``benchmarks/latence.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recherche.evaluation import charger_questions, entites_avec_preuve, evaluer
from recherche.moteur import LIMITE_MAX, QuestionInvalide

RACINE = Path(__file__).resolve().parents[2]
#: Le jeu de développement publié du projet, copié tel quel de /work/shared/eval/questions_dev.jsonl (son
#: README y décrit les champs) : dans le dépôt, ce test ne peut plus sauter faute du fichier.
DEV = RACINE / "benchmarks" / "questions_dev.jsonl"
BOUSSOLE = RACINE / "benchmarks" / "questions_boussole.jsonl"

CONTRAINTES = [
    ("radiotherapie", "radiothérapie à Limoges"),
    ("radiotherapie", "rayons près de Mende"),
    ("radiotherapie", "radiotherapie 29000"),
    ("chimiotherapie", "chimio à Aurillac"),
    ("chimiotherapie", "chimiothérapie près de Lille"),
    ("chirurgie", "chirurgie du cancer à Angers"),
    ("chirurgie", "opération d'un cancer près de Gap"),
    ("tep", "TEP-scan à Ajaccio"),
    ("tep", "pet scan Montpellier"),
    ("palliatif", "soins palliatifs à Quimper"),
    ("palliatif", "soins palliatifs près de Mende"),
    ("douleur", "consultation douleur à Rodez"),
    ("douleur", "structure douleur chronique Dijon"),
    ("geriatrie", "évaluation gériatrique, patient de 85 ans, Brest"),
    ("geriatrie", "oncogériatrie à Perpignan"),
]


def _entites(moteur) -> dict[str, object]:
    return {e.iri: e for e in moteur.index.entites}


def _a_preuve(entite, besoin: str) -> bool:
    return any(p.besoin == besoin and not p.inactive for p in entite.preuves)


@pytest.mark.parametrize(("besoin", "question"), CONTRAINTES)
def test_chaque_resultat_a_une_preuve_du_besoin(moteur, preuves_sparql, besoin, question):
    reponse = moteur.demander(question, limite=10)
    assert besoin in reponse.comprehension["besoins"], reponse.comprehension
    assert reponse.resultats, reponse.remarques
    entites = _entites(moteur)
    avec_preuve = preuves_sparql(besoin)
    for r in reponse.resultats:
        assert _a_preuve(entites[r.iri], besoin), f"{r.finess} {r.nom} sans preuve de {besoin} (vue du moteur)"
        assert r.iri in avec_preuve, f"{r.finess} {r.nom} sans preuve de {besoin} dans le graphe (SPARQL)"


def test_enfant_seulement_des_offres_pediatriques(moteur, preuves_sparql):
    reponse = moteur.demander("enfant de 10 ans, radiothérapie, Lyon", limite=10)
    assert reponse.comprehension["population"] == "enfant"
    assert reponse.resultats
    entites = _entites(moteur)
    for r in reponse.resultats:
        # un centre de cancérologie pédiatrique (OIR, mention pédiatrique), jamais un simple service de pédiatrie
        assert _a_preuve(entites[r.iri], "oncopediatrie"), f"{r.finess} {r.nom} : pas un centre pédiatrique"
        assert r.iri in preuves_sparql("oncopediatrie")
        assert r.iri in preuves_sparql("radiotherapie")


@pytest.mark.parametrize("limite", [5, LIMITE_MAX])
def test_second_avis_exclut_l_equipe_en_charge(moteur, limite):
    reponse = moteur.demander("second avis sarcome, patiente suivie au Centre Léon Bérard", limite=limite)
    assert reponse.comprehension["intention"] == "second_avis"
    finess = [r.finess for r in reponse.resultats]
    assert finess, reponse.remarques
    assert "690000880" not in finess


@pytest.mark.parametrize(
    "question",
    [
        "radiothérapie près de Quimper",
        "enfant de 8 ans, chimiothérapie, près de Lille",
        "second avis sarcome, patient suivi à Nantes",
        "Institut Bergonié",
        "préservation de la fertilité près de Clermont-Ferrand",
        "évaluation gériatrique, patient de 86 ans, Reims",
    ],
)
def test_chaque_resultat_est_explique_avec_source_et_date(moteur, question):
    reponse = moteur.demander(question, limite=10)
    assert reponse.resultats
    for r in reponse.resultats:
        assert r.raisons, f"{r.finess} {r.nom} sans raison"
        for raison in r.raisons:
            assert raison.fait.strip()
            assert raison.source.strip(), f"{r.finess} : raison sans source : {raison.fait}"
            assert raison.date.strip(), f"{r.finess} : raison sans date : {raison.fait}"


def test_rayon_impossible_dit_ou_est_le_plus_proche(moteur):
    # (« à moins de 1 km de Gap » ne convient pas : le CHICAS de Gap a un TEP à 0,5 km du point de la commune)
    reponse = moteur.demander("TEP-scan à moins de 5 km de Briançon", limite=5)
    assert reponse.comprehension["rayon_km"] == 5
    assert any("le plus proche est à" in r for r in reponse.remarques), reponse.remarques


@pytest.mark.parametrize(
    ("question", "plus_proche"),
    [
        ("radiothérapie près de Mende", "430000117"),  # CH Émile Roux, Le Puy : 66 km
        ("où passer un TEP à Ajaccio ?", "060789195"),  # CHU de Nice l'Archet : 233 km
    ],
)
def test_loin_de_tout_le_plus_proche_reste_en_tete(moteur, question, plus_proche):
    """Loin de tout, la proximité se mesure depuis le plus proche : il reste en tête, la remarque le cite."""
    reponse = moteur.demander(question, limite=5)
    finess = [r.finess for r in reponse.resultats]
    assert finess[0] == plus_proche, finess
    distances = [float(x) for m in reponse.remarques for x in re.findall(r"est à (\d+) km", m)]
    proche = min(r.distance_km for r in reponse.resultats)
    assert all(abs(d - proche) <= 1 for d in distances), (distances, proche)


@pytest.mark.parametrize(
    ("question", "limite"),
    [
        ("", 5),
        ("   ", 5),
        ("radiothérapie " * 715, 5),
        ("x" * 10_000, 5),
        ("radiothérapie à Lyon", 0),
        ("radiothérapie à Lyon", 500),
        ("radiothérapie à Lyon", -1),
    ],
)
def test_entree_invalide(moteur, question, limite):
    with pytest.raises(QuestionInvalide):
        moteur.demander(question, limite=limite)


def test_jeu_de_developpement(moteur, store_national):
    (bilan,) = evaluer(moteur, store_national, charger_questions(DEV))
    chiffres = bilan.chiffres
    assert chiffres["hit@5"] >= 0.9, chiffres
    assert chiffres["violations"] == 0, [m.violations for m in bilan.mesures if m.violations]


def test_jeu_boussole_hit5(moteur, store_national):
    (bilan,) = evaluer(moteur, store_national, charger_questions(BOUSSOLE))
    assert bilan.chiffres["hit@5"] >= 0.9, bilan.chiffres


def test_jeu_boussole_sans_violation(moteur, store_national):
    (bilan,) = evaluer(moteur, store_national, charger_questions(BOUSSOLE))
    assert bilan.chiffres["violations"] == 0, [(m.id, m.violations) for m in bilan.mesures if m.violations]


def test_soins_de_support_cites_ensemble_sont_des_alternatives(moteur, preuves_sparql):
    """« douleur, soins palliatifs » : la preuve de l'un suffit, un site qui a les deux passe devant."""
    reponse = moteur.demander("Soins de support près de Rodez : douleur, soins palliatifs", limite=5)
    douleur, palliatif = preuves_sparql("douleur"), preuves_sparql("palliatif")
    assert len(reponse.resultats) == 5, reponse.remarques
    assert all(r.iri in douleur or r.iri in palliatif for r in reponse.resultats)
    premier = reponse.resultats[0]
    assert premier.iri in douleur and premier.iri in palliatif, premier.nom
    assert premier.commune == "Rodez"


@pytest.mark.parametrize(
    ("question", "cle", "code"),
    [
        ("radiothérapie dans le 29", "departement", "29"),
        ("chimiothérapie en Bretagne", "region", "53"),
        ("soins palliatifs dans le Finistère", "departement", "29"),
    ],
)
def test_un_territoire_nomme_borne_la_reponse(moteur, question, cle, code):
    reponse = moteur.demander(question, limite=10)
    assert reponse.comprehension["lieu"]["type"] == cle, reponse.comprehension
    entites = _entites(moteur)
    assert len(reponse.resultats) >= 3
    assert all(getattr(entites[r.iri], cle) == code for r in reponse.resultats), [r.commune for r in reponse.resultats]


def test_territoire_sans_site_le_dit_et_propose_les_plus_proches(moteur):
    reponse = moteur.demander("préservation de la fertilité, région Grand Est", limite=5)
    assert reponse.resultats
    assert any("Grand Est" in r and "hors de ce territoire" in r for r in reponse.remarques), reponse.remarques


def test_besoin_sans_aucune_source_elargi_et_dit(moteur, preuves_sparql):
    """Aucune source ne renseigne la curiethérapie : les sites de radiothérapie, en le disant, preuves citées."""
    reponse = moteur.demander("curiethérapie près de Clermont-Ferrand", limite=5)
    assert "curietherapie" in reponse.comprehension["besoins"]
    assert any("Curiethérapie" in r and "Radiothérapie" in r for r in reponse.remarques), reponse.remarques
    radiotherapie = preuves_sparql("radiotherapie")
    assert reponse.resultats and all(r.iri in radiotherapie for r in reponse.resultats)
    assert all(r.niveau_de_preuve != "aucune" and r.raisons for r in reponse.resultats)


def test_liste_partielle_signalee_avec_le_reseau_regional(moteur):
    reponse = moteur.demander("consultation d'oncogénétique près de Gap", limite=5)
    remarque = next((r for r in reponse.remarques if "listes partielles" in r), None)
    assert remarque is not None, reponse.remarques
    assert "Onco Paca Corse" in remarque  # Gap est en Provence-Alpes-Côte d'Azur


def test_references_de_recherche_seule(moteur, store_national):
    """Les références de l'évaluation : la recherche seule rend des entités, le produit fait mieux sur le dev."""
    resultats = moteur.retrouver("radiothérapie près de Vannes", limite=7, mode="lexical")
    assert len(resultats) == 7 and all(r["iri"] for r in resultats)
    questions = charger_questions(BOUSSOLE)
    produit, bm25, dense = evaluer(moteur, store_national, questions, ("boussole", "bm25 seul", "dense seul"))
    assert produit.chiffres["mrr"] > bm25.chiffres["mrr"] and produit.chiffres["mrr"] > dense.chiffres["mrr"]


@pytest.mark.parametrize("question", ["?!", "bonjour", "xyzzy", "aide moi"])
def test_question_non_comprise_sans_resultat_au_hasard(moteur, question):
    reponse = moteur.demander(question)
    assert reponse.resultats == []
    assert any("non comprise" in r for r in reponse.remarques)


@pytest.mark.parametrize(("question", "finess"), [("Bergonie", "330000662"), ("oscar lambret", "590000188")])
def test_un_nom_seul_reste_une_recherche_par_nom(moteur, question, finess):
    assert moteur.demander(question).resultats[0].finess == finess


#: (question, FINESS attendu en tête) : vérifiés dans donnees/sae/ID_2023r.csv (noms SAE en sigles majuscules).
NOMS_D_ETABLISSEMENT = [
    ("IGR", "940000664"),  # INSTITUT GUSTAVE ROUSSY, Villejuif
    ("Gustave Rousy", "940000664"),
    ("CLB", "690000880"),  # CENTRE LEON BERARD
    ("IPC", "130001647"),  # INSTITUT PAOLI CALMETTES, Marseille (et non sa radiothérapie de Gap)
    ("Curie", "750160012"),  # CLCC INSTITUT CURIE et non CENTRE MARIE CURIE (Valence, Arras)
    ("Institut Curie Saint-Cloud", "920000460"),  # CLCC RENE HUGUENIN INSTITUT CURIE
    ("ICO Angers", "490000155"),  # ICO - SITE PAUL PAPIN
    ("Institut Sainte-Catherine Avignon", "840000350"),
    ("Centre Paul Strauss", "670000033"),  # CRLCC PAUL STRAUSS - ICANS
    ("CHU de Bordeaux", "330781360"),  # GROUPE HOSPITALIER PELLEGRIN - CHU, le site principal
    ("chu nantes", "440000271"),  # CHU DE NANTES SITE HOTEL DIEU HME
    ("hotel dieu nantes", "440000271"),
    ("HEGP", "750803447"),  # HU PARIS OUEST SITE G POMPIDOU APHP
    ("hopital europeen georges pompidou", "750803447"),
    ("la Pitié-Salpêtrière", "750100125"),
    ("hôpital Saint-Louis Paris", "750100075"),  # HU SAINT LOUIS SITE SAINT LOUIS APHP
    ("clinique pasteur toulouse", "310780259"),  # CL PASTEUR TOULOUSE, pas les homonymes d'autres villes
    ("CH de Vannes", "560000127"),  # CHBA SITE DE VANNES
    ("CHU de Poitiers", "860000223"),  # CHU LA MILETRIE (le nom ne porte pas la ville, la commune si)
]


@pytest.mark.parametrize(("question", "finess"), NOMS_D_ETABLISSEMENT)
def test_nom_d_etablissement_sous_toutes_ses_formes(moteur, question, finess):
    reponse = moteur.demander(question)
    assert reponse.comprehension["intention"] == "etablissement"
    assert [r.finess for r in reponse.resultats][:1] == [finess], [r.nom for r in reponse.resultats]


def test_un_chu_a_plusieurs_sites_les_liste_apres_le_principal(moteur):
    finess = [r.finess for r in moteur.demander("CHU de Rennes").resultats]
    assert finess[0] == "350000741"  # CHRU RENNES SITE PONTCHAILLOU
    assert {"350053013", "350007084"} <= set(finess[:5])


#: (question, FINESS de l'équipe en charge : tous ses sites, quelle que soit la façon de la nommer).
EQUIPES_EN_CHARGE = [
    ("second avis pour un sarcome, patient suivi au CHU de Rennes", {"350000741", "350053013", "350007084"}),
    ("second avis sarcome, patiente suivie au CLB", {"690000880", "690044649"}),
    ("second avis sarcome, suivi à l'IGR", {"940000664", "940000656"}),
    ("deuxième avis sarcome, patiente suivie à l'Institut Curie", {"750160012", "920000460"}),
    ("second avis sarcome, suivi à l'Institut Bergonié", {"330000662"}),
]


@pytest.mark.parametrize(("question", "exclus"), EQUIPES_EN_CHARGE)
def test_second_avis_exclut_tous_les_sites_de_l_equipe(moteur, question, exclus):
    reponse = moteur.demander(question, limite=LIMITE_MAX)
    finess = {r.finess for r in reponse.resultats}
    assert finess and not finess & exclus
    # les autres centres coordonnateurs NETSARC+ sont proposés en tête
    assert reponse.resultats[0].finess in {"330000662", "690000880", "940000664"} - exclus


def test_second_avis_chu_nomme_garde_le_clcc_de_la_meme_ville(moteur):
    """Suivi au CHU de Rennes : le centre Eugène Marquis est une autre équipe, la ville n'exclut pas tout."""
    reponse = moteur.demander("second avis cancer du sein, patiente suivie au CHU de Rennes")
    finess = [r.finess for r in reponse.resultats]
    assert "350002812" in finess and "350000741" not in finess


def test_second_avis_par_le_sigle_du_reseau_quand_la_tumeur_manque(moteur):
    """Le centre RENATEN de Gustave Roussy n'a pas de tumeur rattachée : le sigle du réseau le retrouve, et les
    centres d'autres réseaux (sarcomes, VIH) ne sont pas proposés pour une tumeur neuroendocrine."""
    reponse = moteur.demander("deuxième avis tumeur neuroendocrine, suivie à l'Institut Curie", limite=10)
    finess = [r.finess for r in reponse.resultats]
    assert "940000664" in finess and "750160012" not in finess
    entites = _entites(moteur)
    for r in reponse.resultats:
        assert any(
            p.besoin == "cancer_rare" and "RENATEN" in f"{p.reseau} {p.libelle}" for p in entites[r.iri].preuves
        ), r.nom
    assert not any("tous les réseaux" in x for x in reponse.remarques)


@pytest.mark.parametrize(
    ("question", "reseau", "attendu", "exclu"),
    [
        ("second avis cancer ORL rare, patient suivi au centre Oscar Lambret", "REFCOR", "940000664", "590000188"),
        ("second avis tumeur rare de l'ovaire, suivie au Centre Léon Bérard", "TMRO-TMRG", "940000664", "690000880"),
    ],
)
def test_second_avis_cancer_rare_sous_localisation_du_reseau(moteur, question, reseau, attendu, exclu):
    """« ORL rare », « ovaire rare » : les centres du réseau (REFCOR, TMRO-TMRG), étiquetés « orl », « ovaire »,
    sont retrouvés par le sigle du réseau au lieu des centres de tous les réseaux ; l'équipe qui suit est exclue.

    Le premier doit être un centre de *ce* réseau (plusieurs en sont, de compétence égale : Gustave Roussy
    parmi les trois premiers, pas forcément le premier)."""
    reponse = moteur.demander(question, limite=10)
    finess = [r.finess for r in reponse.resultats]
    entites = {e.iri: e for e in moteur.index.entites}
    premier = entites[reponse.resultats[0].iri]
    assert any(p.reseau == reseau for p in premier.preuves), premier.nom
    assert attendu in finess[:3] and exclu not in finess
    assert not any("tous les réseaux" in x for x in reponse.remarques)


def test_second_avis_centre_identifie_avant_site_non_precise(moteur):
    reponse = moteur.demander("second avis mélanome de l'uvée, suivi à l'Institut Curie")
    assert reponse.resultats[0].finess == "060000528"  # CENTRE ANTOINE LACASSAGNE, membre MELACHONAT


#: Une activité déclarée à une enquête, contredite par l'édition suivante (voir graphe/sources/sae/cancero.py).
CONTREDITES = """
SELECT ?site ?besoin WHERE {
  ?p bo:contreditePar ?recente ; bo:etablissement ?site ; bo:besoin ?b .
  BIND(STRAFTER(STR(?b), "/besoin/") AS ?besoin)
  FILTER NOT EXISTS {
    ?q bo:etablissement ?site ; bo:besoin ?b .
    FILTER(?q != ?p)
    FILTER NOT EXISTS { ?q bo:contreditePar ?autre }
    FILTER NOT EXISTS { ?q bo:etat "inactive" }
  }
}"""


def test_une_enquete_contredite_n_est_jamais_une_preuve(moteur, store_national) -> None:
    """Règle de l'issue 7 : un site dont la seule preuve d'un besoin est une déclaration 2022 contredite par
    l'enquête 2023 n'est jamais rendu pour ce besoin, même dans sa propre commune."""
    from ontologie.espaces import entete_sparql

    lignes = list(store_national.query(entete_sparql() + CONTREDITES, use_default_graph_as_union=True))
    assert lignes, "l'instantané national doit contenir des déclarations contredites (CANCERO 2022 → 2023)"
    mots = {"radiotherapie": "radiothérapie", "chimiotherapie": "chimiothérapie"}
    par_iri = {e.iri: e for e in moteur.index.entites}
    verifies = 0
    for ligne in lignes:
        besoin, entite = ligne["besoin"].value, par_iri.get(ligne["site"].value)
        if besoin not in mots or entite is None or not entite.commune:
            continue
        assert besoin not in entite.besoins()
        reponse = moteur.demander(f"{mots[besoin]} à {entite.commune}", limite=10)
        assert entite.iri not in {r.iri for r in reponse.resultats}, (entite.nom, besoin)
        verifies += 1
    assert verifies > 0


@pytest.mark.parametrize(
    ("question", "departement"),
    [("radiothérapie à Saint-Pierre (La Réunion)", "974"), ("chimiothérapie à Fort-de-France", "972")],
)
def test_outre_mer_jamais_complete_par_la_metropole(moteur, question: str, departement: str) -> None:
    reponse = moteur.demander(question, limite=10)
    assert reponse.comprehension["lieu"]["departement"] == departement
    assert reponse.resultats
    par_iri = {e.iri: e for e in moteur.index.entites}
    assert {par_iri[r.iri].departement for r in reponse.resultats} == {departement}


@pytest.mark.parametrize("question", ["dentiste à Brest", "renouveler mon permis de conduire à Metz"])
def test_hors_du_champ_de_la_cancerologie_rien_et_le_dire(moteur, question: str) -> None:
    reponse = moteur.demander(question)
    assert reponse.resultats == []
    assert reponse.remarques and reponse.remarques[0].startswith("demande hors du champ de l'offre de cancérologie")
    # le même lieu avec un besoin de cancérologie répond
    assert moteur.demander("radiothérapie à " + question.rsplit(" à ", 1)[1]).resultats


@pytest.mark.parametrize("question", ["qui opère les cancers vers Albi ?", "médulloblastome chez un enfant à Nancy"])
def test_un_mot_de_cancer_non_compris_n_est_pas_hors_champ(moteur, question: str) -> None:
    """Un mot de cancérologie inconnu du thésaurus rend la question mal comprise, pas hors champ."""
    reponse = moteur.demander(question)
    assert reponse.comprehension["termes_non_compris"]
    assert not any(r.startswith("demande hors du champ") for r in reponse.remarques)
    assert reponse.resultats


@pytest.mark.parametrize(
    ("question", "reseau"),
    [
        ("RCP pour une tumeur neuroendocrine du grêle", "RENATEN"),
        ("RCP de recours pour un carcinome thymique", "RYTHMIC"),
        ("mélanome de l'uvée : où discuter le dossier en RCP ?", "MELACHONAT"),
    ],
)
def test_une_rcp_demandee_est_rendue_elle_meme(moteur, question, reseau):
    """« À quelle RCP… » : la RCP de recours du réseau de la tumeur vient d'abord, avec son périmètre et qui
    l'organise ; les sites qui l'organisent restent proposés après. Avant : seuls les sites étaient rendus."""
    reponse = moteur.demander(question, limite=10)
    entites = {e.iri: e for e in moteur.index.entites}
    premier = entites[reponse.resultats[0].iri]
    assert premier.nature == "rcp" and reseau in {p.reseau for p in premier.preuves}, premier.nom
    assert reponse.en_dict()["resultats"][0]["nature"] == "rcp"  # dit aux clients de l'API
    raisons = " ".join(r.fait for r in reponse.resultats[0].raisons)
    assert "RCP de recours" in raisons
    assert any(entites[r.iri].nature == "site" for r in reponse.resultats)  # les organisateurs, ensuite


def test_une_rcp_n_est_rendue_que_si_on_la_demande(moteur):
    """Un second avis sans RCP demandée : le centre de référence du réseau passe devant la RCP du réseau."""
    reponse = moteur.demander("second avis pour un carcinome thymique, patient suivi à Lille", limite=10)
    entites = {e.iri: e for e in moteur.index.entites}
    natures = [entites[r.iri].nature for r in reponse.resultats]
    assert natures[0] == "site" and "rcp" in natures  # la RCP RYTHMIC reste une réponse, pas la première
    # en orientation, « quel centre ? » : le centre d'abord, la RCP qu'il organise (même point) ensuite
    reponse = moteur.demander("mélanome choroïdien à Orléans, quel centre ?", limite=5)
    natures = [entites[r.iri].nature for r in reponse.resultats]
    assert natures[0] == "site" and reponse.resultats[0].finess == "750160012" and "rcp" in natures


def _references_par_sparql(store) -> set[str]:
    """FINESS des CHU / CHR (101) et CLCC (131) du graphe, lus par SPARQL sans le moteur."""
    from ontologie.espaces import entete_sparql

    requete = entete_sparql() + """
        SELECT ?finess WHERE {
          ?e a bo:Etablissement ; bo:finess ?finess ; bo:categorie ?cat .
          FILTER(STRENDS(STR(?cat), "/101") || STRENDS(STR(?cat), "/131"))
        }"""
    return {s["finess"].value for s in store.query(requete, use_default_graph_as_union=True)}


INEDITES = RACINE / "benchmarks" / "inedites" / "questions_inedites.jsonl"


@pytest.mark.parametrize("ident", ["i102", "i103", "i105"])
def test_second_avis_cancer_courant_centres_de_reference_du_plus_proche(moteur, store_national, ident):
    """Un cancer courant : des centres de référence (CHU, CLCC) qui opèrent et font de la chimiothérapie, jamais
    l'équipe qui suit (tous les sites de son entité juridique, listés par l'évaluateur externe depuis les fichiers
    bruts), le plus proche de sa ville d'abord."""
    question = next(q for q in charger_questions(INEDITES) if q["id"] == ident)
    reponse = moteur.demander(question["question"], limite=8)
    assert reponse.comprehension["intention"] == "second_avis"
    assert any("distances mesurées depuis" in r for r in reponse.remarques)
    references = _references_par_sparql(store_national)
    chirurgie = entites_avec_preuve(store_national, "chirurgie")
    chimio = entites_avec_preuve(store_national, "chimiotherapie")
    sites = [r for r in reponse.resultats if r.nature == "site"]
    assert sites, reponse.remarques
    for r in sites:
        assert r.finess in references, f"{r.nom} n'est ni un CHU ni un CLCC"
        assert r.finess not in question["exclure"], f"{r.nom} est de l'équipe qui suit"
        assert r.iri in chirurgie and r.iri in chimio
    distances = [r.distance_km for r in sites]
    assert all(d is not None for d in distances)
    assert distances[0] == min(distances)  # type: ignore[type-var]


def test_second_avis_cancer_courant_rcp_de_recours_de_la_region_seulement(moteur):
    """Suivi à Vannes (Bretagne) : la RCP de recours régionale bretonne d'abord ; suivi à Amiens : une RCP d'une
    autre région n'est pas le recours de ce patient, elle n'est jamais proposée."""
    breton = moteur.demander("second avis pour un cancer du rectum, patient suivi au CH de Vannes")
    assert breton.resultats[0].nature == "rcp" and "Bretagne" in breton.resultats[0].nom
    picard = moteur.demander("second avis pour un cancer du rectum, patient suivi au CHU d'Amiens", limite=LIMITE_MAX)
    assert not [r.nom for r in picard.resultats if r.nature == "rcp"]
