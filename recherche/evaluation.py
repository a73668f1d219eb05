"""Mesurer la recherche sur un jeu de questions JSONL : hit@1, hit@5, MRR et violations, au total et par genre.

Format des questions : une ligne JSON par question (``id``, ``question``, ``type``, ``besoin``, ``lieu``,
``attendus``, ``contrainte`` — un besoin, ou une liste de besoins alternatifs —, ``exclure``). Le jeu inédit
(benchmarks/inedites/) ajoute :

- ``genre`` : la famille de la question (enfant, cancer_rare, outre_mer…) ; les scores sont aussi donnés par genre.
  Une question sans genre (jeux dev et maison) a pour genre son ``type`` ;
- ``attendus_noms`` : des fragments de nom d'une structure sans FINESS ; un résultat dont le nom (forme de
  comparaison, ``graphe.texte.forme``) contient l'un d'eux compte comme un attendu ;
- ``interdits`` : des FINESS qui ne doivent jamais sortir (une violation par résultat interdit) ;
- ``departements_permis`` : hors de ces départements, aucun résultat (une violation par résultat hors liste) ;
- ``aucun_resultat`` : la seule bonne réponse est la liste vide (succès si rien n'est rendu, une violation par
  résultat rendu).

Une contrainte dont le besoin n'a aucune preuve dans le graphe (``had`` aujourd'hui) ne peut pas être vérifiée :
elle n'est pas comptée en violation (tous les résultats le seraient, à tort ou à raison), mais à part, comme
« contrainte invérifiable », et le rapport le dit.

Le produit (« boussole ») est mesuré ; avec ``avec_references``, dans
le même passage : les références « bm25 seul » et « dense seul » (la recherche seule sur le texte de la question,
sans compréhension ni contrainte du graphe) et les ablations « boussole-lexical » / « boussole-dense » (le
produit entier avec un seul index).

Pourquoi vérifier les contraintes par SPARQL : le moteur filtre avec sa propre vue en mémoire (le catalogue). Une
mesure qui relirait ce même catalogue ne verrait pas une erreur de ce catalogue. On interroge donc le store de
l'instantané : un site a une preuve d'un besoin si un nœud du graphe porte ``bo:etablissement <site>`` (ou
``org:member <site>``) et ``bo:besoin concept/besoin/<besoin>`` (une autorisation inactive ne compte pas). De
même, le département d'un résultat est celui de sa commune dans le graphe (``bo:commune``, ou pour une
organisation sans FINESS sa ``bo:ville``), et le FINESS n'est qu'un dernier recours.

Reproduire : ``boussole evaluer benchmarks/questions_boussole.jsonl`` ou ``python benchmarks/evaluation.py``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from graphe.texte import cle_ville, forme

#: Profondeur de la liste demandée au moteur : le MRR compte le rang du premier attendu dans les 10 premiers.
PROFONDEUR = 10
#: Le produit : compréhension, contraintes du graphe, pertinence hybride, distance.
SYSTEME_PRINCIPAL = "boussole"
#: Les références : la recherche seule, sur le texte brut de la question, sans compréhension ni contrainte
#: (ce que donnerait un moteur plein texte ou sémantique posé sur les mêmes documents).
REFERENCES = ("bm25 seul", "dense seul")
#: Les ablations : le produit entier, avec un seul des deux index pour la pertinence.
ABLATIONS = ("boussole-lexical", "boussole-dense")
#: Système → (mode de pertinence, avec la chaîne complète ?).
SYSTEMES = {
    SYSTEME_PRINCIPAL: ("hybride", True),
    "boussole-lexical": ("lexical", True),
    "boussole-dense": ("dense", True),
    "bm25 seul": ("lexical", False),
    "dense seul": ("dense", False),
}

#: Le département de chaque entité placée dans une commune du graphe.
REQUETE_DEPARTEMENTS = """
SELECT ?e ?dep WHERE { ?e bo:commune/bo:departement/bo:code ?dep }"""
#: Les entités sans commune mais avec une ville (organisations sans FINESS, structures curées) : placées par son nom.
REQUETE_VILLES = """
SELECT ?e ?ville WHERE { ?e bo:ville ?ville }"""
#: Les structures curées rattachées à un site : à défaut de ville, le département de ce site.
REQUETE_SITES_RATTACHES = """
SELECT ?e ?dep WHERE { ?e bo:etablissement/bo:commune/bo:departement/bo:code ?dep }"""
#: Le département de chaque commune.
REQUETE_COMMUNES = """
SELECT ?c ?dep WHERE { ?c a bo:Commune ; bo:departement/bo:code ?dep }"""
#: Ancien code de Mayotte dans les numéros FINESS (985) → son code INSEE.
FINESS_MAYOTTE = {"985": "976"}

REQUETE_PREUVES = """
SELECT DISTINCT ?e WHERE {
  ?p bo:besoin <%s> .
  { ?p bo:etablissement ?e } UNION { ?p org:member ?e }
  FILTER NOT EXISTS { ?p bo:etat "inactive" }
  FILTER NOT EXISTS { ?p bo:contreditePar ?recente }
}"""


# -- fonctions pures ----------------------------------------------------------------------------------------
def charger_questions(fichier: Path) -> list[dict]:
    """Les questions d'un fichier JSONL (lignes vides et commentaires « # » ignorés)."""
    questions = []
    for ligne in Path(fichier).read_text(encoding="utf-8").splitlines():
        ligne = ligne.strip()
        if ligne and not ligne.startswith("#"):
            questions.append(json.loads(ligne))
    return questions


