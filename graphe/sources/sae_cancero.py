"""Lecteur paramétré de la SAE CANCERO (``sae/CANCERO_2023r.csv`` et ``sae/CANCERO_2022r.csv``).

Le dictionnaire des variables n'est pas disponible : les sens retenus ici sont **inférés** (cohérents avec les
centres de radiothérapie seule et avec FILTRE), d'où ``bo:sensInfere true`` sur chaque fait :

- ``CANCERO_A1 = 1`` → chimiothérapie déclarée, ``CANCERO_A2 = 1`` → radiothérapie déclarée ;
- ``CANCERO_A12`` → nombre d'appareils de traitement de radiothérapie, gardé en ``bo:ValeurEnquete`` ;
- ``CANCERO_A8`` / ``B8`` / ``C8`` → FINESS de sites partenaires (par ex. le site autorisé avec lequel un site
  associé de chimiothérapie travaille). Chaque valeur est gardée brute (``bo:ValeurEnquete``) ; quand c'est le
  FINESS d'un site de la SAE ID 2023, on ajoute ``site bo:sitePartenaire partenaire``. Beaucoup de ces numéros
  sont des FINESS d'entités juridiques : pas de lien de site dans ce cas, un avertissement le dit.

2022 : les sites sont ceux de la SAE ID 2023 ; une ligne 2022 d'un site absent de l'ID 2023 est rejetée
(« site absent de la SAE ID 2023 ») au lieu d'inventer un site.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal

from graphe.sources.base import Contexte, Lecture, Rapport, finess_valide, nouveau_graphe
from graphe.sources.sae import activite_declaree, description_sae, drapeau, entier, lignes_sae, valeur_enquete
from ontologie import espaces
from ontologie.besoins import CANCERO_SAE
from ontologie.espaces import BO

LIBELLES: dict[str, str] = {
    "CANCERO_A1": "Chimiothérapie déclarée",
    "CANCERO_A2": "Radiothérapie déclarée",
}
MACHINES = "CANCERO_A12"
PARTENAIRES = ("CANCERO_A8", "CANCERO_B8", "CANCERO_C8")


def lire_annee(donnees: Path, contexte: Contexte, annee: str) -> Lecture:
    """Lit ``sae/CANCERO_{annee}r.csv`` dans le graphe ``sae-cancero-{annee}``."""
    source = f"sae-cancero-{annee}"
    fichier = f"sae/CANCERO_{annee}r.csv"
    rapport = Rapport(source, fichier)
    g = nouveau_graphe()
    entites = {e.finess_ej for e in contexte.etablissements.values()}
    for ligne in lignes_sae(
        donnees / fichier,
        rapport,
        contexte,
        annee=annee,
        colonnes_requises=(*CANCERO_SAE, MACHINES, *PARTENAIRES),
    ):
        fi, n = ligne.finess, ligne.numero
        try:
            oui = [var for var in CANCERO_SAE if drapeau(ligne[var])]
            machines = entier(ligne[MACHINES])
        except ValueError:
            rapport.rejeter(
                n,
                f"valeur illisible dans {', '.join(CANCERO_SAE)} (0/1) ou {MACHINES} (entier) (FINESS {fi})",
            )
            continue
        for var in oui:
            activite_declaree(
                g,
                source,
                fi,
                var,
                ligne[var],
                annee=annee,
                besoin=CANCERO_SAE[var],
                libelle=f"{LIBELLES[var]} à la SAE {annee} (variable {var} = {ligne[var]}, sens inféré)",
                infere=True,
            )
        if machines is not None:
            noeud = valeur_enquete(
                g,
                source,
                fi,
                MACHINES,
                ligne[MACHINES],
                annee=annee,
                libelle=f"Appareils de radiothérapie (sens inféré) : {machines} — SAE {annee}, {MACHINES}",
            )
            g.add((noeud, BO.sensInfere, Literal(True)))
        for var in PARTENAIRES:
            partenaire = ligne[var]
            if not partenaire:
                continue
            valeur_enquete(
                g,
                source,
                fi,
                var,
                partenaire,
                annee=annee,
                libelle=f"FINESS partenaire (sens inféré) : {partenaire} — SAE {annee}, {var}",
            )
            if not finess_valide(partenaire):
                rapport.avertir(n, f"{var} = {partenaire!r} : pas un FINESS, aucun lien de partenariat")
            elif partenaire in contexte.etablissements:
                if partenaire != fi:
                    # Sens inféré : le site déclare travailler avec ce site (voir le docstring du module).
                    g.add((espaces.etablissement(fi), BO.sitePartenaire, espaces.etablissement(partenaire)))
            else:
                quoi = (
                    "FINESS d'entité juridique"
                    if partenaire in entites
                    else "FINESS absent de la SAE ID 2023"
                )
                rapport.avertir(n, f"{var} = {partenaire} ({quoi}) : valeur gardée, pas de lien de site")
        rapport.gardees += 1
    return Lecture(
        description_sae(
            source,
            f"SAE {annee} — traitement du cancer (bordereau CANCERO)",
            fichier,
            annee,
            note="Sens des variables inféré (dictionnaire non publié ici) : CANCERO_A1 chimiothérapie, "
            "CANCERO_A2 radiothérapie, CANCERO_A12 appareils de radiothérapie, CANCERO_A8/B8/C8 FINESS "
            "partenaires. Activités déclarées, jamais des autorisations.",
        ),
        g,
        rapport,
    )


def lire_2023(donnees: Path, contexte: Contexte) -> Lecture:
    """Source ``sae-cancero-2023``."""
    return lire_annee(donnees, contexte, "2023")


def lire_2022(donnees: Path, contexte: Contexte) -> Lecture:
    """Source ``sae-cancero-2022`` (sites rapportés à la SAE ID 2023)."""
    return lire_annee(donnees, contexte, "2022")


lire = lire_2023
