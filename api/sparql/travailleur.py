"""Le processus travailleur : ouvre l'instantané en lecture seule et exécute les requêtes une à une.

Pourquoi un processus et pas un fil : une requête Oxigraph lancée ne s'interrompt pas de l'extérieur (le code
Rust ne rend pas la main). Seul un processus peut être réellement arrêté (SIGKILL) au délai, sans laisser un
cœur tourner pour rien. Le processus garde son store ouvert entre deux requêtes pour rester rapide.

Protections prises au démarrage, avant d'ouvrir le store :

* plafond de mémoire virtuelle (``RLIMIT_AS``) : un produit cartésien trié ne peut pas prendre la machine ;
  au-delà, l'allocation échoue et le processus meurt seul (le parent le remplace) ;
* isolement réseau (nouvel espace de noms réseau, sans interface) quand le noyau le permet : même si la garde
  laissait passer un ``SERVICE``, Oxigraph n'aurait aucune route vers un autre serveur.

Ce module n'importe rien de l'application web : il est chargé seul par ``multiprocessing`` (méthode spawn).
"""

from __future__ import annotations

import ctypes
import os
import re
import resource
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox

from api.service.erreurs import RequeteRefusee
from api.sparql import serialisation
from api.sparql.externe import PointExterne
from api.sparql.garde import Analyse, ErreurSyntaxe, verifier_fonctions_portables, verifier_structure

#: Ce que le travailleur interroge : l'instantané ouvert en lecture seule, ou un moteur SPARQL externe.
Source = ox.Store | PointExterne

#: Avance de l'échéance d'une requête externe sur le délai du parent (s).
MARGE_ECHEANCE_S = 0.1
PILE_ANALYSE = 256 * 1024 * 1024  # l'analyseur SPARQL de rdflib est récursif
LIMITE_RECURSION = 60_000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


@dataclass(frozen=True)
class ConfigTravailleur:
    """Ce que le parent transmet au travailleur (doit rester sérialisable par pickle)."""

    chemin_store: str
    memoire_mo: int
    prefixes: dict[str, str]
    isoler_reseau: bool = True
    #: L'adresse d'un moteur SPARQL externe (``BOUSSOLE_SPARQL_EXTERNE``) : les requêtes y sont envoyées au lieu
    #: d'être exécutées sur ``chemin_store`` ; tout le reste (garde, délai, plafonds, écriture) est le même.
    externe: str | None = None
    #: Les graphes nommés de l'instantané (le jeu de données d'une requête sans FROM, sur le moteur externe).
    graphes: tuple[str, ...] = ()
    #: Le délai d'une requête (le moteur externe est interrogé dans ce temps).
    delai_s: float = 10.0


@dataclass(frozen=True)
class Tache:
    """Une requête à exécuter, déjà passée par la garde lexicale."""

    texte: str
    format: str  # json, xml, csv, tsv | turtle, ntriples, jsonld, rdfxml
    lignes_max: int
    graphes_defaut: tuple[str, ...] | None = None  # default-graph-uri du protocole
    graphes_nommes: tuple[str, ...] | None = None  # named-graph-uri du protocole
    #: Plafond du corps en octets (sparql_octets_max) ; le document coupé reste valide.
    octets_max: int = serialisation.SANS_PLAFOND
    #: Le fichier où écrire le corps, en flux (choisi par la réserve) : le corps ne passe jamais par le tuyau.
    sortie: str = ""


# --- Ce que le travailleur répond au parent (sérialisé par pickle dans le tuyau) ---------------------------


@dataclass(frozen=True)
class Pret:
    """Le travailleur a ouvert l'instantané et attend ses requêtes."""

    pid: int
    reseau_isole: bool


@dataclass(frozen=True)
class EchecDemarrage:
    """Le travailleur n'a pas pu démarrer (instantané illisible…) ; il s'arrête."""

    message: str


@dataclass(frozen=True)
class Reussite:
    """La requête est exécutée, son corps écrit dans ``Tache.sortie`` ; ``motif`` : le plafond qui l'a coupé."""

    lignes: int
    octets: int
    motif: str | None = None


