"""Le squelette commun des lecteurs de listes curées : une ``Liste`` (la table), ``Liste.lire`` (le seul code).

Pourquoi un squelette : les neuf listes (réseaux, centres experts, RCP, OIR, DSRC, UCOG, oncogénétique,
fertilité, soins de support) se lisent de la même façon — un fichier CSV UTF-8, une source par fichier, une
ligne sans nom rejetée, chaque ligne gardée avec sa provenance, chaque établissement cité apparié ou gardé
comme organisation sans FINESS. Seul change ce que la ligne écrit : c'est la fonction ``ecrire`` de sa table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, XSD

from graphe.appariement import Appariement, Apparieur, ecrire_appariement, normaliser
from graphe.sources.base import Contexte, DescriptionSource, Lecture, Rapport, lire_csv, nouveau_graphe
from graphe.sources.curation.cellules import MOT_ETABLISSEMENT, PAS_UN_NOM, morceaux_etablissements, precise, urls
from ontologie import espaces
from ontologie.espaces import BO, SCHEMA

DOSSIER = "curation"
EDITEUR = "Boussole (curation de pages publiques)"
LICENCE = "citations de pages publiques, voir dct:source"
#: SOURCES.md date la curation de 2026 ; les dates propres à chaque page sont dans SOURCES.md.
ANNEE_CURATION = "2026"


@dataclass
class Membre:
    """Ce qu'un nom de la liste est devenu : un site FINESS (apparié) ou une organisation sans FINESS."""

    iri: URIRef
    appariement: Appariement


class Lecteur:
    """Outils communs à la lecture d'un fichier curé : graphe, rapport, appariement, écriture des lignes."""

    def __init__(
        self, donnees: Path, contexte: Contexte, fichier: str, titre: str, apparieur: Apparieur
    ) -> None:
        self.fichier = fichier
        self.nom = f"curation-{Path(fichier).stem.replace('_', '-')}"
        self.chemin = donnees / DOSSIER / fichier
        self.contexte = contexte
        self.apparieur = apparieur
        self.graphe: Graph = nouveau_graphe()
        self.rapport = Rapport(self.nom, f"{DOSSIER}/{fichier}")
        self.description = DescriptionSource(
            nom=self.nom,
            titre=titre,
            editeur=EDITEUR,
            licence=LICENCE,
            fichiers=[f"{DOSSIER}/{fichier}"],
            date_donnees=ANNEE_CURATION,
            note="Liste curée, incomplète ; chaque ligne cite ses pages (dct:source). Voir SOURCES.md.",
        )

    def lignes(self) -> list[tuple[int, dict[str, str]]]:
        """Les lignes du fichier (CSV « , » en UTF-8), numérotées comme dans le fichier."""
        return list(lire_csv(self.chemin, self.rapport, separateur=",", encodage="utf-8"))

    def lecture(self) -> Lecture:
        return Lecture(self.description, self.graphe, self.rapport)

    def provenance(self, sujet: URIRef, numero: int, ligne: dict[str, str]) -> None:
        """``dct:source`` (une URL par triplet) et ``bo:ligneSource`` d'un nœud tiré de la ligne."""
        for u in urls(ligne.get("source", "")):
            self.graphe.add((sujet, DCTERMS.source, URIRef(u.replace(" ", "%20"))))
        self.graphe.add((sujet, BO.ligneSource, Literal(numero, datatype=XSD.integer)))

    def texte(self, sujet: URIRef, predicat: URIRef, valeur: str | None) -> None:
        """Recopie une cellule qui dit quelque chose (``precise``) ; « non précisé » n'est pas un fait."""
        if valeur is not None and precise(valeur):
            self.graphe.add((sujet, predicat, Literal(valeur.strip())))

    def regions(self, texte: str) -> list[str]:
        """Codes des régions dont le nom figure dans le texte (« Provence-Alpes-Côte d'Azur ; Corse »)."""
        t = f" {normaliser(texte)} "
        return [code for code, nom in self.contexte.regions.items() if f" {normaliser(nom)} " in t]

    def membre(self, nom: str, ville: str | None, numero: int, rang: int, sujet_preuve: URIRef) -> Membre:
        """Apparie un nom ; écrit son nœud d'appariement, ou sinon l'organisation sans FINESS."""
        app = self.apparieur.apparier(nom, ville)
        if app.finess is not None:
            ecrire_appariement(self.graphe, sujet_preuve, app, self.nom, numero, rang)
            return Membre(espaces.etablissement(app.finess), app)
        libelle = nom.strip() or f"Établissement non nommé ({ville})"
        org = espaces.organisation("organisation", f"{libelle} {ville or ''}")
        self.graphe.add((org, RDF.type, BO.OrganisationSansFiness))
        self.graphe.add((org, SCHEMA.name, Literal(libelle)))
        if ville and precise(ville):
            self.graphe.add((org, BO.ville, Literal(ville.strip())))
        en_ville = f" ({ville})" if ville and nom.strip() else ""
        self.rapport.non_apparies.append(f"ligne {numero} : {libelle}{en_ville}")
        return Membre(org, app)

    def appartenance(
        self,
        organisation: URIRef,
        cle: str,
        numero: int,
        rang: int,
        nom: str,
        ville: str | None,
        role: str,
        role_texte: str,
        besoins: list[str],
        label: str,
        ligne: dict[str, str],
    ) -> Membre:
        """Une ``bo:Appartenance`` (preuve « liste_curee ») d'un établissement cité à une organisation."""
        noeud = espaces.preuve("appartenance", self.nom, espaces.fragment(cle), f"{numero}-{rang}")
        g = self.graphe
        m = self.membre(nom, ville, numero, rang, noeud)
        g.add((noeud, RDF.type, BO.Appartenance))
        g.add((noeud, RDF.type, BO.Preuve))  # super-classe matérialisée : le store ne fait pas d'inférence RDFS
        g.add((noeud, ORG.organization, organisation))
        g.add((noeud, ORG.member, m.iri))
        if m.appariement.apparie:
            g.add((noeud, BO.etablissement, m.iri))
        g.add((noeud, ORG.role, espaces.concept("role", role)))
        if role_texte:
            g.add((noeud, BO.roleTexte, Literal(role_texte)))
        for b in besoins:
            g.add((noeud, BO.besoin, espaces.concept("besoin", b)))
        g.add((noeud, BO.niveauPreuve, Literal("liste_curee")))
        g.add((noeud, RDFS.label, Literal(label, lang="fr")))
        self.provenance(noeud, numero, ligne)
        return m

    def citer(
        self, texte: str, numero: int, action: Callable[[str, int], None], separateur: str | None = None
    ) -> None:
        """Pour chaque morceau d'une cellule qui nomme un établissement, appelle ``action(morceau, rang)``."""
        rang = 0
        for morceau in morceaux_etablissements(texte, separateur):
            trouve = MOT_ETABLISSEMENT.search(morceau)
            if PAS_UN_NOM.search(morceau) or not trouve:
                self.rapport.avertir(numero, f"« {morceau} » : ne nomme pas un établissement, non interprété")
                continue
            if trouve.start() > 0 and morceau[: trouve.start()].islower():
                morceau = morceau[trouve.start() :]  # « contact au CHU de Tours » → « CHU de Tours »
            rang += 1
            action(morceau, rang)


