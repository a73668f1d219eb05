"""Lecteur des nomenclatures officielles : des thésaurus SKOS dans le graphe ``src:nomenclatures``.

Pourquoi : une autorisation ou un site ne porte que des codes (« 68 », « ME038 », catégorie « 131 ») ; pour
les afficher, les chercher (« radiothérapie externe ») et passer d'un régime d'autorisation à l'autre, chaque
code doit être un concept avec son libellé officiel, son rang (mention sous sa modalité) et le besoin qu'il
prouve (``skos:related`` vers ``concept/besoin/...``, d'après la table unique ``ontologie/besoins.py``).

Fichiers (dans ``donnees/nomenclatures/``) :

- ``TRE_R275_ModaliteActivite_extrait.csv`` (UTF-8, virgule) → ``modalite-r275`` (ancien régime) ;
- ``Nomenclature-AMM-V14.csv`` (UTF-8 avec BOM, point-virgule), lignes de l'activité QA018 seulement →
  ``modalite-2022``, ``mention-2022`` (sous sa modalité), ``pts-2022`` (sous sa mention) ;
- ``finess_categories_etablissements_cs1500106.xml.gz`` → ``categorie-etablissement`` (avec ses agrégats) ;
- ``finess_statuts_juridiques_cs1500107.xml.gz`` → ``statut-juridique`` (avec ses agrégats).

Comptes : ``lues`` compte les lignes de données utiles (R275, lignes QA018 de la nomenclature AMM, entrées des
deux XML) ; les lignes des autres activités de la nomenclature AMM sont hors sujet, ni lues ni rejetées.
"""

from __future__ import annotations

import gzip
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from graphe.sources.base import (
    Contexte,
    DescriptionSource,
    Lecture,
    Rapport,
    Rejet,
    SourceIllisible,
    lire_csv,
    nouveau_graphe,
)
from ontologie.besoins import (
    LOCALISATION_R275,
    MENTION_2022_BESOIN,
    MENTION_2022_LOCALISATION,
    MENTION_2022_PEDIATRIE,
    MODALITE_2022,
    MODALITE_R275,
)
from ontologie.espaces import concept, schema_concepts

NOM_SOURCE = "nomenclatures"
DOSSIER = "nomenclatures"
FICHIER_R275 = "TRE_R275_ModaliteActivite_extrait.csv"
FICHIER_AMM = "Nomenclature-AMM-V14.csv"
FICHIER_CATEGORIES = "finess_categories_etablissements_cs1500106.xml.gz"
FICHIER_STATUTS = "finess_statuts_juridiques_cs1500107.xml.gz"

#: Version du guide ANS d'où l'extrait TRE_R275 a été transcrit (voir donnees/README).
DATE_R275 = date(2022, 3, 25)
#: L'activité « Traitement du cancer » de la réforme de 2022.
ACTIVITE_CANCER_2022 = "QA018"

SCHEMAS: dict[str, str] = {
    "modalite-r275": "Modalités d'activité, ancien régime (TRE_R275)",
    "modalite-2022": "Modalités du traitement du cancer, réforme de 2022 (QA018)",
    "mention-2022": "Mentions du traitement du cancer, réforme de 2022 (QA018)",
    "pts-2022": "Pratiques thérapeutiques spécifiques du traitement du cancer, réforme de 2022 (QA018)",
    "categorie-etablissement": "Catégories d'établissements FINESS",
    "statut-juridique": "Statuts juridiques FINESS",
}

_CODE_R275 = re.compile(r"^[0-9A-Z]{2}$")
_CODE_MODALITE = re.compile(r"^MO[0-9]{3}$")
_CODE_MENTION = re.compile(r"^ME[0-9]{3}$")
_CODE_PTS = re.compile(r"^PTS[0-9]{2}$")
#: « A1 - Chirurgie oncologique viscérale et digestive » → mention courte « A1 » et son libellé.
_LIBELLE_MENTION = re.compile(r"^\s*([A-Z][0-9]?)\s*-\s*(.+)$")
_CODE_AGREGAT = re.compile(r"^[0-9]{4}$")


def _texte(valeur: str) -> str:
    """Espaces normalisés (la nomenclature AMM contient des doubles espaces)."""
    return " ".join(valeur.split())


class _Conflit(ValueError):
    """Un même code rencontré avec deux libellés : la ligne qui contredit la première est rejetée."""


