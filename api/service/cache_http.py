"""Cache HTTP : ETag fort, ``Cache-Control`` et ``304 Not Modified`` sur toute réponse en lecture (GET/HEAD).

Pourquoi un ETag calculé *avant* la route : tant que l'instantané servi ne change pas, une réponse en lecture ne
dépend que de la requête (chemin, paramètres, ``Accept``, hôte) et du code qui la calcule. L'étiquette se dérive
donc de l'identifiant de l'instantané, d'une empreinte du code et des réglages, et de la requête normalisée : un
``If-None-Match`` qui correspond reçoit ``304`` sans que la question soit encodée ni la requête SPARQL exécutée.
Une bascule d'instantané (``rechargement.py``) change toutes les étiquettes d'un coup.

Le codage de contenu (gzip, br, posé plus bas par la compression) fait partie de la représentation : l'étiquette
d'une réponse compressée reçoit un suffixe (``-gzip``, ``-br``, comme Apache), ajouté quand la réponse sort ;
``If-None-Match`` reconnaît l'étiquette de base et celles des codages que la requête accepte.

Les erreurs (4xx, 5xx, dont 429) n'ont jamais d'ETag et sont ``no-store``, comme ``/sante`` (l'état du moment).
Les réponses à POST ne reçoivent ni ETag ni ``Cache-Control`` public.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.reglages import Reglages

#: Chemins jamais mis en cache : l'état du service change sans que l'instantané change.
SANS_CACHE = ("/sante",)

#: En-têtes de la requête qui changent la représentation et entrent dans l'étiquette (hors codage de contenu).
ENTETES_REPRESENTATION = ("accept",)

#: Ce que ``Vary`` annonce sur une réponse mise en cache.
VARY = ("Accept", "Accept-Encoding")

#: Codages de contenu que la compression peut poser, et le suffixe de l'étiquette de chacun.
SUFFIXES_CODAGE = {"gzip": "-gzip", "br": "-br"}

_ETIQUETTE = re.compile(r'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)')
_RACINE_API = Path(__file__).resolve().parent.parent


def _empreinte_code() -> str:
    """Empreinte du code de l'API : un déploiement d'un autre code (même instantané) change les étiquettes.

    Calculée sur le contenu des sources (pas leurs dates) : deux répliques du même code donnent la même.
    """
    h = hashlib.sha256()
    for chemin in sorted(_RACINE_API.rglob("*")):
        if chemin.is_file() and chemin.suffix in {".py", ".html", ".js", ".css", ".json", ".ttl"}:
            h.update(str(chemin.relative_to(_RACINE_API)).encode())
            h.update(chemin.read_bytes())
    return h.hexdigest()[:16]


EMPREINTE_CODE = _empreinte_code()


def etiquettes_demandees(valeur: str) -> list[str] | None:
    """Les étiquettes opaques d'un ``If-None-Match`` (``W/`` ôté : la comparaison y est faible, RFC 9110 § 13.1.2).

    :param valeur: la valeur du champ (listes et répétitions déjà jointes par des virgules).
    :returns: ``["*"]`` pour ``*``, la liste des étiquettes, ou None si le champ est mal formé (il est alors ignoré).
    """
    valeur = valeur.strip()
    if valeur == "*":
        return ["*"]
    etiquettes: list[str] = []
    position = 0
    while position < len(valeur):
        trouve = _ETIQUETTE.match(valeur, position)
        if trouve is None or trouve.end() == position:
            return None
        etiquettes.append(trouve.group(2))
        position = trouve.end()
    return etiquettes or None


def codages_acceptes(accept_encoding: str) -> set[str]:
    """Les codages de :data:`SUFFIXES_CODAGE` qu'``Accept-Encoding`` permet (q > 0 ; ``*`` les permet tous)."""
    permis: set[str] = set()
    refuses: set[str] = set()
    etoile = False
    for element in accept_encoding.split(","):
        nom, _, parametres = element.partition(";")
        nom = nom.strip().lower()
        q = 1.0
        for parametre in parametres.split(";"):
            cle, _, val = parametre.partition("=")
            if cle.strip().lower() == "q":
                try:
                    q = float(val.strip())
                except ValueError:
                    q = 0.0
        cible = refuses if q <= 0 else permis
        if nom == "*":
            etoile = q > 0
        else:
            cible.add(nom)
    if etoile:
        permis |= set(SUFFIXES_CODAGE) - refuses
    return permis & set(SUFFIXES_CODAGE)


