"""Lecteur de la SAE FILTRE 2023 (``sae/FILTRE_2023r.csv``) : les activités que chaque site dit exercer.

Pourquoi seulement ``STATUT = DECLA`` : chaque site apparaît deux fois, ``INIT`` (pré-rempli par la DREES) et
``DECLA`` (ce que le site a déclaré) ; les deux divergent pour presque tous les sites, et seule la déclaration
engage le site. Les lignes ``INIT`` sont donc hors périmètre : elles ne comptent pas dans ``lues`` et un seul
avertissement (ligne 0) dit combien ont été ignorées, pour que rien ne disparaisse sans trace.

Chaque variable de ``besoins.FILTRE_SAE`` valant ``1`` devient un ``bo:ActiviteDeclaree`` (jamais une
autorisation). ``0`` et vide (question non posée) ne produisent rien. Toute autre valeur rejette la ligne.
"""

from __future__ import annotations

from pathlib import Path

from graphe.sources.base import Contexte, Lecture, Rapport, nouveau_graphe
from graphe.sources.sae import Ignorer, activite_declaree, description_sae, drapeau, lignes_sae
from ontologie.besoins import FILTRE_SAE

SOURCE = "sae-filtre-2023"
FICHIER = "sae/FILTRE_2023r.csv"
ANNEE = "2023"

#: Début de phrase de chaque preuve, accordé (la variable et sa valeur suivent).
LIBELLES: dict[str, str] = {
    "RTH": "Radiothérapie déclarée",
    "CHIMIO": "Chimiothérapie déclarée",
    "CHIRCANCER": "Chirurgie des cancers déclarée",
    "PALIA": "Soins palliatifs déclarés",
    "EMSP": "Équipe mobile de soins palliatifs déclarée",
    "DOULEUR": "Structure douleur chronique déclarée",
}

STATUT_RETENU = "DECLA"


def lire(donnees: Path, contexte: Contexte) -> Lecture:
    """Activités déclarées (``STATUT = DECLA``) des variables de ``FILTRE_SAE``."""
    rapport = Rapport(SOURCE, FICHIER)
    g = nouveau_graphe()
    ignorer = Ignorer(
        lambda ligne: ligne["STATUT"].strip() != STATUT_RETENU,
        f"STATUT ≠ {STATUT_RETENU} : règle, on ne retient que la déclaration du site, "
        "pas le pré-remplissage INIT",
    )
    for ligne in lignes_sae(
        donnees / FICHIER,
        rapport,
        contexte,
        annee=ANNEE,
        colonnes_requises=("STATUT", *FILTRE_SAE),
        ignorer=ignorer,
    ):
        try:
            oui = [var for var in FILTRE_SAE if drapeau(ligne[var])]
        except ValueError:
            fautives = [f"{v}={ligne[v]!r}" for v in FILTRE_SAE if ligne[v] not in ("", "0", "1")]
            rapport.rejeter(ligne.numero, f"valeur non 0/1 : {', '.join(fautives)} (FINESS {ligne.finess})")
            continue
        for var in oui:
            activite_declaree(
                g,
                SOURCE,
                ligne.finess,
                var,
                ligne[var],
                annee=ANNEE,
                besoin=FILTRE_SAE[var],
                libelle=f"{LIBELLES.get(var, var)} à la SAE {ANNEE} (variable {var} = {ligne[var]})",
            )
        rapport.gardees += 1
    return Lecture(
        description_sae(
            SOURCE,
            "SAE 2023 — filtres d'activité (bordereau FILTRE, lignes DECLA)",
            FICHIER,
            ANNEE,
            note="Activités déclarées par les sites (STATUT = DECLA). Une activité déclarée n'est pas une "
            "autorisation. Lignes INIT (pré-remplissage) ignorées par règle.",
        ),
        g,
        rapport,
    )
