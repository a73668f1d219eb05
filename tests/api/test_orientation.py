"""/orientation et /second-avis sur l'instantané national : même forme que ``boussole demander --json``."""

from __future__ import annotations

import pytest


def test_get_meme_forme_que_la_cli(client_national, moteur) -> None:
    r = client_national.get("/orientation", params={"q": "radiothérapie près de Vannes", "limite": 3})
    assert r.status_code == 200
    attendu = moteur.demander("radiothérapie près de Vannes", limite=3).en_dict()
    corps = r.json()
    assert corps.keys() == attendu.keys()
    assert corps["comprehension"].keys() == attendu["comprehension"].keys()
    assert [x["finess"] for x in corps["resultats"]] == [x["finess"] for x in attendu["resultats"]]
    assert corps["resultats"][0].keys() == attendu["resultats"][0].keys()
    assert corps["resultats"][0]["raisons"][0].keys() == {"fait", "source", "date"}
    assert corps == attendu


def test_post_egal_get(client_national) -> None:
    q = "chimiothérapie pour un enfant de 8 ans près de Lille"
    a = client_national.get("/orientation", params={"q": q, "limite": 4}).json()
    b = client_national.post("/orientation", json={"q": q, "limite": 4})
    assert b.status_code == 200
    assert b.json() == a
    assert 1 <= len(a["resultats"]) <= 4


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x" * 501},
        {"q": "radiothérapie", "limite": 0},
        {"q": "radiothérapie", "limite": 51},
        {"q": "radiothérapie", "limite": "beaucoup"},
        {},
    ],
)
def test_422_parametres(client_national, params) -> None:
    r = client_national.get("/orientation", params=params)
    assert r.status_code == 422
    assert r.json()["detail"].startswith("paramètre(s) invalide(s)")


def test_422_post(client_national) -> None:
    assert client_national.post("/orientation", json={"q": "radio", "limite": 99}).status_code == 422
    assert client_national.post("/orientation", json={"limite": 3}).status_code == 422


def test_400_question_blanche(client_national) -> None:
    r = client_national.get("/orientation", params={"q": "   "})
    assert r.status_code == 400
    assert "question invalide" in r.json()["detail"]


def test_second_avis(client_national) -> None:
    r = client_national.get("/second-avis", params={"q": "second avis sarcome, suivi au CHU de Nantes"})
    assert r.status_code == 200
    corps = r.json()
    assert corps["comprehension"]["intention"] == "second_avis"
    assert corps["resultats"]
    assert all(x["commune"] != "Nantes" or "Nantes" not in x["nom"] for x in corps["resultats"])


def test_second_avis_relit_une_orientation(client_national) -> None:
    q = "sarcome, patient suivi au CHU de Nantes"
    corps = client_national.get("/second-avis", params={"q": q}).json()
    assert corps["question"] == q
    if corps["comprehension"]["intention"] == "second_avis":
        assert corps["resultats"]
    assert corps["remarques"] and "second avis" in corps["remarques"][0]
