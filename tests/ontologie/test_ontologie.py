"""L'ontologie, les formes SHACL et les thésaurus : ils se lisent, se tiennent, et les formes mordent."""

from __future__ import annotations

import pytest
import rdflib.namespace as ns
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graphe.validation import valider
from ontologie import charger_formes, charger_ontologie, chemin, fichiers_thesaurus
from ontologie.besoins import BESOINS, EQUIPEMENT_INFERE, EQUIPEMENT_SAE, MODALITE_R275
from ontologie.espaces import BO, SCHEMA, SH, commune, concept, etablissement, preuve

# --- Les fichiers se lisent et se tiennent --------------------------------------------------------------


@pytest.fixture(scope="module")
def ontologie() -> Graph:
    return charger_ontologie()


@pytest.fixture(scope="module")
def formes() -> Graph:
    return charger_formes()


def test_chaque_fichier_turtle_se_lit() -> None:
    for fichier in [chemin("boussole.ttl"), chemin("formes.ttl"), *fichiers_thesaurus()]:
        g = Graph().parse(fichier, format="turtle")
        assert len(g) > 0, fichier


def test_chemin_refuse_un_fichier_absent() -> None:
    with pytest.raises(FileNotFoundError):
        chemin("absent.ttl")


def test_mes_thesaurus_sont_charges(ontologie: Graph) -> None:
    noms = {f.name for f in fichiers_thesaurus()}
    assert {"roles.ttl", "equipement.ttl", "activite-sae.ttl", "correspondances.ttl"} <= noms
    assert (concept("role", "porteur"), RDF.type, SKOS.Concept) in ontologie
    assert (concept("activite-sae", "CANCERO_A2"), RDF.type, SKOS.Concept) in ontologie


def _termes_bo(g: Graph) -> set[URIRef]:
    return {t for triplet in g for t in triplet if isinstance(t, URIRef) and t.startswith(str(BO))}


def _declares(ontologie: Graph) -> set[URIRef]:
    types = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
    return {s for t in types for s in ontologie.subjects(RDF.type, t) if isinstance(s, URIRef)}


def test_chaque_terme_bo_des_formes_est_declare(ontologie: Graph, formes: Graph) -> None:
    manquants = _termes_bo(formes) - _declares(ontologie)
    assert not manquants, sorted(manquants)


def test_chaque_terme_bo_des_thesaurus_est_declare(ontologie: Graph) -> None:
    # Un terme bo: employé dans un thésaurus mais absent de boussole.ttl serait une faute de frappe invisible.
    manquants = _termes_bo(ontologie) - _declares(ontologie)
    assert not manquants, sorted(manquants)


def test_chaque_classe_et_propriete_a_libelle_et_commentaire_en_francais(ontologie: Graph) -> None:
    for terme in _declares(ontologie):
        for propriete in (RDFS.label, RDFS.comment):
            langues = {v.language for v in ontologie.objects(terme, propriete) if isinstance(v, Literal)}
            assert "fr" in langues, f"{terme} sans {propriete} @fr"


