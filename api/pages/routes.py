"""/ et /widget : la page d'accueil et le module d'orientation intégrable (HTML + JS autonomes, en français)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.service.dependances import InstantaneOuRien

routeur = APIRouter(tags=["Pages"])

_PAGES = Path(__file__).resolve().parent
ACCUEIL = Template((_PAGES / "accueil.html").read_text(encoding="utf-8"))
WIDGET = (_PAGES / "widget.html").read_text(encoding="utf-8")


@routeur.get("/", response_class=HTMLResponse, summary="Page d'accueil")
def accueil(instantane: InstantaneOuRien) -> HTMLResponse:
    """Liens vers la documentation, le point SPARQL, le module d'orientation et les exports."""
    return HTMLResponse(ACCUEIL.substitute(instantane=escape(instantane.identifiant if instantane else "aucun")))


@routeur.get("/widget", response_class=HTMLResponse, summary="Module d'orientation")
def widget() -> HTMLResponse:
    """Page autonome qui interroge /orientation (ou /second-avis) et affiche résultats, raisons et sources.
    Intégrable dans un site partenaire (iframe, ou ``?api=`` pour viser ce service : CORS ouvert)."""
    return HTMLResponse(WIDGET)
