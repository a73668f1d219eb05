"""Admission bornée : quelques requêtes calculent, un petit nombre attend, le reste est refusé tout de suite.

Sert aux questions du moteur et au point SPARQL. Pourquoi : une réponse coûte surtout du calcul (encodage de la
question, classement numpy). Sur 2 cœurs, 40 questions calculées à la fois ne vont pas plus vite que 2 : elles se
disputent les cœurs, et sous une rafale la file grossit sans fin (des réponses en minutes). Borner le calcul et
l'attente garde les réponses admises rapides et dit aux autres, vite et clairement, de revenir.

La réserve ne connaît pas HTTP : un refus est l'exception du domaine :class:`Sature` ; le gestionnaire d'erreurs
de l'application la traduit en 503 avec ``Retry-After``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class Sature(Exception):
    """Plus de place de calcul ni d'attente : revenir dans ``retry_after_s`` secondes.

    :param message: l'explication française rendue au client.
    :param retry_after_s: le délai conseillé avant un nouvel essai (en-tête ``Retry-After``).
    """

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_s = retry_after_s


class Admission:
    """``concurrence`` calculs à la fois, au plus ``attente_max`` en attente ; au-delà, :class:`Sature`.

    :param concurrence: calculs menés en même temps.
    :param attente_max: requêtes qui peuvent attendre une place ; la suivante est refusée sans attendre.
    :param retry_after_s: délai conseillé aux refusés.
    :param message: explication française d'un refus.
    """

    def __init__(
        self,
        concurrence: int,
        attente_max: int,
        retry_after_s: int = 1,
        message: str = "service saturé : trop de questions en cours, réessayez dans un instant",
    ) -> None:
        self.concurrence = concurrence
        self.attente_max = attente_max
        self.retry_after_s = retry_after_s
        self.message = message
        self._calcul = threading.Semaphore(concurrence)
        self._verrou = threading.Lock()
        self._en_attente = 0
        #: Compteur des refus (lu par les tests et les mesures).
        self.refus = 0

    @contextlib.contextmanager
    def place(self) -> Iterator[None]:
        """Attend une place de calcul, ou refuse tout de suite si la file d'attente est pleine.

        :raises Sature: quand ``concurrence + attente_max`` requêtes sont déjà dedans.
        """
        with self._verrou:
            if self._en_attente >= self.attente_max + self.concurrence:
                self.refus += 1
                raise Sature(self.message, self.retry_after_s)
            self._en_attente += 1
        try:
            with self._calcul:
                yield
        finally:
            with self._verrou:
                self._en_attente -= 1
