"""Le catalogue des requêtes d'analyste : les fichiers ``requetes/*.rq`` du dépôt.

Pourquoi des fichiers et pas des chaînes Python : un analyste les lit, les copie et les lance tels quels
(``boussole sparql --fichier requetes/NOM.rq --format csv``) ; la page /sparql, le rapport ``boussole analyser`` et
les tests lisent les mêmes fichiers, si bien qu'une requête cassée par une évolution du modèle fait échouer la
suite. Chaque fichier commence par un commentaire français : sa première ligne est le titre, le reste dit ce que
la requête répond et ses précautions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from api.reglages import RACINE
from api.sparql.exemples import Exemple

#: Le dossier du catalogue.
DOSSIER = RACINE / "requetes"


@dataclass(frozen=True)
class RequeteCatalogue:
    """Une requête du catalogue : son nom de fichier (sans .rq), son commentaire et son texte complet."""

    identifiant: str
    titre: str
    description: str
    texte: str

    @property
    def colonnes(self) -> list[str]:
        """Les variables projetées par le SELECT, dans l'ordre (les ``(… AS ?x)`` comprises)."""
        return colonnes_select(self.texte)

    @property
    def fichier(self) -> str:
        return f"requetes/{self.identifiant}.rq"

    def en_exemple(self) -> Exemple:
        """La même requête sous la forme d'un exemple de la page /sparql (PREFIX ajoutés à l'envoi)."""
        return Exemple(self.identifiant, self.titre, self.description, self.texte)


def sans_commentaires(texte: str) -> str:
    """Le texte sans ses lignes de commentaire (une requête du catalogue n'a pas de « # » dans ses chaînes)."""
    return "\n".join(ligne for ligne in texte.splitlines() if not ligne.lstrip().startswith("#"))


def colonnes_select(texte: str) -> list[str]:
    """Les variables de la projection du premier SELECT : ``?a`` au niveau 0, ``?b`` de ``(… AS ?b)``."""
    corps = sans_commentaires(texte)
    debut = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?", corps, re.IGNORECASE)
    fin = re.search(r"\bWHERE\b|\{", corps[debut.end() :] if debut else "", re.IGNORECASE)
    if debut is None or fin is None:
        return []
    projection = corps[debut.end() : debut.end() + fin.start()]
    noms: list[str] = []
    profondeur, groupe = 0, ""
    for morceau in re.split(r"([()])", projection):
        if morceau == "(":
            profondeur += 1
        elif morceau == ")":
            profondeur -= 1
            if profondeur == 0:
                alias = re.search(r"\bAS\s+\?(\w+)\s*$", groupe, re.IGNORECASE)
                if alias:
                    noms.append(alias.group(1))
                groupe = ""
        if profondeur == 0 and morceau not in "()":
            noms += re.findall(r"\?(\w+)", morceau)
        elif profondeur > 0:
            groupe += morceau
    return noms


def lire(chemin: Path) -> RequeteCatalogue:
    """Lit une requête : titre = première ligne du commentaire de tête, description = le reste de ce commentaire."""
    texte = chemin.read_text(encoding="utf-8")
    entete: list[str] = []
    for ligne in texte.splitlines():
        if not ligne.startswith("#"):
            break
        entete.append(ligne.removeprefix("#").strip())
    titre = entete[0].rstrip(".") if entete else chemin.stem
    description = " ".join(" ".join(entete[1:]).split())
    return RequeteCatalogue(chemin.stem, titre, description, texte)


@lru_cache(maxsize=1)
def catalogue() -> tuple[RequeteCatalogue, ...]:
    """Toutes les requêtes du catalogue, dans l'ordre des noms de fichier."""
    return tuple(lire(p) for p in sorted(DOSSIER.glob("*.rq")))


def par_identifiant(identifiant: str) -> RequeteCatalogue | None:
    return next((r for r in catalogue() if r.identifiant == identifiant), None)
