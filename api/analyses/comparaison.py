"""Ce qui a changé entre deux instantanés, ou entre les enquêtes SAE 2022 et 2023 d'un même instantané.

Pourquoi par SPARQL sur chaque base plutôt qu'en relisant les sources : un réseau qui corrige une ligne curée veut
voir ce que le *graphe* en a fait (le site apparié, la preuve gagnée), pas ce que le fichier dit ; et deux
instantanés construits sur des sources différentes se comparent sans garder les anciens fichiers. Un site est un
FINESS d'établissement géographique ; ses besoins sont ceux que ses preuves établissent, avec leur niveau
(autorisation, activité déclarée, liste curée), comptés comme dans ``requetes/sites_par_besoin_et_region.rq``.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from api.analyses.indicateurs import calculer, selection
from api.analyses.tableaux import ecrire_lignes
from graphe.geodesie import distance_km
from graphe.instantane import InstantaneAbsent, ouvrir_chemin

#: Au-delà, un site a bougé : les points Eurostat et les points de commune varient de quelques centaines de mètres
#: d'une édition à l'autre sans que le site ait déménagé.
SEUIL_DEPLACEMENT_KM = 1.0

FICHIER = "changements.csv"
COLONNES = ["finess", "nom", "changement", "besoin", "avant", "apres"]
#: Les sortes de changement, dans l'ordre du résumé.
SORTES = (
    "apparu",
    "disparu",
    "déplacé",
    "besoin gagné",
    "besoin perdu",
    "preuve changée",
    "appareils changés",
)

REQUETE_SITES = """
SELECT ?finess ?nom ?commune ?lat ?lon WHERE {
  ?e a bo:Etablissement ; bo:finess ?finess .
  OPTIONAL { ?e schema:name ?nom }
  OPTIONAL { ?e bo:commune/bo:code ?commune }
  OPTIONAL { ?e schema:latitude ?lat ; schema:longitude ?lon }
}"""

#: Les mêmes règles que le catalogue : ni autorisation inactive, ni déclaration contredite par l'édition suivante.
REQUETE_BESOINS = """
SELECT DISTINCT ?finess ?besoin ?niveau WHERE {
  ?preuve bo:besoin ?concept ; bo:niveauPreuve ?niveau .
  { ?preuve bo:etablissement ?site } UNION { ?preuve org:member ?site }
  ?site a bo:Etablissement ; bo:finess ?finess .
  FILTER NOT EXISTS { ?preuve bo:etat "inactive" }
  FILTER NOT EXISTS { ?preuve bo:contreditePar ?recente }
  BIND(STRAFTER(STR(?concept), "/concept/besoin/") AS ?besoin)
}"""


@dataclass(frozen=True)
class Site:
    """Ce qu'un instantané dit d'un site : de quoi voir qu'il a bougé, et ses besoins avec leurs niveaux."""

    nom: str
    commune: str
    point: tuple[float, float] | None
    besoins: dict[str, frozenset[str]]  # besoin → niveaux de preuve

    def lieu(self) -> str:
        point = f" ({self.point[0]:.5f}, {self.point[1]:.5f})" if self.point else ""
        return f"commune {self.commune or '?'}{point}"


def lire_sites(store: ox.Store) -> dict[str, Site]:
    """FINESS → site, pour un instantané."""
    niveaux: dict[str, dict[str, set[str]]] = {}
    for ligne in selection(store, REQUETE_BESOINS):
        niveaux.setdefault(ligne["finess"], {}).setdefault(ligne["besoin"], set()).add(ligne["niveau"])
    sites: dict[str, Site] = {}
    for ligne in selection(store, REQUETE_SITES):
        if ligne["finess"] in sites:
            continue
        point = (float(ligne["lat"]), float(ligne["lon"])) if ligne["lat"] and ligne["lon"] else None
        besoins = {b: frozenset(n) for b, n in niveaux.get(ligne["finess"], {}).items()}
        sites[ligne["finess"]] = Site(ligne["nom"], ligne["commune"], point, besoins)
    return sites


def _niveaux(n: frozenset[str]) -> str:
    return " | ".join(sorted(n))


def _changement(finess: str, site: Site, sorte: str, besoin: str = "", avant: str = "", apres: str = "") -> dict:
    return {"finess": finess, "nom": site.nom, "changement": sorte, "besoin": besoin, "avant": avant, "apres": apres}


