"""Budgets SPARQL par client, à la manière du Wikidata Query Service : requêtes à la fois, secondes par fenêtre.

Pourquoi en plus du quota de requêtes (``limites``) et de l'admission globale (``execution``) : le quota compte
les requêtes, pas leur coût. Vingt requêtes qui tournent chacune jusqu'au délai occupaient tous les travailleurs,
et les autres clients recevaient 503. Chaque client a donc :

* au plus ``concurrence`` requêtes en cours ou en attente d'un travailleur ;
* au plus ``secondes`` de temps de travailleur sur une fenêtre glissante de ``fenetre_s`` secondes ; le temps
  réellement passé par le travailleur est facturé à la fin de chaque requête (réussie, refusée ou coupée au délai).

Au-delà de l'un ou de l'autre : :class:`BudgetEpuise` (traduit en 429 + ``Retry-After`` par le gestionnaire
d'erreurs), qui dit quel budget est épuisé et quand il revient. Le client est l'adresse vue par le serveur
(``X-Forwarded-For`` n'est cru que des mandataires déclarés, voir ``api.cli.options_uvicorn``).
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from api.service.erreurs import RequeteRefusee

CONCURRENCE = "concurrence"
TEMPS = "temps"


class BudgetEpuise(RequeteRefusee):
    """Le budget ``budget`` du client (« concurrence » ou « temps ») est épuisé : 429, revenir plus tard."""

    def __init__(self, message: str, budget: str, retry_after_s: int) -> None:
        super().__init__(message, 429, retry_after_s=retry_after_s, champs={"budget": budget})
        self.budget = budget


@dataclass
class Facture:
    """Le temps de travailleur d'une requête, rempli par la réserve (même si la requête échoue)."""

    travail_s: float = 0.0


@dataclass
class _Compte:
    #: Instants (horloge) de début des requêtes admises et pas encore terminées.
    en_cours: list[float] = field(default_factory=list)
    #: (instant de fin, secondes facturées), du plus ancien au plus récent.
    charges: deque[tuple[float, float]] = field(default_factory=deque)


class BudgetsClients:
    """Les budgets de tous les clients ; sûr entre fils ; un client sans requête ni charge récente est oublié.

    :param concurrence: requêtes en cours ou en attente permises par client.
    :param secondes: temps de travailleur permis par client sur la fenêtre.
    :param fenetre_s: durée de la fenêtre glissante.
    :param delai_s: délai d'une requête (sert à estimer quand une place de concurrence se libère).
    """

    def __init__(
        self,
        concurrence: int,
        secondes: float,
        fenetre_s: float,
        delai_s: float,
        horloge: Callable[[], float] = time.monotonic,
    ) -> None:
        self.concurrence = concurrence
        self.secondes = secondes
        self.fenetre_s = fenetre_s
        self.delai_s = delai_s
        self.horloge = horloge
        self._comptes: dict[str, _Compte] = {}
        self._verrou = threading.Lock()
        self._dernier_menage = horloge()
        #: Refus par budget (lus par les tests et les mesures).
        self.refus = {CONCURRENCE: 0, TEMPS: 0}

    @contextlib.contextmanager
    def requete(self, client: str) -> Iterator[Facture]:
        """Admet une requête de ``client`` ou lève :class:`BudgetEpuise` ; à la sortie, facture son temps."""
        facture = Facture()
        debut = self._entrer(client)
        try:
            yield facture
        finally:
            self._sortir(client, debut, facture.travail_s)

    def en_cours(self, client: str) -> int:
        """Requêtes de ``client`` admises et pas encore terminées."""
        with self._verrou:
            compte = self._comptes.get(client)
            return len(compte.en_cours) if compte else 0

    def consomme(self, client: str) -> float:
        """Secondes facturées à ``client`` sur la fenêtre en cours."""
        with self._verrou:
            compte = self._comptes.get(client)
            if compte is None:
                return 0.0
            self._oublier_vieilles(compte, self.horloge())
            return sum(s for _, s in compte.charges)

    # --- interne -------------------------------------------------------------------------------------------

    def _entrer(self, client: str) -> float:
        maintenant = self.horloge()
        with self._verrou:
            compte = self._comptes.setdefault(client, _Compte())
            self._oublier_vieilles(compte, maintenant)
            if len(compte.en_cours) >= self.concurrence:
                self.refus[CONCURRENCE] += 1
                # une place revient au plus tard quand la plus ancienne requête atteint le délai
                attente = min(compte.en_cours) + self.delai_s - maintenant
                raise BudgetEpuise(
                    f"budget de concurrence épuisé : {self.concurrence} requêtes SPARQL de votre adresse sont déjà "
                    "en cours ou en attente ; attendez leur réponse avant d'en envoyer d'autres",
                    CONCURRENCE,
                    _secondes_entieres(attente),
                )
            consomme = sum(s for _, s in compte.charges)
            if consomme >= self.secondes:
                self.refus[TEMPS] += 1
                raise BudgetEpuise(
                    f"budget de temps épuisé : vos requêtes SPARQL ont occupé les travailleurs {consomme:.1f} s "
                    f"sur les {self.fenetre_s:g} dernières secondes (au plus {self.secondes:g} s permises) ; "
                    "réessayez plus tard ou allégez vos requêtes (filtres, LIMIT)",
                    TEMPS,
                    _secondes_entieres(self._retour_du_temps(compte, consomme, maintenant)),
                )
            compte.en_cours.append(maintenant)
            return maintenant

    def _sortir(self, client: str, debut: float, travail_s: float) -> None:
        maintenant = self.horloge()
        with self._verrou:
            compte = self._comptes.setdefault(client, _Compte())
            with contextlib.suppress(ValueError):
                compte.en_cours.remove(debut)
            if travail_s > 0:
                compte.charges.append((maintenant, travail_s))
            self._menage(maintenant)

    def _oublier_vieilles(self, compte: _Compte, maintenant: float) -> None:
        while compte.charges and compte.charges[0][0] <= maintenant - self.fenetre_s:
            compte.charges.popleft()

    def _retour_du_temps(self, compte: _Compte, consomme: float, maintenant: float) -> float:
        """Dans combien de secondes les charges sorties de la fenêtre ramènent le total sous le budget."""
        reste = consomme
        for instant, secondes in compte.charges:
            reste -= secondes
            if reste < self.secondes:
                return instant + self.fenetre_s - maintenant
        return self.fenetre_s

    def _menage(self, maintenant: float) -> None:
        """Oublie les clients sans requête en cours ni charge dans la fenêtre : la mémoire reste bornée.

        Au plus une fois par seconde : sous une rafale de milliers d'adresses, chaque fin de requête ne parcourt
        pas tous les comptes.
        """
        if maintenant - self._dernier_menage < 1.0:
            return
        self._dernier_menage = maintenant
        for client, compte in list(self._comptes.items()):
            self._oublier_vieilles(compte, maintenant)
            if not compte.en_cours and not compte.charges:
                del self._comptes[client]


def _secondes_entieres(attente: float) -> int:
    """``Retry-After`` : un nombre entier de secondes, au moins 1."""
    return max(1, math.ceil(attente))
