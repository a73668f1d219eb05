"""Expliquer une réponse : les faits du graphe qui l'ont produite, chacun avec sa source et sa date.

Règle du domaine : ne jamais surdire. Une activité déclarée reste « déclarée à la SAE 2023 », une autorisation
est citée avec son numéro, une appartenance vient d'une liste curée dont on donne la page.
"""

from __future__ import annotations

from ontologie.besoins import NIVEAUX_PREUVE, OFFRE_POPULATION
from recherche.classer.contraintes import TRAITEMENTS
from recherche.comprendre.comprehension import Comprehension
from recherche.index.catalogue import Entite, Preuve
from recherche.reponse import Raison

#: Faits cités par besoin (les plus forts d'abord) : assez pour convaincre, pas au point de noyer.
PAR_BESOIN = 2
NIVEAU_AUCUN = "aucune"


def _raison(p: Preuve) -> Raison:
    return Raison(p.libelle, p.source, p.date)


def raisons(
    entite: Entite, c: Comprehension, distance_km: float | None, besoins_appliques: list[str] | None = None
) -> tuple[list[Raison], str]:
    """Les raisons d'un résultat et son niveau de preuve (le plus fort parmi les faits cités).

    ``besoins_appliques`` : les besoins que le classement a réellement appliqués, quand ils diffèrent de ceux
    compris (un besoin qu'aucune source ne renseigne, élargi à un besoin plus large).
    """
    choisies: list[Preuve] = []
    besoins = list(besoins_appliques if besoins_appliques is not None else c.besoins)
    besoins = besoins or ([] if c.intention == "etablissement" else list(TRAITEMENTS))
    locs = set(c.localisations)
    for besoin in besoins:
        preuves = [p for p in entite.preuves if p.besoin == besoin and not p.inactive]
        # d'abord les faits qui parlent de la localisation demandée, puis les plus forts
        preuves.sort(key=lambda p: (not (locs & set(p.localisations)), -NIVEAUX_PREUVE[p.niveau]))
        choisies += preuves[:PAR_BESOIN]
    # la contrainte de population a filtré ou favorisé ce site : on montre le fait qui l'y autorise (pour un
    # mineur sans centre de cancérologie pédiatrique, le service de pédiatrie générale qui sert de relais)
    offres = [OFFRE_POPULATION.get(c.population or "")] + (["pediatrie"] if c.population == "enfant" else [])
    for offre in [o for o in offres if o and o not in besoins]:
        fait = [p for p in entite.preuves if p.besoin == offre and not p.inactive][:1]
        if fait:
            choisies += fait
            break
    if c.intention in ("second_avis", "etablissement") or "cancer_rare" in besoins:
        choisies += [p for p in entite.preuves if p.reseau and p not in choisies][:2]
    if not choisies and c.intention == "etablissement":
        choisies = sorted(entite.preuves, key=lambda p: -NIVEAUX_PREUVE[p.niveau])[:3]
    liste: list[Raison] = []
    if c.intention == "etablissement" and entite.source_identite:
        titre, date = entite.source_identite
        lieu = f" à {entite.commune}" if entite.commune else ""
        liste.append(Raison(f"Établissement « {entite.nom} »{lieu}", titre, date))
    liste += [_raison(p) for p in choisies]
    if distance_km is not None and c.lieu:
        precision = "point de l'établissement" if entite.precision_geo == "etablissement" else "point de la commune"
        titre, date = entite.source_point or ("", "")
        liste.append(
            Raison(
                f"À {distance_km:.1f} km de {c.lieu.nom} à vol d'oiseau ({precision})",
                titre or "points des établissements et des communes",
                date,
            )
        )
    niveaux = [p.niveau for p in choisies]
    niveau = max(niveaux, key=lambda n: NIVEAUX_PREUVE[n]) if niveaux else NIVEAU_AUCUN
    return liste, niveau