@dataclass
class _Thesaurus:
    """Accumule les concepts d'un graphe en vérifiant qu'un même code garde un seul libellé."""

    graphe: Graph
    libelles: dict[URIRef, str] = field(default_factory=dict)

    def schema(self, nom: str) -> URIRef:
        iri = schema_concepts(nom)
        self.graphe.add((iri, RDF.type, SKOS.ConceptScheme))
        self.graphe.add((iri, SKOS.prefLabel, Literal(SCHEMAS[nom], lang="fr")))
        return iri

    def concept(self, schema: str, code: str, libelle: str, *, notation: str | None = None) -> URIRef:
        """Ajoute le concept et rend son IRI ; lève _Conflit si le code a déjà un autre libellé."""
        iri = concept(schema, code)
        deja = self.libelles.get(iri)
        if deja is not None:
            if deja != libelle:
                raise _Conflit(f"code {code} déjà lu avec un autre libellé ({deja!r})")
            return iri
        self.libelles[iri] = libelle
        g, schema_iri = self.graphe, schema_concepts(schema)
        g.add((iri, RDF.type, SKOS.Concept))
        g.add((iri, SKOS.inScheme, schema_iri))
        g.add((iri, SKOS.prefLabel, Literal(libelle, lang="fr")))
        g.add((iri, SKOS.notation, Literal(notation or code)))
        g.add((iri, DCTERMS.identifier, Literal(code)))
        return iri

    def sommet(self, schema: str, iri: URIRef) -> None:
        self.graphe.add((iri, SKOS.topConceptOf, schema_concepts(schema)))
        self.graphe.add((schema_concepts(schema), SKOS.hasTopConcept, iri))

    def plus_large(self, etroit: URIRef, large: URIRef) -> None:
        self.graphe.add((etroit, SKOS.broader, large))
        self.graphe.add((large, SKOS.narrower, etroit))

    def besoin(self, iri: URIRef, code_besoin: str) -> None:
        self.graphe.add((iri, SKOS.related, concept("besoin", code_besoin)))

    def localisation(self, iri: URIRef, code_localisation: str) -> None:
        self.graphe.add((iri, SKOS.related, concept("localisation", code_localisation)))


def _fusionner(rapport: Rapport, partiel: Rapport) -> None:
    """Reporte le bilan d'un fichier dans le rapport de la source (chaque rejet garde son propre fichier)."""
    rapport.lues += partiel.lues
    rapport.gardees += partiel.gardees
    rapport.rejets.extend(partiel.rejets)
    rapport.avertissements.extend(partiel.avertissements)


# --- Ancien régime : TRE_R275 ---------------------------------------------------------------------------


def _lire_r275(chemin: Path, th: _Thesaurus, rapport: Rapport) -> None:
    th.schema("modalite-r275")
    for numero, ligne in lire_csv(
        chemin, rapport, separateur=",", encodage="utf-8", colonnes_requises=("code", "libelle")
    ):
        code, libelle = ligne["code"].strip(), _texte(ligne["libelle"])
        if not _CODE_R275.match(code):
            rapport.rejeter(
                numero,
                f"code de modalité {code!r} mal formé (attendu : 2 caractères, chiffres ou majuscules)",
            )
            continue
        if not libelle:
            rapport.rejeter(numero, f"modalité {code} sans libellé")
            continue
        try:
            iri = th.concept("modalite-r275", code, libelle)
        except _Conflit as e:
            rapport.rejeter(numero, str(e))
            continue
        th.sommet("modalite-r275", iri)
        if code in MODALITE_R275:
            th.besoin(iri, MODALITE_R275[code])
        if code in LOCALISATION_R275:
            th.localisation(iri, LOCALISATION_R275[code])
        rapport.gardees += 1


# --- Réforme 2022 : nomenclature AMM, activité QA018 -------------------------------------------------------

COLONNES_AMM = (
    "Code Activité",
    "Code Modalité",
    "Libellé Modalité",
    "Code Mention",
    "Code Libellé",
    "Code Pratique Thérapeutique Spécifique",
    "Libellé Pratique Thérapeutique Spécifique",
)


