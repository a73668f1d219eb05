"""Les listes d'organisations et de leurs membres : réseaux cancers rares, centres experts, RCP de recours,
OIR pédiatriques, DSRC, UCOG. Chaque liste est une ``Liste`` ; sa fonction ``_ecrire_*`` dit ce qu'écrit une
ligne.

Une organisation (réseau, OIR, DSRC…) n'est pas une preuve ; l'appartenance d'un établissement cité à une
organisation en est une (``bo:Appartenance``, niveau « liste_curee »), voir ``Lecteur.appartenance``.
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from graphe.sources.curation.cellules import concepts_de, nom_et_ville, precise, sources_courtes, url_site
from graphe.sources.curation.squelette import Lecteur, Liste, Membre
from ontologie import espaces
from ontologie.espaces import BO, SCHEMA

#: Un membre d'OIR cité comme centre adolescents et jeunes adultes (« centre AJA de l'Hôpital Saint-Louis »).
CENTRE_AJA = re.compile(r"\bAJA\b|adolescents? et jeunes? adultes?", re.IGNORECASE)

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

_PHRASE_ROLE = {
    "coordonnateur": "Centre coordonnateur",
    "reference": "Centre de référence",
    "expert": "Centre expert",
    "competence": "Centre de compétence",
    "membre": "Centre membre",
}


def _sigle_de_base(cellule: str) -> str:
    """« NETSARC+ (volet RESOS) » → « NETSARC+ » ; « RENATEN (devenu ENDOCAN) » → « RENATEN »."""
    return cellule.split("(")[0].strip()


#: « RENATEN (devenu ENDOCAN) » (sigle d'une ligne de centre expert).
_DEVENU = re.compile(r"^\s*([^()]+?)\s*\(\s*devenu\s+([^()]+?)\s*\)")
#: « … né en 2025 de la fusion des réseaux CANCERVIH et K-VIROGREF » (périmètre d'un réseau).
_FUSION = re.compile(r"fusion des réseaux\s+([^)();]+)", re.IGNORECASE)


def remplaces(sigle_brut: str, perimetre: str = "") -> list[tuple[str, str]]:
    """Les couples (ancien sigle, nouveau sigle) qu'une ligne dit d'un réseau renommé ou né d'une fusion.

    Pourquoi : sans lien, l'ancien et le nouveau nom d'un même réseau coexistent dans le graphe et un décompte par
    réseau les sépare. Lus dans le texte de la source, jamais devinés.
    """
    couples = []
    devenu = _DEVENU.match(sigle_brut)
    if devenu:
        couples.append((devenu.group(1).strip(), devenu.group(2).strip()))
    fusion = _FUSION.search(perimetre or "")
    if fusion:
        nouveau = _sigle_de_base(sigle_brut)
        for ancien in re.split(r"\s*(?:,|\bet\b)\s*", fusion.group(1).strip()):
            if ancien and ancien != nouveau:
                couples.append((ancien, nouveau))
    return couples


def _lier_remplaces(lc: Lecteur, couples: list[tuple[str, str]]) -> None:
    """``nouveau dct:replaces ancien`` et ``ancien dct:isReplacedBy nouveau`` (deux bo:ReseauCancersRares)."""
    for ancien, nouveau in couples:
        a, n = iri_reseau(ancien), iri_reseau(nouveau)
        for r, sigle in ((a, ancien), (n, nouveau)):
            lc.graphe.add((r, RDF.type, BO.ReseauCancersRares))
            lc.graphe.add((r, BO.sigle, Literal(sigle)))
        lc.graphe.add((n, DCTERMS.replaces, a))
        lc.graphe.add((a, DCTERMS.isReplacedBy, n))


def iri_reseau(sigle: str) -> URIRef:
    """L'IRI d'un réseau cancers rares, la même quelle que soit la précision entre parenthèses du sigle."""
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


def _localisations(lc: Lecteur, sujet: URIRef, ligne: dict[str, str]) -> None:
    for loc in concepts_de(ligne.get("perimetre", ""), LOCALISATIONS):
        lc.graphe.add((sujet, BO.localisation, espaces.concept("localisation", loc)))


def _site_web(lc: Lecteur, sujet: URIRef, ligne: dict[str, str]) -> None:
    site = url_site(ligne.get("site_web", ""))
    if site:
        lc.graphe.add((sujet, SCHEMA.url, URIRef(site)))


def _organisation(lc: Lecteur, genre: str, classe: URIRef, nom: str, label: str) -> URIRef:
    """Le nœud d'une organisation nommée (RCP, DSRC, UCOG) : son type, son nom et son libellé."""
    noeud = espaces.organisation(genre, nom)
    lc.graphe.add((noeud, RDF.type, classe))
    lc.graphe.add((noeud, SCHEMA.name, Literal(nom)))
    lc.graphe.add((noeud, RDFS.label, Literal(label, lang="fr")))
    return noeud


