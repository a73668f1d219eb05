"""Lecteur du flux national FINESS « activités » (JSON) : les autorisations de traitement du cancer.

Pourquoi ce lecteur compte : là où ce flux parle, il est **la** source qui fait autorité (une autorisation,
son
numéro ARHGOS, ses dates, son état) ; la SAE n'est qu'une activité déclarée. La source est optionnelle : le
dépôt
n'embarque qu'un échantillon (l'Ain), et une ARS ou un réseau régional dépose l'extrait national du même
format
dans ``donnees/finess/`` sans rien changer au code.

Structure suivie : celle du **fichier réel** (les schémas JSON posés à côté décrivent un brouillon plus
ancien) :
``{"generatedAt", "pmej": [{"numFiness", "pmSmsseId", "activitesAutorisees": [...], "ege": [{"numFinessEge",
"egeId", "activitesExercees": [...]}]}]}``. Chaque activité porte ``caracteristiquesGeneriques``
(``activiteAeId``,
``etatObjet``, ``numAutorisationArhgos``, dates, ``identifiantAutorisation`` qui, au niveau du site, pointe
vers
l'``activiteAeId`` de l'autorisation de l'entité juridique) et ``nature`` (``codeNature`` et
``caracteristiquesSpecifiques`` dont le dictionnaire ``typeActivite*`` donne les codes).

Ce qui est un cancer, sans dépendre d'un nom de champ précis (ancien régime et réforme 2022 ont des
dispositions
différentes) : dans ``typeActivite*``, le champ qui commence par ``activite`` vaut ``18`` (ancien régime, avec
``modaliteActivite`` / ``formeActivite``, nomenclature TRE_R275) ou ``QA018`` (réforme 2022, avec
``modalite*``,
``mention*``, ``pts*``).

Comptes du rapport (pour que ``lues == gardees + rejetees`` ait un sens) :

- ``lues`` = les entrées d'activité **cancer**, au niveau de l'entité juridique comme au niveau du site, plus
  les
  entrées qu'on ne peut pas classer (nature sans codes) ; les autres activités (psychiatrie, médico-social…)
  sont
  écartées par règle et comptées dans **un** avertissement de synthèse, pas dans ``lues``.
- une entrée d'entité gardée devient une ``bo:Autorisation`` (IRI ``autorisation/{activiteAeId}``) ; une
  entrée de
  site gardée rattache cette autorisation à son site (``bo:etablissement``) : elle ne crée pas une deuxième
  autorisation, même quand le fichier répète la même activité aux deux niveaux avec le même identifiant.
- les rejets sont localisés : ``ligne`` = numéro de ligne du fichier JSON où commence l'entrée (repéré par la
  clé
  ``caracteristiquesGeneriques``) ; si ce repérage échoue, ``ligne`` = 0 et la raison donne le chemin
  (« entrée n° 3 de activitesAutorisees du pmej 010000156 »).

Dates fictives (1903-03-03, 1904-04-04) : non reprises, signalées. Un événement qui pointe vers un autre objet
que
l'activité qui le porte est signalé (les événements ne sont pas repris dans le graphe).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graphe.sources.base import (
    Contexte,
    DescriptionSource,
    Lecture,
    Rapport,
    Rejet,
    SourceIllisible,
    finess_valide,
    nouveau_graphe,
)
from ontologie import besoins, espaces
from ontologie.espaces import BO

NOM = "finess-activites"
DOSSIER = "finess"
EDITEUR = "Agence du numérique en santé (ANS), flux FINESS « activités »"
LICENCE = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
URL = "https://github.com/ansforge/finess"

DATES_FICTIVES = frozenset({"1903-03-03", "1904-04-04"})
ACTIVITE_CANCER_ANCIEN = "18"
ACTIVITE_CANCER_2022 = "QA018"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLE_ENTREE = re.compile(rb'"caracteristiquesGeneriques"\s*:')


@dataclass
class Codes:
    """Les codes d'une activité, quelle que soit la disposition des champs (ancien régime ou 2022)."""

    activite: str | None = None
    modalite: str | None = None
    forme: str | None = None
    mention: str | None = None
    pts: str | None = None

    @property
    def regime(self) -> str | None:
        if self.activite == ACTIVITE_CANCER_ANCIEN:
            return "ancien"
        if self.activite == ACTIVITE_CANCER_2022:
            return "2022"
        return None


