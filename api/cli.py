"""La ligne de commande ``boussole`` : une fine couche sur les fonctions que l'API appelle aussi.

    boussole construire [--donnees DIR] [--instantane DIR]
    boussole sparql "REQUÊTE" [--format json|csv|tsv|xml|turtle|ntriples]
    boussole sparql --fichier requetes/NOM.rq [--format csv]
    boussole analyser [--region CODE] [--sortie DIR]
    boussole comparer ANCIEN NOUVEAU [--sortie DIR] | boussole comparer --enquetes [INSTANTANE] [--sortie DIR]
    boussole demander "QUESTION" [--json] [--limite N] [--second-avis]
    boussole evaluer FICHIER.jsonl [--sans-references] [--json SORTIE.json]
    boussole servir [--hote H] [--port P]
    boussole publier --vers URL [--utilisateur U]   (mot de passe : BOUSSOLE_PUBLIER_MOT_DE_PASSE)

Les imports lourds (modèle d'encodage, FastAPI) sont faits dans chaque commande : ``boussole sparql`` doit
répondre sans charger un modèle de langue.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from api.reglages import Reglages, reglages
from ontologie import espaces

#: Codes de sortie : 0 succès, 1 échec métier (construction refusée, question invalide), 2 usage.
ECHEC = 1


def _erreur(message: str) -> int:
    print(f"boussole : {message}", file=sys.stderr)
    return ECHEC


def cmd_construire(args: argparse.Namespace) -> int:
    from graphe.construction import ConstructionEchouee, construire
    from graphe.rapport import resume

    completer = None
    if not args.sans_index:
        from recherche.index import preparer_index

        def completer(travail: Path) -> None:
            """L'index de recherche se prépare dans le dossier de travail : publié complet, ou pas du tout."""
            preparer_index(travail, reglages().modele, progression=not args.silencieux)

    try:
        resultat = construire(
            args.donnees,
            args.instantane,
            progression=not args.silencieux,
            completer=completer,
            accepter_baisse=args.accepter_baisse,
            seuil_baisse=args.seuil_baisse,
        )
    except ConstructionEchouee as e:
        return _erreur(f"construction refusée : {e}")
    print(resume(resultat.rapport))
    print(f"Instantané publié : {resultat.dossier}")
    return 0


FORMATS_SPARQL = {
    "json": "JSON",
    "xml": "XML",
    "csv": "CSV",
    "tsv": "TSV",
}
#: Les préfixes déclarés d'office, les mêmes que ceux du point /sparql.
PREFIXES_SPARQL = {p: str(ns) for p, ns in espaces.PREFIXES.items()}
FORMATS_RDF = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "jsonld": "JSON_LD"}


