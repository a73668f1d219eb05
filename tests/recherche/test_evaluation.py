"""Les fonctions pures de l'évaluation : rang, métriques, violations, scores par genre (réponses faites main)."""

from recherche.evaluation import (
    Bilan,
    contraintes_inverifiables,
    departement_finess,
    est_notee,
    genre,
    inverifiables,
    mesurer,
    metriques,
    nom_attendu,
    rang_premier,
    rang_reussite,
    tableau_par_genre,
    violations,
)


def test_rang_premier():
    assert rang_premier(["b", "c"], ["a", "c", "b"]) == 2
    assert rang_premier(["z"], ["a", "b"]) == 0
    assert rang_premier(["k"], [str(i) for i in range(10)] + ["k"]) == 0  # au-delà des 10 premiers
    assert rang_premier(["a"], [None, "a"]) == 2


def test_metriques():
    m = metriques([1, 2, 0, 6])
    assert m["n"] == 4
    assert m["hit@1"] == 0.25
    assert m["hit@5"] == 0.5
    assert abs(m["mrr"] - (1 + 0.5 + 1 / 6) / 4) < 1e-9
    assert metriques([])["mrr"] == 0.0


def test_violations():
    preuves = {"radiotherapie": {"iri:a"}}
    q = {"contrainte": "radiotherapie", "exclure": ["111"]}
    resultats = [{"finess": "000", "iri": "iri:a"}, {"finess": "111", "iri": "iri:a"}, {"finess": None, "iri": "iri:b"}]
    v = violations(q, resultats, preuves)
    assert len(v) == 2
    assert any("iri:b" in x for x in v)
    assert any("111" in x and "exclure" in x for x in v)
    assert violations({}, resultats, preuves) == []


def test_violations_besoins_alternatifs():
    preuves = {"douleur": {"iri:a"}, "palliatif": {"iri:b"}}
    q = {"contrainte": ["douleur", "palliatif"]}
    resultats = [{"finess": "1", "iri": "iri:a"}, {"finess": "2", "iri": "iri:b"}, {"finess": "3", "iri": "iri:c"}]
    assert violations(q, resultats, preuves) == ["3 sans preuve de douleur ou palliatif"]


# -- le jeu inédit : noms attendus, interdits, départements permis, aucun résultat, contraintes invérifiables --
def _r(finess, nom="", iri=None):
    return {"finess": finess, "nom": nom, "iri": iri or f"iri:{finess or nom}"}


def test_un_nom_attendu_compte_comme_un_attendu():
    q = {"attendus": ["999"], "attendus_noms": ["ucog nord-pas-de-calais", "cancer & fertilite"]}
    resultats = [_r("111", "CH de Lens"), _r(None, "UCOG Nord-Pas-de-Calais (Lille)"), _r("999", "CHU")]
    assert rang_reussite(q, resultats) == 2  # le nom, au rang 2, avant le FINESS au rang 3
    # sous leur forme : accents, casse et ponctuation ne comptent pas (« & » disparaît des deux côtés)
    assert rang_reussite(q, [_r(None, "Association Cancer & Fertilité")]) == 1
    assert rang_reussite({"attendus_noms": ["escale"]}, [_r(None, "L'Escale")]) == 1
    assert rang_reussite(q, [_r("111", "UCOG Bretagne")]) == 0
    # au-delà des 10 premiers, un nom ne compte pas plus qu'un FINESS
    loin = [_r(str(i), "CH") for i in range(10)] + [_r(None, "UCOG Nord-Pas-de-Calais")]
    assert rang_reussite(q, loin) == 0


def test_nom_attendu_sans_nom():
    assert not nom_attendu(None, ["ucog"])
    assert not nom_attendu("UCOG Bretagne", [""])  # un fragment vide n'attrape pas tout


def test_aucun_resultat_attendu():
    q = {"aucun_resultat": True}
    assert est_notee(q)
    assert rang_reussite(q, []) == 1
    assert violations(q, [], {}) == []
    rendus = [_r("111", "CH"), _r(None, "Espace Ligue")]
    assert rang_reussite(q, rendus) == 0
    v = violations(q, rendus, {})
    assert len(v) == 2 and all("aucun résultat" in x for x in v)
    assert metriques([mesurer({"question": "kiné pour une entorse", **q}, [], {}, {}).rang])["hit@5"] == 1.0


def test_interdits_une_violation_par_resultat_interdit():
    q = {"interdits": ["222", "333"]}
    v = violations(q, [_r("111"), _r("222"), _r("333"), _r(None, "Espace Ligue")], {})
    assert v == ["222 rendu alors qu'il est interdit", "333 rendu alors qu'il est interdit"]


def test_departements_permis_par_le_graphe_puis_le_finess():
    q = {"departements_permis": ["974", "9D"]}
    departements = {"iri:a": "974", "iri:org": "974", "iri:b": "50"}
    resultats = [
        _r("970400057", iri="iri:a"),
        _r(None, "Espace Ligue (Saint-Denis)", iri="iri:org"),  # sans FINESS : le graphe la place par sa ville
        _r("500000013", iri="iri:b"),  # Cherbourg
        _r("970462107", iri="iri:inconnu"),  # hors du graphe : le FINESS, 97x sur 3 caractères
        _r(None, "Organisation sans lieu", iri="iri:nulle-part"),
    ]
    v = violations(q, resultats, {}, departements)
    assert v == [
        "500000013 hors des départements permis (50)",
        "Organisation sans lieu hors des départements permis (département inconnu)",
    ]
    # le graphe l'emporte sur le FINESS
    assert violations(q, [_r("970400057", iri="iri:b")], {}, departements) == [
        "970400057 hors des départements permis (50)"
    ]
    assert violations({}, resultats, {}, departements) == []