@dataclass(frozen=True)
class Refus:
    """La requête est refusée (syntaxe, garde structurelle…) : ``statut`` est le code HTTP à rendre."""

    statut: int
    message: str


@dataclass(frozen=True)
class MemoireDepassee:
    """Le plafond de mémoire a été atteint pendant la requête."""


@dataclass(frozen=True)
class Panne:
    """Une erreur inattendue pendant la requête (rapportée au journal ; le travailleur continue)."""

    message: str


def isoler_reseau() -> bool:
    """Passe le processus dans un espace de noms réseau vide (ni interface ni route). Vrai si réussi."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) == 0:
        return True
    # Sans privilège : un espace de noms utilisateur d'abord, où l'on garde son propre uid.
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
        return False
    try:
        with open("/proc/self/setgroups", "w") as f:
            f.write("deny")
        with open("/proc/self/uid_map", "w") as f:
            f.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as f:
            f.write(f"{gid} {gid} 1")
    except OSError:
        pass
    return True


def limiter_memoire(memoire_mo: int) -> None:
    if memoire_mo > 0:
        octets = memoire_mo * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (octets, octets))


def _message_oxigraph(texte: str) -> str | None:
    """Le message de l'analyseur d'Oxigraph (plus précis que celui de rdflib), sur un store vide en mémoire.

    Appelé seulement après la garde lexicale (pas de SERVICE, pas de mise à jour) ; le résultat éventuel
    n'est jamais lu.
    """
    try:
        ox.Store().query(texte)
    except SyntaxError as erreur:
        return _message_syntaxe(erreur)
    except Exception:  # noqa: BLE001 - seul le message de syntaxe nous intéresse
        return None
    return None


def _message_syntaxe(erreur: SyntaxError) -> str:
    """Le message d'Oxigraph en français, avec sa ligne et sa colonne."""
    m = re.match(r"error at (\d+):(\d+): (.*)", str(erreur), re.DOTALL)
    if m:
        return f"erreur de syntaxe SPARQL, ligne {m[1]}, colonne {m[2]} : {m[3]}"
    return f"erreur de syntaxe SPARQL : {erreur}"


#: Analyses acceptées gardées par le travailleur (texte → Analyse) : l'analyse de rdflib coûte 5 à 20 ms, plus
#: que bien des requêtes ; un tableau de bord ou une page d'exemples rejoue les mêmes textes. Un refus n'est
#: jamais gardé (il est recalculé, avec son message).
ANALYSES_GARDEES = 256
_analyses: OrderedDict[str, Analyse] = OrderedDict()


def verifier_motifs(texte: str, motifs: list[tuple[str, str | None]]) -> None:
    """400 pour un motif constant de REGEX / REPLACE qu'Oxigraph refuse (« ( », drapeau « z »…).

    Pourquoi : SPARQL fait d'une expression rationnelle invalide une *erreur d'évaluation*, et un FILTER en
    erreur est faux : la requête rendait 200 avec zéro ligne, en silence. On demande au moteur lui-même (même
    dialecte que l'exécution) d'évaluer le motif sur une chaîne vide : une liaison absente dit qu'il le refuse.
    """
    for motif, drapeaux in motifs:
        arguments = str(ox.Literal(motif)) + ("" if drapeaux is None else ", " + str(ox.Literal(drapeaux)))
        resultat = ox.Store().query(f'SELECT (REGEX("", {arguments}) AS ?r) {{}}')
        assert isinstance(resultat, ox.QuerySolutions)
        if next(iter(resultat))["r"] is None:
            indice = max(texte.find('"' + motif), texte.find("'" + motif), 0)
            ligne = texte.count("\n", 0, indice) + 1
            colonne = indice - (texte.rfind("\n", 0, indice) + 1) + 1
            suite = f" avec les drapeaux « {drapeaux} »" if drapeaux else ""
            raise RequeteRefusee(
                f"erreur de syntaxe SPARQL, ligne {ligne}, colonne {colonne} : expression rationnelle invalide "
                f"« {motif} »{suite}"
            )


