"""Budgets SPARQL par client (à la WDQS) : requêtes à la fois, secondes de travailleur par fenêtre glissante.

Le test central est réel : un client inonde le point d'accès de requêtes lentes (chacune sous le délai) ; un
second client est servi pendant l'inondation, l'inondateur reçoit des 429 qui disent quel budget est épuisé et
quand revenir, et son budget revient après la fenêtre.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from api.sparql.budgets import BudgetEpuise, BudgetsClients
from api.sparql.execution import _Guichet

LENTE = "SELECT (COUNT(*) AS ?n) WHERE { ?a bo:valeur ?x . ?b bo:valeur ?y }"  # 9 millions de lignes comptées
LEGERE = "SELECT ?nom WHERE { ?s a bo:Etablissement ; schema:name ?nom } ORDER BY ?nom"
INONDATEUR = ("198.51.100.7", 4000)
AUTRE = ("203.0.113.9", 5000)


class Horloge:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def test_budget_de_concurrence_et_son_retour() -> None:
    horloge = Horloge()
    budgets = BudgetsClients(concurrence=2, secondes=60, fenetre_s=60, delai_s=10, horloge=horloge)
    with budgets.requete("a"), budgets.requete("a"):
        horloge.t += 3
        with pytest.raises(BudgetEpuise) as refus, budgets.requete("a"):
            pass
        assert refus.value.budget == "concurrence" and refus.value.statut == 429
        assert refus.value.retry_after_s == 7  # la plus ancienne atteint le délai dans 7 s au plus
        assert refus.value.champs == {"budget": "concurrence"}
        assert "budget de concurrence épuisé" in refus.value.message
        with budgets.requete("b"):  # un autre client n'en pâtit pas
            assert budgets.en_cours("b") == 1
    assert budgets.en_cours("a") == 0
    with budgets.requete("a"):  # les places sont rendues
        pass
    assert budgets.refus == {"concurrence": 1, "temps": 0}


def test_budget_de_temps_fenetre_glissante() -> None:
    horloge = Horloge()
    budgets = BudgetsClients(concurrence=5, secondes=10, fenetre_s=60, delai_s=10, horloge=horloge)
    for travail in (4.0, 4.0, 3.0):  # facturé à la fin de chaque requête : 11 s
        with budgets.requete("a") as facture:
            facture.travail_s = travail
        horloge.t += 5
    assert budgets.consomme("a") == pytest.approx(11.0)
    with pytest.raises(BudgetEpuise) as refus, budgets.requete("a"):
        pass
    assert refus.value.budget == "temps" and "budget de temps épuisé" in refus.value.message
    # la première charge (t=1000) sort de la fenêtre à t=1060 : il reste 7 s < 10 s ; on est à t=1015
    assert refus.value.retry_after_s == 45
    horloge.t += 45
    with budgets.requete("a"):
        pass
    assert budgets.consomme("a") == pytest.approx(7.0)


def test_clients_oublies_quand_leur_fenetre_est_vide() -> None:
    horloge = Horloge()
    budgets = BudgetsClients(concurrence=2, secondes=10, fenetre_s=60, delai_s=10, horloge=horloge)
    for i in range(500):
        with budgets.requete(f"10.0.{i // 250}.{i % 250}") as facture:
            facture.travail_s = 0.1
    horloge.t += 61
    with budgets.requete("autre"):
        pass
    assert len(budgets._comptes) == 0  # noqa: SLF001 - la mémoire bornée est ce qu'on vérifie


def test_guichet_laisse_un_travailleur_aux_autres_et_sert_le_moins_servi() -> None:
    guichet = _Guichet(plafond=1)
    t1, t2 = object(), object()
    guichet.deposer(t1)  # type: ignore[arg-type]
    guichet.deposer(t2)  # type: ignore[arg-type]
    assert guichet.prendre("a", 1) is t1
    assert guichet.prendre("a", 0.05) is None  # « a » tient déjà tout ce qu'il peut : t2 reste aux autres
    assert guichet.prendre("b", 1) is t2
    # un travailleur libre, deux attentes : il va à « c » (n'en tient aucun), pas à « a » (arrivé avant, en tient un)
    obtenus: list[tuple[str, object]] = []
    guichet = _Guichet(plafond=2)
    occupe = object()
    guichet.deposer(occupe)  # type: ignore[arg-type]
    assert guichet.prendre("a", 1) is occupe
    fils = [
        threading.Thread(target=lambda c=c: obtenus.append((c, guichet.prendre(c, 5)))) for c in ("a", "c")
    ]
    for f in fils:
        f.start()
    _attendre(lambda: len(guichet._attente) == 2)  # noqa: SLF001 - les deux demandes attendent
    libre = object()
    guichet.deposer(libre)  # type: ignore[arg-type]
    _attendre(lambda: len(obtenus) == 1)
    assert obtenus == [("c", libre)]  # « c » n'en tenait aucun, « a » un : « c » d'abord, quel que soit l'ordre
    guichet.rendre("a")
    guichet.deposer(occupe)  # type: ignore[arg-type]
    for f in fils:
        f.join(5)
    assert obtenus == [("c", libre), ("a", occupe)]


def _attendre(condition, limite_s: float = 10.0) -> None:
    fin = time.monotonic() + limite_s
    while not condition():
        assert time.monotonic() < fin, "condition jamais remplie"
        time.sleep(0.01)


def _statut(r) -> tuple[int, str | None, int | None]:
    corps = r.json()
    retry = int(r.headers["retry-after"]) if "retry-after" in r.headers else None
    return r.status_code, corps.get("budget") if isinstance(corps, dict) else None, retry


def test_inondation_un_autre_client_reste_servi_et_le_budget_revient(fabrique) -> None:
    app = fabrique(
        sparql_travailleurs=2,
        sparql_delai_s=8.0,
        sparql_concurrence_client=2,
        sparql_temps_client_s=2.0,
        sparql_fenetre_client_s=10.0,
    )
    with TestClient(app):
        inondateur = TestClient(app, client=INONDATEUR)
        autre = TestClient(app, client=AUTRE)
        budgets = app.state.budgets_sparql
        reponses: list = []
        fin = threading.Event()

        def inonder(_: int) -> None:
            while not fin.is_set():
                reponses.append(inondateur.get("/sparql", params={"query": LENTE}))
                time.sleep(0.05)

        servies = []
        with ThreadPoolExecutor(6) as pool:
            taches = [pool.submit(inonder, i) for i in range(6)]
            limite = time.monotonic() + 30
            while budgets.en_cours(INONDATEUR[0]) < 2:
                assert time.monotonic() < limite, "l'inondateur n'a jamais eu deux requêtes en cours"
                time.sleep(0.02)
            # pendant l'inondation : l'autre client est servi, tout de suite et en entier
            for _ in range(3):
                r = autre.get("/sparql", params={"query": LEGERE})
                assert r.status_code == 200, r.text
                assert len(r.json()["results"]["bindings"]) == 3
                servies.append(budgets.en_cours(INONDATEUR[0]))
                time.sleep(0.1)
            # l'inondateur épuise son budget de temps : on le laisse inonder jusqu'au refus « temps »
            while not any(_statut(r)[1] == "temps" for r in list(reponses)):
                assert time.monotonic() < limite + 30, [r.status_code for r in reponses]
                time.sleep(0.1)
            fin.set()
            for t in taches:
                t.result()
        assert max(servies) >= 1  # l'autre a bien été servi pendant que l'inondateur occupait un travailleur
        statuts = [_statut(r) for r in reponses]
        reussies = [r for r in reponses if r.status_code == 200]
        assert reussies and all(r.json()["results"]["bindings"][0]["n"]["value"] == "9000000" for r in reussies)
        refus = [r for r in reponses if r.status_code == 429]
        assert {s[1] for s in statuts if s[0] == 429} == {"concurrence", "temps"}, statuts
        for r in refus:  # chaque 429 : français, quel budget, quand revenir
            assert r.json()["detail"].startswith(("budget de concurrence épuisé", "budget de temps épuisé"))
            assert 1 <= int(r.headers["retry-after"]) <= 10
        assert all(s[0] in (200, 429) for s in statuts), statuts  # jamais de 503 : les budgets protègent
        # après la fenêtre (Retry-After), le budget revient
        attente = max(s[2] for s in statuts if s[1] == "temps")  # type: ignore[type-var]
        r = inondateur.get("/sparql", params={"query": LEGERE})
        assert _statut(r)[1] == "temps"
        time.sleep(int(r.headers["retry-after"]) + 0.2)
        assert attente >= 1
        r = inondateur.get("/sparql", params={"query": LEGERE})
        assert r.status_code == 200, r.text


def test_page_sparql_dit_les_budgets_et_le_plafond_d_octets() -> None:
    from api.reglages import Reglages
    from api.sparql.page import page

    html = page(Reglages(sparql_concurrence_client=3, sparql_temps_client_s=45, sparql_octets_max=123456), None)
    assert "3 requêtes" in html and "45 s de calcul" in html and "123456 octets au plus" in html
