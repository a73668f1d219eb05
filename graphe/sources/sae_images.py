"""Lecteur de la SAE IMAGES 2023 (``sae/IMAGES_2023r.csv``) : une ligne par site et type d'équipement.

Pourquoi deux sorties : seuls les types de ``besoins.EQUIPEMENT_SAE`` (TOMO = TEP, **inféré** ; IRM ; SCAN)
répondent à un besoin connu. Une ligne de ces types avec ``NB > 0`` devient un ``bo:EquipementDeclare``
(preuve, ``bo:nombre``) ; les autres types (RADIO, MAMM, CAM, VASC, LITHO, dtIRM1/2…) et les ``NB = 0`` sont
gardés en ``bo:ValeurEnquete`` (variable ``NB_{type}``), jamais en preuve, faute de besoin auquel les
rattacher.
Clé de doublon : (FINESS, ``EQUIPIMA``). ``NB`` vide ou illisible rejette la ligne.
"""

from __future__ import annotations

from pathlib import Path

from graphe.sources.base import Contexte, Lecture, Rapport, nouveau_graphe
from graphe.sources.sae import description_sae, entier, equipement_declare, lignes_sae, valeur_enquete
from ontologie import espaces
from ontologie.besoins import EQUIPEMENT_INFERE, EQUIPEMENT_SAE
from ontologie.espaces import BO

SOURCE = "sae-images-2023"
FICHIER = "sae/IMAGES_2023r.csv"
ANNEE = "2023"
LIBELLES: dict[str, str] = {
    "TOMO": "TEP-scan (tomographe à émission de positons, sens inféré de TOMO)",
    "IRM": "IRM",
    "SCAN": "Scanner",
}


def lire(donnees: Path, contexte: Contexte) -> Lecture:
    """Équipements d'imagerie déclarés (preuves pour TOMO/IRM/SCAN avec NB > 0, valeurs brutes sinon)."""
    rapport = Rapport(SOURCE, FICHIER)
    g = nouveau_graphe()
    for ligne in lignes_sae(
        donnees / FICHIER, rapport, contexte, annee=ANNEE, cle=("EQUIPIMA",), colonnes_requises=("NB",)
    ):
        fi, n, type_eq = ligne.finess, ligne.numero, ligne["EQUIPIMA"]
        if not type_eq:
            rapport.rejeter(n, f"EQUIPIMA vide (FINESS {fi})")
            continue
        try:
            nombre = entier(ligne["NB"])
        except ValueError:
            rapport.rejeter(n, f"NB illisible : {ligne['NB']!r} (FINESS {fi}, {type_eq})")
            continue
        if nombre is None:
            rapport.rejeter(n, f"NB vide (FINESS {fi}, {type_eq})")
            continue
        if type_eq in EQUIPEMENT_SAE and nombre > 0:
            infere = type_eq in EQUIPEMENT_INFERE
            equipement_declare(
                g,
                SOURCE,
                fi,
                type_eq,
                nombre,
                annee=ANNEE,
                besoin=EQUIPEMENT_SAE[type_eq],
                infere=infere,
                libelle=f"{LIBELLES.get(type_eq, type_eq)} : {nombre} appareil{'s' if nombre > 1 else ''} "
                f"déclaré{'s' if nombre > 1 else ''} à la SAE {ANNEE} (EQUIPIMA = {type_eq})",
            )
        else:
            noeud = valeur_enquete(
                g,
                SOURCE,
                fi,
                f"NB_{type_eq}",
                ligne["NB"],
                annee=ANNEE,
                libelle=f"Équipements {type_eq} déclarés : {nombre} (SAE {ANNEE}, valeur brute)",
            )
            g.add((noeud, BO.typeEquipement, espaces.concept("equipement", type_eq)))
        rapport.gardees += 1
    return Lecture(
        description_sae(
            SOURCE,
            "SAE 2023 — équipements d'imagerie (bordereau IMAGES)",
            FICHIER,
            ANNEE,
            note="TOMO lu comme TEP-scan (sens inféré). Équipements déclarés, pas des autorisations "
            "d'équipement lourd.",
        ),
        g,
        rapport,
    )
