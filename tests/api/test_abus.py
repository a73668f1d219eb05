"""Ce qu'un public malveillant ou maladroit peut envoyer au point d'accès, et ce qu'il en reçoit.

Après chaque abus, une requête normale doit encore répondre 200 : le service ne reste jamais bloqué.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.service.erreurs import RequeteRefusee
from api.sparql.garde import verifier_lexique, verifier_structure
from api.sparql.protocole import PREFIXES
from api.sparql.travailleur import Tache

NORMALE = "SELECT ?nom WHERE { ?s a bo:Etablissement ; schema:name ?nom } ORDER BY ?nom"


def repond_encore(client: TestClient) -> None:
    """Une requête ordinaire aboutit (attend au plus quelques secondes le remplacement d'un travailleur)."""
    for _ in range(20):
        r = client.get("/sparql", params={"query": NORMALE})
        if r.status_code == 200:
            assert len(r.json()["results"]["bindings"]) == 3
            return
        time.sleep(0.25)
    raise AssertionError(f"le service ne répond plus : {r.status_code} {r.text}")


# --- Mises à jour -----------------------------------------------------------------------------------------

MISES_A_JOUR = [
    "INSERT DATA { <https://w3id.org/boussole/id/x> <urn:p> 1 }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/donnees.ttl>",
    "LOAD <http://127.0.0.1:9/x.ttl> INTO GRAPH <https://w3id.org/boussole/source/x>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/boussole/source/meta>",
    "CREATE GRAPH <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "MOVE <urn:a> TO <urn:b>",
    "ADD <urn:a> TO <urn:b>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "PREFIX ex: <urn:x#> # un commentaire\n insert data { ex:a ex:b ex:c }",
]


@pytest.mark.parametrize("mise_a_jour", MISES_A_JOUR)
def test_mise_a_jour_par_query_refusee(client: TestClient, mise_a_jour: str) -> None:
    for r in (
        client.get("/sparql", params={"query": mise_a_jour}),
        client.post("/sparql", data={"query": mise_a_jour}),
        client.post("/sparql", content=mise_a_jour, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert r.status_code == 400, r.text
        assert "lecture seule" in r.json()["detail"]


@pytest.mark.parametrize("mise_a_jour", MISES_A_JOUR[:6])
def test_mise_a_jour_par_update_refusee(client: TestClient, mise_a_jour: str) -> None:
    for r in (
        client.get("/sparql", params={"update": mise_a_jour}),
        client.post("/sparql", data={"update": mise_a_jour}),
        client.post("/sparql", content=mise_a_jour, headers={"Content-Type": "application/sparql-update"}),
        client.post("/sparql", data={"query": NORMALE, "update": mise_a_jour}),
    ):
        assert r.status_code == 403, r.text
        assert "lecture seule" in r.json()["detail"]
    repond_encore(client)


def test_mots_cles_dans_commentaires_et_chaines_ne_trompent_pas(client: TestClient) -> None:
    """La garde lit des jetons, pas du texte : ni faux refus, ni SERVICE caché dans un commentaire."""
    requete = (
        "PREFIX ex: <urn:service#>\n"
        "# INSERT DATA { <a> <b> <c> } SERVICE <http://127.0.0.1/>\n"
        'SELECT ?service ?insert WHERE { ?service ex:load ?insert FILTER(?insert != "DELETE SERVICE") '
        "OPTIONAL { ?service ex:SERVICE _:clear } }"
    )
    r = client.get("/sparql", params={"query": requete})
    assert r.status_code == 200, r.text


# --- SERVICE (fédération) ---------------------------------------------------------------------------------


@pytest.fixture
def ecoute() -> Iterator[tuple[int, list]]:
    """Un serveur TCP sur 127.0.0.1 qui note toute connexion reçue."""
    serveur = socket.socket()
    serveur.bind(("127.0.0.1", 0))
    serveur.listen(8)
    serveur.settimeout(0.1)
    connexions: list = []
    fin = threading.Event()

    def accepter() -> None:
        while not fin.is_set():
            try:
                conn, adresse = serveur.accept()
            except OSError:
                continue
            connexions.append(adresse)
            conn.close()

    fil = threading.Thread(target=accepter, daemon=True)
    fil.start()
    yield serveur.getsockname()[1], connexions
    fin.set()
    fil.join()
    serveur.close()


def services(port: int) -> list[str]:
    local = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE <{local}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ service silent <{local}> {{ ?s ?q ?r }} }} }}",
        f"SELECT * WHERE {{ FILTER EXISTS {{ SERVICE <{local}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE # commentaire\n <{local}> {{ ?s ?p ?o }} }} }} }}",
        f"PREFIX l: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE l:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{local}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        "SELECT ?item WHERE { SERVICE <https://query.wikidata.org/sparql> { ?item wdt:P31 wd:Q5 } } LIMIT 1",
        "ASK { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
    ]


