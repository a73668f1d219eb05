"""La forme de comparaison d'un texte, la même à la construction et à la recherche.

Pourquoi un seul module : un nom d'établissement apparié à la construction (listes curées → FINESS) et le même
nom cherché dans une question doivent se réduire à la même forme, sinon « Hôpital Saint-Louis » et
« hopital saint louis » ne se retrouvent pas. Les étapes propres à un usage (abréviations développées, numéros
d'arrondissement retirés) s'ajoutent par-dessus cette forme, dans le module qui en a besoin.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_PARENTHESES = re.compile(r"\([^()]*\)")


def sans_accents(texte: str) -> str:
    """Le texte en ASCII, casse gardée : accents retirés, ligatures dépliées (œ → oe), « ’ » → « ' »."""
    return texte if texte.isascii() else unidecode(texte)


def forme(texte: str) -> str:
    """Minuscules sans accents, chaque suite de caractères autres que lettres et chiffres réduite à une espace.

    >>> forme("  Hôpital Saint-Louis (AP-HP) ")
    'hopital saint louis ap hp'
    """
    return _NON_ALNUM.sub(" ", sans_accents(texte).lower()).strip()


def sans_parentheses(texte: str) -> str:
    """Le texte sans ses précisions entre parenthèses (« Paris (14e) » → « Paris  »).

    ``[^()]*`` et non ``.*?`` : sur un texte plein de « ( » sans « ) », la forme paresseuse essaie chaque
    parenthèse jusqu'au bout du texte (temps quadratique, une minute pour 3 000 caractères venus de l'API).
    """
    return _PARENTHESES.sub(" ", texte)


def cle_ville(nom: str) -> str:
    """Forme de comparaison d'un nom de ville ou de site : « Paris (14e) », « PARIS » et « paris » se rejoignent."""
    return forme(sans_parentheses(nom))
