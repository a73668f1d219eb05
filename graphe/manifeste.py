"""Le manifeste des données embarquées : ce que chaque fichier source doit être, vérifié à chaque construction.

Pourquoi : la garde de publication (``graphe.garde``) compare un candidat à l'instantané courant ; elle ne voit pas
un fichier qui a changé de nature sans perdre de lignes — réencodé (un latin-1 passé en UTF-8 lit « Ã© » partout),
des lignes dupliquées, une ligne coupée ou un numéro FINESS invalide de plus (rejetés par les lecteurs, mais
« une ligne de plus rejetée » n'est pas une baisse). ``donnees/MANIFESTE.json`` dit, pour chaque fichier, son
empreinte, son encodage, ses lignes en double, et pour chaque source les rejets attendus ; un écart bloque la
publication avec le fichier et la raison. Une nouvelle édition voulue se déclare en réécrivant le manifeste :

    python -m graphe.manifeste --ecrire [--donnees DIR] [--instantane DIR]

(les rejets attendus sont lus dans le rapport de l'instantané courant, construit sur ces mêmes fichiers).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

NOM = "MANIFESTE.json"


def encodage(contenu: bytes) -> str:
    """« ascii », « utf-8 » ou « latin-1 » : ce qu'un lecteur doit employer pour ce contenu."""
    try:
        contenu.decode("ascii")
        return "ascii"
    except UnicodeDecodeError:
        pass
    try:
        contenu.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "latin-1"


def decrire(chemin: Path) -> dict:
    """Empreinte, taille, encodage, lignes et lignes en double d'un fichier (décompressé s'il est en .gz)."""
    brut = chemin.read_bytes()
    contenu = gzip.decompress(brut) if chemin.suffix == ".gz" else brut
    lignes = [lg for lg in contenu.splitlines() if lg.strip()]
    # une ligne répétée n'a de sens que dans un tableau (CSV) : JSON et XML répètent leur structure
    doubles = sum(n - 1 for n in Counter(lignes).values() if n > 1) if chemin.suffix == ".csv" else 0
    return {
        "sha256": hashlib.sha256(brut).hexdigest(),
        "octets": len(brut),
        "encodage": encodage(contenu),
        "lignes": len(lignes),
        "lignes_en_double": doubles,
    }


def fichiers_sources(donnees: Path) -> list[Path]:
    """Les fichiers de données lus par la construction (les fichiers de documentation exceptés)."""
    return sorted(
        p
        for p in donnees.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".json", ".gz") and p.name != NOM and "schema" not in p.name.lower()
    )


def ecrire(donnees: Path, rapport: dict) -> Path:
    """Écrit le manifeste de ``donnees`` ; ``rapport`` (celui d'une construction sur ces fichiers) donne les rejets."""
    manifeste = {
        "fichiers": {str(p.relative_to(donnees)): decrire(p) for p in fichiers_sources(donnees)},
        "rejets_attendus": {s["source"]: s["rejetees"] for s in rapport["sources"]},
    }
    chemin = donnees / NOM
    chemin.write_text(json.dumps(manifeste, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return chemin


def ecarts(donnees: Path, rapport: dict) -> tuple[list[str], list[str]]:
    """(écarts bloquants, notes) entre les fichiers de ``donnees``, le rapport du candidat et le manifeste.

    Bloquant : un encodage changé, plus de lignes en double, plus de rejets qu'attendu (avec les premiers rejets),
    un fichier du manifeste absent. Note : une empreinte changée sans autre écart (une mise à jour ordinaire, que
    la garde juge par ses comptes), un fichier nouveau, un manifeste absent.
    """
    chemin = donnees / NOM
    if not chemin.is_file():
        return [], [f"pas de manifeste dans {donnees} : fichiers non vérifiés (python -m graphe.manifeste --ecrire)"]
    attendu = json.loads(chemin.read_text(encoding="utf-8"))
    bloquants: list[str] = []
    notes: list[str] = []
    presents = {str(p.relative_to(donnees)): p for p in fichiers_sources(donnees)}
    for nom, prevu in sorted(attendu["fichiers"].items()):
        if nom not in presents:
            bloquants.append(f"{nom} : fichier du manifeste absent")
            continue
        vu = decrire(presents[nom])
        if vu["sha256"] == prevu["sha256"]:
            continue
        if "ascii" not in (prevu["encodage"], vu["encodage"]) and vu["encodage"] != prevu["encodage"]:
            bloquants.append(f"{nom} : encodage {vu['encodage']} au lieu de {prevu['encodage']} (fichier réencodé ?)")
        if vu["lignes_en_double"] > prevu["lignes_en_double"]:
            bloquants.append(
                f"{nom} : {vu['lignes_en_double']} lignes en double au lieu de {prevu['lignes_en_double']}"
            )
        notes.append(f"{nom} : contenu changé depuis le manifeste ({prevu['lignes']} → {vu['lignes']} lignes)")
    for nom in sorted(set(presents) - set(attendu["fichiers"])):
        notes.append(f"{nom} : fichier absent du manifeste")
    for s in rapport["sources"]:
        prevus = attendu["rejets_attendus"].get(s["source"])
        if prevus is not None and s["rejetees"] > prevus:
            premiers = "; ".join(f"ligne {r['ligne']} : {r['raison']}" for r in s.get("rejets", [])[:3])
            bloquants.append(
                f"{s['fichier']} : {s['rejetees']} lignes rejetées au lieu de {prevus} attendues ({premiers})"
            )
    return bloquants, notes


def main() -> None:
    """``python -m graphe.manifeste --ecrire`` : réécrit le manifeste d'après les fichiers et l'instantané courant."""
    from graphe.garde import rapport_courant

    parser = argparse.ArgumentParser(description="Manifeste des données embarquées")
    parser.add_argument("--ecrire", action="store_true", help="réécrire donnees/MANIFESTE.json")
    parser.add_argument("--donnees", type=Path, default=Path(__file__).resolve().parents[1] / "donnees")
    parser.add_argument("--instantane", type=Path, default=Path("instantane"), help="dossier des instantanés")
    args = parser.parse_args()
    rapport = rapport_courant(args.instantane)
    if rapport is None:
        raise SystemExit(f"aucun instantané courant dans {args.instantane} : lancez d'abord « boussole construire »")
    if args.ecrire:
        print(f"Manifeste écrit : {ecrire(args.donnees, rapport)}")
    else:
        bloquants, notes = ecarts(args.donnees, rapport)
        for m in bloquants + notes:
            print(f"- {m}")
        raise SystemExit(1 if bloquants else 0)


if __name__ == "__main__":
    main()
