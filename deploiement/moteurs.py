"""Démarrer un moteur SPARQL externe sur la boucle locale, dans un dossier jetable : Oxigraph server ou Virtuoso.

Pourquoi ici : ``BOUSSOLE_SPARQL_EXTERNE`` se teste et se mesure contre de vrais serveurs. Les tests
(tests/api/test_sparql_externe.py) et la mesure (benchmarks/sparql_externe.py) s'en servent tels quels ; un
exploitant y lit une configuration qui marche. Aucun service système : chaque moteur est un processus enfant, sur
des ports libres de 127.0.0.1, arrêté à la sortie du bloc ``with``.

* **Oxigraph server** (paquet PyPI ``oxigraph``, même version que pyoxigraph) : ``oxigraph serve`` (écriture, pour
  ``boussole publier`` vers ``/store``) ou ``oxigraph serve-read-only`` sur une copie du store ; requêtes sur
  ``/query``.
* **Virtuoso Open Source** (paquet Debian ``virtuoso-opensource``) : ``virtuoso-t +foreground`` avec un
  ``virtuoso.ini`` écrit ici ; requêtes sur ``/sparql``, Graph Store sur ``/sparql-graph-crud-auth`` (digest,
  ``dba`` / ``dba`` dans une base neuve). ``ResultSetMaxRows`` est levé (10 000 par défaut : Virtuoso couperait en
  silence), l'estimation de coût préalable est coupée (elle refuse d'avance une requête longue, au lieu du délai).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from deploiement.lancer import port_libre

VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
DEMARRAGE_S = 60.0


class MoteurAbsent(RuntimeError):
    """Le programme du moteur n'est pas installé."""


def oxigraph_programme() -> str | None:
    """Le programme ``oxigraph`` (celui du venv d'abord, où pip l'installe)."""
    voisin = Path(sys.executable).with_name("oxigraph")
    return str(voisin) if voisin.exists() else shutil.which("oxigraph")


def virtuoso_programme() -> str | None:
    return VIRTUOSO if Path(VIRTUOSO).exists() else None


@dataclass
class Moteur:
    """Un moteur démarré : où l'interroger, où le charger, et comment s'authentifier pour le charger."""

    nom: str
    requete: str  # BOUSSOLE_SPARQL_EXTERNE
    graph_store: str  # boussole publier --vers
    utilisateur: str | None
    mot_de_passe: str | None
    processus: subprocess.Popen[bytes]
    journal: Path

    def arreter(self) -> None:
        if self.processus.poll() is None:
            self.processus.send_signal(signal.SIGTERM)
            try:
                self.processus.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.processus.kill()
                self.processus.wait(timeout=5)

    def __enter__(self) -> Moteur:
        return self

    def __exit__(
        self, type_: type[BaseException] | None, erreur: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.arreter()


def _attendre(url: str, processus: subprocess.Popen[bytes], journal: Path) -> None:
    fin = time.monotonic() + DEMARRAGE_S
    while time.monotonic() < fin:
        if processus.poll() is not None:
            fin_journal = journal.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"moteur arrêté ({processus.returncode}) :\n{fin_journal}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # il répond
        except OSError:
            time.sleep(0.2)
    processus.kill()
    raise RuntimeError(f"moteur muet après {DEMARRAGE_S:g} s :\n{journal.read_text(errors='replace')[-2000:]}")


def oxigraph(dossier: Path, lecture_seule: bool = False, delai_s: float | None = None) -> Moteur:
    """Oxigraph server sur ``dossier`` (créé s'il manque) ; ``lecture_seule`` : ``serve-read-only``."""
    programme = oxigraph_programme()
    if programme is None:
        raise MoteurAbsent("oxigraph absent : pip install oxigraph (même version que pyoxigraph)")
    port = port_libre()
    journal = dossier.parent / f"{dossier.name}.oxigraph.log"
    commande = [programme, "serve-read-only" if lecture_seule else "serve", "--location", str(dossier)]
    commande += ["--bind", f"127.0.0.1:{port}"]
    if delai_s is not None:
        commande += ["--timeout-s", str(max(1, round(delai_s)))]
    with journal.open("wb") as sortie:
        processus = subprocess.Popen(commande, stdout=sortie, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    _attendre(base + "/query?query=ASK%7B%7D", processus, journal)
    return Moteur("oxigraph", base + "/query", base + "/store", None, None, processus, journal)


INI_VIRTUOSO = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{port_sql}
DisableUnixSocket = 1
DirsAllowed = {d}
NumberOfBuffers = {tampons}
MaxDirtyBuffers = {sales}
ThreadsPerQuery = 2
MaxQueryMem = 1G
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{port_http}
ServerRoot = {d}/www
ServerThreads = 8
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = 100000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 600
"""


def virtuoso(dossier: Path, tampons: int = 20_000) -> Moteur:
    """Virtuoso Open Source sur une base neuve dans ``dossier`` ; ``tampons`` pages de 8 Ko en mémoire."""
    programme = virtuoso_programme()
    if programme is None:
        raise MoteurAbsent("virtuoso-t absent : apt-get install virtuoso-opensource")
    dossier.mkdir(parents=True, exist_ok=True)
    (dossier / "www").mkdir(exist_ok=True)
    port_http = port_libre()
    port_sql = port_libre()
    ini = dossier / "virtuoso.ini"
    ini.write_text(
        INI_VIRTUOSO.format(
            d=dossier, port_sql=port_sql, port_http=port_http, tampons=tampons, sales=tampons * 3 // 4
        ),
        encoding="utf-8",
    )
    journal = dossier / "sortie.log"
    with journal.open("wb") as sortie:
        processus = subprocess.Popen(
            [programme, "+configfile", str(ini), "+foreground"], cwd=dossier, stdout=sortie, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port_http}"
    _attendre(base + "/sparql?query=ASK%7B%7D", processus, journal)
    return Moteur("virtuoso", base + "/sparql", base + "/sparql-graph-crud-auth", "dba", "dba", processus, journal)