def _controler_ligne_amm(ligne: dict[str, str]) -> str | None:
    """La raison de rejeter une ligne QA018, ou None si ses codes et libellés sont bien formés."""
    modalite, mention, pts = (
        ligne["Code Modalité"].strip(),
        ligne["Code Mention"].strip(),
        ligne["Code Pratique Thérapeutique Spécifique"].strip(),
    )
    if not _CODE_MODALITE.match(modalite):
        return f"code de modalité {modalite!r} mal formé (attendu : MO suivi de 3 chiffres)"
    if not _CODE_MENTION.match(mention):
        return f"code de mention {mention!r} mal formé (attendu : ME suivi de 3 chiffres)"
    if not _CODE_PTS.match(pts):
        return (
            f"code de pratique thérapeutique spécifique {pts!r} mal formé (attendu : PTS suivi de 2 chiffres)"
        )
    if not _texte(ligne["Libellé Modalité"]):
        return f"modalité {modalite} sans libellé"
    if not _LIBELLE_MENTION.match(ligne["Code Libellé"]):
        return (
            f"libellé de mention {ligne['Code Libellé']!r} sans mention courte (attendu : « A1 - libellé »)"
        )
    if pts != "PTS00" and not _texte(ligne["Libellé Pratique Thérapeutique Spécifique"]):
        return f"pratique thérapeutique spécifique {pts} sans libellé"
    return None


def _lire_amm(chemin: Path, th: _Thesaurus, rapport: Rapport) -> int:
    """Lit les lignes QA018 ; rend le nombre de lignes des autres activités, écartées sans être comptées."""
    for nom in ("modalite-2022", "mention-2022", "pts-2022"):
        th.schema(nom)
    hors_sujet = 0
    mention_de: dict[str, str] = {}  # mention → sa modalité, qui ne doit pas changer d'une ligne à l'autre
    pts_de: dict[str, str] = {}
    for numero, ligne in lire_csv(
        chemin, rapport, separateur=";", encodage="utf-8", colonnes_requises=COLONNES_AMM
    ):
        if ligne["Code Activité"].strip() != ACTIVITE_CANCER_2022:
            rapport.lues -= 1  # autre activité de soins : hors du périmètre de Boussole, ni gardée ni rejetée
            hors_sujet += 1
            continue
        raison = _controler_ligne_amm(ligne)
        code_mo, code_me = ligne["Code Modalité"].strip(), ligne["Code Mention"].strip()
        code_pts = ligne["Code Pratique Thérapeutique Spécifique"].strip()
        if raison is None and mention_de.setdefault(code_me, code_mo) != code_mo:
            raison = f"mention {code_me} rattachée à {code_mo} alors qu'elle l'était à {mention_de[code_me]}"
        if raison is None and code_pts != "PTS00" and pts_de.setdefault(code_pts, code_me) != code_me:
            raison = f"pratique {code_pts} rattachée à {code_me} alors qu'elle l'était à {pts_de[code_pts]}"
        if raison is not None:
            rapport.rejeter(numero, raison)
            continue
        try:
            _ajouter_ligne_amm(th, ligne, code_mo, code_me, code_pts)
        except _Conflit as e:
            rapport.rejeter(numero, str(e))
            continue
        rapport.gardees += 1
    return hors_sujet


def _ajouter_ligne_amm(
    th: _Thesaurus, ligne: dict[str, str], code_mo: str, code_me: str, code_pts: str
) -> None:
    """Modalité, mention et pratique d'une ligne QA018 ; lève _Conflit si un code change de libellé."""
    modalite = th.concept("modalite-2022", code_mo, _texte(ligne["Libellé Modalité"]))
    th.sommet("modalite-2022", modalite)
    if code_mo in MODALITE_2022:
        th.besoin(modalite, MODALITE_2022[code_mo])

    complet = _texte(ligne["Code Libellé"])
    trouve = _LIBELLE_MENTION.match(complet)
    assert trouve is not None  # contrôlé par _controler_ligne_amm
    courte, sans_prefixe = trouve.group(1), _texte(trouve.group(2))
    mention = th.concept("mention-2022", code_me, complet, notation=courte)
    th.graphe.add((mention, SKOS.altLabel, Literal(sans_prefixe, lang="fr")))
    th.plus_large(mention, modalite)
    # Le besoin d'une mention : le sien s'il est propre (curiethérapie), sinon celui de sa modalité.
    besoin = MENTION_2022_BESOIN.get(code_me) or MODALITE_2022.get(code_mo)
    if besoin:
        th.besoin(mention, besoin)
    if code_me in MENTION_2022_PEDIATRIE:
        th.besoin(mention, "oncopediatrie")
    if code_me in MENTION_2022_LOCALISATION:
        th.localisation(mention, MENTION_2022_LOCALISATION[code_me])

    if code_pts != "PTS00":  # « Pas de pratique thérapeutique spécifique » n'est pas un concept
        pts = th.concept("pts-2022", code_pts, _texte(ligne["Libellé Pratique Thérapeutique Spécifique"]))
        th.plus_large(pts, mention)
        if besoin:
            th.besoin(pts, besoin)


