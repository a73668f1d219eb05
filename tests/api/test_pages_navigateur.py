"""Les pages et le module d'orientation dans un vrai navigateur (Chromium de Debian, piloté par Playwright).

Ce qui est prouvé : la page des professionnels au clavier seul (question, filtres, résultats annoncés, carte,
plus de résultats, lien qui reproduit la recherche, fiche d'un site) ; le module intégré sur un site partenaire
d'une *autre origine* sous CSP stricte (CORS, Shadow DOM étanche dans les deux sens, iframe dont la hauteur suit
le contenu) ; ``?api=`` étranger refusé ; aucune requête vers un autre hôte ; /docs rendu sans réseau ; axe-core
(WCAG 2.1 A/AA) sans violation. Captures d'écran dans ``BOUSSOLE_CAPTURES`` (défaut : dossier temporaire).

Chromium vient des paquets Debian (``apt-get install chromium``) : sans lui, ces essais sont sautés avec leur
raison, sauf si ``BOUSSOLE_TESTS_NAVIGATEUR=obligatoire`` (posé par la CI), où son absence est une erreur.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn

from api.pages.demo.serveur import demarrer

CHROMIUM = "/usr/bin/chromium"
#: Drapeaux de Chromium sur ces machines au réseau fermé (sinon il tente, et rate, des connexions externes).
DRAPEAUX = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = (Path(__file__).parent / "ressources" / "axe.min.js").read_text(encoding="utf-8")
DELAI_MS = 60_000

if not os.path.exists(CHROMIUM) or shutil.which("chromium") is None:
    if os.environ.get("BOUSSOLE_TESTS_NAVIGATEUR") == "obligatoire":
        raise RuntimeError(f"{CHROMIUM} absent alors que BOUSSOLE_TESTS_NAVIGATEUR=obligatoire")
    pytest.skip(f"{CHROMIUM} absent : apt-get install chromium", allow_module_level=True)

from playwright import sync_api  # noqa: E402 - après le contrôle de Chromium : playwright est dans [test]


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def service(client_national) -> Iterator[str]:
    """L'application nationale servie sur la boucle locale (son état est déjà démarré par client_national)."""
    port = _port_libre()
    serveur = uvicorn.Server(
        uvicorn.Config(client_national.app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    fil = threading.Thread(target=serveur.run, daemon=True)
    fil.start()
    limite = time.monotonic() + 20
    while not serveur.started:
        assert time.monotonic() < limite, "le serveur de test n'a pas démarré"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    serveur.should_exit = True
    fil.join(timeout=10)


@pytest.fixture(scope="module")
def partenaire(service: str) -> Iterator[str]:
    """Le site partenaire de démonstration, sur une autre origine (autre port) que l'API."""
    serveur, adresse = demarrer(service)
    yield adresse
    serveur.shutdown()


@pytest.fixture(scope="module")
def navigateur() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=DRAPEAUX)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def captures(tmp_path_factory) -> Path:
    dossier = Path(os.environ.get("BOUSSOLE_CAPTURES") or tmp_path_factory.mktemp("captures"))
    dossier.mkdir(parents=True, exist_ok=True)
    return dossier


class Suivi:
    """Une page et ce qu'elle a fait : requêtes (hôtes), erreurs de console (dont violations de CSP)."""

    def __init__(self, navigateur, largeur: int = 1280) -> None:
        self.page = navigateur.new_page(viewport={"width": largeur, "height": 900})
        self.requetes: list[str] = []
        self.erreurs: list[str] = []
        self.page.on("request", lambda r: self.requetes.append(r.url))
        self.page.on("console", lambda m: self.erreurs.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.erreurs.append(str(e)))

    def hotes(self) -> set[str]:
        return {urlsplit(u).netloc for u in self.requetes if not u.startswith(("data:", "about:"))}


def _axe(page, contexte: str = "document") -> list[dict]:
    """Les violations axe-core (WCAG 2.0/2.1 A et AA) de la page ; axe est injecté par le protocole de
    débogage (pas par une balise : la CSP des pages l'interdirait, à raison)."""
    page.evaluate(AXE + "\n;true")
    resultat = page.evaluate(
        """async (contexte) => {
            const r = await axe.run(contexte === "document" ? document : document.querySelector(contexte),
              { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, iframes: false });
            return r.violations.map(v => ({ id: v.id, impact: v.impact,
              cibles: v.nodes.slice(0, 3).map(n => n.target.join(" ")) }));
        }""",
        contexte,
    )
    return resultat


def _attendre(page, expression: str) -> None:
    """Attend qu'une expression soit vraie dans la page. Pas ``wait_for_function`` : Playwright l'évalue par
    ``eval`` dans la page, que la CSP des pages interdit (à raison) ; ``evaluate`` passe par le débogage."""
    limite = time.monotonic() + DELAI_MS / 1000
    while not page.evaluate(expression):
        etat = page.evaluate("(document.getElementById('etat') || document.body).innerText.slice(0, 800)")
        assert time.monotonic() < limite, f"jamais vrai : {expression} ; état : {etat}"
        time.sleep(0.1)


def _tab_jusqua(page, selecteur: str, essais: int = 60) -> None:
    """Tabulation jusqu'à ce que l'élément ``selecteur`` ait le focus (le clavier seul, comme un utilisateur)."""
    for _ in range(essais):
        if page.evaluate("(s) => document.activeElement === document.querySelector(s)", selecteur):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selecteur} jamais atteint au clavier")


