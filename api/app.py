"""Fabrique de l'application FastAPI : réglages, instantané servi, travailleurs SPARQL, routeurs.

Pourquoi une fabrique (``creer_app``) plutôt qu'un objet global : les tests construisent une application par
jeu de réglages (délai d'une seconde, petit quota) sur un petit instantané, sans variable d'environnement.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from api.analyses import routes as analyses
from api.exports import routes as exports
from api.exports.fichiers import DepotExports
from api.fhir import routes as fhir
from api.fhir.parametres import ErreurFhir
from api.fiches import routes as fiches
from api.orientation import routes as orientation
from api.pages import routes as pages
from api.reglages import Reglages
from api.reglages import reglages as reglages_du_processus
from api.service import cache_http, compression, erreurs_http, journal, sante
from api.service.admission import Admission
from api.service.rechargement import MARGE_GRACE_S, Rechargeur
from api.service.sites import CacheSites
from api.service.tete import TeteCommeGet
from api.sparql import routes as sparql
from api.sparql.budgets import BudgetsClients
from api.sparql.execution import ReserveSparql
from api.sparql.externe import graphes_de, verifier_moteur_externe
from api.sparql.limites import Limiteur, limiter
from api.sparql.protocole import PREFIXES
from graphe.instantane import Instantane
from recherche.index import IndexAbsent
from recherche.moteur import Moteur

log = logging.getLogger("boussole.api")

DESCRIPTION = """
Boussole : le graphe de connaissances de l'offre de soins en cancérologie en France.

* **/sparql** : point d'accès SPARQL 1.1 public, en lecture seule, borné (délai, lignes, quota).
* **/orientation**, **/second-avis** : questions en français, réponses sourcées et datées.
* **/etablissements/{finess}**, **/id/…** : fiche de toute entité (HTML, JSON-LD, Turtle).
* **/exports/…** : instantané complet (N-Quads, TriG, Turtle, JSON-LD), sites en CSV et GeoJSON.
* **/fhir/…** : annuaire FHIR R4 (Organization, Location, HealthcareService ; esprit IHE mCSD).
* **/sante** : état du service et instantané servi.

Chaque fait est daté et sourcé : il vit dans le graphe nommé de sa source (`https://w3id.org/boussole/source/…`).
"""

#: Les routeurs de l'application, dans l'ordre. Pour une nouvelle ressource, créer son dossier
#: ``api/<ressource>/`` (``routes.py`` qui expose ``routeur``, ``modeles.py``, ``service.py``) et l'ajouter ici.
ROUTEURS = [
    pages.routeur,
    orientation.routeur,
    fiches.routeur,
    exports.routeur,
    fhir.routeur,
    sante.routeur,
    sparql.routeur,
    analyses.routeur,
]

#: En-têtes que le widget (autre origine) doit pouvoir lire.
ENTETES_EXPOSES = [
    "X-Boussole-Tronque",
    "X-Boussole-Lignes",
    "X-Boussole-Lignes-Max",
    "X-Boussole-Octets-Max",
    "X-Boussole-Tronque-Motif",
    "X-Boussole-Instantane",
    "X-Boussole-Duree-Ms",
    "Retry-After",
]


def _ouvrir_instantane(reglages: Reglages) -> Instantane | None:
    """L'instantané courant, ou None : le service démarre quand même et répond « indisponible »."""
    from graphe.instantane import InstantaneAbsent, ouvrir_courant

    try:
        return ouvrir_courant(reglages.instantane)
    except (InstantaneAbsent, OSError, ValueError, KeyError) as erreur:
        log.warning("aucun instantané servi : %s", erreur)
        return None


def _charger_moteur(inst: Any) -> Moteur | None:
    """Le moteur de recherche de l'instantané (~10 s : modèle, index), ou None s'il n'a pas d'index."""
    chemin = getattr(inst, "chemin", None)
    if chemin is None or not (chemin / "recherche").exists():
        log.warning("pas d'index de recherche dans l'instantané : /orientation répondra 503")
        return None
    try:
        return Moteur.charger(chemin, reglages_du_processus().modele)
    except IndexAbsent as erreur:  # jamais d'encodage au démarrage : l'index se prépare à la construction
        log.error("moteur de recherche non chargé, /orientation répondra 503 : %s", erreur)
        return None
    except (OSError, ValueError, KeyError, RuntimeError) as erreur:
        log.error("moteur de recherche non chargé : %s", erreur)
        return None


