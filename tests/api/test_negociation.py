"""La négociation de contenu commune (``api.service.negociation``), sans HTTP : plages, qualité, choix.

Les deux ressources qui négocient (fiches et SPARQL) s'y fient ; leurs cas propres (``equivalents`` des fiches,
``alias`` du SPARQL) sont vérifiés ici au niveau de la fonction commune et de chaque ressource.
"""

from __future__ import annotations

import pytest

from api.fiches.service import FormatInconnu, choisir_format
from api.service.erreurs import RequeteRefusee
from api.service.negociation import Offre, Plage, choisir, plages, qualite
from api.sparql import formats

HTML = Offre("html", "text/html")
JSONLD = Offre("jsonld", "application/ld+json", equivalents=frozenset({"application/json"}))
CSV = Offre("csv", "text/csv", alias=frozenset({"text/plain"}))


def test_plages_lues_et_bornees() -> None:
    assert plages("text/html;q=0.5, application/json ; Q=2, nimporte, */*;q=abc") == [
        Plage("text/html", 0.5, 0),
        Plage("application/json", 1.0, 1),  # q ramené à 1
        Plage("*/*", 0.0, 3),  # q illisible : 0 ; « nimporte » (sans /) ignorée
    ]


def test_qualite_exacte_meme_nulle_l_emporte_sur_les_couvrants() -> None:
    assert qualite(HTML, plages("text/html;q=0, */*")) == 0.0
    assert qualite(HTML, plages("text/*;q=0.3, */*;q=0.2")) == 0.3
    assert qualite(HTML, plages("application/json")) is None
    # un équivalent compte comme exact ; un alias seulement comme un couvrant
    assert qualite(JSONLD, plages("application/ld+json;q=0, application/json")) == 1.0
    assert qualite(CSV, plages("text/csv;q=0, text/plain")) == 0.0
    assert qualite(CSV, plages("text/plain;q=0.4")) == 0.4


def test_choix() -> None:
    offres = (HTML, JSONLD)
    assert choisir(None, offres) is HTML and choisir("  ", offres) is HTML  # tout accepté : l'ordre du serveur
    assert choisir("*/*", offres) is HTML  # égalité : le premier du serveur
    assert choisir("application/json", offres) is JSONLD
    assert choisir("text/html;q=0.5, application/ld+json;q=0.9", offres) is JSONLD
    assert choisir("image/png", offres) is None
    assert choisir("text/html;q=0, */*;q=0", offres) is None


def test_fiches_et_sparql_utilisent_la_meme_lecture() -> None:
    assert choisir_format("application/ld+json;q=0, application/json", None) == "jsonld"
    assert choisir_format("text/*", None) == "html" and choisir_format(None, "ttl") == "turtle"
    with pytest.raises(FormatInconnu) as refus:
        choisir_format("image/png", None)
    assert refus.value.statut == 406
    with pytest.raises(FormatInconnu):
        choisir_format(None, "pdf")
    # SPARQL : application/json est un alias (couvrant) de JSON pour des résultats, de JSON-LD pour un graphe
    assert formats.choisir("application/json", None, graphe=False).nom == "json"
    assert formats.choisir("application/json", None, graphe=True).nom == "jsonld"
    # le refus exact (q=0) de JSON l'emporte sur son alias : rien d'acceptable, 406
    with pytest.raises(RequeteRefusee) as refus:
        formats.choisir("application/sparql-results+json;q=0, application/json", None, graphe=False)
    assert refus.value.statut == 406
