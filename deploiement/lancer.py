"""Lance N répliques de Boussole et nginx devant elles, sur la boucle locale, sans privilège, dans un préfixe jetable.

Usage : ``python deploiement/lancer.py --instantane DOSSIER [--repliques 2] [--port 8080] [--prefixe DOSSIER]``
(Ctrl-C arrête tout). Chaque réplique est un ``boussole servir`` qui suit le lien ``courant`` du même dossier
d'instantanés : publier un nouvel instantané (``boussole construire``) le fait servir par toutes, à chaud.

Pourquoi un script plutôt qu'un fichier de service : il montre la configuration entière en une commande, et les
tests (tests/deploiement/test_replicas.py) s'en servent tel quel, par :class:`Deploiement`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from string import Template
from types import TracebackType

ICI = Path(__file__).resolve().parent
RACINE = ICI.parent
MODELE = ICI / "nginx.conf.modele"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class DeploiementEchoue(RuntimeError):
    """Une réplique ou nginx n'a pas démarré (le journal dit pourquoi)."""


def port_libre() -> int:
    """Un port TCP libre de la boucle locale (choisi par le noyau)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def configuration(prefixe: Path, ecoute: str, repliques: list[str]) -> str:
    """Le fichier nginx.conf du modèle, pour ce préfixe, cette adresse d'écoute et ces répliques (hôte:port)."""
    lignes = "\n".join(f"        server {r} max_fails=1 fail_timeout=2s;" for r in repliques)
    return Template(MODELE.read_text(encoding="utf-8")).safe_substitute(
        PREFIXE=str(prefixe), ECOUTE=ecoute, REPLIQUES=lignes
    )


