"""Le rapport d'analyse servi par l'API : écrit une fois par instantané et par portée, puis servi en fichiers.

Pourquoi un dossier préparé plutôt qu'une page calculée à chaque appel : le rapport lance les requêtes du
catalogue (dont le parcours des 280 000 distances) et dessine seize cartes ; on le fait une fois, dans le dossier
temporaire du service (celui des exports, jamais l'instantané en lecture seule, effacé avec les exports de
l'instantané quand il n'est plus servi). Un verrou par portée évite deux calculs du même rapport à la fois.
"""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

from api.analyses.indicateurs import INDICATEURS, territoire
from api.analyses.modeles import IndicateurAnalyse
from api.analyses.rapport import NOM_PAGE, produire
from api.exports.fichiers import DepotExports
from api.reglages import Reglages
from api.service.erreurs import RequeteRefusee
from api.sparql.catalogue import par_identifiant
from api.sparql.externe import source_sparql
from graphe.instantane import Instantane

#: Les seuls fichiers d'un rapport : la page, ses CSV, ses cartes (aucun autre chemin n'est servi).
MOTIF_FICHIER = re.compile(r"^(index\.html|csv/[a-z0-9_]+\.csv|cartes/[a-z0-9_]+\.(svg|png))$")
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}

_verrous: dict[str, threading.Lock] = {}
_verrou_des_verrous = threading.Lock()


def _verrou(cle: str) -> threading.Lock:
    with _verrou_des_verrous:
        return _verrous.setdefault(cle, threading.Lock())


def dossier_rapport(instantane: Instantane | None, depot: DepotExports, reglages: Reglages, region: str | None) -> Path:
    """Le dossier du rapport (national ou d'une région) de l'instantané servi, écrit au premier appel.

    :raises RequeteRefusee: 503 sans instantané, 404 pour une région inconnue du graphe.
    """
    if instantane is None:
        raise RequeteRefusee("service indisponible : aucun instantané servi", 503)
    # le moteur SPARQL externe s'il est configuré (BOUSSOLE_SPARQL_EXTERNE), comme pour /sparql
    source = source_sparql(reglages.sparql_externe, instantane)
    if region is not None and region not in territoire(source).regions:
        raise RequeteRefusee(f"région inconnue : {region} (code INSEE de région attendu, par ex. 53)", 404)
    portee = "national" if region is None else f"region-{region}"
    dossier = depot.dossier() / instantane.identifiant / "analyses" / portee
    with _verrou(f"{instantane.identifiant}/{portee}"):
        if not (dossier / NOM_PAGE).is_file():
            travail = dossier.with_name(portee + ".travail")
            shutil.rmtree(travail, ignore_errors=True)
            produire(
                source,
                instantane.identifiant,
                instantane.date_construction,
                reglages.donnees,
                travail,
                region,
                progression=False,
            )
            shutil.rmtree(dossier, ignore_errors=True)
            travail.rename(dossier)  # publié complet, ou pas du tout
    return dossier


def fichier(dossier: Path, chemin: str) -> tuple[Path, str]:
    """Le fichier ``chemin`` du rapport et son type ; 404 pour tout autre chemin."""
    if not MOTIF_FICHIER.fullmatch(chemin) or not (dossier / chemin).is_file():
        raise RequeteRefusee(f"fichier inconnu du rapport d'analyse : {chemin}", 404)
    cible = dossier / chemin
    return cible, TYPES[cible.suffix]


def indicateurs() -> list[IndicateurAnalyse]:
    """Les tableaux du rapport, avec la requête qui les calcule et leur CSV national."""
    rendu = []
    for identifiant in INDICATEURS:
        r = par_identifiant(identifiant)
        if r is None:  # pragma: no cover - INDICATEURS ne nomme que des fichiers du dépôt
            continue
        rendu.append(
            IndicateurAnalyse(
                identifiant=r.identifiant,
                titre=r.titre,
                description=r.description,
                fichier=r.fichier,
                colonnes=r.colonnes,
                csv=f"/analyses/csv/{identifiant}.csv",
            )
        )
    return rendu