def codes_activite(nature: Any) -> Codes | None:
    """Codes lus dans ``nature.caracteristiquesSpecifiques.typeActivite*`` ; None si nature malformée."""
    if not isinstance(nature, dict):
        return None
    specifiques = nature.get("caracteristiquesSpecifiques")
    if not isinstance(specifiques, dict):
        return None
    types = [v for k, v in specifiques.items() if k.startswith("typeActivite") and isinstance(v, dict)]
    if len(types) != 1:
        return None
    codes = Codes()
    for cle, valeur in types[0].items():
        if not isinstance(valeur, str) or not valeur.strip():
            continue
        c = cle.lower()
        for prefixe in ("activite", "modalite", "forme", "mention", "pts"):
            if c.startswith(prefixe) and getattr(codes, prefixe) is None:
                setattr(codes, prefixe, valeur.strip())
    return codes if codes.activite else None


class _RapportFichier:
    """Le rapport de la source vu d'un fichier : rejets et avertissements portent le nom de ce fichier."""

    def __init__(self, rapport: Rapport, fichier: str) -> None:
        self._rapport, self._fichier = rapport, fichier

    def __getattr__(self, nom: str) -> Any:
        return getattr(self._rapport, nom)

    def __setattr__(self, nom: str, valeur: Any) -> None:
        if nom.startswith("_"):
            object.__setattr__(self, nom, valeur)
        else:
            setattr(self._rapport, nom, valeur)

    def rejeter(self, ligne: int, raison: str) -> None:
        self._rapport.rejets.append(Rejet(self._fichier, ligne, raison))

    def avertir(self, ligne: int, raison: str) -> None:
        self._rapport.avertissements.append(Rejet(self._fichier, ligne, raison))


@dataclass
class _Autorisation:
    """Ce que l'on sait d'une autorisation cancer pendant la lecture (elle peut être vue à deux niveaux)."""

    identifiant: str
    titulaire: str
    codes: Codes
    etat: str | None
    arhgos: str | None
    dates: dict[str, str]
    sites: set[str] = field(default_factory=set)


def _lignes_des_entrees(brut: bytes) -> list[int]:
    """Numéro de ligne (1 = première) de chaque clé ``caracteristiquesGeneriques``, dans l'ordre."""
    lignes, ligne, pos = [], 1, 0
    for m in _CLE_ENTREE.finditer(brut):
        ligne += brut.count(b"\n", pos, m.start())
        pos = m.start()
        lignes.append(ligne)
    return lignes


def _entrees(pmej: list[Any]) -> Iterator[tuple[str, dict, dict | None, int, Any]]:
    """Chaque entrée d'activité dans l'ordre du fichier : (niveau, pmej, ege, index, entrée)."""
    for p in pmej:
        if not isinstance(p, dict):
            continue
        for cle, valeur in p.items():
            if cle == "activitesAutorisees" and isinstance(valeur, list):
                for i, a in enumerate(valeur, start=1):
                    yield "entite", p, None, i, a
            elif cle == "ege" and isinstance(valeur, list):
                for e in valeur:
                    if not isinstance(e, dict):
                        continue
                    for i, a in enumerate(e.get("activitesExercees") or [], start=1):
                        yield "site", p, e, i, a


def _chemin(niveau: str, p: dict, e: dict | None, i: int) -> str:
    if niveau == "entite":
        return f"entrée n° {i} de activitesAutorisees du pmej {p.get('numFiness')}"
    ege = e.get("numFinessEge") if e else "?"
    return f"entrée n° {i} de activitesExercees de l'ege {ege} du pmej {p.get('numFiness')}"


