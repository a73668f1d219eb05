"""Mesure honnête de la construction nationale et des requêtes d'analyste : Oxigraph contre rdflib en mémoire.

Pourquoi ce banc : le choix d'Oxigraph (store sur disque, lecture seule partagée) se justifie par la mémoire et
par le temps de réponse des requêtes qu'un analyste lance vraiment. On le mesure contre la référence simple
(un ``rdflib.Dataset`` en mémoire chargé du même instantané), dans le même processus et sur les mêmes données,
et on vérifie que les deux moteurs rendent le même nombre de lignes : un écart de vitesse entre deux réponses
différentes ne voudrait rien dire.

Méthode :

- construction : ``boussole construire --sans-index --silencieux`` dans un **sous-processus**, dans un dossier
  temporaire neuf ; durée murale et pic de mémoire résidente du sous-processus (``RUSAGE_CHILDREN.ru_maxrss``,
  mesuré avant tout autre sous-processus). Une seule construction (médiane de N = 1) : c'est un ordre de
  grandeur, pas une statistique ;
- requêtes : médiane de ``--repetitions`` exécutions (7 par défaut), résultats entièrement lus, après une
  exécution de chauffe non comptée.

Usage ::

    python benchmarks/construction.py [--instantane DIR] [--donnees DIR] [--repetitions 7]

``--instantane`` : dossier d'instantanés existant (contenant ``courant``) pour la partie requêtes ; la mesure
de construction se fait quand même dans un dossier temporaire neuf.
"""

from __future__ import annotations

import argparse
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import rdflib

RACINE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RACINE))

from graphe import instantane as inst  # noqa: E402
from ontologie.espaces import entete_sparql  # noqa: E402

#: Point de référence pour la requête de proximité : Lyon (place Bellecour), rayon 30 km.
LAT0, LON0, RAYON_KM = 45.7578, 4.8320, 30.0
KM_PAR_DEGRE = 111.2
COS_LAT0 = 0.6978  # cos(45.76°)
LAT_MIN, LAT_MAX = LAT0 - RAYON_KM / KM_PAR_DEGRE, LAT0 + RAYON_KM / KM_PAR_DEGRE
LON_MIN, LON_MAX = LON0 - RAYON_KM / (KM_PAR_DEGRE * COS_LAT0), LON0 + RAYON_KM / (KM_PAR_DEGRE * COS_LAT0)
# Calcul en xsd:double, pas en xsd:decimal : Oxigraph calcule les décimaux en virgule fixe (18 chiffres après la
# virgule) et un carré de plus de ~13 km déborde ; le FILTER est alors en erreur et la ligne disparaît sans
# message (constaté : 92 sites au lieu de 100 sur le petit instantané). rdflib, lui, calcule juste.

REQUETES: dict[str, str] = {
    "activités déclarées par besoin et région": """
SELECT ?besoin ?region (COUNT(DISTINCT ?a) AS ?n) WHERE {
  ?a a bo:ActiviteDeclaree ; bo:besoin ?besoin ; bo:etablissement ?e .
  ?e bo:commune ?c . ?c bo:region ?region .
} GROUP BY ?besoin ?region""",
    f"sites à moins de {RAYON_KM:.0f} km de Lyon": f"""
SELECT DISTINCT ?e ?nom ?d2 WHERE {{
  ?e a bo:Etablissement ; schema:name ?nom ; schema:latitude ?la ; schema:longitude ?lo .
  BIND(xsd:double(?la) AS ?lat) BIND(xsd:double(?lo) AS ?lon)
  FILTER(?lat > {LAT_MIN:.4f} && ?lat < {LAT_MAX:.4f} && ?lon > {LON_MIN:.4f} && ?lon < {LON_MAX:.4f})
  BIND((?lon - {LON0}e0) * {COS_LAT0 * KM_PAR_DEGRE:.4f}e0 AS ?dx)
  BIND((?lat - {LAT0}e0) * {KM_PAR_DEGRE}e0 AS ?dy)
  BIND(?dx * ?dx + ?dy * ?dy AS ?d2)
  FILTER(?d2 <= {RAYON_KM * RAYON_KM}e0)
}}""",
    "faits d'un site avec source et date": """
SELECT ?p ?o ?source ?date WHERE {
  GRAPH ?source { <https://w3id.org/boussole/id/etablissement/690000880> ?p ?o }
  GRAPH src:meta { ?source bo:dateDonnees ?date }
}""",
    "sites par catégorie": """
SELECT ?cat (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a bo:Etablissement ; bo:categorie ?cat } GROUP BY ?cat""",
}


