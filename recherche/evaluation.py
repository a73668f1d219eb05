"""Mesurer la recherche sur un jeu de questions JSONL : hit@1, hit@5, MRR et violations des contraintes.

Format des questions : une ligne JSON par question (``id``, ``question``, ``type``, ``besoin``, ``lieu``,
``attendus``, ``contrainte`` — un besoin, ou une liste de besoins alternatifs —, ``exclure``).
Le produit (« boussole ») est mesuré ; avec ``avec_references``, dans
le même passage : les références « bm25 seul » et « dense seul » (la recherche seule sur le texte de la question,
sans compréhension ni contrainte du graphe) et les ablations « boussole-lexical » / « boussole-dense » (le
produit entier avec un seul index).

Pourquoi vérifier les contraintes par SPARQL : le moteur filtre avec sa propre vue en mémoire (le catalogue). Une
mesure qui relirait ce même catalogue ne verrait pas une erreur de ce catalogue. On interroge donc le store de
l'instantané : un site a une preuve d'un besoin si un nœud du graphe porte ``bo:etablissement <site>`` (ou
``org:member <site>``) et ``bo:besoin concept/besoin/<besoin>`` (une autorisation inactive ne compte pas).

Reproduire : ``boussole evaluer benchmarks/questions_boussole.jsonl`` ou ``python benchmarks/evaluation.py``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

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

REQUETE_PREUVES = """
SELECT DISTINCT ?e WHERE {
  ?p bo:besoin <%s> .
  { ?p bo:etablissement ?e } UNION { ?p org:member ?e }
  FILTER NOT EXISTS { ?p bo:etat "inactive" }
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


def violations(question: dict, resultats: list[dict], preuves: dict[str, set[str]]) -> list[str]:
    """Les violations d'une réponse : résultat sans preuve du besoin contraint, ou site à exclure rendu.

    ``resultats`` : dictionnaires avec ``finess`` et ``iri`` ; ``preuves`` : besoin → IRI des entités qui en
    ont une preuve dans le graphe.
    """
    trouvees = []
    contrainte = question.get("contrainte")
    if contrainte:
        # une liste : des besoins alternatifs (« douleur, soins palliatifs »), la preuve de l'un suffit
        besoins = [contrainte] if isinstance(contrainte, str) else list(contrainte)
        avec = set().union(*(preuves.get(b, set()) for b in besoins))
        for r in resultats:
            if r.get("iri") not in avec:
                trouvees.append(f"{r.get('finess') or r.get('iri')} sans preuve de {' ou '.join(besoins)}")
    exclus = set(question.get("exclure") or [])
    for r in resultats:
        if r.get("finess") in exclus:
            trouvees.append(f"{r['finess']} rendu alors qu'il est à exclure")
    return trouvees


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


@dataclass
class Bilan:
    systeme: str
    mesures: list[Mesure]

    @property
    def chiffres(self) -> dict[str, float]:
        notees = [m.rang for m in self.mesures if m.attendus]
        return {**metriques(notees), "violations": sum(len(m.violations) for m in self.mesures)}

    def en_dict(self) -> dict:
        return {"systeme": self.systeme, "chiffres": self.chiffres, "mesures": [asdict(m) for m in self.mesures]}


def evaluer(moteur, store, questions: list[dict], systemes: tuple[str, ...] = (SYSTEME_PRINCIPAL,)) -> list[Bilan]:
    """Passe chaque question dans chaque système (mode du moteur) ; rend un bilan par système."""
    preuves: dict[str, set[str]] = {}
    for q in questions:
        contrainte = q.get("contrainte") or []
        for besoin in [contrainte] if isinstance(contrainte, str) else contrainte:
            if besoin not in preuves:
                preuves[besoin] = entites_avec_preuve(store, besoin)
    bilans = []
    for systeme in systemes:
        mode, complet = SYSTEMES[systeme]
        mesures = []
        for q in questions:
            if complet:
                resultats = moteur.demander(q["question"], limite=PROFONDEUR, mode=mode).en_dict()["resultats"]
            else:
                resultats = moteur.retrouver(q["question"], limite=PROFONDEUR, mode=mode)
            obtenus = [r["finess"] for r in resultats]
            attendus = list(q.get("attendus") or [])
            mesures.append(
                Mesure(
                    q.get("id", "?"),
                    q["question"],
                    attendus,
                    obtenus,
                    rang_premier(attendus, obtenus),
                    violations(q, resultats, preuves),
                )
            )
        bilans.append(Bilan(systeme, mesures))
    return bilans


# -- affichage ----------------------------------------------------------------------------------------------
def tableau(bilans: list[Bilan]) -> str:
    """Le tableau français des chiffres, un système par ligne."""
    lignes = [f"{'système':<17} {'n':>4} {'hit@1':>7} {'hit@5':>7} {'MRR':>7} {'violations':>11}"]
    for b in bilans:
        c = b.chiffres
        lignes.append(
            f"{b.systeme:<17} {c['n']:>4} {c['hit@1']:>7.3f} {c['hit@5']:>7.3f} {c['mrr']:>7.3f} {c['violations']:>11}"
        )
    return "\n".join(lignes)


def echecs(bilan: Bilan) -> str:
    """Les questions ratées (aucun attendu dans les 5 premiers) ou en violation, pour un système."""
    lignes = []
    for m in bilan.mesures:
        rate = bool(m.attendus) and not 1 <= m.rang <= 5
        if not (rate or m.violations):
            continue
        rang = f"rang {m.rang}" if m.rang else "absent des 10 premiers"
        lignes.append(f"- {m.id} « {m.question} » : {rang}")
        lignes.append(f"    attendus : {', '.join(m.attendus) or '—'}")
        lignes.append(f"    obtenus  : {', '.join(f or '(sans FINESS)' for f in m.obtenus[:5]) or 'aucun'}")
        for v in m.violations:
            lignes.append(f"    violation : {v}")
    return "\n".join(lignes) if lignes else "(aucun échec)"


def rapport(bilans: list[Bilan], titre: str = "") -> str:
    parties = [titre] if titre else []
    parties.append(tableau(bilans))
    for b in bilans:
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
