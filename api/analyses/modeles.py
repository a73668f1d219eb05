"""Les réponses JSON de /analyses."""

from __future__ import annotations

from pydantic import BaseModel, Field


class IndicateurAnalyse(BaseModel):
    """Un tableau du rapport : la requête du catalogue qui le calcule et son CSV."""

    identifiant: str = Field(examples=["radiotherapie_par_region"])
    titre: str
    description: str = Field(description="Ce que l'indicateur répond, et ses précautions.")
    fichier: str = Field(
        description="La requête SPARQL du catalogue.", examples=["requetes/radiotherapie_par_region.rq"]
    )
    colonnes: list[str]
    csv: str = Field(
        description="Le tableau en CSV (rapport national).", examples=["/analyses/csv/radiotherapie_par_region.csv"]
    )
