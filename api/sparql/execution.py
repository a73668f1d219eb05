"""La réserve de travailleurs SPARQL : délai réel, remplacement des processus tués ou morts.

Pourquoi : une requête publique peut être arbitrairement coûteuse. Au délai (``sparql_delai_s``), on tue le
processus qui l'exécute (SIGKILL) — c'est la seule façon d'arrêter vraiment Oxigraph — et on en démarre un
autre en arrière-plan ; le client reçoit aussitôt un 503 clair. La réserve est synchrone et sûre entre fils :
les routes l'appellent depuis le pool de fils de Starlette.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from api.service.admission import Admission
from api.service.erreurs import RequeteRefusee
from api.sparql.travailleur import (
    ConfigTravailleur,
    EchecDemarrage,
    MemoireDepassee,
    Panne,
    Pret,
    Refus,
    Reussite,
    Tache,
    principal,
)

journal = logging.getLogger("boussole.sparql")

DELAI_DEMARRAGE_S = 60.0
#: Requêtes admises par travailleur (une en cours, les autres en attente) : assez pour ne pas laisser un
#: travailleur oisif entre deux requêtes, assez peu pour qu'une attente reste plus courte que le délai.
ADMISES_PAR_TRAVAILLEUR = 4
CONTEXTE = mp.get_context("spawn")  # pas de fork : le parent a des fils et un store ouvert
#: Arènes de malloc du travailleur : glibc en réserve jusqu'à 8 par cœur, 64 Mo de mémoire virtuelle chacune.
#: Sous le plafond RLIMIT_AS, ce nombre variable rendait le démarrage et le refus « mémoire dépassée »
#: aléatoires ; deux arènes rendent la mémoire virtuelle du travailleur prévisible.
#: glibc lit la variable au lancement du processus : posée ici, elle vaut pour chaque travailleur lancé ensuite
#: (le processus courant n'en est pas changé). Un réglage déjà présent dans l'environnement est respecté.
os.environ.setdefault("MALLOC_ARENA_MAX", "2")


class DelaiDepasse(RequeteRefusee):
    """La requête a atteint le délai ; son processus a été tué."""


@dataclass
class Resultat:
    """Le corps d'une requête exécutée, ses métadonnées et sa durée (remise au travailleur comprise)."""

    corps: bytes
    tronque: bool
    lignes: int
    duree_s: float


class _Travailleur:
    """Un processus et son bout de tuyau."""

    def __init__(self, config: ConfigTravailleur) -> None:
        self.conn, bout = CONTEXTE.Pipe(duplex=True)
        self.processus = CONTEXTE.Process(
            target=principal, args=(bout, config), daemon=True, name="boussole-sparql"
        )
        self.processus.start()
        bout.close()
        #: Ce que le travailleur a dit en démarrant (pid, isolement réseau) ; None avant.
        self.pret: Pret | None = None

    def attendre_pret(self, delai: float) -> None:
        if not self.conn.poll(delai):
            self.tuer()
            raise RuntimeError("le travailleur SPARQL n'a pas démarré à temps")
        try:
            message = self.conn.recv()
        except EOFError:
            self.tuer()
            raise RuntimeError("le travailleur SPARQL s'est arrêté au démarrage") from None
        if not isinstance(message, Pret):
            self.tuer()
            detail = message.message if isinstance(message, EchecDemarrage) else repr(message)
            raise RuntimeError(f"le travailleur SPARQL n'a pas pu ouvrir l'instantané : {detail}")
        self.pret = message

    @property
    def reseau_isole(self) -> bool:
        """Vrai si le travailleur a dit, en démarrant, être isolé du réseau."""
        return self.pret is not None and self.pret.reseau_isole

    @property
    def pid(self) -> int | None:
        return self.processus.pid

    def tuer(self) -> None:
        if self.processus.is_alive():
            self.processus.kill()  # SIGKILL : Oxigraph ne rend pas la main autrement
        self.processus.join(timeout=5)
        self.conn.close()