def _normaliser_requete(query_string: bytes) -> str:
    """La chaîne de requête décodée, ses paramètres triés par nom (l'ordre des valeurs d'un même nom reste)."""
    paires = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return "&".join(f"{k}={v}" for k, v in sorted(paires, key=lambda p: p[0]))


def etiquette_base(scope: Scope, instantane: str, empreinte: str) -> str:
    """L'étiquette (sans guillemets ni suffixe de codage) de la réponse à cette requête, sur cet instantané.

    Indépendante de la méthode (HEAD et GET ont la même) ; l'hôte et le schéma y entrent parce que des réponses
    (liens FHIR) contiennent l'adresse de base du service.
    """
    entetes = Headers(scope=scope)
    h = hashlib.sha256()
    for partie in (
        empreinte,
        instantane,
        scope.get("scheme", "http"),
        entetes.get("host", ""),
        scope.get("root_path", "") + scope["path"],
        _normaliser_requete(scope.get("query_string", b"")),
        *("".join(entetes.get(nom, "").lower().split()) for nom in ENTETES_REPRESENTATION),
    ):
        h.update(partie.encode("utf-8", "surrogateescape"))
        h.update(b"\x00")
    return "b" + h.hexdigest()[:32]


def _fusionner_vary(existant: str | None, ajouts: Iterable[str]) -> str:
    noms = [v.strip() for v in (existant or "").split(",") if v.strip()]
    vus = {n.lower() for n in noms}
    for a in ajouts:
        if a.lower() not in vus:
            noms.append(a)
            vus.add(a.lower())
    return ", ".join(noms)


def _empreinte_reglages(reglages: Reglages | None) -> str:
    """Les réglages changent des réponses (lignes au plus, délai…) : ils entrent dans l'empreinte."""
    texte = reglages.model_dump_json() if reglages is not None else ""
    return hashlib.sha256((EMPREINTE_CODE + texte).encode()).hexdigest()[:16]


