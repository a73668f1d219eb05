"""Ce que partagent tous les lecteurs de la SAE (DREES) : parcours contrôlé des lignes et nœuds de faits.

Pourquoi un module commun : chaque fichier SAE (latin-1, ``;``, colonnes ``FI``, ``RS``, ``FI_EJ``, ``AN``)
pose les mêmes questions — le FINESS est-il valide, le site existe-t-il dans la SAE ID 2023, la ligne
est-elle en double — et chaque réponse doit finir dans le rapport (fichier, ligne, raison),
jamais disparaître.

Règle de fond : une activité déclarée à la SAE n'est **jamais** une autorisation. Les nœuds fabriqués ici sont
``bo:ActiviteDeclaree`` / ``bo:EquipementDeclare`` (aussi typés ``bo:Preuve``, ``bo:niveauPreuve
"activite_declaree"``) ou, pour une
valeur brute sans sens établi, ``bo:ValeurEnquete`` (jamais une preuve).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graphe.sources.base import Contexte, DescriptionSource, Editeur, Rapport, finess_valide, lire_csv
from ontologie import espaces
from ontologie.besoins import BESOINS
from ontologie.espaces import BO

DREES = Editeur(
    "DREES (Statistique annuelle des établissements de santé)",
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    "https://data.drees.solidarites-sante.gouv.fr/explore/dataset/708_bases-statistiques-sae/information/",
)
RAISON_SITE_ABSENT = "site absent de la SAE ID 2023"


@dataclass(frozen=True)
class LigneSae:
    """Une ligne SAE qui a passé les contrôles communs."""

    numero: int
    finess: str
    annee: str
    valeurs: dict[str, str]

    def __getitem__(self, colonne: str) -> str:
        return self.valeurs.get(colonne, "").strip()


@dataclass(frozen=True)
class Ignorer:
    """Une règle qui écarte des lignes **avant** le comptage (ex. ``STATUT = INIT`` de FILTRE).

    Ces lignes ne sont ni gardées ni rejetées : elles ne sont pas dans le périmètre de la source. Elles sont
    décomptées de ``lues`` et résumées par un seul avertissement (ligne 0) pour rester visibles.
    """

    regle: Callable[[dict[str, str]], bool]
    motif: str


def description_sae(
    nom: str, titre: str, fichier: str, annee: str, note: str | None = None
) -> DescriptionSource:
    """La description DCAT d'un fichier SAE (une enquête annuelle : la date des données est l'année)."""
    return DREES.decrire(nom, titre, fichier, annee, note)


def lignes_sae(
    chemin: Path,
    rapport: Rapport,
    contexte: Contexte | None,
    *,
    annee: str,
    colonne_finess: str = "FI",
    colonne_annee: str | None = "AN",
    cle: tuple[str, ...] = (),
    colonnes_requises: tuple[str, ...] = (),
    ignorer: Ignorer | None = None,
) -> Iterator[LigneSae]:
    """Parcourt un fichier SAE et ne rend que les lignes exploitables ; rejette les autres avec leur raison.

    Contrôles, dans l'ordre : lecture CSV (longueur, encodage), règle ``ignorer``, FINESS valide, année
    d'enquête attendue, site connu de ``contexte.etablissements`` (si ``contexte`` est donné), doublon
    (même FINESS et mêmes valeurs des colonnes ``cle`` : la première ligne est gardée).
    Le lecteur appelant décide ensuite si la ligne est gardée (``rapport.gardees += 1``) ou rejetée.
    """
    requises = tuple(
        dict.fromkeys((colonne_finess, *([colonne_annee] if colonne_annee else []), *cle, *colonnes_requises))
    )
    deja_vues: dict[tuple[str, ...], int] = {}
    ignorees = 0
    for numero, ligne in lire_csv(chemin, rapport, colonnes_requises=requises):
        if ignorer is not None and ignorer.regle(ligne):
            rapport.lues -= 1
            ignorees += 1
            continue
        finess = ligne[colonne_finess].strip()
        if not finess_valide(finess):
            rapport.rejeter(numero, f"FINESS invalide : {finess!r}")
            continue
        if colonne_annee:
            an = ligne[colonne_annee].strip()
            if an != annee:
                rapport.rejeter(numero, f"année d'enquête {an!r} au lieu de {annee} (FINESS {finess})")
                continue
        if contexte is not None and finess not in contexte.etablissements:
            rapport.rejeter(numero, f"{RAISON_SITE_ABSENT} (FINESS {finess})")
            continue
        valeur_cle = (finess, *(ligne[c].strip() for c in cle))
        if valeur_cle in deja_vues:
            rapport.rejeter(
                numero,
                f"ligne en double : même clé {' / '.join(valeur_cle)} que la ligne {deja_vues[valeur_cle]}",
            )
            continue
        deja_vues[valeur_cle] = numero
        yield LigneSae(numero, finess, annee, ligne)
    if ignorer is not None and ignorees:
        rapport.avertir(0, f"{ignorees} lignes ignorées ({ignorer.motif})")


def drapeau(valeur: str) -> bool | None:
    """Lit une case 0/1 de la SAE : True, False, ou None si vide (question non posée).

    Lève ValueError pour toute autre valeur : le lecteur rejette alors la ligne en nommant la colonne.
    """
    v = valeur.strip()
    if v == "":
        return None
    if v in ("0", "1"):
        return v == "1"
    raise ValueError(v)


def entier(valeur: str) -> int | None:
    """Lit un effectif SAE (entier ≥ 0, « 3.0 » toléré) ; None si vide ; ValueError sinon."""
    v = valeur.strip()
    if v == "":
        return None
    nombre = float(v.replace(",", "."))
    if nombre < 0 or nombre != int(nombre):
        raise ValueError(v)
    return int(nombre)


@dataclass
class Ecriture:
    """Où et pour qui écrire les faits d'une ligne SAE gardée : graphe, source, année, site de la ligne.

    Les trois sortes de nœuds de la SAE s'écrivent ici, et seulement ici (IRI ``{sorte}/{source}/{finess}/…``).
    """

    graphe: Graph
    source: str
    annee: str
    ligne: LigneSae
    contexte: Contexte
    rapport: Rapport
    #: Les FINESS d'entité juridique de la SAE ID, calculés une fois par lecture (voir ``EntitesJuridiques``).
    entites: EntitesJuridiques
    #: (source de l'édition plus récente, ses variables déclarées à 1 pour ce site) quand ce site y a répondu
    edition_recente: tuple[str, frozenset[str]] | None = None

    def _preuve(self, noeud: URIRef, classe: URIRef, besoin: str, libelle: str, infere: bool) -> None:
        if besoin not in BESOINS:  # garde-fou : un besoin inconnu casserait la recherche par besoin
            raise KeyError(f"besoin inconnu de ontologie/besoins.py : {besoin}")
        g = self.graphe
        g.add((noeud, RDF.type, classe))
        # Oxigraph ne fait pas d'inférence RDFS : sans ce type explicite, « ?x a bo:Preuve » ne verrait rien.
        g.add((noeud, RDF.type, BO.Preuve))
        g.add((noeud, BO.etablissement, espaces.etablissement(self.ligne.finess)))
        g.add((noeud, BO.besoin, espaces.concept("besoin", besoin)))
        g.add((noeud, BO.niveauPreuve, Literal("activite_declaree")))
        g.add((noeud, BO.anneeEnquete, Literal(self.annee, datatype=XSD.gYear)))
        g.add((noeud, RDFS.label, Literal(libelle, lang="fr")))
        if infere:
            g.add((noeud, BO.sensInfere, Literal(True)))

    def activite(
        self,
        variable: str,
        valeur: str,
        *,
        besoin: str,
        libelle: str,
        infere: bool = False,
        activite: str | None = None,
    ) -> URIRef:
        """Écrit un ``bo:ActiviteDeclaree`` (IRI ``activite-declaree/{source}/{finess}/{variable}``)."""
        noeud = espaces.preuve("activite-declaree", self.source, self.ligne.finess, variable)
        self._preuve(noeud, BO.ActiviteDeclaree, besoin, libelle, infere)
        self.graphe.add((noeud, BO.activite, espaces.concept("activite-sae", activite or variable)))
        self.graphe.add((noeud, BO.variable, Literal(variable)))
        self.graphe.add((noeud, BO.valeur, Literal(valeur)))
        return noeud

    def equipement(self, type_equipement: str, nombre: int, *, besoin: str, libelle: str, infere: bool) -> URIRef:
        """Écrit un ``bo:EquipementDeclare`` (IRI ``equipement-declare/{source}/{finess}/{type}``)."""
        noeud = espaces.preuve("equipement-declare", self.source, self.ligne.finess, type_equipement)
        self._preuve(noeud, BO.EquipementDeclare, besoin, libelle, infere)
        self.graphe.add((noeud, BO.typeEquipement, espaces.concept("equipement", type_equipement)))
        self.graphe.add((noeud, BO.nombre, Literal(nombre, datatype=XSD.integer)))
        return noeud

    def valeur_brute(self, variable: str, valeur: str, libelle: str, nombre: int | None = None) -> URIRef:
        """Écrit une ``bo:ValeurEnquete`` : valeur brute gardée sans lui prêter de sens (jamais une preuve).

        ``nombre`` : la valeur lue comme un compte (appareils), écrite aussi en ``bo:valeurNombre`` (xsd:integer)
        pour qu'un analyste la somme sans conversion ; jamais pour un identifiant (FINESS partenaire).
        """
        noeud = espaces.preuve("valeur-enquete", self.source, self.ligne.finess, variable)
        g = self.graphe
        g.add((noeud, RDF.type, BO.ValeurEnquete))
        g.add((noeud, BO.etablissement, espaces.etablissement(self.ligne.finess)))
        g.add((noeud, BO.variable, Literal(variable)))
        g.add((noeud, BO.valeur, Literal(valeur)))
        if nombre is not None:
            g.add((noeud, BO.valeurNombre, Literal(nombre, datatype=XSD.integer)))
        g.add((noeud, BO.anneeEnquete, Literal(self.annee, datatype=XSD.gYear)))
        if libelle:
            g.add((noeud, RDFS.label, Literal(libelle, lang="fr")))
        return noeud


class EntitesJuridiques:
    """Les FINESS d'entité juridique du contexte, calculés à la première question seulement."""

    def __init__(self, contexte: Contexte) -> None:
        self._contexte = contexte

    @cached_property
    def finess(self) -> frozenset[str]:
        return frozenset(e.finess_ej for e in self._contexte.etablissements.values())
