"""Écriture des résultats SPARQL plafonnés (JSON, XML, CSV, TSV) à partir des solutions d'Oxigraph.

Pourquoi ne pas tout laisser à ``QuerySolutions.serialize`` : ce sérialiseur consomme tout l'itérateur, il ne
sait pas s'arrêter à ``sparql_lignes_max`` lignes ni à ``sparql_octets_max`` octets. On écrit donc ici, ligne à
ligne et en flux (vers un fichier : le corps n'est jamais entier en mémoire), selon les recommandations W3C
(SPARQL 1.1 Query Results JSON / XML / CSV-TSV), et on s'arrête au premier plafond atteint : au plus ``max``
lignes (une ligne de plus dit seulement qu'il y en avait davantage), et jamais une ligne qui ferait passer le
document, fin comprise, au-delà du plafond d'octets — le document coupé reste donc valide. Les tests comparent
ces sorties à celles d'Oxigraph. Les ASK passent par le sérialiseur d'Oxigraph ; CONSTRUCT et DESCRIBE par
``pyoxigraph.serialize``, alimenté triplet par triplet (voir :func:`ecrire_graphe`).
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from api.service.erreurs import RequeteRefusee

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Ligne = Sequence[object | None]  # un terme pyoxigraph ou None (variable non liée)

#: Pourquoi un résultat a été coupé (``X-Boussole-Tronque-Motif``, champ ``boussole.motif`` du JSON).
MOTIF_LIGNES = "lignes"
MOTIF_OCTETS = "octets"
SANS_PLAFOND = 1 << 62


@dataclass(frozen=True)
class Bilan:
    """Ce qui a été écrit : lignes (ou triplets), octets, et le plafond qui a coupé (None : résultat entier)."""

    lignes: int
    octets: int
    motif: str | None = None

    @property
    def tronque(self) -> bool:
        return self.motif is not None


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


def _json_liaison(variables: list[str], ligne: Ligne) -> bytes:
    liaison = {v: _json_terme(t) for v, t in zip(variables, ligne, strict=True) if t is not None}
    return json.dumps(liaison, ensure_ascii=False, separators=(",", ":")).encode()


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


def _xml_ligne(variables: list[str], ligne: Ligne) -> bytes:
    """Un ``<result>`` ; 406 si un de ses termes ne peut pas s'écrire en XML 1.0."""
    refuser_hors_xml((texte for t in ligne for texte in _textes(t)), "XML")
    morceaux = ["<result>"]
    for v, t in zip(variables, ligne, strict=True):
        if t is not None:
            morceaux.append(f"<binding name={quoteattr(v)}>{_xml_terme(t)}</binding>")
    morceaux.append("</result>")
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


@dataclass(frozen=True)
class _Ecrivain:
    """Les trois morceaux d'un format de résultats : début (variables), une ligne, fin (et le séparateur)."""

    debut: Callable[[list[str]], bytes]
    ligne: Callable[[list[str], Ligne], bytes]
    fin: Callable[[dict | None], bytes]
    separateur: bytes = b""


ECRIVAINS: dict[str, _Ecrivain] = {
    "json": _Ecrivain(
        debut=lambda variables: b'{"head":{"vars":'
        + json.dumps(variables, ensure_ascii=False, separators=(",", ":")).encode()
        + b"},",
        ligne=_json_liaison,
        fin=lambda _: b"]}}",
        separateur=b",",
    ),
    "xml": _Ecrivain(
        debut=lambda variables: (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>'
            + "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
            + "</head><results>"
        ).encode(),
        ligne=_xml_ligne,
        fin=lambda _: b"</results></sparql>",
    ),
    "csv": _Ecrivain(
        debut=lambda variables: (",".join(variables) + "\r\n").encode(),
        ligne=lambda _, ligne: (",".join(_csv_champ(t) for t in ligne) + "\r\n").encode(),
        fin=lambda _: b"",
    ),
    "tsv": _Ecrivain(
        debut=lambda variables: ("\t".join("?" + v for v in variables) + "\n").encode(),
        ligne=lambda _, ligne: ("\t".join("" if t is None else str(t) for t in ligne) + "\n").encode(),
        fin=lambda _: b"",
    ),
}


def plafond_json(motif: str, lignes_max: int, octets_max: int) -> dict:
    """Le champ ``boussole`` d'un résultat JSON coupé : qu'il l'est, pourquoi, et les deux plafonds."""
    return {"tronque": True, "motif": motif, "lignes_max": lignes_max, "octets_max": octets_max}


