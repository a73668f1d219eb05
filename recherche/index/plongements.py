"""Le cache des plongements : un texte déjà encodé par un modèle ne l'est jamais deux fois.

Pourquoi : l'encodage des documents est la plus longue étape de la construction (le modèle dense tourne sur le
processeur). Les textes denses sont des profils d'offre, que beaucoup d'entités partagent et qu'une nouvelle
édition des sources change peu : on encode chaque texte distinct une seule fois, et on garde ses vecteurs d'une
construction à l'autre, rangés par empreinte du texte. Une reconstruction n'encode que ce qui a changé.

Le cache vit à côté des instantanés (``<racine>/.cache-plongements/<modèle>.npz``) : le nom commence par un point,
donc le ménage des anciens instantanés ne le touche pas. Un cache illisible est ignoré (et réécrit), jamais fatal :
il ne fait que gagner du temps.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

journal = logging.getLogger("boussole.recherche")

DOSSIER = ".cache-plongements"


def empreinte(texte: str) -> str:
    """L'empreinte d'un texte (SHA-256, 32 premiers caractères hexadécimaux : collision impensable ici)."""
    return hashlib.sha256(texte.encode("utf-8")).hexdigest()[:32]


class CachePlongements:
    """Les vecteurs déjà calculés par un modèle, par empreinte de texte, dans un fichier ``.npz``."""

    def __init__(self, fichier: Path) -> None:
        self.fichier = fichier
        self.vecteurs: dict[str, np.ndarray] = {}
        try:
            with np.load(fichier, allow_pickle=False) as f:
                self.vecteurs = dict(zip(f["cles"].tolist(), f["vecteurs"], strict=True))
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError) as e:
            journal.warning("cache de plongements illisible, ignoré (%s) : %s", fichier, e)

    @classmethod
    def pour(cls, racine: Path, modele: str) -> CachePlongements:
        """Le cache du modèle ``modele`` sous la racine des instantanés ``racine``."""
        nom = "".join(c if c.isalnum() or c in "-_." else "_" for c in modele)
        return cls(racine / DOSSIER / f"{nom}.npz")

    def encoder(
        self, textes: list[str], encoder: Callable[[list[str]], np.ndarray]
    ) -> tuple[np.ndarray, int]:
        """Les vecteurs de ``textes`` (une ligne par texte, dans l'ordre) et le nombre de textes encodés.

        Seuls les textes distincts absents du cache passent par ``encoder`` ; le cache est ensuite réécrit.
        """
        cles = [empreinte(t) for t in textes]
        manquants: dict[str, str] = {}
        for cle, texte in zip(cles, textes, strict=True):
            if cle not in self.vecteurs:
                manquants.setdefault(cle, texte)
        if manquants:
            nouveaux = encoder(list(manquants.values()))
            self.vecteurs.update(zip(manquants, np.asarray(nouveaux, dtype=np.float32), strict=True))
            self._ecrire()
        if not cles:
            return np.zeros((0, 0), dtype=np.float32), 0
        return np.stack([self.vecteurs[c] for c in cles]).astype(np.float32), len(manquants)

    def _ecrire(self) -> None:
        """Écriture atomique (fichier temporaire puis renommage) : un arrêt brutal ne laisse pas un cache tronqué."""
        self.fichier.parent.mkdir(parents=True, exist_ok=True)
        temporaire = self.fichier.with_name(f".{self.fichier.name}.{os.getpid()}.npz")
        cles = list(self.vecteurs)
        np.savez(temporaire, cles=np.array(cles), vecteurs=np.stack([self.vecteurs[c] for c in cles]))
        os.replace(temporaire, self.fichier)
