"""Les recherches du profil IHE mCSD Directory : Organization ``active`` / ``partof`` / ``type``, Location
``organization`` / ``status``, HealthcareService ``location`` / ``service-type`` / ``_id`` / ``name`` et ``_include``.

Sur une table de sites faite main (entités juridiques, catégories, preuves) pour les recherches, et par HTTP sur le
petit instantané pour les paramètres, les refus (OperationOutcome) et la déclaration (CapabilityStatement validé
par ``fhir.resources``).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle as BundleFhir
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.operationoutcome import OperationOutcome

from api.fhir.mcsd import FiltresLieu, FiltresOrganisation, FiltresService, inclusions
from api.fhir.modeles import en_json
from api.fhir.parametres import Page, ParametreInvalide
from api.fhir.recherche import chercher_lieux, chercher_organisations, chercher_services
from api.service.sites import Site, TableSites
from recherche.index.catalogue import Entite, Preuve

PAGE = Page(50, 0)


def _preuve(besoin: str, niveau: str) -> Preuve:
    return Preuve(besoin, niveau, f"{niveau} de {besoin}", "S", "urn:s", "2024")


@pytest.fixture
def table() -> TableSites:
    def site(finess: str, nom: str, ej: str, categorie: str, *preuves: Preuve) -> Site:
        entite = Entite(f"urn:{finess}", nom, finess=finess, finess_ej=ej, categorie=categorie, preuves=list(preuves))
        return Site(entite)

    sites = [
        site("690000880", "Centre Léon Bérard", "690000872", "Centre de lutte contre le cancer",
             _preuve("radiotherapie", "autorisation"), _preuve("chimiotherapie", "liste_curee")),
        site("690781810", "Hôpital Lyon Sud", "690781800", "Centre hospitalier universitaire",
             _preuve("radiotherapie", "autorisation")),
        site("560000001", "Clinique de Vannes", "560000002", "Clinique", _preuve("chimiotherapie", "activite_sae")),
    ]
    table = TableSites(sites)
    table.entites_juridiques = {s.entite.finess_ej or "": f"EJ {s.entite.nom}" for s in sites}
    return table


def _ids(bundle) -> list[str]:
    return [e.resource.id for e in bundle.entry if e.search.mode == "match"]


def test_organization_active_partof_type(table: TableSites) -> None:
    def chercher(active=None, partof=None, type_=None) -> list[str]:
        filtres = FiltresOrganisation.lire(active, partof, type_)
        return _ids(chercher_organisations(table, "http://b", None, None, PAGE, None, filtres))

    tous = chercher()
    assert len(tous) == 6  # trois sites, trois entités juridiques
    assert chercher(active="true") == tous and chercher(active="false") == []
    assert chercher(partof="Organization/ej-690000872") == ["690000880"]
    assert chercher(partof="http://b/fhir/Organization/ej-560000002") == ["560000001"]
    assert chercher(type_="centre de lutte contre le cancer") == ["690000880"]
    assert chercher(type_="Clinique,Centre hospitalier universitaire") == ["690781810", "560000001"]
    with pytest.raises(ParametreInvalide, match="active"):
        chercher(active="oui")
    with pytest.raises(ParametreInvalide, match="partof"):
        chercher(partof="Location/690000880")


def test_location_organization_status(table: TableSites) -> None:
    def chercher(organization=None, status=None) -> list[str]:
        filtres = FiltresLieu.lire(organization, status)
        return _ids(chercher_lieux(table, "http://b", None, None, None, PAGE, None, None, filtres))

    assert chercher(organization="Organization/690781810") == ["690781810"]
    assert chercher(status="active") == ["690000880", "690781810", "560000001"]
    assert chercher(status="inactive,suspended") == []
    with pytest.raises(ParametreInvalide, match="status"):
        chercher(status="ouvert")


def test_healthcareservice_location_type_id_nom(table: TableSites) -> None:
    def chercher(location=None, service_type=None, id_=None, name=None) -> list[str]:
        filtres = FiltresService.lire(location, service_type, id_, name)
        return _ids(chercher_services(table, "http://b", None, None, PAGE, filtres))

    assert sorted(chercher(location="Location/690000880")) == ["690000880-chimiotherapie", "690000880-radiotherapie"]
    assert chercher(service_type="autorisation") == ["690000880-radiotherapie", "690781810-radiotherapie"]
    niveau = "https://w3id.org/boussole/ontologie#niveauPreuve|activite_sae"
    assert chercher(service_type=niveau) == ["560000001-chimiotherapie"]
    assert chercher(id_="690781810-radiotherapie,560000001-chimiotherapie") == [
        "690781810-radiotherapie",
        "560000001-chimiotherapie",
    ]
    assert chercher(name="lyon sud") == ["690781810-radiotherapie"]
    with pytest.raises(ParametreInvalide, match="location"):
        chercher(location="Organization/690000880")


def test_include_lieux_et_organisations_une_fois_chacun(table: TableSites) -> None:
    suivis = inclusions(["HealthcareService:location", "HealthcareService:organization"])
    bundle = chercher_services(table, "http://b", None, None, Page(2, 0), None, suivis)
    incluses = [(e.resource.resourceType, e.resource.id) for e in bundle.entry if e.search.mode == "include"]
    # les deux services de la page sont du même site : son lieu et son organisation, une fois chacun
    assert sorted(_ids(bundle)) == ["690000880-chimiotherapie", "690000880-radiotherapie"]
    assert incluses == [("Location", "690000880"), ("Organization", "690000880")]
    assert bundle.total == 4  # total : les correspondances seules
    BundleFhir.model_validate(en_json(bundle))
    with pytest.raises(ParametreInvalide, match="_include"):
        inclusions(["HealthcareService:endpoint"])


def test_par_http_parametres_compris_refus_et_declaration(client: TestClient) -> None:
    for chemin in (
        "/fhir/Organization?active=true&partof=Organization/ej-1&type=x",
        "/fhir/Location?organization=Organization/690000880&status=active",
        "/fhir/HealthcareService?location=Location/690000880&service-type=autorisation&_id=a&name=radio"
        "&_include=HealthcareService:location",
    ):
        r = client.get(chemin, headers={"Prefer": "handling=strict"})  # strict : un paramètre non compris serait 400
        assert r.status_code == 200, (chemin, r.text)
        BundleFhir.model_validate(r.json())
    lieux = client.get("/fhir/Location?organization=Organization/690000880").json()["entry"]
    assert [e["resource"]["id"] for e in lieux] == ["690000880"]
    assert client.get("/fhir/Organization?active=false").json()["total"] == 0
    for chemin in (
        "/fhir/Organization?active=peut-etre",
        "/fhir/Location?status=ferme",
        "/fhir/HealthcareService?_include=Location:x",
    ):
        r = client.get(chemin)
        assert r.status_code == 400, chemin
        OperationOutcome.model_validate(r.json())
    declaration = client.get("/fhir/metadata").json()
    CapabilityStatement.model_validate(declaration)
    par_type = {r["type"]: r for r in declaration["rest"][0]["resource"]}
    noms = {t: {p["name"] for p in r["searchParam"]} for t, r in par_type.items()}
    assert {"active", "partof", "type", "_id", "name"} <= noms["Organization"]
    assert {"organization", "status", "near"} <= noms["Location"]
    assert {"location", "service-type", "_id", "name"} <= noms["HealthcareService"]
    inclus = par_type["HealthcareService"]["searchInclude"]
    assert inclus == ["HealthcareService:location", "HealthcareService:organization"]


def test_meta_last_updated_date_des_faits_sources(client: TestClient) -> None:
    """La plus récente des dates de données des sources du petit instantané : FINESS, 2025-06-01 (les autres sont
    des années : 2023, 2024)."""
    from fhir.resources.R4B.location import Location as LocationFhir
    from fhir.resources.R4B.organization import Organization as OrganizationFhir

    attendu = "2025-06-01T00:00:00Z"
    organisation = client.get("/fhir/Organization/690000880").json()
    assert organisation["meta"] == {"lastUpdated": attendu}
    OrganizationFhir.model_validate(organisation)
    lieu = client.get("/fhir/Location/690000880").json()
    assert lieu["meta"]["lastUpdated"] == attendu
    LocationFhir.model_validate(lieu)
    for chemin in ("/fhir/Organization", "/fhir/Location"):
        bundle = client.get(chemin).json()
        assert {e["resource"]["meta"]["lastUpdated"] for e in bundle["entry"]} == {attendu}
        BundleFhir.model_validate(bundle)


def test_date_des_faits_annees_et_dates() -> None:
    from api.fhir.datation import _jour

    assert _jour("2023") == "2023-01-01" and _jour("2025-06-01") == "2025-06-01"
    assert _jour("2025-06-01T10:00:00") == "2025-06-01" and _jour("bientôt") is None
