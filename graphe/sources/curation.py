"""Lecteurs des listes curées (``donnees/curation/*.csv``) : réseaux, centres experts, RCP, OIR, DSRC…

Pourquoi ces listes : rien de public et ouvert ne dit quel site est centre expert d'un réseau cancers rares,
membre d'une OIR pédiatrique ou porteur d'une UCOG. Ces fichiers ont été recopiés à la main de pages publiques
(l'URL de chaque ligne est dans sa colonne ``source``) ; ils sont incomplets (voir ``SOURCES.md``).

Règles communes :

- chaque fichier est **sa** source (``curation-<nom du fichier>``), datée de l'année de la curation ;
- chaque ligne lue est gardée (ou rejetée si elle n'a pas de nom) ; elle garde ``dct:source`` (une URL par
  triplet, la cellule séparant les URL par « | ») et ``bo:ligneSource`` ;
- une cellule « non précisé », « non indiqué », « non trouvé » n'est pas un fait : elle n'est pas reprise ;
- un nom d'établissement est apparié à un site FINESS (``graphe.appariement``) ; apparié, il porte un nœud
  ``bo:Appariement`` (méthode, confiance) ; non apparié, il devient une ``bo:OrganisationSansFiness`` et
  figure
  dans ``rapport.non_apparies`` ;
- un morceau de texte qui ne nomme visiblement pas un établissement (« 7 villes au total… ») n'est pas inventé
  en organisation : il est signalé en avertissement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, XSD

from graphe.appariement import Appariement, Apparieur, ecrire_appariement, normaliser
from graphe.sources.base import Contexte, DescriptionSource, Lecture, Rapport, lire_csv, nouveau_graphe
from ontologie import espaces
from ontologie.espaces import BO, SCHEMA

DOSSIER = "curation"
EDITEUR = "Boussole (curation de pages publiques)"
LICENCE = "citations de pages publiques, voir dct:source"
#: SOURCES.md date la curation de 2026 ; les dates propres à chaque page sont dans SOURCES.md.
ANNEE_CURATION = "2026"

_NON_PRECISE = re.compile(r"^\s*(non (précis|indiqu|trouv|nomm)|n\.?d\.?\s*$)", re.IGNORECASE)
_PAS_UN_NOM = re.compile(
    r"non nomm|nom tronqu|au total|non trouv|non précis|^\d|^liste\b|^implique|^les \d|\d+ établissements",
    re.IGNORECASE,
)
#: Mots qui signalent un nom d'établissement (ou un sigle connu) dans un morceau de texte.
_MOT_ETABLISSEMENT = re.compile(
    r"\b(CHU|CHRU|CHR|CH|CLCC|CRLCC|AP-HP|AP-HM|APHP|HCL|Hôpital|Hôpitaux|Hospices|Clinique|Polyclinique|"
    r"Institut|Centre|Gustave|Curie|IHOPe|CEM|CAL|IPC|ICO|GHU|Assistance Publique)\b",
    re.IGNORECASE,
)

#: Structures associatives ou réseaux : pas un site FINESS à chercher.
_PAS_ETABLISSEMENT = re.compile(r"(?i)(r[ée]seau|association|ligue|escales?|espace ligue|l'escale)\b")

#: Mots du périmètre → concept localisation/<code>.
LOCALISATIONS: tuple[tuple[str, str], ...] = (
    (r"sarcome", "sarcome"),
    (r"gist", "sarcome"),
    (r"neuroendocrin", "neuroendocrine"),
    (r"endocrin|surr[ée]nal|thyro[iï]d", "endocrine"),
    (r"m[ée]soth[ée]liome", "mesotheliome"),
    (r"thym", "thymus"),
    (r"\bORL\b|t[êe]te et cou|rhinosinus|glandes salivaires|voies a[ée]rodigestives", "orl"),
    (r"cutan[ée]|peau|merkel|basocellulaire|annexiel", "peau"),
    (r"\brein\b|r[ée]nal", "rein"),
    (r"ovaire", "ovaire"),
    (r"gyn[ée]colog|trophoblast", "gynecologie"),
    (r"lymphome|leuc[ée]mie|h[ée]mopathie|h[ée]mato", "hematologie"),
    (r"syst[èe]me nerveux central|\bSNC\b|c[ée]r[ée]br|neuro-onco", "cerveau"),
    (r"uv[ée]e|choro[iï]d|conjonctive|oculaire|\bœil\b|\boeil\b", "oeil"),
    (r"\bfoie\b|h[ée]patique", "foie"),
    (r"osseu|\bos\b", "os"),
    (r"p[ée]ritoin", "peritoine"),
)

#: Mots du type de soin → concept soin-support/<code>.
SOINS_SUPPORT: tuple[tuple[str, str], ...] = (
    (r"douleur", "douleur"),
    (r"di[ée]t[ée]ti|nutrition|aliment|culinaire", "nutrition"),
    (r"psycho|psychologue|groupes de parole|écoute", "psycho_oncologie"),
    (
        r"activit[ée]s? (physique|sportive)|gymnastique|remise en forme|yoga|pilates",
        "activite_physique_adaptee",
    ),
    (r"esth[ée]ti|socio-capillaire", "socio_esthetique"),
    (r"social|sociale|retour à l'emploi|reprise du travail", "social"),
    (r"sophrologie", "sophrologie"),
    (r"r[ée]flexologie|relaxation|m[ée]ditation|hypnoth|acupuncture", "relaxation"),
    (r"sexuel", "sante_sexuelle"),
)


def concepts_de(texte: str, table: tuple[tuple[str, str], ...]) -> list[str]:
    """Codes dont un motif apparaît dans le texte (sans doublon, dans l'ordre de la table)."""
    return list(dict.fromkeys(code for motif, code in table if re.search(motif, texte, re.IGNORECASE)))


def precise(valeur: str | None) -> bool:
    """Une cellule qui dit quelque chose (ni vide, ni « non précisé »)."""
    return bool(valeur and valeur.strip() and not _NON_PRECISE.match(valeur))


def urls(cellule: str) -> list[str]:
    return [u.strip() for u in (cellule or "").split(" | ") if u.strip()]


def domaine(url: str) -> str:
    m = re.match(r"https?://(?:www\.)?([^/]+)", url)
    return m.group(1) if m else url


def url_site(cellule: str) -> str | None:
    """« www.oncorif.fr », « oncopacacorse.org (ancien : …) » → URL ; rien si la cellule n'en donne pas."""
    if not precise(cellule):
        return None
    premier = cellule.strip().split()[0]
    if premier.startswith("http"):
        return premier
    if re.fullmatch(r"[\w.-]+\.[a-z]{2,}(/\S*)?", premier):
        return "https://" + premier
    return None


def morceaux_etablissements(texte: str, separateur: str | None = None) -> list[str]:
    """Découpe une cellule qui cite plusieurs établissements (« CHU de Nice et Centre Antoine Lacassagne »).

    Le contenu d'une parenthèse reste collé à son nom (« La Timone (hématologie, immunologie) »), sauf s'il
    énumère lui-même des établissements (« Pôle régional (CHU de Rennes, Centre Eugène Marquis) »).
    ``separateur`` impose un seul séparateur (« ; » pour les listes de membres « Nom, Ville ; Nom, Ville »).
    """

    def parenthese(m: re.Match[str]) -> str:
        interieur = [x.strip() for x in m.group(1).split(",")]
        if len(interieur) >= 2 and all(_MOT_ETABLISSEMENT.search(x) for x in interieur):
            return " ; " + " ; ".join(interieur)
        return "(" + m.group(1).replace(",", "\x00").replace(";", "\x01").replace(" et ", "\x02") + ")"

    t = re.sub(r"\(([^)]*)\)", parenthese, texte)
    if separateur:
        morceaux = t.split(separateur)
    else:
        morceaux = re.split(
            r"\s*;\s*|\s*,\s+(?=[A-ZÉ+«])|\s+et\s+(?=[A-ZÉ])|\s+avec\s+|\s+en alternance avec\s+", t
        )
    sortie = []
    for m in morceaux:
        m = (
            m.replace("\x00", ",")
            .replace("\x01", ";")
            .replace("\x02", " et ")
            .strip()
            .lstrip("+")
            .strip(" ,")
        )
        if ":" in m:
            m = m.rsplit(":", 1)[1].strip()
        if m:
            sortie.append(m)
    return sortie


@dataclass
class Membre:
    """Ce qu'un nom de la liste est devenu : un site FINESS (apparié) ou une organisation sans FINESS."""

    iri: URIRef
    appariement: Appariement


class Lecteur:
    """Outils communs à la lecture d'un fichier curé : graphe, rapport, appariement, écriture des lignes."""

    def __init__(
        self, donnees: Path, contexte: Contexte, fichier: str, titre: str, apparieur: Apparieur
    ) -> None:
        self.fichier = fichier
        self.nom = f"curation-{Path(fichier).stem.replace('_', '-')}"
        self.chemin = donnees / DOSSIER / fichier
        self.contexte = contexte
        self.apparieur = apparieur
        self.graphe: Graph = nouveau_graphe()
        self.rapport = Rapport(self.nom, f"{DOSSIER}/{fichier}")
        self.description = DescriptionSource(
            nom=self.nom,
            titre=titre,
            editeur=EDITEUR,
            licence=LICENCE,
            fichiers=[f"{DOSSIER}/{fichier}"],
            date_donnees=ANNEE_CURATION,
            note="Liste curée, incomplète ; chaque ligne cite ses pages (dct:source). Voir SOURCES.md.",
        )

    def lignes(self) -> list[tuple[int, dict[str, str]]]:
        return list(lire_csv(self.chemin, self.rapport, separateur=",", encodage="utf-8"))

    def lecture(self) -> Lecture:
        return Lecture(self.description, self.graphe, self.rapport)

    def provenance(self, sujet: URIRef, numero: int, ligne: dict[str, str]) -> None:
        for u in urls(ligne.get("source", "")):
            self.graphe.add((sujet, DCTERMS.source, URIRef(u.replace(" ", "%20"))))
        self.graphe.add((sujet, BO.ligneSource, Literal(numero, datatype=XSD.integer)))

    def texte(self, sujet: URIRef, predicat: URIRef, valeur: str | None) -> None:
        if precise(valeur):
            self.graphe.add((sujet, predicat, Literal(valeur.strip())))

    def regions(self, texte: str) -> list[str]:
        """Codes des régions dont le nom figure dans le texte (« Provence-Alpes-Côte d'Azur ; Corse »)."""
        t = f" {normaliser(texte)} "
        return [code for code, nom in self.contexte.regions.items() if f" {normaliser(nom)} " in t]

    def membre(self, nom: str, ville: str | None, numero: int, rang: int, sujet_preuve: URIRef) -> Membre:
        """Apparie un nom ; écrit son nœud d'appariement, ou sinon l'organisation sans FINESS."""
        app = self.apparieur.apparier(nom, ville)
        if app.apparie:
            ecrire_appariement(self.graphe, sujet_preuve, app, self.nom, numero, rang)
            return Membre(espaces.etablissement(app.finess), app)
        libelle = nom.strip() or f"Établissement non nommé ({ville})"
        org = espaces.organisation("organisation", f"{libelle} {ville or ''}")
        self.graphe.add((org, RDF.type, BO.OrganisationSansFiness))
        self.graphe.add((org, SCHEMA.name, Literal(libelle)))
        if ville and precise(ville):
            self.graphe.add((org, BO.ville, Literal(ville.strip())))
        en_ville = f" ({ville})" if ville and nom.strip() else ""
        self.rapport.non_apparies.append(f"ligne {numero} : {libelle}{en_ville}")
        return Membre(org, app)

    def appartenance(
        self,
        organisation: URIRef,
        cle: str,
        numero: int,
        rang: int,
        nom: str,
        ville: str | None,
        role: str,
        role_texte: str,
        besoins: list[str],
        label: str,
        ligne: dict[str, str],
    ) -> Membre:
        """Une ``bo:Appartenance`` (preuve « liste_curee ») d'un établissement cité à une organisation."""
        noeud = espaces.preuve("appartenance", self.nom, espaces.fragment(cle), f"{numero}-{rang}")
        g = self.graphe
        m = self.membre(nom, ville, numero, rang, noeud)
        g.add((noeud, RDF.type, BO.Appartenance))
        g.add((noeud, RDF.type, BO.Preuve))  # super-classe matérialisée : le store ne fait pas d'inférence RDFS
        g.add((noeud, ORG.organization, organisation))
        g.add((noeud, ORG.member, m.iri))
        if m.appariement.apparie:
            g.add((noeud, BO.etablissement, m.iri))
        g.add((noeud, ORG.role, espaces.concept("role", role)))
        if role_texte:
            g.add((noeud, BO.roleTexte, Literal(role_texte)))
        for b in besoins:
            g.add((noeud, BO.besoin, espaces.concept("besoin", b)))
        g.add((noeud, BO.niveauPreuve, Literal("liste_curee")))
        g.add((noeud, RDFS.label, Literal(label, lang="fr")))
        self.provenance(noeud, numero, ligne)
        return m

    def citer(
        self, texte: str, numero: int, action: Callable[[str, int], None], separateur: str | None = None
    ) -> None:
        """Pour chaque morceau d'une cellule qui nomme un établissement, appelle ``action(morceau, rang)``."""
        rang = 0
        for morceau in morceaux_etablissements(texte, separateur):
            trouve = _MOT_ETABLISSEMENT.search(morceau)
            if _PAS_UN_NOM.search(morceau) or not trouve:
                self.rapport.avertir(numero, f"« {morceau} » : ne nomme pas un établissement, non interprété")
                continue
            if trouve.start() > 0 and morceau[: trouve.start()].islower():
                morceau = morceau[trouve.start() :]  # « contact au CHU de Tours » → « CHU de Tours »
            rang += 1
            action(morceau, rang)


def _sources_courtes(ligne: dict[str, str]) -> str:
    return (
        ", ".join(dict.fromkeys(domaine(u) for u in urls(ligne.get("source", "")))) or "source non indiquée"
    )


def _sigle_de_base(cellule: str) -> str:
    """« NETSARC+ (volet RESOS) » → « NETSARC+ » ; « RENATEN (devenu ENDOCAN) » → « RENATEN »."""
    return cellule.split("(")[0].strip()


def iri_reseau(sigle: str) -> URIRef:
    return espaces.organisation("reseau-cancers-rares", _sigle_de_base(sigle))


def role_de(texte: str) -> str:
    """Rôle normalisé (concept role/…) d'après le texte : la mention la plus forte l'emporte."""
    t = texte.lower()
    if re.search(r"coordonna|coordinat|coordination", t):
        return "coordonnateur"
    if re.search(r"référence|référent|national", t):
        return "reference"
    if "expert" in t:
        return "expert"
    if "compétence" in t:
        return "competence"
    return "membre"


_PHRASE_ROLE = {
    "coordonnateur": "Centre coordonnateur",
    "reference": "Centre de référence",
    "expert": "Centre expert",
    "competence": "Centre de compétence",
    "membre": "Centre membre",
}


# --- un lecteur par fichier
# ----------------------------------------------------------------------------------


def lire_reseaux(donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
    """reseaux_cancers_rares.csv → ``bo:ReseauCancersRares`` (un nœud par sigle, une ligne par label)."""
    lc = Lecteur(
        donnees,
        contexte,
        "reseaux_cancers_rares.csv",
        "Réseaux nationaux cancers rares (INCa)",
        apparieur or Apparieur(contexte),
    )
    g = lc.graphe
    for numero, ligne in lc.lignes():
        sigle = (ligne.get("sigle") or "").strip()
        if not sigle:
            lc.rapport.rejeter(numero, "réseau sans sigle")
            continue
        r = iri_reseau(sigle)
        g.add((r, RDF.type, BO.ReseauCancersRares))
        g.add((r, BO.sigle, Literal(sigle)))
        lc.texte(r, SCHEMA.name, ligne.get("nom_complet"))
        lc.texte(r, BO.perimetre, ligne.get("perimetre"))
        lc.texte(r, BO.texteCoordonnateur, ligne.get("centre_coordonnateur"))
        site = url_site(ligne.get("site_web", ""))
        if site:
            g.add((r, SCHEMA.url, URIRef(site)))
        annee = re.match(r"\s*(\d{4})\b", ligne.get("annee_labellisation") or "")
        if annee:
            g.add((r, BO.anneeLabellisation, Literal(annee.group(1), datatype=XSD.gYear)))
        for loc in concepts_de(ligne.get("perimetre", ""), LOCALISATIONS):
            g.add((r, BO.localisation, espaces.concept("localisation", loc)))
        g.add((r, RDFS.label, Literal(f"Réseau national cancers rares {sigle}", lang="fr")))
        lc.provenance(r, numero, ligne)
        lc.rapport.gardees += 1
    return lc.lecture()


def lire_centres_experts(donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
    """centres_experts_cancers_rares.csv → ``bo:Appartenance`` d'un site à un réseau cancers rares."""
    lc = Lecteur(
        donnees,
        contexte,
        "centres_experts_cancers_rares.csv",
        "Centres experts des réseaux cancers rares",
        apparieur or Apparieur(contexte),
    )
    for numero, ligne in lc.lignes():
        sigle_brut = (ligne.get("reseau_sigle") or "").strip()
        if not sigle_brut:
            lc.rapport.rejeter(numero, "centre sans réseau")
            continue
        sigle = _sigle_de_base(sigle_brut)
        reseau = iri_reseau(sigle)
        lc.graphe.add((reseau, RDF.type, BO.ReseauCancersRares))
        lc.graphe.add((reseau, BO.sigle, Literal(sigle)))
        role_texte = (ligne.get("role") or "").strip()
        role = role_de(role_texte)
        besoins = ["cancer_rare"] + (["rcp_recours"] if re.search(r"\bRCP\b", role_texte) else [])
        label = f"{_PHRASE_ROLE[role]} du réseau {sigle_brut} (liste curée, source {_sources_courtes(ligne)})"
        nom = (ligne.get("etablissement") or "").strip()
        ville = (ligne.get("ville") or "").strip() or None
        lc.appartenance(reseau, sigle, numero, 1, nom, ville, role, role_texte, besoins, label, ligne)
        lc.rapport.gardees += 1
    return lc.lecture()


_RESEAUX_CONNUS = (
    "NETSARC",
    "RESOS",
    "REFCOR",
    "RYTHMIC",
    "RENATEN",
    "ENDOCAN",
    "MELACHONAT",
    "RENAPE",
    "PREDIR",
    "CARADERM",
    "NETMESO",
    "TMRO-TMRG",
    "CANCERVIH",
    "LYMPHOPATH",
    "MASTERBLAST",
    "CELAC",
    "GFELC",
    "TTG",
    "CARARE",
)
_OIR_CONNUES = ("GOCE", "CANPEDIF", "EN-HOPE", "PACAURA")


def lire_rcp(donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
    """rcp_recours.csv → ``bo:RCPRecours`` ; l'organisateur est un réseau, une OIR ou un site apparié."""
    lc = Lecteur(
        donnees,
        contexte,
        "rcp_recours.csv",
        "RCP de recours (nationales, interrégionales)",
        apparieur or Apparieur(contexte),
    )
    g = lc.graphe
    for numero, ligne in lc.lignes():
        intitule = (ligne.get("intitule") or "").strip()
        if not intitule:
            lc.rapport.rejeter(numero, "RCP sans intitulé")
            continue
        rcp = espaces.organisation("rcp-recours", intitule)
        g.add((rcp, RDF.type, BO.RCPRecours))
        g.add((rcp, SCHEMA.name, Literal(intitule)))
        g.add((rcp, RDFS.label, Literal(intitule, lang="fr")))
        lc.texte(rcp, BO.perimetre, ligne.get("perimetre"))
        lc.texte(rcp, BO.rythme, ligne.get("frequence"))
        lc.texte(rcp, BO.contact, ligne.get("contact_inscription"))
        for loc in concepts_de(ligne.get("perimetre", ""), LOCALISATIONS):
            g.add((rcp, BO.localisation, espaces.concept("localisation", loc)))
        lc.provenance(rcp, numero, ligne)
        organisateur = (ligne.get("organisateur") or "").strip()
        texte_maj = organisateur.upper()
        organise = False
        for sigle in _RESEAUX_CONNUS:
            if re.search(rf"\b{re.escape(sigle)}", texte_maj):
                g.add((rcp, BO.organisateur, iri_reseau(sigle)))
                organise = True
        for sigle in _OIR_CONNUES:
            if re.search(rf"\b{re.escape(sigle)}", texte_maj):
                g.add((rcp, BO.organisateur, espaces.organisation("oir-pediatrie", sigle)))
                organise = True
        sites: list[Membre] = []

        def organiser(
            morceau: str,
            rang: int,
            numero: int = numero,
            intitule: str = intitule,
            ligne: dict[str, str] = ligne,
            sites: list[Membre] = sites,
            rcp: URIRef = rcp,
        ) -> None:
            app = lc.apparieur.apparier(morceau, None)
            if not app.apparie:
                return
            label = (
                f"Organise la RCP de recours « {intitule} » (liste curée, source {_sources_courtes(ligne)})"
            )
            sites.append(
                lc.appartenance(
                    rcp,
                    intitule,
                    numero,
                    rang,
                    morceau,
                    None,
                    "organisateur",
                    morceau,
                    ["rcp_recours"],
                    label,
                    ligne,
                )
            )

        texte_sites = re.sub(r"^\s*(Réseau|OIR|Filière)\s+\S+\s*", "", organisateur)
        lc.citer(texte_sites, numero, organiser)
        for m in sites:
            g.add((rcp, BO.organisateur, m.iri))
        if not organise and not sites and organisateur:
            m = lc.membre(organisateur, None, numero, 0, rcp)
            g.add((rcp, BO.organisateur, m.iri))
        lc.rapport.gardees += 1
    return lc.lecture()


def lire_oir(donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
    """oir_pediatrie.csv → ``bo:OIRPediatrie``, régions couvertes et établissements membres."""
    lc = Lecteur(
        donnees,
        contexte,
        "oir_pediatrie.csv",
        "Organisations interrégionales de recours en oncologie pédiatrique (OIR)",
        apparieur or Apparieur(contexte),
    )
    g = lc.graphe
    for numero, ligne in lc.lignes():
        sigle = (ligne.get("sigle") or "").strip()
        if not sigle:
            lc.rapport.rejeter(numero, "OIR sans sigle")
            continue
        oir = espaces.organisation("oir-pediatrie", sigle)
        g.add((oir, RDF.type, BO.OIRPediatrie))
        g.add((oir, BO.sigle, Literal(sigle)))
        lc.texte(oir, SCHEMA.name, ligne.get("nom"))
        g.add((oir, RDFS.label, Literal(f"OIR d'oncologie pédiatrique {sigle}", lang="fr")))
        regions = ligne.get("regions_couvertes", "")
        codes = lc.regions(regions)
        for code in codes:
            g.add((oir, BO.regionCouverte, espaces.region(code)))
        if precise(regions) and len(codes) != len([r for r in regions.split(";") if r.strip()]):
            lc.rapport.avertir(numero, f"régions couvertes partiellement reconnues : « {regions} »")
        lc.provenance(oir, numero, ligne)
        membres = ligne.get("etablissements_membres", "")
        if precise(membres):
            origine = _sources_courtes(ligne)
            label = f"Membre de l'OIR d'oncologie pédiatrique {sigle} (liste curée, source {origine})"

            def ajouter(
                morceau: str,
                rang: int,
                numero: int = numero,
                oir: URIRef = oir,
                sigle: str = sigle,
                label: str = label,
                ligne: dict[str, str] = ligne,
            ) -> None:
                nom, _, ville = sans_parentheses_ville(morceau)
                lc.appartenance(
                    oir, sigle, numero, rang, nom, ville, "membre", morceau, ["pediatrie"], label, ligne
                )

            lc.citer(membres, numero, ajouter, separateur=";")
        lc.rapport.gardees += 1
    return lc.lecture()


def sans_parentheses_ville(morceau: str) -> tuple[str, str, str | None]:
    """« Centre Léon Bérard, Lyon » → (« Centre Léon Bérard », « , », « Lyon ») ; sans ville, ville None."""
    m = re.match(r"^(.*?),\s*([A-ZÉ][\w\-' ]+)$", morceau.strip())
    if m and len(m.group(2).split()) <= 3:
        return m.group(1).strip(), ",", m.group(2).strip()
    return morceau.strip(), "", None


def lire_dsrc(donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
    """dsrc.csv → ``bo:DSRC`` (dispositifs spécifiques régionaux du cancer) avec leur région."""
    lc = Lecteur(
        donnees,
        contexte,
        "dsrc.csv",
        "Dispositifs spécifiques régionaux du cancer (DSRC)",
        apparieur or Apparieur(contexte),
    )
    g = lc.graphe
    for numero, ligne in lc.lignes():
        nom = (ligne.get("nom") or "").strip()
        if not nom:
            lc.rapport.rejeter(numero, "DSRC sans nom")
            continue
        d = espaces.organisation("dsrc", nom)
        g.add((d, RDF.type, BO.DSRC))
        g.add((d, SCHEMA.name, Literal(nom)))
        g.add((d, RDFS.label, Literal(f"Dispositif spécifique régional du cancer {nom}", lang="fr")))
        codes = lc.regions(ligne.get("region", ""))
        for code in codes:
            g.add((d, BO.region, espaces.region(code)))
        if not codes:
            lc.rapport.avertir(numero, f"région non reconnue : « {ligne.get('region', '')} »")
        site = url_site(ligne.get("site_web", ""))
        if site:
            g.add((d, SCHEMA.url, URIRef(site)))
        lc.provenance(d, numero, ligne)
        lc.rapport.gardees += 1
    return lc.lecture()


def lire_ucog(donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
    """ucog.csv → ``bo:UCOG`` (oncogériatrie) avec région et établissements porteurs."""
    lc = Lecteur(
        donnees,
        contexte,
        "ucog.csv",
        "Unités de coordination en oncogériatrie (UCOG)",
        apparieur or Apparieur(contexte),
    )
    g = lc.graphe
    for numero, ligne in lc.lignes():
        nom = (ligne.get("nom") or "").strip()
        if not nom:
            lc.rapport.rejeter(numero, "UCOG sans nom")
            continue
        u = espaces.organisation("ucog", nom)
        g.add((u, RDF.type, BO.UCOG))
        g.add((u, SCHEMA.name, Literal(nom)))
        g.add((u, RDFS.label, Literal(nom, lang="fr")))
        for code in lc.regions(ligne.get("region", "")):
            g.add((u, BO.region, espaces.region(code)))
        lc.provenance(u, numero, ligne)
        porteurs = ligne.get("etablissement_porteur", "")
        villes = [v.strip() for v in (ligne.get("ville") or "").split(";") if v.strip()]
        if precise(porteurs):
            label = f"Porteur de l'{nom} (liste curée, source {_sources_courtes(ligne)})"

            def ajouter(
                morceau: str,
                rang: int,
                numero: int = numero,
                u: URIRef = u,
                nom: str = nom,
                label: str = label,
                ligne: dict[str, str] = ligne,
                villes: list[str] = villes,
            ) -> None:
                ville = villes[0] if len(villes) == 1 else None
                lc.appartenance(
                    u, nom, numero, rang, morceau, ville, "porteur", morceau, ["geriatrie"], label, ligne
                )

            lc.citer(porteurs, numero, ajouter)
        lc.rapport.gardees += 1
    return lc.lecture()


def _lire_structures(
    donnees: Path,
    contexte: Contexte,
    apparieur: Apparieur | None,
    fichier: str,
    titre: str,
    classe: URIRef,
    colonne_nom: str,
    besoin: str,
    phrase: str,
) -> tuple[Lecteur, list[tuple[int, dict[str, str], URIRef]]]:
    """Lignes « une structure par ligne » (oncogénétique, fertilité, soins de support)."""
    lc = Lecteur(donnees, contexte, fichier, titre, apparieur or Apparieur(contexte))
    g = lc.graphe
    faits = []
    for numero, ligne in lc.lignes():
        nom = (ligne.get(colonne_nom) or "").strip()
        ville = (ligne.get("ville") or "").strip()
        if not nom and not ville:
            lc.rapport.rejeter(numero, "ligne sans nom ni ville")
            continue
        s = espaces.preuve(espaces.fragment(Path(fichier).stem), lc.nom, str(numero))
        g.add((s, RDF.type, classe))
        # La ligne elle-même atteste un besoin (niveau « liste_curee ») : c'est une preuve, typée comme telle.
        g.add((s, RDF.type, BO.Preuve))
        libelle = nom if nom and not nom.lower().startswith(("laboratoire non nommé",)) else ""
        g.add((s, SCHEMA.name, Literal(nom or f"Non nommé ({ville})")))
        if ville and ville.lower() != "national":
            g.add((s, BO.ville, Literal(ville)))
        g.add((s, BO.besoin, espaces.concept("besoin", besoin)))
        g.add((s, BO.niveauPreuve, Literal("liste_curee")))
        g.add(
            (
                s,
                RDFS.label,
                Literal(
                    f"{phrase} : {nom or ville} (liste curée, source {_sources_courtes(ligne)})", lang="fr"
                ),
            )
        )
        lc.provenance(s, numero, ligne)
        if libelle and _MOT_ETABLISSEMENT.search(libelle) and not _PAS_ETABLISSEMENT.match(libelle):
            app = lc.apparieur.apparier(libelle, ville or None)
            if app.apparie:
                ecrire_appariement(g, s, app, lc.nom, numero, 1)
                g.add((s, BO.etablissement, espaces.etablissement(app.finess)))
            else:
                # Non appariée : la structure elle-même reste, comme organisation sans FINESS.
                g.add((s, RDF.type, BO.OrganisationSansFiness))
                lc.rapport.non_apparies.append(
                    f"ligne {numero} : {libelle}" + (f" ({ville})" if ville else "")
                )
        else:
            lc.rapport.avertir(numero, f"« {nom or ville} » : pas un établissement de santé à apparier")
        faits.append((numero, ligne, s))
        lc.rapport.gardees += 1
    return lc, faits


def lire_oncogenetique(donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
    """oncogenetique.csv → ``bo:Oncogenetique`` (besoin oncogénétique), site rattaché s'il est apparié."""
    lc, faits = _lire_structures(
        donnees,
        contexte,
        apparieur,
        "oncogenetique.csv",
        "Oncogénétique (liste partielle)",
        BO.Oncogenetique,
        "etablissement",
        "oncogenetique",
        "Oncogénétique",
    )
    for _, ligne, s in faits:
        lc.texte(s, BO.typeOffre, ligne.get("type"))
    return lc.lecture()


def lire_fertilite(donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
    """preservation_fertilite.csv → ``bo:PlateformeFertilite`` (besoin fertilité)."""
    lc, faits = _lire_structures(
        donnees,
        contexte,
        apparieur,
        "preservation_fertilite.csv",
        "Préservation de la fertilité (liste partielle)",
        BO.PlateformeFertilite,
        "etablissement",
        "fertilite",
        "Préservation de la fertilité",
    )
    for _, ligne, s in faits:
        for code in lc.regions(ligne.get("region", "")):
            lc.graphe.add((s, BO.region, espaces.region(code)))
    return lc.lecture()


def lire_soins_support(donnees: Path, contexte: Contexte, apparieur: Apparieur | None = None) -> Lecture:
    """soins_support_exemples.csv → ``bo:StructureSoinsSupport`` avec ses types de soin (soin-support/…)."""
    lc, faits = _lire_structures(
        donnees,
        contexte,
        apparieur,
        "soins_support_exemples.csv",
        "Soins oncologiques de support (exemples)",
        BO.StructureSoinsSupport,
        "structure",
        "soins_support",
        "Soins de support",
    )
    for numero, ligne, s in faits:
        types = concepts_de(ligne.get("type_de_soin", ""), SOINS_SUPPORT)
        for code in types:
            lc.graphe.add((s, BO.typeSoin, espaces.concept("soin-support", code)))
        lc.texte(s, BO.typeSoinTexte, ligne.get("type_de_soin"))
        if not types:
            lc.rapport.avertir(numero, "aucun type de soin reconnu dans le texte")
    return lc.lecture()


#: Tous les lecteurs curés, dans l'ordre (les réseaux avant leurs centres experts et leurs RCP).
LECTEURS: tuple[Callable[..., Lecture], ...] = (
    lire_reseaux,
    lire_centres_experts,
    lire_rcp,
    lire_oir,
    lire_dsrc,
    lire_ucog,
    lire_oncogenetique,
    lire_fertilite,
    lire_soins_support,
)


def lire_tout(donnees: Path, contexte: Contexte) -> list[Lecture]:
    """Lit toutes les listes curées avec un seul index d'appariement (préparé une fois)."""
    apparieur = Apparieur(contexte)
    return [lecteur(donnees, contexte, apparieur) for lecteur in LECTEURS]
