"""Les pages servies (CSP stricte, liste d'API autorisées, fichiers statiques compressés, fond de carte) et les
filtres de /orientation, sur l'instantané national (``BOUSSOLE_TESTS_INSTANTANE``)."""

from __future__ import annotations

import gzip
import re

import pytest
from fastapi.testclient import TestClient

from api.app import creer_app
from api.orientation.filtres import BESOINS, POPULATIONS, question_composee
from api.reglages import Reglages

PAGES_HTML = ["/", "/widget", "/docs", "/accessibilite", "/sparql", "/etablissements/940000664"]
#: Budget du script intégrable, compressé (gzip) : un widget doit rester léger chez les partenaires.
BUDGET_WIDGET_GZIP = 30 * 1024


@pytest.mark.parametrize("chemin", PAGES_HTML)
def test_pages_sous_csp_stricte_sans_script_en_ligne(client_national, chemin: str) -> None:
    r = client_national.get(chemin, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text[:300]
    csp = r.headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    # aucun script en ligne, aucun gestionnaire d'événement en attribut, aucune ressource externe
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text)
    assert not re.search(r"\son[a-z]+=", r.text)
    if chemin != "/docs":  # Swagger UI pose des styles en ligne : permis sur /docs seulement
        assert "<style" not in r.text and "'unsafe-inline'" not in csp
    assert not re.search(r"""(src|href)=["']https?://(?!w3id|www\.w3\.org)""", r.text.split("<main")[0])


def test_fiche_et_sparql_etiquetes(client_national) -> None:
    texte = client_national.get("/sparql", headers={"Accept": "text/html"}).text
    zones = re.findall(r'<textarea id="([^"]+)"', texte)
    assert zones and len(zones) == texte.count("<textarea")
    for ident in zones:
        assert f'<label for="{ident}">' in texte


def test_api_etrangere_refusee_par_defaut(client_national) -> None:
    r = client_national.get("/widget", params={"api": "https://ailleurs.example"})
    assert r.status_code == 400
    assert "non autorisée" in r.json()["detail"]


def test_api_de_la_liste_acceptee_et_permise_par_la_csp(instantane_national) -> None:
    reglages = Reglages(widget_api_autorisees=["https://partenaire.example"], rechargement_s=0)
    with TestClient(creer_app(reglages)) as client:
        bonne = client.get("/widget", params={"api": "https://partenaire.example/"})
        assert bonne.status_code == 200
        assert 'api="https://partenaire.example"' in bonne.text
        assert "connect-src 'self' https://partenaire.example" in bonne.headers["content-security-policy"]
        # une autre origine, ou la même avec un chemin ou des identifiants, reste refusée
        for api in ["https://partenaire.example.evil", "https://x@partenaire.example", "javascript:alert(1)"]:
            assert client.get("/widget", params={"api": api}).status_code == 400, api


def test_attributs_du_widget_valides(client_national) -> None:
    assert client_national.get("/widget", params={"couleur": "red;}x"}).status_code == 422
    assert client_national.get("/widget", params={"besoin": "inconnu"}).status_code == 422
    r = client_national.get("/widget", params={"besoin": "soins_support", "lieu": "56", "resultats": 3})
    assert 'besoin="soins_support"' in r.text and 'lieu="56"' in r.text and 'resultats="3"' in r.text


