"""Garde de publication : un instantané candidat ne remplace le courant que s'il n'a rien perdu.

Pourquoi : rejeter une ligne malformée est juste, mais publier un instantané qui a perdu la moitié du pays ou
une source entière est une perte de données silencieuse (un ``ID_2023r.csv`` coupé à la ligne 1 980, un
fichier d'autorisations absent, une source réduite à son en-tête : toutes ces constructions sortaient en 0).
La garde compare le rapport du candidat à celui de l'instantané courant — comptes par classe, triplets par
source (graphe nommé), lignes gardées par source — et refuse une source vide ou disparue, ou une baisse
au-delà du seuil, sauf si l'opérateur l'accepte explicitement (``--accepter-baisse``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

#: Baisse relative tolérée d'un compte avant refus (3 %) : les mises à jour ordinaires bougent de moins.
SEUIL_BAISSE = 0.03


@dataclass
class Verdict:
    """Ce que la garde a trouvé : les motifs de refus bloquants et les baisses (acceptables par l'opérateur)."""

    bloquants: list[str] = field(default_factory=list)
    baisses: list[str] = field(default_factory=list)

    def refuse(self, accepter_baisse: bool) -> bool:
        return bool(self.bloquants) or (bool(self.baisses) and not accepter_baisse)

    def texte(self) -> str:
        lignes = [f"- {m}" for m in self.bloquants] + [f"- baisse : {m}" for m in self.baisses]
        return "\n".join(lignes)


def _baisses(nom: str, avant: dict[str, int], apres: dict[str, int], seuil: float) -> list[str]:
    """Les clés dont le compte a baissé de plus de ``seuil`` (une clé disparue compte pour 0)."""
    sortie = []
    for cle, n_avant in sorted(avant.items()):
        n_apres = apres.get(cle, 0)
        if n_avant > 0 and (n_avant - n_apres) / n_avant > seuil:
            sortie.append(f"{nom} {cle} : {n_avant} → {n_apres} ({(n_apres - n_avant) / n_avant:+.1%})")
    return sortie


def examiner(candidat: dict, courant: dict | None, seuil: float = SEUIL_BAISSE) -> Verdict:
    """Compare le rapport du candidat à celui du courant (``None`` : premier instantané, seules les sources vides
    comptent)."""
    verdict = Verdict()
    for s in candidat["sources"]:
        if s["gardees"] == 0:
            verdict.bloquants.append(f"source vide : {s['source']} ({s['fichier']}, {s['lues']} lignes lues)")
    if courant is None:
        return verdict
    noms = {s["source"] for s in candidat["sources"]}
    for s in courant["sources"]:
        if s["source"] not in noms:
            verdict.bloquants.append(f"source absente : {s['source']} ({s['fichier']})")
    verdict.baisses += _baisses("classe", courant["comptes_par_classe"], candidat["comptes_par_classe"], seuil)
    verdict.baisses += _baisses("graphe", courant["triplets_par_source"], candidat["triplets_par_source"], seuil)
    gardees_avant = {s["source"]: s["gardees"] for s in courant["sources"]}
    gardees_apres = {s["source"]: s["gardees"] for s in candidat["sources"]}
    verdict.baisses += _baisses("lignes gardées", gardees_avant, gardees_apres, seuil)
    return verdict


def rapport_courant(racine: Path) -> dict | None:
    """Le rapport de l'instantané courant, ou ``None`` s'il n'y en a pas encore."""
    chemin = racine / "courant" / "rapport.json"
    if not chemin.is_file():
        return None
    return json.loads(chemin.read_text(encoding="utf-8"))


def garder_refus(racine: Path, identifiant: str, rapport_candidat: Path, verdict: Verdict) -> Path:
    """Garde dans ``<racine>/refus/<identifiant>/`` le rapport du candidat refusé et l'écart, pour l'opérateur
    (sans son store : il ne doit pas être servi)."""
    dossier = racine / "refus" / identifiant
    dossier.mkdir(parents=True, exist_ok=True)
    if rapport_candidat.is_file():
        (dossier / "rapport.json").write_bytes(rapport_candidat.read_bytes())
    (dossier / "ecart.txt").write_text(
        f"Publication refusée de l'instantané {identifiant} :\n{verdict.texte()}\n", encoding="utf-8"
    )
    return dossier
