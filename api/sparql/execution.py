"""La réserve de travailleurs SPARQL : délai réel, remplacement des processus tués ou morts.

Pourquoi : une requête publique peut être arbitrairement coûteuse. Au délai (``sparql_delai_s``), on tue le
processus qui l'exécute (SIGKILL) — c'est la seule façon d'arrêter vraiment Oxigraph — et on en démarre un
autre en arrière-plan ; le client reçoit aussitôt un 503 clair. La réserve est synchrone et sûre entre fils :
les routes l'appellent depuis le pool de fils de Starlette.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import multiprocessing as mp
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from api.service.admission import Admission
from api.service.erreurs import RequeteRefusee
from api.sparql.budgets import Facture
from api.sparql.externe import message_delai
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
#: travailleur oisif entre deux requêtes, assez peu pour qu'une attente reste courte.
ADMISES_PAR_TRAVAILLEUR = 4
#: Attente d'un travailleur au plus, en délais : un client qui a deux requêtes admises attend la première (au plus
#: un délai), puis son tour derrière celle d'un autre client.
ATTENTES_MAX = 2
CONTEXTE = mp.get_context("spawn")  # pas de fork : le parent a des fils et un store ouvert
#: Arènes de malloc du travailleur : glibc en réserve jusqu'à 8 par cœur, 64 Mo de mémoire virtuelle chacune.
#: Sous le plafond RLIMIT_AS, ce nombre variable rendait le démarrage et le refus « mémoire dépassée »
#: aléatoires ; deux arènes rendent la mémoire virtuelle du travailleur prévisible.
#: glibc lit la variable au lancement du processus : posée ici, elle vaut pour chaque travailleur lancé ensuite
#: (le processus courant n'en est pas changé). Un réglage déjà présent dans l'environnement est respecté.
os.environ.setdefault("MALLOC_ARENA_MAX", "2")


class DelaiDepasse(RequeteRefusee):
    """La requête a atteint le délai ; son processus a été tué."""


#: Un morceau du corps lu et rendu à la fois (réponse en flux).
MORCEAU = 64 * 1024


@dataclass
class Resultat:
    """Le corps d'une requête exécutée (un fichier ouvert, déjà effacé du disque), ses métadonnées et sa durée.

    Pourquoi un fichier : le travailleur écrit le corps en flux et s'arrête au plafond d'octets ; le service le
    relit par morceaux. Ni l'un ni l'autre ne tient le corps entier en mémoire, quelle que soit sa taille. Le
    fichier est effacé dès son ouverture : sa place est rendue quand il est fermé, même si le client part.
    """

    fichier: BinaryIO
    octets: int
    lignes: int
    motif: str | None
    #: Attente d'un travailleur comprise.
    duree_s: float

    @property
    def tronque(self) -> bool:
        return self.motif is not None

    def lire(self) -> bytes:
        """Le corps entier (petits corps : description du service, réponses courtes)."""
        with self.fichier:
            return self.fichier.read()

    def morceaux(self) -> Iterator[bytes]:
        """Le corps morceau par morceau, puis le fichier fermé."""
        with self.fichier:
            while morceau := self.fichier.read(MORCEAU):
                yield morceau


class _Guichet:
    """Les travailleurs libres et les requêtes qui les attendent.

    Pourquoi pas une simple file : avec une file, le client qui envoie le plus de requêtes prend le plus de
    travailleurs. Ici, un travailleur libre va à la requête du client qui en occupe le moins (à égalité : la plus
    ancienne), et un client n'occupe jamais plus de ``plafond`` travailleurs à la fois (tous sauf un, s'il y en a
    plusieurs) : un client qui inonde le point d'accès de requêtes lentes laisse toujours un travailleur aux autres.
    """

    def __init__(self, plafond: int) -> None:
        self.plafond = plafond
        self._condition = threading.Condition()
        self._libres: list[_Travailleur] = []
        self._attente: list[tuple[int, str]] = []  # (numéro d'arrivée, client)
        self._tenus: Counter[str] = Counter()
        self._numeros = itertools.count()

    def deposer(self, t: _Travailleur) -> None:
        with self._condition:
            self._libres.append(t)
            self._condition.notify_all()

    def prendre(self, client: str, delai_s: float) -> _Travailleur | None:
        """Un travailleur pour ``client`` dès que c'est son tour, ou None après ``delai_s``."""
        demande = (next(self._numeros), client)
        fin = time.monotonic() + delai_s
        with self._condition:
            self._attente.append(demande)
            try:
                while True:
                    if self._libres and self._elue() == demande:
                        self._tenus[client] += 1
                        return self._libres.pop(0)
                    reste = fin - time.monotonic()
                    if reste <= 0:
                        return None
                    self._condition.wait(reste)
            finally:
                self._attente.remove(demande)
                self._condition.notify_all()

    def rendre(self, client: str) -> None:
        """``client`` n'occupe plus le travailleur qu'il avait pris (rendu, tué ou remplacé)."""
        with self._condition:
            self._tenus[client] -= 1
            if self._tenus[client] <= 0:
                del self._tenus[client]
            self._condition.notify_all()

    def _elue(self) -> tuple[int, str] | None:
        permises = [d for d in self._attente if self._tenus[d[1]] < self.plafond]
        return min(permises, key=lambda d: (self._tenus[d[1]], d[0])) if permises else None


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
        externe: str | None = None,
        graphes: tuple[str, ...] = (),
    ) -> None:
        """:param externe: l'adresse d'un moteur SPARQL externe (``BOUSSOLE_SPARQL_EXTERNE``) qui porte l'instantané ;
        les travailleurs l'interrogent (ils ne peuvent alors pas être isolés du réseau : seule la garde écarte
        SERVICE, et le client ne parle qu'à cette adresse).
        :param graphes: les graphes nommés de l'instantané (le jeu de données d'une requête sans FROM, en externe).
        """
        self.config = ConfigTravailleur(
            str(chemin_store),
            memoire_mo,
            prefixes,
            isoler_reseau and externe is None,
            externe=externe,
            graphes=graphes,
            delai_s=delai_s,
        )
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
        self._guichet = _Guichet(plafond=max(1, travailleurs - 1))
        #: Où les travailleurs écrivent les corps (un fichier par requête, effacé dès qu'il est relu).
        self._dossier = Path(tempfile.mkdtemp(prefix="boussole-sparql-"))
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
        if self.config.externe is None and not all(t.reseau_isole for t in nouveaux):
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
        shutil.rmtree(self._dossier, ignore_errors=True)

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
        self._guichet.deposer(t)

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

    def executer(self, tache: Tache, client: str = "", facture: Facture | None = None) -> Resultat:
        """Exécute ``tache`` pour ``client`` ; lève RequeteRefusee (400…), DelaiDepasse (503) ou RequeteRefusee 503.

        :param client: l'adresse du client (le guichet partage les travailleurs entre clients).
        :param facture: reçoit le temps passé par le travailleur, même quand la requête échoue.
        """
        debut = time.monotonic()
        # attendre son tour : au plus deux délais (sa propre requête précédente, puis celle d'un autre)
        t = self._guichet.prendre(client, ATTENTES_MAX * self.delai_s)
        if t is None:
            raise RequeteRefusee(
                "tous les travailleurs SPARQL sont occupés : réessayez dans quelques secondes", 503
            ) from None
        chemin = self._dossier / uuid.uuid4().hex
        try:
            return self._confier(t, dataclasses.replace(tache, sortie=str(chemin)), debut, facture)
        finally:
            self._guichet.rendre(client)
            # ouvert, le fichier reste lisible ; sinon (refus, délai, panne) il n'en reste rien
            chemin.unlink(missing_ok=True)

    def _confier(self, t: _Travailleur, tache: Tache, debut: float, facture: Facture | None) -> Resultat:
        if not t.processus.is_alive():
            self._remplacer(t)
            raise RequeteRefusee("travailleur SPARQL indisponible : réessayez dans quelques secondes", 503)
        remise = time.monotonic()
        try:
            t.conn.send(tache)
            pret = t.conn.poll(self.delai_s)  # le délai court à partir de la remise au travailleur
            message = t.conn.recv() if pret else None
            mort = False
        except (EOFError, OSError, BrokenPipeError):
            message, mort = None, True
        fin = time.monotonic()
        if facture is not None:
            facture.travail_s = fin - remise
        if message is None and not mort:
            self.interruptions += 1
            self._remplacer(t)
            raise DelaiDepasse(message_delai(self.delai_s), 503)
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
        self._guichet.deposer(t)
        if isinstance(message, Reussite):
            fichier = open(tache.sortie, "rb")  # noqa: SIM115 - fermé par Resultat.lire / morceaux
            return Resultat(fichier, message.octets, message.lignes, message.motif, fin - debut)
        if isinstance(message, Refus):
            raise RequeteRefusee(message.message, message.statut)
        journal.error("erreur du travailleur SPARQL : %s", message.message if isinstance(message, Panne) else message)
        raise RequeteRefusee("erreur interne pendant l'exécution de la requête", 500)
