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
from rdflib.namespace import RDFS
from tqdm import tqdm

from graphe import distances, garde, manifeste
from graphe import instantane as inst
from graphe.provenance import graphe_meta
from graphe.rapport import ecrire_rapport
from graphe.sources import eurostat, finess_activites, geo, nomenclatures
from graphe.sources.base import Contexte, Lecture, SourceIllisible
from graphe.sources.curation import listes
from graphe.sources.sae import cancero, identite, tables
from graphe.validation import ResultatValidation, valider
from ontologie import charger_formes, charger_ontologie
from ontologie.espaces import GRAPHE_META, GRAPHE_ONTOLOGIE, ID

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
    completer: Callable[[Path], None] | None = None,
    accepter_baisse: bool = False,
    seuil_baisse: float = garde.SEUIL_BAISSE,
) -> ResultatConstruction:
    """Construit, valide, complète et publie un nouvel instantané ; lève ConstructionEchouee sinon.

    :param completer: appelé sur le dossier de travail avant la bascule (la ligne de commande y prépare l'index
        de recherche) : un instantané ne devient courant que complet ; si ``completer`` échoue, rien n'est publié.
        Un crochet plutôt qu'un import, parce que ``graphe/`` ne dépend pas de ``recherche/``.
    :param accepter_baisse: l'opérateur accepte les baisses de comptes trouvées par la garde ; c'est écrit dans
        la provenance de l'instantané (graphe meta) et dans ``instantane.json``.
    :param seuil_baisse: baisse relative d'un compte au-delà de laquelle la garde refuse.
    """
    try:
        with inst.verrou_construction(racine_instantanes):
            restes = inst.nettoyer_restes(racine_instantanes)
            if restes and progression:
                print("Restes d'une construction interrompue effacés : " + ", ".join(restes))
            return _construire(
                donnees, racine_instantanes, progression, valider_shacl, completer, accepter_baisse, seuil_baisse
            )
    except inst.ConstructionEnCours as e:
        raise ConstructionEchouee(str(e)) from None


def _construire(
    donnees: Path,
    racine_instantanes: Path,
    progression: bool,
    valider_shacl: bool,
    completer: Callable[[Path], None] | None,
    accepter_baisse: bool,
    seuil_baisse: float,
) -> ResultatConstruction:
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
        resultat_validation = valider(union, charger_formes(), ontologie, en_place=True)
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
        # après le chargement : le calcul lit les preuves et les points dans la base (graphe/distances.py)
        distances.precalculer(store, identifiant, datetime.now(), progression)
        duree = time.perf_counter() - debut_horloge
        rapport = ecrire_rapport(travail, store, identifiant, duree, lectures, resultat_validation)
        verdict = garde.examiner(rapport, garde.rapport_courant(racine_instantanes), seuil_baisse)
        ecarts_manifeste, notes_manifeste = manifeste.ecarts(donnees, rapport)
        verdict.bloquants += ecarts_manifeste
        if progression:
            for note in notes_manifeste:
                print(f"Manifeste : {note}")
        if verdict.refuse(accepter_baisse):
            del store  # fermée avant l'effacement du dossier de travail (RocksDB y écrit encore sinon)
            refus = garde.garder_refus(racine_instantanes, identifiant, travail / "rapport.json", verdict)
            raise ConstructionEchouee(
                f"publication refusée par la garde ; l'instantané courant est conservé (écart dans {refus}) :\n"
                f"{verdict.texte()}\n"
                + ("(une baisse voulue se publie avec --accepter-baisse)" if not verdict.bloquants else "")
            )
        info: dict = {"date_construction": debut.isoformat(timespec="seconds"), "donnees": str(donnees)}
        if verdict.baisses:
            info["baisses_acceptees"] = verdict.baisses
            activite = ox.NamedNode(str(ID[f"construction/{identifiant}"]))
            for baisse in verdict.baisses:
                store.add(
                    ox.Quad(
                        activite,
                        ox.NamedNode(str(RDFS.comment)),
                        ox.Literal(f"Baisse acceptée par l'opérateur (--accepter-baisse) : {baisse}", language="fr"),
                        ox.NamedNode(str(GRAPHE_META)),
                    )
                )
            store.flush()
        del store  # ferme la base avant de déplacer le dossier
        if completer is not None:
            inst.ecrire_info(travail, identifiant, info)  # l'index se rattache à l'identifiant de l'instantané
            completer(travail)
        final = inst.publier(racine_instantanes, travail, identifiant, info)
    except BaseException:
        inst.abandonner(travail)
        raise
    return ResultatConstruction(identifiant, final, duree, lectures, resultat_validation, rapport)
