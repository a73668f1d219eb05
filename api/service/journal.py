"""Journal des requêtes HTTP en JSON, une ligne par requête.

Pourquoi si peu de champs : une question posée à Boussole peut contenir des données de santé (« cancer du sein
de ma mère à Vannes »), et une requête SPARQL peut en citer. On journalise la méthode, le chemin **sans** la
chaîne de requête, le statut et la durée ; le texte n'apparaît que si ``journaliser_questions`` est activé.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

journal = logging.getLogger("boussole.api")


def _configurer() -> None:
    """Niveau INFO, et une sortie sur stderr si personne n'a configuré la journalisation."""
    if journal.level == logging.NOTSET:
        journal.setLevel(logging.INFO)
    if not journal.handlers and not logging.getLogger().handlers:
        sortie = logging.StreamHandler(sys.stderr)
        sortie.setFormatter(logging.Formatter("%(message)s"))
        journal.addHandler(sortie)
        journal.propagate = False


def ecrire(evenement: dict) -> None:
    """Une ligne JSON (aussi utilisée par les routeurs pour leurs propres événements)."""
    journal.info(json.dumps(evenement, ensure_ascii=False, separators=(",", ":")))


def installer(app: FastAPI, journaliser_questions: bool) -> None:
    _configurer()

    @app.middleware("http")
    async def journaliser(request: Request, suite: Callable[[Request], Awaitable[Response]]) -> Response:
        debut = time.perf_counter()
        statut = 500
        try:
            reponse = await suite(request)
            statut = reponse.status_code
            return reponse
        finally:
            evenement = {
                "evenement": "requete_http",
                "methode": request.method,
                "chemin": request.url.path,
                "statut": statut,
                "duree_ms": round((time.perf_counter() - debut) * 1000, 1),
            }
            if journaliser_questions and request.url.query:
                evenement["parametres"] = request.url.query
            ecrire(evenement)
