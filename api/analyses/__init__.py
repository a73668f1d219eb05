"""Analyses pour les ARS et les réseaux : indicateurs du catalogue, cartes et rapport hors ligne."""
