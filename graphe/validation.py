"""Validation SHACL du graphe construit, avant toute publication.

Pourquoi avant : un graphe qui ne satisfait pas ses formes (une déclaration typée autorisation, un site sans
FINESS) ne doit jamais devenir l'instantané servi. On valide l'union des graphes nommés avec l'ontologie
(pour que ``sh:targetClass`` voie les sous-classes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import RDF

from ontologie.espaces import SH

#: On ne rapporte pas des milliers de violations : les premières suffisent à corriger la source.
VIOLATIONS_MAX = 50


@dataclass
class ResultatValidation:
    conforme: bool
    nombre_violations: int
    violations: list[dict] = field(default_factory=list)

    def en_dict(self) -> dict:
        return {
            "conforme": self.conforme,
            "nombre_violations": self.nombre_violations,
            "violations": self.violations,
        }


def valider(
    donnees: Graph, formes: Graph, ontologie: Graph | None = None, *, en_place: bool = False
) -> ResultatValidation:
    """Valide ``donnees`` contre ``formes`` ; rend les violations sous une forme lisible (nœud, chemin, message).

    :param en_place: ``donnees`` est une copie jetable (l'union faite pour la validation) : pySHACL y mêle
        l'ontologie au lieu de recopier d'abord les ~630 000 triplets du graphe national.
    """
    conforme, rapport, _ = validate(
        donnees,
        shacl_graph=formes,
        ont_graph=ontologie,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
        inplace=en_place,
    )
    resultats = list(rapport.subjects(RDF.type, SH.ValidationResult))
    violations = []
    for res in resultats[:VIOLATIONS_MAX]:
        violations.append(
            {
                "noeud": str(rapport.value(res, SH.focusNode)),
                "chemin": str(rapport.value(res, SH.resultPath) or ""),
                "valeur": str(rapport.value(res, SH.value) or ""),
                "message": str(rapport.value(res, SH.resultMessage) or ""),
                "gravite": str(rapport.value(res, SH.resultSeverity) or "").rsplit("#", 1)[-1],
            }
        )
    return ResultatValidation(bool(conforme), len(resultats), violations)