def analyser(texte: str, prefixes: dict[str, str]) -> Analyse:
    """La garde structurelle, avec le cache des analyses acceptées (les préfixes sont fixes par travailleur)."""
    connue = _analyses.get(texte)
    if connue is not None:
        _analyses.move_to_end(texte)
        return connue
    analyse = _analyser_dans_un_fil(texte, prefixes)
    verifier_motifs(texte, analyse.motifs)
    _analyses[texte] = analyse
    if len(_analyses) > ANALYSES_GARDEES:
        _analyses.popitem(last=False)
    return analyse


def _analyser_dans_un_fil(texte: str, prefixes: dict[str, str]) -> Analyse:
    """La garde structurelle dans un fil à grande pile (l'analyseur de rdflib est récursif).

    Les objets d'Oxigraph, eux, restent dans le fil principal : pyoxigraph refuse qu'un résultat soit libéré
    dans un autre fil que celui qui l'a créé.
    """
    sortie: list = []

    def fil() -> None:
        try:
            sortie.append(verifier_structure(texte, prefixes))
        except BaseException as erreur:  # noqa: BLE001 - relancée dans le fil principal
            sortie.append(erreur)

    f = threading.Thread(target=fil, name="sparql-analyse")
    f.start()
    f.join()
    if isinstance(sortie[0], BaseException):
        raise sortie[0]
    return sortie[0]


def executer(store: Source, tache: Tache, prefixes: dict[str, str]) -> Reussite:
    """Analyse structurelle, exécution, sérialisation plafonnée.

    :param store: l'instantané ouvert en lecture seule, ou le moteur externe qui le porte.
    :param tache: la requête, déjà passée par la garde lexicale.
    :param prefixes: les préfixes déclarés d'office.
    :returns: les métadonnées du corps écrit dans ``tache.sortie`` (lignes, octets, motif d'une coupure).
    :raises RequeteRefusee: syntaxe invalide, SERVICE, FROM hors instantané…
    """
    try:
        analyse = analyser(tache.texte, prefixes)
    except ErreurSyntaxe as erreur:
        raise RequeteRefusee(_message_oxigraph(tache.texte) or erreur.message) from None
    if isinstance(store, PointExterne):
        verifier_portable(tache.texte, analyse, prefixes)
    options: dict = {"prefixes": prefixes}
    if tache.graphes_defaut is not None or tache.graphes_nommes is not None:
        # Le protocole remplace le jeu de données de la requête (SPARQL 1.1 Protocol §2.1.4).
        options["default_graph"] = [ox.NamedNode(g) for g in tache.graphes_defaut or ()]
        options["named_graphs"] = [ox.NamedNode(g) for g in tache.graphes_nommes or ()]
    elif not analyse.a_jeu_de_donnees:
        # Sans FROM : le graphe par défaut est l'union des graphes nommés (le store n'a pas de graphe par
        # défaut propre, chaque fait vit dans le graphe de sa source).
        options["use_default_graph_as_union"] = True
    try:
        resultat = store.query(tache.texte, **options)
        if isinstance(resultat, ox.QueryBoolean):
            with open(tache.sortie, "wb") as sortie:
                bilan = serialisation.ecrire_booleen(resultat, tache.format, sortie)
        elif isinstance(resultat, ox.QuerySolutions):
            with open(tache.sortie, "wb") as sortie:
                variables = [v.value for v in resultat.variables]
                bilan = serialisation.ecrire_solutions(
                    resultat, variables, tache.format, sortie, tache.lignes_max, tache.octets_max
                )
        else:  # CONSTRUCT, DESCRIBE : ox.QueryTriples, ou les triplets relus du moteur externe
            bilan = serialisation.ecrire_graphe(
                resultat, tache.format, prefixes, Path(tache.sortie), tache.lignes_max, tache.octets_max
            )
        return Reussite(bilan.lignes, bilan.octets, bilan.motif)
    except SyntaxError as erreur:
        if isinstance(store, PointExterne):  # un résultat du moteur externe mal formé, pas la requête
            raise RequeteRefusee(f"réponse illisible du moteur SPARQL externe : {erreur}", 502) from None
        raise RequeteRefusee(
            _message_oxigraph(tache.texte) or f"requête refusée par Oxigraph : {erreur}"
        ) from None
    finally:
        if isinstance(store, PointExterne):
            store.liberer()  # plafond atteint : on cesse de lire, le moteur cesse d'écrire