def rang_premier(attendus: list[str], obtenus: list[str | None], profondeur: int = PROFONDEUR) -> int:
    """Rang (1…profondeur) du premier FINESS attendu parmi les obtenus ; 0 s'il n'y est pas."""
    cibles = set(attendus)
    for rang, finess in enumerate(obtenus[:profondeur], start=1):
        if finess in cibles:
            return rang
    return 0


def genre(question: dict) -> str:
    """La famille de la question : son ``genre``, sinon son ``type`` (jeux sans genre), sinon « ? »."""
    return str(question.get("genre") or question.get("type") or "?")


def est_notee(question: dict) -> bool:
    """Une question entre dans hit@k et MRR si elle dit ce qui est attendu : FINESS, noms, ou « aucun résultat »."""
    return bool(question.get("attendus") or question.get("attendus_noms") or question.get("aucun_resultat"))


def nom_attendu(nom: str | None, fragments: list[str]) -> bool:
    """Le nom contient-il l'un des fragments ? Comparés sous leur forme (minuscules sans accents ni ponctuation)."""
    if not nom:
        return False
    cible = f" {forme(nom)} "
    return any(f and forme(f) in cible for f in fragments)


def rang_reussite(question: dict, resultats: list[dict], profondeur: int = PROFONDEUR) -> int:
    """Rang (1…profondeur) du premier résultat attendu — FINESS de ``attendus`` ou nom contenant l'un des
    ``attendus_noms`` — ; 0 s'il n'y en a pas. Pour ``aucun_resultat`` : 1 si rien n'est rendu, 0 sinon.

    Args:
        question: la question du jeu (champs ``attendus``, ``attendus_noms``, ``aucun_resultat``).
        resultats: les résultats rendus, dans l'ordre, avec ``finess`` et ``nom``.
        profondeur: au-delà de ce rang, un attendu ne compte pas.

    Returns:
        Le rang du premier succès, 0 pour un échec.
    """
    if question.get("aucun_resultat"):
        return 1 if not resultats else 0
    cibles = set(question.get("attendus") or [])
    fragments = list(question.get("attendus_noms") or [])
    for rang, r in enumerate(resultats[:profondeur], start=1):
        if r.get("finess") in cibles or nom_attendu(r.get("nom"), fragments):
            return rang
    return 0