class ReserveSparql:
    """``n`` travailleurs pré-démarrés qui partagent l'instantané en lecture seule."""

    def __init__(
        self,
        chemin_store: Path,
        travailleurs: int,
        delai_s: float,
        memoire_mo: int,
        prefixes: dict[str, str],
        isoler_reseau: bool = True,
    ) -> None:
        self.config = ConfigTravailleur(str(chemin_store), memoire_mo, prefixes, isoler_reseau)
        self.nombre = travailleurs
        self.delai_s = delai_s
        #: Requêtes admises à la fois (en cours ou en attente d'un travailleur) ; au-delà : 503 immédiat.
        self.capacite = travailleurs * ADMISES_PAR_TRAVAILLEUR
        # l'attente d'un travailleur libre se fait dans ``executer`` : toutes les places sont « de calcul »
        self._admission = Admission(
            self.capacite,
            0,
            retry_after_s=max(1, round(delai_s / 2)),
            message=f"point SPARQL saturé ({self.capacite} requêtes déjà en cours ou en attente) : réessayez "
            "dans quelques secondes",
        )
        self._libres: queue.Queue[_Travailleur] = queue.Queue()
        self._tous: set[_Travailleur] = set()
        self._verrou = threading.Lock()
        self._ferme = False
        self._demarree = False
        #: Compteurs lus par /sante et par les tests.
        self.remplacements = 0
        self.interruptions = 0

    # --- cycle de vie ---------------------------------------------------------------------------------

    def demarrer(self) -> None:
        """Démarre les processus en parallèle et attend qu'ils aient ouvert l'instantané."""
        debut = time.monotonic()
        nouveaux = [_Travailleur(self.config) for _ in range(self.nombre)]
        for t in nouveaux:
            t.attendre_pret(DELAI_DEMARRAGE_S)
            self._ajouter(t)
        journal.info("%d travailleurs SPARQL prêts en %.1f s", self.nombre, time.monotonic() - debut)
        self._demarree = True
        if not all(t.reseau_isole for t in nouveaux):
            journal.warning("travailleurs SPARQL non isolés du réseau : seule la garde bloque SERVICE")

    def fermer(self) -> None:
        """Arrêt propre : on demande la sortie, puis on tue ce qui traîne."""
        self._ferme = True
        with self._verrou:
            tous = list(self._tous)
            self._tous.clear()
        for t in tous:
            with contextlib.suppress(OSError, ValueError):
                t.conn.send(None)
        for t in tous:
            t.processus.join(timeout=2)
            t.tuer()

    @property
    def en_service(self) -> bool:
        """Démarrée et pas encore fermée (un travailleur en cours de remplacement n'est pas une panne)."""
        return self._demarree and not self._ferme

    @property
    def vivants(self) -> int:
        with self._verrou:
            return sum(1 for t in self._tous if t.processus.is_alive())

    @property
    def reseau_isole(self) -> bool:
        with self._verrou:
            return bool(self._tous) and all(t.reseau_isole for t in self._tous)

    def pids(self) -> set[int]:
        with self._verrou:
            return {t.pid for t in self._tous if t.pid}

    def _ajouter(self, t: _Travailleur) -> None:
        with self._verrou:
            if self._ferme:
                t.tuer()
                return
            self._tous.add(t)
        self._libres.put(t)

    def _remplacer(self, ancien: _Travailleur) -> None:
        """Tue ``ancien`` et démarre son remplaçant dans un fil, sans faire attendre le client."""
        with self._verrou:
            self._tous.discard(ancien)
        self.remplacements += 1

        def travail() -> None:
            ancien.tuer()
            for essai in range(5):
                if self._ferme:
                    return
                try:
                    nouveau = _Travailleur(self.config)
                    nouveau.attendre_pret(DELAI_DEMARRAGE_S)
                except RuntimeError as erreur:
                    journal.error(
                        "remplacement du travailleur SPARQL impossible (essai %d) : %s", essai + 1, erreur
                    )
                    time.sleep(2**essai)
                    continue
                self._ajouter(nouveau)
                return

        threading.Thread(target=travail, daemon=True, name="boussole-sparql-remplacement").start()

    # --- exécution --------------------------------------------------------------------------------------

    @property
    def saturations(self) -> int:
        """Requêtes refusées faute de place (lu par les tests et les mesures)."""
        return self._admission.refus

    def admission(self) -> contextlib.AbstractContextManager[None]:
        """Une place parmi ``capacite`` ; sans place libre, refus immédiat (503, ``Retry-After``)."""
        return self._admission.place()

    def executer(self, tache: Tache) -> Resultat:
        """Exécute ``tache`` ; lève RequeteRefusee (400…), DelaiDepasse (503) ou RequeteRefusee 503."""
        debut = time.monotonic()
        try:
            t = self._libres.get(timeout=self.delai_s)
        except queue.Empty:
            raise RequeteRefusee(
                "tous les travailleurs SPARQL sont occupés : réessayez dans quelques secondes", 503
            ) from None
        if not t.processus.is_alive():
            self._remplacer(t)
            raise RequeteRefusee("travailleur SPARQL indisponible : réessayez dans quelques secondes", 503)
        try:
            t.conn.send(tache)
            pret = t.conn.poll(self.delai_s)  # le délai court à partir de la remise au travailleur
            message = t.conn.recv() if pret else None
            mort = False
        except (EOFError, OSError, BrokenPipeError):
            message, mort = None, True
        duree = time.monotonic() - debut
        if message is None and not mort:
            self.interruptions += 1
            self._remplacer(t)
            raise DelaiDepasse(
                f"délai dépassé ({_secondes(self.delai_s)}) : la requête a été interrompue ; "
                "ajoutez des filtres ou une limite (LIMIT)",
                503,
            )
        if mort or isinstance(message, MemoireDepassee):
            t.processus.join(timeout=1)
            avorte = isinstance(message, MemoireDepassee) or t.processus.exitcode == -signal.SIGABRT
            self._remplacer(t)
            raise RequeteRefusee(
                f"mémoire dépassée ({self.config.memoire_mo} Mo) : la requête a été interrompue"
                if avorte
                else "le processus qui exécutait la requête s'est arrêté : elle a été interrompue",
                503,
            )
        self._libres.put(t)
        if isinstance(message, Reussite):
            return Resultat(message.corps, message.tronque, message.lignes, duree)
        if isinstance(message, Refus):
            raise RequeteRefusee(message.message, message.statut)
        journal.error("erreur du travailleur SPARQL : %s", message.message if isinstance(message, Panne) else message)
        raise RequeteRefusee("erreur interne pendant l'exécution de la requête", 500)


def _secondes(delai: float) -> str:
    return f"{delai:g} s"
