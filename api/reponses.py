"""Les formes des réponses JSON de l'API (modèles Pydantic, avec exemples pour la documentation OpenAPI).

Pourquoi un module à part : les routeurs décrivent *ce qu'ils répondent* sans porter de logique, et un client
(widget, partenaire) lit un seul endroit pour connaître les champs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Erreur(BaseModel):
    """Toute réponse d'erreur : un message en français, lisible par une personne."""

    detail: str = Field(examples=["requête trop longue : 1048600 octets, au plus 20000 permis"])


class ErreurValidation(Erreur):
    erreurs: list[dict] = Field(
        default_factory=list,
        description="Chaque paramètre refusé : champ et raison.",
        examples=[[{"champ": "query.limite", "message": "doit être un entier"}]],
    )


class InfoInstantane(BaseModel):
    identifiant: str = Field(examples=["20261122T101500-3f2a"])
    date_construction: str = Field(examples=["2026-11-22T10:15:00"])


class Sante(BaseModel):
    """État du service : « pret » quand un instantané est ouvert et que les travailleurs SPARQL tournent."""

    statut: Literal["pret", "indisponible"]
    instantane: InfoInstantane | None = None


class ExempleSparql(BaseModel):
    identifiant: str = Field(examples=["sources-et-dates"])
    titre: str = Field(examples=["Sources et dates de leurs données"])
    description: str
    requete: str = Field(description="Texte complet, PREFIX compris, prêt à envoyer à /sparql.")
    lien: str = Field(description="Lien GET qui exécute l'exemple (résultats JSON).")


#: Réponses d'erreur communes, pour la documentation OpenAPI des routes.
ERREURS_SPARQL: dict[int | str, dict] = {
    400: {"model": Erreur, "description": "Requête mal formée ou refusée (SERVICE, FROM hors instantané…)."},
    403: {"model": Erreur, "description": "Mise à jour demandée : point d'accès en lecture seule."},
    406: {"model": Erreur, "description": "Aucun format de réponse acceptable."},
    413: {"model": Erreur, "description": "Requête trop longue."},
    415: {"model": Erreur, "description": "Type de contenu non pris en charge."},
    429: {"model": Erreur, "description": "Quota dépassé ; voir l'en-tête Retry-After."},
    503: {"model": Erreur, "description": "Délai dépassé (requête interrompue) ou service indisponible."},
}
