"""Ce que partagent tous les lecteurs de sources : le rapport de lecture et la lecture CSV tolérante.

Pourquoi un rapport par source : une ligne malformée ne doit ni faire tomber la construction ni disparaître
sans trace. Chaque lecteur compte ce qu'il a lu, gardé et rejeté (fichier, ligne, raison), et la construction
vérifie l'invariant ``lues == gardees + rejetees``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, URIRef


class SourceIllisible(Exception):
    """Le fichier manque ou ne peut pas être lu du tout : la construction doit échouer, pas continuer à moitié."""


@dataclass
class Rejet:
    """Une ligne écartée, avec de quoi la retrouver et la corriger."""

    fichier: str
    ligne: int
    raison: str

    def __str__(self) -> str:
        return f"{self.fichier}:{self.ligne}: {self.raison}"


@dataclass
class Rapport:
    """Bilan de lecture d'une source.

    ``lues`` compte les enregistrements de données (lignes CSV hors en-tête, entrées JSON) ; chacun finit
    soit gardé, soit rejeté. ``avertissements`` note ce qui a été corrigé sans rejeter la ligne (date
    fictive ignorée, point géographique remplacé...).
    """

    source: str
    fichier: str
    lues: int = 0
    gardees: int = 0
    rejets: list[Rejet] = field(default_factory=list)
    avertissements: list[Rejet] = field(default_factory=list)
    non_apparies: list[str] = field(default_factory=list)

    @property
    def rejetees(self) -> int:
        return len(self.rejets)

    def rejeter(self, ligne: int, raison: str) -> None:
        self.rejets.append(Rejet(self.fichier, ligne, raison))

    def avertir(self, ligne: int, raison: str) -> None:
        self.avertissements.append(Rejet(self.fichier, ligne, raison))

    def equilibre(self) -> bool:
        """Rien n'est perdu : chaque enregistrement lu est gardé ou rejeté."""
        return self.lues == self.gardees + self.rejetees

    def en_dict(self) -> dict:
        return {
            "source": self.source,
            "fichier": self.fichier,
            "lues": self.lues,
            "gardees": self.gardees,
            "rejetees": self.rejetees,
            "rejets": [vars(r) for r in self.rejets],
            "avertissements": [vars(r) for r in self.avertissements],
            "non_apparies": self.non_apparies,
        }


@dataclass
class DescriptionSource:
    """Ce que le graphe src:meta dit d'une source (DCAT / PROV-O)."""

    nom: str  # identifiant court, devient l'IRI du graphe nommé (espaces.source(nom))
    titre: str
    editeur: str
    licence: str
    fichiers: list[str]
    date_donnees: date | str  # date précise, ou année (« 2023 ») pour une enquête annuelle
    url: str | None = None
    note: str | None = None  # ce qui est connu / inféré, en français


@dataclass(frozen=True)
class Editeur:
    """Qui publie une famille de fichiers, sous quelle licence, où : commun à toutes ses sources."""

    nom: str
    licence: str
    url: str | None = None

    def decrire(
        self, nom: str, titre: str, fichier: str, date_donnees: date | str, note: str | None = None
    ) -> DescriptionSource:
        """La description DCAT d'une source d'un seul fichier de cet éditeur.

        :param nom: identifiant court de la source (IRI de son graphe nommé).
        :param titre: titre lisible.
        :param fichier: chemin du fichier, relatif au dossier des données.
        :param date_donnees: date précise, ou année d'une enquête annuelle.
        :param note: ce qui est connu ou inféré, en français.
        :returns: la description à verser dans ``src:meta``.
        """
        return DescriptionSource(
            nom=nom,
            titre=titre,
            editeur=self.nom,
            licence=self.licence,
            fichiers=[fichier],
            date_donnees=date_donnees,
            url=self.url,
            note=note,
        )


@dataclass
class Lecture:
    """Ce que rend un lecteur : le graphe nommé de sa source, son rapport et sa description."""

    description: DescriptionSource
    graphe: Graph
    rapport: Rapport

    @property
    def iri(self) -> URIRef:
        from ontologie.espaces import source

        return source(self.description.nom)


