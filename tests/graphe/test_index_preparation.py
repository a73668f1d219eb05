"""Préparation de l'index : chaque texte distinct encodé une fois, gardé d'une construction à l'autre ; les lieux
rangés avec l'index ; une question encodée sans torch, avec les mêmes vecteurs que sentence-transformers.

Avant : 3 993 documents encodés à chaque construction (5 à 8 min sur 2 cœurs), les lieux relus du store par
SPARQL à chaque démarrage (~6 s) et torch importé par chaque ``boussole demander`` (~9 s).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from donnees_petites import PetitInstantane

from graphe import instantane as inst
from recherche.index import charger_index, index_hybride, preparer_index
from recherche.index.embarques import nom_effectif
from recherche.index.plongements import DOSSIER, CachePlongements

RACINE = Path(__file__).resolve().parents[2]


class Compteur:
    """Un encodeur qui compte les textes qu'on lui donne (vecteur = longueur du texte, reconnaissable)."""

    def __init__(self) -> None:
        self.vus: list[str] = []

    def __call__(self, textes: list[str]) -> np.ndarray:
        self.vus += textes
        return np.array([[len(t), 1.0] for t in textes], dtype=np.float32)


def test_cache_encode_chaque_texte_distinct_une_seule_fois(tmp_path: Path) -> None:
    fichier = tmp_path / "modele.npz"
    compteur = Compteur()
    vecteurs, encodes = CachePlongements(fichier).encoder(["a", "bb", "a", "ccc", "bb"], compteur)
    assert compteur.vus == ["a", "bb", "ccc"] and encodes == 3
    assert vecteurs[:, 0].tolist() == [1, 2, 1, 3, 2]  # une ligne par texte, dans l'ordre
    # une autre construction relit le cache : seul le texte nouveau est encodé
    compteur = Compteur()
    vecteurs, encodes = CachePlongements(fichier).encoder(["ccc", "dddd", "a"], compteur)
    assert compteur.vus == ["dddd"] and encodes == 1
    assert vecteurs[:, 0].tolist() == [3, 4, 1]


def test_cache_illisible_ignore_puis_reecrit(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    fichier = tmp_path / "modele.npz"
    fichier.write_bytes(b"pas un npz")
    compteur = Compteur()
    _, encodes = CachePlongements(fichier).encoder(["a", "b"], compteur)
    assert encodes == 2 and "illisible" in caplog.text
    assert CachePlongements(fichier).encoder(["a", "b"], Compteur())[1] == 0


def test_reconstruction_sans_rien_reencoder(
    petit_instantane: PetitInstantane, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    racine = tmp_path / "instantanes"
    dossier = racine / "un"
    shutil.copytree(inst.chemin_courant(petit_instantane.racine), dossier)
    textes_encodes: list[int] = []
    encoder = index_hybride._encoder

    def compter(modele: str, textes: list[str], progression: bool) -> np.ndarray:
        textes_encodes.append(len(textes))
        return encoder(modele, textes, progression)

    monkeypatch.setattr(index_hybride, "_encoder", compter)
    preparer_index(dossier, progression=False, forcer=True)
    nom = nom_effectif("auto")
    index = charger_index(dossier, nom)
    distincts = len({index_hybride.profil(e) for e in index.entites})
    assert textes_encodes == [distincts] and distincts < len(index.entites)
    assert (racine / DOSSIER).is_dir()  # à côté des instantanés, hors du ménage des anciens
    # la même préparation, refaite (nouvel instantané des mêmes données) : rien n'est réencodé
    copie = racine / "deux"
    shutil.copytree(dossier, copie)
    shutil.rmtree(copie / "recherche")
    preparer_index(copie, progression=False)
    assert textes_encodes == [distincts]
    refait = charger_index(copie, nom)
    assert np.array_equal(
        refait.dense.reconstruct_n(0, refait.dense.ntotal), index.dense.reconstruct_n(0, index.dense.ntotal)
    )
    # les lieux et les DSRC sont rangés avec l'index : le moteur ne relit pas le store
    assert refait.lieux.communes and refait.lieux.departements


def test_question_encodee_sans_torch_comme_par_sentence_transformers() -> None:
    from recherche.index.embarques import charger_embarque
    from recherche.index.encodeur import charger_encodeur, encoder_documents, encoder_requete

    leger = charger_embarque("auto")
    st, nom = charger_encodeur("auto")
    assert nom == leger.nom
    question = "radiothérapie pour un enfant près de Clermont-Ferrand"
    assert np.allclose(leger.requete(question), encoder_requete(st, question), atol=1e-6)
    documents = ["Radiothérapie externe. Chimiothérapie", "Soins palliatifs"]
    assert np.allclose(leger.encoder(documents, False), encoder_documents(st, documents), atol=1e-6)


def test_demander_n_importe_ni_torch_ni_sentence_transformers(instantane_national: Path) -> None:
    """Un processus froid qui répond à une question ne charge pas torch (~9 s d'import sur 2 cœurs)."""
    programme = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from recherche.moteur import Moteur
        reponse = Moteur.charger(Path({str(instantane_national)!r})).demander("radiothérapie près de Vannes")
        assert reponse.resultats, "aucun résultat"
        lourds = sorted(m for m in ("torch", "sentence_transformers", "transformers") if m in sys.modules)
        print(",".join(lourds) or "aucun")
        """
    )
    sortie = subprocess.run(
        [sys.executable, "-c", programme], cwd=RACINE, capture_output=True, text=True, check=True, timeout=300
    )
    assert sortie.stdout.strip() == "aucun", sortie.stdout + sortie.stderr
