"""Compréhension des questions : intention, besoins, lieux, âges, second avis, fautes de frappe.

Les 16 questions de développement sont recopiées ici (les tests ne lisent jamais le dossier partagé) ;
les autres cas sont ceux que le domaine annonce : abréviations, fautes, homonymes, mots courants.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recherche.comprendre.comprehension import Comprehenseur, Comprehension, population_deduite
from recherche.comprendre.repertoire import Gazetteer

DONNEES = Path(__file__).parents[2] / "donnees"

#: (question, intention, besoin attendu ou None, code INSEE du lieu ou None).
QUESTIONS_DEV = [
    ("radiothérapie près de Vannes", "orientation", "radiotherapie", "56260"),
    ("où faire des rayons autour de Valence (Drôme) ?", "orientation", "radiotherapie", "26362"),
    ("chimiothérapie à Cherbourg", "orientation", "chimiotherapie", "50129"),
    ("chimio proche de Niort", "orientation", "chimiotherapie", "79191"),
    ("opération d'un cancer près de Besançon", "orientation", "chirurgie", "25056"),
    ("chirurgie du cancer à Arras", "orientation", "chirurgie", "62041"),
    ("soins palliatifs à Albi", "orientation", "palliatif", "81004"),
    ("consultation douleur à Grenoble", "orientation", "douleur", "38185"),
    ("évaluation gériatrique, patient de 86 ans avec un cancer, Reims", "orientation", "geriatrie", "51454"),
    ("TEP-scan à Rennes", "orientation", "tep", "35238"),
    ("radiotherapie 06000", "orientation", "radiotherapie", "06088"),
    ("chimio dans le 64, vers Pau", "orientation", "chimiotherapie", "64445"),
    ("Gustave Roussy", "etablissement", None, None),
    ("Centre Léon Bérard", "etablissement", None, None),
    ("sarcome osseux ou des tissus mous près de Villejuif", "orientation", "cancer_rare", "94076"),
    ("second avis sarcome, patient suivi à Nantes", "second_avis", "cancer_rare", None),
]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.depuis_csv(DONNEES / "geo")


@pytest.fixture(scope="module")
def comp(gaz: Gazetteer) -> Comprehenseur:
    return Comprehenseur(gazetteer=gaz)


def lieu_code(c: Comprehension) -> str | None:
    return c.lieu.code if c.lieu else None


@pytest.mark.parametrize(("question", "intention", "besoin", "lieu"), QUESTIONS_DEV)
def test_questions_de_developpement(comp: Comprehenseur, question, intention, besoin, lieu) -> None:
    c = comp.comprendre(question)
    assert c.intention == intention
    if besoin:
        assert besoin in c.besoins
    else:
        assert c.besoins == []
    if lieu:
        assert lieu_code(c) == lieu
    assert c.termes_non_compris == []


def test_les_noms_d_etablissement_sont_rendus(comp: Comprehenseur) -> None:
    assert comp.comprendre("Gustave Roussy").nom_etablissement == "Gustave Roussy"
    c = comp.comprendre("Centre Léon Bérard")
    assert c.nom_etablissement == "Centre Léon Bérard"
    assert c.lieu is None  # « Léon » est une commune des Landes, mais ici c'est un prénom


def test_le_lieu_precis_l_emporte_sur_le_departement(comp: Comprehenseur) -> None:
    c = comp.comprendre("chimio dans le 64, vers Pau")
    assert c.lieu.type == "commune" and c.lieu.nom == "Pau"
    assert c.lieu.latitude and c.lieu.longitude


def test_code_postal(comp: Comprehenseur) -> None:
    c = comp.comprendre("radiotherapie 06000")
    assert c.lieu.type == "code_postal" and c.lieu.code == "06088" and c.lieu.code_postal == "06000"
    assert lieu_code(comp.comprendre("chimio 13005")) == "13055"


@pytest.mark.parametrize(
    "question",
    [
        "chimio à saint etienne",
        "chimio à St-Étienne",
        "CHIMIO ST ETIENNE",
        "chimio à Saint-Etienne",
        "chimio près de St Etienne",
        "chimio a st etienne",
    ],
)
def test_saint_etienne_sous_toutes_ses_formes(comp: Comprehenseur, question: str) -> None:
    c = comp.comprendre(question)
    assert lieu_code(c) == "42218"
    assert c.besoins == ["chimiotherapie"]


def test_fautes_de_frappe(comp: Comprehenseur) -> None:
    c = comp.comprendre("radiotérapie près de Quimpr")
    assert c.besoins == ["radiotherapie"] and lieu_code(c) == "29232"
    c = comp.comprendre("radiothérpie à Brest")
    assert c.besoins == ["radiotherapie"] and "radiothérpie" in c.termes_approches
    assert comp.comprendre("chimiotherapie a Cherbourg").besoins == ["chimiotherapie"]
    assert comp.comprendre("soins paliatifs a albi").besoins == ["palliatif"]


def test_une_faute_proche_n_invente_pas_de_besoin(comp: Comprehenseur) -> None:
    # « opérée » n'est pas « opérer » : une patiente opérée ne cherche pas forcément une chirurgie.
    assert "chirurgie" not in comp.comprendre("patiente opérée à Nantes, soins de support").besoins


def test_homonymes(comp: Comprehenseur) -> None:
    assert lieu_code(comp.comprendre("rayons à Valence (Drôme)")) == "26362"
    assert lieu_code(comp.comprendre("rayons à Valence 26")) == "26362"
    assert lieu_code(comp.comprendre("rayons à Valence")) == "26362"  # la plus peuplée
    assert lieu_code(comp.comprendre("rayons à Valence, Tarn-et-Garonne")) == "82186"
    assert lieu_code(comp.comprendre("radiothérapie à Aix")) == "13001"  # Aix-en-Provence, pas Aix (Corrèze)


def test_ages_et_populations(comp: Comprehenseur) -> None:
    c = comp.comprendre("Patient de 82 ans, cancer colorectal : où faire une évaluation gériatrique ?")
    assert (c.age, c.population) == (82, "personne_agee")
    assert c.besoins == ["geriatrie"] and c.localisations == ["colorectal"]
    c = comp.comprendre("enfant de 8 ans, leucémie, Lille")
    assert (c.age, c.population, lieu_code(c)) == (8, "enfant", "59350")
    c = comp.comprendre("bébé de 6 mois")
    assert (c.age, c.population) == (0, "enfant")
    assert comp.comprendre("adolescent et jeune adulte de 19 ans, lymphome").population == "aja"
    assert comp.comprendre("patiente de 20 ans, lymphome").population == "adulte"
    assert comp.comprendre("personne âgée, radiothérapie").population == "personne_agee"


def test_un_age_n_est_pas_un_departement(comp: Comprehenseur) -> None:
    c = comp.comprendre("patient de 84 ans, chimio")
    assert c.age == 84 and c.lieu is None


def test_population_deduite() -> None:
    assert population_deduite([], 16) == "enfant"
    assert population_deduite(["aja"], 16) == "aja"
    assert population_deduite(["aja"], 40) == "adulte"
    assert population_deduite([], 75) == "personne_agee"
    assert population_deduite(["enfant"], None) == "enfant"
    assert population_deduite([], None) is None


def test_localisations_profanes(comp: Comprehenseur) -> None:
    c = comp.comprendre("K du sein à Lyon")
    assert c.localisations == ["sein"] and lieu_code(c) == "69123"
    c = comp.comprendre("tumeur des tissus mous")
    assert c.localisations == ["sarcome"] and c.besoins == ["cancer_rare"] and c.reseaux == ["NETSARC+"]
    assert comp.comprendre("CHC près de Lille").localisations == ["foie"]
    assert "cancer_rare" not in comp.comprendre("cancer du sein").besoins


def test_departements_et_regions(comp: Comprehenseur) -> None:
    c = comp.comprendre("tumeur des tissus mous dans le 13")
    assert c.lieu.type == "departement" and c.lieu.code == "13" and c.lieu.latitude
    assert comp.comprendre("radiothérapie dans le 2A").lieu.code == "2A"
    c = comp.comprendre("TEP Bouches-du-Rhône")
    assert c.lieu.code == "13" and c.localisations == []
    c = comp.comprendre("Préservation de la fertilité avant chimiothérapie, région Grand Est")
    assert c.lieu.type == "region" and c.lieu.code == "44"
    assert c.besoins == ["fertilite"]  # la chimiothérapie n'est que le contexte
    assert comp.comprendre("oncogénétique en Bretagne").lieu.code == "53"
    assert comp.comprendre("TEP dans la Vienne").lieu.type == "departement"
    assert comp.comprendre("radiothérapie à Vienne").lieu.code == "38544"


def test_rayon(comp: Comprehenseur) -> None:
    c = comp.comprendre("dans un rayon de 50 km autour de Lyon, chirurgie du poumon")
    assert c.rayon_km == 50 and c.besoins == ["chirurgie"] and lieu_code(c) == "69123"
    assert comp.comprendre("rayons à moins de 30 km de Brest").rayon_km == 30


def test_mots_courants_et_petites_communes(comp: Comprehenseur) -> None:
    # Des communes s'appellent Y, Eu, Vers, Sens, Tours... jamais prises sans contexte.
    c = comp.comprendre("consultation douleur à Grenoble")
    assert c.besoins == ["douleur"] and lieu_code(c) == "38185"
    assert comp.comprendre("y a-t-il une radiothérapie vers chez moi").lieu is None
    assert comp.comprendre("tours de radiothérapie").lieu is None
    assert lieu_code(comp.comprendre("radiothérapie à Tours")) == "37261"
    assert comp.comprendre("chimio au nord de Lyon").lieu.code == "69123"


def test_second_avis_avec_equipe_a_exclure(comp: Comprehenseur) -> None:
    c = comp.comprendre("second avis pour une patiente suivie au CHU de Rennes, cancer de l'ovaire")
    assert c.intention == "second_avis"
    assert c.exclure == ["CHU de Rennes"]
    assert c.lieu_exclu.code == "35238" and c.lieu is None
    assert c.localisations == ["ovaire"]
    c = comp.comprendre("Second avis pour un mésothéliome pleural, hors de mon CHU")
    assert c.intention == "second_avis" and c.besoins == ["cancer_rare"] and c.exclure == []
    c = comp.comprendre("second avis sarcome, patient suivi à Nantes")
    assert c.exclure == ["Nantes"] and c.lieu_exclu.code == "44109" and c.lieu is None
    assert comp.comprendre("RCP de recours pour un cancer du pancréas").besoins == ["rcp_recours"]


def test_question_sans_lieu(comp: Comprehenseur) -> None:
    c = comp.comprendre("préservation de la fertilité avant chimiothérapie")
    assert c.lieu is None and c.besoins == ["fertilite"]
    assert "chimiothérapie" not in c.texte_recherche


def test_question_absurde(comp: Comprehenseur) -> None:
    c = comp.comprendre("blablabla zzz qwerty")
    assert c.vide and c.besoins == [] and c.lieu is None and c.intention == "orientation"
    assert c.termes_non_compris == ["blablabla", "zzz", "qwerty"]
    assert comp.comprendre("").vide
    assert comp.comprendre("?!; ,").vide


def test_en_dict_est_json(comp: Comprehenseur) -> None:
    d = comp.comprendre("chimio dans le 64, vers Pau").en_dict()
    assert json.loads(json.dumps(d))["lieu"]["code"] == "64445"
    assert {
        "intention",
        "besoins",
        "localisations",
        "population",
        "age",
        "lieu",
        "rayon_km",
        "exclure",
        "nom_etablissement",
        "texte_normalise",
        "termes_non_compris",
    } <= set(d)


def test_repertoire_depuis_le_store(gaz: Gazetteer) -> None:
    """Le moteur construit le répertoire depuis le graphe : mêmes lieux que depuis les CSV."""
    import datetime

    import pyoxigraph as ox

    from graphe.sources.base import Contexte
    from graphe.sources.geo import lire_communes, lire_departements, lire_regions

    contexte = Contexte(datetime.date.today())
    store = ox.Store()
    for lire in (lire_regions, lire_departements, lire_communes):
        lecture = lire(DONNEES, contexte)
        store.load(
            lecture.graphe.serialize(format="nt").encode(),
            ox.RdfFormat.N_TRIPLES,
            to_graph=ox.NamedNode(str(lecture.iri)),
        )
    depuis_store = Gazetteer.depuis_store(store)
    assert len(depuis_store.communes) == len(gaz.communes)
    comp = Comprehenseur(depuis_store)
    assert lieu_code(comp.comprendre("chimio dans le 64, vers Pau")) == "64445"
    assert comp.comprendre("radiothérapie dans le 64").lieu.chef_lieu == "64445"  # la plus peuplée
    assert lieu_code(comp.comprendre("radiotherapie 06000")) == "06088"


def test_texte_de_recherche_et_ville_exclue(comp: Comprehenseur) -> None:
    c = comp.comprendre("chimio dans le 64, vers Pau")
    assert "Pau" not in c.texte_recherche and "chimio" in c.texte_recherche
    c = comp.comprendre("second avis sarcome, patient suivi à Nantes")
    assert c.ville_exclue == "Nantes" and "Nantes" not in c.texte_recherche
    assert comp.comprendre("Gustave Roussy").texte_recherche == "Gustave Roussy"


# --- Formulations profanes, sigles et fautes des professionnels : un besoin attendu, rien de plus. ---

#: (formulation, besoins attendus exactement) ; chaque formulation est aussi essayée avec un lieu.
FORMULATIONS_BESOINS = [
    ("séances de rayons", ["radiotherapie"]),
    ("radiotérapie", ["radiotherapie"]),
    ("irradiation", ["radiotherapie"]),
    ("radiochirurgie stéréotaxique", ["radiotherapie"]),
    ("RTE", ["radiotherapie"]),
    ("traitement médicamenteux du cancer", ["chimiotherapie"]),
    ("immunothérapie", ["chimiotherapie"]),
    ("hôpital de jour d'oncologie", ["chimiotherapie"]),
    ("hopital de jour oncologie", ["chimiotherapie"]),
    ("HDJ d'oncologie", ["chimiotherapie"]),
    ("hospitalisation de jour en oncologie", ["chimiotherapie"]),
    ("se faire opérer d'un cancer", ["chirurgie"]),
    ("chirurgie carcinologique", ["chirurgie"]),
    ("chirurgie cancer du sein", ["chirurgie"]),
    ("chirurgie gynécologique cancer", ["chirurgie"]),
    ("chirurgie thoracique pour cancer", ["chirurgie"]),
    ("chirurgie urologique cancer", ["chirurgie"]),
    ("curiethérapie", ["curietherapie"]),
    ("PET scan", ["tep"]),
    ("petscan", ["tep"]),
    ("scintigraphie TEP", ["tep"]),
    ("tomographie par émission de positons", ["tep"]),
    ("lits identifiés soins palliatifs", ["palliatif"]),
    ("EMSP", ["palliatif"]),
    ("fin de vie", ["palliatif"]),
    ("centre anti-douleur", ["douleur"]),
    ("consultation antidouleur", ["douleur"]),
    ("algologie", ["douleur"]),
    ("EGS", ["geriatrie"]),
    ("UCOG", ["geriatrie"]),
    ("évaluation oncogériatrique", ["geriatrie"]),
    ("onco gériatrie", ["geriatrie"]),
    ("consultation de génétique", ["oncogenetique"]),
    ("Lynch", ["oncogenetique"]),
    ("cancer familial", ["oncogenetique"]),
    ("forme héréditaire de cancer", ["oncogenetique"]),
    ("prédisposition", ["oncogenetique"]),
    ("conservation des ovocytes", ["fertilite"]),
    ("congélation des ovocytes", ["fertilite"]),
    ("vitrification d'ovocytes", ["fertilite"]),
    ("congélation de sperme", ["fertilite"]),
    ("congélation de tissu ovarien", ["fertilite"]),
    ("préservation ovocytaire", ["fertilite"]),
    ("CECOS", ["fertilite"]),
    ("soutien psy", ["soins_support"]),
    ("socio-coiffure", ["soins_support"]),
    ("soutien social", ["soins_support"]),
    ("kiné", ["soins_support"]),
    ("lymphome T cutané", ["cancer_rare"]),
    ("tumeur cérébrale rare", ["cancer_rare"]),
    ("tumeur neuro-endocrine", ["cancer_rare"]),
]


@pytest.mark.parametrize(("formulation", "besoins"), FORMULATIONS_BESOINS)
@pytest.mark.parametrize(
    ("gabarit", "lieu"), [("{}", None), ("{} près de Tours", "37261"), ("Bonjour, {} à Laval ?", "53130")]
)
def test_formulations_des_besoins(comp: Comprehenseur, formulation, besoins, gabarit, lieu) -> None:
    c = comp.comprendre(gabarit.format(formulation))
    assert c.besoins == besoins
    assert lieu_code(c) == lieu  # un mot de besoin n'est jamais pris pour un lieu


@pytest.mark.parametrize(
    ("question", "besoins"),
    [
        # La modalité citée après « avant », « après », « pendant » n'est que le contexte d'un autre besoin.
        ("préservation de la fertilité avant une chimio", ["fertilite"]),
        ("conservation des ovocytes avant un traitement du cancer à Tours", ["fertilite"]),
        ("congélation de sperme avant radiothérapie", ["fertilite"]),
        ("préserver sa fertilité avant une chirurgie", ["fertilite"]),
        ("évaluation gériatrique avant chimiothérapie, patiente de 83 ans", ["geriatrie"]),
        ("radiothérapie après chirurgie du sein", ["radiotherapie"]),
        ("TEP avant chirurgie du poumon", ["tep"]),
        ("consultation douleur après mastectomie", ["douleur"]),
        # Seule, la modalité reste le besoin ; sans mot de contexte, deux besoins restent deux besoins.
        ("suivi après radiothérapie", ["radiotherapie"]),
        ("chimio et chirurgie du cancer du rectum", ["chimiotherapie", "chirurgie"]),
        # Plusieurs soins de support : gardés tous (le classement les traite comme des alternatives).
        ("Soins de support près de Rodez : douleur, soins palliatifs", ["soins_support", "douleur", "palliatif"]),
        # Une RCP déjà tenue n'est que le contexte ; une RCP à trouver (« présenter en RCP ») est le besoin.
        ("mon dossier est passé en RCP, radiothérapie à Lyon", ["radiotherapie"]),
        ("dossier discuté en RCP : chimiothérapie près de Nantes", ["chimiotherapie"]),
        ("je voudrais présenter un dossier en RCP nationale", ["rcp_recours"]),
        ("RCP pour une tumeur neuroendocrine du grêle", ["rcp_recours", "cancer_rare"]),
    ],
)
def test_modalite_de_contexte(comp: Comprehenseur, question: str, besoins: list[str]) -> None:
    assert comp.comprendre(question).besoins == besoins


def test_le_texte_de_recherche_ne_porte_pas_le_contexte(comp: Comprehenseur) -> None:
    c = comp.comprendre("conservation des ovocytes avant un traitement du cancer à Tours")
    assert c.besoins == ["fertilite"] and lieu_code(c) == "37261" and c.termes_non_compris == []
    assert "radiothérapie" not in comp.comprendre("congélation de sperme avant radiothérapie").texte_recherche


#: (lieu tel qu'écrit, code attendu : INSEE d'une commune, « D » + département, « R » + région).
LIEUX = [
    ("près du Mans", "72181"),
    ("au Puy-en-Velay", "43157"),
    ("à côté de Rennes", "35238"),
    ("du côté de Nantes", "44109"),
    ("pas loin de Reims", "51454"),
    ("aux Sables d'Olonne", "85194"),
    ("près du Havre", "76351"),
    ("à Saint-Denis (93)", "93066"),
    ("Bordeaux 33000", "33063"),
    ("à Montpelier", "34172"),
    ("vers Strasbour", "67482"),
    ("dans le Puy-de-Dôme", "D63"),
    ("dans le Pas-de-Calais", "D62"),
    ("dans le Val-de-Marne", "D94"),
    ("dans la Creuse", "D23"),
    ("en Côte-d'Or", "D21"),
    ("haute-garonne", "D31"),
    ("Bretagne", "R53"),
    ("à La Réunion", "D974"),
    ("Centre-Val de Loire", "R24"),
    ("à Mayenne", "53147"),
    ("en Mayenne", "D53"),
]


def code_zone(c: Comprehension) -> str | None:
    if c.lieu is None or c.lieu.type in ("commune", "code_postal"):
        return lieu_code(c)
    return ("D" if c.lieu.type == "departement" else "R") + c.lieu.code


@pytest.mark.parametrize(("lieu", "attendu"), LIEUX)
@pytest.mark.parametrize("gabarit", ["radiothérapie {}", "{} : chimio", "Je cherche une TEP {} pour mon patient"])
def test_lieux_difficiles(comp: Comprehenseur, lieu: str, attendu: str, gabarit: str) -> None:
    c = comp.comprendre(gabarit.format(lieu))
    assert code_zone(c) == attendu
    assert len(c.besoins) == 1


def test_un_numero_entre_parentheses_avant_une_unite_reste_un_departement(comp: Comprehenseur) -> None:
    c = comp.comprendre("patient de 60 ans habitant Saint-Denis (93), séances de rayons ?")
    assert lieu_code(c) == "93066" and c.age == 60 and c.termes_non_compris == []


@pytest.mark.parametrize(
    "question",
    [
        "Docteur Martin cherche une chimio",
        "Patiente Mme Durand, sarcome",
        "Professeur Blay, sarcome",
        "chimio, Dr Laval",
        "Existe-t-il une consultation douleur ?",
        "centre de radiothérapie",
        "patient en soins palliatifs",
        "plusieurs tours de chimio",
        "radiothérapie pour un cancer de la langue",
    ],
)
def test_pas_de_lieu_invente(comp: Comprehenseur, question: str) -> None:
    assert comp.comprendre(question).lieu is None


def test_les_noms_d_etablissement_ne_sont_pas_des_lieux_mal_ecrits(comp: Comprehenseur) -> None:
    c = comp.comprendre("Hôpital européen Georges-Pompidou")
    assert c.intention == "etablissement" and c.lieu is None
    c = comp.comprendre("radiothérapie en région Centre-Val de Loire")
    assert c.nom_etablissement is None and c.lieu.code == "24"


def test_nom_propre_mal_ecrit_sans_preposition(comp: Comprehenseur) -> None:
    assert lieu_code(comp.comprendre("Bonjour, Montpelier : chimio svp")) == "34172"
    assert lieu_code(comp.comprendre("TEP Strasbour")) == "67482"


@pytest.mark.parametrize(
    ("question", "besoins", "exclure", "lieu_exclu"),
    [
        ("deuxième avis mésothéliome, patient suivi au CHU de Lille", ["cancer_rare"], ["CHU de Lille"], "59350"),
        # un cancer courant : aucun besoin compris, les contraintes cherchent RCP régionale et centres de référence
        ("2e avis cancer du pancréas", [], [], None),
        ("second avis, patient suivi au CH de Vannes", ["rcp_recours"], ["CH de Vannes"], "56260"),
        ("relecture du dossier d'un patient atteint de sarcome", ["cancer_rare"], [], None),
        ("seconde opinion sur un GIST, suivi au CHU de Nantes", ["cancer_rare"], ["CHU de Nantes"], "44109"),
        ("demande de 2e avis, lymphome cutané, patient pris en charge à Rennes", ["cancer_rare"], ["Rennes"], "35238"),
        ("second avis tumeur neuroendocrine hors du CHU de Rouen", ["cancer_rare"], ["CHU de Rouen"], "76540"),
        ("avis d'expert cancer rare de la thyroïde", ["cancer_rare"], [], None),
    ],
)
def test_formes_de_second_avis(comp: Comprehenseur, question, besoins, exclure, lieu_exclu) -> None:
    c = comp.comprendre(question)
    assert c.intention == "second_avis" and c.besoins == besoins and c.lieu is None
    assert c.exclure == exclure
    assert (c.lieu_exclu.code if c.lieu_exclu else None) == lieu_exclu


@pytest.mark.parametrize(
    ("question", "nom"),
    [
        ("chu bordeaux", "chu bordeaux"),
        ("clinique pasteur toulouse", "clinique pasteur toulouse"),
        ("hôpital de la Pitié", "hôpital de la Pitié"),
        ("Institut de cancérologie de l'Ouest", "Institut de cancérologie de l'Ouest"),
        ("IGR Villejuif", "IGR Villejuif"),
        ("Hôtel-Dieu de Nantes", "Hôtel-Dieu de Nantes"),
    ],
)
def test_nom_d_etablissement_en_minuscules_sigle_ou_avec_liaisons(comp: Comprehenseur, question, nom) -> None:
    """Sans majuscule, avec « de la » / « de l' » ou par sigle, un nom d'établissement reste un nom."""
    c = comp.comprendre(question)
    assert c.intention == "etablissement"
    assert c.nom_etablissement == nom


def test_un_nom_propre_suivi_de_sa_ville_est_un_etablissement(comp: Comprehenseur) -> None:
    c = comp.comprendre("Godinot Reims")
    assert c.intention == "etablissement"


def test_un_mot_de_type_seul_n_est_pas_un_nom(comp: Comprehenseur) -> None:
    c = comp.comprendre("hôpital le plus proche de quimper")
    assert c.intention == "orientation" and c.nom_etablissement is None


def test_developper_sigles() -> None:
    from recherche.comprendre.etablissements import developper_sigles

    assert developper_sigles("igr villejuif") == "gustave roussy villejuif"
    assert developper_sigles("institut de cancerologie de l ouest angers") == "ico angers"
    assert developper_sigles("iuct oncopole") == "oncopole"
    # un sigle n'est remplacé qu'en mot entier
    assert developper_sigles("tigre") == "tigre"
