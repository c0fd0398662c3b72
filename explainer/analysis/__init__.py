"""The built-in analysis: a deterministic root-cause analysis when no LLM is configured.

It reads the normalized event (see `explainer.events`) and the issue's facts, gathers the
evidence (`evidence.py`: the raise site, the failing line, the empty locals there, the
breadcrumbs, the request, the chain), looks the exception up in a knowledge base of common
exception types of Python, JavaScript/Node, Java/Kotlin, Ruby, PHP, Go and .NET
(`knowledge.py`), and writes the same fields an LLM is asked for (`report.py`): summary, root
cause, reproduction steps, code locations, specification, suggested fix, confidence and the
evidence it rests on. An unknown exception type still gets an answer built from the evidence.
"""

from .report import analyse

PROVIDER = "builtin"
MODEL = "built-in analysis (no LLM configured)"

__all__ = ["MODEL", "PROVIDER", "analyse"]