def _libelles_modalites(donnees: Path) -> dict[str, str]:
    """Libellés des modalités (TRE_R275, AMM 2022) pour les phrases des autorisations ; vides si absents."""
    libelles: dict[str, str] = {}
    r275 = donnees / "nomenclatures" / "TRE_R275_ModaliteActivite_extrait.csv"
    if r275.is_file():
        for ligne in r275.read_text(encoding="utf-8-sig").splitlines()[1:]:
            code, _, libelle = ligne.partition(",")
            libelles[f"ancien:{code.strip()}"] = libelle.strip().strip('"')
    amm = donnees / "nomenclatures" / "Nomenclature-AMM-V14.csv"
    if amm.is_file():
        for ligne in amm.read_text(encoding="utf-8-sig").splitlines()[1:]:
            champs = ligne.split(";")
            if len(champs) >= 6 and champs[0] == ACTIVITE_CANCER_2022:
                libelles[f"2022:{champs[2]}"] = champs[3]
                libelles[f"2022:{champs[4]}"] = champs[5]
    return libelles


def _phrase(a: _Autorisation, libelles: dict[str, str]) -> str:
    """« Autorisation de traitement du cancer : chirurgie des cancers – sein (ARHGOS …), active depuis … »."""
    c = a.codes
    if a.codes.regime == "2022":
        quoi = libelles.get(f"2022:{c.modalite}", f"modalité {c.modalite}")
        if c.mention and c.mention != "ME000":
            quoi += " – " + libelles.get(f"2022:{c.mention}", f"mention {c.mention}")
    else:
        quoi = libelles.get(f"ancien:{c.modalite}", f"modalité {c.modalite}").replace(" : ", " – ")
    quoi = quoi[:1].lower() + quoi[1:]
    texte = f"Autorisation de traitement du cancer : {quoi}"
    if a.arhgos:
        texte += f" (ARHGOS {a.arhgos})"
    debut = a.dates.get("dateDebut")
    if a.etat == "active":
        texte += f", active depuis {debut}" if debut else ", active"
    elif a.etat == "inactive":
        texte += f", inactive (autorisée à partir du {debut})" if debut else ", inactive"
    return texte


def _description(fichiers: list[str], date_donnees: date | str, note: str) -> DescriptionSource:
    return DescriptionSource(
        nom=NOM,
        titre="FINESS – activités autorisées (traitement du cancer)",
        editeur=EDITEUR,
        licence=LICENCE,
        fichiers=fichiers,
        date_donnees=date_donnees,
        url=URL,
        note=note,
    )


def lire(donnees: Path, contexte: Contexte) -> Lecture:
    """Autorisations cancer (``bo:Autorisation``) de tous les fichiers ``finess/*.json`` (hors schémas)."""
    dossier = donnees / DOSSIER
    fichiers = (
        sorted(p for p in dossier.glob("*.json") if not p.name.startswith("schema"))
        if dossier.is_dir()
        else []
    )
    graphe = nouveau_graphe()
    if not fichiers:
        rapport = Rapport(NOM, f"{DOSSIER}/*.json")
        rapport.avertir(
            0, "aucun extrait FINESS « activités » : source optionnelle, aucune autorisation reprise"
        )
        return Lecture(_description([], contexte.date_construction, "Aucun extrait fourni."), graphe, rapport)

    rapport = Rapport(NOM, ", ".join(f"{DOSSIER}/{p.name}" for p in fichiers))
    libelles = _libelles_modalites(donnees)
    dates_generation: list[date] = []
    for chemin in fichiers:
        dates_generation.extend(_lire_fichier(chemin, graphe, rapport, libelles))
    date_donnees: date | str = max(dates_generation) if dates_generation else contexte.date_construction
    note = (
        "Autorisations de traitement du cancer (activité 18 de l'ancien régime, QA018 de la réforme 2022) ; "
        "les autres activités du flux sont écartées. Couverture : celle des extraits fournis."
    )
    return Lecture(
        _description([f"{DOSSIER}/{p.name}" for p in fichiers], date_donnees, note), graphe, rapport
    )