def _ecrire_reseau(lc: Lecteur, numero: int, ligne: dict[str, str], sigle: str) -> None:
    """Un ``bo:ReseauCancersRares`` par sigle (une ligne par label)."""
    g = lc.graphe
    r = iri_reseau(sigle)
    g.add((r, RDF.type, BO.ReseauCancersRares))
    g.add((r, BO.sigle, Literal(sigle)))
    lc.texte(r, SCHEMA.name, ligne.get("nom_complet"))
    lc.texte(r, BO.perimetre, ligne.get("perimetre"))
    lc.texte(r, BO.texteCoordonnateur, ligne.get("centre_coordonnateur"))
    _site_web(lc, r, ligne)
    annee = re.match(r"\s*(\d{4})\b", ligne.get("annee_labellisation") or "")
    if annee:
        g.add((r, BO.anneeLabellisation, Literal(annee.group(1), datatype=XSD.gYear)))
    _localisations(lc, r, ligne)
    g.add((r, RDFS.label, Literal(f"Réseau national cancers rares {sigle}", lang="fr")))
    _lier_remplaces(lc, remplaces(sigle, ligne.get("perimetre") or ""))
    lc.provenance(r, numero, ligne)


def _ecrire_centre_expert(lc: Lecteur, numero: int, ligne: dict[str, str], sigle_brut: str) -> None:
    """La ``bo:Appartenance`` d'un site à un réseau cancers rares, avec son rôle (coordonnateur, expert…)."""
    sigle = _sigle_de_base(sigle_brut)
    reseau = iri_reseau(sigle)
    lc.graphe.add((reseau, RDF.type, BO.ReseauCancersRares))
    lc.graphe.add((reseau, BO.sigle, Literal(sigle)))
    _lier_remplaces(lc, remplaces(sigle_brut))
    role_texte = (ligne.get("role") or "").strip()
    role = role_de(role_texte)
    besoins = ["cancer_rare"] + (["rcp_recours"] if re.search(r"\bRCP\b", role_texte) else [])
    label = f"{_PHRASE_ROLE[role]} du réseau {sigle_brut} (liste curée, source {sources_courtes(ligne)})"
    nom = (ligne.get("etablissement") or "").strip()
    ville = (ligne.get("ville") or "").strip() or None
    lc.appartenance(reseau, sigle, numero, 1, nom, ville, role, role_texte, besoins, label, ligne)


def _ecrire_rcp(lc: Lecteur, numero: int, ligne: dict[str, str], intitule: str) -> None:
    """Un ``bo:RCPRecours`` ; l'organisateur est un réseau, une OIR ou un site apparié."""
    g = lc.graphe
    rcp = _organisation(lc, "rcp-recours", BO.RCPRecours, intitule, intitule)
    lc.texte(rcp, BO.perimetre, ligne.get("perimetre"))
    lc.texte(rcp, BO.rythme, ligne.get("frequence"))
    lc.texte(rcp, BO.contact, ligne.get("contact_inscription"))
    _localisations(lc, rcp, ligne)
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
    label = f"Organise la RCP de recours « {intitule} » (liste curée, source {sources_courtes(ligne)})"

    def organiser(morceau: str, rang: int) -> None:
        if not lc.apparieur.apparier(morceau, None).apparie:
            return
        sites.append(
            lc.appartenance(
                rcp, intitule, numero, rang, morceau, None, "organisateur", morceau, ["rcp_recours"], label, ligne
            )
        )

    texte_sites = re.sub(r"^\s*(Réseau|OIR|Filière)\s+\S+\s*", "", organisateur)
    lc.citer(texte_sites, numero, organiser)
    for m in sites:
        g.add((rcp, BO.organisateur, m.iri))
    if not organise and not sites and organisateur:
        m = lc.membre(organisateur, None, numero, 0, rcp)
        g.add((rcp, BO.organisateur, m.iri))


