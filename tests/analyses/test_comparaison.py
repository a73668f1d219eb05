"""``boussole comparer`` : entre deux petits instantanés dont on a changé trois lignes sources, et entre les SAE
CANCERO 2022 et 2023 de l'instantané national (recomptées depuis les deux CSV, sans le graphe).

Les deux instantanés sont construits sur la copie réduite de ``donnees/`` (tests/graphe/donnees_petites.py) : le
second après trois retouches — un site retiré de la SAE (de toutes ses tables), un drapeau de radiothérapie passé à 1
dans la SAE FILTRE, un point Eurostat déplacé de 4,4 km. ``comparer`` doit rendre ces trois changements, et eux seuls.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from api.analyses.comparaison import comparer_enquetes, comparer_instantanes
from api.cli import main
from graphe.construction import construire
from graphe.instantane import ouvrir_chemin, ouvrir_courant
from tests.graphe.donnees_petites import copier_donnees_petites

RETIRE = "560000184"  # Clinique des Augustines (Malestroit)
RADIOTHERAPIE = "560000291"  # CH de Belle-Île-en-Mer : aucune radiothérapie dans les sources
DEPLACE = "560000127"  # CHBA site de Vannes, point Eurostat 47.66571, -2.7486
SAE = Path(__file__).resolve().parents[2] / "donnees" / "sae"


def _reecrire(chemin: Path, debut: bytes, changer) -> None:
    """Applique ``changer`` (octets → octets, ou None pour retirer) aux lignes qui commencent par ``debut``."""
    lignes = chemin.read_bytes().splitlines(keepends=True)
    sortie = [ligne if not ligne.startswith(debut) else changer(ligne) for ligne in lignes]
    assert sortie != lignes, f"aucune ligne {debut!r} dans {chemin}"
    chemin.write_bytes(b"".join(ligne for ligne in sortie if ligne is not None))


def _rth_a_un(ligne: bytes) -> bytes:
    champs = ligne.split(b";")
    assert champs[15] == b"0"  # colonne RTH de la SAE FILTRE
    champs[15] = b"1"
    return b";".join(champs)


@pytest.fixture(scope="module")
def deux_instantanes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("comparer")
    avant = copier_donnees_petites(base / "avant")
    apres = copier_donnees_petites(base / "apres")
    for fichier in (apres / "sae").glob("*.csv"):  # le site quitte la SAE : toutes ses lignes, toutes tables
        lignes = fichier.read_bytes().splitlines(keepends=True)
        fichier.write_bytes(b"".join(ligne for ligne in lignes if ligne.split(b";")[2:3] != [RETIRE.encode()]))
    _reecrire(apres / "sae" / "FILTRE_2023r.csv", f"FILTRE;2023;{RADIOTHERAPIE};".encode(), _rth_a_un)
    _reecrire(
        apres / "geoloc" / "eurostat_healthcare_services_FR.csv",
        f"{DEPLACE},".encode(),
        lambda ligne: ligne.replace(b",47.66571,", b",47.70571,"),
    )
    racines = (base / "instantane-avant", base / "instantane-apres")
    for donnees, racine in zip((avant, apres), racines, strict=True):
        construire(donnees, racine, progression=False)
    return racines


def test_comparer_rend_exactement_les_trois_changements(deux_instantanes: tuple[Path, Path]) -> None:
    avant, apres = (ouvrir_courant(r).store for r in deux_instantanes)
    changements = comparer_instantanes(avant, apres)
    resume = {(c["finess"], c["changement"], c["besoin"]) for c in changements}
    assert resume == {
        (RETIRE, "disparu", ""),
        (RADIOTHERAPIE, "besoin gagné", "radiotherapie"),
        (DEPLACE, "déplacé", ""),
    }, changements
    par_site = {c["finess"]: c for c in changements}
    assert par_site[RADIOTHERAPIE]["avant"] == "" and par_site[RADIOTHERAPIE]["apres"] == "activite_declaree"
    assert "47.66571" in par_site[DEPLACE]["avant"] and "47.70571" in par_site[DEPLACE]["apres"]
    assert "CLINIQUE DES AUGUSTINES" in par_site[RETIRE]["nom"]
    # dans l'autre sens, les mêmes changements retournés
    inverse = {(c["finess"], c["changement"]) for c in comparer_instantanes(apres, avant)}
    assert inverse == {(RETIRE, "apparu"), (RADIOTHERAPIE, "besoin perdu"), (DEPLACE, "déplacé")}


def test_commande_comparer_ecrit_le_csv_et_le_resume(
    deux_instantanes: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    avant, apres = deux_instantanes
    # ANCIEN donné par son dossier d'instantané (ce que devient l'instantané précédent), NOUVEAU par sa racine
    dossier_avant = ouvrir_courant(avant).chemin
    assert main(["comparer", str(dossier_avant), str(apres), "--sortie", str(tmp_path)]) == 0
    sortie = capsys.readouterr().out
    assert "3 changements" in sortie and "- disparu : 1" in sortie and "- besoin gagné : 1" in sortie
    with (tmp_path / "changements.csv").open(encoding="utf-8", newline="") as f:
        lignes = list(csv.DictReader(f))
    assert list(lignes[0]) == ["finess", "nom", "changement", "besoin", "avant", "apres"] and len(lignes) == 3
    assert main(["comparer", str(apres)]) == 1  # un seul instantané sans --enquetes : usage
    assert main(["comparer", str(tmp_path / "absent"), str(apres)]) == 1
    assert ouvrir_chemin(dossier_avant).identifiant == ouvrir_courant(avant).identifiant


def _cancero(annee: int) -> dict[str, dict[str, str]]:
    with (SAE / f"CANCERO_{annee}r.csv").open(encoding="latin-1", newline="") as f:
        return {r["FI"]: r for r in csv.DictReader(f, delimiter=";")}


def evolutions_depuis_les_csv() -> set[tuple[str, str, str, str, str]]:
    """(FINESS, changement, besoin, avant, après) recalculés des deux CSV CANCERO et de la SAE ID 2023.

    Règle (celle de la requête, refaite à la main) : un site absent de la SAE ID 2023 n'est pas compté ; « perdu » :
    déclaré à 1 en 2022, le site a répondu en 2023 sans le déclarer ; « gagné » : l'inverse ; appareils : A12 rempli
    les deux années et différent.
    """
    with (SAE / "ID_2023r.csv").open(encoding="latin-1", newline="") as f:
        connus = {r["fi"] for r in csv.DictReader(f, delimiter=";")}
    c22, c23 = _cancero(2022), _cancero(2023)
    attendu = set()
    for fi in (c22.keys() & c23.keys()) & connus:
        for variable, besoin in (("CANCERO_A1", "chimiotherapie"), ("CANCERO_A2", "radiotherapie")):
            avant, apres = c22[fi][variable] == "1", c23[fi][variable] == "1"
            if avant and not apres:
                attendu.add((fi, "besoin perdu", besoin, "activite_declaree", ""))
            if apres and not avant:
                attendu.add((fi, "besoin gagné", besoin, "", "activite_declaree"))
        a22, a23 = c22[fi]["CANCERO_A12"].strip(), c23[fi]["CANCERO_A12"].strip()
        if a22 and a23 and int(float(a22)) != int(float(a23)):
            attendu.add((fi, "appareils changés", "radiotherapie", str(int(float(a22))), str(int(float(a23)))))
    return attendu


def _sans_trace_en_2022(finess: str) -> bool:
    """La ligne 2022 du site ne laisse aucun nœud dans le graphe : ni activité à 1, ni appareils, ni partenaire."""
    ligne = _cancero(2022)[finess]
    gardees = ("CANCERO_A12", "CANCERO_A8", "CANCERO_B8", "CANCERO_C8")
    return "1" not in (ligne["CANCERO_A1"], ligne["CANCERO_A2"]) and not any(ligne[v].strip() for v in gardees)


def test_comparer_enquetes_egale_le_calcul_depuis_les_csv(racine_nationale: Path) -> None:
    lignes = comparer_enquetes(ouvrir_courant(racine_nationale).store)
    vu = {(c["finess"], c["changement"], c["besoin"], c["avant"], c["apres"]) for c in lignes}
    assert len(vu) == len(lignes)
    attendu = evolutions_depuis_les_csv()
    assert attendu and vu <= attendu, sorted(vu - attendu)[:5]
    # Limite connue de requetes/evolutions_enquetes_2022_2023.rq : « a répondu en 2022 » s'y lit comme « a un nœud
    # dans le graphe 2022 » ; un site qui a répondu 2022 tout à 0 n'en a pas, et son gain 2023 n'est pas compté.
    manquants = attendu - vu
    assert all(m[1] == "besoin gagné" and _sans_trace_en_2022(m[0]) for m in manquants), sorted(manquants)


def test_commande_comparer_enquetes(racine_nationale: Path, tmp_path: Path, capsys) -> None:
    assert main(["comparer", "--enquetes", "--instantane", str(racine_nationale), "--sortie", str(tmp_path)]) == 0
    sortie = capsys.readouterr().out
    assert "SAE CANCERO 2022 → 2023" in sortie and "- appareils changés :" in sortie
    assert (tmp_path / "changements.csv").read_text(encoding="utf-8").startswith("finess,nom,changement,")
