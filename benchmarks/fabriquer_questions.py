"""Fabrique benchmarks/questions_boussole.jsonl : des questions de plus, avec des attendus calculés sur le graphe.

Régénérer (après une reconstruction de l'instantané) :

    python benchmarks/fabriquer_questions.py [--instantane DIR] [--sortie FICHIER]

Les attendus sont calculés **sans le moteur de recherche**, par SPARQL sur le store de l'instantané, avec la
règle du jeu de développement (``../shared/eval/README.md``) :

- orientation (un besoin près d'un lieu) : les 3 sites (FINESS géographique) les plus proches du point de la
  commune (``schema:latitude`` / ``schema:longitude`` de ``id/commune/<insee>``) parmi ceux qui ont une preuve
  du besoin (un nœud avec ``bo:etablissement`` ou ``org:member`` = le site et ``bo:besoin concept/besoin/<b>``,
  autorisation inactive exclue) ; pour un enfant, il faut aussi une preuve de ``pediatrie`` ; distance
  orthodromique (haversine, rayon 6371 km) ;
- établissement nommé : le FINESS vérifié à la main dans ``donnees/sae/ID_2023r.csv`` (et présent dans le graphe) ;
- second avis pour un cancer rare : les centres (rôle coordonnateur, expert ou référence, avec un FINESS) des
  réseaux nationaux dont ``bo:localisation`` couvre la tumeur, moins les sites à exclure (l'équipe nommée, ou
  les sites du réseau dans la commune où le patient est suivi).

Chaque question est imprimée avec les noms et distances des attendus, pour relecture humaine.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import pyoxigraph as ox

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from graphe.instantane import chemin_courant  # noqa: E402
from ontologie.espaces import commune, concept, entete_sparql  # noqa: E402

NB_ATTENDUS = 3
#: Besoins de soins de support (comme recherche/classer/contraintes.py) : cités ensemble, ils sont des alternatives.
SOUTIENS = {"soins_support", "douleur", "palliatif"}
ROLES_EXPERTS = ("coordonnateur", "expert", "reference")

# (id, question, besoin, INSEE du lieu, besoins supplémentaires exigés des attendus)
ORIENTATION: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    # pédiatrie : le besoin ET une preuve de prise en charge pédiatrique
    ("b01", "enfant de 8 ans, chimiothérapie, près de Lille", "chimiotherapie", "59350", ("pediatrie",)),
    ("b02", "radiothérapie pour un enfant de 12 ans, on habite Toulouse", "radiotherapie", "31555", ("pediatrie",)),
    ("b03", "chirurgie d'une tumeur chez un garçon de 6 ans, Nancy", "chirurgie", "54395", ("pediatrie",)),
    # oncogénétique, fertilité, soins de support
    ("b04", "consultation d'oncogénétique BRCA près de Paris", "oncogenetique", "75056", ()),
    ("b05", "Consultation d'oncogénétique la plus proche de Gap pour une suspicion BRCA", "oncogenetique", "05061", ()),
    ("b06", "préservation de la fertilité avant chimiothérapie, Besançon", "fertilite", "25056", ()),
    ("b07", "préservation de la fertilité près de Clermont-Ferrand", "fertilite", "63113", ()),
    ("b08", "conservation des ovocytes avant un traitement du cancer à Tours", "fertilite", "37261", ()),
    ("b09", "soins de support près de Villejuif", "soins_support", "94076", ()),
    ("b10", "Soins de support près de Rodez : douleur, soins palliatifs", "douleur", "12202", ("palliatif",)),
    ("b11", "consultation douleur cancer à Rodez", "douleur", "12202", ()),
    ("b12", "soins palliatifs Quimper", "palliatif", "29232", ()),
    ("b13", "équipe mobile de soins palliatifs à Perpignan", "palliatif", "66136", ()),
    # gériatrie
    (
        "b14",
        "Patient de 82 ans, cancer colorectal : où faire une évaluation gériatrique près de Limoges ?",
        "geriatrie",
        "87085",
        (),
    ),
    ("b15", "oncogériatrie à Dijon pour une patiente de 90 ans", "geriatrie", "21231", ()),
    ("b16", "évaluation gériatrique d'un patient de 85 ans à Brest", "geriatrie", "29019", ()),
    # TEP
    ("b17", "TEP scan Montpellier", "tep", "34172", ()),
    ("b18", "pet-scan près de Caen", "tep", "14118", ()),
    ("b19", "où passer un TEP à Ajaccio ?", "tep", "2A004", ()),
    # codes postaux, départements
    ("b20", "radiothérapie 87000", "radiotherapie", "87085", ()),
    ("b21", "rayons dans le 37, vers Tours", "radiotherapie", "37261", ()),
    ("b22", "chimiothérapie 33000", "chimiotherapie", "33063", ()),
    # fautes, sans accents, abréviations
    ("b23", "radiotérapie près de Quimpr", "radiotherapie", "29232", ()),
    ("b24", "chimiotherapie a Orleans", "chimiotherapie", "45234", ()),
    ("b25", "chirurgie du cancer a Angers", "chirurgie", "49007", ()),
    ("b26", "radiothérapie près de St-Étienne", "radiotherapie", "42218", ()),
    ("b27", "soins palliatifs a St Etienne", "palliatif", "42218", ()),
    # territoires peu dotés : le plus proche est loin
    ("b37", "radiothérapie près de Mende", "radiotherapie", "48095", ()),
    ("b38", "chimio vers Aurillac", "chimiotherapie", "15014", ()),
    # autres villes, autres tournures (ajoutées pour généraliser, pas pour coller au jeu de développement)
    ("b39", "séances de rayons à Saint-Brieuc", "radiotherapie", "22278", ()),
    ("b40", "où faire une radiothérapie autour de La Rochelle ?", "radiotherapie", "17300", ()),
    ("b41", "radiothérapie au Mans", "radiotherapie", "72181", ()),
    ("b42", "centre de radiothérapie proche de Colmar", "radiotherapie", "68066", ()),
    ("b43", "radiotherapie bayonne", "radiotherapie", "64102", ()),
    ("b44", "hôpital de jour de chimiothérapie à Périgueux", "chimiotherapie", "24322", ()),
    ("b45", "chimio à Laval", "chimiotherapie", "53130", ()),
    ("b46", "chimiothérapie près de Chambéry", "chimiotherapie", "73065", ()),
    ("b47", "traitement par chimiothérapie vers Troyes", "chimiotherapie", "10387", ()),
    ("b48", "se faire opérer d'un cancer à Amiens", "chirurgie", "80021", ()),
    ("b49", "chirurgie carcinologique près de Rouen", "chirurgie", "76540", ()),
    ("b50", "chirurgie d'un cancer autour de Nîmes", "chirurgie", "30189", ()),
    ("b51", "soins palliatifs près d'Avignon", "palliatif", "84007", ()),
    ("b52", "unité de soins palliatifs à Toulon", "palliatif", "83137", ()),
    ("b53", "équipe mobile de soins palliatifs Bourges", "palliatif", "18033", ()),
    ("b54", "centre antidouleur à Blois", "douleur", "41018", ()),
    ("b55", "douleur chronique cancer Tarbes", "douleur", "65440", ()),
    ("b56", "consultation de la douleur près de Lorient", "douleur", "56121", ()),
    ("b57", "évaluation gériatrique pour une patiente de 88 ans à Lens", "geriatrie", "62498", ()),
    ("b58", "oncogériatrie Valenciennes, patient de 79 ans", "geriatrie", "59606", ()),
    ("b59", "patient de 91 ans, cancer de la prostate, équipe mobile gériatrique, Épinal", "geriatrie", "88160", ()),
    ("b60", "TEP-scan près de Belfort", "tep", "90010", ()),
    ("b61", "tomographie par émission de positons à Mulhouse", "tep", "68224", ()),
    ("b62", "petscan Nice", "tep", "06088", ()),
    ("b63", "radiothérapie à Fort-de-France", "radiotherapie", "97209", ()),
    ("b64", "chimiothérapie à Bastia", "chimiotherapie", "2B033", ()),
    ("b65", "rayons pour un cancer du sein près d'Auxerre", "radiotherapie", "89024", ()),
    ("b66", "chimio pour une ado de 15 ans à Amiens", "chimiotherapie", "80021", ("pediatrie",)),
    ("b67", "soins palliatifs autour de Brive-la-Gaillarde", "palliatif", "19031", ()),
    ("b68", "TEP scan dans le secteur de Montauban", "tep", "82121", ()),
]

# (id, question, FINESS vérifiés dans donnees/sae/ID_2023r.csv)
ETABLISSEMENTS: list[tuple[str, str, list[str]]] = [
    ("b28", "Institut Bergonié", ["330000662"]),  # INSTITUT BERGONIE, cat. 131, BORDEAUX
    ("b29", "Institut Curie", ["750160012", "920000460"]),  # CLCC INSTITUT CURIE (Paris 5e) ; RENE HUGUENIN (St-Cloud)
    ("b30", "IUCT Oncopole", ["310782347", "310025333"]),  # ONCOPOLE CLAUDIUS REGAUD ; ONCOPOLE CHU TOULOUSE
    ("b31", "centre oscar lambret", ["590000188"]),  # CLCC OSCAR LAMBRET LILLE
    ("b32", "Institut Paoli-Calmettes", ["130001647"]),  # INSTITUT PAOLI CALMETTES, MARSEILLE 9E
    ("b69", "IGR", ["940000664"]),  # sigle : INSTITUT GUSTAVE ROUSSY, VILLEJUIF
    ("b70", "CHU de Bordeaux", ["330781360"]),  # GROUPE HOSPITALIER PELLEGRIN - CHU, site principal
    ("b71", "HEGP", ["750803447"]),  # HU PARIS OUEST SITE G POMPIDOU APHP
    ("b72", "clinique pasteur toulouse", ["310780259"]),  # CL PASTEUR TOULOUSE (homonymes ailleurs)
]

# (id, question, localisations couvertes par le réseau, FINESS exclus, INSEE de la commune de l'équipe en charge)
SECONDS_AVIS: list[tuple[str, str, tuple[str, ...], list[str], str | None]] = [
    ("b33", "second avis sarcome, patiente suivie au Centre Léon Bérard", ("sarcome",), ["690000880"], None),
    ("b34", "second avis pour un mésothéliome péritonéal", ("mesotheliome",), [], None),
    ("b35", "deuxième avis tumeur rare de l'ovaire, patiente suivie à Caen", ("ovaire",), [], "14118"),
    ("b36", "second avis cancer ORL rare, patient suivi à Lille", ("orl",), [], "59350"),
    # l'équipe en charge est elle-même centre coordonnateur du réseau : les autres centres sont proposés
    ("b73", "second avis sarcome, suivi à l'Institut Bergonié", ("sarcome",), ["330000662"], None),
    ("b74", "second avis sarcome, patiente suivie au CLB", ("sarcome",), ["690000880", "690044649"], None),
]


def requete(store: ox.Store, texte: str) -> list:
    return list(store.query(entete_sparql() + texte, use_default_graph_as_union=True))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def sites_avec_preuve(store: ox.Store, besoin: str) -> dict[str, tuple[str, float, float]]:
    """FINESS → (nom, lat, lon) des sites géolocalisés qui ont une preuve active de ``besoin``."""
    lignes = requete(
        store,
        f"""SELECT ?finess (SAMPLE(?n) AS ?nom) (SAMPLE(?la) AS ?lat) (SAMPLE(?lo) AS ?lon) WHERE {{
  ?p bo:besoin <{concept("besoin", besoin)}> .
  {{ ?p bo:etablissement ?e }} UNION {{ ?p org:member ?e }}
  FILTER NOT EXISTS {{ ?p bo:etat "inactive" }}
  ?e bo:finess ?finess ; schema:latitude ?la ; schema:longitude ?lo .
  OPTIONAL {{ ?e schema:name ?n }}
}} GROUP BY ?finess""",
    )
    return {
        s["finess"].value: (s["nom"].value if s["nom"] else "?", float(s["lat"].value), float(s["lon"].value))
        for s in lignes
    }


def point_commune(store: ox.Store, insee: str) -> tuple[str, float, float]:
    lignes = requete(
        store,
        f"""SELECT ?nom ?lat ?lon WHERE {{
  <{commune(insee)}> schema:name ?nom ; schema:latitude ?lat ; schema:longitude ?lon . }} LIMIT 1""",
    )
    if not lignes:
        raise SystemExit(f"commune {insee} sans point dans le graphe")
    s = lignes[0]
    return s["nom"].value, float(s["lat"].value), float(s["lon"].value)


def centres_experts(store: ox.Store, localisations: tuple[str, ...]) -> dict[str, tuple[str, str | None]]:
    """FINESS → (nom, INSEE de la commune) des centres experts des réseaux qui couvrent ``localisations``."""
    valeurs = " ".join(f"<{concept('localisation', loc)}>" for loc in localisations)
    roles = " ".join(f"<{concept('role', r)}>" for r in ROLES_EXPERTS)
    lignes = requete(
        store,
        f"""SELECT DISTINCT ?finess ?nom ?com WHERE {{
  VALUES ?loc {{ {valeurs} }}
  VALUES ?role {{ {roles} }}
  ?r a bo:ReseauCancersRares ; bo:localisation ?loc .
  ?p org:organization ?r ; org:member ?e ; org:role ?role ; bo:besoin <{concept("besoin", "cancer_rare")}> .
  ?e bo:finess ?finess .
  OPTIONAL {{ ?e schema:name ?nom }}
  OPTIONAL {{ ?e bo:commune ?com }}
}}""",
    )
    return {
        s["finess"].value: (
            s["nom"].value if s["nom"] else "?",
            s["com"].value.rsplit("/", 1)[-1] if s["com"] else None,
        )
        for s in lignes
    }


def noms_finess(store: ox.Store, finess: list[str]) -> dict[str, str]:
    valeurs = " ".join(json.dumps(f) for f in finess)
    lignes = requete(store, f"SELECT ?f ?n WHERE {{ VALUES ?f {{ {valeurs} }} ?e bo:finess ?f ; schema:name ?n }}")
    return {s["f"].value: s["n"].value for s in lignes}


def fabriquer(store: ox.Store) -> list[dict]:
    questions: list[dict] = []
    cache: dict[str, dict] = {}

    def preuves(besoin: str) -> dict:
        if besoin not in cache:
            cache[besoin] = sites_avec_preuve(store, besoin)
        return cache[besoin]

    for ident, texte, besoin, insee, en_plus in ORIENTATION:
        nom_commune, lat, lon = point_commune(store, insee)
        candidats = dict(preuves(besoin))
        for autre in en_plus:
            candidats = {f: v for f, v in candidats.items() if f in preuves(autre)}
        classes = sorted(candidats, key=lambda f: (haversine_km(lat, lon, candidats[f][1], candidats[f][2]), f))
        attendus = classes[:NB_ATTENDUS]
        print(f"{ident} « {texte} » ({besoin}{'+' + '+'.join(en_plus) if en_plus else ''}, {nom_commune} {insee})")
        for f in attendus:
            print(f"    {f} {candidats[f][0]} — {haversine_km(lat, lon, candidats[f][1], candidats[f][2]):.1f} km")
        questions.append(
            {
                "id": ident,
                "question": texte,
                "type": "orientation",
                "besoin": besoin,
                "lieu": insee,
                "attendus": attendus,
                # des soins de support cités ensemble sont des alternatives : la preuve de l'un suffit
                "contrainte": [besoin, *en_plus] if en_plus and {besoin, *en_plus} <= SOUTIENS else besoin,
            }
        )

    for ident, texte, attendus in ETABLISSEMENTS:
        noms = noms_finess(store, attendus)
        manquants = [f for f in attendus if f not in noms]
        if manquants:
            raise SystemExit(f"{ident} : FINESS absents du graphe : {manquants}")
        print(f"{ident} « {texte} » : " + " ; ".join(f"{f} {noms[f]}" for f in attendus))
        questions.append({"id": ident, "question": texte, "type": "etablissement", "attendus": attendus})

    for ident, texte, localisations, exclure, insee_suivi in SECONDS_AVIS:
        centres = centres_experts(store, localisations)
        exclus = set(exclure) | {f for f, (_, com) in centres.items() if insee_suivi and com == insee_suivi}
        attendus = sorted(f for f in centres if f not in exclus)
        print(f"{ident} « {texte} » ({'/'.join(localisations)}) ; exclus : {sorted(exclus) or '—'}")
        for f in attendus:
            print(f"    {f} {centres[f][0]}")
        q = {"id": ident, "question": texte, "type": "second_avis", "besoin": "cancer_rare", "attendus": attendus}
        if exclus:
            q["exclure"] = sorted(exclus)
        questions.append(q)
    return questions


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--instantane", type=Path, default=RACINE / "instantane", help="dossier des instantanés")
    p.add_argument("--sortie", type=Path, default=RACINE / "benchmarks" / "questions_boussole.jsonl")
    args = p.parse_args()
    store = ox.Store.read_only(str(chemin_courant(args.instantane) / "store"))
    questions = fabriquer(store)
    args.sortie.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
    print(f"{len(questions)} questions écrites dans {args.sortie}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