# --- FINESS : catégories et statuts juridiques (XML gzip) ------------------------------------------------


def _entrees_xml(chemin: Path, balise: str) -> tuple[list[tuple[int, dict[str, str]]], str | None]:
    """Les entrées ``<balise>`` du flux FINESS (n° de ligne, champs), et la date ``<datemaj>`` du flux.

    On passe par expat plutôt qu'ElementTree pour garder le numéro de ligne de chaque entrée : un rejet
    doit dire où corriger.
    """
    if not chemin.is_file():
        raise SourceIllisible(f"fichier introuvable : {chemin}")
    try:
        brut = gzip.decompress(chemin.read_bytes())
    except (OSError, EOFError) as e:
        raise SourceIllisible(f"{chemin.name}: archive gzip illisible ({e})") from e

    entrees: list[tuple[int, dict[str, str]]] = []
    datemaj: list[str] = []
    pile: list[str] = []
    courante: dict[str, str] | None = None
    texte: list[str] = []
    analyseur = xml.parsers.expat.ParserCreate()

    def debut(nom: str, _attributs: dict[str, str]) -> None:
        nonlocal courante
        pile.append(nom)
        texte.clear()
        if nom == balise:
            courante = {}
            entrees.append((analyseur.CurrentLineNumber, courante))

    def fin(nom: str) -> None:
        nonlocal courante
        pile.pop()
        if nom == balise:
            courante = None
        elif courante is not None and pile and pile[-1] == balise:
            courante[nom] = "".join(texte).strip()
        elif nom == "datemaj":
            datemaj.append("".join(texte).strip())
        texte.clear()

    analyseur.StartElementHandler = debut
    analyseur.EndElementHandler = fin
    analyseur.CharacterDataHandler = texte.append
    try:
        analyseur.Parse(brut, True)
    except xml.parsers.expat.ExpatError as e:
        raise SourceIllisible(f"{chemin.name}: XML illisible ({e})") from e
    return entrees, (datemaj[0] if datemaj else None)


def _lire_finess_xml(
    chemin: Path, th: _Thesaurus, rapport: Rapport, *, schema: str, balise: str, motif_code: re.Pattern[str]
) -> str | None:
    """Une nomenclature FINESS avec ses trois niveaux d'agrégats (agr3 ⊂ agr2 ⊂ agr1) ; rend sa date."""
    th.schema(schema)
    entrees, datemaj = _entrees_xml(chemin, balise)
    if not entrees:
        raise SourceIllisible(f"{chemin.name}: aucune entrée <{balise}>")
    for numero, champs in entrees:
        rapport.lues += 1
        code, libelle = champs.get("code", ""), _texte(champs.get("libelle", ""))
        if not motif_code.match(code):
            rapport.rejeter(numero, f"code {code!r} mal formé (attendu : {motif_code.pattern})")
            continue
        if not libelle:
            rapport.rejeter(numero, f"code {code} sans libellé")
            continue
        agregats = [
            (champs.get(f"codeagr{n}", ""), _texte(champs.get(f"libelleagr{n}", ""))) for n in (3, 2, 1)
        ]
        mauvais = [c for c, lib in agregats if not _CODE_AGREGAT.match(c) or not lib]
        if mauvais:
            rapport.rejeter(numero, f"code {code} : agrégat {mauvais[0]!r} mal formé ou sans libellé")
            continue
        try:
            iri = th.concept(schema, code, libelle)
        except _Conflit as e:
            rapport.rejeter(numero, str(e))
            continue
        courte = _texte(champs.get("libellecourt", ""))
        if courte and courte != libelle:
            th.graphe.add((iri, SKOS.altLabel, Literal(courte, lang="fr")))
        fin = champs.get("datefin", "")
        if fin:
            th.graphe.add((iri, OWL.deprecated, Literal(True)))
            th.graphe.add((iri, SKOS.historyNote, Literal(f"Code fermé le {fin}.", lang="fr")))
        # Agrégats : des concepts du même thésaurus (codes à 4 chiffres, distincts des codes à 2 ou 3).
        etroit = iri
        for niveau, (code_agr, libelle_agr) in zip((3, 2, 1), agregats, strict=True):
            try:
                agr = th.concept(schema, code_agr, libelle_agr)
                th.graphe.add(
                    (agr, SKOS.scopeNote, Literal(f"Agrégat FINESS de niveau {niveau}.", lang="fr"))
                )
            except _Conflit as e:  # le libellé d'un agrégat varie : on garde le premier, on le signale
                rapport.avertir(numero, f"agrégat de niveau {niveau} : {e}")
                agr = concept(schema, code_agr)
            th.plus_large(etroit, agr)
            etroit = agr
        th.sommet(schema, etroit)
        rapport.gardees += 1
    return datemaj


