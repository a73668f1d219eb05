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
    port = port_libre()
    env = {
        **os.environ,
        "PYTHONPATH": str(RACINE),
        "BOUSSOLE_ENTETES_DELAI_S": str(DELAI_S),
        "BOUSSOLE_RECHARGEMENT_S": "0",
    }
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
