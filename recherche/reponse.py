"""La forme d'une réponse : la même pour ``boussole demander --json`` et pour l'API.

Chaque résultat dit pourquoi (les faits du graphe), où (commune, distance) et d'où vient chaque fait (source,
date). Les remarques disent ce qui a été assoupli ou pourquoi il n'y a pas de réponse : jamais de silence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Raison:
    """Un fait du graphe qui justifie un résultat, avec le titre et la date de sa source."""

    fait: str
    source: str
    date: str


@dataclass
class Resultat:
    """Un établissement proposé : rang, identité, distance (km, à vol d'oiseau), score, niveau de preuve le plus
    fort parmi les raisons citées, et ces raisons."""

    rang: int
    finess: str | None
    nom: str
    commune: str | None
    distance_km: float | None
    score: float
    niveau_de_preuve: str
    raisons: list[Raison] = field(default_factory=list)
    iri: str | None = None
    #: le point du site (WGS 84) et sa précision : « etablissement » (adresse géocodée) ou « commune » (centre de
    #: la commune, faute de mieux) ; une carte les dessine différemment
    latitude: float | None = None
    longitude: float | None = None
    precision_point: str | None = None
    #: « site » (FINESS), « organisation » (sans FINESS, d'une liste curée) ou « rcp » (une RCP de recours)
    nature: str = "site"


#: Ce que la réponse en texte dit d'une entité sans numéro FINESS, selon sa nature.
ETIQUETTES_SANS_FINESS = {"rcp": " [RCP de recours]", "organisation": " [sans FINESS]"}


@dataclass
class Reponse:
    """La réponse à une question : ``comprehension`` est ``Comprehension.en_dict()`` (le lieu y est un
    dictionnaire JSON, voir ``comprendre.repertoire.Lieu.en_dict``)."""

    question: str
    comprehension: dict[str, Any]
    resultats: list[Resultat]
    remarques: list[str] = field(default_factory=list)

    def en_dict(self) -> dict[str, Any]:
        """La forme JSON de l'API et de ``boussole demander --json`` (clés et ordre stables)."""
        return {
            "question": self.question,
            "comprehension": self.comprehension,
            "resultats": [asdict(r) for r in self.resultats],
            "remarques": self.remarques,
        }

    def en_texte(self) -> str:
        """Affichage lisible pour la ligne de commande."""
        lignes = [f"Question : {self.question}"]
        c = self.comprehension
        compris = [f"intention {c.get('intention')}"]
        if c.get("besoins"):
            compris.append("besoins " + ", ".join(c["besoins"]))
        if c.get("lieu"):
            compris.append(f"lieu {c['lieu'].get('nom')}")
        if c.get("population"):
            compris.append(f"population {c['population']}")
        lignes.append("Compris : " + " ; ".join(compris))
        lignes += [f"Remarque : {r}" for r in self.remarques]
        for r in self.resultats:
            distance = f", {r.distance_km:.1f} km" if r.distance_km is not None else ""
            finess = f" [FINESS {r.finess}]" if r.finess else ETIQUETTES_SANS_FINESS.get(r.nature, " [sans FINESS]")
            lieu = r.commune or ("lieu non précisé (réunion à distance ou multisite)" if r.nature == "rcp" else "?")
            lignes.append(f"\n{r.rang}. {r.nom}{finess} — {lieu}{distance} ({r.niveau_de_preuve})")
            lignes += [f"   - {x.fait} (source : {x.source}, {x.date})" for x in r.raisons]
        if not self.resultats:
            lignes.append("Aucun résultat.")
        return "\n".join(lignes)