def departement_finess(finess: str | None) -> str | None:
    """Le département lu dans un numéro FINESS (dernier recours) : 2 caractères, 3 outre-mer (« 9704… » → 974)."""
    if not finess or len(finess) < 4:
        return None
    if finess[:2] in ("97", "98"):
        code = finess[:2] + finess[3]
        return FINESS_MAYOTTE.get(code, code)
    return finess[:2]


def metriques(rangs: list[int]) -> dict[str, float]:
    """hit@1, hit@5 et MRR d'une liste de rangs (0 = absent)."""
    n = len(rangs)
    if n == 0:
        return {"n": 0, "hit@1": 0.0, "hit@5": 0.0, "mrr": 0.0}
    return {
        "n": n,
        "hit@1": sum(1 for r in rangs if r == 1) / n,
        "hit@5": sum(1 for r in rangs if 1 <= r <= 5) / n,
        "mrr": sum(1.0 / r for r in rangs if r > 0) / n,
    }


def besoins_contraints(question: dict) -> list[str]:
    """Les besoins de la ``contrainte`` (un seul, ou une liste d'alternatives)."""
    contrainte = question.get("contrainte") or []
    return [contrainte] if isinstance(contrainte, str) else list(contrainte)


def contraintes_inverifiables(question: dict, preuves: dict[str, set[str]]) -> list[str]:
    """Les besoins contraints sans aucune preuve dans le graphe : la contrainte ne peut pas y être vérifiée.

    Pourquoi toute la contrainte tombe quand l'une des alternatives est inconnue : un résultat sans preuve des
    autres besoins a peut-être celle du besoin inconnu ; on ne peut ni l'accuser ni l'absoudre.
    """
    return [b for b in besoins_contraints(question) if not preuves.get(b)]


def departement_de(resultat: dict, departements: dict[str, str]) -> str | None:
    """Le département d'un résultat : celui que le graphe donne à son IRI, sinon celui de son FINESS."""
    return departements.get(resultat.get("iri") or "") or departement_finess(resultat.get("finess"))


def violations(
    question: dict,
    resultats: list[dict],
    preuves: dict[str, set[str]],
    departements: dict[str, str] | None = None,
) -> list[str]:
    """Les violations d'une réponse : résultat sans preuve du besoin contraint, site à exclure ou interdit rendu,
    résultat hors des départements permis, résultat rendu quand aucun n'est attendu.

    Args:
        question: la question du jeu (``contrainte``, ``exclure``, ``interdits``, ``departements_permis``,
            ``aucun_resultat``).
        resultats: dictionnaires avec ``finess``, ``iri`` (et ``nom``).
        preuves: besoin → IRI des entités qui en ont une preuve dans le graphe. Un besoin sans aucune preuve
            rend sa contrainte invérifiable (voir ``contraintes_inverifiables``) : elle ne compte pas ici.
        departements: IRI → code de département (``departements_par_entite``) ; à défaut, le FINESS.

    Returns:
        Une phrase par violation (un résultat peut en porter plusieurs).
    """
    trouvees = []
    besoins = besoins_contraints(question)
    if besoins and not contraintes_inverifiables(question, preuves):
        # une liste : des besoins alternatifs (« douleur, soins palliatifs »), la preuve de l'un suffit
        avec = set().union(*(preuves.get(b, set()) for b in besoins))
        for r in resultats:
            if r.get("iri") not in avec:
                trouvees.append(f"{r.get('finess') or r.get('iri')} sans preuve de {' ou '.join(besoins)}")
    exclus = set(question.get("exclure") or [])
    interdits = set(question.get("interdits") or [])
    for r in resultats:
        if r.get("finess") in exclus:
            trouvees.append(f"{r['finess']} rendu alors qu'il est à exclure")
        if r.get("finess") in interdits:
            trouvees.append(f"{r['finess']} rendu alors qu'il est interdit")
    permis = set(question.get("departements_permis") or [])
    if permis:
        for r in resultats:
            dep = departement_de(r, departements or {})
            if dep not in permis:
                qui = r.get("finess") or r.get("nom") or r.get("iri")
                trouvees.append(f"{qui} hors des départements permis ({dep or 'département inconnu'})")
    if question.get("aucun_resultat"):
        for r in resultats:
            qui = r.get("finess") or r.get("nom") or r.get("iri")
            trouvees.append(f"{qui} rendu alors qu'aucun résultat n'est attendu")
    return trouvees