def _lire_fichier(chemin: Path, graphe: Graph, rapport: Rapport, libelles: dict[str, str]) -> list[date]:
    """Lit un extrait ; rend sa date de génération. Lève SourceIllisible si le JSON ne se lit pas du tout."""
    nom_fichier = f"{DOSSIER}/{chemin.name}"
    brut = chemin.read_bytes()
    try:
        document = json.loads(brut)
    except (json.JSONDecodeError, UnicodeDecodeError) as erreur:
        raise SourceIllisible(f"{nom_fichier}: JSON illisible ({erreur})") from erreur
    if not isinstance(document, dict) or not isinstance(document.get("pmej"), list):
        raise SourceIllisible(f"{nom_fichier}: pas de liste « pmej » à la racine du document")

    # Une vue du rapport de la source qui nomme ce fichier ; même interface, d'où le cast.
    rapport = cast(Rapport, _RapportFichier(rapport, nom_fichier))
    genere: list[date] = []
    g = str(document.get("generatedAt") or "")
    if _DATE.match(g):
        genere.append(date.fromisoformat(g[:10]))
    else:
        rapport.avertir(0, f"generatedAt absent ou illisible ({g!r}) : date de construction retenue")

    entrees = list(_entrees(document["pmej"]))
    lignes = _lignes_des_entrees(brut)
    lignes_fiables = len(lignes) == len(entrees)
    if not lignes_fiables:
        rapport.avertir(0, "entrées non repérables par ligne : les rejets donnent le chemin (ligne 0)")

    autorisations: dict[str, _Autorisation] = {}
    liens_site: list[
        tuple[int, str, str, dict, dict, str]
    ] = []  # (ligne, identifiant, ege, cg, entrée, chemin)
    ignorees: Counter[str] = Counter()

    for rang, (niveau, p, e, i, entree) in enumerate(entrees):
        ligne = lignes[rang] if lignes_fiables else 0
        chemin_txt = _chemin(niveau, p, e, i)
        ou = chemin_txt
        if not isinstance(entree, dict):
            rapport.lues += 1
            rapport.rejeter(ligne, f"{chemin_txt} : entrée qui n'est pas un objet JSON")
            continue
        nature = entree.get("nature")
        codes = codes_activite(nature)
        code_nature = nature.get("codeNature") if isinstance(nature, dict) else None
        if codes is None:
            rapport.lues += 1
            rapport.rejeter(
                ligne, f"{chemin_txt} : nature sans codes d'activité lisibles (codeNature {code_nature!r})"
            )
            continue
        if codes.regime is None:
            ignorees[str(code_nature)] += 1
            continue
        rapport.lues += 1
        cg = entree.get("caracteristiquesGeneriques")
        if not isinstance(cg, dict) or not str(cg.get("activiteAeId") or "").strip():
            rapport.rejeter(ligne, f"{chemin_txt} : activité cancer sans activiteAeId")
            continue
        ident = str(cg["activiteAeId"]).strip()
        titulaire = str(p.get("numFiness") or "").strip()
        if not finess_valide(titulaire):
            rapport.rejeter(ligne, f"{chemin_txt} : numFiness d'entité juridique invalide ({titulaire!r})")
            continue
        if codes.modalite is None:
            rapport.rejeter(ligne, f"{chemin_txt} : activité cancer {codes.activite} sans modalité")
            continue
        _verifier_evenements(entree, ident, p, e, rapport, ligne, chemin_txt)
        if niveau == "entite":
            if ident in autorisations:
                rapport.avertir(ligne, f"{chemin_txt} : autorisation {ident} répétée, fusionnée")
            autorisations[ident] = _fusion(
                autorisations.get(ident), ident, titulaire, codes, cg, rapport, ligne, ou
            )
            rapport.gardees += 1
        else:
            ege = str(e.get("numFinessEge") or "").strip() if e else ""
            if not finess_valide(ege):
                rapport.rejeter(ligne, f"{chemin_txt} : numFinessEge invalide ({ege!r})")
                continue
            liens_site.append((ligne, ident, ege, cg, {"codes": codes, "titulaire": titulaire}, chemin_txt))

    # Les entrées de site, une fois toutes les autorisations de l'entité connues (l'ordre du fichier ne
    # compte pas).
    for ligne, ident, ege, cg, info, chemin_txt in liens_site:
        cible = str(cg.get("identifiantAutorisation") or "").strip()
        if cible and cible in autorisations:
            a = autorisations[cible]
        elif ident in autorisations:
            a = autorisations[ident]  # même activité répétée aux deux niveaux, même identifiant
        else:
            # Activité exercée dont l'autorisation n'est pas dans l'extrait : on la garde, connue par le site.
            cle = cible or ident
            rapport.avertir(
                ligne,
                f"{chemin_txt} : autorisation {cle} absente du niveau entité, reprise de l'activité exercée",
            )
            a = _fusion(None, cle, info["titulaire"], info["codes"], cg, rapport, ligne, chemin_txt)
            autorisations[cle] = a
        if a.titulaire != info["titulaire"]:
            rapport.rejeter(
                ligne, f"{chemin_txt} : l'autorisation {a.identifiant} appartient à une autre entité"
            )
            continue
        actif_site = str(cg.get("etatObjet") or "") == "A"
        if actif_site or a.etat != "active":
            a.sites.add(ege)
        else:
            rapport.avertir(ligne, f"{chemin_txt} : activité inactive sur le site {ege}, site non rattaché")
        rapport.gardees += 1

    for a in autorisations.values():
        _ecrire(graphe, a, libelles)
    sans_site = sum(1 for a in autorisations.values() if not a.sites)
    if sans_site:
        rapport.avertir(0, f"{sans_site} autorisation(s) cancer sans site d'exercice connu")
    if ignorees:
        detail = ", ".join(f"{k} : {n}" for k, n in sorted(ignorees.items()))
        rapport.avertir(
            0, f"{sum(ignorees.values())} entrées d'activité hors cancer écartées par règle ({detail})"
        )
    return genere


