"""Un module par ressource ; chacun expose ``routeur`` (un ``APIRouter``) sans logique métier."""
