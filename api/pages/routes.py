"""Les pages HTML (accueil des professionnels, module intégrable, documentation hors ligne, accessibilité),
leurs fichiers statiques et le fond de carte.

Toutes les pages sont servies sous une politique de sécurité stricte (``securite.py``) : aucun script en ligne,
des scripts du service seulement. Les réponses de l'API restent celles de /orientation ; ces pages ne font que
les montrer.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from string import Template
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from api.orientation.filtres import BESOINS, NIVEAUX, POPULATIONS, SECTEURS, Besoin
from api.pages import statiques
from api.pages.carte import fond_de_carte
from api.pages.securite import api_autorisee, entetes
from api.service.dependances import InstantaneOuRien, ReglagesServis
from api.service.erreurs import RequeteRefusee

routeur = APIRouter(tags=["Pages"])

_PAGES = Path(__file__).resolve().parent
ACCUEIL = Template((_PAGES / "accueil.html").read_text(encoding="utf-8"))
WIDGET = Template((_PAGES / "widget.html").read_text(encoding="utf-8"))
DOCS = (_PAGES / "docs.html").read_text(encoding="utf-8")
ACCESSIBILITE = (_PAGES / "accessibilite.html").read_text(encoding="utf-8")
#: Une couleur CSS sûre à recopier dans un attribut : #rgb, #rrggbb ou un nom de couleur simple.
MOTIF_COULEUR = r"^(#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-zA-Z]{3,20})$"


def _options(valeurs: dict[str, Any]) -> str:
    return "".join(
        f'<option value="{escape(code)}">{escape(v[0] if isinstance(v, tuple) else v)}</option>'
        for code, v in valeurs.items()
    )


def _page(html: str, **options: Any) -> HTMLResponse:
    return HTMLResponse(html, headers=entetes(**options))


@routeur.get("/", response_class=HTMLResponse, summary="Page des professionnels")
def accueil(instantane: InstantaneOuRien) -> HTMLResponse:
    """Une question, des filtres, la liste des sites (distance, niveau de preuve, raisons sourcées) et la carte."""
    return _page(
        ACCUEIL.substitute(
            instantane=escape(instantane.identifiant if instantane else "aucun"),
            besoins=_options(BESOINS),
            populations=_options(POPULATIONS),
            niveaux=_options(NIVEAUX),
            secteurs=_options(SECTEURS),
        )
    )


@routeur.get(
    "/widget",
    response_class=HTMLResponse,
    summary="Module d'orientation (variante iframe)",
    responses={400: {"description": "Adresse d'API non autorisée, ou attribut mal formé."}},
)
def widget(
    reglages: ReglagesServis,
    api: Annotated[
        str | None,
        Query(
            max_length=200,
            description="API visée : acceptée seulement si elle figure dans BOUSSOLE_WIDGET_API_AUTORISEES.",
        ),
    ] = None,
    lieu: Annotated[str | None, Query(max_length=100, description="Lieu par défaut (département, commune).")] = None,
    besoin: Annotated[Besoin | None, Query(description="Besoin imposé (ex. soins_support).")] = None,
    resultats: Annotated[int, Query(ge=1, le=20, description="Nombre de résultats affichés.")] = 5,
    couleur: Annotated[str | None, Query(pattern=MOTIF_COULEUR, description="Couleur principale.")] = None,
) -> HTMLResponse:
    """Page autonome à mettre dans une iframe : le même élément ``<boussole-orientation>`` que le script
    intégrable ; sa hauteur suit son contenu (``postMessage``). Elle ne parle qu'à sa propre API, sauf adresse
    de la liste ``BOUSSOLE_WIDGET_API_AUTORISEES``."""
    connect: list[str] = []
    attributs = {"resultats": str(resultats)}
    if api:
        autorisee = api_autorisee(api, reglages.widget_api_autorisees)
        if autorisee is None:
            raise RequeteRefusee(
                "adresse d'API non autorisée : cette page ne parle qu'à l'API de Boussole qui la sert "
                "(réglage BOUSSOLE_WIDGET_API_AUTORISEES)"
            )
        connect.append(autorisee)
        attributs["api"] = autorisee
    if lieu:
        attributs["lieu"] = lieu
    if besoin:
        attributs["besoin"] = besoin.value
    if couleur:
        attributs["couleur"] = couleur
    texte = " ".join(f'{k}="{escape(v)}"' for k, v in attributs.items())
    return _page(WIDGET.substitute(attributs=texte), connect=connect)


@routeur.get("/widget.js", summary="Script du module intégrable", response_class=Response)
def script_widget(request: Request) -> Response:
    """Le script à poser sur un site partenaire (une balise ``<script>``), puis ``<boussole-orientation>``."""
    return statiques.servir("boussole-orientation.js", request)


@routeur.get("/statique/{nom:path}", summary="Fichiers statiques des pages", response_class=Response)
def statique(nom: str, request: Request) -> Response:
    """CSS et scripts des pages, Swagger UI ; compressés si le client l'accepte."""
    if not re.fullmatch(r"[a-z0-9/._-]{1,80}", nom):
        raise RequeteRefusee("nom de fichier statique mal formé", 404)
    return statiques.servir(nom, request)


@routeur.get("/carte/departements", summary="Fond de carte des départements (chemins SVG projetés)")
def carte_departements(reglages: ReglagesServis) -> JSONResponse:
    """Les contours des départements, déjà projetés en chemins SVG, pour la carte hors ligne des pages."""
    try:
        fond = fond_de_carte(reglages.donnees / "geo" / "departements-simplifie.geojson")
    except (OSError, ValueError, KeyError) as erreur:
        raise RequeteRefusee("fond de carte indisponible", 503) from erreur
    return JSONResponse(fond, headers={"Cache-Control": "public, max-age=86400"})


@routeur.get("/docs", include_in_schema=False)
def documentation() -> HTMLResponse:
    """Swagger UI servi par le service lui-même (aucune ressource externe)."""
    return _page(DOCS, style_en_ligne=True)


@routeur.get("/accessibilite", response_class=HTMLResponse, summary="Déclaration d'accessibilité")
def accessibilite() -> HTMLResponse:
    """La déclaration d'accessibilité (RGAA 4.1) des pages de Boussole."""
    return _page(ACCESSIBILITE)
