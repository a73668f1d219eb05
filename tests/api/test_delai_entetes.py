"""`boussole servir` ferme une connexion dont les en-têtes n'arrivent pas à temps (BOUSSOLE_ENTETES_DELAI_S).

Vrai serveur (la commande elle-même, dans un sous-processus, sur un port libre de la boucle locale) et vraie
socket : les en-têtes envoyés octet par octet, lentement, ne tiennent pas la connexion ouverte. Sans
api/service/connexions.py, uvicorn les attendait sans fin (son délai keep-alive est annulé au premier octet).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.test_sparqlwrapper import port_libre

RACINE = Path(__file__).resolve().parents[2]
DELAI_S = 1.0


@pytest.fixture(scope="module")
def serveur(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`boussole servir` sans instantané (il démarre et répond 503) : seules ses bornes réseau comptent ici."""
    yield from _servir(tmp_path_factory, {"BOUSSOLE_ENTETES_DELAI_S": str(DELAI_S)})


def _servir(tmp_path_factory: pytest.TempPathFactory, reglages: dict[str, str]) -> Iterator[int]:
    port = port_libre()
    env = {**os.environ, "PYTHONPATH": str(RACINE), "BOUSSOLE_RECHARGEMENT_S": "0", **reglages}
    vide = tmp_path_factory.mktemp("sans-instantane")
    processus = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "servir", "--instantane", str(vide), "--port", str(port)],
        cwd=RACINE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        limite = time.monotonic() + 60
        while True:
            assert processus.poll() is None, processus.stderr.read().decode()[-2000:] if processus.stderr else ""
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < limite, "boussole servir n'écoute pas"
                time.sleep(0.1)
        yield port
    finally:
        processus.terminate()
        try:
            processus.wait(10)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait(5)


def _ferme(connexion: socket.socket) -> bool:
    """Vrai si le serveur a fermé la connexion (fin de flux ou remise à zéro), sans rien attendre."""
    connexion.setblocking(False)
    try:
        return connexion.recv(4096) == b""
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True
    finally:
        connexion.setblocking(True)


def _reponse(connexion: socket.socket) -> bytes:
    connexion.settimeout(30)
    recu = b""
    while b"\r\n\r\n" not in recu:
        morceau = connexion.recv(4096)
        assert morceau, f"connexion fermée avant la réponse : {recu!r}"
        recu += morceau
    return recu


def test_en_tetes_au_compte_gouttes_connexion_fermee(serveur: int) -> None:
    entetes = b"GET /sante HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: " + b"a" * 200 + b"\r\n\r\n"
    with socket.create_connection(("127.0.0.1", serveur)) as connexion:
        envoyes = 0
        for octet in entetes:
            if _ferme(connexion):
                break
            try:
                connexion.send(bytes([octet]))
            except (BrokenPipeError, ConnectionResetError):
                break
            envoyes += 1
            time.sleep(DELAI_S / 10)  # en tout, 25 fois le délai pour tout envoyer
        assert envoyes < len(entetes), "le serveur a attendu les en-têtes jusqu'au bout"
        assert envoyes > 0


def test_connexion_muette_fermee(serveur: int) -> None:
    with socket.create_connection(("127.0.0.1", serveur)) as connexion:
        connexion.settimeout(30)
        with contextlib.suppress(ConnectionResetError):
            assert connexion.recv(1) == b""  # rien envoyé : le serveur ferme de lui-même


def test_requetes_completes_servies_et_keep_alive(serveur: int) -> None:
    """Le délai ne coupe pas une requête complète, ni la suivante sur la même connexion."""
    with socket.create_connection(("127.0.0.1", serveur)) as connexion:
        for _ in range(2):
            connexion.sendall(b"GET /sante HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            reponse = _reponse(connexion)
            assert reponse.startswith(b"HTTP/1.1 503")  # aucun instantané servi : indisponible, mais servi
            longueur = int(next(
                ligne.split(b":")[1] for ligne in reponse.split(b"\r\n") if ligne.lower().startswith(b"content-length")
            ))
            reste = longueur - len(reponse.split(b"\r\n\r\n", 1)[1])
            while reste > 0:
                reste -= len(connexion.recv(reste))


def test_trop_de_connexions_503_en_francais_avec_retry_after(tmp_path_factory: pytest.TempPathFactory) -> None:
    """BOUSSOLE_CONNEXIONS_MAX=2 : une connexion muette tenue, la requête d'une seconde est refusée en français."""
    import json

    for port in _servir(tmp_path_factory, {"BOUSSOLE_CONNEXIONS_MAX": "2", "BOUSSOLE_ENTETES_DELAI_S": "30"}):
        with socket.create_connection(("127.0.0.1", port)), socket.create_connection(("127.0.0.1", port)) as c:
            c.sendall(b"GET /sante HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            c.settimeout(30)
            recu = b""
            while morceau := c.recv(4096):
                recu += morceau
        tete, corps = recu.split(b"\r\n\r\n", 1)
        assert tete.startswith(b"HTTP/1.1 503")
        assert b"retry-after: 5" in tete.lower()
        assert json.loads(corps)["detail"].startswith("service saturé : trop de connexions")
        # la connexion muette fermée, une requête seule est servie (503 « aucun instantané », du service lui-même)
        with socket.create_connection(("127.0.0.1", port)) as seule:
            seule.sendall(b"GET /sante HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            seule.settimeout(30)
            recu = b""
            while morceau := seule.recv(4096):
                recu += morceau
        assert b'"statut":"indisponible"' in recu.replace(b" ", b"")