def _verifier_evenements(
    entree: dict, ident: str, p: dict, e: dict | None, rapport: Rapport, ligne: int, chemin: str
) -> None:
    """Signale un événement qui pointe vers un autre objet que celui qui le porte (défaut réel du flux)."""
    for ev in entree.get("evenement") or []:
        if not isinstance(ev, dict):
            continue
        objet1 = str(ev.get("identifiantObjet1") or "")
        if objet1 and objet1 != ident:
            rapport.avertir(
                ligne, f"{chemin} : événement {ev.get('evenementId')} pointe vers l'activité {objet1}"
            )
        type2, objet2 = ev.get("typeObjet2"), str(ev.get("identifiantObjet2") or "")
        attendu = (e or {}).get("egeId") if type2 == "EG" else p.get("pmSmsseId") if type2 == "PM" else None
        if attendu is not None and objet2 and objet2 != str(attendu):
            rapport.avertir(
                ligne,
                f"{chemin} : événement {ev.get('evenementId')} pointe vers l'objet {type2} {objet2} "
                f"au lieu de {attendu}",
            )


def _fusion(
    existante: _Autorisation | None,
    ident: str,
    titulaire: str,
    codes: Codes,
    cg: dict,
    rapport: Rapport,
    ligne: int,
    ou: str,
) -> _Autorisation:
    """Une autorisation à partir d'une entrée : dates fictives écartées, état traduit."""
    dates: dict[str, str] = {}
    for champ, cle in (
        ("dateDebutActiviteAutorisee", "dateDebut"),
        ("dateFinActiviteAutorisee", "dateFin"),
        ("dateCaduciteAutorisation", "dateCaducite"),
    ):
        valeur = str(cg.get(champ) or "").strip()
        if not valeur:
            continue
        if valeur in DATES_FICTIVES:
            rapport.avertir(ligne, f"{ou} : {champ} fictive {valeur} non reprise")
        elif not _DATE.fullmatch(valeur):
            rapport.avertir(ligne, f"{ou} : {champ} illisible ({valeur!r}) non reprise")
        else:
            dates[cle] = valeur
    etat_brut = str(cg.get("etatObjet") or "")
    etat = {"A": "active", "I": "inactive"}.get(etat_brut)
    if etat is None:
        rapport.avertir(ligne, f"{ou} : état {etat_brut!r} inconnu, non repris")
    arhgos = str(cg.get("numAutorisationArhgos") or "").strip() or None
    if existante:
        existante.dates.update(dates)
        existante.arhgos = existante.arhgos or arhgos
        existante.etat = etat or existante.etat
        return existante
    return _Autorisation(ident, titulaire, codes, etat, arhgos, dates)


