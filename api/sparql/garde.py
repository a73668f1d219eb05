"""La garde du point d'accès SPARQL public : ce qu'une requête n'a pas le droit de faire.

Pourquoi deux couches, toutes deux sur une structure et jamais sur le texte brut :

1. **lexicale** (:func:`verifier_lexique`, rapide, linéaire, dans le processus web) : un vrai découpage en
   jetons selon les terminaux de la grammaire SPARQL 1.1 (commentaires, chaînes, IRI, noms préfixés). Un mot
   nu ``SERVICE`` ou ``INSERT`` ne peut être qu'un mot-clé : un commentaire, une chaîne ou ``ex:service`` ne
   trompent pas ce découpage, contrairement à une expression régulière sur le texte.
2. **syntaxique** (:func:`verifier_structure`, l'arbre d'analyse de rdflib) : parcours de l'arbre complet
   (``ServiceGraphPattern``, ``DatasetClause``) ; donne aussi les erreurs de syntaxe avec ligne et colonne.
   Cette analyse peut coûter une seconde sur une grosse requête : elle tourne donc dans le processus
   travailleur, sous le même délai que l'exécution (voir ``travailleur.py``).

Une requête n'est exécutée que si les deux couches l'acceptent. Oxigraph suit réellement ``SERVICE`` par HTTP
(vérifié avec pyoxigraph 0.5.13) : c'est cette garde qui empêche le service de servir de rebond réseau, et le
travailleur est de plus isolé du réseau quand le noyau le permet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from api.service.erreurs import RequeteRefusee
from ontologie import espaces

#: Seuls graphes que FROM / FROM NAMED / default-graph-uri / named-graph-uri peuvent nommer.
PREFIXE_GRAPHES_PERMIS = str(espaces.SRC)

#: Mots-clés qui n'existent que dans SPARQL Update.
MOTS_MISE_A_JOUR = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)
FORMES = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")

MESSAGE_LECTURE_SEULE = (
    "point d'accès en lecture seule : les mises à jour SPARQL (INSERT, DELETE, LOAD, CLEAR, CREATE, DROP, "
    "COPY, MOVE, ADD) sont refusées"
)
MESSAGE_SERVICE = (
    "SERVICE (requête fédérée) est refusé : ce point d'accès n'interroge que l'instantané Boussole, "
    "jamais un autre serveur"
)


class ErreurSyntaxe(RequeteRefusee):
    """Requête mal formée (400) ; le travailleur peut remplacer le message par celui d'Oxigraph."""


@dataclass
class Analyse:
    """Ce que la garde a appris d'une requête acceptée."""

    forme: str  # SELECT, CONSTRUCT, DESCRIBE ou ASK
    graphes_defaut: list[str] = field(default_factory=list)  # FROM
    graphes_nommes: list[str] = field(default_factory=list)  # FROM NAMED
    #: Motifs constants de REGEX / REPLACE (motif, drapeaux) : le travailleur les fait vérifier par Oxigraph.
    motifs: list[tuple[str, str | None]] = field(default_factory=list)
    #: IRI des fonctions appelées par leur nom (``xsd:integer(…)``, ``<bif:…>(…)``) : un moteur externe n'accepte
    #: que les conversions xsd: (voir :func:`verifier_fonctions_portables`).
    fonctions: list[str] = field(default_factory=list)

    @property
    def a_jeu_de_donnees(self) -> bool:
        """Vrai si la requête choisit elle-même ses graphes (FROM / FROM NAMED)."""
        return bool(self.graphes_defaut or self.graphes_nommes)

    @property
    def produit_un_graphe(self) -> bool:
        return self.forme in ("CONSTRUCT", "DESCRIBE")


def verifier_taille(texte: str, taille_max: int) -> None:
    """413 au-delà de ``taille_max`` octets (UTF-8) : une requête d'analyste tient en quelques Ko."""
    taille = len(texte.encode("utf-8", "surrogatepass"))
    if taille > taille_max:
        raise RequeteRefusee(f"requête trop longue : {taille} octets, au plus {taille_max} permis", 413)


