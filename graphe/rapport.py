"""Le rapport de construction : ``rapport.json`` pour les machines, ``rapport.txt`` pour les gens.

Il répond aux questions qu'un réseau régional se pose après chaque mise à jour : combien de sites, de quelles
sources, combien de lignes rejetées et pourquoi, quels noms des listes curées n'ont pas trouvé leur FINESS,
quelle précision de géolocalisation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from graphe.instantane import solutions
from graphe.sources.base import Lecture
from graphe.validation import ResultatValidation
from ontologie.espaces import BO, entete_sparql

#: Nombre de rejets détaillés par source dans le résumé lisible (le JSON les garde tous).
REJETS_AFFICHES = 5


def _compter(store: ox.Store, requete: str) -> dict[str, int]:
    resultats = solutions(store, entete_sparql() + requete)
    return {str(s[0].value): int(s[1].value) for s in resultats}


def comptes_par_classe(store: ox.Store) -> dict[str, int]:
    return _compter(
        store,
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(STRSTARTS(STR(?c), STR(bo:))) } GROUP BY ?c",
    )


def comptes_par_source(store: ox.Store) -> dict[str, int]:
    return _compter(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")


def precision_geo(store: ox.Store) -> dict[str, int]:
    """Combien de sites ont un point vérifié, un point de commune, ou aucun point."""
    comptes = _compter(
        store,
        """SELECT ?precision (COUNT(?e) AS ?n) WHERE {
             ?e a bo:Etablissement .
             OPTIONAL { ?e bo:precisionGeo ?p }
             BIND(COALESCE(?p, "aucune") AS ?precision)
           } GROUP BY ?precision""",
    )
    return comptes


def ecrire_rapport(
    dossier: Path,
    store: ox.Store,
    identifiant: str,
    duree_s: float,
    lectures: list[Lecture],
    validation: ResultatValidation,
) -> dict:
    """Écrit rapport.json et rapport.txt dans ``dossier`` ; rend le dictionnaire du rapport."""
    classes = {k.removeprefix(str(BO)): v for k, v in sorted(comptes_par_classe(store).items())}
    rapport = {
        "identifiant": identifiant,
        "duree_s": round(duree_s, 1),
        "comptes_par_classe": classes,
        "triplets_par_source": comptes_par_source(store),
        "geolocalisation": precision_geo(store),
        "sources": [lec.rapport.en_dict() | {"source": lec.description.nom} for lec in lectures],
        "non_apparies": sorted({n for lec in lectures for n in lec.rapport.non_apparies}),
        "validation": validation.en_dict(),
    }
    (dossier / "rapport.json").write_text(json.dumps(rapport, ensure_ascii=False, indent=2), encoding="utf-8")
    (dossier / "rapport.txt").write_text(resume(rapport), encoding="utf-8")
    return rapport


def resume(rapport: dict) -> str:
    """Le résumé en français, affiché en fin de construction."""
    lignes = [f"Instantané {rapport['identifiant']} construit en {rapport['duree_s']} s", ""]
    lignes.append("Entités par classe :")
    lignes += [f"  {classe:<28} {n:>8}" for classe, n in rapport["comptes_par_classe"].items()]
    lignes += ["", "Sources (lues / gardées / rejetées) :"]
    for s in rapport["sources"]:
        lignes.append(f"  {s['source']:<34} {s['lues']:>7} / {s['gardees']:>7} / {s['rejetees']:>5}")
        lignes += [f"      rejet {r['fichier']}:{r['ligne']} : {r['raison']}" for r in s["rejets"][:REJETS_AFFICHES]]
        if s["rejetees"] > REJETS_AFFICHES:
            lignes.append(f"      … et {s['rejetees'] - REJETS_AFFICHES} autres (voir rapport.json)")
    geo = rapport["geolocalisation"]
    lignes += ["", "Géolocalisation des sites : " + ", ".join(f"{k} {v}" for k, v in sorted(geo.items()))]
    nap = rapport["non_apparies"]
    lignes += ["", f"Noms des listes curées sans FINESS trouvé : {len(nap)}"]
    lignes += [f"  - {n}" for n in nap]
    v = rapport["validation"]
    lignes += ["", "Validation SHACL : " + ("conforme" if v["conforme"] else f"{v['nombre_violations']} violations")]
    return "\n".join(lignes) + "\n"
