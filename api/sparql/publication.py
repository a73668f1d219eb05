"""``boussole publier --vers URL`` : charger l'instantané dans un moteur SPARQL externe (Graph Store Protocol).

Pourquoi le SPARQL 1.1 Graph Store HTTP Protocol plutôt que le chargeur en masse de chaque moteur : c'est le même
protocole pour Oxigraph server (``/store``) et Virtuoso (``/sparql-graph-crud-auth``, authentification digest,
utilisateur ``dba``) et pour tout moteur qui le suit ; il passe par HTTP seul, sans accès au disque du serveur
(le chargeur de Virtuoso, ``ld_dir`` + ``rdf_loader_run``, lit des fichiers dans ses ``DirsAllowed`` par isql).

Chaque graphe nommé est remplacé : ``PUT ?graph=…`` de son premier lot, puis ``POST`` (ajout) des lots suivants
— un graphe de 280 000 triplets (les distances) part en morceaux de taille bornée, sans corps géant ni pour le
client ni pour le serveur. Un graphe qui a des nœuds anonymes part d'un seul tenant (leurs étiquettes ne valent
que dans un document). Le graphe par défaut n'est envoyé (``PUT ?default``) que s'il a des triplets : dans un
instantané Boussole, chaque fait vit dans le graphe nommé de sa source, et Virtuoso n'a pas de graphe par défaut
au sens du protocole.

Un graphe d'un ancien instantané qui n'existe plus reste dans le moteur, mais hors de vue : le service interroge
le moteur avec la liste des graphes de l'instantané qu'il sert (voir ``api.sparql.externe``). Pendant le
chargement, une requête peut voir certains graphes déjà remplacés et d'autres pas encore : publier avant de
basculer le service sur le nouvel instantané.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pyoxigraph as ox

from graphe.instantane import Instantane

#: Triplets par requête HTTP (quelques Mo de N-Triples).
LOT = 50_000
TYPE_NTRIPLES = "application/n-triples"
DELAI_HTTP_S = 600.0


class PublicationEchouee(Exception):
    """Le moteur a refusé un graphe (ou n'a pas répondu) : le message dit lequel et pourquoi."""


@dataclass
class BilanPublication:
    """Ce qui a été chargé : graphes, triplets, requêtes HTTP et durée."""

    graphes: int = 0
    triplets: int = 0
    requetes: int = 0
    duree_s: float = 0.0
    par_graphe: dict[str, int] = field(default_factory=dict)


def _lots(store: ox.Store, graphe: ox.NamedNode | ox.DefaultGraph) -> Iterator[list[ox.Triple]]:
    """Les triplets du graphe par lots de ``LOT`` ; un seul lot si un nœud anonyme s'y trouve."""
    lot: list[ox.Triple] = []
    anonymes = False
    for quad in store.quads_for_pattern(None, None, None, graphe):
        lot.append(quad.triple)
        anonymes = anonymes or isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
        if len(lot) >= LOT and not anonymes:
            yield lot
            lot = []
    if lot:
        yield lot


def publier(
    instantane: Instantane,
    vers: str,
    utilisateur: str | None = None,
    mot_de_passe: str | None = None,
    annoncer: Callable[[str], None] | None = None,
) -> BilanPublication:
    """Remplace, dans le moteur du Graph Store ``vers``, chaque graphe de l'instantané par son contenu.

    :param vers: l'adresse Graph Store du moteur (``http://hote:7878/store``,
        ``http://hote:8890/sparql-graph-crud-auth``).
    :param utilisateur: avec ``mot_de_passe`` : authentification digest (Virtuoso : ``dba``).
    :param annoncer: reçoit une ligne par graphe chargé (progression).
    :raises PublicationEchouee: un statut autre que 200 / 201 / 204 (une redirection n'est pas suivie), ou le
        moteur injoignable.
    """
    debut = time.monotonic()
    bilan = BilanPublication()
    auth = httpx.DigestAuth(utilisateur, mot_de_passe or "") if utilisateur else None
    nommes = [g for g in instantane.store.named_graphs() if isinstance(g, ox.NamedNode)]
    graphes: list[ox.NamedNode | ox.DefaultGraph] = [*sorted(nommes, key=lambda g: g.value)]
    if next(iter(instantane.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        graphes.append(ox.DefaultGraph())
    with httpx.Client(auth=auth, timeout=DELAI_HTTP_S, follow_redirects=False) as client:
        for graphe in graphes:
            nom = graphe.value if isinstance(graphe, ox.NamedNode) else "(graphe par défaut)"
            parametres = {"graph": graphe.value} if isinstance(graphe, ox.NamedNode) else {"default": ""}
            compte = 0
            for rang, lot in enumerate(_lots(instantane.store, graphe)):
                corps = ox.serialize(lot, format=ox.RdfFormat.N_TRIPLES) or b""
                methode = "PUT" if rang == 0 else "POST"
                _envoyer(client, methode, vers, parametres, corps, nom)
                compte += len(lot)
                bilan.requetes += 1
            if compte == 0:  # un graphe vide : le remplacer par rien
                _envoyer(client, "PUT", vers, parametres, b"", nom)
                bilan.requetes += 1
            bilan.graphes += 1
            bilan.triplets += compte
            bilan.par_graphe[nom] = compte
            if annoncer:
                annoncer(f"{nom} : {compte} triplets")
    bilan.duree_s = time.monotonic() - debut
    return bilan


def _envoyer(client: httpx.Client, methode: str, vers: str, parametres: dict, corps: bytes, nom: str) -> None:
    try:
        reponse = client.request(
            methode, vers, params=parametres, content=corps, headers={"Content-Type": TYPE_NTRIPLES}
        )
    except httpx.HTTPError as erreur:
        raise PublicationEchouee(f"moteur injoignable ({vers}) pendant {nom} : {erreur}") from None
    if reponse.status_code not in (200, 201, 204):
        detail = " ".join(reponse.text.split())[:300]
        raise PublicationEchouee(f"{methode} {nom} refusé par le moteur ({reponse.status_code}) : {detail}")
