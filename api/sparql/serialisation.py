"""Écriture des résultats SPARQL plafonnés (JSON, XML, CSV, TSV) à partir des solutions d'Oxigraph.

Pourquoi ne pas tout laisser à ``QuerySolutions.serialize`` : ce sérialiseur consomme tout l'itérateur, il ne
sait pas s'arrêter à ``sparql_lignes_max`` lignes. On lit donc au plus ``max + 1`` solutions (la dernière ne
sert qu'à savoir s'il y en avait davantage) et on les écrit ici, selon les recommandations W3C
(SPARQL 1.1 Query Results JSON / XML / CSV-TSV). Les tests comparent ces sorties à celles d'Oxigraph.
Les ASK passent par le sérialiseur d'Oxigraph ; CONSTRUCT et DESCRIBE par ``pyoxigraph.serialize``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from api.service.erreurs import RequeteRefusee

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Ligne = Sequence[object | None]  # un terme pyoxigraph ou None (variable non liée)


def _json_terme(terme) -> dict:
    if isinstance(terme, ox.NamedNode):
        return {"type": "uri", "value": terme.value}
    if isinstance(terme, ox.BlankNode):
        return {"type": "bnode", "value": terme.value}
    if isinstance(terme, ox.Literal):
        sortie = {"type": "literal", "value": terme.value}
        if terme.language:
            sortie["xml:lang"] = terme.language
        elif terme.datatype.value != XSD_STRING:
            sortie["datatype"] = terme.datatype.value
        return sortie
    if isinstance(terme, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_terme(terme.subject),
                "predicate": _json_terme(terme.predicate),
                "object": _json_terme(terme.object),
            },
        }
    raise TypeError(f"terme inattendu : {terme!r}")


def json_resultats(variables: list[str], lignes: Iterable[Ligne], extra: dict | None = None) -> bytes:
    """SPARQL 1.1 Query Results JSON ; ``extra`` ajoute une clé de premier niveau (clés standard intactes)."""
    liaisons = [
        {v: _json_terme(t) for v, t in zip(variables, ligne, strict=True) if t is not None}
        for ligne in lignes
    ]
    document: dict = {"head": {"vars": variables}, "results": {"bindings": liaisons}}
    if extra:
        document.update(extra)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _xml_terme(terme) -> str:
    if isinstance(terme, ox.NamedNode):
        return f"<uri>{escape(terme.value)}</uri>"
    if isinstance(terme, ox.BlankNode):
        return f"<bnode>{escape(terme.value)}</bnode>"
    if isinstance(terme, ox.Literal):
        if terme.language:
            attr = f" xml:lang={quoteattr(terme.language)}"
        elif terme.datatype.value != XSD_STRING:
            attr = f" datatype={quoteattr(terme.datatype.value)}"
        else:
            attr = ""
        return f"<literal{attr}>{escape(terme.value)}</literal>"
    if isinstance(terme, ox.Triple):
        return (
            f"<triple><subject>{_xml_terme(terme.subject)}</subject>"
            f"<predicate>{_xml_terme(terme.predicate)}</predicate>"
            f"<object>{_xml_terme(terme.object)}</object></triple>"
        )
    raise TypeError(f"terme inattendu : {terme!r}")


#: Ce que XML 1.0 (§2.2, production Char) ne permet nulle part, pas même en référence de caractère (&#0;).
_HORS_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def refuser_hors_xml(textes: Iterable[str], format_: str) -> None:
    """406 si un terme contient un caractère qu'aucun document XML 1.0 ne peut porter (U+0000, U+0001…).

    Pourquoi refuser plutôt qu'échapper : XML 1.0 n'a aucune écriture pour ces caractères (``&#0;`` est lui aussi
    interdit) ; les retirer ou les remplacer changerait la donnée en silence. Le client peut choisir un format qui
    les porte (JSON, CSV, TSV, Turtle, N-Triples).
    """
    for texte in textes:
        m = _HORS_XML.search(texte)
        if m:
            raise RequeteRefusee(
                f"le résultat contient le caractère U+{ord(m.group()):04X}, interdit en XML 1.0 : le format "
                f"{format_} ne peut pas le porter ; demandez JSON, CSV ou TSV (ou Turtle, N-Triples pour un graphe)",
                406,
            )


def _textes(terme) -> Iterable[str]:
    """Les chaînes d'un terme écrites dans un document : valeur, langue, type, et celles d'un triplet cité."""
    if isinstance(terme, ox.Triple):
        for t in (terme.subject, terme.predicate, terme.object):
            yield from _textes(t)
    elif terme is not None:
        yield getattr(terme, "value", "")
        if isinstance(terme, ox.Literal):
            yield terme.datatype.value


def xml_resultats(variables: list[str], lignes: Iterable[Ligne]) -> bytes:
    """SPARQL Query Results XML Format ; 406 si un terme ne peut pas s'écrire en XML 1.0."""
    lignes = list(lignes)
    refuser_hors_xml((texte for ligne in lignes for t in ligne for texte in _textes(t)), "XML")
    morceaux = [
        '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>',
        *(f"<variable name={quoteattr(v)}/>" for v in variables),
        "</head><results>",
    ]
    for ligne in lignes:
        morceaux.append("<result>")
        for v, t in zip(variables, ligne, strict=True):
            if t is not None:
                morceaux.append(f"<binding name={quoteattr(v)}>{_xml_terme(t)}</binding>")
        morceaux.append("</result>")
    morceaux.append("</results></sparql>")
    return "".join(morceaux).encode()