class CacheHttp:
    """Intergiciel ASGI : ETag fort et ``304`` avant la route, ``Cache-Control`` et ``Vary`` sur la réponse.

    À placer *au-dessus* de la compression (il lit le ``Content-Encoding`` qu'elle pose) et sous CORS (un 304
    garde les en-têtes CORS). L'instantané servi est lu dans ``scope["app"].state.instantane``.

    :param app: l'application ASGI enveloppée.
    :param max_age: durée de fraîcheur annoncée (s) aux navigateurs et aux caches partagés.
    :param reglages: les réglages servis (ils entrent dans l'empreinte des étiquettes).
    """

    def __init__(self, app: ASGIApp, max_age: int, reglages: Reglages | None = None) -> None:
        self.app = app
        self.max_age = max_age
        self.empreinte = _empreinte_reglages(reglages)

    @property
    def cache_control(self) -> str:
        return f"public, max-age={self.max_age}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, self._sans_etiquette(send, erreurs_seulement=True))
            return
        if scope["path"] in SANS_CACHE:
            await self.app(scope, receive, self._sans_etiquette(send, erreurs_seulement=False))
            return

        etat = getattr(scope.get("app"), "state", None)
        instantane = getattr(etat, "instantane", None)
        ident = getattr(instantane, "identifiant", None) or "aucun"
        base = etiquette_base(scope, ident, self.empreinte)
        entetes = Headers(scope=scope)
        acceptes = codages_acceptes(entetes.get("accept-encoding", ""))
        valides = {base} | {base + SUFFIXES_CODAGE[c] for c in acceptes}
        demandees = None
        if "if-none-match" in entetes:
            demandees = etiquettes_demandees(", ".join(entetes.getlist("if-none-match")))
        if demandees is not None:
            # RFC 9110 § 13.1.3 : If-Modified-Since est ignoré quand If-None-Match est là
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"if-modified-since"]}
            correspondance = next((e for e in demandees if e in valides), None)
            if correspondance is not None:
                await self._non_modifie(send, correspondance, ident)
                return

        toutes = demandees == ["*"]
        termine = False

        async def envoyer(message: Message) -> None:
            nonlocal termine
            if termine:
                return
            if message["type"] != "http.response.start":
                await send(message)
                return
            statut = message["status"]
            h = MutableHeaders(scope=message)
            if statut >= 400:
                self._erreur(h)
                await send(message)
                return
            # une bascule pendant le calcul : la route a pu lire l'un ou l'autre instantané, pas d'étiquette
            bascule = getattr(etat, "instantane", None) is not instantane
            if statut != 200 or bascule:
                if "etag" in h:
                    del h["etag"]
                if bascule:
                    h["Cache-Control"] = "no-cache"
                await send(message)
                return
            if "no-store" in h.get("cache-control", ""):
                # la route sait sa réponse variable (SPARQL avec RAND, NOW, nœuds anonymes construits…)
                if "etag" in h:
                    del h["etag"]
                await send(message)
                return
            codage = h.get("content-encoding", "").strip().lower()
            etiquette = base + SUFFIXES_CODAGE.get(codage, "")
            if toutes:
                # « * » : une représentation existe (200) ; le corps calculé n'est pas envoyé
                termine = True
                await self._non_modifie(send, etiquette, ident, h)
                return
            h["ETag"] = f'"{etiquette}"'
            if "last-modified" in h:
                del h["last-modified"]  # l'ETag est le seul validateur : une date de fichier temporaire tromperait
            h.setdefault("Cache-Control", self.cache_control)
            h["Vary"] = _fusionner_vary(h.get("vary"), VARY)
            await send(message)

        await self.app(scope, receive, envoyer)

    async def _non_modifie(
        self, send: Send, etiquette: str, instantane: str, source: MutableHeaders | None = None
    ) -> None:
        """Un 304 sans corps, avec les en-têtes qu'aurait portés le 200 (RFC 9110 § 15.4.5)."""
        entetes = MutableHeaders()
        entetes["ETag"] = f'"{etiquette}"'
        entetes["Cache-Control"] = (source.get("cache-control") if source else None) or self.cache_control
        entetes["Vary"] = _fusionner_vary(source.get("vary") if source else None, VARY)
        entetes["X-Boussole-Instantane"] = instantane
        await send({"type": "http.response.start", "status": 304, "headers": entetes.raw})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    @staticmethod
    def _erreur(h: MutableHeaders) -> None:
        if "etag" in h:
            del h["etag"]
        h["Cache-Control"] = "no-store"

    def _sans_etiquette(self, send: Send, erreurs_seulement: bool) -> Send:
        """Réponses hors cache : jamais d'ETag ; ``no-store`` sur les erreurs (et partout si demandé)."""

        async def envoyer(message: Message) -> None:
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                if "etag" in h:
                    del h["etag"]
                if not erreurs_seulement or message["status"] >= 400:
                    h["Cache-Control"] = "no-store"
            await send(message)

        return envoyer


def installer(app: Any, reglages: Reglages) -> None:
    """Branche le cache HTTP sur ``app``, après la compression et avant CORS (CORS reste au-dessus)."""
    app.add_middleware(CacheHttp, max_age=reglages.cache_max_age_s, reglages=reglages)
