"""Protocole SPARQL 1.1 : lire une opération (GET, POST formulaire, POST sparql-query) et y répondre.

Pourquoi ici et pas dans le routeur : le routeur ne fait que brancher des adresses ; ce qui décide (taille,
garde, format, délai, en-têtes de troncature) est ici, testable sans HTTP et réutilisable.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from api.reglages import Reglages
from api.service import journal
from api.service.erreurs import RequeteRefusee
from api.sparql import formats
from api.sparql.budgets import BudgetsClients, Facture
from api.sparql.execution import ReserveSparql
from api.sparql.garde import MESSAGE_LECTURE_SEULE, verifier_graphe, verifier_lexique, verifier_taille
from api.sparql.serialisation import MOTIF_LIGNES
from api.sparql.travailleur import Tache
from graphe.instantane import Instantane
from ontologie import espaces

MEDIA_REQUETE = "application/sparql-query"
MEDIA_MISE_A_JOUR = "application/sparql-update"
MEDIA_FORMULAIRE = "application/x-www-form-urlencoded"
#: Au-delà (octets), le corps est rendu en flux plutôt que lu d'un coup.
CORPS_EN_MEMOIRE = 256 * 1024
#: Préfixes connus sans déclaration (bo:, schema:, skos:…) ; une requête peut toujours les redéclarer.
PREFIXES = {p: str(ns) for p, ns in espaces.PREFIXES.items()}

#: Fonctions dont le résultat change à chaque exécution : une telle réponse n'est jamais mise en cache.
_FONCTIONS_VARIABLES = re.compile(r"\b(RAND|NOW|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)


def reponse_variable(texte: str, produit_un_graphe: bool) -> bool:
    """Deux exécutions de cette requête peuvent-elles rendre des octets différents sur le même instantané ?

    Oui si elle appelle RAND, NOW, UUID, STRUUID ou BNODE, ou si elle construit un graphe où peuvent naître des
    nœuds anonymes (``[`` ou ``_:``, compté large) : leurs étiquettes sont tirées à chaque exécution. Une telle
    réponse est ``no-store`` et sans ETag (un ETag fort promet les mêmes octets).
    """
    return bool(_FONCTIONS_VARIABLES.search(texte)) or (produit_un_graphe and ("[" in texte or "_:" in texte))


@dataclass
class Operation:
    """Une opération SPARQL reçue, quel que soit son transport."""

    requete: str | None = None
    graphes_defaut: list[str] = field(default_factory=list)
    graphes_nommes: list[str] = field(default_factory=list)
    #: Valeurs du paramètre ``format`` (zéro, une ou plusieurs : voir :func:`formats.choisir`).
    format: list[str] = field(default_factory=list)
    mise_a_jour: bool = False


def _unique(valeurs: list[str], nom: str) -> str | None:
    if len(valeurs) > 1:
        raise RequeteRefusee(f"un seul paramètre « {nom} » est permis ({len(valeurs)} reçus)")
    return valeurs[0] if valeurs else None


def _depuis_parametres(params: dict[str, list[str]]) -> Operation:
    return Operation(
        requete=_unique(params.get("query", []), "query"),
        graphes_defaut=params.get("default-graph-uri", []),
        graphes_nommes=params.get("named-graph-uri", []),
        format=params.get("format", []),
        mise_a_jour="update" in params,
    )


def lire_get(request: Request) -> Operation:
    """L'opération portée par la chaîne de requête (GET, ou paramètres d'URL d'un POST)."""
    params: dict[str, list[str]] = {}
    for cle, valeur in request.query_params.multi_items():
        params.setdefault(cle, []).append(valeur)
    return _depuis_parametres(params)


async def _corps(request: Request, limite: int) -> bytes:
    """Le corps, lu par morceaux et abandonné dès qu'il dépasse ``limite`` (413) : jamais 1 Go en mémoire."""
    annonce = request.headers.get("content-length")
    if annonce and annonce.isdigit() and int(annonce) > limite:
        raise RequeteRefusee(f"corps de requête trop long : {annonce} octets, au plus {limite} permis", 413)
    morceaux, total = [], 0
    async for morceau in request.stream():
        total += len(morceau)
        if total > limite:
            raise RequeteRefusee(f"corps de requête trop long : plus de {limite} octets", 413)
        morceaux.append(morceau)
    return b"".join(morceaux)


def _decoder(octets: bytes) -> str:
    try:
        return octets.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RequeteRefusee(f"corps non encodé en UTF-8 (octet {e.start})") from None


async def lire_post(request: Request, taille_max: int) -> Operation:
    """POST formulaire (query= / update=) ou corps application/sparql-query ; le reste est 415."""
    type_contenu = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if type_contenu == MEDIA_MISE_A_JOUR:
        return Operation(mise_a_jour=True)
    # Un formulaire encode chaque octet non ASCII sur trois caractères (%C3) : marge pour les accents.
    limite = 3 * taille_max + 4096
    url = lire_get(request)
    if type_contenu == MEDIA_REQUETE:
        texte = _decoder(await _corps(request, limite))
        return Operation(texte, url.graphes_defaut, url.graphes_nommes, url.format, url.mise_a_jour)
    if type_contenu == MEDIA_FORMULAIRE:
        texte = _decoder(await _corps(request, limite))
        try:
            params = parse_qs(texte, keep_blank_values=True, max_num_fields=200)
        except ValueError as e:
            raise RequeteRefusee(f"formulaire illisible : {e}") from None
        operation = _depuis_parametres(params)
        operation.format = operation.format or url.format
        operation.mise_a_jour = operation.mise_a_jour or url.mise_a_jour
        return operation
    raise RequeteRefusee(
        f"type de contenu « {type_contenu or 'absent'} » non pris en charge : envoyez {MEDIA_FORMULAIRE} "
        f"(champ query) ou {MEDIA_REQUETE}",
        415,
    )


async def repondre(
    operation: Operation,
    accept: str | None,
    reglages: Reglages,
    reserve: ReserveSparql | None,
    instantane: Instantane | None,
    budgets: BudgetsClients | None = None,
    client: str = "",
) -> Response:
    """Vérifie, négocie, exécute dans un travailleur, et habille la réponse (en-têtes de troncature).

    :param operation: l'opération reçue (:func:`lire_get`, :func:`lire_post`).
    :param accept: l'en-tête Accept du client (le paramètre ``format`` de l'opération l'emporte).
    :param reglages: les bornes servies (taille, lignes, octets, journalisation des requêtes).
    :param reserve: les travailleurs de l'instantané servi, ou None.
    :param instantane: l'instantané servi, ou None.
    :param budgets: les budgets par client (concurrence, temps), ou None : sans budget.
    :param client: l'adresse du client (budgets, partage des travailleurs).
    :returns: le corps sérialisé (en flux s'il est gros) et ses en-têtes ``X-Boussole-…``.
    :raises RequeteRefusee: requête refusée par la garde, format introuvable (406), aucun instantané (503)…
    :raises BudgetEpuise: budget du client épuisé (429 + Retry-After).
    :raises Sature: plus de place dans la réserve (503 + Retry-After).
    """
    if operation.mise_a_jour:
        raise RequeteRefusee(MESSAGE_LECTURE_SEULE, 403)
    if operation.requete is None:
        raise RequeteRefusee("paramètre « query » manquant : la requête SPARQL à exécuter")
    texte = operation.requete
    verifier_taille(texte, reglages.sparql_taille_max)
    if not texte.strip():
        raise RequeteRefusee("requête vide")
    analyse = verifier_lexique(texte, PREFIXES, reglages.sparql_imbrication_max)
    for g in operation.graphes_defaut:
        verifier_graphe(g, "default-graph-uri")
    for g in operation.graphes_nommes:
        verifier_graphe(g, "named-graph-uri")
    choisi = formats.choisir(accept, operation.format, analyse.produit_un_graphe)
    if reserve is None or instantane is None:
        raise RequeteRefusee(
            "aucun instantané du graphe n'est servi pour le moment : réessayez plus tard", 503
        )
    if reglages.journaliser_questions:
        journal.ecrire({"evenement": "requete_sparql", "requete": texte})
    protocole = bool(operation.graphes_defaut or operation.graphes_nommes)
    tache = Tache(
        texte=texte,
        format=choisi.nom,
        lignes_max=reglages.sparql_lignes_max,
        graphes_defaut=tuple(operation.graphes_defaut) if protocole else None,
        graphes_nommes=tuple(operation.graphes_nommes) if protocole else None,
        octets_max=reglages.sparql_octets_max,
    )
    # le budget du client d'abord (429 : c'est lui qui en demande trop), puis l'admission bornée de tous (503),
    # avant d'occuper un fil : sous une rafale, refuser vite vaut mieux qu'une file sans fin
    with budgets.requete(client) if budgets else contextlib.nullcontext(Facture()) as facture, reserve.admission():
        resultat = await run_in_threadpool(reserve.executer, tache, client, facture)
    entetes = {
        "Vary": "Accept",
        "X-Boussole-Instantane": instantane.identifiant,
        "X-Boussole-Tronque": "true" if resultat.tronque else "false",
        "X-Boussole-Lignes": str(resultat.lignes),
        "X-Boussole-Lignes-Max": str(reglages.sparql_lignes_max),
        "X-Boussole-Octets-Max": str(reglages.sparql_octets_max),
        "X-Boussole-Duree-Ms": f"{resultat.duree_s * 1000:.0f}",
    }
    if reponse_variable(texte, analyse.produit_un_graphe):
        entetes["Cache-Control"] = "no-store"
    if resultat.motif is not None:
        entetes["X-Boussole-Tronque-Motif"] = resultat.motif
        # En-tête Warning (code 199, texte ASCII) : lu par les clients HTTP génériques.
        plafond = (
            f"{reglages.sparql_lignes_max} lignes"
            if resultat.motif == MOTIF_LIGNES
            else f"{reglages.sparql_octets_max} octets"
        )
        entetes["Warning"] = f'199 boussole "resultat tronque a {plafond}"'
    if resultat.octets <= CORPS_EN_MEMOIRE:
        return Response(content=resultat.lire(), media_type=choisi.content_type, headers=entetes)
    # gros corps : relu par morceaux (un fil du pool à chaque morceau), jamais entier en mémoire
    entetes["Content-Length"] = str(resultat.octets)
    return StreamingResponse(resultat.morceaux(), media_type=choisi.content_type, headers=entetes)
