"""Le service d'orientation : une question passée au moteur, sous l'admission bornée des questions.

Pourquoi si peu : la compréhension, le classement et la politique du second avis sont dans ``recherche/``
(``Moteur.demander``, ``Moteur.second_avis``) ; ``boussole demander`` et ``/orientation`` disent donc la même
chose. Ce service n'ajoute que ce qui est propre au service web : l'admission (saturation → 503), les filtres
structurés (``filtres.py``) et la traduction des refus du moteur en refus de l'application.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.orientation import filtres
from api.orientation.secteurs import secteurs
from api.service.admission import Admission
from api.service.dependances import AdmissionQuestions, InstantaneOuRien, MoteurOuRien
from api.service.erreurs import RequeteRefusee
from graphe.instantane import Instantane
from recherche.moteur import LIMITE_MAX, QUESTION_MAX, Moteur, QuestionInvalide

MESSAGE_SANS_INDEX = "recherche indisponible : aucun index de recherche chargé pour l'instantané servi"


@dataclass(frozen=True)
class Filtres:
    """Les filtres structurés d'une demande (tous facultatifs ; codes validés par la route)."""

    lieu: str | None = None
    rayon_km: float | None = None
    besoin: str | None = None
    population: str | None = None
    niveau_min: str | None = None
    secteur: str | None = None

    @property
    def apres_classement(self) -> bool:
        return bool(self.niveau_min or self.secteur)


@dataclass
class ServiceOrientation:
    """Le moteur de l'instantané servi (ou None sans index), l'admission des questions, l'instantané servi."""

    moteur: Moteur | None
    admission: Admission
    instantane: Instantane | None = None
    _aucun: Filtres = field(default_factory=Filtres)

    def orienter(self, question: str, limite: int, filtres_: Filtres | None = None) -> dict[str, Any]:
        """Où adresser ce patient ?

        :param question: la question en français.
        :param limite: nombre maximal de résultats.
        :param filtres_: les filtres structurés (lieu, rayon, besoin, population, niveau, secteur).
        :returns: la réponse du moteur, de même forme que ``boussole demander --json`` (``Reponse.en_dict()``).
        :raises RequeteRefusee: 503 sans index de recherche, 400 si le moteur refuse la question.
        :raises Sature: plus de place de calcul ni d'attente.
        """
        return self._repondre(question, limite, second_avis=False, f=filtres_ or self._aucun)

    def second_avis(self, question: str, limite: int, filtres_: Filtres | None = None) -> dict[str, Any]:
        """Une demande de second avis ; la politique de relecture est celle du moteur (``Moteur.second_avis``).

        Mêmes paramètres, retour et refus que :meth:`orienter`.
        """
        return self._repondre(question, limite, second_avis=True, f=filtres_ or self._aucun)

    def _repondre(self, question: str, limite: int, second_avis: bool, f: Filtres) -> dict[str, Any]:
        if self.moteur is None:
            raise RequeteRefusee(MESSAGE_SANS_INDEX, 503)
        composee = filtres.question_composee(question, f.lieu, f.rayon_km, f.besoin, f.population)
        if len(composee) > QUESTION_MAX:
            raise RequeteRefusee(f"question invalide : la question et ses filtres dépassent {QUESTION_MAX} caractères")
        demander = self.moteur.second_avis if second_avis else self.moteur.demander
        try:
            with self.admission.place():
                reponse = demander(composee, limite=LIMITE_MAX if f.apres_classement else limite).en_dict()
        except QuestionInvalide as erreur:
            raise RequeteRefusee(f"question invalide : {erreur}") from erreur
        if composee != question.strip():
            reponse["question"] = question.strip()
        if f.lieu and not reponse["comprehension"].get("lieu"):
            reponse["remarques"].append(f"lieu « {f.lieu.strip()} » non reconnu : la recherche n'est pas localisée")
        if f.apres_classement:
            table = secteurs(self.instantane) if f.secteur else {}
            reponse = filtres.trier(reponse, limite, f.niveau_min, f.secteur, table)
        return reponse


def service_orientation(
    moteur: MoteurOuRien, admission: AdmissionQuestions, instantane: InstantaneOuRien
) -> ServiceOrientation:
    """Dépendance FastAPI : le service de l'instantané servi."""
    return ServiceOrientation(moteur, admission, instantane)