def _attendre(url: str, processus: subprocess.Popen[bytes], journal: Path, delai_s: float) -> None:
    """Attend qu'``url`` réponde (tout statut HTTP) ; échoue si le processus meurt ou si le délai passe."""
    fin = time.monotonic() + delai_s
    while time.monotonic() < fin:
        if processus.poll() is not None:
            raise DeploiementEchoue(f"{processus.args!r} arrêté ({processus.returncode}) :\n{_fin(journal)}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # il répond (503 tant qu'aucun instantané n'est servi, par exemple)
        except OSError:
            time.sleep(0.2)
    raise DeploiementEchoue(f"{url} ne répond pas après {delai_s:.0f} s :\n{_fin(journal)}")


def _fin(journal: Path, lignes: int = 30) -> str:
    try:
        return "\n".join(journal.read_text(encoding="utf-8", errors="replace").splitlines()[-lignes:])
    except OSError:
        return "(pas de journal)"


class Deploiement:
    """N répliques ``boussole servir`` + nginx devant, démarrées ensemble, arrêtées ensemble.

    :param instantane: le dossier des instantanés (celui qui contient le lien ``courant``), partagé par toutes.
    :param repliques: nombre de répliques.
    :param port: port de nginx sur 127.0.0.1 (0 : un port libre).
    :param prefixe: dossier de nginx (configuration, cache, journaux) ; défaut : un dossier temporaire effacé à
        l'arrêt.
    :param environnement: variables ``BOUSSOLE_…`` en plus pour les répliques (période de rechargement…).
    """

    def __init__(
        self,
        instantane: Path,
        repliques: int = 2,
        port: int = 0,
        prefixe: Path | None = None,
        environnement: dict[str, str] | None = None,
    ) -> None:
        self.instantane = Path(instantane).resolve()
        self.nombre = repliques
        self.port = port or port_libre()
        self._prefixe_temporaire = prefixe is None
        self.prefixe = Path(prefixe) if prefixe else Path(tempfile.mkdtemp(prefix="boussole-deploiement-"))
        self.environnement = environnement or {}
        self.ports_repliques: list[int] = []
        self._processus: list[subprocess.Popen[bytes]] = []

    @property
    def adresse(self) -> str:
        """L'adresse publique (nginx)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def repliques(self) -> list[str]:
        """L'adresse directe de chaque réplique (sans nginx)."""
        return [f"http://127.0.0.1:{p}" for p in self.ports_repliques]

    def demarrer(self, delai_s: float = 120.0) -> None:
        """Démarre les répliques (chacune prête) puis nginx ; tout est arrêté si l'un échoue."""
        for dossier in ("journaux", "cache", "tmp"):
            (self.prefixe / dossier).mkdir(parents=True, exist_ok=True)
        # lancé par root, nginx fait travailler ses processus sous « nobody » : ils doivent traverser le préfixe
        # (le cache et les fichiers temporaires, nginx les leur donne lui-même)
        self.prefixe.chmod(0o755)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(RACINE), os.environ.get("PYTHONPATH")])),
            # nginx est sur la boucle locale : son X-Forwarded-For est cru (quota par vrai client)
            "BOUSSOLE_MANDATAIRES": json.dumps(["127.0.0.1"]),
            **self.environnement,
        }
        try:
            for i in range(self.nombre):
                port = port_libre()
                journal = self.prefixe / "journaux" / f"replique-{i + 1}.log"
                commande = [sys.executable, "-m", "api.cli", "servir", "--port", str(port)]
                commande += ["--instantane", str(self.instantane)]
                self._lancer(commande, env, journal)
                self.ports_repliques.append(port)
            for port, processus, i in zip(self.ports_repliques, self._processus, range(self.nombre), strict=True):
                _attendre(f"http://127.0.0.1:{port}/sante", processus, self._journal_replique(i), delai_s)
            conf = self.prefixe / "nginx.conf"
            conf.write_text(
                configuration(self.prefixe, f"127.0.0.1:{self.port}", [f"127.0.0.1:{p}" for p in self.ports_repliques]),
                encoding="utf-8",
            )
            journal_nginx = self.prefixe / "journaux" / "erreurs.log"
            nginx = [NGINX, "-p", str(self.prefixe), "-c", str(conf), "-e", str(journal_nginx), "-g", "daemon off;"]
            self._lancer(nginx, env, self.prefixe / "journaux" / "nginx.log")
            _attendre(f"{self.adresse}/sante", self._processus[-1], journal_nginx, 20)
        except BaseException:
            self.arreter()
            raise

    def _journal_replique(self, i: int) -> Path:
        return self.prefixe / "journaux" / f"replique-{i + 1}.log"

    def _lancer(self, commande: list[str], env: dict[str, str], journal: Path) -> None:
        with open(journal, "ab") as sortie:
            self._processus.append(
                subprocess.Popen(commande, cwd=RACINE, env=env, stdout=sortie, stderr=subprocess.STDOUT)
            )

    def arreter(self) -> None:
        """Arrête nginx et les répliques (SIGTERM, puis SIGKILL après 10 s), efface le préfixe temporaire."""
        for p in reversed(self._processus):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in reversed(self._processus):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self._processus.clear()
        if self._prefixe_temporaire:
            shutil.rmtree(self.prefixe, ignore_errors=True)

    def __enter__(self) -> Deploiement:
        self.demarrer()
        return self

    def __exit__(
        self, type_: type[BaseException] | None, valeur: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.arreter()


def _interrompre(_signal: int, _cadre: object) -> None:
    raise KeyboardInterrupt  # SIGTERM comme Ctrl-C : tout s'arrête proprement


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="N répliques de Boussole derrière nginx, sur la boucle locale.")
    p.add_argument("--instantane", type=Path, required=True, help="dossier des instantanés (lien « courant »)")
    p.add_argument("--repliques", type=int, default=2)
    p.add_argument("--port", type=int, default=8080, help="port de nginx sur 127.0.0.1")
    p.add_argument("--prefixe", type=Path, default=None, help="dossier de nginx (défaut : temporaire)")
    args = p.parse_args(argv)
    if shutil.which("nginx") is None and not Path(NGINX).exists():
        print("nginx absent : apt-get install nginx", file=sys.stderr)
        return 2
    d = Deploiement(args.instantane, args.repliques, args.port, args.prefixe)
    try:
        d.demarrer()
    except DeploiementEchoue as erreur:
        print(erreur, file=sys.stderr)
        return 1
    print(f"nginx : {d.adresse}  répliques : {' '.join(d.repliques)}  préfixe : {d.prefixe}", flush=True)
    signal.signal(signal.SIGTERM, _interrompre)
    try:
        while all(p.poll() is None for p in d._processus):
            time.sleep(1)
        print("un processus s'est arrêté : arrêt de tout", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        d.arreter()


if __name__ == "__main__":
    sys.exit(main())