def test_service_refuse_sans_aucune_connexion(client: TestClient, ecoute) -> None:
    port, connexions = ecoute
    for requete in services(port):
        r = client.get("/sparql", params={"query": requete})
        assert r.status_code == 400, (requete, r.text)
        assert "SERVICE" in r.json()["detail"]
        r = client.post("/sparql", content=requete, headers={"Content-Type": "application/sparql-query"})
        assert r.status_code == 400
    time.sleep(0.3)
    assert connexions == []
    repond_encore(client)


def test_service_refuse_par_la_garde_du_travailleur(client: TestClient, ecoute) -> None:
    """Sans la garde lexicale du processus web, le travailleur refuse encore SERVICE (arbre complet)."""
    port, connexions = ecoute
    reserve = client.app.state.reserve
    for requete in services(port)[:6]:
        with pytest.raises(RequeteRefusee) as refus:
            reserve.executer(Tache(requete, "json", 10))
        assert refus.value.statut == 400 and "SERVICE" in refus.value.message
    time.sleep(0.3)
    assert connexions == []


def _isolement_possible() -> bool:
    """Le noyau permet-il ici un espace de noms réseau ? (dans un processus jetable : l'appel est sans retour)"""
    racine = Path(__file__).resolve().parents[2]
    code = "import sys\nfrom api.sparql.travailleur import isoler_reseau\nsys.exit(0 if isoler_reseau() else 3)\n"
    fini = subprocess.run(
        [sys.executable, "-c", code], cwd=racine, timeout=30, env={**os.environ, "PYTHONPATH": str(racine)}
    )
    assert fini.returncode in (0, 3), fini
    return fini.returncode == 0


def test_travailleurs_isoles_du_reseau(client: TestClient) -> None:
    """Troisième rempart quand le noyau le permet : le travailleur n'a aucune interface réseau.

    Ni saut ni vérité décrétée : la réserve doit dire exactement ce que le noyau permet ; isolés, ses travailleurs
    vivent dans un autre espace de noms réseau où seule l'interface locale (éteinte) existe ; non isolables, la
    réserve le dit et la garde refuse encore SERVICE.
    """
    reserve = client.app.state.reserve
    possible = _isolement_possible()
    assert reserve.reseau_isole is possible
    if possible:
        notre_espace = os.readlink("/proc/self/ns/net")
        for pid in reserve.pids():
            assert os.readlink(f"/proc/{pid}/ns/net") != notre_espace
            with open(f"/proc/{pid}/net/dev") as f:
                interfaces = {ligne.split(":")[0].strip() for ligne in f.readlines()[2:]}
            assert interfaces == {"lo"}
    else:
        with pytest.raises(RequeteRefusee, match="SERVICE"):
            reserve.executer(Tache("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "json", 10))


# --- FROM et graphes du protocole -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "requete",
    [
        "SELECT * FROM <http://example.org/x> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://example.org/x> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/> SELECT * FROM ex:x WHERE { ?s ?p ?o }",
        "BASE <https://w3id.org/boussole/source/> SELECT * FROM <../../ailleurs> WHERE { ?s ?p ?o }",
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }",
    ],
)
def test_from_hors_instantane_refuse(client: TestClient, requete: str) -> None:
    r = client.get("/sparql", params={"query": requete})
    assert r.status_code == 400, r.text
    assert "graphes nommés de l'instantané" in r.json()["detail"]


