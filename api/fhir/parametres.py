"""Les paramètres de recherche FHIR (``_count``, ``_offset``, ``near``, ``name``, ``identifier``), validés.

Pourquoi à la main plutôt que par FastAPI : un paramètre FHIR invalide doit donner un ``OperationOutcome`` (400,
diagnostic en français), pas la réponse de validation générique de l'API.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from api.fhir.ressources import SYSTEME_FINESS, SYSTEME_IDNST
from graphe.texte import cle_ville

COMPTE_DEFAUT, COMPTE_MAX = 50, 500
DISTANCE_MAX_KM = 2000.0
#: Longueur maximale d'un paramètre texte (nom, identifiant) : un nom d'établissement tient en 200 caractères.
TEXTE_MAX = 200
#: Les unités UCUM de ``near`` (FHIR R4 : km par défaut) et leur facteur vers le kilomètre.
UNITES_KM = {"km": 1.0, "": 1.0, "m": 0.001}


class ErreurFhir(Exception):
    """Une erreur de la façade FHIR, rendue en ``OperationOutcome``.

    :param diagnostic: l'explication française.
    :param statut: le code HTTP.
    :param code: le code FHIR du problème (invalid, not-found, not-supported, transient).
    """

    def __init__(self, diagnostic: str, statut: int, code: str) -> None:
        super().__init__(diagnostic)
        self.diagnostic = diagnostic
        self.statut = statut
        self.code = code


class ParametreInvalide(ErreurFhir):
    """Paramètre de recherche FHIR invalide : 400 avec un OperationOutcome."""

    def __init__(self, diagnostic: str) -> None:
        super().__init__(diagnostic, 400, "invalid")


@dataclass(frozen=True)
class Page:
    """Une page de résultats : ``compte`` ressources à partir du rang ``debut``."""

    compte: int
    debut: int


@dataclass(frozen=True)
class Pres:
    """Le paramètre ``near`` lu : un point et un rayon (km)."""

    latitude: float
    longitude: float
    distance_km: float


@dataclass(frozen=True)
class Filtres:
    """Les filtres ``_id``, ``name:contains`` et ``name:exact`` (mCSD) d'une recherche Organization ou Location."""

    id_logique: str | None = None
    nom_contient: str | None = None
    nom_exact: str | None = None

    def retient(self, ident: str, nom: str | None) -> bool:
        """Vrai si la ressource d'identifiant ``ident`` et de nom ``nom`` passe les filtres."""
        if self.id_logique and ident not in self.id_logique.split(","):
            return False
        motif = motif_nom(self.nom_contient)
        if motif is not None and not (nom and motif in cle_ville(nom)):
            return False
        return not self.nom_exact or nom == self.nom_exact


def compte(valeur: str | None) -> int:
    """``_count`` : la taille de page (défaut 50, de 1 à 500)."""
    if valeur is None or valeur == "":
        return COMPTE_DEFAUT
    try:
        n = int(valeur)
    except ValueError as e:
        raise ParametreInvalide(f"_count doit être un entier entre 1 et {COMPTE_MAX} (reçu « {valeur} »)") from e
    if not 1 <= n <= COMPTE_MAX:
        raise ParametreInvalide(f"_count doit être compris entre 1 et {COMPTE_MAX} (reçu {n})")
    return n


def decalage(valeur: str | None) -> int:
    """``_offset`` : le rang de départ (défaut 0)."""
    if valeur is None or valeur == "":
        return 0
    try:
        n = int(valeur)
    except ValueError as e:
        raise ParametreInvalide(f"_offset doit être un entier positif (reçu « {valeur} »)") from e
    if n < 0:
        raise ParametreInvalide(f"_offset doit être positif (reçu {n})")
    return n


def page(count: str | None, offset: str | None) -> Page:
    """La page demandée par ``_count`` et ``_offset`` (``_count`` vérifié d'abord)."""
    return Page(compte(count), decalage(offset))


def pres(valeur: str) -> Pres:
    """``near=latitude|longitude|distance|unité`` (FHIR R4, mCSD) ; distance par défaut 50 km, unité km."""
    parties = valeur.split("|")
    if not 2 <= len(parties) <= 4:
        raise ParametreInvalide("near doit s'écrire latitude|longitude|distance|km (ex. 47.66|-2.76|30|km)")
    try:
        lat, lon = float(parties[0]), float(parties[1])
        distance = float(parties[2]) if len(parties) > 2 and parties[2] else 50.0
    except ValueError as e:
        raise ParametreInvalide(f"near : nombres attendus dans « {valeur} » (latitude|longitude|distance|km)") from e
    if not all(math.isfinite(x) for x in (lat, lon, distance)):
        raise ParametreInvalide("near : latitude, longitude et distance doivent être des nombres finis")
    if not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise ParametreInvalide(f"near : latitude entre -90 et 90, longitude entre -180 et 180 (reçu {lat}, {lon})")
    unite = parties[3].strip() if len(parties) > 3 else "km"
    if unite not in UNITES_KM:
        raise ParametreInvalide(f"near : unité UCUM km ou m attendue (reçu « {unite} »)")
    distance = distance * UNITES_KM[unite]
    if not 0 < distance <= DISTANCE_MAX_KM:
        raise ParametreInvalide(f"near : distance entre 0 et {DISTANCE_MAX_KM:g} km (reçu {distance:g} km)")
    return Pres(lat, lon, distance)


def correspond_identifiant(finess: str, valeur: str) -> bool:
    """Vrai si ``identifier`` (``FINESS``, ``système|FINESS`` ou ``urn:oid…|IDNST``) désigne ``finess``."""
    systeme, _, code = valeur.rpartition("|")
    if systeme in ("", SYSTEME_FINESS):
        return code == finess
    if systeme == SYSTEME_IDNST:
        return code == "1" + finess
    return False


def motif_nom(valeur: str | None) -> str | None:
    """Le paramètre ``name`` sous sa forme de comparaison (sans casse ni accents), borné en longueur.

    Recherche FHIR ``name`` : « commence par » dans la norme ; ici « contient », plus utile pour un annuaire.
    """
    if valeur is None or valeur == "":
        return None
    if len(valeur) > TEXTE_MAX:
        raise ParametreInvalide(f"name : au plus {TEXTE_MAX} caractères (reçu {len(valeur)})")
    motif = cle_ville(valeur)
    if not motif:
        raise ParametreInvalide(f"name : aucune lettre ni aucun chiffre dans « {valeur[:40]} »")
    return motif


def verifier_identifiant(valeur: str | None) -> None:
    """``identifier`` : au plus 200 caractères."""
    if valeur is not None and len(valeur) > TEXTE_MAX:
        raise ParametreInvalide(f"identifier : au plus {TEXTE_MAX} caractères (reçu {len(valeur)})")