def verifier_portable(texte: str, analyse: Analyse, prefixes: dict[str, str]) -> None:
    """Avant d'envoyer une requête à un moteur externe : elle doit être du SPARQL 1.1 que le store embarqué accepte.

    Pourquoi : un moteur externe comprend davantage que SPARQL 1.1 — Virtuoso prédéclare ``bif:`` et ``sql:``, des
    fonctions qui lisent des fichiers ou des adresses réseau. Le texte est donc d'abord analysé par Oxigraph (sur
    un store vide, rien n'est lu) : un préfixe non déclaré ou une extension de syntaxe est refusé (400, le message
    d'Oxigraph, le même qu'avec le store embarqué) ; puis toute fonction appelée par son IRI doit être une
    conversion ``xsd:``.
    """
    try:
        ox.Store().query(texte, prefixes=prefixes)
    except SyntaxError as erreur:
        raise RequeteRefusee(_message_syntaxe(erreur)) from None
    except Exception:  # noqa: BLE001 - seule la syntaxe compte ici ; l'évaluation sur un store vide est jetée
        pass
    verifier_fonctions_portables(analyse)


def _boucle(conn: Connection, store: Source, prefixes: dict[str, str]) -> None:
    while True:
        try:
            tache = conn.recv()
        except (EOFError, OSError):
            return  # le parent est parti
        if tache is None:
            return
        if isinstance(store, PointExterne):
            # un peu avant le parent (qui tue au délai) : le moteur externe est coupé proprement, le travailleur reste
            store.echeance = time.monotonic() + max(0.05, store.delai_s - MARGE_ECHEANCE_S)
        try:
            conn.send(executer(store, tache, prefixes))
        except RequeteRefusee as refus:
            conn.send(Refus(refus.statut, refus.message))
        except MemoryError:
            conn.send(MemoireDepassee())
        except Exception as erreur:  # noqa: BLE001 - toute panne est rapportée, le travailleur continue
            conn.send(Panne(f"{type(erreur).__name__}: {erreur}"))


def principal(conn: Connection, config: ConfigTravailleur) -> None:
    """Point d'entrée du processus (cible de ``multiprocessing.Process``)."""
    # Une allocation refusée (plafond mémoire) fait avorter Oxigraph : une ligne suffit au journal.
    os.environ["RUST_BACKTRACE"] = "0"
    try:
        reseau_isole = isoler_reseau() if config.isoler_reseau else False
        store: Source
        if config.externe:
            store = PointExterne(config.externe, config.graphes, config.delai_s)
            store.query("ASK {}")  # joignable (sinon : EchecDemarrage) ; dit aussi quel moteur répond
            store.liberer()
        else:
            # le store d'abord : RocksDB réserve son cache à l'ouverture, le plafond vaut pour les requêtes
            store = ox.Store.read_only(config.chemin_store)
        limiter_memoire(config.memoire_mo)
    except Exception as erreur:  # noqa: BLE001
        conn.send(EchecDemarrage(f"{type(erreur).__name__}: {erreur}"))
        return
    sys.setrecursionlimit(LIMITE_RECURSION)
    threading.stack_size(PILE_ANALYSE)
    analyser("ASK {}", config.prefixes)  # construit la grammaire de rdflib avant la première vraie requête
    conn.send(Pret(os.getpid(), reseau_isole))
    _boucle(conn, store, config.prefixes)