def _ecrire(g: Graph, a: _Autorisation, libelles: dict[str, str]) -> None:
    noeud: URIRef = espaces.preuve("autorisation", a.identifiant)
    c = a.codes
    g.add((noeud, RDF.type, BO.Autorisation))
    g.add((noeud, RDF.type, BO.Preuve))  # super-classe matérialisée : le store ne fait pas d'inférence RDFS
    g.add((noeud, BO.niveauPreuve, Literal("autorisation")))
    g.add((noeud, BO.titulaire, espaces.entite_juridique(a.titulaire)))
    for site in sorted(a.sites):
        g.add((noeud, BO.etablissement, espaces.etablissement(site)))
    g.add((noeud, BO.regime, Literal(c.regime)))
    if a.etat:
        g.add((noeud, BO.etat, Literal(a.etat)))
    if a.arhgos:
        g.add((noeud, BO.numeroArhgos, Literal(a.arhgos)))
    for cle, valeur in a.dates.items():
        g.add((noeud, BO[cle], Literal(valeur, datatype=XSD.date)))
    besoins_vus: set[str] = set()
    localisations: set[str] = set()
    if c.regime == "ancien":
        g.add((noeud, BO.activite, espaces.concept("activite-finess", c.activite or "")))
        g.add((noeud, BO.modalite, espaces.concept("modalite-r275", c.modalite or "")))
        if c.forme:
            g.add((noeud, BO.forme, espaces.concept("forme-finess", c.forme)))
        if c.modalite in besoins.MODALITE_R275:
            besoins_vus.add(besoins.MODALITE_R275[c.modalite])
        if c.modalite in besoins.LOCALISATION_R275:
            localisations.add(besoins.LOCALISATION_R275[c.modalite])
    else:
        g.add((noeud, BO.activite, espaces.concept("activite-finess", c.activite or "")))
        g.add((noeud, BO.modalite, espaces.concept("modalite-2022", c.modalite or "")))
        if c.mention and c.mention != "ME000":
            g.add((noeud, BO.mention, espaces.concept("mention-2022", c.mention)))
        if c.pts and c.pts != "PTS00":
            g.add((noeud, BO.pratiqueSpecifique, espaces.concept("pts-2022", c.pts)))
        if c.modalite in besoins.MODALITE_2022:
            besoins_vus.add(besoins.MODALITE_2022[c.modalite])
        if c.mention in besoins.MENTION_2022_BESOIN:
            besoins_vus.add(besoins.MENTION_2022_BESOIN[c.mention])
        if c.mention in besoins.MENTION_2022_PEDIATRIE:
            besoins_vus.add("oncopediatrie")
        if c.mention in besoins.MENTION_2022_LOCALISATION:
            localisations.add(besoins.MENTION_2022_LOCALISATION[c.mention])
    for b in sorted(besoins_vus):
        g.add((noeud, BO.besoin, espaces.concept("besoin", b)))
    for loc in sorted(localisations):
        g.add((noeud, BO.localisation, espaces.concept("localisation", loc)))
    g.add((noeud, RDFS.label, Literal(_phrase(a, libelles), lang="fr")))