def lire_csv(
    chemin: Path,
    rapport: Rapport,
    *,
    separateur: str = ";",
    encodage: str = "latin-1",
    colonnes_requises: tuple[str, ...] = (),
) -> Iterator[tuple[int, dict[str, str]]]:
    """Parcourt un CSV en rendant (numéro de ligne dans le fichier, ligne) ; compte chaque ligne lue.

    Les lignes de longueur anormale (fichier tronqué, séparateur parasite) et les octets invalides pour
    l'encodage attendu sont rejetés avec leur numéro de ligne au lieu de faire échouer toute la lecture.
    L'en-tête est la ligne 1 ; la première ligne de données est la ligne 2.
    """
    if not chemin.is_file():
        raise SourceIllisible(f"fichier introuvable : {chemin}")
    brut = chemin.read_bytes()
    if brut.startswith(b"\xef\xbb\xbf"):
        brut = brut[3:]
    lignes = brut.splitlines()
    if not lignes:
        raise SourceIllisible(f"fichier vide : {chemin}")
    try:
        entete_txt = lignes[0].decode(encodage)
    except UnicodeDecodeError as e:
        raise SourceIllisible(f"{chemin.name}: en-tête illisible en {encodage} ({e})") from e
    entete = next(csv.reader([entete_txt], delimiter=separateur))
    manquantes = [c for c in colonnes_requises if c not in entete]
    if manquantes:
        raise SourceIllisible(f"{chemin.name}: colonnes manquantes dans l'en-tête : {', '.join(manquantes)}")
    for numero, octets in enumerate(lignes[1:], start=2):
        if not octets.strip():
            continue
        rapport.lues += 1
        try:
            texte = octets.decode(encodage)
        except UnicodeDecodeError as e:
            rapport.rejeter(numero, f"octets invalides pour l'encodage {encodage} (position {e.start})")
            continue
        if encodage.lower().replace("-", "") in ("latin1", "iso88591") and "Ã" in texte:
            # Du UTF-8 relu en latin-1 : le fichier a changé d'encodage, le texte serait corrompu.
            rapport.rejeter(numero, "texte en UTF-8 dans un fichier attendu en latin-1 (encodage mélangé)")
            continue
        try:
            valeurs = next(csv.reader(io.StringIO(texte), delimiter=separateur))
        except (csv.Error, StopIteration) as e:
            rapport.rejeter(numero, f"ligne CSV illisible ({e})")
            continue
        if len(valeurs) != len(entete):
            rapport.rejeter(
                numero, f"{len(valeurs)} champs au lieu de {len(entete)} (ligne tronquée ou séparateur en trop)"
            )
            continue
        yield numero, dict(zip(entete, valeurs, strict=True))


def finess_valide(numero: str) -> bool:
    """Un FINESS a 9 caractères : deux pour le département (chiffres, 2A/2B, 97/98), puis des chiffres.

    La clé de contrôle (Luhn) n'est pas vérifiée : plusieurs numéros réels des sources ne la respectent pas.
    """
    if len(numero) != 9:
        return False
    tete, reste = numero[:2], numero[2:]
    return (tete.isdigit() or tete in ("2A", "2B")) and reste.isdigit()


@dataclass(frozen=True)
class InfoCommune:
    """Ce qu'un lecteur doit savoir d'une commune (nom, rattachements, point)."""

    code: str
    nom: str
    departement: str
    region: str
    codes_postaux: tuple[str, ...]
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class InfoEtablissement:
    """Ce qu'un lecteur doit savoir d'un site SAE (pour géolocaliser, apparier un nom, rattacher un fait)."""

    finess: str
    nom: str
    finess_ej: str
    commune: str  # code INSEE
    ville: str  # libellé de commune tel que la SAE l'écrit
    categorie: str


@dataclass
class Contexte:
    """Ce que les lecteurs déjà passés apprennent aux suivants.

    L'ordre de lecture est fixé par la construction : géographie, nomenclatures, SAE ID, puis le reste.
    """

    date_construction: date
    communes: dict[str, InfoCommune] = field(default_factory=dict)
    etablissements: dict[str, InfoEtablissement] = field(default_factory=dict)
    #: code de région → nom, code de département → nom
    regions: dict[str, str] = field(default_factory=dict)
    departements: dict[str, str] = field(default_factory=dict)
    #: source SAE → FINESS d'une ligne gardée → variables 0/1 déclarées à 1 : ce qu'une édition plus ancienne
    #: du même bordereau compare pour savoir si sa déclaration a été contredite (voir ``Bordereau.remplace_par``)
    declarations_sae: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)


def nouveau_graphe() -> Graph:
    """Un graphe rdflib avec les préfixes du projet (sérialisations lisibles)."""
    from ontologie.espaces import PREFIXES

    g = Graph()
    for prefixe, ns in PREFIXES.items():
        g.bind(prefixe, ns, override=True)
    return g


# Convention de tous les lecteurs (un module par source dans graphe/sources/) :
#
#     def lire(donnees: Path, contexte: Contexte) -> Lecture
#
# ``donnees`` est le dossier racine des sources (le dossier donnees/ du dépôt ou --donnees). Un lecteur lève
# SourceIllisible si son fichier manque ou est illisible en entier ; il rejette ligne par ligne sinon.
