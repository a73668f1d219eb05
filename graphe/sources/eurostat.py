"""Points Eurostat GISCO (``geoloc/eurostat_healthcare_services_FR.csv``) et choix du point de chaque site.

Pourquoi vérifier chaque point : quelques points Eurostat sont faux de centaines de kilomètres (un au centre
géographique de la France). On compare chaque point à celui de la commune du site (distance orthodromique) :

- point Eurostat à moins de ``SEUIL_KM`` de la commune → ``bo:precisionGeo "etablissement"`` ;
- sinon point de la commune → ``bo:precisionGeo "commune"`` (``bo:ecartCommuneKm`` garde l'écart constaté) ;
- ni l'un ni l'autre → pas de point, avertissement « site non géolocalisé ».

Choix du seuil (15 km), fait sur la distribution réelle (2 708 sites avec les deux points) : médiane 1,1 km,
95 % sous 5,1 km, 98 % sous 8,4 km. Entre 10 et 15 km on trouve des sites justes de très grandes communes
(Marseille 11e et 15e, La Teste-de-Buch) ; au-delà de 15 km, tous les cas examinés sont faux (ville Eurostat
différente de la commune SAE, ou point en double dans une autre ville) : Le Pré-Saint-Gervais à 19 km,
Agen à 22 km, Évreux à 25 km, puis des écarts de 59 à 767 km.

Une commune sans point (Saint-Martin, Saint-Barthélemy…) ne permet pas de vérifier : le point Eurostat est
gardé (« etablissement »), sans ``bo:ecartCommuneKm``, avec un avertissement.

Comptage : le fichier couvre 5 368 établissements, dont beaucoup hors de la SAE 2023 (EHPAD, centres fermés,
numéros changés). Ces lignes sont **hors périmètre** : ni gardées ni rejetées, elles sont décomptées de
``lues`` et résumées par un avertissement (ligne 0). ``lues`` compte donc les lignes de sites SAE :
gardée = point retenu ; rejetée = point illisible, en double ou jugé faux (repli sur la commune).
Les sites SAE absents d'Eurostat reçoivent le point de leur commune (résumé en un avertissement).

Pourquoi deux graphes nommés : un point de repli est celui de la commune, pas celui d'Eurostat. Il vit dans
``src:geo-points-communes``, crédité au référentiel des communes (INSEE / Etalab, sa date), pas à Eurostat ;
seul l'écart constaté à un point Eurostat écarté (``bo:ecartCommuneKm``) reste dans ``src:eurostat-geoloc``,
parce que c'est un fait sur le point d'Eurostat. Le rapport du repli compte un site placé par « ligne gardée »
(une garde de publication voit donc une baisse, ou une hausse des replis côté Eurostat).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from graphe.geodesie import coordonnees, distance_km, ecrire_point
from graphe.sources.base import (
    Contexte,
    DescriptionSource,
    InfoEtablissement,
    Lecture,
    Rapport,
    finess_valide,
    lire_csv,
    nouveau_graphe,
)
from ontologie import espaces
from ontologie.espaces import BO

SOURCE = "eurostat-geoloc"
#: La source des points de repli : le point de la commune du site (voir le docstring).
SOURCE_REPLI = "geo-points-communes"
FICHIER = "geoloc/eurostat_healthcare_services_FR.csv"
#: Écart maximal admis entre le point Eurostat d'un site et le point de sa commune (voir le docstring).
SEUIL_KM = 15.0


def finess_eurostat(identifiant: str) -> str:
    """L'``id`` Eurostat est le FINESS ET sans son zéro initial : on le complète à 9 caractères.

    Les numéros corses gardent leurs lettres (``2A0000022``) et ont déjà 9 caractères.
    """
    identifiant = identifiant.strip()
    return identifiant.zfill(9) if identifiant.isdigit() else identifiant


def _ecrire_point(
    g: Graph, site: URIRef, lat: float, lon: float, precision: str, ecart: float | None
) -> None:
    # Comme pour les communes, latitude, longitude et précision sont portées par le site lui-même
    # (domaine bo:Etablissement de bo:precisionGeo et bo:ecartCommuneKm dans ontologie/turtle/boussole.ttl).
    ecrire_point(g, site, lat, lon)
    g.add((site, BO.precisionGeo, Literal(precision)))
    if ecart is not None:
        g.add((site, BO.ecartCommuneKm, Literal(round(ecart, 2), datatype=XSD.decimal)))


def _point_commune(info: InfoEtablissement, contexte: Contexte) -> tuple[float, float] | None:
    commune = contexte.communes.get(info.commune)
    if commune is None or commune.latitude is None or commune.longitude is None:
        return None
    return commune.latitude, commune.longitude


def lire(donnees: Path, contexte: Contexte) -> list[Lecture]:
    """Un point par site SAE : Eurostat vérifié, sinon commune, sinon aucun (voir le docstring du module).

    :returns: deux lectures : les points Eurostat retenus, puis les points de repli (commune du site).
    """
    from graphe.sources.geo import DATE_DONNEES, EDITEUR, FICHIER_COMMUNES

    rapport = Rapport(SOURCE, FICHIER)
    g = nouveau_graphe()
    repli = nouveau_graphe()
    rapport_repli = Rapport(SOURCE_REPLI, FICHIER_COMMUNES)
    hors_perimetre = 0
    vus: dict[str, int] = {}
    #: FINESS → (lat, lon, écart à la commune ou None) des points Eurostat retenus
    retenus: dict[str, tuple[float, float, float | None]] = {}
    ecarts: dict[str, float] = {}
    for numero, ligne in lire_csv(
        donnees / FICHIER, rapport, separateur=",", encodage="utf-8", colonnes_requises=("id", "lat", "lon")
    ):
        finess = finess_eurostat(ligne["id"])
        if not finess_valide(finess):
            rapport.rejeter(numero, f"identifiant Eurostat {ligne['id']!r} : pas un FINESS")
            continue
        info = contexte.etablissements.get(finess)
        if info is None:
            rapport.lues -= 1
            hors_perimetre += 1
            continue
        if finess in vus:
            rapport.rejeter(
                numero, f"site {finess} en double (première occurrence ligne {vus[finess]} gardée)"
            )
            continue
        vus[finess] = numero
        point = coordonnees(ligne["lat"], ligne["lon"])
        if point is None:
            rapport.rejeter(
                numero, f"site {finess} : coordonnées illisibles ({ligne['lat']!r}, {ligne['lon']!r})"
            )
            continue
        lat, lon = point
        reference = _point_commune(info, contexte)
        if reference is None:
            rapport.avertir(
                numero,
                f"site {finess} : commune {info.commune or '?'} sans point, "
                "point Eurostat gardé sans vérification",
            )
            retenus[finess] = (lat, lon, None)
            rapport.gardees += 1
            continue
        ecart = distance_km(lat, lon, *reference)
        if ecart > SEUIL_KM:
            ecarts[finess] = ecart
            rapport.rejeter(
                numero,
                f"site {finess} ({info.nom}) : point Eurostat à {ecart:.1f} km de sa commune {info.ville} "
                f"(seuil {SEUIL_KM:g} km), repli sur le point de la commune",
            )
            continue
        retenus[finess] = (lat, lon, ecart)
        rapport.gardees += 1

    par_commune = sans_point = 0
    for finess, info in contexte.etablissements.items():
        site = espaces.etablissement(finess)
        if finess in retenus:
            lat, lon, ecart_verifie = retenus[finess]
            _ecrire_point(g, site, lat, lon, "etablissement", ecart_verifie)
            continue
        reference = _point_commune(info, contexte)
        if reference is None:
            sans_point += 1
            rapport.avertir(0, f"site {finess} ({info.nom}, commune {info.commune or '?'}) non géolocalisé")
            continue
        par_commune += 1
        _ecrire_point(repli, site, *reference, "commune", None)
        if finess in ecarts:
            g.add((site, BO.ecartCommuneKm, Literal(round(ecarts[finess], 2), datatype=XSD.decimal)))
    rapport_repli.lues = rapport_repli.gardees = par_commune
    rapport.avertir(
        0,
        f"{len(retenus)} sites au point Eurostat, {par_commune} au point de leur commune, "
        f"{sans_point} non géolocalisés ; {hors_perimetre} lignes Eurostat hors périmètre "
        "(FINESS absent de la SAE ID 2023) ignorées",
    )
    description = DescriptionSource(
        nom=SOURCE,
        titre="Eurostat GISCO — établissements de santé (France), points vérifiés",
        editeur="Eurostat GISCO (dérivé de FINESS)",
        licence="https://ec.europa.eu/eurostat/web/gisco/geodata/basic-geographical-data/healthcare-services",
        fichiers=[FICHIER],
        date_donnees="2020-03-06",
        url="https://ec.europa.eu/eurostat/web/gisco/geodata/basic-geographical-data/healthcare-services",
        note=f"Point Eurostat gardé s'il est à moins de {SEUIL_KM:g} km du point de la commune du site, "
        f"sinon point de la commune (bo:precisionGeo), rangé dans la source {SOURCE_REPLI}.",
    )
    description_repli = EDITEUR.decrire(
        SOURCE_REPLI,
        "Point de la commune du site, faute de point Eurostat vérifié",
        FICHIER_COMMUNES,
        DATE_DONNEES,
        f"{par_commune} sites placés au point de leur commune (précision « commune ») : absents d'Eurostat, ou "
        f"point Eurostat à plus de {SEUIL_KM:g} km de la commune.",
    )
    return [Lecture(description, g, rapport), Lecture(description_repli, repli, rapport_repli)]
