"""Esrok recovery checklist engine: pure Python, standard library only, no I/O.

The public boundary (all the browser and the CLI call)::

    evaluate_json(plan: str) -> str     # never raises; invalid input -> ok: false with errors
    quick_json(answers: str) -> str     # quick-check answers -> same output plus "plan"
    questions_json() -> str             # the quick-check questions
    schema_json() -> str                # JSON Schema of the plan format
    plan_ui_json() -> str               # the page's vocabulary, generated from the field table

Output and plan format version 2 (see :mod:`esrok_recovery.boundary`); plans of
version 1 still import.
"""
from .boundary import evaluate_json, plan_ui_json, questions_json, quick_json, schema_json
from .model import FORMAT_VERSION

__version__ = "1.0.0"
__all__ = ["evaluate_json", "quick_json", "questions_json", "schema_json", "plan_ui_json", "FORMAT_VERSION",
           "__version__"]
