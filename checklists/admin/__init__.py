"""The office's admin, scoped: every changelist starts from `for_user`, every unit choice is limited
to the user's reach, roles decide what may be changed, and every save goes through the services.
`base` holds what every model's admin builds on; one module per area registers its models."""

from . import items, ledgers, problems, standards, units  # noqa: F401 (each registers its models)
from .ledgers import ProblemInline

__all__ = ["ProblemInline"]
