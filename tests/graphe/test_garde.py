"""La garde de publication, sur des copies abîmées des données réduites.

Chaque cas publiait avant un nouvel instantané courant (sortie 0) : un fichier SAE ID coupé, le fichier des
autorisations FINESS retiré, une source réduite à son en-tête, une baisse de comptes. Désormais la
construction est refusée (ConstructionEchouee, sortie 1 en ligne de commande), ``courant`` reste sur l'ancien
instantané, et ``<racine>/refus/<identifiant>/`` garde le rapport et l'écart lisible. Aussi : un instantané
n'est publié qu'une fois complété (index), une construction tuée ne laisse rien, deux constructions ne
tournent pas ensemble.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from api.cli import main
from graphe import instantane as inst
from graphe.construction import ConstructionEchouee, construire


def _refuse(donnees: Path, racine: Path, attendu: str) -> str:
    """Construit, vérifie le refus et que rien n'a changé ; rend le texte de l'écart gardé."""
    avant = os.readlink(racine / inst.LIEN_COURANT)
    with pytest.raises(ConstructionEchouee) as e:
        construire(donnees, racine, progression=False, valider_shacl=False)
    assert attendu in str(e.value)
    assert os.readlink(racine / inst.LIEN_COURANT) == avant
    refus = list((racine / "refus").iterdir())
    assert len(refus) == 1
    assert (refus[0] / "rapport.json").is_file() and not (refus[0] / "store").exists()
    ecart = (refus[0] / "ecart.txt").read_text(encoding="utf-8")
    assert attendu in ecart
    assert not list(racine.glob(".en-construction-*"))
    return ecart


def _garder_lignes(chemin: Path, n: int) -> None:
    lignes = chemin.read_bytes().splitlines(keepends=True)
    chemin.write_bytes(b"".join(lignes[: n + 1]))


def test_fichier_id_coupe_refuse(copie: tuple[Path, Path]) -> None:
    donnees, racine = copie
    chemin = donnees / "sae" / "ID_2023r.csv"
    lignes = chemin.read_bytes().splitlines(keepends=True)
    moitie = len(lignes) // 2
    chemin.write_bytes(b"".join(lignes[:moitie]) + lignes[moitie][:40])  # coupé au milieu d'une ligne
    ecart = _refuse(donnees, racine, "baisse")
    assert "Etablissement" in ecart and "sae-id-2023" in ecart


def test_autorisations_finess_retirees_refuse(copie: tuple[Path, Path]) -> None:
    donnees, racine = copie
    for fichier in (donnees / "finess").glob("exemple-finess-activites-*.json"):
        fichier.unlink()
    ecart = _refuse(donnees, racine, "source vide : finess-activites")
    assert "Autorisation" in ecart


def test_source_reduite_a_son_entete_refuse(copie: tuple[Path, Path]) -> None:
    donnees, racine = copie
    _garder_lignes(donnees / "sae" / "CANCERO_2023r.csv", 0)
    _refuse(donnees, racine, "source vide : sae-cancero-2023")


def test_cancero_tronque_refuse(copie: tuple[Path, Path]) -> None:
    donnees, racine = copie
    chemin = donnees / "sae" / "CANCERO_2023r.csv"
    n = len(chemin.read_bytes().splitlines()) - 1
    _garder_lignes(chemin, n // 3)
    _refuse(donnees, racine, "sae-cancero-2023")


def test_baisse_acceptee_est_ecrite_dans_la_provenance(copie: tuple[Path, Path], capsys) -> None:
    donnees, racine = copie
    chemin = donnees / "sae" / "PALIA_2023r.csv"
    n = len(chemin.read_bytes().splitlines()) - 1
    _garder_lignes(chemin, n // 2)
    args = ["construire", "--donnees", str(donnees), "--instantane", str(racine), "--sans-index", "--silencieux"]
    avant = os.readlink(racine / inst.LIEN_COURANT)

    assert main(args) == 1
    sortie = capsys.readouterr()
    assert "publication refusée par la garde" in sortie.err and "--accepter-baisse" in sortie.err
    assert os.readlink(racine / inst.LIEN_COURANT) == avant

    assert main([*args, "--accepter-baisse"]) == 0
    courant = inst.chemin_courant(racine)
    assert courant.name != avant
    info = json.loads((courant / inst.FICHIER_INFO).read_text(encoding="utf-8"))
    assert any("sae-palia-2023" in b for b in info["baisses_acceptees"])
    ouvert = inst.ouvrir(courant)
    commentaires = [
        str(q.object.value)
        for q in ouvert.store.quads_for_pattern(None, None, None, None)
        if "Baisse acceptée" in str(getattr(q.object, "value", ""))
    ]
    assert commentaires and any("sae-palia-2023" in c for c in commentaires)


def test_completer_qui_echoue_ne_publie_rien(copie: tuple[Path, Path]) -> None:
    donnees, racine = copie
    avant = os.readlink(racine / inst.LIEN_COURANT)
    vus: list[Path] = []

    def completer(travail: Path) -> None:
        vus.append(travail)
        assert (travail / "store").is_dir() and (travail / "rapport.json").is_file()
        raise RuntimeError("encodage interrompu")

    with pytest.raises(RuntimeError):
        construire(donnees, racine, progression=False, valider_shacl=False, completer=completer)
    assert vus and vus[0].name.startswith(".en-construction-")
    assert os.readlink(racine / inst.LIEN_COURANT) == avant
    assert not list(racine.glob(".en-construction-*"))


def test_completer_voit_le_dossier_avant_la_bascule(copie: tuple[Path, Path]) -> None:
    donnees, racine = copie
    avant = os.readlink(racine / inst.LIEN_COURANT)

    def completer(travail: Path) -> None:
        assert os.readlink(racine / inst.LIEN_COURANT) == avant  # pas encore courant
        (travail / "recherche").mkdir()
        (travail / "recherche" / "index.json").write_text("{}", encoding="utf-8")

    resultat = construire(donnees, racine, progression=False, valider_shacl=False, completer=completer)
    assert inst.chemin_courant(racine) == resultat.dossier.resolve()
    assert (resultat.dossier / "recherche" / "index.json").is_file()


def test_restes_d_une_construction_tuee_effaces(copie: tuple[Path, Path], capsys) -> None:
    donnees, racine = copie
    reste = racine / ".en-construction-20260101T000000-dead"
    (reste / "store").mkdir(parents=True)
    construire(donnees, racine, progression=True, valider_shacl=False)
    assert not reste.exists()
    assert "Restes d'une construction interrompue effacés" in capsys.readouterr().out


def test_construction_concurrente_refusee(copie: tuple[Path, Path]) -> None:
    donnees, racine = copie
    avant = os.readlink(racine / inst.LIEN_COURANT)
    with (
        inst.verrou_construction(racine),
        pytest.raises(ConstructionEchouee, match="une autre construction est en cours"),
    ):
        construire(donnees, racine, progression=False, valider_shacl=False)
    assert os.readlink(racine / inst.LIEN_COURANT) == avant


# --- Manifeste des données (donnees/MANIFESTE.json) : ce que les comptes ne voient pas --------------------------


def test_fichier_latin1_reencode_en_utf8_refuse(copie: tuple[Path, Path]) -> None:
    """Même nombre de lignes, mêmes comptes : seul le manifeste voit qu'un fichier SAE a changé d'encodage."""
    donnees, racine = copie
    chemin = donnees / "sae" / "MCOGER_2023r.csv"
    texte = chemin.read_bytes().decode("latin-1")
    if texte.isascii():  # la copie réduite peut n'avoir gardé aucun accent : on en garantit un
        texte = texte.replace("\n", " é\n", 1)
    chemin.write_bytes(texte.encode("utf-8"))
    _refuse(donnees, racine, "sae/MCOGER_2023r.csv : encodage utf-8 au lieu de latin-1")


def test_lignes_dupliquees_refusees(copie: tuple[Path, Path]) -> None:
    donnees, racine = copie
    chemin = donnees / "sae" / "FILTRE_2023r.csv"
    lignes = chemin.read_bytes().splitlines(keepends=True)
    chemin.write_bytes(b"".join(lignes + lignes[1:6]))
    _refuse(donnees, racine, "sae/FILTRE_2023r.csv : 5 lignes en double au lieu de 0")


def test_numero_finess_invalide_refuse(copie: tuple[Path, Path]) -> None:
    """Une ligne de plus rejetée (FINESS invalide) que ce que le manifeste attend : refus, avec la ligne."""
    donnees, racine = copie
    chemin = donnees / "sae" / "MCOGER_2023r.csv"
    lignes = chemin.read_bytes().splitlines(keepends=True)
    champs = lignes[1].split(b";")
    champs[2] = b"12AB"
    lignes[1] = b";".join(champs)
    chemin.write_bytes(b"".join(lignes))
    ecart = _refuse(donnees, racine, "sae/MCOGER_2023r.csv : 1 lignes rejetées au lieu de 0 attendues")
    assert "ligne 2" in ecart


def test_le_manifeste_embarque_decrit_les_donnees_embarquees() -> None:
    """donnees/MANIFESTE.json est à jour : aucun fichier embarqué n'a changé sans que le manifeste le dise."""
    from graphe import manifeste

    racine = Path(__file__).parents[2] / "donnees"
    attendu = json.loads((racine / manifeste.NOM).read_text(encoding="utf-8"))
    for nom, prevu in attendu["fichiers"].items():
        assert manifeste.decrire(racine / nom)["sha256"] == prevu["sha256"], (
            f"{nom} : lancez python -m graphe.manifeste --ecrire"
        )
    assert sorted(attendu["fichiers"]) == sorted(str(p.relative_to(racine)) for p in manifeste.fichiers_sources(racine))