def test_from_de_l_instantane_permis(client: TestClient) -> None:
    for requete in (
        "SELECT * FROM <https://w3id.org/boussole/source/sae-id-2023> WHERE { ?s ?p ?o } LIMIT 1",
        "BASE <https://w3id.org/boussole/source/> SELECT * FROM <meta> WHERE { ?s ?p ?o } LIMIT 1",
        "SELECT * FROM NAMED src:meta WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1",
    ):
        r = client.get("/sparql", params={"query": requete})
        assert r.status_code == 200, (requete, r.text)
        assert r.json()["results"]["bindings"]


def test_graphes_du_protocole_hors_instantane_refuses(client: TestClient) -> None:
    for cle in ("default-graph-uri", "named-graph-uri"):
        r = client.get("/sparql", params={"query": NORMALE, cle: "http://example.org/x"})
        assert r.status_code == 400 and cle in r.json()["detail"]


# --- Délai, mémoire, expressions rationnelles -------------------------------------------------------------


def test_produit_cartesien_interrompu_au_delai_et_travailleur_remplace(client: TestClient) -> None:
    reserve = client.app.state.reserve
    avant_pids, avant = reserve.pids(), reserve.remplacements
    debut = time.monotonic()
    r = client.get(
        "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"}
    )
    duree = time.monotonic() - debut
    assert r.status_code == 503
    assert r.json()["detail"].startswith("délai dépassé (1 s) : la requête a été interrompue")
    assert 0.9 < duree < 5  # interrompue au délai, pas menée à son terme
    assert reserve.remplacements == avant + 1
    repond_encore(client)
    for _ in range(40):  # le remplaçant démarre en arrière-plan
        if len(reserve.pids()) == 2:
            break
        time.sleep(0.1)
    assert len(reserve.pids()) == 2 and reserve.pids() != avant_pids


def test_produit_cartesien_en_flux_coupe_au_plafond(client: TestClient) -> None:
    """Sans agrégat ni tri, Oxigraph produit les lignes à la demande : on s'arrête à 100, sans délai."""
    r = client.get(
        "/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"}
    )
    assert r.status_code == 200
    assert r.headers["x-boussole-tronque"] == "true"
    assert int(r.headers["x-boussole-duree-ms"]) < 1000


def test_tri_geant_interrompu(client: TestClient) -> None:
    """Un tri sur 9 millions de lignes : coupé au délai ou par le plafond mémoire, jamais la machine."""
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?a ?x ?b . ?c ?y ?d } ORDER BY ?b ?d"})
    assert r.status_code == 503
    assert "interrompue" in r.json()["detail"]
    repond_encore(client)


def test_regex_catastrophique(client: TestClient) -> None:
    """(a+)+$ sur des chaînes de 20 000 « a » : le moteur d'Oxigraph est linéaire ; sinon le délai coupe."""
    debut = time.monotonic()
    r = client.get(
        "/sparql",
        params={"query": 'SELECT (COUNT(*) AS ?n) WHERE { ?s bo:texte ?t FILTER(REGEX(?t, "^(a+)+$")) }'},
    )
    assert r.status_code in (200, 503)
    assert time.monotonic() - debut < 5
    if r.status_code == 200:
        assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"
    repond_encore(client)


