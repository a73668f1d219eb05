"""Le lecteur piloté par table des bordereaux SAE, sur une petite table et un fichier écrits ici.

Pourquoi un fichier inventé : les tests des vrais bordereaux (FILTRE, IMAGES…) vérifient des faits réels ;
celui-ci vérifie le déroulé du lecteur lui-même — l'ordre des règles de rejet, les champs des gabarits de
message, ce qu'écrit chaque sorte de variable — indépendamment de tout fichier de la DREES.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

from graphe.sources.base import Contexte, InfoEtablissement, SourceIllisible
from graphe.sources.sae.bordereau import Bordereau, Brute, Choix, Drapeau, Effectif, Equipement
from graphe.sources.sae.commun import Ignorer
from ontologie import espaces
from ontologie.espaces import BO

SITES = ("010000024", "010000032", "010005239", "010780203")

TABLE = Bordereau(
    source="sae-essai-2023",
    fichier="sae/ESSAI_2023r.csv",
    annee="2023",
    titre="SAE 2023 — essai",
    note="Table d'essai.",
    variables=(
        Drapeau("RTH", "radiotherapie", "Radiothérapie déclarée"),
        Effectif("EVAL", "geriatrie", "Évaluations : {nombre} (SAE {annee}, variable {variable})"),
        Brute("CODE", "Code {valeur} ({variable}, SAE {annee})"),
    ),
    si_vide="rien de renseigné dans {variables} (FINESS {finess})",
    si_illisible="valeur non lisible : {fautives} (FINESS {finess})",
    autres_colonnes=("STATUT",),
    ignorer=Ignorer(lambda ligne: ligne["STATUT"].strip() != "DECLA", "pré-remplissage"),
)


@pytest.fixture
def contexte() -> Contexte:
    ctx = Contexte(date(2026, 4, 1))
    for fi in SITES:
        ctx.etablissements[fi] = InfoEtablissement(fi, f"Site {fi}", "010780054", "01053", "BOURG", "101")
    return ctx


def _ecrire(dossier: Path, *lignes: str, fichier: str = "sae/ESSAI_2023r.csv") -> Path:
    chemin = dossier / fichier
    chemin.parent.mkdir(parents=True, exist_ok=True)
    chemin.write_bytes("\n".join(lignes).encode("latin-1") + b"\n")
    return dossier


def test_faits_et_rejets_dans_l_ordre_du_deroule(tmp_path: Path, contexte: Contexte) -> None:
    donnees = _ecrire(
        tmp_path,
        "FI;AN;STATUT;RTH;EVAL;CODE",
        "010000024;2023;DECLA;1;12;A",  # 2 : gardée, trois faits
        "010000024;2023;INIT;1;12;A",  # 3 : ignorée (hors périmètre, pas un doublon)
        "010000032;2023;DECLA;;;",  # 4 : tout vide
        "010005239;2023;DECLA;2;x;B",  # 5 : deux valeurs illisibles
        "010780203;2023;DECLA;0;0;",  # 6 : gardée, rien à écrire
        "010000024;2023;DECLA;1;12;A",  # 7 : doublon (contrôle commun)
    )
    lecture = TABLE.lire(donnees, contexte)
    r, g = lecture.rapport, lecture.graphe
    assert r.equilibre() and (r.lues, r.gardees) == (5, 2)
    assert [(x.ligne, x.raison) for x in r.rejets] == [
        (4, "rien de renseigné dans RTH, EVAL, CODE (FINESS 010000032)"),
        (5, "valeur non lisible : RTH='2', EVAL='x' (FINESS 010005239)"),
        (7, "ligne en double : même clé 010000024 que la ligne 2"),
    ]
    assert [(x.ligne, x.raison) for x in r.avertissements] == [(0, "1 lignes ignorées (pré-remplissage)")]

    rth = espaces.preuve("activite-declaree", "sae-essai-2023", "010000024", "RTH")
    assert (rth, RDF.type, BO.ActiviteDeclaree) in g and (rth, RDF.type, BO.Preuve) in g
    assert str(g.value(rth, RDFS.label)) == "Radiothérapie déclarée à la SAE 2023 (variable RTH = 1)"
    assert (rth, BO.sensInfere, None) not in g
    evaluation = espaces.preuve("activite-declaree", "sae-essai-2023", "010000024", "EVAL")
    assert str(g.value(evaluation, RDFS.label)) == "Évaluations : 12 (SAE 2023, variable EVAL)"
    assert (evaluation, BO.besoin, espaces.concept("besoin", "geriatrie")) in g
    code = espaces.preuve("valeur-enquete", "sae-essai-2023", "010000024", "CODE")
    assert (code, RDF.type, BO.ValeurEnquete) in g and (code, RDF.type, BO.Preuve) not in g
    assert str(g.value(code, RDFS.label)) == "Code A (CODE, SAE 2023)"
    # 0 et 0 : ni activité ni valeur ; vide : pas de valeur brute.
    assert not set(g.subjects(BO.etablissement, espaces.etablissement("010780203")))
    assert lecture.description.nom == "sae-essai-2023" and lecture.description.fichiers == [TABLE.fichier]


def test_choix_equipement_obligatoire_et_champ_cle(tmp_path: Path, contexte: Contexte) -> None:
    table = Bordereau(
        source="sae-essai-2023",
        fichier="sae/ESSAI_2023r.csv",
        annee="2023",
        titre="essai",
        note="essai",
        variables=(
            Choix("NIVEAU", ("Centre",), "douleur", "DOULEUR_STRUCTURE", BO.typeStructure, "{valeur} ({annee})"),
            Equipement("NB", colonne_type="TYPE", besoins={"IRM": "irm"}, inferes=frozenset(), libelles={}),
        ),
        cle=("TYPE",),
        si_vide="TYPE vide (FINESS {finess})",
        colonnes_vides=("TYPE",),
        si_illisible="illisible : {valeur!r} (FINESS {finess}, {cle})",
        si_absent="NB vide (FINESS {finess}, {cle})",
    )
    donnees = _ecrire(
        tmp_path,
        "FI;AN;TYPE;NIVEAU;NB",
        "010000024;2023;IRM;Centre;2",  # 2 : équipement déclaré (preuve)
        "010000024;2023;RADIO;Centre;1",  # 3 : type sans besoin → valeur brute
        "010000032;2023;;Centre;1",  # 4 : TYPE vide
        "010005239;2023;IRM;Autre;1",  # 5 : choix hors liste
        "010780203;2023;IRM;Centre;",  # 6 : NB vide (variable obligatoire)
        "010000022;2023;IRM;Centre;1",  # 7 : site absent de la SAE ID
    )
    lecture = table.lire(donnees, contexte)
    r, g = lecture.rapport, lecture.graphe
    assert r.equilibre() and r.gardees == 2
    assert [(x.ligne, x.raison) for x in r.rejets] == [
        (4, "TYPE vide (FINESS 010000032)"),
        (5, "illisible : 'Autre' (FINESS 010005239, IRM)"),
        (6, "NB vide (FINESS 010780203, IRM)"),
        (7, "site absent de la SAE ID 2023 (FINESS 010000022)"),
    ]
    irm = espaces.preuve("equipement-declare", "sae-essai-2023", "010000024", "IRM")
    assert (irm, BO.nombre, Literal(2)) in g
    assert str(g.value(irm, RDFS.label)) == "IRM : 2 appareils déclarés à la SAE 2023 (TYPE = IRM)"
    radio = espaces.preuve("valeur-enquete", "sae-essai-2023", "010000024", "NB_RADIO")
    assert (radio, BO.typeEquipement, espaces.concept("equipement", "RADIO")) in g
    niveau = espaces.preuve("activite-declaree", "sae-essai-2023", "010000024", "NIVEAU")
    assert (niveau, BO.typeStructure, Literal("Centre")) in g
    assert (niveau, BO.activite, espaces.concept("activite-sae", "DOULEUR_STRUCTURE")) in g


def test_besoin_inconnu_refuse(tmp_path: Path, contexte: Contexte) -> None:
    """Un besoin absent de ontologie/besoins.py casserait la recherche par besoin : la table est fausse."""
    table = Bordereau("s", "sae/ESSAI_2023r.csv", "2023", "t", "n", (Drapeau("X", "inconnu", "X déclaré"),))
    donnees = _ecrire(tmp_path, "FI;AN;X", "010000024;2023;1")
    with pytest.raises(KeyError, match="besoin inconnu"):
        table.lire(donnees, contexte)


def test_colonne_manquante_ou_fichier_absent(tmp_path: Path, contexte: Contexte) -> None:
    with pytest.raises(SourceIllisible, match="fichier introuvable"):
        TABLE.lire(tmp_path, contexte)
    donnees = _ecrire(tmp_path, "FI;AN;RTH;EVAL;CODE", "010000024;2023;1;1;A")
    with pytest.raises(SourceIllisible, match="colonnes manquantes dans l'en-tête : STATUT"):
        TABLE.lire(donnees, contexte)