def comparer_sites(ancien: dict[str, Site], nouveau: dict[str, Site]) -> list[dict[str, str]]:
    """Les changements, une ligne par site et changement (colonnes ``COLONNES``), triées par FINESS.

    Un site apparu ou disparu tient en une ligne : ses besoins ne sont pas répétés en « gagné » ou « perdu ».
    """
    lignes: list[dict[str, str]] = []
    for finess in sorted(ancien.keys() - nouveau.keys()):
        lignes.append(_changement(finess, ancien[finess], "disparu", avant=ancien[finess].lieu()))
    for finess in sorted(nouveau.keys() - ancien.keys()):
        lignes.append(_changement(finess, nouveau[finess], "apparu", apres=nouveau[finess].lieu()))
    for finess in sorted(ancien.keys() & nouveau.keys()):
        a, n = ancien[finess], nouveau[finess]
        ecart = distance_km(*a.point, *n.point) if a.point and n.point else 0.0
        if a.commune != n.commune or ecart > SEUIL_DEPLACEMENT_KM or (a.point is None) != (n.point is None):
            lignes.append(_changement(finess, n, "déplacé", avant=a.lieu(), apres=n.lieu()))
        for besoin in sorted(a.besoins.keys() | n.besoins.keys()):
            avant, apres = a.besoins.get(besoin, frozenset()), n.besoins.get(besoin, frozenset())
            if avant == apres:
                continue
            sorte = "besoin gagné" if not avant else "besoin perdu" if not apres else "preuve changée"
            lignes.append(_changement(finess, n, sorte, besoin, _niveaux(avant), _niveaux(apres)))
    lignes.sort(key=lambda ligne: (ligne["finess"], SORTES.index(ligne["changement"]), ligne["besoin"]))
    return lignes


def comparer_instantanes(ancien: ox.Store, nouveau: ox.Store) -> list[dict[str, str]]:
    """Les changements entre deux bases d'instantanés (voir ``comparer_sites``)."""
    return comparer_sites(lire_sites(ancien), lire_sites(nouveau))


#: Le changement de ``requetes/evolutions_enquetes_2022_2023.rq`` → (sorte, avant, après).
_EVOLUTION = {"gagné": "besoin gagné", "perdu": "besoin perdu", "appareils": "appareils changés"}


def comparer_enquetes(store: ox.Store) -> list[dict[str, str]]:
    """Les changements entre les SAE CANCERO 2022 et 2023 d'une base : la requête du catalogue, mise en colonnes.

    « avant » / « après » : le niveau de preuve déclaré en 2022 / 2023 (vide : non déclaré), ou le nombre
    d'appareils de radiothérapie.
    """
    lignes = []
    for ligne in calculer(store, "evolutions_enquetes_2022_2023").lignes:
        sorte = _EVOLUTION[ligne["changement"]]
        if sorte == "appareils changés":
            avant, apres = ligne["appareils_2022"], ligne["appareils_2023"]
        else:
            avant, apres = ("activite_declaree", "") if sorte == "besoin perdu" else ("", "activite_declaree")
        lignes.append(
            {
                "finess": ligne["finess"],
                "nom": ligne["nom"],
                "changement": sorte,
                "besoin": ligne["besoin"],
                "avant": avant,
                "apres": apres,
            }
        )
    return lignes


def resume(lignes: list[dict[str, str]], titre: str, exemples: int = 3) -> str:
    """Le résumé lisible : le nombre de changements de chaque sorte, et quelques exemples."""
    compte = Counter(ligne["changement"] for ligne in lignes)
    sortie = [f"{titre} : {len(lignes)} changements" + ("." if lignes else " (rien n'a changé).")]
    for sorte in SORTES:
        if not compte[sorte]:
            continue
        sortie.append(f"- {sorte} : {compte[sorte]}")
        for ligne in [lg for lg in lignes if lg["changement"] == sorte][:exemples]:
            detail = " ".join(x for x in (ligne["besoin"], _fleche(ligne["avant"], ligne["apres"])) if x)
            sortie.append(f"    {ligne['finess']} {ligne['nom']}" + (f" — {detail}" if detail else ""))
    return "\n".join(sortie)


def _fleche(avant: str, apres: str) -> str:
    if not avant and not apres:
        return ""
    return f"{avant or '(rien)'} → {apres or '(rien)'}"


def commande(instantanes: list[Path], enquetes: bool, defaut: Path, sortie: Path | None) -> int:
    """``boussole comparer`` : imprime le résumé, écrit ``changements.csv`` ; 1 si un instantané manque."""
    attendus = (0, 1) if enquetes else (2,)
    if len(instantanes) not in attendus:
        usage = "--enquetes [INSTANTANE]" if enquetes else "ANCIEN NOUVEAU"
        print(f"boussole : usage : boussole comparer {usage}", file=sys.stderr)
        return 1
    try:
        ouverts = [ouvrir_chemin(p) for p in instantanes or [defaut]]
    except (InstantaneAbsent, OSError) as e:
        print(f"boussole : instantané illisible : {e}", file=sys.stderr)
        return 1
    if enquetes:
        lignes = comparer_enquetes(ouverts[0].store)
        titre = f"SAE CANCERO 2022 → 2023 (instantané {ouverts[0].identifiant})"
    else:
        lignes = comparer_instantanes(ouverts[0].store, ouverts[1].store)
        titre = f"Instantané {ouverts[0].identifiant} → {ouverts[1].identifiant}"
    print(resume(lignes, titre))
    if sortie is not None:
        ecrire_lignes(COLONNES, lignes, sortie / FICHIER)
        print(f"Changements écrits : {sortie / FICHIER}")
    return 0