def _json_marque(plafond: dict) -> bytes:
    return b'"boussole":' + json.dumps(plafond, separators=(",", ":")).encode() + b","


def ecrire_solutions(
    solutions: Iterable[Ligne] | ox.QuerySolutions,
    variables: list[str],
    format_: str,
    sortie: BinaryIO,
    lignes_max: int,
    octets_max: int = SANS_PLAFOND,
) -> Bilan:
    """Écrit les solutions dans ``sortie`` au format ``format_``, en flux, jusqu'au premier plafond atteint.

    JSON : le champ ``boussole`` (coupé, pourquoi) se place *avant* ``results`` — des analyseurs en flux (celui
    d'Oxigraph) refusent toute clé après les liaisons. Comme on ne sait qu'à la fin si le résultat est coupé, sa
    place est réservée en blancs (permis par JSON) et réécrite à la fin : ``sortie`` doit pouvoir se repositionner
    (un fichier, un BytesIO).

    :param solutions: les solutions d'Oxigraph (lues une à une) ou des lignes déjà faites (tests).
    :param variables: les variables projetées, dans l'ordre.
    :param lignes_max: au plus tant de lignes.
    :param octets_max: au plus tant d'octets pour le document entier, fin comprise.
    :returns: lignes et octets écrits, et le motif de la coupure s'il y en a une.
    """
    ecrivain = ECRIVAINS[format_]
    debut = ecrivain.debut(variables)
    fin = ecrivain.fin(None)
    sortie.write(debut)
    ecrits, lignes, motif = len(debut), 0, None
    place = -1
    if format_ == "json":
        place = sortie.tell()
        reservee = b" " * len(_json_marque(plafond_json(MOTIF_OCTETS, lignes_max, octets_max)))
        ouverture = reservee + b'"results":{"bindings":['
        sortie.write(ouverture)
        ecrits += len(ouverture)
    for solution in solutions:
        if lignes == lignes_max:
            motif = MOTIF_LIGNES
            break
        ligne = [solution[v] for v in variables] if isinstance(solution, ox.QuerySolution) else solution
        morceau = (ecrivain.separateur if lignes else b"") + ecrivain.ligne(variables, ligne)
        if ecrits + len(morceau) + len(fin) > octets_max:
            motif = MOTIF_OCTETS
            break
        sortie.write(morceau)
        ecrits += len(morceau)
        lignes += 1
    sortie.write(fin)
    if place >= 0 and motif is not None:
        sortie.seek(place)
        sortie.write(_json_marque(plafond_json(motif, lignes_max, octets_max)))
        sortie.seek(0, os.SEEK_END)
    return Bilan(lignes, ecrits + len(fin), motif)


def _en_memoire(format_: str, variables: list[str], lignes: Iterable[Ligne]) -> bytes:
    tampon = io.BytesIO()
    ecrire_solutions(lignes, variables, format_, tampon, SANS_PLAFOND, SANS_PLAFOND)
    return tampon.getvalue()


def json_resultats(variables: list[str], lignes: Iterable[Ligne]) -> bytes:
    """SPARQL 1.1 Query Results JSON, d'une traite (sans plafond)."""
    return _en_memoire("json", variables, lignes)


def xml_resultats(variables: list[str], lignes: Iterable[Ligne]) -> bytes:
    """SPARQL Query Results XML Format ; 406 si un terme ne peut pas s'écrire en XML 1.0."""
    return _en_memoire("xml", variables, lignes)


def csv_resultats(variables: list[str], lignes: Iterable[Ligne]) -> bytes:
    """SPARQL 1.1 CSV : valeurs lexicales seules, fins de ligne CRLF."""
    return _en_memoire("csv", variables, lignes)


def tsv_resultats(variables: list[str], lignes: Iterable[Ligne]) -> bytes:
    """SPARQL 1.1 TSV : termes en syntaxe N-Triples (les tabulations et fins de ligne y sont échappées)."""
    return _en_memoire("tsv", variables, lignes)


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


#: Ce que le sérialiseur d'Oxigraph peut garder sans l'avoir encore écrit (son tampon) : sous un grand plafond, on
#: s'arrête assez tôt pour que ce tampon, le triplet suivant et la fin du document tiennent dessous. Sous un petit
#: plafond (moins de 64 tampons), cette marge coûterait trop de triplets : on relit et on recoupe s'il le faut.
TAMPON_OXIGRAPH = 8192
MARGE_FIN = 256


