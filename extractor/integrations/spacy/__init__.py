"""derek in spaCy (the `spacy` extra).

- `lang_kk`: the language `kk`, registered through the `spacy_languages` entry point;
- `component`: the `derek` pipeline component (`spacy_factories` entry point), which fills
  `doc.spans["figures"]` with one span per record;
- `display`: displaCy pages of a text's figures (`derek explain --html`);
- `export`: a store's records as a DocBin (`derek export --format spacy`).

The modules import spaCy; this package itself does not, so `import extractor` never needs it.
"""

from importlib.util import find_spec


def spacy_missing(what: str) -> str:
    """Why `what` cannot run here ("" when spaCy is installed): spaCy is an extra."""
    if find_spec("spacy") is not None:
        return ""
    return f"{what} needs spaCy: pip install 'derek[spacy]'"
