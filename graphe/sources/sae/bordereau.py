"""Le lecteur unique des bordereaux SAE décrits par une table (``tables.py``, ``cancero.py``).

Pourquoi un seul lecteur : FILTRE, PALIA, DOULEUR, MCOGER, MCOPED, IMAGES et CANCERO posent tous les mêmes
questions dans le même ordre — la ligne a-t-elle quelque chose à dire, ses valeurs sont-elles lisibles, que
prouve chaque variable — et ne diffèrent que par leurs colonnes, leurs messages de rejet et le fait qu'écrit
chaque variable. Une table (``Bordereau``) dit ces différences ; ``Bordereau.lire`` est le seul code qui lit.

Déroulé d'une ligne (après les contrôles communs de ``commun.lignes_sae`` : FINESS, année, site connu,
doublon) :

1. ``si_vide`` : aucune des colonnes ``colonnes_vides`` (par défaut celles des variables) n'est renseignée →
   rejet ;
2. chaque variable lit sa valeur ; une valeur illisible (``ValueError``) rejette la ligne (``si_illisible``,
   qui peut nommer les valeurs fautives) ;
3. une variable ``obligatoire`` vide rejette la ligne (``si_absent``) ;
4. sinon la ligne est gardée et chaque variable écrit son fait (activité déclarée, équipement, valeur brute).

Les messages sont des gabarits ``str.format`` ; champs disponibles : ``finess``, ``variables`` (colonnes des
variables, séparées par « , »), ``fautives`` (``VAR='valeur'`` des valeurs illisibles), ``valeur`` (la
première valeur illisible), ``cle`` (valeurs des colonnes de ``cle``, séparées par « / »).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from rdflib import Literal, URIRef

from graphe.sources.base import Contexte, Lecture, Rapport, nouveau_graphe
from graphe.sources.sae.commun import (
    Ecriture,
    EntitesJuridiques,
    Ignorer,
    LigneSae,
    description_sae,
    drapeau,
    entier,
    lignes_sae,
)
from ontologie import espaces
from ontologie.espaces import BO

T = TypeVar("T")


class Variable(Generic[T]):
    """Une colonne du bordereau : comment la lire, et quel fait elle écrit.

    ``lire`` rend la valeur interprétée (None si la case est vide) ou lève ``ValueError`` si elle est
    illisible ; ``ecrire`` n'est appelée que pour une valeur non vide d'une ligne gardée.
    """

    variable: str
    obligatoire: bool = False

    def lire(self, ligne: LigneSae) -> T | None:
        raise NotImplementedError

    def ecrire(self, e: Ecriture, valeur: T) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Drapeau(Variable[bool]):
    """Une case 0/1 : ``1`` devient un ``bo:ActiviteDeclaree`` du besoin ; ``0`` et vide ne disent rien.

    ``libelle`` est le début de phrase accordé (« Radiothérapie déclarée ») ; ``infere`` marque un sens
    déduit faute de dictionnaire publié (``bo:sensInfere``, et « sens inféré » dans le libellé).
    """

    variable: str
    besoin: str
    libelle: str
    infere: bool = False

    def lire(self, ligne: LigneSae) -> bool | None:
        return drapeau(ligne[self.variable])

    def ecrire(self, e: Ecriture, valeur: bool) -> None:
        if not valeur:
            return
        brute = e.ligne[self.variable]
        precision = ", sens inféré" if self.infere else ""
        noeud = e.activite(
            self.variable,
            brute,
            besoin=self.besoin,
            libelle=f"{self.libelle} à la SAE {e.annee} (variable {self.variable} = {brute}{precision})",
            infere=self.infere,
        )
        if e.edition_recente is not None and self.variable not in e.edition_recente[1]:
            # Le site a répondu à l'édition plus récente sans déclarer cette activité : la déclaration ancienne
            # reste dans le graphe (l'histoire, les analyses d'évolution) mais n'est plus une preuve du besoin.
            e.graphe.add((noeud, BO.contreditePar, espaces.source(e.edition_recente[0])))


@dataclass(frozen=True)
class Effectif(Variable[int]):
    """Un effectif (entier ≥ 0) : strictement positif, il devient un ``bo:ActiviteDeclaree`` du besoin.

    ``libelle`` est un gabarit (champs ``nombre``, ``annee``, ``variable``).
    """

    variable: str
    besoin: str
    libelle: str

    def lire(self, ligne: LigneSae) -> int | None:
        return entier(ligne[self.variable])

    def ecrire(self, e: Ecriture, valeur: int) -> None:
        if not valeur:
            return
        e.activite(
            self.variable,
            e.ligne[self.variable],
            besoin=self.besoin,
            libelle=self.libelle.format(nombre=valeur, annee=e.annee, variable=self.variable),
        )


@dataclass(frozen=True)
class Choix(Variable[str]):
    """Une valeur parmi ``valeurs`` (toute autre, vide comprise, est illisible) : une activité déclarée.

    Le fait porte l'activité ``activite`` et la valeur elle-même sous ``predicat`` (``bo:typeStructure``) ;
    ``libelle`` est un gabarit (champs ``valeur``, ``annee``).
    """

    variable: str
    valeurs: tuple[str, ...]
    besoin: str
    activite: str
    predicat: URIRef
    libelle: str

    def lire(self, ligne: LigneSae) -> str | None:
        valeur = ligne[self.variable]
        if valeur not in self.valeurs:
            raise ValueError(valeur)
        return valeur

    def ecrire(self, e: Ecriture, valeur: str) -> None:
        noeud = e.activite(
            self.variable,
            valeur,
            besoin=self.besoin,
            activite=self.activite,
            libelle=self.libelle.format(valeur=valeur, annee=e.annee),
        )
        e.graphe.add((noeud, self.predicat, Literal(valeur)))


@dataclass(frozen=True)
class Brute(Variable[str]):
    """Une réponse sans sens établi : gardée telle quelle en ``bo:ValeurEnquete`` (jamais une preuve).

    ``libelle`` est un gabarit (champs ``valeur``, ``annee``, ``variable``).
    """

    variable: str
    libelle: str

    def lire(self, ligne: LigneSae) -> str | None:
        return ligne[self.variable] or None

    def ecrire(self, e: Ecriture, valeur: str) -> None:
        e.valeur_brute(self.variable, valeur, self.libelle.format(valeur=valeur, annee=e.annee, variable=self.variable))


@dataclass(frozen=True)
class Equipement(Variable[int]):
    """Le nombre d'appareils (colonne ``variable``) d'un type (colonne ``colonne_type``) ; vide = rejet.

    Un type de ``besoins`` avec au moins un appareil devient un ``bo:EquipementDeclare`` (``inferes`` : sens
    déduit) ; tout autre type, ou un nombre nul, reste une ``bo:ValeurEnquete`` ``NB_{type}`` : faute de
    besoin auquel la rattacher, ce n'est pas une preuve.
    """

    variable: str
    colonne_type: str
    besoins: Mapping[str, str]
    inferes: frozenset[str]
    libelles: Mapping[str, str]
    obligatoire: bool = True

    def lire(self, ligne: LigneSae) -> int | None:
        return entier(ligne[self.variable])

    def ecrire(self, e: Ecriture, valeur: int) -> None:
        type_eq = e.ligne[self.colonne_type]
        if type_eq in self.besoins and valeur > 0:
            pluriel = "s" if valeur > 1 else ""
            e.equipement(
                type_eq,
                valeur,
                besoin=self.besoins[type_eq],
                infere=type_eq in self.inferes,
                libelle=f"{self.libelles.get(type_eq, type_eq)} : {valeur} appareil{pluriel} "
                f"déclaré{pluriel} à la SAE {e.annee} ({self.colonne_type} = {type_eq})",
            )
            return
        noeud = e.valeur_brute(
            f"NB_{type_eq}",
            e.ligne[self.variable],
            f"Équipements {type_eq} déclarés : {valeur} (SAE {e.annee}, valeur brute)",
            nombre=valeur,
        )
        e.graphe.add((noeud, BO.typeEquipement, espaces.concept("equipement", type_eq)))


@dataclass(frozen=True)
class Bordereau:
    """La table d'un fichier SAE : où il est, ce qu'il dit, comment chaque variable devient un fait.

    Voir le docstring du module pour le déroulé d'une ligne et les champs des gabarits de message.
    """

    source: str  #: nom de la source (graphe nommé ``source/<source>``)
    fichier: str  #: chemin relatif au dossier des données (``sae/FILTRE_2023r.csv``)
    annee: str  #: année d'enquête attendue dans la colonne ``AN``
    titre: str
    note: str
    variables: tuple[Variable[Any], ...]
    si_illisible: str = "valeur illisible dans {variables} (FINESS {finess})"
    si_vide: str | None = None
    colonnes_vides: tuple[str, ...] | None = None
    si_absent: str | None = None
    #: colonnes de la clé de doublon, en plus du FINESS
    cle: tuple[str, ...] = ()
    #: colonnes requises dans l'en-tête en plus de la clé et des variables (celles de ``ignorer``)
    autres_colonnes: tuple[str, ...] = ()
    ignorer: Ignorer | None = None
    #: la source de l'édition plus récente du même bordereau (lue avant celle-ci) : une case 0/1 déclarée ici
    #: mais pas là, par un site qui y a répondu, est contredite (``bo:contreditePar``) et cesse d'être une preuve
    remplace_par: str | None = None
    colonnes: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "colonnes", tuple(dict.fromkeys(v.variable for v in self.variables)))

    def lire(self, donnees: Path, contexte: Contexte) -> Lecture:
        """Lit le fichier du bordereau : une ligne gardée écrit ses faits, une autre est rejetée avec sa raison.

        :param donnees: dossier racine des sources (celui qui contient ``sae/``).
        :param contexte: les sites de la SAE ID déjà lus ; un fait d'un site inconnu est rejeté.
        :returns: le graphe nommé de la source, son rapport de lecture et sa description.
        :raises SourceIllisible: fichier absent, vide, ou sans une colonne requise.
        """
        rapport = Rapport(self.source, self.fichier)
        g = nouveau_graphe()
        entites = EntitesJuridiques(contexte)
        declarees: dict[str, frozenset[str]] = {}
        # la construction lit l'édition récente d'abord (construction.ETAPES) ; lue seule, rien n'est contredit
        recentes = contexte.declarations_sae.get(self.remplace_par) if self.remplace_par else None
        for ligne in lignes_sae(
            donnees / self.fichier,
            rapport,
            contexte,
            annee=self.annee,
            cle=self.cle,
            colonnes_requises=(*self.autres_colonnes, *self.colonnes),
            ignorer=self.ignorer,
        ):
            raison, valeurs = self._interpreter(ligne)
            if raison is not None:
                rapport.rejeter(ligne.numero, raison)
                continue
            recente = recentes.get(ligne.finess) if recentes is not None else None
            edition = (self.remplace_par, recente) if self.remplace_par and recente is not None else None
            ecriture = Ecriture(g, self.source, self.annee, ligne, contexte, rapport, entites, edition)
            for variable, valeur in valeurs:
                variable.ecrire(ecriture, valeur)
            declarees[ligne.finess] = frozenset(v.variable for v, x in valeurs if isinstance(v, Drapeau) and x)
            rapport.gardees += 1
        contexte.declarations_sae[self.source] = declarees
        return Lecture(description_sae(self.source, self.titre, self.fichier, self.annee, note=self.note), g, rapport)

    def _interpreter(self, ligne: LigneSae) -> tuple[str | None, list[tuple[Variable[Any], Any]]]:
        """(raison du rejet, None) ou (None, valeurs non vides à écrire), selon le déroulé du module."""
        champs = {
            "finess": ligne.finess,
            "variables": ", ".join(self.colonnes),
            "cle": " / ".join(ligne[c] for c in self.cle),
        }
        if self.si_vide is not None and not any(ligne[c] for c in self.colonnes_vides or self.colonnes):
            return self.si_vide.format(**champs), []
        lues: list[tuple[Variable[Any], Any]] = []
        fautives: list[str] = []
        for variable in self.variables:
            try:
                lues.append((variable, variable.lire(ligne)))
            except ValueError:
                fautives.append(variable.variable)
        if fautives:
            return self.si_illisible.format(
                **champs,
                fautives=", ".join(f"{v}={ligne[v]!r}" for v in fautives),
                valeur=ligne[fautives[0]],
            ), []
        if self.si_absent is not None and any(v.obligatoire and valeur is None for v, valeur in lues):
            return self.si_absent.format(**champs), []
        return None, [(v, valeur) for v, valeur in lues if valeur is not None]
