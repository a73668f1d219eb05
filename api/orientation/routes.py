"""/orientation et /second-avis : poser une question en français, recevoir des établissements sourcés."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.orientation.filtres import Besoin, NiveauMinimal, Population, Secteur
from api.orientation.modeles import Demande, ReponseOrientation
from api.orientation.service import Filtres, ServiceOrientation, service_orientation
from api.service.erreurs_http import DocReponses, Erreur, ErreurValidation
from recherche.moteur import LIMITE_MAX, QUESTION_MAX

routeur = APIRouter(tags=["Orientation"])

Service = Annotated[ServiceOrientation, Depends(service_orientation)]

_ERREURS: DocReponses = {
    400: {"model": Erreur, "description": "Question refusée par le moteur (vide après nettoyage…)."},
    422: {"model": ErreurValidation, "description": "Paramètre hors bornes (q : 1 à 500 caractères, limite : 1 à 50)."},
    503: {"model": Erreur, "description": "Index de recherche non chargé, ou service saturé (voir Retry-After)."},
}

Question = Annotated[
    str,
    Query(
        min_length=1,
        max_length=QUESTION_MAX,
        description="La question, en français : besoin, lieu, âge, équipe qui suit le patient…",
        examples=["radiothérapie près de Vannes"],
    ),
]
Limite = Annotated[int, Query(ge=1, le=LIMITE_MAX, description="Nombre maximal de résultats.")]
LieuFiltre = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="Lieu du patient : commune, code postal ou département (ajouté à la question).",
        examples=["Vannes"],
    ),
]
Rayon = Annotated[
    float | None,
    Query(gt=0, le=1000, description="Rayon de recherche autour du lieu, en km.", examples=[30]),
]
BesoinFiltre = Annotated[
    Besoin | None, Query(description="Besoin de soins (code du thésaurus).", examples=["radiotherapie"])
]
PopulationFiltre = Annotated[
    Population | None, Query(description="Population du patient (code du thésaurus).", examples=["enfant"])
]
Niveau = Annotated[
    NiveauMinimal | None,
    Query(
        description="Niveau de preuve minimal : autorisation > liste_curee > activite_declaree.",
        examples=["autorisation"],
    ),
]
SecteurFiltre = Annotated[
    Secteur | None,
    Query(description="Secteur du site d'après son statut juridique FINESS : public ou prive.", examples=["public"]),
]


def _filtres(
    lieu: LieuFiltre = None,
    rayon_km: Rayon = None,
    besoin: BesoinFiltre = None,
    population: PopulationFiltre = None,
    niveau_min: Niveau = None,
    secteur: SecteurFiltre = None,
) -> Filtres:
    """Les filtres facultatifs, communs à GET /orientation et /second-avis."""
    return Filtres(
        lieu=lieu,
        rayon_km=rayon_km,
        besoin=besoin.value if besoin else None,
        population=population.value if population else None,
        niveau_min=niveau_min.value if niveau_min else None,
        secteur=secteur.value if secteur else None,
    )


FiltresDemandes = Annotated[Filtres, Depends(_filtres)]


@routeur.get("/orientation", response_model=ReponseOrientation, summary="Orienter (GET)", responses=_ERREURS)
def orientation_get(service: Service, q: Question, filtres: FiltresDemandes, limite: Limite = 5) -> dict:
    """Où adresser ce patient ? Les établissements qui répondent au besoin, les plus pertinents d'abord, chacun
    avec les faits du graphe qui le justifient (source et date). Les filtres facultatifs (lieu, rayon, besoin,
    population) sont ajoutés à la question en mots ; niveau de preuve et secteur trient les résultats classés."""
    return service.orienter(q, limite, filtres)


@routeur.post("/orientation", response_model=ReponseOrientation, summary="Orienter (POST)", responses=_ERREURS)
def orientation_post(service: Service, demande: Demande) -> dict:
    """Comme GET /orientation, la question dans un corps JSON (``{"q": …, "limite": …}``)."""
    return service.orienter(demande.q, demande.limite)


@routeur.get("/second-avis", response_model=ReponseOrientation, summary="Second avis", responses=_ERREURS)
def second_avis_get(
    service: Service,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=QUESTION_MAX,
            description="La situation : pathologie, équipe ou ville qui suit déjà le patient.",
            examples=["second avis pour un sarcome, suivi au CHU de Nantes"],
        ),
    ],
    filtres: FiltresDemandes,
    limite: Limite = 5,
) -> dict:
    """Quelle équipe de compétence égale ou supérieure peut relire ce dossier, hors de l'équipe qui le suit ?
    Une question qui ne dit pas « second avis » est relue comme telle ; une remarque le signale."""
    return service.second_avis(q, limite, filtres)
