"""Lecteur de la SAE MCOGER 2023 (``sae/MCOGER_2023r.csv``) : la gériatrie des sites MCO.

Ce qui prouve le besoin « geriatrie » (oncogériatrie : évaluation, équipe mobile ou unité de gériatrie) :
``EMGER = 1`` (équipe mobile de gériatrie), ``UGER = 1`` (unité de gériatrie aiguë), et un nombre
d'évaluations gériatriques ``EVALIH`` (en hospitalisation) ou ``EVALEH`` (externes) strictement positif.
Chacun devient un ``bo:ActiviteDeclaree`` distinct, pour que la réponse cite la variable exacte.
Une ligne dont toutes ces cases sont vides est rejetée (rien n'a été déclaré) ; une valeur illisible aussi.
"""

from __future__ import annotations

from pathlib import Path

from graphe.sources.base import Contexte, Lecture, Rapport, nouveau_graphe
from graphe.sources.sae import activite_declaree, description_sae, drapeau, entier, lignes_sae
from ontologie.besoins import MCOGER_SAE

SOURCE = "sae-mcoger-2023"
FICHIER = "sae/MCOGER_2023r.csv"
ANNEE = "2023"
LIBELLES: dict[str, str] = {
    "EMGER": "Équipe mobile de gériatrie déclarée",
    "UGER": "Unité de gériatrie aiguë déclarée",
}
EVALUATIONS: dict[str, str] = {
    "EVALIH": "en hospitalisation",
    "EVALEH": "externes",
}


def lire(donnees: Path, contexte: Contexte) -> Lecture:
    """Activités déclarées de gériatrie (``EMGER``, ``UGER``, ``EVALIH``, ``EVALEH``)."""
    rapport = Rapport(SOURCE, FICHIER)
    g = nouveau_graphe()
    variables = (*MCOGER_SAE, *EVALUATIONS)
    for ligne in lignes_sae(donnees / FICHIER, rapport, contexte, annee=ANNEE, colonnes_requises=variables):
        fi, n = ligne.finess, ligne.numero
        if not any(ligne[v] for v in variables):
            rapport.rejeter(n, f"aucune des variables {', '.join(variables)} renseignée (FINESS {fi})")
            continue
        try:
            oui = [v for v in MCOGER_SAE if drapeau(ligne[v])]
            evaluations = {v: entier(ligne[v]) for v in EVALUATIONS}
        except ValueError:
            rapport.rejeter(n, f"valeur illisible dans {', '.join(variables)} (FINESS {fi})")
            continue
        for var in oui:
            activite_declaree(
                g,
                SOURCE,
                fi,
                var,
                ligne[var],
                annee=ANNEE,
                besoin=MCOGER_SAE[var],
                libelle=f"{LIBELLES[var]} à la SAE {ANNEE} (variable {var} = {ligne[var]})",
            )
        for var, nombre in evaluations.items():
            if nombre:
                activite_declaree(
                    g,
                    SOURCE,
                    fi,
                    var,
                    ligne[var],
                    annee=ANNEE,
                    besoin="geriatrie",
                    libelle=f"Évaluations gériatriques {EVALUATIONS[var]} déclarées : {nombre} "
                    f"(SAE {ANNEE}, variable {var})",
                )
        rapport.gardees += 1
    return Lecture(
        description_sae(
            SOURCE,
            "SAE 2023 — gériatrie (bordereau MCOGER)",
            FICHIER,
            ANNEE,
            note="Équipe mobile (EMGER), unité de gériatrie aiguë (UGER), évaluations gériatriques (EVALIH, "
            "EVALEH) : activités déclarées, pas des autorisations.",
        ),
        g,
        rapport,
    )
