"""Bascule à chaud sur un nouvel instantané : le service suit le lien ``courant`` sans interruption.

Pourquoi : ``boussole construire`` publie un nouvel instantané en basculant atomiquement le lien ``courant``.
Le service doit le prendre sans redémarrer ni refuser de requête : on prépare tout à côté (store ouvert, moteur
chargé, travailleurs SPARQL démarrés), puis on remplace d'un coup l'état servi. Les requêtes en cours gardent
l'ancien état (elles en tiennent déjà les références) ; les anciens travailleurs ne sont arrêtés qu'après un
délai de grâce, assez long pour que la requête SPARQL la plus longue permise se termine.

Un instantané dont l'index de recherche n'est pas encore prêt (``construire`` le prépare juste après la
publication) n'est pris qu'une fois l'index écrit : on ne fait jamais encoder les documents par le service.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.service import sonde
from graphe.instantane import InstantaneAbsent, chemin_courant, ouvrir

log = logging.getLogger("boussole.api")

#: Marge ajoutée au délai SPARQL avant d'arrêter les anciens travailleurs.
MARGE_GRACE_S = 5.0


class Rechargeur:
    """Surveille le lien ``courant`` d'un dossier d'instantanés et bascule l'état servi de l'application.

    ``demarrer_reserve(instantane)`` rend une réserve SPARQL démarrée pour un instantané ouvert (ou None) ;
    ``charger_moteur(instantane)`` rend son moteur de recherche (ou None). Les deux viennent de la fabrique
    de l'application, pour que la bascule prépare exactement ce que le démarrage prépare.
    """

    def __init__(
        self,
        app: Any,
        racine: Path,
        periode_s: float,
        grace_s: float,
        demarrer_reserve: Callable[[Any], Any],
        charger_moteur: Callable[[Any], Any],
        sonder: Callable[[Path], str | None] = sonde.sonder,
    ) -> None:
        self.app = app
        self.racine = Path(racine)
        self.periode_s = periode_s
        self.grace_s = grace_s
        self._demarrer_reserve = demarrer_reserve
        self._charger_moteur = charger_moteur
        self._sonder = sonder  # un candidat s'ouvre d'abord dans un enfant borné en mémoire (voir sonde.py)
        self._arret = threading.Event()
        self._verrou = threading.Lock()
        self._fil: threading.Thread | None = None
        self._refuse: Path | None = None

    def demarrer(self) -> None:
        self._fil = threading.Thread(target=self._boucle, daemon=True, name="boussole-rechargement")
        self._fil.start()

    def arreter(self) -> None:
        self._arret.set()
        if self._fil is not None:
            self._fil.join(timeout=self.periode_s + 1)

    def _boucle(self) -> None:
        while not self._arret.wait(self.periode_s):
            try:
                self.verifier()
            except Exception:  # noqa: BLE001 - la surveillance ne doit jamais mourir ; l'état servi reste
                log.exception("bascule d'instantané échouée ; l'instantané servi reste en place")

    def verifier(self) -> bool:
        """Bascule si ``courant`` désigne un autre instantané prêt ; rend True si l'état servi a changé."""
        with self._verrou:
            try:
                cible = chemin_courant(self.racine)
            except InstantaneAbsent:
                return False
            actuel = getattr(self.app.state, "instantane", None)
            if actuel is not None and Path(actuel.chemin).resolve() == cible:
                return False
            if cible == self._refuse:
                return False
            avait_moteur = getattr(self.app.state, "moteur", None) is not None
            if avait_moteur and not (cible / "recherche" / "index.json").exists():
                return False  # l'index se prépare encore : on repassera
            raison = self._sonder(cible)
            if raison is not None:
                log.error("nouvel instantané refusé (%s) : %s ; l'instantané servi reste en place", cible, raison)
                self._refuse = cible
                return False
            try:
                nouveau = ouvrir(cible)
            except (OSError, ValueError, KeyError) as erreur:
                log.error("nouvel instantané illisible (%s) : %s ; l'instantané servi reste en place", cible, erreur)
                self._refuse = cible
                return False
            moteur = self._charger_moteur(nouveau)
            reserve = self._demarrer_reserve(nouveau)
            if reserve is None:
                log.error("travailleurs SPARQL du nouvel instantané non démarrés ; l'instantané servi reste")
                self._refuse = cible
                return False
            ancienne = getattr(self.app.state, "reserve", None)
            # l'état servi change d'un coup ; chaque requête lit ces attributs une fois, à son début
            self.app.state.moteur = moteur
            self.app.state.reserve = reserve
            self.app.state.instantane = nouveau
            log.info(
                '{"evenement":"bascule_instantane","instantane":"%s","ancien":"%s"}',
                nouveau.identifiant,
                getattr(actuel, "identifiant", None),
            )
            depot = getattr(self.app.state, "exports", None)
            ancien_id = getattr(actuel, "identifiant", None)
            if depot is not None and ancien_id:
                # les exports de l'ancien instantané partent avec lui, après le délai de grâce
                nettoyage = threading.Timer(self.grace_s, depot.oublier, args=(ancien_id,))
                nettoyage.daemon = True
                nettoyage.start()
            if ancienne is not None:
                minuterie = threading.Timer(self.grace_s, ancienne.fermer)
                minuterie.daemon = True
                minuterie.start()
            return True