#: Ce qu'une ligne gardée écrit : ``ecrire(lecteur, numéro de ligne, ligne, nom)`` (nom : la cellule clé).
Ecrire = Callable[[Lecteur, int, dict[str, str], str], None]


@dataclass(frozen=True)
class Liste:
    """La table d'une liste curée : son fichier, son titre, sa règle de rejet, ce qu'écrit une ligne.

    Une ligne est rejetée (raison ``rejet``) quand toutes les cellules de ``colonnes_nom`` sont vides ; sinon
    ``ecrire`` reçoit la première d'entre elles, débarrassée de ses espaces, et la ligne est gardée.
    """

    fichier: str  #: nom du fichier dans ``donnees/curation/``
    titre: str
    colonnes_nom: tuple[str, ...]
    rejet: str
    ecrire: Ecrire

    def lire(self, donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
        """Lit le fichier de la liste dans sa source ``curation-<fichier>``.

        :param donnees: dossier racine des sources (celui qui contient ``curation/``).
        :param contexte: les sites de la SAE ID et les régions déjà lus (appariement, régions citées).
        :param apparieur: l'index d'appariement à partager entre listes ; préparé ici s'il manque.
        :returns: le graphe nommé de la liste, son rapport de lecture et sa description.
        :raises SourceIllisible: fichier absent ou vide.
        """
        lc = Lecteur(donnees, contexte, self.fichier, self.titre, apparieur or Apparieur(contexte))
        for numero, ligne in lc.lignes():
            cellules = [(ligne.get(c) or "").strip() for c in self.colonnes_nom]
            if not any(cellules):
                lc.rapport.rejeter(numero, self.rejet)
                continue
            self.ecrire(lc, numero, ligne, cellules[0])
            lc.rapport.gardees += 1
        return lc.lecture()
