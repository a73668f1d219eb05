"""Le service d'orientation : une question passée au moteur, sous l'admission bornée des questions.

Pourquoi si peu : la compréhension, le classement et la politique du second avis sont dans ``recherche/``
(``Moteur.demander``, ``Moteur.second_avis``) ; ``boussole demander`` et ``/orientation`` disent donc la même
chose. Ce service n'ajoute que ce qui est propre au service web : l'admission (saturation → 503) et la
traduction des refus du moteur en refus de l'application.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.service.admission import Admission
from api.service.dependances import AdmissionQuestions, MoteurOuRien
from api.service.erreurs import RequeteRefusee
from recherche.moteur import Moteur, QuestionInvalide

MESSAGE_SANS_INDEX = "recherche indisponible : aucun index de recherche chargé pour l'instantané servi"


@dataclass
class ServiceOrientation:
    """Le moteur de l'instantané servi (ou None sans index) et l'admission des questions."""

    moteur: Moteur | None
    admission: Admission

    def orienter(self, question: str, limite: int) -> dict[str, Any]:
        """Où adresser ce patient ?

        :param question: la question en français.
        :param limite: nombre maximal de résultats.
        :returns: la réponse du moteur, de même forme que ``boussole demander --json`` (``Reponse.en_dict()``).
        :raises RequeteRefusee: 503 sans index de recherche, 400 si le moteur refuse la question.
        :raises Sature: plus de place de calcul ni d'attente.
        """
        return self._repondre(question, limite, second_avis=False)

    def second_avis(self, question: str, limite: int) -> dict[str, Any]:
        """Une demande de second avis ; la politique de relecture est celle du moteur (``Moteur.second_avis``).

        Mêmes paramètres, retour et refus que :meth:`orienter`.
        """
        return self._repondre(question, limite, second_avis=True)

    def _repondre(self, question: str, limite: int, second_avis: bool) -> dict[str, Any]:
        if self.moteur is None:
            raise RequeteRefusee(MESSAGE_SANS_INDEX, 503)
        demander = self.moteur.second_avis if second_avis else self.moteur.demander
        try:
            with self.admission.place():
                return demander(question, limite=limite).en_dict()
        except QuestionInvalide as erreur:
            raise RequeteRefusee(f"question invalide : {erreur}") from erreur


def service_orientation(moteur: MoteurOuRien, admission: AdmissionQuestions) -> ServiceOrientation:
    """Dépendance FastAPI : le service de l'instantané servi."""
    return ServiceOrientation(moteur, admission)
