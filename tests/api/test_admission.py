"""Admission bornée des questions : au-delà des places de calcul et d'attente, 503 immédiat avec Retry-After."""

from __future__ import annotations

import threading

import pytest

from api.service.admission import Admission, Sature


def test_refus_au_dela_de_l_attente_puis_places_rendues() -> None:
    admission = Admission(concurrence=1, attente_max=1)
    dedans, liberer = threading.Event(), threading.Event()

    def occuper() -> None:
        with admission.place():
            dedans.set()
            liberer.wait(5)

    occupant = threading.Thread(target=occuper)
    occupant.start()
    assert dedans.wait(5)
    # une place d'attente : la 2e question attend, la 3e est refusée tout de suite
    en_attente = threading.Thread(target=lambda: _entrer_sortir(admission))
    en_attente.start()
    for _ in range(100):
        if admission._en_attente == 2:  # noqa: SLF001 - l'état interne est ce qu'on vérifie
            break
        threading.Event().wait(0.01)
    with pytest.raises(Sature) as refus, admission.place():
        pass
    assert refus.value.retry_after_s == 1  # traduit en 503 + Retry-After par le gestionnaire d'erreurs
    assert "saturé" in refus.value.message and admission.refus == 1
    liberer.set()
    occupant.join(5)
    en_attente.join(5)
    with admission.place():  # tout est rendu
        assert admission._en_attente == 1  # noqa: SLF001


def _entrer_sortir(admission: Admission) -> None:
    with admission.place():
        pass


def test_orientation_saturee_repond_503_en_francais(client_national) -> None:
    app = client_national.app
    ancienne = app.state.admission
    app.state.admission = Admission(concurrence=1, attente_max=0)
    try:
        with app.state.admission.place():  # la seule place est prise
            r = client_national.get("/orientation", params={"q": "radiothérapie près de Vannes"})
        assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1
        assert r.json()["detail"].startswith("service saturé")
        assert client_national.get("/orientation", params={"q": "radiothérapie près de Vannes"}).status_code == 200
    finally:
        app.state.admission = ancienne


def test_saturation_traduite_en_503_avec_retry_after() -> None:
    """La réserve lève une exception du domaine ; seul le gestionnaire d'erreurs de l'application parle HTTP."""
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from api.service import erreurs_http

    app = FastAPI()
    erreurs_http.installer(app)
    admission = Admission(concurrence=1, attente_max=0, retry_after_s=7, message="service saturé : revenez")

    @app.get("/plein")
    def plein() -> dict:
        with admission.place(), admission.place():
            return {}

    r = TestClient(app).get("/plein")
    assert r.status_code == 503 and r.headers["retry-after"] == "7"
    assert r.json() == {"detail": "service saturé : revenez"}
