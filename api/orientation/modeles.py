"""Les formes d'une réponse d'orientation (modèles Pydantic), documentées pour les partenaires.

Pourquoi des modèles qui recopient ``recherche.reponse`` : la documentation OpenAPI (champs, exemples) est le
contrat des partenaires ; le test ``tests/api/test_orientation.py`` vérifie que la forme servie reste celle de
``boussole demander --json`` (``Reponse.en_dict()``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from recherche.moteur import LIMITE_MAX, QUESTION_MAX

EXEMPLE_RAISON: dict[str, Any] = {
    "fait": "Radiothérapie déclarée à la SAE 2023 (variable RTH = 1)",
    "source": "SAE 2023 — filtres d'activité (bordereau FILTRE, lignes DECLA)",
    "date": "2023",
}
EXEMPLE_RESULTAT: dict[str, Any] = {
    "rang": 1,
    "finess": "560023228",
    "nom": "CENTRE D'ONCOLOGIE SAINT-YVES",
    "commune": "Vannes",
    "distance_km": 0.0,
    "score": 0.8537,
    "niveau_de_preuve": "activite_declaree",
    "raisons": [EXEMPLE_RAISON],
    "iri": "https://w3id.org/boussole/id/etablissement/560023228",
    "latitude": 47.6559,
    "longitude": -2.7376,
    "precision_point": "etablissement",
}
EXEMPLE_COMPREHENSION: dict[str, Any] = {
    "intention": "orientation",
    "besoins": ["radiotherapie"],
    "localisations": [],
    "soins_support": [],
    "reseaux": [],
    "population": None,
    "age": None,
    "lieu": {
        "type": "commune",
        "code": "56260",
        "nom": "Vannes",
        "departement": "56",
        "latitude": 47.65835,
        "longitude": -2.76097,
    },
    "rayon_km": None,
    "exclure": [],
    "lieu_exclu": None,
    "nom_etablissement": None,
    "texte_normalise": "radiotherapie pres de vannes",
    "texte_recherche": "radiothérapie près Radiothérapie externe",
    "termes_non_compris": [],
    "termes_approches": [],
}


class Raison(BaseModel):
    """Un fait du graphe qui justifie le résultat, avec sa source et la date de ses données."""

    fait: str = Field(description="Phrase française lisible.", examples=[EXEMPLE_RAISON["fait"]])
    source: str = Field(description="Titre de la source (graphe nommé).", examples=[EXEMPLE_RAISON["source"]])
    date: str = Field(description="Date ou année des données de la source.", examples=["2023"])


class Resultat(BaseModel):
    """Un établissement (ou une organisation sans FINESS) proposé, avec ses raisons."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXEMPLE_RESULTAT]})

    rang: int = Field(ge=1, description="Rang dans la réponse (1 = le premier).")
    finess: str | None = Field(description="FINESS géographique ; null pour une organisation sans FINESS.")
    nom: str
    commune: str | None
    distance_km: float | None = Field(description="Distance à vol d'oiseau depuis le lieu compris, en km.")
    score: float = Field(description="Score de classement (comparable dans une même réponse seulement).")
    niveau_de_preuve: str = Field(
        description="Meilleur niveau de preuve : autorisation, liste_curee, activite_declaree…",
        examples=["autorisation"],
    )
    raisons: list[Raison] = Field(default_factory=list)
    iri: str | None = Field(default=None, description="IRI de l'entité ; sa fiche est servie sous /id/….")
    latitude: float | None = Field(default=None, description="Latitude du point du site (WGS 84).")
    longitude: float | None = Field(default=None, description="Longitude du point du site (WGS 84).")
    precision_point: Literal["etablissement", "commune"] | None = Field(
        default=None,
        description="« etablissement » : adresse géocodée ; « commune » : centre de la commune, faute de mieux.",
        examples=["etablissement"],
    )
    nature: Literal["site", "organisation", "rcp"] = Field(
        default="site",
        description="« site » : un établissement FINESS ; « organisation » : une structure sans FINESS d'une liste "
        "curée ; « rcp » : une RCP de recours (réunion de concertation), placée au site de son organisateur.",
        examples=["site"],
    )


class Lieu(BaseModel):
    # Le lieu compris et son point ; les autres champs du moteur passent tels quels (pas de docstring : elle
    # entrerait dans le schéma OpenAPI publié, que ce déménagement garde identique).
    model_config = ConfigDict(extra="allow")

    type: str | None = Field(default=None, examples=["commune"])
    code: str | None = Field(default=None, examples=["56260"])
    nom: str | None = Field(default=None, examples=["Vannes"])
    latitude: float | None = None
    longitude: float | None = None


class Comprehension(BaseModel):
    """Ce que le moteur a compris de la question et appliqué comme contraintes."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [EXEMPLE_COMPREHENSION]})

    intention: str = Field(description="orientation, second_avis ou etablissement.", examples=["orientation"])
    besoins: list[str] = Field(default_factory=list, examples=[["radiotherapie"]])
    localisations: list[str] = Field(default_factory=list, examples=[["sein"]])
    soins_support: list[str] = Field(default_factory=list)
    reseaux: list[str] = Field(default_factory=list)
    population: str | None = Field(default=None, examples=["enfant"])
    age: int | None = None
    lieu: Lieu | None = None
    rayon_km: float | None = None
    exclure: list[str] = Field(default_factory=list, description="Équipes à exclure (second avis).")
    lieu_exclu: Lieu | None = None
    nom_etablissement: str | None = None
    texte_normalise: str = ""
    texte_recherche: str = ""
    termes_non_compris: list[str] = Field(default_factory=list)
    termes_approches: list[str] = Field(default_factory=list)


class ReponseOrientation(BaseModel):
    """La réponse, de même forme que ``boussole demander --json``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "question": "radiothérapie près de Vannes",
                    "comprehension": EXEMPLE_COMPREHENSION,
                    "resultats": [EXEMPLE_RESULTAT],
                    "remarques": [],
                }
            ]
        }
    )

    question: str
    comprehension: Comprehension
    resultats: list[Resultat]
    remarques: list[str] = Field(
        default_factory=list, description="Ce qui a été assoupli, exclu, ou pourquoi il n'y a pas de réponse."
    )


class Demande(BaseModel):
    """Corps de POST /orientation."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"q": "chimiothérapie pour un enfant de 8 ans près de Lille", "limite": 5}]}
    )

    q: str = Field(min_length=1, max_length=QUESTION_MAX, description="La question, en français.")
    limite: int = Field(default=5, ge=1, le=LIMITE_MAX, description="Nombre maximal de résultats.")