def creer_app(
    reglages: Reglages | None = None, instantane: Instantane | None = None, moteur: Moteur | None = None
) -> FastAPI:
    """L'application complète. Les travailleurs SPARQL démarrent et s'arrêtent avec elle (lifespan).

    :param reglages: les réglages (défaut : ceux du processus, lus dans l'environnement).
    :param instantane: un instantané déjà ouvert (tests) ; sinon l'instantané courant de ``reglages.instantane``
        est ouvert au démarrage, puis suivi à chaud (rechargement).
    :param moteur: un moteur de recherche déjà chargé (tests) ; sinon il est chargé au démarrage depuis l'index
        de l'instantané.
    :returns: l'application FastAPI, prête pour uvicorn ou ``TestClient``.
    """
    r = reglages or reglages_du_processus()

    def demarrer_reserve(inst: Any) -> ReserveSparql | None:
        if r.sparql_externe:
            verifier_moteur_externe(r.sparql_externe, inst, r.sparql_delai_s)
        reserve = ReserveSparql(
            inst.chemin_store,
            travailleurs=r.sparql_travailleurs,
            delai_s=r.sparql_delai_s,
            memoire_mo=r.sparql_memoire_mo,
            prefixes=PREFIXES,
            externe=r.sparql_externe or None,
            graphes=graphes_de(inst) if r.sparql_externe else (),
        )
        try:
            reserve.demarrer()
            return reserve
        except RuntimeError as erreur:
            log.error("travailleurs SPARQL non démarrés : %s", erreur)
            reserve.fermer()
            return None

    @asynccontextmanager
    async def cycle(app: FastAPI) -> AsyncIterator[None]:
        inst = instantane if instantane is not None else await run_in_threadpool(_ouvrir_instantane, r)
        app.state.instantane = inst
        app.state.reserve = None
        app.state.moteur = moteur
        if inst is not None:
            # les travailleurs SPARQL (des processus) démarrent pendant que le moteur se charge : le service est
            # prêt au plus lent des deux, pas à leur somme
            charge = run_in_threadpool(_charger_moteur, inst) if moteur is None else asyncio.sleep(0, moteur)
            app.state.moteur, app.state.reserve = await asyncio.gather(
                charge, run_in_threadpool(demarrer_reserve, inst)
            )
        # un instantané imposé (tests) reste servi ; sinon on suit le lien « courant » du dossier des instantanés
        rechargeur = None
        if instantane is None and r.rechargement_s > 0:
            rechargeur = Rechargeur(
                app, r.instantane, r.rechargement_s, r.sparql_delai_s + MARGE_GRACE_S, demarrer_reserve, _charger_moteur
            )
            rechargeur.demarrer()
        app.state.rechargeur = rechargeur
        try:
            yield
        finally:
            if rechargeur is not None:
                await run_in_threadpool(rechargeur.arreter)
            app.state.exports.fermer()
            if app.state.reserve is not None:
                await run_in_threadpool(app.state.reserve.fermer)
                app.state.reserve = None

    app = FastAPI(
        title="Boussole",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=cycle,
        docs_url=None,  # /docs : Swagger UI servi localement par api/pages (hors ligne, CSP stricte)
        redoc_url=None,
        openapi_tags=[
            {"name": "SPARQL", "description": "Point d'accès SPARQL 1.1 en lecture seule."},
            {"name": "Orientation", "description": "Questions en français : orientation et second avis."},
            {"name": "Établissements", "description": "Fiches des entités du graphe (données liées)."},
            {"name": "Exports", "description": "L'instantané et les sites, en fichiers."},
            {"name": "FHIR", "description": "Annuaire FHIR R4 des sites (Organization, Location, HealthcareService)."},
            {"name": "Pages", "description": "Pages HTML : accueil, module d'orientation."},
            {"name": "Service", "description": "État du service."},
        ],
    )
    app.state.reglages = r
    app.state.instantane = None
    app.state.reserve = None
    app.state.moteur = None
    app.state.sites = CacheSites()
    app.state.exports = DepotExports()
    app.state.rechargeur = None
    app.state.limiteur = Limiteur(r.quota_requetes, r.quota_fenetre_s)
    app.state.budgets_sparql = BudgetsClients(
        r.sparql_concurrence_client, r.sparql_temps_client_s, r.sparql_fenetre_client_s, r.sparql_delai_s
    )
    app.state.admission = Admission(r.orientation_concurrence, r.orientation_attente_max)

    erreurs_http.installer(app)
    app.add_exception_handler(ErreurFhir, fhir.erreur_fhir)
    compression.installer(app)  # sous le journal : il voit les corps tels que les routes les rendent
    journal.installer(app, r.journaliser_questions)
    cache_http.installer(app, r)  # ETag et 304, au-dessus de la compression, sous CORS et HEAD
    app.add_middleware(
        CORSMiddleware,
        allow_origins=r.cors_origines,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=ENTETES_EXPOSES,
    )
    app.add_middleware(TeteCommeGet)
    for routeur in ROUTEURS:
        # /orientation et /exports : le même quota par client que /sparql (qui le pose sur ses routes)
        quota = [Depends(limiter)] if routeur in (orientation.routeur, exports.routeur) else []
        app.include_router(routeur, dependencies=quota)
    return app