def departements_par_entite(store) -> dict[str, str]:
    """IRI → code de département, lu dans le graphe, du plus sûr au moins sûr : la commune de l'entité
    (``bo:commune``) ; sinon la commune où le catalogue la place d'après sa ``bo:ville``
    (``recherche.index.catalogue.points_villes`` : la plus peuplée des homonymes) ; sinon la commune du site
    auquel une structure curée est rattachée (``bo:etablissement``)."""
    from ontologie.espaces import entete_sparql
    from recherche.index.catalogue import points_villes

    def requete(texte: str):
        return store.query(entete_sparql() + texte, use_default_graph_as_union=True)

    resultat = {s["e"].value: s["dep"].value for s in requete(REQUETE_DEPARTEMENTS)}
    par_commune = {s["c"].value.rsplit("/", 1)[-1]: s["dep"].value for s in requete(REQUETE_COMMUNES)}
    villes = points_villes(store)
    for s in requete(REQUETE_VILLES):
        point = villes.get(cle_ville(s["ville"].value))
        dep = par_commune.get(point[0]) if point else None
        if dep:
            resultat.setdefault(s["e"].value, dep)
    for s in requete(REQUETE_SITES_RATTACHES):
        resultat.setdefault(s["e"].value, s["dep"].value)
    return resultat


def entites_avec_preuve(store, besoin: str) -> set[str]:
    """IRI des entités du graphe qui ont au moins une preuve (active) de ``besoin`` : requête SPARQL."""
    from ontologie.espaces import concept, entete_sparql

    requete = entete_sparql() + REQUETE_PREUVES % concept("besoin", besoin)
    return {s["e"].value for s in store.query(requete, use_default_graph_as_union=True)}


# -- passage ------------------------------------------------------------------------------------------------
@dataclass
class Mesure:
    """Le passage d'une question dans un système."""

    id: str
    question: str
    attendus: list[str]
    obtenus: list[str | None]
    rang: int
    violations: list[str] = field(default_factory=list)
    genre: str = "?"
    attendus_noms: list[str] = field(default_factory=list)
    aucun_resultat: bool = False
    #: les noms des résultats, dans l'ordre (pour lire un échec, et pour les ``attendus_noms``)
    noms: list[str] = field(default_factory=list)
    #: la question dit-elle ce qui est attendu ? (sinon elle ne compte que pour les violations)
    notee: bool = True
    #: les besoins contraints sans aucune preuve dans le graphe : contrainte non vérifiée, dite à part
    inverifiables: list[str] = field(default_factory=list)


def chiffres_de(mesures: list[Mesure]) -> dict[str, float]:
    """hit@1, hit@5, MRR (des questions notées), violations et contraintes invérifiables d'un lot de mesures."""
    return {
        **metriques([m.rang for m in mesures if m.notee]),
        "violations": sum(len(m.violations) for m in mesures),
        "inverifiables": sum(1 for m in mesures if m.inverifiables),
    }


@dataclass
class Bilan:
    systeme: str
    mesures: list[Mesure]

    @property
    def chiffres(self) -> dict[str, float]:
        return chiffres_de(self.mesures)

    def par_genre(self) -> dict[str, dict[str, float]]:
        """Les chiffres de chaque genre, dans l'ordre où le jeu les rencontre."""
        genres: dict[str, list[Mesure]] = {}
        for m in self.mesures:
            genres.setdefault(m.genre, []).append(m)
        return {g: chiffres_de(ms) for g, ms in genres.items()}

    def en_dict(self) -> dict:
        return {
            "systeme": self.systeme,
            "chiffres": self.chiffres,
            "par_genre": self.par_genre(),
            "mesures": [asdict(m) for m in self.mesures],
        }


