"""Lire une cellule d'une liste curée : ce qui est un fait, les URL, les établissements cités, les concepts.

Pourquoi à part du squelette : ces fonctions ne touchent ni au graphe ni au rapport ; ce sont les règles de
lecture du texte recopié à la main (« non précisé » n'est pas un fait, une cellule peut citer plusieurs
établissements, un périmètre nomme des localisations), partagées par toutes les listes.
"""

from __future__ import annotations

import re

_NON_PRECISE = re.compile(r"^\s*(non (précis|indiqu|trouv|nomm)|n\.?d\.?\s*$)", re.IGNORECASE)
#: Morceaux de texte qui ne nomment visiblement pas un établissement (« 7 villes au total… »).
PAS_UN_NOM = re.compile(
    r"non nomm|nom tronqu|au total|non trouv|non précis|^\d|^liste\b|^implique|^les \d|\d+ établissements",
    re.IGNORECASE,
)
#: Mots qui signalent un nom d'établissement (ou un sigle connu) dans un morceau de texte.
MOT_ETABLISSEMENT = re.compile(
    r"\b(CHU|CHRU|CHR|CH|CLCC|CRLCC|AP-HP|AP-HM|APHP|HCL|Hôpital|Hôpitaux|Hospices|Clinique|Polyclinique|"
    r"Institut|Centre|Gustave|Curie|IHOPe|CEM|CAL|IPC|ICO|GHU|Assistance Publique)\b",
    re.IGNORECASE,
)


def concepts_de(texte: str, table: tuple[tuple[str, str], ...]) -> list[str]:
    """Codes dont un motif apparaît dans le texte (sans doublon, dans l'ordre de la table)."""
    return list(dict.fromkeys(code for motif, code in table if re.search(motif, texte, re.IGNORECASE)))


def precise(valeur: str | None) -> bool:
    """Une cellule qui dit quelque chose (ni vide, ni « non précisé »)."""
    return bool(valeur and valeur.strip() and not _NON_PRECISE.match(valeur))


def urls(cellule: str) -> list[str]:
    """Les URL d'une cellule ``source`` (séparées par « | »)."""
    return [u.strip() for u in (cellule or "").split(" | ") if u.strip()]


def domaine(url: str) -> str:
    """Le nom de domaine d'une URL, sans « www. » (pour citer une source en peu de mots)."""
    m = re.match(r"https?://(?:www\.)?([^/]+)", url)
    return m.group(1) if m else url


def sources_courtes(ligne: dict[str, str]) -> str:
    """Les domaines cités par la colonne ``source`` d'une ligne, pour les libellés (« source inca.fr »)."""
    return (
        ", ".join(dict.fromkeys(domaine(u) for u in urls(ligne.get("source", "")))) or "source non indiquée"
    )


def url_site(cellule: str) -> str | None:
    """« www.oncorif.fr », « oncopacacorse.org (ancien : …) » → URL ; rien si la cellule n'en donne pas."""
    if not precise(cellule):
        return None
    premier = cellule.strip().split()[0]
    if premier.startswith("http"):
        return premier
    if re.fullmatch(r"[\w.-]+\.[a-z]{2,}(/\S*)?", premier):
        return "https://" + premier
    return None


def morceaux_etablissements(texte: str, separateur: str | None = None) -> list[str]:
    """Découpe une cellule qui cite plusieurs établissements (« CHU de Nice et Centre Antoine Lacassagne »).

    Le contenu d'une parenthèse reste collé à son nom (« La Timone (hématologie, immunologie) »), sauf s'il
    énumère lui-même des établissements (« Pôle régional (CHU de Rennes, Centre Eugène Marquis) »).
    ``separateur`` impose un seul séparateur (« ; » pour les listes de membres « Nom, Ville ; Nom, Ville »).
    """

    def parenthese(m: re.Match[str]) -> str:
        interieur = [x.strip() for x in m.group(1).split(",")]
        if len(interieur) >= 2 and all(MOT_ETABLISSEMENT.search(x) for x in interieur):
            return " ; " + " ; ".join(interieur)
        return "(" + m.group(1).replace(",", "\x00").replace(";", "\x01").replace(" et ", "\x02") + ")"

    t = re.sub(r"\(([^)]*)\)", parenthese, texte)
    if separateur:
        morceaux = t.split(separateur)
    else:
        morceaux = re.split(
            r"\s*;\s*|\s*,\s+(?=[A-ZÉ+«])|\s+et\s+(?=[A-ZÉ])|\s+avec\s+|\s+en alternance avec\s+", t
        )
    sortie = []
    for m in morceaux:
        m = (
            m.replace("\x00", ",")
            .replace("\x01", ";")
            .replace("\x02", " et ")
            .strip()
            .lstrip("+")
            .strip(" ,")
        )
        if ":" in m:
            m = m.rsplit(":", 1)[1].strip()
        if m:
            sortie.append(m)
    return sortie


def nom_et_ville(morceau: str) -> tuple[str, str | None]:
    """« Centre Léon Bérard, Lyon » → (« Centre Léon Bérard », « Lyon ») ; sans ville reconnue, ville None."""
    m = re.match(r"^(.*?),\s*([A-ZÉ][\w\-' ]+)$", morceau.strip())
    if m and len(m.group(2).split()) <= 3:
        return m.group(1).strip(), m.group(2).strip()
    return morceau.strip(), None