def mesurer_construction(donnees: Path, dossier: Path) -> tuple[float, float, int]:
    """(durée s, pic RSS Mo, code retour) d'une construction complète, dans un sous-processus neuf, vers
    ``dossier`` (vide) ; l'instantané produit sert ensuite aux requêtes si aucun autre n'est donné."""
    avant = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    commande = [sys.executable, "-m", "api.cli", "construire", "--donnees", str(donnees)]
    commande += ["--instantane", str(dossier), "--sans-index", "--silencieux"]
    debut = time.perf_counter()
    fini = subprocess.run(commande, cwd=RACINE, capture_output=True, text=True)
    duree = time.perf_counter() - debut
    pic = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Ko sous Linux ; max sur les enfants attendus
    if fini.returncode != 0:
        print(fini.stderr, file=sys.stderr)
    if avant:
        print("(attention : un sous-processus antérieur peut fausser le pic de mémoire)", file=sys.stderr)
    return duree, pic / 1024, fini.returncode


def mediane(fonction: Callable[[], int], repetitions: int) -> tuple[float, int]:
    """Médiane (s) de ``repetitions`` appels après une chauffe ; rend aussi le nombre de lignes."""
    lignes = fonction()
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        n = fonction()
        durees.append(time.perf_counter() - debut)
        assert n == lignes, "résultat instable d'une exécution à l'autre"
    return statistics.median(durees), lignes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--donnees", type=Path, default=RACINE / "donnees")
    p.add_argument("--instantane", type=Path, default=None, help="instantanés existants pour les requêtes")
    p.add_argument("--repetitions", type=int, default=7)
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="boussole-banc-") as tmp:
        print("Construction nationale (sous-processus, dossier temporaire neuf, N = 1)…", flush=True)
        duree, pic_mo, code = mesurer_construction(args.donnees, Path(tmp))
        if code != 0:
            print(f"construction échouée (code {code})", file=sys.stderr)
            return 1
        racine = args.instantane or Path(tmp)
        instantane = inst.ouvrir_courant(racine)
        store = instantane.store
        print(f"Instantané interrogé : {instantane.chemin}", flush=True)

        debut = time.perf_counter()
        nquads = store.dump(format=ox.RdfFormat.N_QUADS)
        ds = rdflib.Dataset(default_union=True)
        ds.parse(data=nquads, format="nquads")
        chargement_rdflib = time.perf_counter() - debut
        nb_quads = len(store)

        resultats = []
        for nom, texte in REQUETES.items():
            requete = entete_sparql() + texte
            t_ox, n_ox = mediane(
                lambda r=requete: sum(1 for _ in store.query(r, use_default_graph_as_union=True)), args.repetitions
            )
            t_rdf, n_rdf = mediane(lambda r=requete: len(list(ds.query(r))), args.repetitions)
            resultats.append((nom, n_ox, n_rdf, t_ox, t_rdf))
            print(f"  … {nom} : fait", flush=True)

    print()
    print(f"Construction nationale : {duree:.1f} s, pic de mémoire {pic_mo:,.0f} Mo (N = 1, une seule mesure)")
    print(f"Instantané : {nb_quads:,} quads ; chargement rdflib (N-Quads → Dataset) {chargement_rdflib:.1f} s")
    print(f"Requêtes : médiane de {args.repetitions} exécutions après une chauffe\n")
    entete = f"{'requête':<42} {'lignes ox':>9} {'lignes rdf':>10} {'Oxigraph ms':>12} {'rdflib ms':>11}"
    entete += f" {'rdflib/ox':>9}"
    print(entete)
    print("-" * len(entete))
    identiques = True
    for nom, n_ox, n_rdf, t_ox, t_rdf in resultats:
        identiques &= n_ox == n_rdf
        ratio = t_rdf / t_ox if t_ox else float("inf")
        marque = "" if n_ox == n_rdf else "  ≠ LIGNES DIFFÉRENTES"
        print(f"{nom:<42} {n_ox:>9} {n_rdf:>10} {t_ox * 1000:>12.1f} {t_rdf * 1000:>11.1f} {ratio:>8.1f}×{marque}")
    print()
    print("Mêmes nombres de lignes pour chaque requête : " + ("oui" if identiques else "NON"))
    print("Reproduire : " + shlex.join([sys.executable, "benchmarks/construction.py", *(argv or sys.argv[1:])]))
    return 0 if identiques else 1


if __name__ == "__main__":
    sys.exit(main())