def test_page_des_professionnels_au_clavier(navigateur, service, captures) -> None:
    s = Suivi(navigateur)
    page = s.page
    page.goto(f"{service}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "evitement"  # lien d'évitement d'abord
    _tab_jusqua(page, "#q")
    # le focus est visible (contour) sur le champ atteint au clavier
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type("radiothérapie")
    _tab_jusqua(page, "#lieu")
    page.keyboard.type("Vannes")
    page.keyboard.press("Enter")
    _attendre(page, "document.querySelectorAll('#resultats li.resultat').length > 0")
    # la zone d'état (role=status) annonce le nombre, et n'est pas vidée à l'arrivée des résultats
    etat = page.inner_text("#etat")
    n = page.locator("#resultats li.resultat").count()
    assert etat.startswith(f"{n} résultat"), etat
    assert page.get_attribute("#etat", "role") == "status"
    assert page.evaluate("document.activeElement.id") == "titre-resultats"
    # l'état est dans l'adresse : lieu et question
    assert "lieu=Vannes" in page.url and "q=radioth" in page.url
    assert "besoin : Radiothérapie externe" in page.inner_text("#compris")  # en mots, pas le code
    texte = page.inner_text("#resultats")
    assert "Niveau de preuve :" in texte and "source :" in texte and "km" in texte
    # la carte : le lieu, un point numéroté par résultat qui a un point, exact et commune distincts par la forme
    page.wait_for_selector("#carte-svg svg polygon.lieu", timeout=DELAI_MS)
    cercles = page.locator("#carte-svg svg circle")
    numeros = sorted(
        int(t) for t in page.evaluate("[...document.querySelectorAll('#carte-svg svg text')].map(t => t.textContent)")
    )
    assert cercles.count() == len(numeros) >= 1 and numeros == list(range(1, len(numeros) + 1))
    pointilles = page.evaluate(
        "[...document.querySelectorAll('#carte-svg circle.commune')]"
        ".every(c => c.getAttribute('stroke-dasharray') !== 'none')"
    )
    assert pointilles
    assert page.locator("#carte-svg svg path.dep").count() == 96
    page.screenshot(path=str(captures / "page-professionnels.png"), full_page=True)
    page.locator("#carte").screenshot(path=str(captures / "carte.png"))
    # plus de résultats au clavier
    _tab_jusqua(page, "#plus")
    page.keyboard.press("Enter")
    _attendre(page, f"document.querySelectorAll('#resultats li.resultat').length > {n}")
    assert "limite=20" in page.url
    # la fiche du premier site, au clavier
    page.focus("#titre-resultats")
    _tab_jusqua(page, "#resultats li.resultat h3 a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/etablissements/" in page.url
    assert page.locator("h1").count() == 1
    assert s.hotes() == {urlsplit(service).netloc}, s.hotes()
    assert not s.erreurs, s.erreurs
    page.close()


def test_lien_reproduit_la_recherche_et_filtres(navigateur, service) -> None:
    s = Suivi(navigateur)
    adresse = f"{service}/?q=oncog%C3%A9n%C3%A9tique&lieu=Lille&rayon_km=50&secteur=public&niveau_min=liste_curee"
    s.page.goto(adresse)
    _attendre(s.page, "document.querySelectorAll('#resultats li.resultat').length > 0")
    assert s.page.input_value("#lieu") == "Lille" and s.page.input_value("#secteur") == "public"
    assert s.page.input_value("#lien") == adresse
    assert "lieu : Lille" in s.page.inner_text("#compris") and "rayon : 50 km" in s.page.inner_text("#compris")
    niveaux = s.page.locator("#resultats .niveau").all_inner_texts()
    assert niveaux and all(t == "liste officielle (INCa, réseaux)" for t in niveaux)
    # la feuille d'impression retire formulaire et outils, garde la liste
    s.page.emulate_media(media="print")
    assert s.page.locator("#recherche").is_hidden() and s.page.locator("#resultats").is_visible()
    assert not s.erreurs, s.erreurs
    s.page.close()


def test_question_non_comprise_dite(navigateur, service) -> None:
    s = Suivi(navigateur)
    s.page.goto(f"{service}/?q=%3F!")
    _attendre(s.page, "document.getElementById('etat').textContent.startsWith('Aucun')")
    assert "question non comprise" in s.page.inner_text("#remarques")
    s.page.close()


def test_module_chez_un_partenaire_autre_origine(navigateur, service, partenaire, captures) -> None:
    s = Suivi(navigateur)
    page = s.page
    page.goto(f"{partenaire}/")
    _attendre(page, "document.querySelector('#module').shadowRoot !== null")
    # au clavier : Tab jusqu'au champ du module (dans le Shadow DOM), taper, Entrée
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.id === 'module'"):
            break
        page.keyboard.press("Tab")
    page.keyboard.type("soins palliatifs")
    page.keyboard.press("Enter")
    racine = page.locator("#module")
    _attendre(page, "document.querySelector('#module').shadowRoot.querySelectorAll('li.resultat').length > 0")
    etat = racine.locator("[role=status]").inner_text()
    n = racine.locator("li.resultat").count()
    assert etat.startswith(f"{n} résultat") and n <= 5, etat
    # le lieu par défaut (56) a été appliqué ; les liens mènent aux fiches de l'API
    assert racine.locator("li.resultat a").first.get_attribute("href").startswith(f"{service}/etablissements/")
    assert page.evaluate("document.querySelector('#module').shadowRoot.activeElement.textContent") == "Résultats"
    # étanchéité : les styles agressifs de l'hôte n'entrent pas ; ceux du module ne sortent pas
    dedans = page.evaluate(
        """() => { const li = document.querySelector('#module').shadowRoot.querySelector('li.resultat');
                   const b = document.querySelector('#module').shadowRoot.querySelector('button');
                   const s = getComputedStyle(li), t = getComputedStyle(b);
                   return [s.color, s.fontFamily, s.fontSize, t.backgroundColor]; }"""
    )
    assert dedans[0] == "rgb(27, 27, 27)" and "Georgia" not in dedans[1] and dedans[2] == "16px"
    assert dedans[3] == "rgb(106, 27, 154)"  # attribut couleur="#6a1b9a"
    dehors = page.evaluate(
        "[getComputedStyle(document.getElementById('element-hote')).color,"
        " getComputedStyle(document.getElementById('bouton-hote')).backgroundColor]"
    )
    assert dehors == ["rgb(122, 16, 16)", "rgb(0, 100, 0)"]
    # la variante iframe : titre parlant, hauteur qui suit le contenu (postMessage)
    cadre = page.locator("#cadre")
    assert "Boussole" in cadre.get_attribute("title")
    _attendre(page, "parseInt(document.getElementById('cadre').style.height || '0') > 150")
    avant = page.evaluate("parseInt(document.getElementById('cadre').style.height)")
    contenu = page.frame_locator("#cadre")
    contenu.locator("input[type=search]").fill("radiothérapie près de Brest")
    contenu.locator("input[type=search]").press("Enter")
    contenu.locator("li.resultat").first.wait_for(timeout=DELAI_MS)
    _attendre(page, f"parseInt(document.getElementById('cadre').style.height) > {avant}")
    page.screenshot(path=str(captures / "partenaire-module.png"), full_page=True)
    # aucune requête ailleurs que chez l'hôte et l'API ; aucune violation de CSP (console)
    assert s.hotes() == {urlsplit(partenaire).netloc, urlsplit(service).netloc}, s.hotes()
    assert not s.erreurs, s.erreurs
    page.close()


def test_second_avis_exclut_l_equipe_qui_suit(navigateur, service, partenaire) -> None:
    s = Suivi(navigateur)
    s.page.goto(f"{partenaire}/")
    champ = s.page.locator("#module input[type=search]")
    champ.fill("second avis sarcome, patiente suivie au Centre Léon Bérard")
    champ.press("Enter")
    s.page.locator("#module li.resultat").first.wait_for(timeout=DELAI_MS)
    noms = s.page.locator("#module li.resultat h4").all_inner_texts()
    assert noms and not any("LEON BERARD" in n.upper() for n in noms)
    assert "Équipe exclue" in s.page.locator("#module section").inner_text()
    s.page.close()


def test_api_etrangere_refusee_sur_l_origine_officielle(navigateur, service, partenaire) -> None:
    s = Suivi(navigateur)
    reponse = s.page.goto(f"{service}/widget?api={partenaire}")
    assert reponse is not None and reponse.status == 400
    assert "non autorisée" in s.page.inner_text("body")
    assert urlsplit(partenaire).netloc not in s.hotes()
    s.page.close()


def test_docs_sans_reseau(navigateur, service) -> None:
    s = Suivi(navigateur)
    s.page.goto(f"{service}/docs")
    try:
        s.page.wait_for_selector(".swagger-ui .opblock", timeout=DELAI_MS)
    except sync_api.TimeoutError as erreur:
        raise AssertionError(f"Swagger UI non rendu : {s.erreurs}") from erreur
    assert s.page.locator(".opblock").count() > 5
    assert s.hotes() == {urlsplit(service).netloc}, s.hotes()
    s.page.close()


@pytest.mark.parametrize(
    "chemin",
    [
        "/",
        "/?q=radioth%C3%A9rapie+pr%C3%A8s+de+Vannes",
        "/widget",
        "/sparql",
        "/etablissements/940000664",
        "/accessibilite",
    ],
)
def test_axe_sans_violation(navigateur, service, chemin: str) -> None:
    s = Suivi(navigateur)
    s.page.goto(f"{service}{chemin}")
    if "q=" in chemin:
        s.page.wait_for_selector("#carte-svg svg", timeout=DELAI_MS)
    violations = _axe(s.page)
    print(chemin, json.dumps(violations, ensure_ascii=False))
    assert violations == []
    s.page.close()


def test_axe_partenaire_et_zoom_200(navigateur, service, partenaire) -> None:
    s = Suivi(navigateur)
    s.page.goto(f"{partenaire}/")
    _attendre(s.page, "document.querySelector('#module').shadowRoot !== null")
    violations = _axe(s.page)
    print("partenaire", json.dumps(violations, ensure_ascii=False))
    assert violations == []
    s.page.close()
    # zoom 200 % ≈ fenêtre de 640 px de large : pas de défilement horizontal sur la page des professionnels
    z = Suivi(navigateur, largeur=640)
    z.page.goto(f"{service}/?q=radioth%C3%A9rapie+pr%C3%A8s+de+Vannes")
    z.page.wait_for_selector("#carte-svg svg", timeout=DELAI_MS)
    assert z.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    z.page.close()


def test_axe_docs_sans_violation_grave(navigateur, service) -> None:
    """/docs reprend Swagger UI (hors de la main de Boussole) : aucune violation grave ni critique."""
    s = Suivi(navigateur)
    s.page.goto(f"{service}/docs")
    s.page.wait_for_selector(".swagger-ui .opblock", timeout=DELAI_MS)
    violations = _axe(s.page)
    print("/docs", json.dumps(violations, ensure_ascii=False))
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
    s.page.close()