def test_departement_finess():
    assert departement_finess("290000025") == "29"
    assert departement_finess("970400057") == "974"
    assert departement_finess("970100442") == "971"
    assert departement_finess("980500011") == "976"  # Mayotte : ancien code 985
    assert departement_finess("2A0000014") == "2A"
    assert departement_finess(None) is None


def test_contrainte_invérifiable_comptee_a_part():
    preuves = {"radiotherapie": {"iri:a"}, "had": set()}
    resultats = [_r("1", iri="iri:a"), _r("2", iri="iri:b")]
    q = {"contrainte": "had", "interdits": ["2"]}
    assert contraintes_inverifiables(q, preuves) == ["had"]
    assert contraintes_inverifiables(q, {}) == ["had"]  # besoin absent des preuves : même chose
    # la contrainte tombe, pas les autres règles
    assert violations(q, resultats, preuves) == ["2 rendu alors qu'il est interdit"]
    # une alternative inconnue rend toute la contrainte invérifiable
    assert contraintes_inverifiables({"contrainte": ["radiotherapie", "had"]}, preuves) == ["had"]
    assert violations({"contrainte": ["radiotherapie", "had"]}, resultats, preuves) == []
    assert contraintes_inverifiables({"contrainte": "radiotherapie"}, preuves) == []
    m = mesurer({"id": "q", "question": "HAD à Brest", "contrainte": "had", "attendus": ["1"]}, resultats, preuves, {})
    assert m.inverifiables == ["had"] and m.violations == []
    bilan = Bilan("boussole", [m])
    assert bilan.chiffres["inverifiables"] == 1
    assert "had (q)" in inverifiables(bilan)
    assert inverifiables(Bilan("boussole", [mesurer({"question": "x"}, [], preuves, {})])) == ""


def test_genre_et_scores_par_genre():
    assert genre({"genre": "enfant", "type": "orientation"}) == "enfant"
    assert genre({"type": "second_avis"}) == "second_avis"  # jeux sans genre : le type
    preuves: dict[str, set[str]] = {}
    questions = [
        ({"id": "1", "question": "a", "genre": "enfant", "attendus": ["1"], "interdits": ["9"]}, [_r("9"), _r("1")]),
        ({"id": "2", "question": "b", "genre": "enfant", "attendus": ["1"]}, [_r("5")]),
        ({"id": "3", "question": "c", "type": "orientation", "attendus": ["1"]}, [_r("1")]),
        ({"id": "4", "question": "d", "genre": "hors_champ", "aucun_resultat": True}, [_r("1")]),
        ({"id": "5", "question": "e", "genre": "enfant"}, [_r("1")]),  # sans attendu : non notée
    ]
    bilan = Bilan("boussole", [mesurer(q, r, preuves, {}) for q, r in questions])
    g = bilan.par_genre()
    assert list(g) == ["enfant", "orientation", "hors_champ"]
    assert g["enfant"]["n"] == 2 and g["enfant"]["hit@1"] == 0.0 and g["enfant"]["hit@5"] == 0.5
    assert g["enfant"]["mrr"] == 0.25 and g["enfant"]["violations"] == 1
    assert g["orientation"]["hit@1"] == 1.0
    assert g["hors_champ"]["hit@5"] == 0.0 and g["hors_champ"]["violations"] == 1
    assert bilan.chiffres["n"] == 4 and bilan.chiffres["violations"] == 2
    texte = tableau_par_genre([bilan, Bilan("bm25 seul", bilan.mesures), Bilan("boussole-dense", bilan.mesures)])
    lignes = texte.splitlines()
    assert "boussole" in lignes[0] and "bm25 seul" in lignes[0] and "boussole-dense" not in lignes[0]
    assert lignes[2].split()[:2] == ["enfant", "2"] and len(lignes) == 5


def test_departements_lus_dans_le_graphe():
    """Le département d'un résultat vient du graphe : sa commune, sinon sa ville (la plus peuplée des homonymes),
    sinon le site auquel la structure est rattachée."""
    import pyoxigraph as ox
    from rdflib import RDF

    from ontologie.espaces import BO, SCHEMA, commune, departement, etablissement, organisation
    from recherche.evaluation import departements_par_entite

    def n(x):
        return ox.NamedNode(str(x))

    def lit(v):
        return ox.Literal(str(v))

    triplets = []
    for code, nom, dep, pop in [("97411", "Saint-Denis", "974", 150000), ("93066", "Saint-Denis", "93", 110000)]:
        c = n(commune(code))
        triplets += [
            (c, n(RDF.type), n(BO.Commune)),
            (c, n(SCHEMA.name), lit(nom)),
            (c, n(SCHEMA.latitude), lit(0.0)),
            (c, n(SCHEMA.longitude), lit(0.0)),
            (c, n(BO.population), lit(pop)),
            (c, n(BO.departement), n(departement(dep))),
            (n(departement(dep)), n(BO.code), lit(dep)),
        ]
    site, org, structure = n(etablissement("970400024")), n(organisation("essai", "ligue")), n(BO["essai-structure"])
    triplets += [
        (site, n(BO.commune), n(commune("93066"))),  # FINESS de La Réunion, commune du 93 : le graphe dit 93
        (org, n(BO.ville), lit("Saint-Denis")),  # homonymes : la plus peuplée (La Réunion)
        (structure, n(BO.etablissement), site),
    ]
    store = ox.Store()
    store.extend([ox.Quad(s, p, o) for s, p, o in triplets])
    deps = departements_par_entite(store)
    assert deps[site.value] == "93"
    assert deps[org.value] == "974"
    assert deps[structure.value] == "93"
