#!/usr/bin/env python3
# ruff: noqa
# (script de l'évaluateur externe gardé dans son style : seule la lecture du dossier de données a changé,
#  pour qu'on puisse le comparer à l'original ligne à ligne ; voir README.md)
"""Calcule les réponses attendues du jeu de questions INÉDIT de Boussole.

Écrit par un évaluateur externe à partir des seules données BRUTES de /work/shared/data
(aucun code du produit lu). Bibliothèque standard uniquement.

    python3 calculer_attendus.py            # écrit questions_inedites.jsonl à côté du script
    python3 calculer_attendus.py --donnees DIR    # lit les données brutes dans DIR
    python3 calculer_attendus.py --verifier-dev   # rejoue la méthode sur le jeu dev publié
    python3 calculer_attendus.py --detail   # imprime, pour chaque question, les candidats et distances

LECTURE DES DONNÉES (choix d'évaluateur, discutables, voir README.md)
---------------------------------------------------------------------
Univers des sites : les établissements géographiques (FINESS ET) de SAE ID_2023r.csv.
Coordonnées : point Eurostat GISCO (id sans zéro de tête, recomplété à 9 caractères) s'il est à
moins de SEUIL_KM du point de la commune COMINSEE du site ; sinon (absent ou implausible) point de
la commune (geo/communes.csv). Les codes commune SAE d'outre-mer sont en forme FINESS (9D414) : on
les ramène au code INSEE (97414). Paris / Lyon / Marseille : la SAE donne la commune entière (75056,
69123, 13055) ; communes.csv n'a pas d'arrondissements, donc « Lyon 3e », « 13008 » -> point de la ville.
Distance : haversine (rayon 6371 km), depuis le point de la commune demandée.

Preuve d'un besoin (« strict » = ce qui fait un attendu ; « large » = ce qu'une lecture plus permissive
accepterait ; une question n'est gardée que si le plus proche site de chaque variante est un attendu) :
  radiotherapie : FILTRE_2023 (STATUT=DECLA) RTH=1 ET CANCERO_2023 CANCERO_A2=1 (activité de
                  radiothérapie, sens inféré par le README). Large : l'un OU l'autre, ou CANCERO_2022
                  A2=1 pour un site absent de 2023. Un site A2=1 en 2022 mais A2=0 en 2023 (et RTH≠1)
                  est « contredit » : ce n'est pas une preuve -> peut servir d'`interdits`.
  chimiotherapie: FILTRE DECLA CHIMIO=1 ET CANCERO_2023 A1=1 ; ou autorisation FINESS active
                  (activité 18, modalité 67) sur le site. Large : l'un OU l'autre (+2022 si absent en 2023).
  chirurgie     : FILTRE DECLA CHIRCANCER=1, ou autorisation FINESS active 18 / 69 ou 90-95 sur le site.
  palliatif     : FILTRE DECLA PALIA=1. Large : PALIA=1 ou EMSP=1 (équipe mobile).
  douleur       : ligne dans DOULEUR_2022a (Consultation ou Centre) ET FILTRE 2023 DECLA DOULEUR=1
                  (l'édition 2023 plus récente confirme la structure de 2022). Large : l'un OU l'autre.
                  DOULEUR_2022 présent mais FILTRE 2023 DOULEUR=0 : « contredit ».
  geriatrie     : MCOGER_2023 EMGER=1 (équipe mobile gériatrique) ou EVALIH>0 ou EVALEH>0
                  (évaluations gériatriques) : ce qui permet une évaluation gériatrique. Large : + UGER=1.
  tep           : IMAGES_2023 EQUIPIMA=TOMO avec NB>0 (TOMO = TEP, sens inféré par le README).
  had           : FILTRE DECLA HAD=1. Large : + catégorie FINESS 127 (établissement d'HAD).
FINESS (extrait Ain + 1 Charente) : activité 18 avec etatObjet=A au niveau du site (activitesExercees)
ou de l'entité (si l'entité n'a qu'un site) ; dates de fin / caducité passées -> inactif.
Listes curées : les noms libres sont rattachés à des FINESS par la table RATTACHEMENTS ci-dessous
(motif sur le nom SAE + entité juridique), vérifiée à l'exécution contre ID_2023 (le script échoue si
un rattachement ne trouve rien). Quand la source nomme un CHU sans site, on prend les sites de l'entité
qui portent l'activité en cause (pédiatrie MCOPED pour l'oncopédiatrie, activité cancer sinon).
"""
import csv
import json
import math
import os
import re
import unicodedata
from datetime import date

ICI = os.path.dirname(os.path.abspath(__file__))
# benchmarks/inedites/ -> racine du dépôt ; les données brutes partagées sont à côté du dépôt (outil de benchmark,
# pas du produit : il ne lit pas donnees/). --donnees DIR ou $BOUSSOLE_DATA les placent ailleurs.
DEPOT = os.path.dirname(os.path.dirname(ICI))
DATA = os.environ.get("BOUSSOLE_DATA", os.path.join(DEPOT, "..", "shared", "data"))
SORTIE = os.path.join(ICI, "questions_inedites.jsonl")
SEUIL_KM = 20.0          # point Eurostat jugé implausible au-delà de cette distance de sa commune
AUJOURDHUI = date(2026, 4, 1)   # date de l'extrait FINESS

DOM_FINESS = {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}


