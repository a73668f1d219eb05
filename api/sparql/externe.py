"""Un moteur SPARQL 1.1 externe (Oxigraph server, Virtuoso…) vu comme le store embarqué : ``query`` rend des termes.

Pourquoi imiter ``pyoxigraph.Store.query`` plutôt qu'écrire un autre chemin de réponse : le travailleur, les
analyses et la projection appellent ``store.query(…)`` et parcourent des solutions Oxigraph. Les résultats du
moteur externe (SPARQL JSON / XML, N-Triples) sont relus *en flux* par les analyseurs d'Oxigraph
(``parse_query_results``, ``parse``) : le même écrivain plafonné (``serialisation``) les écrit, avec les mêmes
en-têtes et les mêmes corps que pour le store embarqué, et il cesse de lire dès qu'un plafond est atteint.

Ce que ce client garantit, quel que soit le moteur :

* **un seul hôte** : il ne parle qu'à l'adresse configurée ; une redirection n'est jamais suivie (502) ;
* **le jeu de données de l'instantané** : sans FROM, la requête part avec ``default-graph-uri`` et
  ``named-graph-uri`` = les graphes nommés de l'instantané (l'union, comme ``use_default_graph_as_union`` du store
  embarqué) ; les graphes propres au moteur (``virtrdf:`` de Virtuoso) ou d'un ancien instantané restent hors de
  vue ;
* **le délai** : chaque lecture du socket attend au plus le temps qui reste avant l'échéance ; au-delà, 503 (et le
  travailleur qui l'exécute est de toute façon tué au délai). Virtuoso reçoit aussi son propre ``timeout`` (ms) :
  il cesse de calculer ; une réponse partielle de Virtuoso (« anytime », ``X-SQL-State: S1TAT``) est un 503, jamais
  un résultat montré comme complet.

La garde (mises à jour, SERVICE, FROM hors instantané) passe *avant* : ce module n'envoie que des requêtes déjà
acceptées.
"""

from __future__ import annotations

import http.client
import io
import logging
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox

from api.service.erreurs import RequeteRefusee
from graphe.instantane import Instantane
from ontologie import espaces

journal = logging.getLogger("boussole.sparql")

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Ce que l'on demande au moteur : résultats SPARQL en JSON (XML accepté), graphes en N-Triples (Turtle accepté).
ACCEPT_RESULTATS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
ACCEPT_GRAPHE = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
_FORME = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", re.IGNORECASE)
_PREFIXE_DECLARE = re.compile(r"\bPREFIX\s+([^\s:]*):", re.IGNORECASE)
#: Variable qu'emploie Virtuoso pour rendre un ASK sous forme de SELECT (une ligne : vrai, aucune : faux).
VARIABLE_ASK_VIRTUOSO = "__ASK_RETVAL"
#: Un message du moteur cité au client : tronqué (ce n'est pas à lui de verser ses pages d'erreur).
MESSAGE_MAX = 300
#: Lectures du socket par morceaux de cette taille (l'analyseur d'Oxigraph lit par petits bouts).
TAMPON = 64 * 1024


def message_delai(delai_s: float) -> str:
    """Le message du 503 au délai, le même que celui du store embarqué (``execution.DelaiDepasse``)."""
    return (
        f"délai dépassé ({delai_s:g} s) : la requête a été interrompue ; ajoutez des filtres ou une limite (LIMIT)"
    )


class DelaiExterne(RequeteRefusee):
    """Le moteur externe n'a pas répondu avant l'échéance (ou a rendu un résultat partiel) : 503."""

    def __init__(self, delai_s: float) -> None:
        super().__init__(message_delai(delai_s), 503)


class MoteurInjoignable(RuntimeError):
    """Le moteur externe ne répond pas (démarrage du service, ``boussole publier``)."""


