"""Construire l'instantané national : lire chaque source, valider, charger dans Oxigraph, publier.

Le déroulé est volontairement linéaire et court : l'ordre des lecteurs (géographie, nomenclatures, SAE ID,
points, puis le reste) vient de ce que chacun apprend aux suivants par le ``Contexte``. Tout échec (fichier
manquant, bilan déséquilibré, forme SHACL violée) lève ``ConstructionEchouee`` et laisse l'instantané courant
intact.
"""

from __future__ import annotations

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
from graphe.sources import eurostat, finess_activites, geo, nomenclatures
from graphe.sources.base import Contexte, Lecture, SourceIllisible
from graphe.sources.curation import listes
from graphe.sources.sae import cancero, identite, tables
from graphe.validation import ResultatValidation, valider
from ontologie import charger_formes, charger_ontologie
from ontologie.espaces import GRAPHE_META, GRAPHE_ONTOLOGIE

#: Ce que rend un lecteur : une lecture, ou plusieurs (les listes curées, une par fichier).
Lecteur = Callable[[Path, Contexte], Lecture | list[Lecture]]


@dataclass(frozen=True)
class Etape:
    """Un lecteur de la construction : son libellé affiché, la fonction, et si son échec arrête tout."""

    libelle: str
    lire: Lecteur
    obligatoire: bool = True


#: L'ordre compte : voir la docstring du module.
ETAPES: tuple[Etape, ...] = (
    Etape("régions", geo.lire_regions),
    Etape("départements", geo.lire_departements),
    Etape("communes", geo.lire_communes),
    Etape("nomenclatures", nomenclatures.lire),
    Etape("SAE identité", identite.lire),
    Etape("points Eurostat", eurostat.lire),
    Etape("SAE filtres", tables.FILTRE.lire),
    Etape("SAE cancérologie 2023", cancero.CANCERO_2023.lire),
    Etape("SAE cancérologie 2022", cancero.CANCERO_2022.lire),
    Etape("SAE soins palliatifs", tables.PALIA.lire),
    Etape("SAE douleur 2022", tables.DOULEUR.lire),
    Etape("SAE gériatrie", tables.MCOGER.lire),
    Etape("SAE pédiatrie", tables.MCOPED.lire),
    Etape("SAE imagerie", tables.IMAGES.lire),
    # Obligatoire : l'absence d'extrait est tolérée par le lecteur lui-même (avertissement, zéro autorisation) ;
    # un extrait présent mais illisible doit arrêter la construction, sinon toutes les autorisations — la
    # seule preuve de niveau « autorisation » — disparaîtraient en silence de l'instantané publié.
    Etape("FINESS autorisations", finess_activites.lire),
    Etape("listes curées", listes.lire_tout),
)


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


def lire_sources(donnees: Path, contexte: Contexte, progression: bool = True) -> list[Lecture]:
    """Passe chaque lecteur dans l'ordre ; vérifie que rien n'est perdu (lues = gardées + rejetées)."""
    lectures: list[Lecture] = []
    barre = tqdm(ETAPES, desc="Lecture des sources", unit="source", disable=not progression)
    for etape in barre:
        barre.set_postfix_str(etape.libelle)
        try:
            rendu = etape.lire(donnees, contexte)
        except SourceIllisible as e:
            if etape.obligatoire:
                raise ConstructionEchouee(f"source « {etape.libelle} » illisible : {e}") from e
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