def _csv_champ(terme) -> str:
    if terme is None:
        return ""
    if isinstance(terme, ox.NamedNode | ox.Literal):
        texte = terme.value
    elif isinstance(terme, ox.BlankNode):
        texte = "_:" + terme.value
    else:
        texte = str(terme)
    if any(c in texte for c in '",\r\n'):
        texte = '"' + texte.replace('"', '""') + '"'
    return texte


def csv_resultats(variables: list[str], lignes: Iterable[Ligne]) -> bytes:
    """SPARQL 1.1 CSV : valeurs lexicales seules, fins de ligne CRLF."""
    sortie = [",".join(variables)]
    sortie.extend(",".join(_csv_champ(t) for t in ligne) for ligne in lignes)
    return ("\r\n".join(sortie) + "\r\n").encode()


def tsv_resultats(variables: list[str], lignes: Iterable[Ligne]) -> bytes:
    """SPARQL 1.1 TSV : termes en syntaxe N-Triples (les tabulations et fins de ligne y sont échappées)."""
    sortie = ["\t".join("?" + v for v in variables)]
    sortie.extend("\t".join("" if t is None else str(t) for t in ligne) for ligne in lignes)
    return ("\n".join(sortie) + "\n").encode()


SERIALISEURS_LIGNES = {
    "json": json_resultats,
    "xml": xml_resultats,
    "csv": csv_resultats,
    "tsv": tsv_resultats,
}
FORMATS_BOOLEEN = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
FORMATS_GRAPHE = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def lignes_plafonnees(solutions: ox.QuerySolutions, maximum: int) -> tuple[list[str], list[list], bool]:
    """Au plus ``maximum`` lignes, et si la requête en aurait rendu davantage (sans tout calculer)."""
    variables = [v.value for v in solutions.variables]
    lignes: list[list] = []
    for solution in solutions:
        if len(lignes) == maximum:
            return variables, lignes, True
        lignes.append([solution[v] for v in variables])
    return variables, lignes, False


def triplets_plafonnes(triplets: ox.QueryTriples, maximum: int) -> tuple[list[ox.Triple], bool]:
    sortie: list[ox.Triple] = []
    for triplet in triplets:
        if len(sortie) == maximum:
            return sortie, True
        sortie.append(triplet)
    return sortie, False


def graphe(triplets: list[ox.Triple], format_: str, prefixes: dict[str, str]) -> bytes:
    """CONSTRUCT / DESCRIBE : Turtle et JSON-LD avec les préfixes Boussole, N-Triples et RDF/XML bruts."""
    rdf = FORMATS_GRAPHE[format_]
    if format_ == "rdfxml":
        refuser_hors_xml((texte for t in triplets for texte in _textes(t)), "RDF/XML")
    avec_prefixes = format_ in ("turtle", "jsonld", "rdfxml")
    return ox.serialize(triplets, format=rdf, prefixes=prefixes if avec_prefixes else None) or b""


def booleen(resultat: ox.QueryBoolean, format_: str) -> bytes:
    """ASK : le sérialiseur d'Oxigraph, dans le format de résultats négocié."""
    return resultat.serialize(format=FORMATS_BOOLEEN[format_]) or b""