# --- Point d'entrée ----------------------------------------------------------------------------------------


def lire(donnees: Path, contexte: Contexte) -> Lecture:
    """Construit les six thésaurus des nomenclatures ; voir la docstring du module."""
    del contexte  # les nomenclatures ne dépendent d'aucune autre source
    dossier = donnees / DOSSIER
    fichiers = [FICHIER_R275, FICHIER_AMM, FICHIER_CATEGORIES, FICHIER_STATUTS]
    rapport = Rapport(NOM_SOURCE, ", ".join(f"{DOSSIER}/{f}" for f in fichiers))
    th = _Thesaurus(nouveau_graphe())

    def partiel(fichier: str) -> Rapport:
        return Rapport(NOM_SOURCE, f"{DOSSIER}/{fichier}")

    r = partiel(FICHIER_R275)
    _lire_r275(dossier / FICHIER_R275, th, r)
    _fusionner(rapport, r)

    r = partiel(FICHIER_AMM)
    hors_sujet = _lire_amm(dossier / FICHIER_AMM, th, r)
    _fusionner(rapport, r)

    dates = [DATE_R275]
    for fichier, schema, balise, motif in (
        (
            FICHIER_CATEGORIES,
            "categorie-etablissement",
            "nomenclcategorieETavecagr",
            re.compile(r"^[0-9]{3}$"),
        ),
        (FICHIER_STATUTS, "statut-juridique", "nomenclstatutavecagr", re.compile(r"^[0-9]{2}$")),
    ):
        r = partiel(fichier)
        datemaj = _lire_finess_xml(dossier / fichier, th, r, schema=schema, balise=balise, motif_code=motif)
        _fusionner(rapport, r)
        if datemaj:
            try:
                dates.append(date.fromisoformat(datemaj))
            except ValueError:
                rapport.avertissements.append(
                    Rejet(f"{DOSSIER}/{fichier}", 0, f"date de flux illisible : {datemaj!r}")
                )

    description = DescriptionSource(
        nom=NOM_SOURCE,
        titre=(
            "Nomenclatures : modalités d'autorisation (ancien régime et réforme 2022), "
            "catégories et statuts FINESS"
        ),
        editeur="Agence du numérique en santé (ANS) ; DREES / ministère de la Santé (nomenclature AMM)",
        licence=(
            "Licence Ouverte / Etalab 2.0 (FINESS, ANS) ; "
            "CeCILL-B (transcription AMM du dépôt DNUM-SocialGouv/helios)"
        ),
        fichiers=[f"{DOSSIER}/{f}" for f in fichiers],
        date_donnees=max(dates),
        url="https://esante.gouv.fr/terminologies",
        note=(
            "Extrait TRE_R275 transcrit du guide des terminologies de l'ANS (version 2022-03-25). "
            f"Nomenclature AMM V14 : seules les lignes de l'activité {ACTIVITE_CANCER_2022} "
            f"(traitement du cancer) sont reprises ; {hors_sujet} lignes d'autres activités "
            "sont laissées de côté."
        ),
    )
    return Lecture(description, th.graphe, rapport)


def libelles_modalites(donnees: Path) -> dict[str, str]:
    """Code → libellé officiel des modalités, mentions et pratiques (ancien régime et 2022), pour l'affichage.

    Relit les fichiers plutôt que de dupliquer les libellés dans le code : la nomenclature reste la source.
    """
    lecture = lire(donnees, Contexte(date_construction=date.today()))
    g = lecture.graphe
    resultat: dict[str, str] = {}
    for schema in ("modalite-r275", "modalite-2022", "mention-2022", "pts-2022"):
        for iri in g.subjects(SKOS.inScheme, schema_concepts(schema)):
            code = g.value(iri, DCTERMS.identifier)
            libelle = g.value(iri, SKOS.prefLabel)
            if code is not None and libelle is not None:
                resultat[str(code)] = str(libelle)
    return resultat