@pytest.mark.parametrize(
    ("sujet", "predicat", "objet"),
    [
        (BO.Preuve, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")),
        (BO.Autorisation, RDFS.subClassOf, BO.Preuve),
        (BO.Appartenance, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Membership")),
        (BO.entiteJuridique, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/org#unitOf")),
        (BO.Etablissement, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#OrganizationalUnit")),
        (BO.Commune, RDFS.subClassOf, URIRef("http://www.opengis.net/ont/geosparql#Feature")),
    ],
)
def test_alignements_sur_les_vocabulaires_publics(ontologie: Graph, sujet, predicat, objet) -> None:
    assert (sujet, predicat, objet) in ontologie


def test_equipements_et_besoins_suivent_la_table_unique(ontologie: Graph) -> None:
    for code, besoin in EQUIPEMENT_SAE.items():
        assert (concept("equipement", code), SKOS.related, concept("besoin", besoin)) in ontologie
    for code in EQUIPEMENT_INFERE:
        assert ontologie.value(concept("equipement", code), BO.sensInfere) == Literal(True)


def test_variables_sae_inferees_le_disent(ontologie: Graph) -> None:
    for variable in ("CANCERO_A1", "CANCERO_A2"):
        c = concept("activite-sae", variable)
        assert ontologie.value(c, BO.sensInfere) == Literal(True)
        assert "inféré" in str(ontologie.value(c, SKOS.note))
    assert ontologie.value(concept("activite-sae", "RTH"), BO.sensInfere) == Literal(False)


def test_les_besoins_cites_par_mes_thesaurus_existent() -> None:
    for fichier in fichiers_thesaurus():
        if fichier.name not in ("equipement.ttl", "activite-sae.ttl"):
            continue
        g = Graph().parse(fichier, format="turtle")
        for cible in g.objects(None, SKOS.related):
            schema, _, code = str(cible).rpartition("/")
            assert schema.endswith("/besoin") and code in BESOINS, cible


def test_correspondances_sans_exactmatch_et_vers_2022(ontologie: Graph) -> None:
    # Deux régimes de droit distincts : jamais d'équivalence stricte (exactMatch est transitif).
    ancien = str(concept("modalite-r275", "67")).rsplit("/", 1)[0]
    assert not list(ontologie.subject_objects(SKOS.exactMatch))
    assert (concept("modalite-r275", "68"), SKOS.narrowMatch, concept("mention-2022", "ME038")) in ontologie
    assert (concept("modalite-r275", "91"), SKOS.closeMatch, concept("mention-2022", "ME030")) in ontologie
    assert (concept("modalite-r275", "67"), SKOS.closeMatch, concept("modalite-2022", "MO010")) in ontologie
    for code in set(MODALITE_R275) - {"71"}:  # 71 n'a plus d'équivalent dans QA018
        correspondances = [
            o
            for p in (SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)
            for o in ontologie.objects(concept("modalite-r275", code), p)
        ]
        assert correspondances, f"modalité {code} sans correspondance"
        assert all("/modalite-2022/" in o or "/mention-2022/" in o for o in correspondances)
    assert all(str(s).startswith(ancien) for s in ontologie.subjects(SKOS.closeMatch, None))


# --- Les formes SHACL mordent ---------------------------------------------------------------------------

FINESS = "690000880"


def _etablissement_conforme(g: Graph, finess: str = FINESS) -> URIRef:
    site = etablissement(finess)
    g.add((site, RDF.type, BO.Etablissement))
    g.add((site, BO.finess, Literal(finess)))
    g.add((site, SCHEMA.name, Literal("Centre Léon Bérard")))
    g.add((site, BO.commune, commune("69388")))
    g.add((site, BO.precisionGeo, Literal("etablissement")))
    c = commune("69388")
    g.add((c, RDF.type, BO.Commune))
    g.add((c, BO.code, Literal("69388")))
    g.add((c, SCHEMA.name, Literal("Lyon 8e Arrondissement")))
    return site


def _activite_declaree(g: Graph, site: URIRef) -> URIRef:
    a = preuve("activite-declaree", "sae-filtre-2023", FINESS, "RTH")
    g.add((a, RDF.type, BO.ActiviteDeclaree))
    g.add((a, BO.etablissement, site))
    g.add((a, BO.besoin, concept("besoin", "radiotherapie")))
    g.add((a, BO.niveauPreuve, Literal("activite_declaree")))
    g.add((a, BO.anneeEnquete, Literal("2023", datatype=ns.XSD.gYear)))
    g.add((a, BO.activite, concept("activite-sae", "RTH")))
    g.add((a, RDFS.label, Literal("Radiothérapie déclarée (SAE 2023, variable RTH)", lang="fr")))
    return a


def _autorisation(g: Graph) -> URIRef:
    a = preuve("autorisation", "12345")
    g.add((a, RDF.type, BO.Autorisation))
    g.add((a, BO.titulaire, URIRef("https://w3id.org/boussole/id/entite-juridique/690000880")))
    g.add((a, BO.modalite, concept("modalite-r275", "68")))
    g.add((a, BO.besoin, concept("besoin", "radiotherapie")))
    g.add((a, BO.niveauPreuve, Literal("autorisation")))
    g.add((a, BO.etat, Literal("active")))
    g.add((a, RDFS.label, Literal("Radiothérapie externe autorisée", lang="fr")))
    return a


def _valider(g: Graph, formes: Graph, ontologie: Graph):
    return valider(g, formes, ontologie)


def _chemins_en_echec(resultat) -> set[str]:
    return {v["chemin"].rsplit("#", 1)[-1].rsplit("/", 1)[-1] for v in resultat.violations}


def test_un_graphe_conforme_passe(formes: Graph, ontologie: Graph) -> None:
    g = Graph()
    site = _etablissement_conforme(g)
    _activite_declaree(g, site)
    _autorisation(g)
    m = BNode()
    g.add((m, RDF.type, BO.Appariement))
    g.add((m, BO.confiance, Literal(0.87)))
    g.add((m, BO.methode, Literal("flou")))
    g.add((m, BO.texteSource, Literal("CLB Lyon")))
    resultat = _valider(g, formes, ontologie)
    assert resultat.conforme, resultat.violations


def test_une_declaration_typee_autorisation_est_refusee(formes: Graph, ontologie: Graph) -> None:
    g = Graph()
    a = _activite_declaree(g, _etablissement_conforme(g))
    g.add((a, RDF.type, BO.Autorisation))
    conforme, rapport, _ = validate(g, shacl_graph=formes, ont_graph=ontologie, inference="none")
    assert not conforme
    refus_par_sh_not = [
        r
        for r in rapport.subjects(SH.sourceConstraintComponent, SH.NotConstraintComponent)
        if rapport.value(r, SH.focusNode) == a
    ]
    assert refus_par_sh_not
    assert "jamais une autorisation" in str(rapport.value(refus_par_sh_not[0], SH.resultMessage))


def test_une_sous_classe_d_autorisation_est_aussi_refusee(formes: Graph, ontologie: Graph) -> None:
    # sh:class suit rdfs:subClassOf : une sous-classe locale d'autorisation ne contourne pas la règle.
    g = Graph()
    a = _activite_declaree(g, _etablissement_conforme(g))
    sous_classe = URIRef("https://example.org/AutorisationTemporaire")
    onto = Graph() + ontologie
    onto.add((sous_classe, RDFS.subClassOf, BO.Autorisation))
    g.add((a, RDF.type, sous_classe))
    assert any("jamais une autorisation" in v["message"] for v in _valider(g, formes, onto).violations)


def test_une_declaration_sans_annee_ni_bon_niveau_est_refusee(formes: Graph, ontologie: Graph) -> None:
    g = Graph()
    a = _activite_declaree(g, _etablissement_conforme(g))
    g.remove((a, BO.anneeEnquete, None))
    g.set((a, BO.niveauPreuve, Literal("autorisation")))
    resultat = _valider(g, formes, ontologie)
    assert {"anneeEnquete", "niveauPreuve"} <= _chemins_en_echec(resultat)


def test_un_equipement_declare_sans_type_est_refuse(formes: Graph, ontologie: Graph) -> None:
    g = Graph()
    site = _etablissement_conforme(g)
    e = preuve("equipement-declare", "sae-images-2023", FINESS, "TOMO")
    for p, o in [
        (RDF.type, BO.EquipementDeclare),
        (BO.etablissement, site),
        (BO.besoin, concept("besoin", "tep")),
        (BO.niveauPreuve, Literal("activite_declaree")),
        (BO.anneeEnquete, Literal("2023", datatype=ns.XSD.gYear)),
        (RDFS.label, Literal("TEP déclaré", lang="fr")),
    ]:
        g.add((e, p, o))
    assert _chemins_en_echec(_valider(g, formes, ontologie)) == {"typeEquipement"}


@pytest.mark.parametrize("finess", ["69000088", "6900008800", "2C0000001", "69A000880"])
def test_un_finess_mal_forme_est_refuse(formes: Graph, ontologie: Graph, finess: str) -> None:
    g = Graph()
    site = _etablissement_conforme(g)
    g.set((site, BO.finess, Literal(finess)))
    assert _chemins_en_echec(_valider(g, formes, ontologie)) == {"finess"}


def test_un_finess_corse_passe(formes: Graph, ontologie: Graph) -> None:
    g = Graph()
    _etablissement_conforme(g, "2A0000014")
    assert _valider(g, formes, ontologie).conforme


def test_un_etablissement_sans_commune_ni_nom_avec_precision_inconnue_est_refuse(
    formes: Graph, ontologie: Graph
) -> None:
    g = Graph()
    site = _etablissement_conforme(g)
    g.remove((site, BO.commune, None))
    g.remove((site, SCHEMA.name, None))
    g.set((site, BO.precisionGeo, Literal("departement")))
    assert _chemins_en_echec(_valider(g, formes, ontologie)) == {"commune", "name", "precisionGeo"}


def test_une_autorisation_incomplete_est_refusee(formes: Graph, ontologie: Graph) -> None:
    g = Graph()
    a = _autorisation(g)
    g.remove((a, BO.titulaire, None))
    g.remove((a, BO.modalite, None))
    g.set((a, BO.etat, Literal("suspendue")))
    resultat = _valider(g, formes, ontologie)
    assert {"titulaire", "etat"} <= _chemins_en_echec(resultat)
    assert any("ce qui est autorisé" in v["message"] for v in resultat.violations)


def test_une_preuve_sans_besoin_ni_libelle_est_refusee(formes: Graph, ontologie: Graph) -> None:
    g = Graph()
    a = _autorisation(g)
    g.remove((a, BO.besoin, None))
    g.remove((a, RDFS.label, None))
    assert _chemins_en_echec(_valider(g, formes, ontologie)) == {"besoin", "label"}


def test_une_valeur_brute_typee_preuve_est_refusee(formes: Graph, ontologie: Graph) -> None:
    g = Graph()
    v = URIRef("https://w3id.org/boussole/id/valeur/x")
    g.add((v, RDF.type, BO.ValeurEnquete))
    assert _valider(g, formes, ontologie).conforme
    g.add((v, RDF.type, BO.ActiviteDeclaree))
    assert any("jamais une preuve" in x["message"] for x in _valider(g, formes, ontologie).violations)


@pytest.mark.parametrize("code", ["6938", "693881", "6X388"])
def test_une_commune_au_code_mal_forme_est_refusee(formes: Graph, ontologie: Graph, code: str) -> None:
    g = Graph()
    c = commune("x")
    g.add((c, RDF.type, BO.Commune))
    g.add((c, BO.code, Literal(code)))
    g.add((c, SCHEMA.name, Literal("Quelque part")))
    assert _chemins_en_echec(_valider(g, formes, ontologie)) == {"code"}


@pytest.mark.parametrize("libelle", [Literal("Radiothérapie"), Literal("Radiotherapy", lang="en"), None])
def test_un_concept_sans_libelle_francais_est_refuse(formes: Graph, ontologie: Graph, libelle) -> None:
    g = Graph()
    c = concept("essai", "x")
    g.add((c, RDF.type, SKOS.Concept))
    if libelle is not None:
        g.add((c, SKOS.prefLabel, libelle))
    assert _chemins_en_echec(_valider(g, formes, ontologie)) == {"prefLabel"}


@pytest.mark.parametrize("confiance", [Literal(1.2), Literal(-0.1), Literal("0.5")])
def test_une_confiance_hors_de_0_1_est_refusee(formes: Graph, ontologie: Graph, confiance: Literal) -> None:
    g = Graph()
    m = BNode()
    g.add((m, RDF.type, BO.Appariement))
    g.add((m, BO.confiance, confiance))
    g.add((m, BO.methode, Literal("flou")))
    g.add((m, BO.texteSource, Literal("CHU")))
    assert not _valider(g, formes, ontologie).conforme


def test_l_ontologie_et_ses_thesaurus_respectent_les_formes(formes: Graph, ontologie: Graph) -> None:
    resultat = _valider(Graph(), formes, ontologie)
    assert resultat.conforme, resultat.violations[:5]
