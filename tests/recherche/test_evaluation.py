"""Les fonctions pures de l'évaluation : rang, métriques, violations."""

from recherche.evaluation import metriques, rang_premier, violations


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