def prefixes_manquants(texte: str, prefixes: dict[str, str]) -> str:
    """Les déclarations PREFIX des préfixes d'office que la requête ne déclare pas elle-même.

    Pourquoi : le store embarqué reçoit ces préfixes en option (``prefixes=``) ; un moteur externe ne les connaît
    pas. Les déclarer en tête ne change rien au reste du prologue (BASE et PREFIX s'y suivent dans tout ordre, et
    ces IRI sont absolues).
    """
    declares = set(_PREFIXE_DECLARE.findall(texte))
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items() if p not in declares)


class _LectureBornee(io.RawIOBase):
    """Le corps d'une réponse HTTP, lu par l'analyseur d'Oxigraph, chaque lecture bornée par l'échéance."""

    def __init__(self, reponse: http.client.HTTPResponse, sock: socket.socket | None, fin: float, delai_s: float):
        super().__init__()
        self.reponse = reponse
        self.sock = sock
        self.fin = fin
        self.delai_s = delai_s

    def readable(self) -> bool:
        return True

    def readinto(self, tampon) -> int:  # noqa: ANN001 - un memoryview fourni par io
        reste = self.fin - time.monotonic()
        if reste <= 0:
            raise DelaiExterne(self.delai_s)
        if self.sock is not None:
            self.sock.settimeout(reste)
        try:
            return self.reponse.readinto(tampon)
        except TimeoutError:
            raise DelaiExterne(self.delai_s) from None
        except (OSError, http.client.HTTPException) as erreur:
            raise RequeteRefusee(f"le moteur SPARQL externe a coupé la réponse : {erreur}", 502) from None


@dataclass(frozen=True)
class TripletsExternes:
    """Les triplets d'un CONSTRUCT / DESCRIBE du moteur externe, lus en flux (comme ``ox.QueryTriples``)."""

    quads: Iterator[ox.Quad]

    def __iter__(self) -> Iterator[ox.Triple]:
        return (q.triple for q in self.quads)