def mesurer(
    question: dict, resultats: list[dict], preuves: dict[str, set[str]], departements: dict[str, str]
) -> Mesure:
    """La mesure d'une réponse (fonction pure : les résultats sont des dictionnaires ``finess``, ``nom``, ``iri``).

    Args:
        question: la question du jeu.
        resultats: les résultats rendus, dans l'ordre.
        preuves: besoin → IRI des entités qui en ont une preuve (``entites_avec_preuve``).
        departements: IRI → code de département (``departements_par_entite``).

    Returns:
        Rang du premier succès, violations, contraintes invérifiables, genre.
    """
    return Mesure(
        question.get("id", "?"),
        question["question"],
        list(question.get("attendus") or []),
        [r.get("finess") for r in resultats],
        rang_reussite(question, resultats),
        violations(question, resultats, preuves, departements),
        genre=genre(question),
        attendus_noms=list(question.get("attendus_noms") or []),
        aucun_resultat=bool(question.get("aucun_resultat")),
        noms=[str(r.get("nom") or "") for r in resultats],
        notee=est_notee(question),
        inverifiables=contraintes_inverifiables(question, preuves),
    )


def evaluer(moteur, store, questions: list[dict], systemes: tuple[str, ...] = (SYSTEME_PRINCIPAL,)) -> list[Bilan]:
    """Passe chaque question dans chaque système (mode du moteur) ; rend un bilan par système."""
    preuves: dict[str, set[str]] = {}
    for q in questions:
        for besoin in besoins_contraints(q):
            if besoin not in preuves:
                preuves[besoin] = entites_avec_preuve(store, besoin)
    departements = departements_par_entite(store) if any(q.get("departements_permis") for q in questions) else {}
    bilans = []
    for systeme in systemes:
        mode, complet = SYSTEMES[systeme]
        mesures = []
        for q in questions:
            if complet:
                resultats = moteur.demander(q["question"], limite=PROFONDEUR, mode=mode).en_dict()["resultats"]
            else:
                resultats = moteur.retrouver(q["question"], limite=PROFONDEUR, mode=mode)
            mesures.append(mesurer(q, resultats, preuves, departements))
        bilans.append(Bilan(systeme, mesures))
    return bilans


# -- affichage ----------------------------------------------------------------------------------------------
def tableau(bilans: list[Bilan]) -> str:
    """Le tableau français des chiffres, un système par ligne."""
    lignes = [f"{'système':<17} {'n':>4} {'hit@1':>7} {'hit@5':>7} {'MRR':>7} {'violations':>11} {'invérif.':>9}"]
    for b in bilans:
        c = b.chiffres
        lignes.append(
            f"{b.systeme:<17} {c['n']:>4} {c['hit@1']:>7.3f} {c['hit@5']:>7.3f} {c['mrr']:>7.3f} {c['violations']:>11}"
            f" {c['inverifiables']:>9}"
        )
    return "\n".join(lignes)


def tableau_par_genre(bilans: list[Bilan], systemes: tuple[str, ...] = (SYSTEME_PRINCIPAL, *REFERENCES)) -> str:
    """Les chiffres par genre, une ligne par genre, les systèmes côte à côte (le produit, puis les références).

    ``n`` : les questions notées du genre ; ``viol.`` : ses violations. Un système absent des bilans est omis.
    """
    choisis = [b for s in systemes for b in bilans if b.systeme == s]
    if not choisis:
        return ""
    par_genre = [b.par_genre() for b in choisis]
    tete = f"{'':<20} {'':>4}" + "".join(f" | {b.systeme:^29}" for b in choisis)
    sous = f"{'genre':<20} {'n':>4}" + f" | {'h@1':>5} {'h@5':>5} {'MRR':>5} {'viol.':>5} {'inv.':>5}" * len(choisis)
    lignes = [tete, sous]
    for g, c0 in par_genre[0].items():
        ligne = f"{g:<20} {c0['n']:>4}"
        for pg in par_genre:
            c = pg[g]
            ligne += f" | {c['hit@1']:>5.2f} {c['hit@5']:>5.2f} {c['mrr']:>5.2f}"
            ligne += f" {c['violations']:>5} {c['inverifiables']:>5}"
        lignes.append(ligne)
    return "\n".join(lignes)