def _estimation(triplet: ox.Triple) -> int:
    """Majorant de la taille écrite d'un triplet : RDF/XML échappe « " » en six caractères (&quot;)."""
    return 6 * sum(len(t.encode()) for t in _textes(triplet)) + 64


class _Compteur:
    """Un fichier dont on compte les octets écrits (le sérialiseur d'Oxigraph y écrit par morceaux)."""

    def __init__(self, fichier: BinaryIO) -> None:
        self.fichier = fichier
        self.octets = 0

    def write(self, morceau: bytes) -> int:
        self.fichier.write(morceau)
        self.octets += len(morceau)
        return len(morceau)

    def flush(self) -> None:
        self.fichier.flush()


def ecrire_graphe(
    triplets: Iterable[ox.Triple],
    format_: str,
    prefixes: dict[str, str],
    chemin: Path,
    lignes_max: int,
    octets_max: int = SANS_PLAFOND,
) -> Bilan:
    """CONSTRUCT / DESCRIBE écrits en flux dans ``chemin``, coupés au premier plafond (triplets ou octets).

    Pourquoi alimenter Oxigraph triplet par triplet : son sérialiseur écrit au fur et à mesure et ferme le document
    (Turtle, JSON-LD, RDF/XML) quand l'itérateur s'arrête ; on arrête donc l'itérateur avant que le triplet suivant
    puisse faire passer le plafond, et le document coupé reste valide. Si l'estimation s'est trompée (elle est
    large), on relit le document écrit et on le réécrit avec moins de triplets.
    """
    rdf = FORMATS_GRAPHE[format_]
    motif: str | None = None
    gardes = 0
    marge = MARGE_FIN + (TAMPON_OXIGRAPH if octets_max >= 64 * TAMPON_OXIGRAPH else 0)
    with open(chemin, "wb") as fichier:
        compteur = _Compteur(fichier)

        def plafonnes() -> Iterator[ox.Triple]:
            nonlocal motif, gardes
            for triplet in triplets:
                if gardes == lignes_max:
                    motif = MOTIF_LIGNES
                    return
                if compteur.octets + _estimation(triplet) + marge > octets_max:
                    motif = MOTIF_OCTETS
                    return
                if format_ == "rdfxml":
                    refuser_hors_xml(_textes(triplet), "RDF/XML")
                gardes += 1
                yield triplet

        ox.serialize(plafonnes(), cast(BinaryIO, compteur), format=rdf, prefixes=_prefixes_de(format_, prefixes))
    taille = chemin.stat().st_size
    while taille > octets_max and gardes > 0:
        gardes = int(gardes * octets_max / taille * 0.9)
        motif = MOTIF_OCTETS
        provisoire = chemin.with_name(chemin.name + ".recoupe")
        relus = ox.parse(path=str(chemin), format=rdf)
        premiers = (t.triple for _, t in zip(range(gardes), relus, strict=False))
        ox.serialize(premiers, str(provisoire), format=rdf, prefixes=_prefixes_de(format_, prefixes))
        os.replace(provisoire, chemin)
        taille = chemin.stat().st_size
    return Bilan(gardes, taille, motif)


def _prefixes_de(format_: str, prefixes: dict[str, str]) -> dict[str, str] | None:
    """Turtle, JSON-LD et RDF/XML avec les préfixes Boussole ; N-Triples brut."""
    return prefixes if format_ in ("turtle", "jsonld", "rdfxml") else None


def graphe(triplets: list[ox.Triple], format_: str, prefixes: dict[str, str]) -> bytes:
    """CONSTRUCT / DESCRIBE : Turtle et JSON-LD avec les préfixes Boussole, N-Triples et RDF/XML bruts."""
    rdf = FORMATS_GRAPHE[format_]
    if format_ == "rdfxml":
        refuser_hors_xml((texte for t in triplets for texte in _textes(t)), "RDF/XML")
    avec_prefixes = format_ in ("turtle", "jsonld", "rdfxml")
    return ox.serialize(triplets, format=rdf, prefixes=prefixes if avec_prefixes else None) or b""


def ecrire_booleen(resultat: ox.QueryBoolean, format_: str, sortie: BinaryIO) -> Bilan:
    """ASK dans ``sortie`` (quelques dizaines d'octets : jamais coupé)."""
    corps = booleen(resultat, format_)
    sortie.write(corps)
    return Bilan(1, len(corps))


def booleen(resultat: ox.QueryBoolean, format_: str) -> bytes:
    """ASK : le sérialiseur d'Oxigraph, dans le format de résultats négocié."""
    return resultat.serialize(format=FORMATS_BOOLEEN[format_]) or b""
