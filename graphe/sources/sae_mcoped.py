"""Lecteur de la SAE MCOPED 2023 (``sae/MCOPED_2023r.csv``) : la pédiatrie des sites MCO.

``SPED = 1`` (service de pédiatrie) et ``UPED = 1`` (unité de pédiatrie) prouvent chacun le besoin
« pediatrie » en activité déclarée. Vide = question non posée ; une ligne où les deux sont vides est rejetée,
une valeur autre que 0/1 aussi.
"""

from __future__ import annotations

from pathlib import Path

from graphe.sources.base import Contexte, Lecture, Rapport, nouveau_graphe
from graphe.sources.sae import activite_declaree, description_sae, drapeau, lignes_sae
from ontologie.besoins import MCOPED_SAE

SOURCE = "sae-mcoped-2023"
FICHIER = "sae/MCOPED_2023r.csv"
ANNEE = "2023"
LIBELLES: dict[str, str] = {
    "SPED": "Service de pédiatrie déclaré",
    "UPED": "Unité de pédiatrie déclarée",
}


def lire(donnees: Path, contexte: Contexte) -> Lecture:
    """Activités déclarées de pédiatrie (``SPED``, ``UPED``)."""
    rapport = Rapport(SOURCE, FICHIER)
    g = nouveau_graphe()
    for ligne in lignes_sae(
        donnees / FICHIER, rapport, contexte, annee=ANNEE, colonnes_requises=tuple(MCOPED_SAE)
    ):
        fi, n = ligne.finess, ligne.numero
        if not any(ligne[v] for v in MCOPED_SAE):
            rapport.rejeter(n, f"{' et '.join(MCOPED_SAE)} vides (FINESS {fi})")
            continue
        try:
            oui = [v for v in MCOPED_SAE if drapeau(ligne[v])]
        except ValueError:
            fautives = [f"{v}={ligne[v]!r}" for v in MCOPED_SAE if ligne[v] not in ("", "0", "1")]
            rapport.rejeter(n, f"valeur non 0/1 : {', '.join(fautives)} (FINESS {fi})")
            continue
        for var in oui:
            activite_declaree(
                g,
                SOURCE,
                fi,
                var,
                ligne[var],
                annee=ANNEE,
                besoin=MCOPED_SAE[var],
                libelle=f"{LIBELLES[var]} à la SAE {ANNEE} (variable {var} = {ligne[var]})",
            )
        rapport.gardees += 1
    return Lecture(
        description_sae(
            SOURCE,
            "SAE 2023 — pédiatrie (bordereau MCOPED)",
            FICHIER,
            ANNEE,
            note="Service (SPED) et unité (UPED) de pédiatrie déclarés : activités déclarées, "
            "pas des autorisations.",
        ),
        g,
        rapport,
    )
