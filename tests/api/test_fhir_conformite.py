"""La façade FHIR face à un client réel : ressources validées par ``fhir.resources`` (R4B, le plus proche de R4
que publie la bibliothèque), paramètres inconnus signalés ou refusés, erreurs en OperationOutcome, 406, ``near``."""

from __future__ import annotations

from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.organization import Organization

from api.fhir import parametres


def _resultats(bundle: dict) -> list[dict]:
    return [e["resource"] for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


def test_ressources_validees(client: TestClient) -> None:
    CapabilityStatement.model_validate(client.get("/fhir/metadata").json())
    for chemin in ("/fhir/Organization", "/fhir/Location", "/fhir/HealthcareService", "/fhir/Organization?foo=1"):
        Bundle.model_validate(client.get(chemin).json())
    Organization.model_validate(client.get("/fhir/Organization/690000880").json())
    Location.model_validate(client.get("/fhir/Location/690000880").json())


def test_id_et_nom(client: TestClient) -> None:
    assert [r["id"] for r in _resultats(client.get("/fhir/Organization?_id=690000880").json())] == ["690000880"]
    nom = client.get("/fhir/Organization/690000880").json()["name"]
    exact = _resultats(client.get("/fhir/Organization", params={"name:exact": nom}).json())
    assert [r["id"] for r in exact] == ["690000880"]
    assert _resultats(client.get("/fhir/Organization", params={"name:exact": nom.lower() + "x"}).json()) == []
    contient = _resultats(client.get("/fhir/Organization", params={"name:contains": nom[2:8].lower()}).json())
    tous = _resultats(client.get("/fhir/Organization?_count=500").json())
    assert "690000880" in [r["id"] for r in contient] and len(contient) < len(tous)


def test_parametre_inconnu_signale_ou_refuse(client: TestClient) -> None:
    bundle = client.get("/fhir/Organization?inconnu=1").json()
    avis = [e for e in bundle["entry"] if e["search"]["mode"] == "outcome"]
    assert len(avis) == 1 and "inconnu" in avis[0]["resource"]["issue"][0]["diagnostics"]
    OperationOutcome.model_validate(avis[0]["resource"])
    r = client.get("/fhir/Organization?inconnu=1", headers={"Prefer": "handling=strict"})
    assert r.status_code == 400
    OperationOutcome.model_validate(r.json())


def test_erreurs_en_operation_outcome(client: TestClient) -> None:
    for chemin in ("/fhir/Practitioner", "/fhir/Organization/690000880/_history", "/fhir/Organization/inconnu"):
        r = client.get(chemin)
        assert r.status_code == 404, chemin
        assert r.json()["resourceType"] == "OperationOutcome", chemin
        OperationOutcome.model_validate(r.json())


def test_format_xml_refuse_406(client: TestClient) -> None:
    for r in (
        client.get("/fhir/Organization?_format=xml"),
        client.get("/fhir/Organization", headers={"Accept": "application/fhir+xml"}),
        client.get("/fhir/metadata?_format=xml"),
    ):
        assert r.status_code == 406
        OperationOutcome.model_validate(r.json())
    assert client.get("/fhir/Organization", headers={"Accept": "application/fhir+json"}).status_code == 200
    assert client.get("/fhir/Organization?_format=json").status_code == 200


def test_near_en_metres(client: TestClient) -> None:
    assert parametres.pres("45.75|4.85|30000|m") == parametres.pres("45.75|4.85|30|km")
    assert parametres.pres("45.75|4.85|30").distance_km == 30
    r = client.get("/fhir/Location?near=45.75|4.85|30000|m")
    assert r.status_code == 200
    Bundle.model_validate(r.json())
    refus = client.get("/fhir/Location?near=45.75|4.85|30|mi")
    assert refus.status_code == 400 and refus.json()["resourceType"] == "OperationOutcome"