def _position(texte: str, indice: int) -> str:
    """« ligne L, colonne C » (à partir de 1) du caractère ``indice`` de ``texte``."""
    ligne = texte.count("\n", 0, indice) + 1
    colonne = indice - (texte.rfind("\n", 0, indice) + 1) + 1
    return f"ligne {ligne}, colonne {colonne}"


_ECHAPPEMENT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def verifier_echappements(texte: str) -> None:
    """400 avec sa position pour un ``\\uXXXX`` / ``\\UXXXXXXXX`` qui ne désigne pas un caractère Unicode.

    Pourquoi avant toute analyse : SPARQL 1.1 (§19.2) remplace ces séquences dans tout le texte avant l'analyse ;
    au-delà de U+10FFFF ou dans les demi-codets (U+D800–U+DFFF), l'analyseur de rdflib lève une ValueError
    qui devenait une « erreur interne » (500).
    """
    for m in _ECHAPPEMENT.finditer(texte):
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ErreurSyntaxe(
                f"erreur de syntaxe SPARQL, {_position(texte, m.start())} : la séquence {m.group()} ne désigne "
                "aucun caractère Unicode (au plus \\U0010FFFF, hors demi-codets D800–DFFF)"
            )


def verifier_graphe(iri: str, origine: str) -> None:
    """Refuse un graphe qui n'est pas un graphe nommé de l'instantané (sources Boussole)."""
    if not iri.startswith(PREFIXE_GRAPHES_PERMIS):
        raise RequeteRefusee(
            f"{origine} <{iri}> refusé : seuls les graphes nommés de l'instantané "
            f"(<{PREFIXE_GRAPHES_PERMIS}…>) peuvent être désignés"
        )


# --- Couche lexicale -------------------------------------------------------------------------------------