def test_plafond_memoire(fabrique) -> None:
    """Avec 1 Go de mémoire virtuelle et 10 s de délai, le tri géant échoue vite sur le plafond mémoire."""
    with TestClient(fabrique(sparql_travailleurs=1, sparql_delai_s=10, sparql_memoire_mo=1024)) as c:
        debut = time.monotonic()
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?a ?x ?b . ?c ?y ?d } ORDER BY ?b ?d"})
        assert r.status_code == 503
        assert r.json()["detail"].startswith("mémoire dépassée (1024 Mo)")
        assert time.monotonic() - debut < 5
        repond_encore(c)


# --- Tailles ----------------------------------------------------------------------------------------------


def test_requete_d_un_mo(client: TestClient) -> None:
    grosse = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 1_048_576
    for r in (
        client.post("/sparql", data={"query": grosse}),
        client.post("/sparql", content=grosse, headers={"Content-Type": "application/sparql-query"}),
    ):
        assert r.status_code == 413, r.text
        assert r.json()["detail"].startswith("corps de requête trop long")
    # Par GET, httpx refuse lui-même une URL de 1 Mo : 40 Ko suffisent à dépasser les 20 000 octets permis.
    r = client.get("/sparql", params={"query": grosse[:40_000]})
    assert r.status_code == 413
    assert r.json()["detail"] == "requête trop longue : 40000 octets, au plus 20000 permis"
    # Sous la limite du corps mais au-dessus de celle de la requête (formulaire : marge pour %XX).
    r = client.post("/sparql", data={"query": grosse[:30_000]})
    assert r.status_code == 413 and r.json()["detail"].startswith("requête trop longue")
    repond_encore(client)


