"""L'index de recherche d'un instantané : le catalogue tiré du graphe, un document par entité, BM25 et FAISS.

``preparer_index`` le construit (si l'instantané ou le modèle a changé), ``charger_index`` le charge ; les
modules : ``catalogue`` (la vue en mémoire des entités et de leurs preuves), ``documents`` (le texte indexé),
``index_hybride`` (BM25 + FAISS, leurs fichiers), ``encodeur`` (le modèle de phrases).
"""

from recherche.index.index_hybride import Index, IndexAbsent, charger_index, preparer_index

__all__ = ["Index", "IndexAbsent", "charger_index", "preparer_index"]
