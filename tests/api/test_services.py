"""Les services des ressources, sans HTTP : ressources FHIR typées, fiches, orientation, table des sites.

Sur le petit instantané de ``conftest.py`` (trois sites, une autorisation de radiothérapie chacun) ou sur des
objets faits main : ce que les routes servent se vérifie ici sans client HTTP.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from api.fhir import parametres
from api.fhir.modeles import Location, Organization, en_json
from api.fhir.parametres import ErreurFhir, ParametreInvalide
from api.fhir.recherche import chercher_lieux, chercher_services
from api.fhir.ressources import SYSTEME_IDNST, lieu, organisation, services
from api.fhir.service import Annuaire
from api.fiches import lecture, service
from api.orientation.service import ServiceOrientation
from api.service.admission import Admission, Sature
from api.service.erreurs import RequeteRefusee
from api.service.sites import CacheSites, Site, TableSites, construire
from graphe.instantane import Instantane, ouvrir
from ontologie import espaces
from recherche.index.catalogue import Entite, Preuve
from recherche.moteur import QuestionInvalide

VANNES = "560018038"


@pytest.fixture(scope="module")
def instantane(dossier_instantane: Path) -> Instantane:
    return ouvrir(dossier_instantane)


@pytest.fixture(scope="module")
def table(instantane: Instantane) -> TableSites:
    return construire(instantane.store)


def _preuve(besoin: str, niveau: str, source: str = "S", inactive: bool = False) -> Preuve:
    return Preuve(besoin, niveau, f"{niveau} de {besoin}", source, "urn:s", "2024", inactive=inactive)


# --- table des sites -------------------------------------------------------------------------------------


def test_besoins_du_site_dans_l_ordre_des_niveaux_de_preuve() -> None:
    entite = Entite(
        "urn:e",
        "Hôpital (site principal)",
        finess="123456789",
        preuves=[
            _preuve("radiotherapie", "activite_declaree"),
            _preuve("radiotherapie", "autorisation", source="Z"),
            _preuve("radiotherapie", "liste_curee"),
            _preuve("chimiotherapie", "autorisation", inactive=True),
            _preuve("chimiotherapie", "activite_declaree"),
        ],
    )
    site = Site(entite)
    besoins = site.besoins()
    assert list(besoins) == ["chimiotherapie", "radiotherapie"]  # alphabétique ; l'autorisation inactive est partie
    assert [p.niveau for p in besoins["radiotherapie"]] == ["autorisation", "liste_curee", "activite_declaree"]
    assert [p.niveau for p in besoins["chimiotherapie"]] == ["activite_declaree"]
    assert site.cle_nom == "hopital"  # la forme de comparaison de graphe.texte (parenthèses ôtées)


def test_table_du_petit_instantane_et_cache(instantane: Instantane, table: TableSites) -> None:
    assert [s.finess for s in table.sites] == ["560018038", "690000880", "690781810"]
    assert table.par_finess[VANNES].entite.commune == "Vannes"
    cache = CacheSites()
    assert cache.table(instantane) is cache.table(instantane)  # construite une fois par instantané


# --- FHIR ------------------------------------------------------------------------------------------------


def test_ressources_fhir_typees(table: TableSites) -> None:
    site = table.par_finess[VANNES]
    org = organisation(site)
    assert isinstance(org, Organization)
    assert [(i.type.coding[0].code, i.system, i.value) for i in org.identifier if i.type and i.type.coding] == [
        ("FINEG", "http://finess.sante.gouv.fr", VANNES),
        ("IDNST", SYSTEME_IDNST, "1" + VANNES),
    ]
    json_org = en_json(org)
    assert json_org["resourceType"] == "Organization" and "partOf" not in json_org and "type" not in json_org
    assert json_org["address"] == [{"use": "work", "type": "both", "country": "FRA", "postalCode": "56000",
                                    "city": "Vannes"}]
    loc = lieu(site)
    assert isinstance(loc, Location) and loc.position is None  # le petit instantané n'a pas de point lu
    avec_point = lieu(Site(Entite("urn:e", "Site", finess="123456789", latitude=47.6583512, longitude=-2.7609701)))
    assert avec_point.position is not None
    assert (avec_point.position.latitude, avec_point.position.longitude) == (47.658351, -2.76097)
    assert en_json(loc)["managingOrganization"] == {"reference": f"Organization/{VANNES}", "display": site.entite.nom}
    couvert = Site(Entite("urn:e", "Site", finess=VANNES, preuves=[_preuve("radiotherapie", "autorisation")]))
    (service_rt,) = services(couvert)
    assert service_rt.id == f"{VANNES}-radiotherapie"
    assert service_rt.type and service_rt.type[0].coding and service_rt.type[0].coding[0].code == "autorisation"
    assert service_rt.comment and service_rt.comment.startswith("Niveau de preuve : autorisation.")


def test_recherche_near_triee_par_distance() -> None:
    points = [
        ("100000001", "Loin", 48.85, 2.35),
        ("100000002", "Près", 45.75, 4.85),
        ("100000003", "Sans point", None, None),
        ("100000004", "Moyen", 45.69, 4.81),
    ]
    table = TableSites([Site(Entite(f"urn:{f}", n, finess=f, latitude=la, longitude=lo)) for f, n, la, lo in points])
    bundle = chercher_lieux(table, "http://b", None, None, parametres.pres("45.74|4.88|20|km"), parametres.Page(1, 0))
    assert bundle.total == 2 and [lien.relation for lien in bundle.link] == ["self", "next"]
    (entree,) = bundle.entry
    assert entree.resource.id == "100000002"
    extension = entree.search.extension[0] if entree.search.extension else None
    assert extension is not None and extension.valueDistance is not None and extension.valueDistance.value < 5
    for site in table.sites:
        site.entite.preuves = [_preuve("radiotherapie", "autorisation"), _preuve("chimiotherapie", "liste_curee")]
    rt = chercher_services(table, "http://b", "radiotherapie", "Organization/100000002", parametres.Page(50, 0))
    assert [s.resource.id for s in rt.entry] == ["100000002-radiotherapie"]
    assert chercher_services(table, "http://b", None, None, parametres.Page(50, 0)).total == 8


def test_annuaire_recherches_et_erreurs(instantane: Instantane) -> None:
    annuaire = Annuaire(instantane, CacheSites(), "http://boussole.test")
    page = annuaire.organisations(None, "bérard", "1", None)
    assert page.total == 1 and page.entry[0].fullUrl == "http://boussole.test/fhir/Organization/690000880"
    deux = annuaire.organisations(None, None, "1", "1")
    assert [lien.relation for lien in deux.link] == ["self", "next", "previous"]
    with pytest.raises(ParametreInvalide, match="_count"):
        annuaire.organisations(None, None, "0", None)
    with pytest.raises(ErreurFhir) as inconnu:
        annuaire.lire("Patient", "1")
    assert (inconnu.value.statut, inconnu.value.code) == (404, "not-supported")
    assert isinstance(annuaire.lire("Location", VANNES), Location)


def test_annuaire_sans_instantane_valide_d_abord_la_page() -> None:
    sans = Annuaire(None, CacheSites(), "http://boussole.test")
    with pytest.raises(ParametreInvalide):  # 400 avant 503, comme avant le déménagement
        sans.lieux(None, None, "91|0", None, None)
    with pytest.raises(ErreurFhir) as indisponible:
        sans.lieux(None, None, None, None, None)
    assert (indisponible.value.statut, indisponible.value.code) == (503, "transient")
    assert sans.declaration().date == "1970-01-01"


def test_parametres_fhir() -> None:
    assert parametres.page(None, "") == parametres.Page(50, 0)
    assert parametres.pres("47.66|-2.76") == parametres.Pres(47.66, -2.76, 50.0)
    assert parametres.motif_nom("Hôpital (AP-HP)") == "hopital"
    assert parametres.correspond_identifiant(VANNES, f"{SYSTEME_IDNST}|1{VANNES}")
    for valeur in ("1|2|3|mi", "1|2|0", "nan|1"):
        with pytest.raises(ParametreInvalide):
            parametres.pres(valeur)


# --- fiches ----------------------------------------------------------------------------------------------


def test_fiche_lue_par_source(instantane: Instantane) -> None:
    fiche = lecture.lire(instantane.store, str(espaces.etablissement(VANNES)))
    assert fiche is not None
    assert fiche.nom == "Centre hospitalier de Bretagne Atlantique" and fiche.commune == "Vannes"
    assert fiche.adresse.code_postal == "56000" and fiche.adresse.en_ligne() == "56000"
    titres = [s.titre for s in fiche.sources]
    assert titres == sorted(titres)
    autorisations = next(s for s in fiche.sources if s.titre == "Autorisations FINESS")
    assert [d.niveau for d in autorisations.designations] == ["autorisation"]
    assert lecture.lire(instantane.store, "pas une IRI") is None


def test_fiche_servie_dans_le_format_negocie(instantane: Instantane) -> None:
    iri = str(espaces.etablissement(VANNES))
    turtle = service.servir(instantane, iri, "text/turtle", None, "introuvable")
    assert turtle.type_contenu.startswith("text/turtle") and turtle.instantane == instantane.identifiant
    graphe = rdflib.Graph().parse(data=turtle.texte, format="turtle")
    assert (rdflib.URIRef(iri), rdflib.URIRef(str(espaces.SCHEMA) + "name"), None) in graphe
    assert service.servir(instantane, iri, None, None, "x").type_contenu.startswith("text/html")
    for args, statut in [
        ((None, iri, None, None, "x"), 503),
        ((instantane, iri, None, "pdf", "x"), 406),
        ((instantane, str(espaces.ID) + "rien", None, None, "pas là"), 404),
    ]:
        with pytest.raises(RequeteRefusee) as refus:
            service.servir(*args)
        assert refus.value.statut == statut


# --- orientation ----------------------------------------------------------------------------------------


class _Reponse:
    def __init__(self, quoi: str) -> None:
        self.quoi = quoi

    def en_dict(self) -> dict:
        return {"quoi": self.quoi}


class _Moteur:
    def demander(self, question: str, limite: int = 5) -> _Reponse:
        if not question.strip():
            raise QuestionInvalide("question vide")
        return _Reponse(f"orientation:{limite}")

    def second_avis(self, question: str, limite: int = 5) -> _Reponse:
        return _Reponse(f"second_avis:{limite}")


def test_service_orientation() -> None:
    admission = Admission(concurrence=1, attente_max=0)
    service_ = ServiceOrientation(_Moteur(), admission)  # type: ignore[arg-type]
    assert service_.orienter("radiothérapie", 3) == {"quoi": "orientation:3"}
    assert service_.second_avis("sarcome", 2) == {"quoi": "second_avis:2"}  # la politique est celle du moteur
    with pytest.raises(RequeteRefusee, match="question invalide : question vide") as refus:
        service_.orienter(" ", 3)
    assert refus.value.statut == 400
    with admission.place(), pytest.raises(Sature):  # la seule place est prise
        service_.orienter("radiothérapie", 3)
    with pytest.raises(RequeteRefusee, match="aucun index") as sans_index:
        ServiceOrientation(None, admission).orienter("radiothérapie", 3)
    assert sans_index.value.statut == 503