def test_corps_flux_sans_longueur_coupe(client: TestClient) -> None:
    def morceaux() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 10_000

    r = client.post("/sparql", content=morceaux(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 413


def test_imbrication_profonde_4xx(client: TestClient) -> None:
    for requete in (
        "SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
        "SELECT * WHERE " + "{ " * 2000 + "?s ?p ?o" + " }" * 2000,
        "SELECT * WHERE { " + " ".join(f"?s{i} <urn:p> ?o{i} ." for i in range(700)) + " } LIMIT 1",
    ):
        r = client.get("/sparql", params={"query": requete})
        assert r.status_code in (200, 400, 503), r.text
    repond_encore(client)


def test_echappement_unicode_hors_plage_400_avec_position(client: TestClient) -> None:
    """\\U au-delà de U+10FFFF ou demi-codet : 400 avec ligne et colonne (500 « erreur interne » avant)."""
    for requete in (r'SELECT ("\U00110000" AS ?x) {}', 'SELECT ?x {\n BIND("\\uD800" AS ?x) }'):
        r = client.get("/sparql", params={"query": requete})
        assert r.status_code == 400, r.text
        assert r.json()["detail"].startswith("erreur de syntaxe SPARQL, ligne ")
        assert "aucun caractère Unicode" in r.json()["detail"]
    assert "ligne 2, colonne 8" in r.json()["detail"]
    repond_encore(client)


def test_regex_invalide_400(client: TestClient) -> None:
    """Un motif que le moteur refuse rendait 200 et zéro ligne (erreur d'évaluation = FILTER faux)."""
    for requete, attendu in (
        ('SELECT ?x { BIND("a" AS ?x) FILTER(REGEX(?x, "(")) }', "« ( »"),
        ('SELECT (REPLACE("a", "[", "b") AS ?x) {}', "« [ »"),
        ('SELECT ?x { BIND("a" AS ?x) FILTER(REGEX(?x, "a", "z")) }', "drapeaux « z »"),
    ):
        r = client.get("/sparql", params={"query": requete})
        assert r.status_code == 400, r.text
        assert "expression rationnelle invalide" in r.json()["detail"] and attendu in r.json()["detail"]
        assert "ligne 1, colonne" in r.json()["detail"]
    r = client.get("/sparql", params={"query": 'SELECT ?x { BIND("a" AS ?x) FILTER(REGEX(?x, "^A$", "i")) }'})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 1


def test_xml_sans_caractere_interdit(client: TestClient) -> None:
    """U+0000 dans un résultat : JSON le porte ; XML 1.0 ne le peut pas, donc 406 expliqué (jamais un XML invalide)."""
    select = 'SELECT ("a\\u0000b" AS ?x) {}'
    assert client.get("/sparql", params={"query": select}).json()["results"]["bindings"][0]["x"]["value"] == "a\x00b"
    r = client.get("/sparql", params={"query": select, "format": "xml"})
    assert r.status_code == 406 and "U+0000, interdit en XML 1.0" in r.json()["detail"]
    r = client.get("/sparql", params={"query": 'CONSTRUCT { <urn:a> <urn:b> "\\u0001" } {}', "format": "rdfxml"})
    assert r.status_code == 406 and "U+0001" in r.json()["detail"]
    r = client.get("/sparql", params={"query": 'SELECT ("é\\t\\U0001F600" AS ?x) {}', "format": "xml"})
    assert r.status_code == 200 and "é\t😀" in r.text


def test_900_filter_not_exists_refuses_avant_analyse(client: TestClient) -> None:
    """900 FILTER NOT EXISTS imbriqués (sous la taille permise) tuaient le travailleur (SIGSEGV dans Oxigraph)."""
    requete = "SELECT * WHERE { " + "FILTER NOT EXISTS { " * 900 + "?s ?p ?o" + " }" * 900 + " }"
    assert len(requete) < 20_000
    remplacements = client.app.state.reserve.remplacements
    r = client.get("/sparql", params={"query": requete})
    assert r.status_code == 400, r.text
    assert r.json()["detail"].startswith("requête trop imbriquée : plus de 64 niveaux")
    assert client.app.state.reserve.remplacements == remplacements  # aucun travailleur n'est mort
    repond_encore(client)


def test_dix_mille_niveaux(fabrique) -> None:
    """10 000 niveaux (parenthèses, accolades) sous une taille permise élargie : 400 français, rien ne tombe."""
    with TestClient(fabrique(sparql_taille_max=200_000, sparql_travailleurs=1)) as c:
        for requete in (
            "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
            "SELECT * WHERE " + "{ " * 10_000 + "?s ?p ?o" + " }" * 10_000,
            "ASK { " + "[ <urn:p> " * 10_000 + "1" + " ]" * 10_000 + " }",
        ):
            r = c.post("/sparql", data={"query": requete})
            assert r.status_code == 400, r.text
            assert r.json()["detail"].startswith("requête trop imbriquée")
        repond_encore(c)


# --- Quota ------------------------------------------------------------------------------------------------


def test_rafale_au_dela_de_la_capacite_refusee_vite(fabrique) -> None:
    """Un travailleur, 4 places : 12 requêtes lentes à la fois, les surnuméraires ont 503 + Retry-After tout de
    suite au lieu de s'empiler ; le service répond normalement ensuite."""
    from concurrent.futures import ThreadPoolExecutor

    lente = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with TestClient(fabrique(sparql_travailleurs=1, sparql_delai_s=1.0)) as c:
        reserve = c.app.state.reserve
        assert reserve.capacite == 4

        def envoyer(_: int):
            return c.get("/sparql", params={"query": lente})

        with ThreadPoolExecutor(12) as pool:
            reponses = list(pool.map(envoyer, range(12)))
        saturees = [r for r in reponses if r.json()["detail"].startswith("point SPARQL saturé")]
        assert saturees, [r.json()["detail"] for r in reponses]
        assert all(r.status_code == 503 and int(r.headers["retry-after"]) >= 1 for r in saturees)
        assert reserve.saturations == len(saturees)
        assert all(r.status_code == 503 for r in reponses)  # les admises sont coupées au délai
        repond_encore(c)


def test_mille_requetes_rapides(client_quota: TestClient) -> None:
    statuts = []
    for _ in range(1000):
        r = client_quota.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        statuts.append(r.status_code)
        if r.status_code == 429:
            derniere = r
    assert statuts[:5] == [200] * 5
    assert set(statuts[5:]) == {429}
    assert int(derniere.headers["retry-after"]) >= 1
    assert derniere.json()["detail"].startswith("trop de requêtes")
    # Un autre client n'est pas puni pour le premier.
    autre = TestClient(client_quota.app, client=("203.0.113.7", 5000))
    assert autre.get("/sparql", params={"query": NORMALE}).status_code == 200
    # /sante n'est pas compté.
    assert client_quota.get("/sante").status_code == 200


def test_limiteur_rend_les_jetons_avec_le_temps() -> None:
    from api.sparql.limites import Limiteur

    maintenant = [0.0]
    limiteur = Limiteur(2, 10.0, horloge=lambda: maintenant[0])
    assert limiteur.prendre("a") == 0 and limiteur.prendre("a") == 0
    assert limiteur.prendre("a") == pytest.approx(5.0)
    maintenant[0] = 5.0
    assert limiteur.prendre("a") == 0
    assert limiteur.prendre("b") == 0


# --- La garde, sans HTTP ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("requete", "attendu"),
    [
        ("SELECT * WHERE { ?s ?p 'SERVICE <http://x>' }", "SELECT"),
        ('SELECT * WHERE { ?s ?p """\nINSERT\n""" }', "SELECT"),
        ("SELECT * WHERE { ?s ex:service ?o }", "SELECT"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("PREFIX : <urn:x#> DESCRIBE :a", "DESCRIBE"),
        ("ASK {}", "ASK"),
    ],
)
def test_garde_lexicale_accepte(requete: str, attendu: str) -> None:
    assert verifier_lexique(requete, {"ex": "urn:ex#"}).forme == attendu


@pytest.mark.parametrize(
    "requete",
    [
        "SELECT * WHERE { SeRvIcE <urn:x> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o } # fin\nSERVICE",
        "SELECT * WHERE { ?s ?p 'non fermée SERVICE <http://x> { } }",
        "INSERT DATA { <a> <b> <c> }",
        "SELECT * FROM <http://example.org/> WHERE {}",
    ],
)
def test_garde_lexicale_refuse(requete: str) -> None:
    with pytest.raises(RequeteRefusee):
        verifier_lexique(requete, PREFIXES)


def test_garde_structurelle() -> None:
    assert verifier_structure("SELECT * FROM src:meta WHERE { ?s ?p ?o }", PREFIXES).graphes_defaut == [
        "https://w3id.org/boussole/source/meta"
    ]
    with pytest.raises(RequeteRefusee, match="SERVICE"):
        verifier_structure("SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE ?x { ?s ?p ?o } } }", PREFIXES)
    with pytest.raises(RequeteRefusee, match="lecture seule"):
        verifier_structure("CLEAR ALL", PREFIXES)
    with pytest.raises(RequeteRefusee, match="ligne 1, colonne"):
        verifier_structure("SELECT * WHERE { ?s ?p }", PREFIXES)


def test_processus_isole_ne_joint_personne_meme_sans_garde(ecoute) -> None:
    """Sans aucune garde, un SERVICE lancé par Oxigraph dans un processus isolé n'atteint pas 127.0.0.1."""
    port, connexions = ecoute
    code = (
        "import sys, pyoxigraph as ox\n"
        "from api.sparql.travailleur import isoler_reseau\n"
        "if not isoler_reseau(): sys.exit(3)\n"
        f"q = 'SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}'\n"
        "try: list(ox.Store().query(q))\n"
        "except OSError: sys.exit(0)\n"
        "sys.exit(1)\n"
    )
    racine = Path(__file__).resolve().parents[2]
    fini = subprocess.run(
        [sys.executable, "-c", code], cwd=racine, timeout=30, env={**os.environ, "PYTHONPATH": str(racine)}
    )
    if fini.returncode == 3:
        pytest.skip("espaces de noms réseau indisponibles ici")
    assert fini.returncode == 0
    time.sleep(0.2)
    assert connexions == []
