"""Les formes JSON propres au point SPARQL (exemples) et la documentation de ses erreurs."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.service.erreurs_http import DocReponses, Erreur


class ExempleSparql(BaseModel):
    identifiant: str = Field(examples=["sources-et-dates"])
    titre: str = Field(examples=["Sources et dates de leurs données"])
    description: str
    requete: str = Field(description="Texte complet, PREFIX compris, prêt à envoyer à /sparql.")
    lien: str = Field(description="Lien GET qui exécute l'exemple (résultats JSON).")


class ErreurBudget(Erreur):
    """429 : le quota de requêtes ou un budget du client est épuisé ; ``Retry-After`` dit quand revenir."""

    budget: str | None = Field(
        None,
        description="Le budget épuisé : « concurrence » (requêtes à la fois) ou « temps » (secondes de travailleur "
        "sur la fenêtre) ; absent pour le quota de requêtes.",
        examples=["temps"],
    )


class RequeteCatalogueSparql(ExempleSparql):
    """Une requête du catalogue d'analyste (``requetes/*.rq``) : un exemple, plus son fichier et ses colonnes."""

    fichier: str = Field(examples=["requetes/radiotherapie_par_region.rq"])
    colonnes: list[str] = Field(description="Les colonnes du résultat, dans l'ordre.", examples=[["region"]])


#: Réponses d'erreur du point SPARQL, pour la documentation OpenAPI de ses routes.
ERREURS_SPARQL: DocReponses = {
    400: {"model": Erreur, "description": "Requête mal formée ou refusée (SERVICE, FROM hors instantané…)."},
    403: {"model": Erreur, "description": "Mise à jour demandée : point d'accès en lecture seule."},
    406: {"model": Erreur, "description": "Aucun format de réponse acceptable."},
    413: {"model": Erreur, "description": "Requête trop longue."},
    415: {"model": Erreur, "description": "Type de contenu non pris en charge."},
    429: {
        "model": ErreurBudget,
        "description": "Quota de requêtes ou budget du client (concurrence, temps) dépassé ; voir Retry-After.",
        "headers": {
            "Retry-After": {"description": "Secondes avant que le budget revienne.", "schema": {"type": "integer"}}
        },
    },
    503: {"model": Erreur, "description": "Délai dépassé (requête interrompue) ou service indisponible."},
}
