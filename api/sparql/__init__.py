"""Le point d'accès SPARQL 1.1 public en lecture seule : garde, exécution bornée, formats, quota, exemples."""