def _ecrire_oir(lc: Lecteur, numero: int, ligne: dict[str, str], sigle: str) -> None:
    """Un ``bo:OIRPediatrie``, ses régions couvertes et ses établissements membres (« Nom, Ville ; … »)."""
    g = lc.graphe
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
    if not precise(membres):
        return
    label = f"Membre de l'OIR d'oncologie pédiatrique {sigle} (liste curée, source {sources_courtes(ligne)})"

    def ajouter(morceau: str, rang: int) -> None:
        nom, ville = nom_et_ville(morceau)
        # « centre AJA de l'Hôpital Saint-Louis » : l'OIR cite un centre adolescents et jeunes adultes, pas un
        # centre pédiatrique ; la cellule le dit, la preuve porte le besoin qu'elle établit.
        besoins = ["aja"] if CENTRE_AJA.search(morceau) else ["oncopediatrie"]
        lc.appartenance(oir, sigle, numero, rang, nom, ville, "membre", morceau, besoins, label, ligne)

    lc.citer(membres, numero, ajouter, separateur=";")


def _ecrire_dsrc(lc: Lecteur, numero: int, ligne: dict[str, str], nom: str) -> None:
    """Un ``bo:DSRC`` (dispositif spécifique régional du cancer) avec sa région."""
    g = lc.graphe
    d = _organisation(lc, "dsrc", BO.DSRC, nom, f"Dispositif spécifique régional du cancer {nom}")
    codes = lc.regions(ligne.get("region", ""))
    for code in codes:
        g.add((d, BO.region, espaces.region(code)))
    if not codes:
        lc.rapport.avertir(numero, f"région non reconnue : « {ligne.get('region', '')} »")
    _site_web(lc, d, ligne)
    lc.provenance(d, numero, ligne)


def _ecrire_ucog(lc: Lecteur, numero: int, ligne: dict[str, str], nom: str) -> None:
    """Une ``bo:UCOG`` (oncogériatrie) avec sa région et ses établissements porteurs."""
    g = lc.graphe
    u = _organisation(lc, "ucog", BO.UCOG, nom, nom)
    for code in lc.regions(ligne.get("region", "")):
        g.add((u, BO.region, espaces.region(code)))
    lc.provenance(u, numero, ligne)
    porteurs = ligne.get("etablissement_porteur", "")
    villes = [v.strip() for v in (ligne.get("ville") or "").split(";") if v.strip()]
    if not precise(porteurs):
        return
    label = f"Porteur de l'{nom} (liste curée, source {sources_courtes(ligne)})"
    ville = villes[0] if len(villes) == 1 else None

    def ajouter(morceau: str, rang: int) -> None:
        lc.appartenance(u, nom, numero, rang, morceau, ville, "porteur", morceau, ["geriatrie"], label, ligne)

    lc.citer(porteurs, numero, ajouter)


RESEAUX = Liste(
    "reseaux_cancers_rares.csv",
    "Réseaux nationaux cancers rares (INCa)",
    ("sigle",),
    "réseau sans sigle",
    _ecrire_reseau,
)
CENTRES_EXPERTS = Liste(
    "centres_experts_cancers_rares.csv",
    "Centres experts des réseaux cancers rares",
    ("reseau_sigle",),
    "centre sans réseau",
    _ecrire_centre_expert,
)
RCP_RECOURS = Liste(
    "rcp_recours.csv",
    "RCP de recours (nationales, interrégionales)",
    ("intitule",),
    "RCP sans intitulé",
    _ecrire_rcp,
)
OIR = Liste(
    "oir_pediatrie.csv",
    "Organisations interrégionales de recours en oncologie pédiatrique (OIR)",
    ("sigle",),
    "OIR sans sigle",
    _ecrire_oir,
)
DSRC = Liste(
    "dsrc.csv",
    "Dispositifs spécifiques régionaux du cancer (DSRC)",
    ("nom",),
    "DSRC sans nom",
    _ecrire_dsrc,
)
UCOG = Liste(
    "ucog.csv",
    "Unités de coordination en oncogériatrie (UCOG)",
    ("nom",),
    "UCOG sans nom",
    _ecrire_ucog,
)
