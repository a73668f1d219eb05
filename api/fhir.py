"""Une façade FHIR R4 (lecture, recherche) des sites : Organization, Location, HealthcareService.

Pourquoi FHIR : c'est la langue des annuaires de santé (Annuaire Santé de l'ANS, profil IHE mCSD). Un logiciel
de coordination qui sait lire un annuaire mCSD lit Boussole sans adaptation : un site = une ``Organization``
(partie de son entité juridique) + une ``Location`` (point, adresse) + un ``HealthcareService`` par besoin
couvert, dont le commentaire dit le niveau de preuve, la source et la date.

Identifiants : le FINESS dans le système ``http://finess.sante.gouv.fr`` (type FINEG/FINEJ) et l'identifiant
national de structure ``urn:oid:1.2.250.1.71.4.2.2`` (IDNST = « 1 » + FINESS), comme l'Annuaire Santé.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from api.vue import Site, Vue, libelle_besoin
from ontologie import espaces
from recherche.catalogue import cle_ville, distances_km

MEDIA_FHIR = "application/fhir+json"
SYSTEME_IDNST = "urn:oid:1.2.250.1.71.4.2.2"
SYSTEME_FINESS = "http://finess.sante.gouv.fr"
SYSTEME_TYPE_ID = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
SYSTEME_BESOIN = str(espaces.CONCEPT) + "besoin"
SYSTEME_NIVEAU = str(espaces.BO) + "niveauPreuve"
EXTENSION_DISTANCE = "http://hl7.org/fhir/StructureDefinition/location-distance"
COMPTE_DEFAUT, COMPTE_MAX = 50, 500
DISTANCE_MAX_KM = 2000.0
#: Longueur maximale d'un paramètre texte (nom, identifiant) : un nom d'établissement tient en 200 caractères.
TEXTE_MAX = 200


class ParametreInvalide(ValueError):
    """Paramètre de recherche FHIR invalide : 400 avec un OperationOutcome."""


def issue(diagnostic: str, code: str = "invalid", gravite: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": gravite, "code": code, "diagnostics": diagnostic}],
    }


def _id(texte: str) -> str:
    """Identifiant FHIR : [A-Za-z0-9-.]{1,64}."""
    return "".join(c if c.isalnum() or c in "-." else "-" for c in texte)[:64]


def _identifiants(finess: str, juridique: bool) -> list[dict]:
    return [
        {
            "use": "official",
            "type": {"coding": [{"system": SYSTEME_TYPE_ID, "code": "FINEJ" if juridique else "FINEG"}]},
            "system": SYSTEME_FINESS,
            "value": finess,
        },
        {
            "use": "official",
            "type": {"coding": [{"system": SYSTEME_TYPE_ID, "code": "IDNST"}]},
            "system": SYSTEME_IDNST,
            "value": "1" + finess,
        },
    ]


def organisation(site: Site) -> dict:
    e = site.entite
    ressource = {
        "resourceType": "Organization",
        "id": _id(e.finess or ""),
        "identifier": _identifiants(e.finess or "", False),
        "active": True,
        "name": e.nom,
        "address": [_adresse(site)],
    }
    if e.categorie:
        ressource["type"] = [{"text": e.categorie}]
    if e.finess_ej:
        partie = {
            "reference": f"Organization/ej-{_id(e.finess_ej)}",
            "identifier": {"system": SYSTEME_FINESS, "value": e.finess_ej},
        }
        if site.ej_nom:
            partie["display"] = site.ej_nom
        ressource["partOf"] = partie
    return ressource


def organisation_juridique(finess: str, nom: str | None) -> dict:
    r = {
        "resourceType": "Organization",
        "id": "ej-" + _id(finess),
        "identifier": _identifiants(finess, True),
        "active": True,
    }
    if nom:
        r["name"] = nom
    return r


def _adresse(site: Site) -> dict:
    a = {"use": "work", "type": "both", "country": "FRA"}
    if site.rue:
        a["line"] = [site.rue]
    if site.code_postal:
        a["postalCode"] = site.code_postal
    if site.entite.commune or site.localite:
        a["city"] = site.entite.commune or site.localite
    if site.departement_nom:
        a["district"] = site.departement_nom
    return a


def lieu(site: Site) -> dict:
    e = site.entite
    r = {
        "resourceType": "Location",
        "id": _id(e.finess or ""),
        "identifier": _identifiants(e.finess or "", False)[:1],
        "status": "active",
        "mode": "instance",
        "name": e.nom,
        "address": _adresse(site),
        "managingOrganization": {"reference": f"Organization/{_id(e.finess or '')}", "display": e.nom},
    }
    if e.latitude is not None and e.longitude is not None:
        r["position"] = {"latitude": round(e.latitude, 6), "longitude": round(e.longitude, 6)}
    return r


def services(site: Site) -> list[dict]:
    e = site.entite
    sortie = []
    for besoin, preuves in site.besoins().items():
        meilleure = preuves[0]
        faits = " ; ".join(f"{p.libelle} (source : {p.source}, {p.date})" for p in preuves)
        sortie.append(
            {
                "resourceType": "HealthcareService",
                "id": _id(f"{e.finess}-{besoin}"),
                "active": True,
                "providedBy": {"reference": f"Organization/{_id(e.finess or '')}", "display": e.nom},
                "category": [
                    {"coding": [{"system": SYSTEME_BESOIN, "code": besoin, "display": libelle_besoin(besoin)}]}
                ],
                "type": [
                    {
                        "coding": [{"system": SYSTEME_NIVEAU, "code": meilleure.niveau}],
                        "text": f"niveau de preuve : {meilleure.niveau}",
                    }
                ],
                "location": [{"reference": f"Location/{_id(e.finess or '')}"}],
                "name": f"{libelle_besoin(besoin)} — {e.nom}",
                "comment": f"Niveau de preuve : {meilleure.niveau}. {faits}",
            }
        )
    return sortie


# -- paramètres -------------------------------------------------------------------------------------------


def compte(valeur: str | None) -> int:
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
    if valeur is None or valeur == "":
        return 0
    try:
        n = int(valeur)
    except ValueError as e:
        raise ParametreInvalide(f"_offset doit être un entier positif (reçu « {valeur} »)") from e
    if n < 0:
        raise ParametreInvalide(f"_offset doit être positif (reçu {n})")
    return n


@dataclass(frozen=True)
class Pres:
    latitude: float
    longitude: float
    distance_km: float


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
    if not 0 < distance <= DISTANCE_MAX_KM:
        raise ParametreInvalide(f"near : distance entre 0 et {DISTANCE_MAX_KM:g} km (reçu {distance:g})")
    unite = parties[3].strip() if len(parties) > 3 else "km"
    if unite not in ("km", ""):
        raise ParametreInvalide(f"near : seule l'unité km est prise en charge (reçu « {unite} »)")
    return Pres(lat, lon, distance)


def _correspond_identifiant(site_finess: str, valeur: str, juridique: bool = False) -> bool:
    systeme, _, code = valeur.rpartition("|")
    if systeme in ("", SYSTEME_FINESS):
        return code == site_finess
    if systeme == SYSTEME_IDNST:
        return code == "1" + site_finess
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


def _verifier_identifiant(valeur: str | None) -> None:
    if valeur is not None and len(valeur) > TEXTE_MAX:
        raise ParametreInvalide(f"identifier : au plus {TEXTE_MAX} caractères (reçu {len(valeur)})")


# -- recherches -------------------------------------------------------------------------------------------


def _paquet(
    base: str,
    chemin: str,
    ressources: list[dict],
    total: int,
    n: int,
    debut: int,
    params: dict,
    recherche: list[dict] | None = None,
) -> dict:
    from urllib.parse import urlencode

    def lien(relation: str, depart: int) -> dict:
        p = {k: v for k, v in params.items() if v not in (None, "")}
        p.update({"_count": n, "_offset": depart})
        return {"relation": relation, "url": f"{base}{chemin}?{urlencode(p)}"}

    liens = [lien("self", debut)]
    if debut + n < total:
        liens.append(lien("next", debut + n))
    if debut > 0:
        liens.append(lien("previous", max(0, debut - n)))
    entrees = []
    for i, r in enumerate(ressources):
        entree = {"fullUrl": f"{base}/fhir/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}}
        if recherche and recherche[i]:
            entree["search"].update(recherche[i])
        entrees.append(entree)
    return {"resourceType": "Bundle", "type": "searchset", "total": total, "link": liens, "entry": entrees}


def chercher_organisations(vue: Vue, base: str, identifier: str | None, name: str | None, n: int, debut: int) -> dict:
    _verifier_identifiant(identifier)
    motif = motif_nom(name)
    ressources: list[dict] = []
    for site in vue.sites:
        if identifier and not _correspond_identifiant(site.finess, identifier):
            continue
        if motif is not None and motif not in site.cle_nom:
            continue
        ressources.append(organisation(site))
    for finess, nom in sorted(vue.entites_juridiques.items()):
        if identifier and not _correspond_identifiant(finess, identifier):
            continue
        if motif is not None and not (nom and motif in cle_ville(nom)):
            continue
        ressources.append(organisation_juridique(finess, nom))
    params = {"identifier": identifier, "name": name}
    return _paquet(base, "/fhir/Organization", ressources[debut : debut + n], len(ressources), n, debut, params)


def chercher_lieux(
    vue: Vue,
    base: str,
    identifier: str | None,
    name: str | None,
    near: Pres | None,
    n: int,
    debut: int,
    near_brut: str | None = None,
) -> dict:
    _verifier_identifiant(identifier)
    motif = motif_nom(name)
    sites = [
        s
        for s in vue.sites
        if (not identifier or _correspond_identifiant(s.finess, identifier)) and (motif is None or motif in s.cle_nom)
    ]
    extensions: list[dict] | None = None
    if near is not None:
        avec_point = [s for s in sites if s.entite.latitude is not None and s.entite.longitude is not None]
        points = np.radians(
            np.array([(s.entite.latitude, s.entite.longitude) for s in avec_point], dtype=float).reshape(-1, 2)
        )
        d = distances_km(points, near.latitude, near.longitude) if len(avec_point) else np.array([])
        ordre = [i for i in np.argsort(d, kind="stable") if d[i] <= near.distance_km]
        sites = [avec_point[i] for i in ordre]
        distances = [float(d[i]) for i in ordre]
        extensions = [
            {
                "extension": [
                    {
                        "url": EXTENSION_DISTANCE,
                        "valueDistance": {
                            "value": round(x, 3),
                            "unit": "km",
                            "system": "http://unitsofmeasure.org",
                            "code": "km",
                        },
                    }
                ]
            }
            for x in distances
        ]
    page = sites[debut : debut + n]
    params = {"identifier": identifier, "name": name, "near": near_brut}
    return _paquet(
        base,
        "/fhir/Location",
        [lieu(s) for s in page],
        len(sites),
        n,
        debut,
        params,
        extensions[debut : debut + n] if extensions is not None else None,
    )


def chercher_services(vue: Vue, base: str, categorie: str | None, organization: str | None, n: int, debut: int) -> dict:
    ressources = []
    cible = organization.rsplit("/", 1)[-1] if organization else None
    code = categorie.rpartition("|")[2] if categorie else None
    for site in vue.sites:
        if cible and site.finess != cible:
            continue
        for s in services(site):
            if code and s["category"][0]["coding"][0]["code"] != code:
                continue
            ressources.append(s)
    params = {"service-category": categorie, "organization": organization}
    return _paquet(base, "/fhir/HealthcareService", ressources[debut : debut + n], len(ressources), n, debut, params)


def declaration(base: str, date: str) -> dict:
    """CapabilityStatement : ce que la façade sait faire (lecture, recherche)."""

    def ressource(type_: str, params: list[tuple[str, str, str]]) -> dict:
        return {
            "type": type_,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [{"name": n, "type": t, "documentation": d} for n, t, d in params],
        }

    communs = [
        ("_count", "number", f"Taille de page (défaut {COMPTE_DEFAUT}, au plus {COMPTE_MAX})."),
        ("_offset", "number", "Rang de départ (pagination)."),
    ]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "publisher": "Boussole",
        "kind": "instance",
        "software": {"name": "Boussole", "version": "0.1.0"},
        "implementation": {
            "description": "Annuaire FHIR en lecture de l'offre de soins en cancérologie",
            "url": f"{base}/fhir",
        },
        "fhirVersion": "4.0.1",
        "format": [MEDIA_FHIR, "json"],
        "instantiates": ["https://profiles.ihe.net/ITI/mCSD/CapabilityStatement/IHE.mCSD.Directory"],
        "rest": [
            {
                "mode": "server",
                "resource": [
                    ressource(
                        "Organization",
                        [
                            ("identifier", "token", "FINESS (système http://finess.sante.gouv.fr) ou IDNST"),
                            ("name", "string", "Nom (contient, sans accents)"),
                            *communs,
                        ],
                    ),
                    ressource(
                        "Location",
                        [
                            ("identifier", "token", "FINESS géographique"),
                            ("name", "string", "Nom"),
                            ("near", "special", "latitude|longitude|distance|km ; tri par distance"),
                            *communs,
                        ],
                    ),
                    ressource(
                        "HealthcareService",
                        [
                            ("service-category", "token", f"Besoin ({SYSTEME_BESOIN}|code)"),
                            ("organization", "reference", "Organization/{finess}"),
                            *communs,
                        ],
                    ),
                ],
            }
        ],
    }
