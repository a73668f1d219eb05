"""Les exports de l'instantané : graphe complet (N-Quads, TriG, Turtle, JSON-LD), sites en CSV et GeoJSON.

Pourquoi des fichiers préparés une fois : un export complet fait de 50 à 120 Mo et prend quelques secondes à
écrire ; on l'écrit au premier appel dans un dossier temporaire du service (jamais dans l'instantané, qui est
en lecture seule), puis on le sert en flux (``FileResponse`` : morceaux, Range, HEAD) à tous les suivants.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from api.service.sites import Site, TableSites
from ontologie import espaces


@dataclass(frozen=True)
class ExportRdf:
    """Un export du graphe entier : son nom lisible, son fichier, son type et son format Oxigraph."""

    nom: str
    fichier: str
    type_media: str
    format: ox.RdfFormat
    union: bool = False  # triplets de l'union des graphes (formats sans graphes nommés)


EXPORTS_RDF = {
    "nq": ExportRdf("N-Quads", "instantane.nq", "application/n-quads", ox.RdfFormat.N_QUADS),
    "trig": ExportRdf("TriG", "instantane.trig", "application/trig", ox.RdfFormat.TRIG),
    "ttl": ExportRdf("Turtle", "instantane.ttl", "text/turtle", ox.RdfFormat.TURTLE, union=True),
    "jsonld": ExportRdf("JSON-LD", "instantane.jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
}

_verrous: dict[str, threading.Lock] = {k: threading.Lock() for k in EXPORTS_RDF}


class DepotExports:
    """Le dossier temporaire du service où les exports sont écrits une fois, créé au premier export.

    Jamais dans l'instantané (lecture seule) ; :meth:`fermer` l'efface à l'arrêt du service.
    """

    def __init__(self) -> None:
        self._verrou = threading.Lock()
        self._dossier: Path | None = None

    def dossier(self) -> Path:
        """Le dossier des exports (créé au premier appel)."""
        with self._verrou:
            if self._dossier is None:
                self._dossier = Path(tempfile.mkdtemp(prefix="boussole-exports-"))
            return self._dossier

    def oublier(self, identifiant: str) -> None:
        """Efface les exports d'un instantané que le service ne sert plus (≈ 250 Mo chacun, sinon laissés
        dans le dossier temporaire à chaque bascule)."""
        with self._verrou:
            if self._dossier is not None and identifiant and "/" not in identifiant:
                shutil.rmtree(self._dossier / identifiant, ignore_errors=True)

    def fermer(self) -> None:
        """Efface le dossier et tout ce qui y a été écrit."""
        with self._verrou:
            if self._dossier is not None:
                shutil.rmtree(self._dossier, ignore_errors=True)
                self._dossier = None


def fichier_rdf(store: ox.Store, dossier: Path, identifiant: str, cle: str) -> Path:
    """Le fichier d'export ``cle`` de l'instantané ``identifiant`` ; écrit au premier appel (atomiquement).

    :param store: le store de l'instantané.
    :param dossier: le dossier des exports du service.
    :param identifiant: l'identifiant de l'instantané (un sous-dossier par instantané).
    :param cle: nq, trig, ttl ou jsonld (:data:`EXPORTS_RDF`).
    :returns: le chemin du fichier complet.
    """
    export = EXPORTS_RDF[cle]
    cible = dossier / identifiant / export.fichier
    with _verrous[cle]:
        if cible.exists():
            return cible
        cible.parent.mkdir(parents=True, exist_ok=True)
        provisoire = cible.with_suffix(cible.suffix + ".partiel")
        prefixes = {p: str(ns) for p, ns in espaces.PREFIXES.items()}
        with open(provisoire, "wb") as sortie:
            if export.union:
                triplets = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
                assert isinstance(triplets, ox.QueryTriples)
                triplets.serialize(sortie, format=export.format)
            else:
                store.dump(
                    sortie, format=export.format, prefixes=prefixes if export.format != ox.RdfFormat.N_QUADS else None
                )
        os.replace(provisoire, cible)
    return cible


# -- sites ------------------------------------------------------------------------------------------------

COLONNES_CSV = [
    "finess",
    "nom",
    "finess_entite_juridique",
    "categorie",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "departement",
    "departement_nom",
    "region",
    "region_nom",
    "latitude",
    "longitude",
    "precision_geo",
    "besoins",
    "preuves",
    "iri",
]


def _besoins(site: Site) -> tuple[str, str]:
    """« radiotherapie:autorisation|… » et le détail « besoin : libellé (source, date) ; … »."""
    resume, detail = [], []
    for besoin, preuves in site.besoins().items():
        resume.append(f"{besoin}:{preuves[0].niveau}")
        detail += [f"{besoin} : {p.libelle} ({p.source}, {p.date})" for p in preuves]
    return "|".join(resume), " ; ".join(detail)


def ligne_csv(site: Site) -> dict[str, Any]:
    """La ligne CSV d'un site (colonnes :data:`COLONNES_CSV`) ; aussi les propriétés de son objet GeoJSON."""
    e = site.entite
    besoins, preuves = _besoins(site)
    return {
        "finess": e.finess,
        "nom": e.nom,
        "finess_entite_juridique": e.finess_ej or "",
        "categorie": e.categorie or "",
        "adresse": site.rue or "",
        "code_postal": site.code_postal or "",
        "commune": e.commune or "",
        "code_insee": e.commune_code or "",
        "departement": e.departement or "",
        "departement_nom": site.departement_nom or "",
        "region": e.region or "",
        "region_nom": site.region_nom or "",
        "latitude": "" if e.latitude is None else f"{e.latitude:.6f}",
        "longitude": "" if e.longitude is None else f"{e.longitude:.6f}",
        "precision_geo": e.precision_geo or "",
        "besoins": besoins,
        "preuves": preuves,
        "iri": e.iri,
    }


def csv_sites(table: TableSites) -> str:
    """Les sites en CSV (CRLF, BOM UTF-8 pour les tableurs), un site par ligne, triés par FINESS."""
    tampon = io.StringIO()
    ecrivain = csv.DictWriter(tampon, fieldnames=COLONNES_CSV, lineterminator="\r\n")
    ecrivain.writeheader()
    for site in table.sites:
        ecrivain.writerow(ligne_csv(site))
    return "\ufeff" + tampon.getvalue()  # BOM : un tableur français lit l'UTF-8 sans se tromper


def geojson_sites(table: TableSites) -> str:
    """FeatureCollection RFC 7946 : un Point [longitude, latitude] par site géolocalisé."""
    entites = []
    for site in table.sites:
        e = site.entite
        if e.latitude is None or e.longitude is None:
            continue
        proprietes = ligne_csv(site)
        del proprietes["latitude"], proprietes["longitude"]
        proprietes["besoins"] = {
            b: [{"niveau": p.niveau, "fait": p.libelle, "source": p.source, "date": p.date} for p in preuves]
            for b, preuves in site.besoins().items()
        }
        del proprietes["preuves"]
        entites.append(
            {
                "type": "Feature",
                "id": e.finess,
                "geometry": {"type": "Point", "coordinates": [round(e.longitude, 6), round(e.latitude, 6)]},
                "properties": proprietes,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": entites}, ensure_ascii=False)
