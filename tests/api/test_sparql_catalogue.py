"""La page /sparql liste le catalogue ``requetes/*.rq`` : chaque requête s'exécute d'un clic, chaque champ a son
étiquette, la page ne charge rien d'ailleurs ; /sparql/catalogue en donne la même liste en JSON."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from api.sparql.catalogue import catalogue


class _Lecteur(HTMLParser):
    """Relève les champs de formulaire, les étiquettes, les liens et les ressources d'une page."""

    def __init__(self) -> None:
        super().__init__()
        self.champs: list[dict[str, str | None]] = []
        self.etiquettes: set[str] = set()
        self.liens: list[str] = []
        self.ressources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("textarea", "select", "input"):
            self.champs.append(a)
        if tag == "label" and a.get("for"):
            self.etiquettes.add(str(a["for"]))
        if tag == "a" and a.get("href"):
            self.liens.append(str(a["href"]))
        if tag in ("script", "img", "link", "iframe") and (a.get("src") or a.get("href")):
            self.ressources.append(str(a.get("src") or a.get("href")))


def _page(client: TestClient) -> tuple[str, _Lecteur]:
    r = client.get("/sparql", headers={"Accept": "text/html"})
    assert r.status_code == 200
    lecteur = _Lecteur()
    lecteur.feed(r.text)
    return r.text, lecteur


def test_la_page_liste_le_catalogue_avec_des_champs_etiquetes(client: TestClient) -> None:
    texte, lecteur = _page(client)
    for r in catalogue():
        assert f'id="{r.identifiant}"' in texte and f'href="#{r.identifiant}"' in texte
        assert r.fichier in texte
    assert lecteur.champs, "aucun champ de formulaire"
    for champ in lecteur.champs:
        assert champ.get("id") in lecteur.etiquettes, f"champ sans étiquette : {champ}"
    assert len({c.get("id") for c in lecteur.champs}) == len(lecteur.champs), "identifiants de champ en double"
    # ses ressources (feuille de style) viennent du service lui-même, jamais d'un autre hôte
    locale = lambda x: (x.startswith("/") and not x.startswith("//")) or x.startswith("data:")  # noqa: E731
    externes = [x for x in lecteur.ressources if not locale(x)]
    assert externes == [], "la page ne doit charger aucune ressource externe"


def test_un_clic_execute_chaque_requete_du_catalogue(client: TestClient) -> None:
    _, lecteur = _page(client)
    executions = [lien for lien in lecteur.liens if lien.startswith("/sparql?") and "format=csv" in lien]
    assert len(executions) == len(catalogue())
    for lien, requete in zip(executions, catalogue(), strict=True):
        assert parse_qs(urlsplit(lien).query)["query"][0].startswith("PREFIX")
        r = client.get(lien)
        assert r.status_code == 200, (requete.identifiant, r.text)
        assert r.headers["content-type"].startswith("text/csv")
        assert next(csv.reader(io.StringIO(r.text))) == requete.colonnes


def test_catalogue_en_json(client: TestClient) -> None:
    liste = client.get("/sparql/catalogue").json()
    assert [e["identifiant"] for e in liste] == [r.identifiant for r in catalogue()]
    for e, r in zip(liste, catalogue(), strict=True):
        assert e["fichier"] == r.fichier and e["colonnes"] == r.colonnes and e["lien"].startswith("/sparql?query=")
