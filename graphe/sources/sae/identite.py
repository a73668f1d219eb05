"""Lecteur de la SAE ID 2023 (``sae/ID_2023r.csv``) : les 3 975 sites, leur entité juridique et leur adresse.

Pourquoi ce lecteur passe avant les autres fichiers SAE : il remplit ``contexte.etablissements``, et tout fait
SAE sur un site absent de l'ID est rejeté (« site absent de la SAE ID 2023 ») plutôt que rattaché à un
site fantôme.

Colonnes en minuscules (``fi``, ``rs``, ``fi_ej``, ``cat``, ``stj``) sauf l'adresse (``COMINSEE``, ``NOMCOM``,
``NUMVOI``, ``TYPVOI``, ``NOMVOI``, ``CPO``, ``LIBCOM``).

Rattachement à la commune (``bo:commune``), décidé ainsi :

1. ``COMINSEE`` tel quel s'il existe dans ``geo/communes.csv`` (Paris, Lyon, Marseille : la SAE donne le
   code de la commune, l'arrondissement est dans ``ARMT`` et n'est pas une commune du COG) ;
2. outre-mer : la SAE code le département sur deux caractères (``9A101`` = Guadeloupe) ; on réécrit ``9X`` en
   ``97`` (``97101``), règle systématique résumée par un seul avertissement ;
3. communes fusionnées depuis le COG de la SAE 2023 (table ``COMMUNES_FUSIONNEES``) : rattachement à la
   commune actuelle, avec un avertissement par site ;
4. sinon, si un seul code postal ``CPO`` désigne une seule commune, cette commune (avertissement) ;
5. sinon le site est gardé **sans** commune, avec un avertissement : il existe, il n'est simplement pas situé.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from graphe.sources.base import Contexte, InfoEtablissement, Lecture, Rapport, finess_valide, nouveau_graphe
from graphe.sources.sae.commun import description_sae, lignes_sae
from ontologie import espaces
from ontologie.espaces import BO, SCHEMA

SOURCE = "sae-id-2023"
FICHIER = "sae/ID_2023r.csv"
ANNEE = "2023"

#: Communes du COG de la SAE 2023 qui n'existent plus dans ``geo/communes.csv`` → commune qui les a absorbées.
COMMUNES_FUSIONNEES: dict[str, str] = {
    "62549": "62447",  # Marconne → Hesdin-la-Forêt (commune nouvelle, 2025)
    "69152": "69149",  # Pierre-Bénite → Oullins-Pierre-Bénite (commune nouvelle, 2024)
    "93059": "93066",  # Pierrefitte-sur-Seine → Saint-Denis (commune nouvelle, 2025)
    "97123": "97701",  # Saint-Barthélemy : ancien code de commune de Guadeloupe → collectivité (COM 977)
    "97127": "97801",  # Saint-Martin : ancien code de commune de Guadeloupe → collectivité (COM 978)
}

_OUTRE_MER_SAE = re.compile(r"9[A-F]\d{3}")


def code_insee_sae(code: str) -> str:
    """Réécrit un code commune SAE d'outre-mer (``9A101``) en code INSEE (``97101``) ; autres inchangés."""
    code = code.strip()
    return "97" + code[2:] if _OUTRE_MER_SAE.fullmatch(code) else code


def resoudre_commune(code_sae: str, code_postal: str, contexte: Contexte) -> tuple[str | None, str | None]:
    """Rend (code INSEE actuel ou None, avertissement ou None) selon la procédure du docstring du module."""
    code = code_insee_sae(code_sae)
    if code in contexte.communes:
        return code, None
    if code in COMMUNES_FUSIONNEES and COMMUNES_FUSIONNEES[code] in contexte.communes:
        cible = COMMUNES_FUSIONNEES[code]
        return (
            cible,
            f"commune {code_sae} absente du COG actuel (fusion ou changement de statut) : "
            f"rattachée à {cible} ({contexte.communes[cible].nom})",
        )
    if code_postal:
        candidates = [c for c in contexte.communes.values() if code_postal in c.codes_postaux]
        if len(candidates) == 1:
            c = candidates[0]
            return (
                c.code,
                f"commune {code_sae} inconnue : rattachée à {c.code} ({c.nom}), "
                f"seule commune du {code_postal}",
            )
    return None, f"commune {code_sae!r} inconnue de geo/communes.csv : site gardé sans commune"