# ----------------------------------------------------------------------------- lecture
def lire_sae(nom):
    with open(os.path.join(DATA, "sae", nom), encoding="latin-1", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def sans_accents(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def insee_depuis_sae(code):
    if code[:2] in DOM_FINESS:
        return DOM_FINESS[code[:2]] + code[3:] if len(code) == 6 else DOM_FINESS[code[:2]][:2] + code[2:]
    return code


def dep_insee(dep_sae):
    return DOM_FINESS.get(dep_sae, dep_sae)


def haversine(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


class Donnees:
    def __init__(self):
        # communes
        self.communes = {}
        with open(os.path.join(DATA, "geo", "communes.csv"), encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                pt = (float(r["latitude"]), float(r["longitude"])) if r["latitude"] else None
                self.communes[r["code_insee"]] = {"nom": r["nom"], "dep": r["code_departement"],
                                                  "reg": r["code_region"], "pt": pt}
        with open(os.path.join(DATA, "geo", "regions.csv"), encoding="utf-8", newline="") as f:
            self.regions = {r["code_region"]: r["nom"] for r in csv.DictReader(f)}
        # sites
        self.sites = {}
        for r in lire_sae("ID_2023r.csv"):
            com = r["COMINSEE"]
            if len(com) == 5 and com[:2] in DOM_FINESS:   # 9D416 -> 97416
                com = "97" + com[2:]
            self.sites[r["fi"]] = {"fi": r["fi"], "ej": r["fi_ej"], "rs": r["rs"], "cat": r["cat"],
                                   "dep": dep_insee(r["dep"]), "com": com}
        # coordonnées
        euro = {}
        with open(os.path.join(DATA, "geoloc", "eurostat_healthcare_services_FR.csv"), encoding="utf-8",
                  newline="") as f:
            for r in csv.DictReader(f):
                try:
                    euro[r["id"].zfill(9)] = (float(r["lat"]), float(r["lon"]))
                except ValueError:
                    pass
        self.precision = {}
        for fi, s in self.sites.items():
            cpt = self.communes.get(s["com"], {}).get("pt")
            ept = euro.get(fi)
            s["pt_commune"] = cpt
            if ept and cpt and haversine(ept, cpt) <= SEUIL_KM:
                s["pt"], s["prec"] = ept, "eurostat"
            elif cpt:
                s["pt"], s["prec"] = cpt, "commune"
            elif ept:   # point invérifiable (commune sans point, ex. Saint-Martin 97801) : non classé
                s["pt"], s["prec"] = None, "eurostat_non_verifie"
            else:
                s["pt"], s["prec"] = None, "aucune"
        # SAE
        self.filtre = {r["FI"]: r for r in lire_sae("FILTRE_2023r.csv") if r["STATUT"] == "DECLA"}
        self.c23 = {r["FI"]: r for r in lire_sae("CANCERO_2023r.csv")}
        self.c22 = {r["FI"]: r for r in lire_sae("CANCERO_2022r.csv")}
        self.douleur = {r["FI"]: r for r in lire_sae("DOULEUR_2022a.csv")}
        self.ger = {r["FI"]: r for r in lire_sae("MCOGER_2023r.csv")}
        self.ped = {r["FI"]: r for r in lire_sae("MCOPED_2023r.csv")}
        self.tep = set()
        for r in lire_sae("IMAGES_2023r.csv"):
            if r["EQUIPIMA"] == "TOMO" and _num(r["NB"]) > 0:
                self.tep.add(r["FI"])
        self.finess_mod = self._lire_finess()

    def _lire_finess(self):
        """{FINESS ET: set(modalités activité 18 actives)}"""
        p = os.path.join(DATA, "finess", "exemple-finess-activites-journalier-20260401.json")
        with open(p, encoding="utf-8") as f:
            d = json.load(f)
        mods = {}

        def actif(cg):
            if cg.get("etatObjet") != "A":
                return False
            for k in ("dateFinActiviteAutorisee", "dateFinEffectiveActivite", "dateCaduciteAutorisation"):
                v = cg.get(k)
                if v and v[:10] < AUJOURDHUI.isoformat():
                    return False
            return True

        def modalite(a):
            n = a.get("nature", {})
            if n.get("codeNature") != "AMF":
                return None
            t = (n.get("caracteristiquesSpecifiques") or {}).get("typeActiviteAMF") or {}
            return t.get("modaliteActivite") if t.get("activiteAMF") == "18" else None

        for pm in d["pmej"]:
            eges = pm.get("ege", [])
            for e in eges:
                for a in e.get("activitesExercees", []):
                    m = modalite(a)
                    if m and actif(a["caracteristiquesGeneriques"]):
                        mods.setdefault(e["numFinessEge"], set()).add(m)
            if len(eges) == 1:
                for a in pm.get("activitesAutorisees", []):
                    m = modalite(a)
                    if m and actif(a["caracteristiquesGeneriques"]):
                        mods.setdefault(eges[0]["numFinessEge"], set()).add(m)
        return mods

    # ------------------------------------------------------------------ preuves
    def preuve(self, fi, besoin, mode="strict"):
        f = self.filtre.get(fi, {})
        c = self.c23.get(fi)
        c_old = self.c22.get(fi)
        fm = self.finess_mod.get(fi, set())
        large = mode == "large"
        if besoin == "radiotherapie":
            a = f.get("RTH") == "1"
            b = bool(c) and c.get("CANCERO_A2") == "1"
            if "68" in fm:
                return True
            if large:
                return a or b or (c is None and c_old is not None and c_old.get("CANCERO_A2") == "1")
            return a and b
        if besoin == "chimiotherapie":
            if "67" in fm:
                return True
            a = f.get("CHIMIO") == "1"
            b = bool(c) and c.get("CANCERO_A1") == "1"
            if large:
                return a or b or (c is None and c_old is not None and c_old.get("CANCERO_A1") == "1")
            return a and b
        if besoin == "chirurgie":
            return f.get("CHIRCANCER") == "1" or bool(fm & {"69", "90", "91", "92", "93", "94", "95"})
        if besoin == "palliatif":
            return f.get("PALIA") == "1" or (large and f.get("EMSP") == "1")
        if besoin == "douleur":
            a = fi in self.douleur and self.douleur[fi]["STRUCTURE"] in ("Consultation", "Centre")
            b = f.get("DOULEUR") == "1"
            # large : l'un OU l'autre, sauf la structure 2022 que FILTRE 2023 contredit (DOULEUR=0)
            return (b or (a and f.get("DOULEUR") != "0")) if large else (a and b)
        if besoin == "geriatrie":
            g = self.ger.get(fi)
            if not g:
                return False
            ok = g["EMGER"] == "1" or _num(g["EVALIH"]) > 0 or _num(g["EVALEH"]) > 0
            return ok or (large and g["UGER"] == "1")
        if besoin == "tep":
            return fi in self.tep
        if besoin == "had":
            return f.get("HAD") == "1" or (large and self.sites[fi]["cat"] == "127")
        raise ValueError(besoin)

    def contredit(self, fi, besoin):
        """Preuve d'une édition plus ancienne contredite par la plus récente."""
        f = self.filtre.get(fi, {})
        if besoin == "radiotherapie":
            o, n = self.c22.get(fi), self.c23.get(fi)
            return bool(o and n) and o["CANCERO_A2"] == "1" and n["CANCERO_A2"] == "0" and f.get("RTH") != "1"
        if besoin == "chimiotherapie":
            o, n = self.c22.get(fi), self.c23.get(fi)
            return bool(o and n) and o["CANCERO_A1"] == "1" and n["CANCERO_A1"] == "0" and f.get("CHIMIO") != "1"
        if besoin == "douleur":
            return fi in self.douleur and f.get("DOULEUR") == "0"
        return False

    def pediatrie(self, fi):
        p = self.ped.get(fi)
        return bool(p) and (p["SPED"] == "1" or p["UPED"] == "1")

    # ------------------------------------------------------------------ géographie
    def point_lieu(self, insee):
        c = self.communes[insee]
        if not c["pt"]:
            raise ValueError("commune sans point : " + insee)
        return c["pt"]

    def classer(self, lieu, candidats, coord="pt"):
        pt = self.point_lieu(lieu)
        out = []
        for fi in candidats:
            s = self.sites[fi]
            p = s[coord] or s["pt"]
            if p and s["prec"] != "eurostat_non_verifie":
                out.append((round(haversine(pt, p), 3), fi))
        out.sort()
        return out


def _num(v):
    try:
        return float(v.replace(",", "."))
    except (ValueError, AttributeError):
        return 0.0


def premiers(classes, n=3, eps=0.05):
    """Les n premiers, en gardant les ex aequo au rang n (sites d'un même point de commune)."""
    if len(classes) <= n:
        return [fi for _, fi in classes]
    lim = classes[n - 1][0] + eps
    return [fi for d, fi in classes if d <= lim]


# ----------------------------------------------------------------------------- rattachements
# Noms libres des listes curées -> FINESS ET (motif regex sur le nom SAE, entité juridique facultative).
RATTACHEMENTS = {
    "Centre Léon Bérard": [("^CENTRE LEON BERARD$", None)],
    "Institut Gustave Roussy": [("^INSTITUT GUSTAVE ROUSSY$", None)],
    "Institut Bergonié": [("^INSTITUT BERGONIE$", None)],
    "CHU de Nantes": [("CHU DE NANTES SITE (HOTEL DIEU|LAENNEC)", "440000289")],
    "CHU de Tours": [("CHRU (BRETONNEAU|CLOCHEVILLE)", "370000481")],
    "Hôpital Cochin": [("SITE COCHIN", "750712184")],
    "Institut Curie": [("^CLCC INSTITUT CURIE$", None), ("RENE HUGUENIN INSTITUT CURIE", None)],
    "Institut Curie (Paris)": [("^CLCC INSTITUT CURIE$", None)],
    "Institut mutualiste Montsouris": [("^INSTITUT MUTUALISTE MONTSOURIS$", None)],
    "Centre Antoine Lacassagne": [("^CENTRE ANTOINE LACASSAGNE", "060780962")],
    "Centre Hospitalier Lyon Sud (HCL)": [("^HOPITAL LYON SUD - HCL$", None)],
    "Hôpital Louis Pradel (HCL)": [("^HOPITAL LOUIS PRADEL - HCL$", None)],
    "Centre Oscar Lambret": [("OSCAR LAMBRET", None)],
    "CHU Kremlin-Bicêtre": [("SITE KREMLIN BICETRE", "750712184")],
    "Hôpital Pitié-Salpêtrière": [("^HU PITIE SALPETRIERE APHP$", None)],
    "Hôpital Hôtel-Dieu (Paris)": [("SITE HOTEL DIEU APHP", "750712184")],
    "Centre Henri Becquerel": [("HENRI BECQUEREL", None)],
    "Institut Jean Godinot": [("^INSTITUT GODINOT$", None)],
    "Centre François Baclesse": [("FRANCOIS BACLESSE", None)],
    "Centre Alexis Vautrin": [("^INSTITUT DE CANCEROLOGIE DE LORRAINE$", None)],
    "IHOPe": [("^IHOP - HCL$", None)],
    "Centre Jean Perrin": [("J.PERRIN", None)],
    "La Timone Enfants": [("TIMONE ENFANTS", "130786049")],
    "Hôpital Clocheville": [("CLOCHEVILLE", "370000481")],
    "ICO Gauducheau (CLCC de Nantes)": [("ICO - SITE GAUDUCHEAU", None)],
    "Centre Eugène Marquis (CLCC de Rennes)": [("EUGENE MARQUIS", None)],
    "Hôpital Robert-Debré (AP-HP)": [("^HU ROBERT DEBRE APHP$", None)],
    "Hôpital Trousseau (AP-HP)": [("SITE TROUSSEAU APHP", "750712184")],
    "Hôpital Saint-Louis (AP-HP)": [("SITE SAINT LOUIS APHP", "750712184")],
    "CH de la Côte Basque": [("^CH COTE BASQUE$", None)],
    "CHU de Poitiers": [("^CHU LA MILETRIE$", None)],
    "CH de Troyes": [("^CENTRE HOSPITALIER DE TROYES$", None)],
    "Centre Georges François Leclerc": [("GEORGES-FRANCOIS LECLERC", None)],
    "AP-HP Cochin": [("SITE COCHIN", "750712184")],
    "AP-HP Jean Verdier": [("SITE JEAN VERDIER", "750712184")],
    "AP-HP Tenon": [("SITE TENON", "750712184")],
    "AP-HP Antoine Béclère": [("SITE ANTOINE BECLERE", "750712184")],
    "CHU de Besançon": [("CHU (JEAN MINJOZ|BESANCON SITE SAINT-JACQUES)", "250000015")],
    "CHU de Dijon": [("CHRU DIJON|UNIVERSITAIRE DIJ", "210780581")],
    "Polyclinique de Franche-Comté": [("^POLYCLINIQUE DE FRANCHE COMTE$", None)],
    "CHU de Clermont-Ferrand": [("- CHU63$", "630780989")],
    "CHU de Tours (ville)": [("CHRU (BRETONNEAU|CLOCHEVILLE) - TOURS", "370000481")],
}

# Oncopédiatrie : membres nommés de chaque OIR (oir_pediatrie.csv). Les CHU nommés sans site -> sites de
# l'entité avec un service/une unité de pédiatrie (MCOPED 2023). EN-HOPE : « centres de référence
# d'oncohématologie pédiatrique de Besançon, Dijon, Nancy, Reims et Strasbourg » -> CHU de ces villes.
OIR = {
    "PACAURA": {"regions": ["84", "93", "94"],
                "noms": ["IHOPe", "Centre Léon Bérard", "Centre Jean Perrin", "La Timone Enfants",
                         "Centre Antoine Lacassagne"],
                "chu_ej": ["630780989", "380780080", "420784878", "060785011"]},
    "GOCE": {"regions": ["53", "52", "24"],   # Normandie (28) couverte mais aucun membre normand nommé
             "noms": ["Hôpital Clocheville", "ICO Gauducheau (CLCC de Nantes)",
                      "Centre Eugène Marquis (CLCC de Rennes)"],
             "chu_ej": ["490000031", "290000017", "440000289", "350005179", "370000481"]},
    "CANPEDIF": {"regions": ["11"],
                 "noms": ["Hôpital Robert-Debré (AP-HP)", "Hôpital Trousseau (AP-HP)", "Institut Curie (Paris)",
                          "Institut Gustave Roussy"],
                 "chu_ej": []},
    "EN-HOPE": {"regions": ["32", "44", "27"],
                "noms": [],
                "chu_ej": ["590780193", "800000044", "250000015", "210780581", "540023264", "510000029",
                           "670780055"]},
}

RESEAUX = {  # centres nommés dans centres_experts_cancers_rares.csv
    "NETSARC+": ["Centre Léon Bérard", "Institut Gustave Roussy", "Institut Bergonié"],
    "RESOS": ["CHU de Nantes", "CHU de Tours", "Hôpital Cochin", "Institut Curie (Paris)"],
    "MELACHONAT": ["Institut Curie", "Centre Antoine Lacassagne"],
    "RENAPE": ["Centre Hospitalier Lyon Sud (HCL)", "Institut Gustave Roussy"],
    "REFCOR": ["Institut Gustave Roussy", "Centre Oscar Lambret"],
    "RYTHMIC": ["Institut Curie (Paris)", "Institut mutualiste Montsouris", "Institut Gustave Roussy",
                "Hôpital Louis Pradel (HCL)"],
    "RENATEN": ["Institut Gustave Roussy"],
    "PREDIR": ["CHU Kremlin-Bicêtre"],
    "CANCERVIH": ["Hôpital Pitié-Salpêtrière"],
    "TMRO-TMRG": ["Centre Léon Bérard", "Hôpital Hôtel-Dieu (Paris)", "Institut Gustave Roussy",
                  "Centre Oscar Lambret", "Centre Henri Becquerel", "Institut Jean Godinot",
                  "Centre François Baclesse", "Centre Alexis Vautrin"],
    "NETMESO": ["CHU de Lille*", "Centre Léon Bérard"],
}


class Calcul:
    def __init__(self, d):
        self.d = d
        self._cache = {}

    def fi(self, nom):
        if nom == "CHU de Lille*":   # « CHU de Lille » sans site : sites de l'entité avec activité cancer
            return self.sites_ej("590780193", "cancer")
        if nom in self._cache:
            return self._cache[nom]
        res = []
        for motif, ej in RATTACHEMENTS[nom]:
            for fi, s in self.d.sites.items():
                if re.search(motif, s["rs"]) and (ej is None or s["ej"] == ej):
                    res.append(fi)
        if not res:
            raise SystemExit("rattachement introuvable : %s" % nom)
        self._cache[nom] = sorted(set(res))
        return self._cache[nom]

    def sites_ej(self, ej, quoi):
        out = []
        for fi, s in self.d.sites.items():
            if s["ej"] != ej:
                continue
            if quoi == "pediatrie" and self.d.pediatrie(fi):
                out.append(fi)
            if quoi == "cancer" and not s["rs"].startswith("HAD") and s["cat"] != "127" and (
                    self.d.preuve(fi, "chimiotherapie") or self.d.preuve(fi, "chirurgie")):
                out.append(fi)
        return sorted(out)

    def membres_oir(self, sigle):
        o = OIR[sigle]
        m = set()
        for n in o["noms"]:
            m.update(self.fi(n))
        for ej in o["chu_ej"]:
            # un seul site par CHU : celui qui a une preuve de chimiothérapie et le plus de lits de
            # médecine pédiatrique (MCOPED LIT_MED_PED) = le site de l'oncohématologie pédiatrique
            cand = [fi for fi in self.sites_ej(ej, "pediatrie") if self.d.preuve(fi, "chimiotherapie")]
            if cand:
                m.add(max(cand, key=lambda fi: _num(self.d.ped[fi]["LIT_MED_PED"])))
        return m

    def oir_de(self, lieu):
        reg = self.d.communes[lieu]["reg"]
        for sigle, o in OIR.items():
            if reg in o["regions"]:
                return sigle
        return None

    # -------------------------------------------------------------- familles
    def proche(self, lieu, besoin, n=3, emsp=False, dep=None):
        d = self.d
        st = [fi for fi in d.sites if d.preuve(fi, besoin)]
        lg = [fi for fi in d.sites if d.preuve(fi, besoin, "large")]
        if dep:    # outre-mer : les attendus sont pris dans le seul département du lieu
            st = [fi for fi in st if d.sites[fi]["dep"] == dep]
            lg = [fi for fi in lg if d.sites[fi]["dep"] == dep]
        if emsp:   # « EMSP » nommée : FILTRE DECLA EMSP=1 (équipe mobile de soins palliatifs)
            st = lg = [fi for fi in d.sites if d.filtre.get(fi, {}).get("EMSP") == "1"]
        a = d.classer(lieu, st)
        att = premiers(a, n)
        variantes = {"large": d.classer(lieu, lg), "points_commune": d.classer(lieu, st, "pt_commune")}
        robuste = all(v and set(fi for dd, fi in v if dd <= v[0][0] + 0.05) & set(att)
                      for v in variantes.values())
        if not robuste:
            self.motif = {k: v[:2] for k, v in variantes.items()}
        return att, robuste, a[:6]

    def enfant(self, lieu, radio=False):
        d = self.d
        sigle = self.oir_de(lieu)
        if not sigle:
            return None, False, [], []
        m = self.membres_oir(sigle)
        if radio:
            m = {fi for fi in m if d.preuve(fi, "radiotherapie")}
        a = d.classer(lieu, m)
        att = premiers(a, 3)
        b = d.classer(lieu, m, "pt_commune")
        robuste = bool(b) and b[0][1] in att
        # pédiatrie générale (CH, hors CHU/CLCC, hors membres) la plus proche : au mieux de proximité
        gen = [fi for fi in d.sites if d.pediatrie(fi) and fi not in m
               and d.sites[fi]["cat"] not in ("101", "131")]
        g = [fi for dist, fi in d.classer(lieu, gen) if dist <= 60][:3]
        return att, robuste, a[:6], g

    def reseau(self, sigle, lieu=None, exclure=()):
        m = set()
        for n in RESEAUX[sigle]:
            m.update(self.fi(n))
        m -= set(exclure)
        if lieu:
            return [fi for _, fi in self.d.classer(lieu, m)]
        return sorted(m)

    def second_avis_courant(self, lieu, ej_suivi):
        """CLCC (131) ou CHU (101) avec activité cancer (chirurgie ET chimiothérapie, preuve stricte),
        hors de l'entité qui suit, par distance."""
        d = self.d
        exclure = sorted(fi for fi, s in d.sites.items() if s["ej"] == ej_suivi)
        cand = [fi for fi, s in d.sites.items() if s["cat"] in ("101", "131") and s["ej"] != ej_suivi
                and d.preuve(fi, "chirurgie") and d.preuve(fi, "chimiotherapie")
                and not (s["cat"] == "101" and fi in d.ped and fi not in d.ger)]
        # (site de CHU avec lits de pédiatrie et sans aucune activité gériatrique MCOGER = site
        #  mère-enfant : pas une équipe de second avis pour un cancer de l'adulte)
        a = d.classer(lieu, cand)
        att = premiers(a, 3)
        b = d.classer(lieu, cand, "pt_commune")
        return att, exclure, bool(b) and b[0][1] in att, a[:6]

    def organe(self, lieu, modalite):
        d = self.d
        cand = [fi for fi, m in d.finess_mod.items() if modalite in m and fi in d.sites]
        return [fi for _, fi in d.classer(lieu, cand)]

    def contredits_proches(self, lieu, besoin, km=40):
        d = self.d
        c = [fi for fi in d.sites if d.contredit(fi, besoin) and not d.preuve(fi, besoin, "large")]
        return [fi for dist, fi in d.classer(lieu, c) if dist <= km]


# ----------------------------------------------------------------------------- questions
# Chaque entrée : (id, genre, question, spéc). Les spécifications disent COMMENT calculer l'attendu ;
# aucun FINESS attendu n'est écrit à la main hors des rattachements nommés des listes curées.
def P(besoin, lieu, **kw):
    return dict(kind="proche", besoin=besoin, lieu=lieu, **kw)


QUESTIONS = [
    # ---------------------------------------------------------------- courant
    ("courant", "Radiothérapie pour une patiente habitant Quimper, où l'adresser ?", P("radiotherapie", "29232")),
    ("courant", "centre de radiothérapie le plus proche de Colmar", P("radiotherapie", "68066")),
    ("courant", "Mon patient vit à Périgueux, il lui faut des séances de rayons", P("radiotherapie", "24322")),
    ("courant", "chimiothérapie en ambulatoire près de Saint-Brieuc", P("chimiotherapie", "22278")),
    ("courant", "Où faire sa chimio quand on habite Auxerre ?", P("chimiotherapie", "89024")),
    ("courant", "chimiothérapie du côté de Tarbes", P("chimiotherapie", "65440")),
    ("courant", "chirurgie carcinologique vers Angoulême", P("chirurgie", "16015")),
    ("courant", "Qui opère les cancers autour de Montauban ?", P("chirurgie", "82121")),
    ("courant", "unité de soins palliatifs proche de Chartres", P("palliatif", "28085")),
    ("courant", "lits de soins palliatifs à Laval pour une patiente en fin de vie", P("palliatif", "53130")),
    ("courant", "consultation douleur chronique d'un patient cancéreux à Poitiers", P("douleur", "86194")),
    ("courant", "structure douleur près de Metz", P("douleur", "57463")),
    ("courant", "TEP scanner le plus proche d'Annecy", P("tep", "74010")),
    ("courant", "où passer un PET-scan autour de Nîmes ?", P("tep", "30189")),
    ("courant", "radiothérapie à Troyes", P("radiotherapie", "10387")),
    ("courant", "chimio près d'Évreux", P("chimiotherapie", "27229")),
    ("courant", "Je cherche une radiothérapie pour un patient de Béziers", P("radiotherapie", "34032")),
    ("courant", "consultation douleur Clermont-Ferrand", P("douleur", "63113")),
    # ---------------------------------------------------------------- outre-mer
    ("outre_mer", "radiothérapie à Saint-Pierre de La Réunion", P("radiotherapie", "97416", om="974")),
    ("outre_mer", "chimiothérapie en Guadeloupe, patiente des Abymes", P("chimiotherapie", "97101", om="971")),
    ("outre_mer", "Où faire une chimio à Fort-de-France ?", P("chimiotherapie", "97209", om="972")),
    ("outre_mer", "chimio pour un patient de Cayenne", P("chimiotherapie", "97302", om="973")),
    ("outre_mer", "soins palliatifs à Saint-Denis (Réunion)", P("palliatif", "97411", om="974")),
    ("outre_mer", "radiothérapie pour un patient de Ducos en Martinique", P("radiotherapie", "97207", om="972")),
    ("outre_mer", "chirurgie d'un cancer à Pointe-à-Pitre", P("chirurgie", "97120", om="971")),
    ("outre_mer", "chimiothérapie à Mamoudzou", P("chimiotherapie", "97611", om="976")),
    ("outre_mer", "HAD pour un patient de Mayotte sous chimio, Mamoudzou", P("had", "97611", om="976")),
    ("outre_mer", "patient de Saint-Laurent-du-Maroni : où faire la chimiothérapie ?", P("chimiotherapie", "97311", om="973")),
    # ---------------------------------------------------------------- Corse et lieux difficiles
    ("courant", "radiothérapie à Ajaccio", P("radiotherapie", "2A004")),
    ("courant", "chimiothérapie près de Bastia", P("chimiotherapie", "2B033")),
    ("lieu_difficile", "chimiothérapie Lyon 3e", P("chimiotherapie", "69123")),
    ("lieu_difficile", "radiothérapie 13008", P("radiotherapie", "13055")),
    ("lieu_difficile", "soins palliatifs Paris 15e", P("palliatif", "75056")),
    ("lieu_difficile", "chimio à Saint Etienne du Rouvray", P("chimiotherapie", "76575")),
    ("lieu_difficile", "radiotherapie Charleville Mezieres", P("radiotherapie", "08105")),
    ("lieu_difficile", "chirurgie du cancer La Roche sur Yon", P("chirurgie", "85191")),
    ("lieu_difficile", "Patient de Morlaix, hospitalisé au CHU de Brest : une chimio près de chez lui ?",
     P("chimiotherapie", "29151")),
    ("lieu_difficile", "TEP à Boulogne sur Mer", P("tep", "62160")),
    ("lieu_difficile", "douleur chronique Chalons en Champagne", P("douleur", "51108")),
    ("lieu_difficile", "radiothérapie 84000", P("radiotherapie", "84007")),
    # ---------------------------------------------------------------- abréviations, fautes
    ("abreviation", "HDJ onco Bordo", P("chimiotherapie", "33063")),
    ("abreviation", "RTE Marseile", P("radiotherapie", "13055")),
    ("abreviation", "HAD onco secteur Nancy", P("had", "54395")),
    ("abreviation", "EMSP Perpigan", P("palliatif", "66136", emsp=True)),
    ("abreviation", "CETD Monpellier", P("douleur", "34172")),
    ("abreviation", "K colon chir Clermont Ferand", P("chirurgie", "63113")),
    ("abreviation", "pet scan strasbourh", P("tep", "67482")),
    ("abreviation", "EGA pour pte de 84 ans, K ovaire, Limoge", P("geriatrie", "87085", age=84)),
    ("abreviation", "HAD pour un patient sous chimio à Rouen", P("had", "76540")),
    # ---------------------------------------------------------------- gériatrie
    ("geriatrie", "Patient de 82 ans, cancer colorectal, Orléans : où faire une évaluation gériatrique ?",
     P("geriatrie", "45234", age=82, ucog=None)),
    ("geriatrie", "évaluation oncogériatrique pour une dame de 88 ans à Brest", P("geriatrie", "29019", age=88,
                                                                                  ucog="bretagne")),
    ("geriatrie", "équipe mobile de gériatrie, patient de 79 ans suivi pour un myélome, Lille",
     P("geriatrie", "59350", age=79, ucog="nord-pas-de-calais")),
    ("geriatrie", "patiente de 91 ans, cancer du sein, Toulon : bilan gériatrique avant traitement ?",
     P("geriatrie", "83137", age=91)),
    ("geriatrie", "Monsieur 77 ans, K prostate métastatique, Caen, besoin d'une EGA",
     P("geriatrie", "14118", age=77, ucog="normandie")),
    ("geriatrie", "oncogériatrie Nice, patient de 85 ans", P("geriatrie", "06088", age=85, ucog="paca est")),
    # ---------------------------------------------------------------- courant avec preuve ancienne contredite
    ("courant", "radiothérapie à Concarneau", P("radiotherapie", "29039", interdits_anciens=True)),
    ("courant", "où faire la radiothérapie pour un patient de Plérin ?", P("radiotherapie", "22187", interdits_anciens=True)),
    ("courant", "chimiothérapie à Saint-Omer", P("chimiotherapie", "62765", interdits_anciens=True)),
    ("courant", "chimio pour une patiente de Carpentras", P("chimiotherapie", "84031", interdits_anciens=True)),
    ("courant", "hôpital de jour de chimiothérapie à Pessac", P("chimiotherapie", "33318", interdits_anciens=True)),
    ("courant", "chimiothérapie à Boulogne-Billancourt", P("chimiotherapie", "92012", interdits_anciens=True)),
    ("courant", "radiothérapie Lille", P("radiotherapie", "59350", interdits_anciens=True)),
    ("courant", "consultation douleur à Bayonne", P("douleur", "64102", interdits_anciens=True)),
    ("courant", "soins palliatifs près de Mont-de-Marsan", P("palliatif", "40192")),
    ("courant", "TEP-TDM pour un bilan d'extension, patient de Cahors", P("tep", "46042")),
    ("courant", "radiothérapie autour de Bourges", P("radiotherapie", "18033")),
    ("courant", "chirurgie oncologique près de Chambéry", P("chirurgie", "73065")),
    ("lieu_difficile", "TEP scan Lyon 3e", P("tep", "69123")),
    ("lieu_difficile", "radiothérapie pour une patiente du 15e arrondissement de Paris", P("radiotherapie", "75056")),
    ("lieu_difficile", "chirurgie d'un cancer, patient domicilié 13008", P("chirurgie", "13055")),
    ("lieu_difficile", "TEP Aix en Provence", P("tep", "13001")),
    ("lieu_difficile", "chimiothérapie Saint Brieuc", P("chimiotherapie", "22278")),
    ("lieu_difficile", "patient qui habite Bourg en Bresse mais hospitalisé à Lyon : radiothérapie près de chez lui",
     P("radiotherapie", "01053")),
    ("abreviation", "radiothé Valenciennes", P("radiotherapie", "59606")),
    ("abreviation", "USP Angers", P("palliatif", "49007")),
    ("abreviation", "équipe mobile EMSP pour un patient à domicile, secteur de Saint-Malo", P("palliatif", "35288", emsp=True)),
    ("abreviation", "EGA onco-gériatrique Limoges patient 84 ans", P("geriatrie", "87085", age=84)),
    ("geriatrie", "patient de 80 ans, lymphome, Vannes : qui peut faire une évaluation gériatrique ?",
     P("geriatrie", "56260", age=80, ucog="bretagne")),
    ("geriatrie", "évaluation gériatrique standardisée avant chimio, patiente de 86 ans, Rouen",
     P("geriatrie", "76540", age=86, ucog="normandie")),
    ("geriatrie", "patient de 78 ans à Amiens, cancer de la vessie : évaluation gériatrique", P("geriatrie", "80021", age=78)),
]


# Questions à attendus calculés autrement ------------------------------------------------------------
QUESTIONS += [
    # enfant
    ("enfant", "Enfant de 7 ans, suspicion de neuroblastome, famille à Chambéry : vers quel centre ?",
     dict(kind="enfant", lieu="73065", age=7)),
    ("enfant", "leucémie chez un garçon de 4 ans à Valence, où l'adresser ?", dict(kind="enfant", lieu="26362", age=4)),
    ("enfant", "tumeur cérébrale chez une fille de 10 ans, Quimper", dict(kind="enfant", lieu="29232", age=10)),
    ("enfant", "oncopédiatrie pour un enfant de 12 ans habitant Le Mans", dict(kind="enfant", lieu="72181", age=12)),
    ("enfant", "radiothérapie pour un enfant de 9 ans, famille à Avignon", dict(kind="enfant", lieu="84007", age=9,
                                                                                radio=True)),
    ("enfant", "néphroblastome, bébé de 18 mois, Metz", dict(kind="enfant", lieu="57463", age=1)),
    ("enfant", "enfant de 6 ans avec un lymphome, parents à Versailles", dict(kind="enfant", lieu="78646", age=6)),
    ("enfant", "rayons pour une enfant de 11 ans, Saint-Étienne", dict(kind="enfant", lieu="42218", age=11, radio=True)),
    ("enfant", "sarcome d'Ewing chez un enfant de 8 ans, Amiens", dict(kind="enfant", lieu="80021", age=8)),
    # AJA
    ("aja", "adolescente de 16 ans, ostéosarcome, habite Annecy", dict(kind="enfant", lieu="74010", age=16)),
    ("aja", "jeune de 17 ans avec un lymphome de Hodgkin à Lorient", dict(kind="enfant", lieu="56121", age=17)),
    ("aja", "lycéen de 15 ans, tumeur germinale, Dijon", dict(kind="enfant", lieu="21231", age=15)),
    ("aja", "jeune adulte de 20 ans, leucémie, Créteil : prise en charge AJA ?",
     dict(kind="curee", lieu="94028", age=20, noms_rattaches=["Hôpital Saint-Louis (AP-HP)"],
          attendus_noms=["centre aja"])),
    ("aja", "patient de 22 ans, sarcome, Paris : unité adolescents jeunes adultes",
     dict(kind="curee", lieu="75056", age=22, noms_rattaches=["Hôpital Saint-Louis (AP-HP)"],
          attendus_noms=["centre aja"])),
    # cancers rares
    ("cancer_rare", "mésothéliome pleural chez un ancien docker de Dunkerque", dict(kind="rare", reseau="NETMESO", lieu="59183")),
    ("cancer_rare", "tumeur neuroendocrine du pancréas, patient de Melun", dict(kind="rare", reseau="RENATEN", lieu="77288")),
    ("cancer_rare", "GIST gastrique, patiente d'Agen : où l'adresser ?", dict(kind="rare", reseau="NETSARC+", lieu="47001")),
    ("cancer_rare", "liposarcome de la cuisse, patient de Mâcon", dict(kind="rare", reseau="NETSARC+", lieu="71270")),
    ("cancer_rare", "mélanome choroïdien à Orléans, quel centre ?", dict(kind="rare", reseau="MELACHONAT", lieu="45234")),
    ("cancer_rare", "thymome découvert sur un scanner, patient de Bourgoin-Jallieu", dict(kind="rare", reseau="RYTHMIC", lieu="38053")),
    ("cancer_rare", "pseudomyxome péritonéal, patiente de Roanne", dict(kind="rare", reseau="RENAPE", lieu="42187")),
    ("cancer_rare", "maladie de von Hippel-Lindau avec tumeur du rein, patient de Meaux", dict(kind="rare", reseau="PREDIR", lieu="77284")),
    ("cancer_rare", "cancer des glandes salivaires, tumeur rare ORL, patient d'Arras", dict(kind="rare", reseau="REFCOR", lieu="62041")),
    ("cancer_rare", "tumeur de la granulosa de l'ovaire, patiente de Nancy", dict(kind="rare", reseau="TMRO-TMRG", lieu="54395")),
    ("cancer_rare", "ostéosarcome chez un adulte de 35 ans à Saint-Nazaire", dict(kind="rare", reseau="RESOS", lieu="44184")),
    ("cancer_rare", "tumeur desmoïde de la paroi abdominale, patiente de Pau", dict(kind="rare", reseau="NETSARC+", lieu="64445")),
    # second avis
    ("second_avis_rare", "second avis pour un mésothéliome, patient déjà suivi au CHU de Lille",
     dict(kind="second_rare", reseau="NETMESO", exclure_noms=["CHU de Lille*"])),
    ("second_avis_rare", "deuxième avis sarcome rétropéritonéal, patiente suivie à Bergonié",
     dict(kind="second_rare", reseau="NETSARC+", exclure_noms=["Institut Bergonié"])),
    ("second_avis_rare", "relecture / second avis thymome, patient suivi à Gustave Roussy",
     dict(kind="second_rare", reseau="RYTHMIC", exclure_noms=["Institut Gustave Roussy"])),
    ("second_avis_rare", "second avis tumeur rare de l'ovaire, patiente suivie au Centre Léon Bérard",
     dict(kind="second_rare", reseau="TMRO-TMRG", exclure_noms=["Centre Léon Bérard"], lieu="69123")),
    ("second_avis_courant", "second avis pour un cancer du rectum, patient suivi au CHU d'Amiens",
     dict(kind="second_courant", lieu="80021", ej="800000044")),
    ("second_avis_courant", "Patiente suivie au CH de Brive pour un cancer du sein, elle veut un second avis",
     dict(kind="second_courant", lieu="19031", ej_rs="^CH BRIVE|BRIVE")),
    ("second_avis_courant", "second avis cancer du poumon, patient suivi au CH de Valenciennes",
     dict(kind="second_courant", lieu="59606", ej_rs="VALENCIENNES")),
    ("second_avis_courant", "cancer de la prostate pris en charge au CHU de Dijon, le patient demande un autre avis",
     dict(kind="second_courant", lieu="21231", ej="210780581")),
    ("second_avis_courant", "second avis pour un cancer du côlon, patient suivi au CH d'Avignon",
     dict(kind="second_courant", lieu="84007", ej_rs="^CH(G)? (HENRI DUFFAUT )?AVIGNON|DUFFAUT")),
    # organe (extrait FINESS de l'Ain : seul endroit où l'autorisation par organe est connue)
    ("organe", "chirurgie du cancer du sein près de Bourg-en-Bresse", dict(kind="organe", lieu="01053", mod="91")),
    ("organe", "Qui est autorisé pour la chirurgie des cancers digestifs à Oyonnax ?", dict(kind="organe", lieu="01283", mod="90")),
    ("organe", "chirurgie urologique d'un cancer de la vessie, patient d'Ambérieu-en-Bugey",
     dict(kind="organe", lieu="01004", mod="92")),
    ("organe", "chirurgie d'un cancer de l'endomètre, patiente de Bourg-en-Bresse", dict(kind="organe", lieu="01053", mod="94")),
    ("organe", "cancer du larynx à opérer, patient de Viriat", dict(kind="organe", lieu="01451", mod="95")),
    ("abreviation", "K sein chir Bourg en Bresse", dict(kind="organe", lieu="01053", mod="91")),
    # RCP de recours
    ("rcp_recours", "À quelle RCP présenter un sarcome rétropéritonéal ?",
     dict(kind="noms", besoin="rcp_recours", attendus_noms=["netsarc", "rcp sarcome"])),
    ("rcp_recours", "RCP de recours pour un carcinome thymique", dict(kind="noms", besoin="rcp_recours",
                                                                      attendus_noms=["rythmic"])),
    ("rcp_recours", "je voudrais présenter un adénocarcinome de l'ethmoïde en RCP nationale",
     dict(kind="noms", besoin="rcp_recours", attendus_noms=["refcor"])),
    ("rcp_recours", "RCP pour une tumeur neuroendocrine du grêle", dict(kind="noms", besoin="rcp_recours",
                                                                        attendus_noms=["renaten"])),
    ("rcp_recours", "RCP pédiatrique pour un médulloblastome, enfant suivi en Île-de-France",
     dict(kind="noms", besoin="rcp_recours", attendus_noms=["neuro-onco", "canpedif"], age=9)),
    ("rcp_recours", "RCP interrégionale pour une tumeur solide de l'enfant dans le Grand Ouest",
     dict(kind="noms", besoin="rcp_recours", attendus_noms=["rcppi goce", "goce"])),
    ("rcp_recours", "RCP de recours en cancérologie en Bretagne, dossier complexe à Brest",
     dict(kind="noms", besoin="rcp_recours", lieu="29019", attendus_noms=["pole regional de cancerologie"])),
    ("rcp_recours", "RCP pour un ostéosarcome de l'adulte", dict(kind="noms", besoin="rcp_recours",
                                                                  attendus_noms=["resos"])),
    ("rcp_recours", "mélanome de l'uvée : où discuter le dossier en RCP ?", dict(kind="noms", besoin="rcp_recours",
                                                                                 attendus_noms=["melachonat"])),
    # listes curées
    ("liste_curee", "consultation d'oncogénétique près de Biarritz pour une suspicion BRCA",
     dict(kind="curee", lieu="64122", besoin="oncogenetique", noms_rattaches=["CH de la Côte Basque"],
          attendus_noms=["cote basque"])),
    ("liste_curee", "oncogénétique digestive, syndrome de Lynch suspecté, Poitiers",
     dict(kind="curee", lieu="86194", besoin="oncogenetique", noms_rattaches=["CHU de Poitiers"],
          attendus_noms=["oncogenetique digestive"])),
    ("liste_curee", "consultation de génétique oncologique dans l'Aube",
     dict(kind="curee", lieu="10387", besoin="oncogenetique", noms_rattaches=["CH de Troyes"],
          attendus_noms=["unite de genetique"])),
    ("liste_curee", "suivi d'une femme à haut risque de cancer du sein et de l'ovaire, Dijon",
     dict(kind="curee", lieu="21231", besoin="oncogenetique", noms_rattaches=["Centre Georges François Leclerc"],
          attendus_noms=["femmes a haut risque", "leclerc"])),
    ("liste_curee", "oncogénétique en Corse, patiente d'Ajaccio", dict(kind="curee", lieu="2A004",
                                                                        besoin="oncogenetique",
                                                                        attendus_noms=["hermion"])),
    ("liste_curee", "préservation de la fertilité avant chimio, jeune femme de 27 ans à Montreuil",
     dict(kind="curee", lieu="93048", besoin="fertilite", age=27,
          noms_rattaches=["AP-HP Jean Verdier", "AP-HP Tenon", "AP-HP Cochin", "AP-HP Antoine Béclère"],
          attendus_noms=["plateforme ap-hp de preservation de la fertilite"])),
    ("liste_curee", "conservation de sperme avant traitement d'un lymphome, patient de 24 ans à Besançon",
     dict(kind="curee", lieu="25056", besoin="fertilite", age=24,
          noms_rattaches=["CHU de Besançon", "Polyclinique de Franche-Comté"],
          attendus_noms=["amp du chu de besancon", "procreation medicalement assistee de la polyclinique"])),
    ("liste_curee", "préservation de la fertilité, région Auvergne, patiente de 31 ans à Clermont-Ferrand",
     dict(kind="curee", lieu="63113", besoin="fertilite", age=31, noms_rattaches=["CHU de Clermont-Ferrand"],
          attendus_noms=["cecos", "cancer & fertilite"])),
    ("liste_curee", "plateforme de préservation de la fertilité à Tours", dict(kind="curee", lieu="37261",
                                                                              besoin="fertilite",
                                                                              noms_rattaches=["CHU de Tours (ville)"],
                                                                              attendus_noms=["biologie de la reproduction"])),
    ("liste_curee", "activité physique adaptée après un cancer du sein à Rennes",
     dict(kind="curee", lieu="35238", besoin="soins_support", attendus_noms=["cecile etoile"])),
    ("liste_curee", "socio-esthétique et groupe de parole gratuits près de Digne-les-Bains",
     dict(kind="curee", lieu="04070", besoin="soins_support", attendus_noms=["alpes-de-haute-provence"])),
    ("liste_curee", "soins de support Ligue contre le cancer à Toulouse, réflexologie",
     dict(kind="curee", lieu="31555", besoin="soins_support", attendus_noms=["l'escale", "haute-garonne"])),
    ("liste_curee", "sport adapté pendant le cancer près de Clisson", dict(kind="curee", lieu="44043",
                                                                           besoin="soins_support",
                                                                           attendus_noms=["agir contre la maladie"])),
    ("liste_curee", "escale bien-être de la Ligue à Béziers", dict(kind="curee", lieu="34032", besoin="soins_support",
                                                                   attendus_noms=["herault"])),
    ("liste_curee", "UCOG pour la région PACA ouest, patiente de 80 ans à Marseille",
     dict(kind="curee", lieu="13055", besoin="ucog", age=80, attendus_noms=["ucog paca ouest"])),
    ("liste_curee", "unité de coordination en oncogériatrie dans le Val-de-Marne",
     dict(kind="curee", lieu="94028", besoin="ucog", attendus_noms=["ucog val-de-marne sud"])),
    ("liste_curee", "antenne d'oncogériatrie en Centre-Val de Loire, patient de 83 ans à Tours",
     dict(kind="curee", lieu="37261", besoin="ucog", age=83, attendus_noms=["antenne d'oncogeriatrie"])),
    # établissements nommés
    ("etablissement", "Institut Paoli-Calmettes", dict(kind="etab", noms=["^INSTITUT PAOLI CALMETTES$"])),
    ("etablissement", "centre oscar lambret", dict(kind="etab", noms=["OSCAR LAMBRET"])),
    ("etablissement", "institut bergognié", dict(kind="etab", noms=["^INSTITUT BERGONIE$"])),
    ("etablissement", "Centre Jean-Perrin Clermont", dict(kind="etab", noms=["J.PERRIN"])),
    ("etablissement", "ICM Val d'Aurelle", dict(kind="etab", noms=["^ICM MONTPELLIER$"])),
    ("etablissement", "Institut de cancérologie de Lorraine", dict(kind="etab", noms=["^INSTITUT DE CANCEROLOGIE DE LORRAINE$"])),
    ("etablissement", "Centre Henri-Becquerel Rouen", dict(kind="etab", noms=["HENRI BECQUEREL"])),
    ("etablissement", "Oncopole de Toulouse", dict(kind="etab", noms=["^ONCOPOLE "])),
    ("etablissement", "Centre Georges-François Leclerc", dict(kind="etab", noms=["GEORGES-FRANCOIS LECLERC"])),
    ("etablissement", "Timone enfants", dict(kind="etab", noms=["TIMONE ENFANTS"])),
    # hors champ
    ("hors_champ", "kiné pour une entorse de cheville à Rennes", dict(kind="hors")),
    ("hors_champ", "dentiste de garde à Lille ce dimanche", dict(kind="hors")),
    ("hors_champ", "ophtalmologue pour renouveler des lunettes à Nantes", dict(kind="hors")),
    ("hors_champ", "vaccin contre la grippe en pharmacie, Toulouse", dict(kind="hors")),
    ("hors_champ", "orthophoniste pour un enfant qui bégaie à Dijon", dict(kind="hors")),
]

TYPE_PAR_KIND = {"proche": "orientation", "enfant": "orientation", "rare": "orientation",
                 "second_rare": "second_avis", "second_courant": "second_avis", "organe": "orientation",
                 "noms": "orientation", "curee": "orientation", "etab": "etablissement", "hors": "orientation"}


def construire(detail=False):
    d = Donnees()
    c = Calcul(d)
    lignes, ecartees = [], []
    n = 0
    for genre, texte, sp in QUESTIONS:
        kind = sp["kind"]
        q = {"question": texte, "type": TYPE_PAR_KIND[kind], "genre": genre}
        if sp.get("lieu"):
            q["lieu"] = sp["lieu"]
        if sp.get("age") is not None:
            q["age"] = sp["age"]
        info, ok = [], True
        if kind == "proche":
            b = sp["besoin"]
            att, ok, info = c.proche(sp["lieu"], b, emsp=sp.get("emsp", False), dep=sp.get("om"))
            q.update(besoin=b, attendus=att, contrainte=b)
            if sp.get("om"):
                om = sp["om"]
                ok = ok and all(d.sites[fi]["dep"] == om for fi in att)
                q["departements_permis"] = [om] + [k for k, v in DOM_FINESS.items() if v == om] + (
                    ["98"] if om == "976" else [])   # FINESS de Mayotte : 985…
            if sp.get("interdits_anciens"):
                it = c.contredits_proches(sp["lieu"], b)
                ok = ok and bool(it)
                q["interdits"] = it
            if sp.get("ucog"):
                q["attendus_noms"] = ["ucog " + sp["ucog"]]
        elif kind == "enfant":
            att, ok, info, gen = c.enfant(sp["lieu"], sp.get("radio", False))
            q.update(besoin="oncopediatrie", attendus=att or [])
            ok = ok and bool(att)
            if sp.get("radio"):
                q["contrainte"] = "radiotherapie"
            if gen:
                q["interdits"] = gen
        elif kind == "rare":
            q.update(besoin="cancer_rare", attendus=c.reseau(sp["reseau"], sp["lieu"]), reseau=sp["reseau"])
        elif kind == "second_rare":
            # l'équipe qui suit = toute l'entité juridique des sites nommés
            ejs = {d.sites[fi]["ej"] for n_ in sp["exclure_noms"] for fi in c.fi(n_)}
            ex = sorted(fi for fi, s in d.sites.items() if s["ej"] in ejs)
            q.update(besoin="cancer_rare", attendus=c.reseau(sp["reseau"], sp.get("lieu"), ex),
                     exclure=ex, reseau=sp["reseau"])
            ok = bool(q["attendus"])
        elif kind == "second_courant":
            ej = sp.get("ej")
            if not ej:
                cands = {s["ej"] for s in d.sites.values() if re.search(sp["ej_rs"], s["rs"])
                         and s["com"] == sp["lieu"] and s["cat"] in ("355", "106", "101")
                         and d.preuve(s["fi"], "chimiotherapie")}
                if len(cands) != 1:
                    raise SystemExit("équipe qui suit ambiguë pour %r : %s" % (texte, cands))
                ej = cands.pop()
            att, ex, ok, info = c.second_avis_courant(sp["lieu"], ej)
            q.update(besoin="second_avis", attendus=att, exclure=ex, interdits=ex)
        elif kind == "organe":
            att = c.organe(sp["lieu"], sp["mod"])
            q.update(besoin="chirurgie", organe=sp["mod"], attendus=att, contrainte="chirurgie")
            ok = bool(att)
        elif kind == "noms":
            q.update(besoin=sp["besoin"], attendus=[], attendus_noms=sp["attendus_noms"])
        elif kind == "curee":
            att = []
            for n_ in sp.get("noms_rattaches", []):
                att += [fi for fi in c.fi(n_) if fi not in att]
            if sp.get("lieu") and att:
                att = [fi for _, fi in d.classer(sp["lieu"], att)]
            q.update(besoin=sp.get("besoin", "aja"), attendus=att, attendus_noms=sp["attendus_noms"])
        elif kind == "etab":
            att = sorted(fi for fi, s in d.sites.items() if any(re.search(m, s["rs"]) for m in sp["noms"]))
            ok = bool(att)
            q.update(attendus=att)
        elif kind == "hors":
            q.update(besoin="hors_champ", attendus=[], aucun_resultat=True)
        if detail:
            print(genre, "|", texte, "->", q.get("attendus"), "robuste" if ok else "ÉCARTÉE")
            for dist, fi in info:
                s = d.sites[fi]
                print("     %7.1f km  %s  %-40s %s" % (dist, fi, s["rs"][:40], s["prec"]))
            if q.get("interdits"):
                print("     interdits:", [(fi, d.sites[fi]["rs"]) for fi in q["interdits"]])
        if not ok:
            if detail and getattr(c, "motif", None):
                print("     variantes:", c.motif)
            c.motif = None
            ecartees.append(texte)
            continue
        n += 1
        q = {"id": "i%03d" % n, **q}
        lignes.append(q)
    return lignes, ecartees, d, c


def verifier_dev(d, c):
    """Rejoue la méthode « 3 plus proches » sur les questions dev publiées (contrôle de lecture)."""
    p = os.path.join(DEPOT, "benchmarks", "questions_dev.jsonl")  # copie telle quelle du jeu dev publié
    tot = ok = 0
    for l in open(p, encoding="utf-8"):
        q = json.loads(l)
        if q.get("type") != "orientation" or q.get("besoin") in (None, "cancer_rare") or not q.get("lieu"):
            continue
        att, _, _ = c.proche(q["lieu"], q["besoin"])
        tot += 1
        same = set(att) == set(q["attendus"])
        ok += same
        print(q["id"], q["besoin"], "identique" if same else "DIFFÉRENT", att, q["attendus"])
    print("dev : %d/%d ensembles identiques" % (ok, tot))


def main():
    global DATA
    import argparse

    p = argparse.ArgumentParser(description="Calcule les attendus du jeu de questions inédit")
    p.add_argument("--donnees", default=DATA, help="dossier des données brutes (défaut : ../shared/data du dépôt)")
    p.add_argument("--detail", action="store_true", help="candidats, distances et précision des coordonnées")
    p.add_argument("--verifier-dev", action="store_true", help="contrôle de la méthode sur le jeu dev")
    args = p.parse_args()
    DATA = args.donnees
    detail = args.detail
    lignes, ecartees, d, c = construire(detail)
    if args.verifier_dev:
        verifier_dev(d, c)
        return
    with open(SORTIE, "w", encoding="utf-8") as f:
        for q in lignes:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    par_genre = {}
    for q in lignes:
        par_genre[q["genre"]] = par_genre.get(q["genre"], 0) + 1
    print("%d questions écrites dans %s" % (len(lignes), SORTIE))
    print("par genre :", dict(sorted(par_genre.items())))
    if ecartees:
        print("écartées (données qui ne tranchent pas) : %d" % len(ecartees))
        for t in ecartees:
            print("   -", t)


if __name__ == "__main__":
    main()
