"""Construire l'instantané national : lire chaque source, valider, charger dans Oxigraph, publier.

Le déroulé est volontairement linéaire et court : l'ordre des lecteurs (géographie, nomenclatures, SAE ID,
points, puis le reste) vient de ce que chacun apprend aux suivants par le ``Contexte``. Tout échec (fichier
manquant, bilan déséquilibré, forme SHACL violée) lève ``ConstructionEchouee`` et laisse l'instantané courant
intact.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from tqdm import tqdm

from graphe import instantane as inst
from graphe.provenance import graphe_meta
from graphe.rapport import ecrire_rapport
from graphe.sources.base import Contexte, Lecture, SourceIllisible
from graphe.validation import ResultatValidation, valider
from ontologie import charger_formes, charger_ontologie
from ontologie.espaces import GRAPHE_META, GRAPHE_ONTOLOGIE

#: (libellé affiché, "module:fonction", obligatoire). L'ordre compte : voir la docstring du module.
ETAPES: list[tuple[str, str, bool]] = [
    ("régions", "graphe.sources.geo:lire_regions", True),
    ("départements", "graphe.sources.geo:lire_departements", True),
    ("communes", "graphe.sources.geo:lire_communes", True),
    ("nomenclatures", "graphe.sources.nomenclatures:lire", True),
    ("SAE identité", "graphe.sources.sae_id:lire", True),
    ("points Eurostat", "graphe.sources.eurostat:lire", True),
    ("SAE filtres", "graphe.sources.sae_filtre:lire", True),
    ("SAE cancérologie 2023", "graphe.sources.sae_cancero:lire_2023", True),
    ("SAE cancérologie 2022", "graphe.sources.sae_cancero:lire_2022", True),
    ("SAE soins palliatifs", "graphe.sources.sae_palia:lire", True),
    ("SAE douleur 2022", "graphe.sources.sae_douleur:lire", True),
    ("SAE gériatrie", "graphe.sources.sae_mcoger:lire", True),
    ("SAE pédiatrie", "graphe.sources.sae_mcoped:lire", True),
    ("SAE imagerie", "graphe.sources.sae_images:lire", True),
    # Obligatoire : l'absence d'extrait est tolérée par le lecteur lui-même (avertissement, zéro autorisation) ;
    # un extrait présent mais illisible doit arrêter la construction, sinon toutes les autorisations — la
    # seule preuve de niveau « autorisation » — disparaîtraient en silence de l'instantané publié.
    ("FINESS autorisations", "graphe.sources.finess_activites:lire", True),
    ("listes curées", "graphe.sources.curation:lire_tout", True),
]


class ConstructionEchouee(Exception):
    """La construction n'a pas abouti ; le message dit pourquoi et où. L'instantané courant est intact."""


@dataclass
class ResultatConstruction:
    identifiant: str
    dossier: Path
    duree_s: float
    lectures: list[Lecture]
    validation: ResultatValidation
    rapport: dict = field(default_factory=dict)


def _fonction(chemin: str) -> Callable[..., Lecture | list[Lecture]]:
    module, nom = chemin.split(":")
    return getattr(importlib.import_module(module), nom)


def lire_sources(donnees: Path, contexte: Contexte, progression: bool = True) -> list[Lecture]:
    """Passe chaque lecteur dans l'ordre ; vérifie que rien n'est perdu (lues = gardées + rejetées)."""
    lectures: list[Lecture] = []
    barre = tqdm(ETAPES, desc="Lecture des sources", unit="source", disable=not progression)
    for libelle, chemin, obligatoire in barre:
        barre.set_postfix_str(libelle)
        try:
            rendu = _fonction(chemin)(donnees, contexte)
        except SourceIllisible as e:
            if obligatoire:
                raise ConstructionEchouee(f"source « {libelle} » illisible : {e}") from e
            continue
        for lecture in rendu if isinstance(rendu, list) else [rendu]:
            if not lecture.rapport.equilibre():
                r = lecture.rapport
                raise ConstructionEchouee(
                    f"{r.fichier} : bilan faux ({r.lues} lues ≠ {r.gardees} gardées + {r.rejetees} rejetées)"
                )
            lectures.append(lecture)
    return lectures


def charger_store(store: ox.Store, graphes: list[tuple[str, Graph]]) -> int:
    """Charge chaque graphe rdflib dans son graphe nommé Oxigraph ; rend le nombre de quads."""
    total = 0
    for iri, graphe in graphes:
        donnees = graphe.serialize(format="nt", encoding="utf-8")
        store.bulk_load(donnees, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(iri)))
        total += len(graphe)
    store.flush()
    return total


def construire(
    donnees: Path,
    racine_instantanes: Path,
    *,
    progression: bool = True,
    valider_shacl: bool = True,
) -> ResultatConstruction:
    """Construit, valide et publie un nouvel instantané ; lève ConstructionEchouee sinon."""
    debut_horloge, debut = time.perf_counter(), datetime.now()
    if not donnees.is_dir():
        raise ConstructionEchouee(f"dossier de données introuvable : {donnees}")
    identifiant = inst.nouvel_identifiant(debut)
    contexte = Contexte(date_construction=date.today())
    lectures = lire_sources(donnees, contexte, progression)
    ontologie = charger_ontologie()

    union = Graph()
    for lecture in lectures:
        union += lecture.graphe
    resultat_validation = ResultatValidation(True, 0)
    if valider_shacl:
        if progression:
            print(f"Validation SHACL de {len(union):,} triplets…".replace(",", " "))
        resultat_validation = valider(union, charger_formes(), ontologie)
        if not resultat_validation.conforme:
            premiers = "\n".join(
                f"  - {v['noeud']} {v['chemin']} : {v['message']}" for v in resultat_validation.violations[:5]
            )
            raise ConstructionEchouee(
                f"le graphe ne respecte pas les formes SHACL ({resultat_validation.nombre_violations} "
                f"violations) ; l'instantané courant est conservé.\n{premiers}"
            )

    travail = inst.dossier_travail(racine_instantanes, identifiant)
    try:
        meta = graphe_meta(lectures, identifiant, debut, datetime.now())
        store = ox.Store(str(travail / "store"))
        graphes = [(str(lec.iri), lec.graphe) for lec in lectures]
        graphes += [(str(GRAPHE_ONTOLOGIE), ontologie), (str(GRAPHE_META), meta)]
        if progression:
            print("Chargement dans Oxigraph…")
        charger_store(store, graphes)
        duree = time.perf_counter() - debut_horloge
        rapport = ecrire_rapport(travail, store, identifiant, duree, lectures, resultat_validation)
        del store  # ferme la base avant de déplacer le dossier
        final = inst.publier(
            racine_instantanes,
            travail,
            identifiant,
            {"date_construction": debut.isoformat(timespec="seconds"), "donnees": str(donnees)},
        )
    except BaseException:
        inst.abandonner(travail)
        raise
    return ResultatConstruction(identifiant, final, duree, lectures, resultat_validation, rapport)