def lire(donnees: Path, contexte: Contexte) -> Lecture:
    """Sites (``bo:Etablissement``), entités juridiques, adresses ; remplit ``contexte.etablissements``."""
    rapport = Rapport(SOURCE, FICHIER)
    g = nouveau_graphe()
    outre_mer = 0
    statut_ej: dict[str, str] = {}
    for ligne in lignes_sae(
        donnees / FICHIER,
        rapport,
        None,  # c'est ce fichier qui définit les sites connus
        annee=ANNEE,
        colonne_finess="fi",
        colonne_annee="an",
        colonnes_requises=("rs", "fi_ej", "cat", "stj", "COMINSEE", "NOMCOM", "CPO", "LIBCOM"),
    ):
        fi, n = ligne.finess, ligne.numero
        nom = ligne["rs"]
        if not nom:
            rapport.rejeter(n, f"site {fi} sans raison sociale (rs vide)")
            continue
        site = espaces.etablissement(fi)
        g.add((site, RDF.type, BO.Etablissement))
        g.add((site, BO.finess, Literal(fi)))
        g.add((site, SCHEMA.name, Literal(nom)))
        cat, stj = ligne["cat"], ligne["stj"]
        if cat:
            g.add((site, BO.categorie, espaces.concept("categorie-etablissement", cat)))
        else:
            rapport.avertir(n, f"site {fi} sans catégorie (cat vide)")
        if stj:
            g.add((site, BO.statutJuridique, espaces.concept("statut-juridique", stj)))

        ej = ligne["fi_ej"]
        if finess_valide(ej):
            iri_ej = espaces.entite_juridique(ej)
            g.add((site, BO.entiteJuridique, iri_ej))
            g.add((iri_ej, RDF.type, BO.EntiteJuridique))
            g.add((iri_ej, BO.finess, Literal(ej)))
            if stj and ej not in statut_ej:
                statut_ej[ej] = stj
                g.add((iri_ej, BO.statutJuridique, espaces.concept("statut-juridique", stj)))
            elif stj and statut_ej[ej] != stj:
                rapport.avertir(
                    n,
                    f"entité juridique {ej} : statut {stj} du site {fi} différent de {statut_ej[ej]} "
                    "(premier gardé)",
                )
        else:
            ej = ""
            rapport.avertir(
                n, f"site {fi} : FINESS d'entité juridique invalide ({ligne['fi_ej']!r}), lien omis"
            )

        code_sae = ligne["COMINSEE"]
        code, alerte = resoudre_commune(code_sae, ligne["CPO"], contexte)
        if code is not None and code != code_sae and _OUTRE_MER_SAE.fullmatch(code_sae) and alerte is None:
            outre_mer += 1
        if alerte:
            rapport.avertir(n, f"site {fi} : {alerte}")
        if code is not None:
            g.add((site, BO.commune, espaces.commune(code)))

        adresse = URIRef(str(site) + "/adresse")  # nœud adresse dérivé de l'IRI du site (MODELE.md)
        g.add((site, SCHEMA.address, adresse))
        g.add((adresse, RDF.type, SCHEMA.PostalAddress))
        rue = " ".join(p for p in (ligne["NUMVOI"], ligne["TYPVOI"], ligne["NOMVOI"]) if p)
        if rue:
            g.add((adresse, SCHEMA.streetAddress, Literal(rue)))
        if ligne["CPO"]:
            g.add((adresse, SCHEMA.postalCode, Literal(ligne["CPO"])))
        localite = ligne["LIBCOM"] or ligne["NOMCOM"]
        if localite:
            g.add((adresse, SCHEMA.addressLocality, Literal(localite)))

        contexte.etablissements[fi] = InfoEtablissement(
            finess=fi,
            nom=nom,
            finess_ej=ej,
            commune=code or "",
            ville=ligne["NOMCOM"] or ligne["LIBCOM"],
            categorie=cat,
        )
        rapport.gardees += 1
    if outre_mer:
        rapport.avertir(0, f"{outre_mer} codes commune d'outre-mer SAE (9A…9F) réécrits en 97… (code INSEE)")
    return Lecture(
        description_sae(
            SOURCE,
            "SAE 2023 — identification des établissements (bordereau ID)",
            FICHIER,
            ANNEE,
            note="Identité, entité juridique, catégorie, statut et adresse des sites ; rattachement aux "
            "communes du COG actuel (codes d'outre-mer SAE réécrits, communes fusionnées rattachées à la "
            "nouvelle commune).",
        ),
        g,
        rapport,
    )