def cmd_sparql(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from graphe.instantane import InstantaneAbsent, ouvrir_courant

    try:
        inst = ouvrir_courant(args.instantane)
    except InstantaneAbsent as e:
        return _erreur(str(e))
    if (args.requete is None) == (args.fichier is None):
        return _erreur("donner soit une requête, soit --fichier FICHIER.rq (pas les deux)")
    if args.fichier is not None:
        try:
            requete = args.fichier.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            return _erreur(f"fichier de requête illisible : {args.fichier} ({e})")
    else:
        requete = args.requete if args.requete != "-" else sys.stdin.read()
    try:
        # les préfixes usuels (bo:, schema:, skos:…) sont déclarés d'office, comme sur le point /sparql
        resultats = inst.store.query(requete, use_default_graph_as_union=True, prefixes=PREFIXES_SPARQL)
    except SyntaxError as e:
        return _erreur(f"requête SPARQL invalide : {e}")
    except OSError as e:
        return _erreur(f"requête refusée : {e}")
    sortie = sys.stdout.buffer
    if isinstance(resultats, ox.QueryTriples):
        fmt = FORMATS_RDF.get(args.format, "TURTLE")
        sortie.write(resultats.serialize(format=getattr(ox.RdfFormat, fmt)) or b"")
    else:
        if args.format in FORMATS_RDF:
            return _erreur("le format turtle/ntriples ne vaut que pour CONSTRUCT et DESCRIBE")
        fmt = getattr(ox.QueryResultsFormat, FORMATS_SPARQL[args.format])
        sortie.write(resultats.serialize(format=fmt) or b"")
    sortie.write(b"\n")
    return 0


def cmd_analyser(args: argparse.Namespace) -> int:
    from api.analyses.rapport import RegionInconnue, produire
    from api.sparql.externe import source_sparql
    from graphe.instantane import InstantaneAbsent, ouvrir_courant

    try:
        inst = ouvrir_courant(args.instantane)
    except InstantaneAbsent as e:
        return _erreur(str(e))
    sortie = args.sortie or Path("analyses" if args.region is None else f"analyses-region-{args.region}")
    try:
        rapport = produire(
            source_sparql(reglages().sparql_externe, inst),
            inst.identifiant,
            inst.date_construction,
            reglages().donnees,
            sortie,
            args.region,
            progression=not args.silencieux,
        )
    except RegionInconnue as e:
        return _erreur(str(e))
    print(f"Rapport écrit : {rapport.page} ({len(rapport.fichiers)} fichiers : page, CSV, cartes SVG et PNG)")
    return 0


def cmd_comparer(args: argparse.Namespace) -> int:
    from api.analyses import comparaison

    return comparaison.commande(args.instantanes, args.enquetes, args.instantane, args.sortie)


def cmd_demander(args: argparse.Namespace) -> int:
    from recherche.moteur import QuestionInvalide, moteur_courant

    try:
        moteur = moteur_courant(args.instantane, reglages().modele)
        demander = moteur.second_avis if args.second_avis else moteur.demander
        reponse = demander(args.question, limite=args.limite)
    except QuestionInvalide as e:
        return _erreur(str(e))
    if args.json:
        print(json.dumps(reponse.en_dict(), ensure_ascii=False, indent=2))
    else:
        print(reponse.en_texte())
    return 0


def cmd_evaluer(args: argparse.Namespace) -> int:
    from recherche.evaluation import evaluer_fichier

    return evaluer_fichier(
        args.fichier,
        args.instantane,
        avec_references=not args.sans_references,
        sortie_json=args.json,
        modele=reglages().modele,
    )


def cmd_publier(args: argparse.Namespace) -> int:
    import os

    from api.sparql.publication import PublicationEchouee, publier
    from graphe.instantane import InstantaneAbsent, ouvrir_courant

    try:
        inst = ouvrir_courant(args.instantane)
        bilan = publier(inst, args.vers, args.utilisateur, os.environ.get("BOUSSOLE_PUBLIER_MOT_DE_PASSE"), print)
    except (InstantaneAbsent, PublicationEchouee) as e:
        return _erreur(str(e))
    print(f"Instantané {inst.identifiant} publié vers {args.vers} : {bilan.graphes} graphes, {bilan.triplets} triplets "
          f"en {bilan.duree_s:.1f} s")
    return 0


def cmd_servir(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import creer_app

    # --instantane l'emporte sur BOUSSOLE_INSTANTANE (il était ignoré : le service ouvrait le dossier par défaut)
    r = reglages().model_copy(update={"instantane": args.instantane})
    uvicorn.run(creer_app(r), host=args.hote, port=args.port, log_config=None, **options_uvicorn(r))
    return 0


def options_uvicorn(r: Reglages) -> dict:
    """Les bornes réseau de uvicorn, tirées des réglages (voir README, « Ce que le serveur borne »).

    * X-Forwarded-For n'est cru que des mandataires déclarés (``BOUSSOLE_MANDATAIRES``) : par défaut uvicorn le
      croit de 127.0.0.1, et un client local qui change d'adresse à chaque requête échappait au quota ;
    * ``timeout_keep_alive`` : une connexion gardée ouverte (keep-alive) sans nouvel octet est fermée après
      ``entetes_delai_s`` ;
    * ``limit_concurrency`` : au-delà de ``connexions_max`` connexions tenues, uvicorn répond 503 tout de suite ;
    * ``h11_max_incomplete_event_size`` : des en-têtes de plus de 64 Kio sont refusés ;
    * ``http`` : le protocole h11 de uvicorn, avec un délai des en-têtes (``entetes_delai_s``) compté de
      l'ouverture de la connexion (ou de la réponse précédente) à la fin des en-têtes de la requête suivante.
    """
    from api.service.connexions import protocole_http

    return {
        "proxy_headers": bool(r.mandataires),
        "forwarded_allow_ips": ",".join(r.mandataires) if r.mandataires else "",
        "timeout_keep_alive": r.entetes_delai_s,
        "limit_concurrency": r.connexions_max,
        "h11_max_incomplete_event_size": 64 * 1024,
        # h11 avec un vrai délai d'en-têtes (uvicorn n'en a pas) : voir api/service/connexions.py
        "http": protocole_http(r.entetes_delai_s),
    }


def analyseur() -> argparse.ArgumentParser:
    r = reglages()
    p = argparse.ArgumentParser(prog="boussole", description="Boussole : l'offre de soins en cancérologie.")
    commun = argparse.ArgumentParser(add_help=False)
    commun.add_argument("--instantane", type=Path, default=r.instantane, help="dossier des instantanés")
    sous = p.add_subparsers(dest="commande", required=True, metavar="COMMANDE")

    c = sous.add_parser("construire", parents=[commun], help="construire et publier l'instantané national")
    c.add_argument("--donnees", type=Path, default=r.donnees, help="dossier des sources (défaut : donnees/)")
    c.add_argument("--silencieux", action="store_true", help="sans barre de progression")
    c.add_argument("--sans-index", action="store_true", help="ne pas préparer les index de recherche")
    c.add_argument(
        "--accepter-baisse",
        action="store_true",
        help="publier malgré une baisse de comptes au-delà du seuil (écrit dans la provenance)",
    )
    c.add_argument(
        "--seuil-baisse",
        type=float,
        default=0.03,
        help="baisse relative d'un compte au-delà de laquelle la garde refuse (défaut : 0.03)",
    )
    c.set_defaults(fonction=cmd_construire)

    s = sous.add_parser("sparql", parents=[commun], help="interroger l'instantané courant en SPARQL (lecture seule)")
    s.add_argument("requete", nargs="?", help="la requête, ou - pour la lire sur l'entrée standard")
    s.add_argument("--fichier", type=Path, default=None, help="lire la requête dans ce fichier (ex. requetes/….rq)")
    s.add_argument("--format", choices=[*FORMATS_SPARQL, *FORMATS_RDF], default="json")
    s.set_defaults(fonction=cmd_sparql)

    a = sous.add_parser("analyser", parents=[commun], help="écrire le rapport d'analyse (HTML, CSV, cartes)")
    a.add_argument("--region", default=None, help="code INSEE d'une région (défaut : France entière)")
    a.add_argument("--sortie", type=Path, default=None, help="dossier du rapport (défaut : ./analyses)")
    a.add_argument("--silencieux", action="store_true", help="sans barre de progression")
    a.set_defaults(fonction=cmd_analyser)

    m = sous.add_parser("comparer", parents=[commun], help="ce qui a changé entre deux instantanés (CSV + résumé)")
    m.add_argument("instantanes", nargs="*", type=Path, metavar="ANCIEN NOUVEAU", help="dossiers d'instantanés")
    m.add_argument(
        "--enquetes", action="store_true", help="comparer les SAE 2022 et 2023 d'un instantané (défaut : --instantane)"
    )
    m.add_argument("--sortie", type=Path, default=None, help="écrire DIR/changements.csv")
    m.set_defaults(fonction=cmd_comparer)

    d = sous.add_parser("demander", parents=[commun], help="poser une question d'orientation en français")
    d.add_argument("question")
    d.add_argument("--json", action="store_true", help="réponse en JSON")
    d.add_argument("--limite", type=int, default=5, help="nombre de résultats (1 à 50)")
    d.add_argument(
        "--second-avis", action="store_true", help="lire la question comme une demande de second avis (/second-avis)"
    )
    d.set_defaults(fonction=cmd_demander)

    e = sous.add_parser("evaluer", parents=[commun], help="mesurer la recherche sur un jeu de questions JSONL")
    e.add_argument("fichier", type=Path)
    e.add_argument(
        "--sans-references", action="store_true", help="sans les références (bm25 seul, dense seul) ni les ablations"
    )
    e.add_argument("--json", type=Path, default=None, help="écrire aussi le détail des mesures dans ce fichier JSON")
    e.set_defaults(fonction=cmd_evaluer)

    v = sous.add_parser("servir", parents=[commun], help="lancer le service web (API, SPARQL, pages)")
    v.add_argument("--hote", default="127.0.0.1")
    v.add_argument("--port", type=int, default=8000)
    v.set_defaults(fonction=cmd_servir)

    u = sous.add_parser("publier", parents=[commun], help="charger l'instantané courant dans un moteur SPARQL externe")
    u.add_argument("--vers", required=True, help="adresse Graph Store du moteur (…/store, …/sparql-graph-crud-auth)")
    u.add_argument("--utilisateur", default=None, help="authentification digest (Virtuoso : dba)")
    u.set_defaults(fonction=cmd_publier)
    return p


def main(argv: list[str] | None = None) -> int:
    args = analyseur().parse_args(argv)
    return args.fonction(args)


if __name__ == "__main__":
    sys.exit(main())