def test_widget_compresse_sous_le_budget(client_national) -> None:
    r = client_national.get("/widget.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert r.headers["content-encoding"] == "gzip"
    brut = client_national.get("/widget.js", headers={"Accept-Encoding": "identity"}).content
    taille = len(gzip.compress(brut, 9))
    print(f"widget.js : {len(brut)} octets, {taille} octets compressés (gzip -9)")
    assert taille < BUDGET_WIDGET_GZIP
    # rien d'interdit par une CSP stricte : ni eval, ni Function, ni innerHTML
    texte = brut.decode()
    assert not re.search(r"\beval\(|new Function|innerHTML|setAttribute\(\"style", texte)
    etag = r.headers["etag"]
    assert client_national.get("/widget.js", headers={"If-None-Match": etag}).status_code == 304


def test_statique_inconnu_404(client_national) -> None:
    assert client_national.get("/statique/../reglages.py").status_code == 404
    assert client_national.get("/statique/absent.js").status_code == 404


def test_fond_de_carte(client_national) -> None:
    r = client_national.get("/carte/departements")
    assert r.status_code == 200 and "max-age" in r.headers["cache-control"]
    fond = r.json()
    assert len(fond["departements"]) == 96
    assert all(re.fullmatch(r"(M-?\d+ -?\d+(l-?\d+ -?\d+)+z)+", d["chemin"]) for d in fond["departements"])
    x0, y0, x1, y1 = fond["boite"]
    assert x0 < x1 and y0 < y1


def test_resultats_avec_point_et_precision(client_national) -> None:
    corps = client_national.get("/orientation", params={"q": "radiothérapie près de Vannes", "limite": 10}).json()
    assert corps["resultats"]
    precisions = {r["precision_point"] for r in corps["resultats"]}
    assert precisions <= {"etablissement", "commune", None}
    premier = corps["resultats"][0]
    assert 47 < premier["latitude"] < 48.5 and -3.5 < premier["longitude"] < -2


@pytest.mark.parametrize("besoin", list(BESOINS))
def test_chaque_besoin_filtre_est_compris(moteur, besoin: str) -> None:
    c = moteur.comprendre(question_composee("prise en charge", "Vannes", 40, besoin, None))
    assert besoin in c.besoins, (besoin, c.besoins)
    assert c.lieu is not None and c.lieu.nom == "Vannes" and c.rayon_km == 40


@pytest.mark.parametrize("population", list(POPULATIONS))
def test_chaque_population_filtree_est_comprise(moteur, population: str) -> None:
    c = moteur.comprendre(question_composee("radiothérapie", None, None, None, population))
    assert c.population == population


def test_filtres_structures(client_national) -> None:
    base = {"q": "chimiothérapie", "limite": 10}
    r = client_national.get("/orientation", params={**base, "lieu": "Lille", "rayon_km": 30}).json()
    assert r["question"] == "chimiothérapie"
    assert r["comprehension"]["lieu"]["nom"] == "Lille" and r["comprehension"]["rayon_km"] == 30
    assert r["resultats"] and all(x["distance_km"] <= 30 for x in r["resultats"])
    publics = client_national.get("/orientation", params={**base, "lieu": "Lille", "secteur": "public"}).json()
    prives = client_national.get("/orientation", params={**base, "lieu": "Lille", "secteur": "prive"}).json()
    assert publics["resultats"] and prives["resultats"]
    assert not {x["finess"] for x in publics["resultats"]} & {x["finess"] for x in prives["resultats"]}
    assert [x["rang"] for x in publics["resultats"]] == list(range(1, len(publics["resultats"]) + 1))
    # niveau de preuve : l'oncogénétique vient de listes officielles, les soins palliatifs de la SAE seule
    courts = {"q": "oncogénétique", "lieu": "Lille", "limite": 10}
    sans = client_national.get("/orientation", params={**courts, "limite": 50}).json()["resultats"]
    listes = client_national.get("/orientation", params={**courts, "niveau_min": "liste_curee"}).json()
    assert listes["resultats"] and all(
        x["niveau_de_preuve"] in ("liste_curee", "autorisation") for x in listes["resultats"]
    )
    assert {x["finess"] for x in listes["resultats"]} <= {x["finess"] for x in sans}
    palliatifs = client_national.get(
        "/orientation", params={"q": "soins palliatifs", "lieu": "Lille", "niveau_min": "liste_curee"}
    ).json()
    assert palliatifs["resultats"] == [] and any("écarté" in m for m in palliatifs["remarques"])


@pytest.mark.parametrize(
    "params",
    [{"rayon_km": 0}, {"rayon_km": "loin"}, {"besoin": "massage"}, {"secteur": "associatif"}, {"lieu": "x" * 101}],
)
def test_filtres_invalides_422(client_national, params: dict) -> None:
    r = client_national.get("/orientation", params={"q": "radiothérapie", **params})
    assert r.status_code == 422


def test_lieu_inconnu_dit(client_national) -> None:
    r = client_national.get("/orientation", params={"q": "radiothérapie", "lieu": "Zzyzxville"}).json()
    assert any("non reconnu" in m for m in r["remarques"])


def test_fiche_lisible_par_un_clinicien_d_abord(client_national) -> None:
    """L'offre du site en mots (niveau de preuve, source et date) avant le détail ; les noms techniques après."""
    texte = client_national.get("/etablissements/940000664", headers={"Accept": "text/html"}).text
    offre = texte.index("<h2>Ce que propose ce site</h2>")
    detail = texte.index("<h2>Le détail, source par source</h2>")
    assert offre < detail < texte.index("<h2>Données liées</h2>")
    en_tete = texte[:detail]
    assert "(source : " in en_tete[offre:] and "<code" not in en_tete  # ni CURIE ni IRI avant le détail
    assert any(mot in en_tete[offre:] for mot in ("activité déclarée (SAE)", "liste officielle", "autorisation"))
    assert "Numéro FINESS <code" in texte  # la propriété en mots, son nom technique à côté