def inverifiables(bilan: Bilan) -> str:
    """La phrase qui dit quelles contraintes n'ont pas pu être vérifiées, et sur quelles questions ; vide sinon."""
    par_besoin: dict[str, list[str]] = {}
    for m in bilan.mesures:
        for b in m.inverifiables:
            par_besoin.setdefault(b, []).append(m.id)
    if not par_besoin:
        return ""
    details = "; ".join(f"{b} ({', '.join(ids)})" for b, ids in par_besoin.items())
    return (
        f"Contraintes invérifiables (besoin sans aucune preuve dans le graphe, non comptées en violations) : {details}"
    )


def echecs(bilan: Bilan) -> str:
    """Les questions ratées (aucun attendu dans les 5 premiers) ou en violation, pour un système."""
    lignes = []
    for m in bilan.mesures:
        rate = m.notee and not 1 <= m.rang <= 5
        if not (rate or m.violations):
            continue
        rang = f"rang {m.rang}" if m.rang else "absent des 10 premiers"
        lignes.append(f"- {m.id} [{m.genre}] « {m.question} » : {rang}")
        attendu = ", ".join([*m.attendus, *(f"« {n} »" for n in m.attendus_noms)])
        lignes.append(f"    attendus : {'aucun résultat' if m.aucun_resultat else attendu or '—'}")
        noms = [*m.noms, *[""] * len(m.obtenus)]  # mesures anciennes : sans les noms
        obtenus = [f"{f or '(sans FINESS)'} {n}".strip() for f, n in zip(m.obtenus[:5], noms, strict=False)]
        lignes.append(f"    obtenus  : {' ; '.join(obtenus) or 'aucun'}")
        for v in m.violations:
            lignes.append(f"    violation : {v}")
    return "\n".join(lignes) if lignes else "(aucun échec)"


def rapport(bilans: list[Bilan], titre: str = "", echecs_pour: tuple[str, ...] | None = None) -> str:
    """Le rapport d'un jeu : tableau d'ensemble, tableau par genre, contraintes invérifiables, échecs.

    Args:
        bilans: un bilan par système.
        titre: la première ligne.
        echecs_pour: les systèmes dont on liste les échecs (tous par défaut).
    """
    parties = [titre] if titre else []
    parties.append(tableau(bilans))
    parties.append("\nPar genre :\n" + tableau_par_genre(bilans))
    if bilans and (phrase := inverifiables(bilans[0])):
        parties.append("\n" + phrase)
    for b in bilans:
        if echecs_pour is None or b.systeme in echecs_pour:
            parties.append(f"\nÉchecs — {b.systeme} :\n{echecs(b)}")
    return "\n".join(parties)


def evaluer_fichier(
    fichier: Path,
    racine_instantanes: Path,
    avec_references: bool = True,
    sortie_json: Path | None = None,
    modele: str = "auto",
) -> int:
    """``boussole evaluer FICHIER`` : charge le moteur de l'instantané courant, mesure, imprime ; rend 0."""
    import pyoxigraph as ox

    from graphe.instantane import chemin_courant
    from recherche.moteur import Moteur

    dossier = chemin_courant(Path(racine_instantanes))
    questions = charger_questions(Path(fichier))
    moteur = Moteur.charger(dossier, modele)
    store = ox.Store.read_only(str(dossier / "store"))
    systemes = (SYSTEME_PRINCIPAL, *REFERENCES, *ABLATIONS) if avec_references else (SYSTEME_PRINCIPAL,)
    bilans = evaluer(moteur, store, questions, systemes)
    print(rapport(bilans, f"Évaluation de {fichier} ({len(questions)} questions, instantané {dossier.name})"))
    if sortie_json is not None:
        Path(sortie_json).write_text(
            json.dumps([b.en_dict() for b in bilans], ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0
