"""Les recherches que le profil IHE mCSD (Directory) demande en plus : ``active``, ``partof``, ``type``,
``organization``, ``status``, ``location``, ``service-type``, ``_id``, ``name`` et ``_include``.

Pourquoi à part : la déclaration ``instantiates IHE.mCSD.Directory`` promet ces recherches ; chacune est lue et
vérifiée ici (400 en OperationOutcome si la valeur est invalide), puis appliquée par ``api.fhir.recherche``.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.fhir.parametres import ParametreInvalide
from api.service.sites import Site
from graphe.texte import cle_ville

STATUTS_LIEU = ("active", "suspended", "inactive")
#: Les ``_include`` compris sur HealthcareService, et l'élément de référence qu'ils suivent.
INCLUSIONS_SERVICE = {"HealthcareService:location": "Location", "HealthcareService:organization": "Organization"}


def booleen(nom: str, valeur: str | None) -> bool | None:
    """Un paramètre jeton booléen FHIR (``true`` / ``false``) ; None s'il est absent."""
    if valeur is None or valeur == "":
        return None
    if valeur not in ("true", "false"):
        raise ParametreInvalide(f"{nom} : true ou false attendu (reçu « {valeur[:40]} »)")
    return valeur == "true"


def cible(nom: str, valeur: str | None, type_: str) -> str | None:
    """L'identifiant logique d'une référence (``Type/id``, adresse absolue ``…/Type/id`` ou ``id`` seul)."""
    if valeur is None or valeur == "":
        return None
    morceaux = valeur.rstrip("/").split("/")
    if len(morceaux) > 1 and morceaux[-2] != type_:
        raise ParametreInvalide(f"{nom} : une référence {type_}/id est attendue (reçu « {valeur[:80]} »)")
    return morceaux[-1]


def jetons(nom: str, valeur: str | None, permis: tuple[str, ...] | None = None) -> set[str] | None:
    """Les codes d'un paramètre jeton (``code``, ``système|code``, plusieurs séparés par des virgules)."""
    if valeur is None or valeur == "":
        return None
    codes = {v.rpartition("|")[2] for v in valeur.split(",")}
    if permis is not None and not codes <= set(permis):
        raise ParametreInvalide(f"{nom} : {', '.join(permis)} attendu (reçu « {valeur[:40]} »)")
    return codes


def inclusions(valeur: list[str]) -> list[str]:
    """Les types suivis par ``_include`` (``HealthcareService:location`` → Location) ; un autre est refusé."""
    types = []
    for v in valeur:
        if v not in INCLUSIONS_SERVICE:
            raise ParametreInvalide(
                f"_include « {v[:60]} » non pris en charge : {', '.join(INCLUSIONS_SERVICE)}"
            )
        types.append(INCLUSIONS_SERVICE[v])
    return types


@dataclass(frozen=True)
class FiltresOrganisation:
    """``active``, ``partof`` (l'entité juridique) et ``type`` (la catégorie d'établissement, sans casse)."""

    actif: bool | None = None
    partie_de: str | None = None
    types: set[str] | None = None

    @classmethod
    def lire(cls, active: str | None, partof: str | None, type_: str | None) -> FiltresOrganisation:
        partie = cible("partof", partof, "Organization")
        types = jetons("type", type_)
        return cls(
            booleen("active", active),
            partie[3:] if partie and partie.startswith("ej-") else partie,
            {cle_ville(t) for t in types} if types else None,
        )

    def retient_site(self, site: Site) -> bool:
        if self.actif is False:  # toutes les organisations servies sont actives
            return False
        if self.partie_de is not None and site.entite.finess_ej != self.partie_de:
            return False
        return self.types is None or cle_ville(site.entite.categorie or "") in self.types

    def retient_entite_juridique(self) -> bool:
        """Une entité juridique n'a ni ``partOf`` ni ``type`` : exclue dès que l'un est demandé."""
        return self.actif is not False and self.partie_de is None and self.types is None


@dataclass(frozen=True)
class FiltresLieu:
    """``organization`` (l'organisation gestionnaire) et ``status`` (tous les lieux servis sont actifs)."""

    organisation: str | None = None
    statuts: set[str] | None = None

    @classmethod
    def lire(cls, organization: str | None, status: str | None) -> FiltresLieu:
        return cls(cible("organization", organization, "Organization"), jetons("status", status, STATUTS_LIEU))

    def retient(self, site: Site) -> bool:
        if self.statuts is not None and "active" not in self.statuts:
            return False
        return self.organisation is None or site.finess == self.organisation


@dataclass(frozen=True)
class FiltresService:
    """``location``, ``service-type`` (le niveau de preuve), ``_id`` et ``name`` (contient, sans casse)."""

    lieu: str | None = None
    types: set[str] | None = None
    ids: set[str] | None = None
    motif_nom: str | None = None

    @classmethod
    def lire(
        cls, location: str | None, service_type: str | None, id_: str | None, name: str | None
    ) -> FiltresService:
        from api.fhir.parametres import motif_nom

        return cls(
            cible("location", location, "Location"),
            jetons("service-type", service_type),
            set(id_.split(",")) if id_ else None,
            motif_nom(name),
        )