_PN_LOCAL = r"(?:[\w\-.:·]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])*"
# Chaque motif avance sans retour arrière coûteux : la découpe reste linéaire même sur 20 Ko hostiles.
_JETONS = re.compile(
    r"""
    (?P<blanc>\s+)
  | (?P<commentaire>\#[^\n\r]*)
  | (?P<chaine>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<ouverte>['"])
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<variable>[?$][\w·]+)
  | (?P<langue>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<mot>[^\W\d][\w\-.·]*)
  | (?P<autre>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_LOCAL = re.compile(":" + _PN_LOCAL)
_TETE_MOT = re.compile(r"[^\W\d]\w*")


def _jetons(texte: str) -> list[tuple[str, str, int]]:
    """Découpe en jetons significatifs (sans blancs ni commentaires).

    ``nom`` : nom préfixé ou nœud anonyme (``bo:Etablissement``, ``:a``, ``_:b``) ; ``mot`` : mot nu, réduit
    à sa tête (``SERVICE.x`` donne ``SERVICE`` : on refuse plutôt que de laisser passer). Un guillemet qui
    n'ouvre pas une chaîne fermée est une erreur de syntaxe : on s'arrête là (400), sans relire la suite.
    """
    jetons: list[tuple[str, str, int]] = []
    position = 0
    while position < len(texte):
        m = _JETONS.match(texte, position)
        assert m is not None and m.lastgroup is not None  # « autre » (un caractère quelconque) répond toujours
        genre, valeur, position = m.lastgroup, m.group(), m.end()
        if genre in ("blanc", "commentaire"):
            continue
        if genre == "ouverte":
            raise ErreurSyntaxe(f"erreur de syntaxe SPARQL, {_position(texte, m.start())} : chaîne non fermée")
        if genre == "autre" and valeur == ":" or genre == "mot" and texte.startswith(":", position):
            local = _LOCAL.match(texte, position - 1 if genre == "autre" else position)
            assert local is not None  # « : » suivi de zéro caractère local ou plus : toujours
            prefixe = "" if genre == "autre" else valeur
            genre, valeur, position = "nom", prefixe + local.group(), local.end()
        elif genre == "mot":
            tete = _TETE_MOT.match(valeur)
            assert tete is not None  # un mot commence par une lettre
            valeur = tete.group()
        jetons.append((genre, valeur, m.start()))
    return jetons


def _resoudre(iri_ou_nom: str, prefixes: dict[str, str], base: str | None) -> str:
    """IRI absolue d'un jeton IRI (résolue contre BASE) ou d'un nom préfixé."""
    if iri_ou_nom.startswith("<"):
        iri = iri_ou_nom[1:-1]
        return urljoin(base, iri) if base else iri
    prefixe, _, local = iri_ou_nom.partition(":")
    if prefixe not in prefixes:
        raise RequeteRefusee(f"préfixe « {prefixe}: » non déclaré")
    return prefixes[prefixe] + re.sub(r"\\(.)", r"\1", local)


#: Imbrication permise par défaut (accolades, parenthèses, crochets) : une requête d'analyste dépasse rarement 10.
IMBRICATION_MAX = 64
_OUVRANTES = {"{": "}", "(": ")", "[": "]"}
_FERMANTES = frozenset(_OUVRANTES.values())


def verifier_imbrication(jetons: list[tuple[str, str, int]], texte: str, maximum: int) -> None:
    """400 au-delà de ``maximum`` niveaux d'accolades, de parenthèses ou de crochets.

    Pourquoi sur les jetons, avant toute analyse : les analyseurs sont récursifs. 900 ``FILTER NOT EXISTS``
    imbriqués (sous la taille permise) font déborder la pile d'Oxigraph, qui tue le travailleur (SIGSEGV) ; rdflib,
    lui, bute sur sa limite de récursion. Compter les niveaux est linéaire et ne peut pas déborder. Les chaînes,
    IRI et commentaires sont déjà des jetons à part : une accolade dans une chaîne ne compte pas.
    """
    profondeur = 0
    for genre, valeur, debut in jetons:
        if genre != "autre":
            continue
        if valeur in _OUVRANTES:
            profondeur += 1
            if profondeur > maximum:
                raise RequeteRefusee(
                    f"requête trop imbriquée : plus de {maximum} niveaux d'accolades, de parenthèses ou de "
                    f"crochets ({_position(texte, debut)}) ; simplifiez-la (sous-requêtes à plat, UNION, VALUES)"
                )
        elif valeur in _FERMANTES:
            profondeur = max(0, profondeur - 1)


def verifier_lexique(
    texte: str, prefixes_defaut: dict[str, str] | None = None, imbrication_max: int = IMBRICATION_MAX
) -> Analyse:
    """Première couche : échappements, imbrication, mises à jour, SERVICE, FROM hors instantané, forme.

    Rapide (une passe) : sert aussi au routeur à connaître la forme (SELECT ou CONSTRUCT…) pour négocier le
    format de réponse avant d'occuper un travailleur.
    """
    verifier_echappements(texte)
    prefixes = dict(prefixes_defaut or {})
    base: str | None = None
    analyse = Analyse(forme="")
    positionnes = _jetons(texte)
    verifier_imbrication(positionnes, texte, imbrication_max)
    jetons = [(genre, valeur) for genre, valeur, _ in positionnes]
    for i, (genre, valeur) in enumerate(jetons):
        if genre != "mot":
            continue
        mot = valeur.upper()
        suivant = jetons[i + 1] if i + 1 < len(jetons) else ("", "")
        if mot in MOTS_MISE_A_JOUR:
            raise RequeteRefusee(MESSAGE_LECTURE_SEULE)
        if mot == "SERVICE":
            raise RequeteRefusee(MESSAGE_SERVICE)
        if mot == "PREFIX" and suivant[0] == "nom" and i + 2 < len(jetons) and jetons[i + 2][0] == "iri":
            prefixes[suivant[1].rstrip(":").split(":")[0]] = _resoudre(jetons[i + 2][1], {}, base)
        elif mot == "BASE" and suivant[0] == "iri":
            base = _resoudre(suivant[1], {}, base)
        elif mot in FORMES and not analyse.forme:
            analyse.forme = mot
        elif mot == "FROM":
            nomme = suivant[0] == "mot" and suivant[1].upper() == "NAMED"
            cible = jetons[i + 2] if nomme and i + 2 < len(jetons) else suivant
            if cible[0] not in ("iri", "nom"):
                raise RequeteRefusee("FROM doit être suivi d'une IRI de graphe")
            iri = _resoudre(cible[1], prefixes, base)
            verifier_graphe(iri, "FROM NAMED" if nomme else "FROM")
            (analyse.graphes_nommes if nomme else analyse.graphes_defaut).append(iri)
    if not analyse.forme:
        raise RequeteRefusee("requête SPARQL attendue : SELECT, CONSTRUCT, DESCRIBE ou ASK")
    return analyse


# --- Couche syntaxique -----------------------------------------------------------------------------------


def _message_syntaxe(erreur: Exception) -> str:
    ligne = getattr(erreur, "lineno", None)
    colonne = getattr(erreur, "col", None)
    detail = getattr(erreur, "msg", None) or str(erreur)
    trouve = getattr(erreur, "found", None) if hasattr(erreur, "found") else None
    lieu = f"ligne {ligne}, colonne {colonne}" if ligne is not None else "position inconnue"
    suite = f" (trouvé {trouve})" if trouve else ""
    return f"erreur de syntaxe SPARQL, {lieu} : {detail}{suite}"


def _champ(noeud, cle: str):
    """Valeur brute d'un champ de CompValue, ou None : ``CompValue.get`` rend la clé elle-même si absente."""
    return dict.get(noeud, cle)


def _parcourir(noeud, visite) -> None:
    """Parcourt tout l'arbre de rdflib (CompValue, ParseResults, listes) sans récursion Python profonde."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    pile = [noeud]
    while pile:
        n = pile.pop()
        if isinstance(n, CompValue):
            visite(n)
            pile.extend(n.values())
        elif isinstance(n, ParseResults | list | tuple):
            pile.extend(n)
        elif isinstance(n, dict):
            pile.extend(n.values())


def verifier_structure(texte: str, prefixes_defaut: dict[str, str] | None = None) -> Analyse:
    """Seconde couche : analyse complète par rdflib et parcours de l'arbre.

    Appelée dans un fil à grande pile (l'analyseur de rdflib est récursif : une centaine de motifs de
    triplets dépassent la limite par défaut) ; une récursion trop profonde reste un refus propre (400).
    """
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        arbre = parseQuery(texte)
    except RecursionError:
        raise RequeteRefusee("requête trop imbriquée pour être analysée") from None
    except (ValueError, OverflowError) as erreur:
        # filet : un échappement ou un littéral que rdflib ne sait pas décoder (voir verifier_echappements)
        raise ErreurSyntaxe(f"erreur de syntaxe SPARQL, position inconnue : {erreur}") from None
    except ParseBaseException as erreur:
        try:
            parseUpdate(texte)
        except (ParseBaseException, RecursionError):
            raise ErreurSyntaxe(_message_syntaxe(erreur)) from None
        raise RequeteRefusee(MESSAGE_LECTURE_SEULE) from None

    prologue, requete = arbre[0], arbre[1]
    prefixes = dict(prefixes_defaut or {})
    base: str | None = None
    for decl in prologue:
        if isinstance(decl, CompValue) and decl.name == "PrefixDecl":
            prefixes[_champ(decl, "prefix") or ""] = str(_champ(decl, "iri"))
        elif isinstance(decl, CompValue) and decl.name == "Base":
            iri = str(_champ(decl, "iri"))
            base = urljoin(base, iri) if base else iri

    analyse = Analyse(forme=requete.name.removesuffix("Query").upper())

    def iri_de(terme) -> str:
        if isinstance(terme, CompValue) and terme.name == "pname":
            prefixe = _champ(terme, "prefix") or ""
            if prefixe not in prefixes:
                raise RequeteRefusee(f"préfixe « {prefixe}: » non déclaré")
            return prefixes[prefixe] + (_champ(terme, "localname") or "")
        return urljoin(base, str(terme)) if base else str(terme)

    def constante(terme) -> str | None:
        """La chaîne d'une expression réduite à un littéral (« "(" »), ou None si elle dépend des données."""
        while isinstance(terme, CompValue) and terme.name != "literal" and set(dict.keys(terme)) == {"expr"}:
            terme = _champ(terme, "expr")
        if isinstance(terme, CompValue) and terme.name == "literal":
            return str(_champ(terme, "string"))
        return None

    def visite(n: CompValue) -> None:
        if n.name in ("Builtin_REGEX", "Builtin_REPLACE"):
            motif = constante(_champ(n, "pattern"))
            drapeaux = _champ(n, "flags")
            if motif is not None and (drapeaux is None or constante(drapeaux) is not None):
                analyse.motifs.append((motif, None if drapeaux is None else constante(drapeaux)))
        if n.name == "Function":
            iri = _champ(n, "iri")
            if isinstance(iri, CompValue) and iri.name == "pname":
                prefixe = _champ(iri, "prefix") or ""
                local = _champ(iri, "localname") or ""
                analyse.fonctions.append(prefixes[prefixe] + local if prefixe in prefixes else f"{prefixe}:{local}")
            else:
                analyse.fonctions.append(urljoin(base, str(iri)) if base else str(iri))
        if n.name == "ServiceGraphPattern":
            raise RequeteRefusee(MESSAGE_SERVICE)
        if n.name == "DatasetClause":
            if _champ(n, "default") is not None:
                iri = iri_de(_champ(n, "default"))
                verifier_graphe(iri, "FROM")
                analyse.graphes_defaut.append(iri)
            if _champ(n, "named") is not None:
                iri = iri_de(_champ(n, "named"))
                verifier_graphe(iri, "FROM NAMED")
                analyse.graphes_nommes.append(iri)

    _parcourir(arbre, visite)
    return analyse


#: Les fonctions appelées par IRI qu'une requête peut envoyer à un moteur externe : les conversions de SPARQL 1.1
#: (§17.5, ``xsd:integer(…)``…), que tout moteur comprend de la même façon.
ESPACE_CONVERSIONS = "http://www.w3.org/2001/XMLSchema#"
MESSAGE_FONCTION = (
    "fonction <{iri}> refusée : seules les fonctions de SPARQL 1.1 et les conversions xsd: sont permises (le "
    "moteur SPARQL de ce service a des fonctions propres qui peuvent lire des fichiers ou d'autres serveurs)"
)


def verifier_fonctions_portables(analyse: Analyse) -> None:
    """400 pour une fonction appelée par IRI hors des conversions ``xsd:`` (moteur externe seulement).

    Pourquoi : Virtuoso prédéclare ``bif:`` et ``sql:`` — des fonctions SQL, dont des lectures de fichiers et des
    requêtes HTTP (``bif:http_get``) — et une fonction se nomme par IRI dans la syntaxe standard ; l'analyse ne
    peut donc pas les écarter seule. Le store embarqué, lui, ne connaît que les conversions.
    """
    for iri in analyse.fonctions:
        if not iri.startswith(ESPACE_CONVERSIONS):
            raise RequeteRefusee(MESSAGE_FONCTION.format(iri=iri))
