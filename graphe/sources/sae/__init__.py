"""La SAE (DREES) : un fichier par bordereau, tous lus avec les mêmes contrôles (``commun``).

- ``identite`` : la SAE ID, qui définit les sites connus (lue avant tout autre bordereau) ;
- ``bordereau`` : le lecteur unique des bordereaux décrits par une table ;
- ``tables`` : les tables de FILTRE, PALIA, DOULEUR, MCOGER, MCOPED, IMAGES ;
- ``cancero`` : les tables de CANCERO 2023 et 2022 (partenaires, sens inférés).
"""