class PointExterne:
    """Un point d'accès SPARQL 1.1 (protocole, POST en formulaire) interrogé comme un ``pyoxigraph.Store``.

    :param url: l'adresse du point d'accès (``http://hote:7878/query``, ``http://hote:8890/sparql``).
    :param graphes: les graphes nommés de l'instantané (le jeu de données d'une requête sans FROM).
    :param delai_s: le temps donné à chaque requête, connexion comprise.
    """

    def __init__(self, url: str, graphes: tuple[str, ...], delai_s: float) -> None:
        morceaux = urlsplit(url)
        if morceaux.scheme not in ("http", "https") or not morceaux.hostname:
            raise ValueError(f"adresse de moteur SPARQL invalide : {url!r} (http://hote:port/chemin attendu)")
        self.url = url
        self.https = morceaux.scheme == "https"
        self.hote = morceaux.hostname
        self.port = morceaux.port or (443 if self.https else 80)
        self.chemin = (morceaux.path or "/") + (f"?{morceaux.query}" if morceaux.query else "")
        self.graphes = graphes
        self.delai_s = delai_s
        #: « virtuoso », « oxigraph » ou « autre », lu dans l'en-tête Server de la première réponse.
        self.moteur: str | None = None
        #: Instant (``time.monotonic``) où la requête en cours doit avoir fini, posé par le travailleur à la
        #: réception de la tâche ; None : ``delai_s`` à partir de l'envoi.
        self.echeance: float | None = None
        self._connexion: http.client.HTTPConnection | None = None

    # --- ce que le travailleur et les analyses appellent -------------------------------------------------------

    def query(
        self,
        texte: str,
        *,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: list | None = None,
        named_graphs: list | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | TripletsExternes:
        """Exécute ``texte`` sur le moteur, mêmes options que ``Store.query`` ; lève RequeteRefusee (400, 502, 503)."""
        forme = _forme(texte)
        parametres: list[tuple[str, str]] = [("query", prefixes_manquants(texte, prefixes or {}) + texte)]
        if default_graph is not None or named_graphs is not None:
            parametres += [("default-graph-uri", _valeur(g)) for g in default_graph or ()]
            parametres += [("named-graph-uri", _valeur(g)) for g in named_graphs or ()]
        elif use_default_graph_as_union:
            parametres += [("default-graph-uri", g) for g in self.graphes]
            parametres += [("named-graph-uri", g) for g in self.graphes]
        graphe = forme in ("CONSTRUCT", "DESCRIBE")
        reponse, corps = self._envoyer(parametres, ACCEPT_GRAPHE if graphe else ACCEPT_RESULTATS)
        type_media = (reponse.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if graphe:
            rdf = ox.RdfFormat.from_media_type(type_media)
            if rdf is None:
                raise RequeteRefusee(f"le moteur SPARQL externe a rendu un graphe en « {type_media} » illisible", 502)
            return TripletsExternes(iter(ox.parse(corps, format=rdf)))
        format_ = ox.QueryResultsFormat.from_media_type(type_media)
        if format_ is None:
            raise RequeteRefusee(f"le moteur SPARQL externe a rendu des résultats en « {type_media} » illisibles", 502)
        resultat = ox.parse_query_results(corps, format=format_)
        if forme == "ASK" and isinstance(resultat, ox.QuerySolutions):
            # Virtuoso rend un ASK comme un SELECT d'une variable __ASK_RETVAL : une ligne vaut vrai
            vrai = any(True for _ in resultat)
            return ox.parse_query_results(b'{"head":{},"boolean":%s}' % (b"true" if vrai else b"false"),
                                          format=ox.QueryResultsFormat.JSON)
        return resultat

    def liberer(self) -> None:
        """Ferme la connexion de la dernière requête (lue jusqu'au bout ou abandonnée à un plafond)."""
        if self._connexion is not None:
            self._connexion.close()
            self._connexion = None

    def contient(self, sujet: str, graphe: str) -> bool:
        """Vrai si ``graphe`` du moteur décrit ``sujet`` (la construction d'un instantané dans ``src:meta``)."""
        resultat = self.query(f"ASK {{ GRAPH <{graphe}> {{ <{sujet}> ?p ?o }} }}")
        self.liberer()
        return bool(resultat)

    # --- HTTP ------------------------------------------------------------------------------------------------

    def _envoyer(
        self, parametres: list[tuple[str, str]], accept: str
    ) -> tuple[http.client.HTTPResponse, io.BufferedReader]:
        self.liberer()
        fin = time.monotonic() + self.delai_s
        if self.echeance is not None:
            fin = min(fin, self.echeance)
        if fin <= time.monotonic():
            raise DelaiExterne(self.delai_s)
        if self.moteur == "virtuoso":
            # son propre délai (ms) : Virtuoso cesse de calculer, au lieu de finir pour un client parti
            restant_ms = int((fin - time.monotonic()) * 1000)
            parametres = [*parametres, ("timeout", str(max(1, restant_ms)))]
        corps = urlencode(parametres).encode("utf-8")
        classe = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        connexion = classe(self.hote, self.port, timeout=max(0.001, fin - time.monotonic()))
        self._connexion = connexion
        try:
            connexion.request(
                "POST",
                self.chemin,
                body=corps,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": accept,
                    "User-Agent": "Boussole",
                },
            )
            if connexion.sock is not None:
                connexion.sock.settimeout(max(0.001, fin - time.monotonic()))
            reponse = connexion.getresponse()
        except TimeoutError:
            self.liberer()
            raise DelaiExterne(self.delai_s) from None
        except (OSError, http.client.HTTPException) as erreur:
            self.liberer()
            raise RequeteRefusee(f"moteur SPARQL externe injoignable : {erreur}", 502) from None
        if self.moteur is None:
            serveur = (reponse.getheader("Server") or "").lower()
            self.moteur = "virtuoso" if "virtuoso" in serveur else "oxigraph" if "oxigraph" in serveur else "autre"
        lecture = _LectureBornee(reponse, connexion.sock, fin, self.delai_s)
        if 300 <= reponse.status < 400:
            self.liberer()
            raise RequeteRefusee(
                f"le moteur SPARQL externe a répondu par une redirection ({reponse.status}) : elle n'est pas suivie, "
                "ce service ne parle qu'à l'adresse configurée",
                502,
            )
        if reponse.status != 200:
            self._refuser(reponse.status, lecture)
        if (reponse.getheader("X-SQL-State") or "").upper().startswith("S1T"):
            # Virtuoso : résultat partiel au délai (« anytime ») ; jamais montré comme complet
            self.liberer()
            raise DelaiExterne(self.delai_s)
        return reponse, io.BufferedReader(lecture, TAMPON)

    def _refuser(self, statut: int, lecture: _LectureBornee) -> None:
        try:
            detail = lecture.read(4096).decode("utf-8", "replace")
        except RequeteRefusee:
            detail = ""
        self.liberer()
        detail = re.sub(r"<[^>]+>", " ", detail)  # pages d'erreur HTML de Virtuoso
        detail = " ".join(detail.split())[:MESSAGE_MAX]
        if "S1T00" in detail or "timeout" in detail.lower() or "timed out" in detail.lower():
            raise DelaiExterne(self.delai_s)
        if statut == 400:
            raise RequeteRefusee(f"requête refusée par le moteur SPARQL externe : {detail}", 400)
        raise RequeteRefusee(f"le moteur SPARQL externe a répondu {statut} : {detail}", 502)


def _forme(texte: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE ou ASK : le premier mot-clé de forme (la garde a déjà validé la requête)."""
    m = _FORME.search(_sans_prologue(texte))
    return m.group(1).upper() if m else "SELECT"


_PROLOGUE = re.compile(r"""\s*(?:\#[^\n]*\n|(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<[^>]*>)""", re.IGNORECASE)


def _sans_prologue(texte: str) -> str:
    """La requête sans ses commentaires et déclarations de tête (un IRI de PREFIX peut contenir « select »)."""
    position = 0
    while m := _PROLOGUE.match(texte, position):
        position = m.end()
    return texte[position:]


def _valeur(terme: object) -> str:
    return terme.value if isinstance(terme, ox.NamedNode) else str(terme)


# --- le moteur externe d'un instantané ------------------------------------------------------------------------

#: Délai d'une requête des analyses sur le moteur externe (le rapport parcourt les 280 000 distances).
DELAI_ANALYSES_S = 300.0


def graphes_de(instantane: Instantane) -> tuple[str, ...]:
    """Les graphes nommés de l'instantané local : le jeu de données des requêtes envoyées au moteur externe."""
    return tuple(sorted(g.value for g in instantane.store.named_graphs() if isinstance(g, ox.NamedNode)))


def verifier_moteur_externe(url: str, instantane: Instantane, delai_s: float) -> bool:
    """Vrai si le moteur porte cet instantané (sa construction décrite dans ``src:meta``) ; sinon un avertissement.

    Pourquoi un avertissement et pas un refus : un instantané de test n'a pas toujours de construction décrite, et
    ``boussole publier`` se lance après la construction ; le journal dit alors que les réponses SPARQL viennent
    d'un autre chargement que l'instantané annoncé par ``X-Boussole-Instantane``.
    """
    point = PointExterne(url, graphes_de(instantane), delai_s)
    sujet = str(espaces.ID) + f"construction/{instantane.identifiant}"
    try:
        porte = point.contient(sujet, str(espaces.GRAPHE_META))
    except RequeteRefusee as erreur:
        journal.error("moteur SPARQL externe %s injoignable : %s", url, erreur.message)
        return False
    if not porte:
        journal.warning(
            "le moteur SPARQL externe %s ne porte pas l'instantané %s (lancer boussole publier --vers …)",
            url,
            instantane.identifiant,
        )
    return porte


def source_sparql(externe: str | None, instantane: Instantane) -> ox.Store | PointExterne:
    """Ce que les analyses interrogent : le moteur externe s'il est configuré, sinon le store de l'instantané."""
    if not externe:
        return instantane.store
    return PointExterne(externe, graphes_de(instantane), DELAI_ANALYSES_S)
