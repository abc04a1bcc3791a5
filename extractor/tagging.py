"""Taggers: lemmas and parts of speech for the sentences that hold a candidate figure.

`none` tags nothing (the rules work on word forms alone). `stanza` runs local Stanza models,
loaded once per process and language; a model set may put a dictionary beside them for a
language: a POS check (POS manifest `check`) and a lemmatizer (lemma manifest `engine`).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from extractor.document import Sentence
from extractor.langdata import LanguageData
from extractor.models import ModelInfo, ModelsMissing, languages_with_tagger, models_dir, tagger_models
from extractor.terms import normalize_word
from extractor.tokens import Token

TAGGERS = ("stanza", "none")


@dataclass(frozen=True)
class Tagged:
    """One word as the tagger saw it; offsets are into the text it was given."""

    start: int
    end: int
    upos: str
    lemma: str


@dataclass(frozen=True)
class TaggedSentence:
    start: int
    end: int
    words: tuple[Tagged, ...]


class Tagger(Protocol):
    name: str

    def tag(self, lang: str, texts: Sequence[str]) -> list[list[TaggedSentence]]:
        """For each text, its sentences with their words."""
        ...


class NoTagger:
    name = "none"

    def tag(self, lang: str, texts: Sequence[str]) -> list[list[TaggedSentence]]:
        return [[] for _ in texts]


class StanzaTagger:
    name = "stanza"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def tag(self, lang: str, texts: Sequence[str]) -> list[list[TaggedSentence]]:
        if not texts:
            return []
        pipeline, morphology = _stanza_pipeline(self.directory, lang)
        import stanza

        docs = pipeline.bulk_process([stanza.Document([], text=t) for t in texts])
        return [[_sentence(s, morphology) for s in doc.sentences] for doc in docs]


@dataclass(frozen=True)
class Morphology:
    """What a model set puts beside Stanza for a language (see extractor/morphology.py)."""

    pos_check: Callable[[str, str], str] | None = None
    lemmatizer: Callable[[str, str], str] | None = None


def _sentence(sentence: object, morphology: Morphology) -> TaggedSentence:
    words = []
    for token in sentence.tokens:  # type: ignore[attr-defined]
        for word in token.words:
            upos = word.upos or ""
            if morphology.pos_check is not None:
                upos = morphology.pos_check(word.text, upos)
            lemma = word.lemma or word.text
            if morphology.lemmatizer is not None:
                lemma = morphology.lemmatizer(word.text, upos)
            words.append(Tagged(token.start_char, token.end_char, upos, lemma))
    start = words[0].start if words else 0
    end = words[-1].end if words else 0
    return TaggedSentence(start, end, tuple(words))


@cache
def _stanza_pipeline(directory: Path, lang: str) -> tuple[Any, Morphology]:
    """One pipeline per process and language (loading takes seconds; tagging is cheap)."""
    models = tagger_models(directory, lang)
    try:
        import stanza
    except ImportError as exc:
        raise ModelsMissing(
            "the stanza tagger needs the stanza package: pip install 'derek[stanza]' "
            "(install torch==2.13.0 first for a CPU-only build)"
        ) from exc
    engine = str(models["lemma"].manifest.get("engine", "stanza"))
    processors = "tokenize,pos" if engine != "stanza" else "tokenize,pos,lemma"
    _write_empty_resources(directory)
    logging.getLogger("stanza").setLevel(logging.ERROR)  # "unsupported language": we bring our own
    with _no_optimizers():
        pipeline = stanza.Pipeline(
            lang=lang,
            dir=str(directory),
            processors=processors,
            download_method=None,
            use_gpu=False,
            logging_level="ERROR",
            allow_unknown_language=True,  # our resources.json lists no languages
            **_model_paths(models, processors.split(",")),
        )
    return pipeline, _morphology(models)


@contextmanager
def _no_optimizers() -> Iterator[None]:
    """Stanza's tokenizer and tagger build Adam optimizers even to predict; creating the first
    imports torch._dynamo (about 1.5 s here). Prediction never steps them: none is built."""
    from stanza.models.common import utils

    real = utils.get_optimizer, utils.get_split_optimizer
    utils.get_optimizer = lambda *args, **kwargs: None
    utils.get_split_optimizer = lambda *args, **kwargs: {}
    try:
        yield
    finally:
        utils.get_optimizer, utils.get_split_optimizer = real


def _model_paths(models: dict[str, ModelInfo], processors: list[str]) -> dict[str, object]:
    """Explicit paths for our own models; official packages resolve through resources.json."""
    args: dict[str, object] = {}
    for part in processors:
        info = models[part]
        if info.manifest.get("loader") == "resources":
            continue
        args[f"{part}_model_path"] = str(info.path)
        if part == "pos":  # word vectors, where the model was trained with them
            pretrain = info.manifest.get("pretrain")
            args["pos_pretrain_path"] = str(info.path.parent / str(pretrain)) if pretrain else None
    return args


def _write_empty_resources(directory: Path) -> None:
    """Stanza reads resources.json even with explicit paths; `{}` is enough for ours."""
    resources = directory / "resources.json"
    if not resources.exists():
        try:
            resources.write_text("{}\n", encoding="utf-8")
        except OSError as exc:
            raise ModelsMissing(f"{resources} is missing and cannot be written: create it with {{}}") from exc


def _morphology(models: dict[str, ModelInfo]) -> Morphology:
    from extractor.morphology import load_lemmatizer, load_pos_check

    check = models["pos"].manifest.get("check")
    engine = str(models["lemma"].manifest.get("engine", "stanza"))
    return Morphology(
        pos_check=load_pos_check(str(check)) if check else None,
        lemmatizer=load_lemmatizer(engine) if engine != "stanza" else None,
    )


DEFAULT_TAGGER = "none"


def make_tagger(name: str | None, models: str | Path | None = None) -> Tagger:
    """The tagger a run asked for. Default: none, the most accurate configuration measured
    (README, "Tagging with Stanza"); stanza on request."""
    directory = models_dir(models)
    if name is None:
        name = DEFAULT_TAGGER
    if name == "none":
        return NoTagger()
    if name != "stanza":
        raise ValueError(f"unknown tagger {name!r}; choose one of {', '.join(TAGGERS)}")
    if not languages_with_tagger(directory):
        raise ModelsMissing(
            f"no Stanza models in {directory}: run `derek models download --models {directory}`"
        )
    if not _has_stanza():
        raise ModelsMissing("the stanza tagger needs the stanza package: pip install 'derek[stanza]'")
    return StanzaTagger(directory)


def _has_stanza() -> bool:
    import importlib.util

    return importlib.util.find_spec("stanza") is not None


def tag_sentences(
    text: str,
    sentences: Sequence[Sentence],
    tagger: Tagger,
    lang: LanguageData,
    is_candidate: Callable[[Sentence], bool],
) -> list[Sentence]:
    """The sentences, with the candidate ones tagged and re-split where Stanza ends a sentence.

    Stanza's boundary is kept only after sentence-final punctuation that does not follow one
    of the language's abbreviations.
    """
    if isinstance(tagger, NoTagger):
        return list(sentences)
    chosen = [i for i, s in enumerate(sentences) if is_candidate(s)]
    tagged = tagger.tag(lang.code, [text[sentences[i].start : sentences[i].end] for i in chosen])
    result = list(sentences)
    for index, parts in sorted(zip(chosen, tagged, strict=True), reverse=True):
        result[index : index + 1] = _apply(text, sentences[index], parts, lang)
    return result


def _apply(text: str, sentence: Sentence, parts: list[TaggedSentence], lang: LanguageData) -> list[Sentence]:
    base = sentence.start
    words = sorted((w for part in parts for w in part.words), key=lambda w: w.start)
    starts = [w.start + base for w in words]
    tokens = []
    for token in sentence.tokens:
        k = bisect.bisect_right(starts, token.start) - 1
        if k >= 0 and token.start < words[k].end + base:
            word = words[k]
            token = token._replace(upos=word.upos, lemma=normalize_word(word.lemma))
        tokens.append(token)
    cuts = [base + p.start for p in parts[1:] if _may_end_before(text, base + p.start, tokens, lang)]
    bounds = [sentence.start, *cuts, sentence.end]
    return [
        Sentence(
            a,
            b if b == sentence.end else _trim_end(text, a, b),
            sentence.paragraph,
            tuple(t for t in tokens if a <= t.start < b),
        )
        for a, b in zip(bounds, bounds[1:], strict=False)
    ]


def _may_end_before(text: str, position: int, tokens: Sequence[Token], lang: LanguageData) -> bool:
    before = text[:position].rstrip()
    if not before or before[-1] not in ".!?…":
        return False
    previous = [t for t in tokens if t.end <= len(before) - 1 and t.kind == "word"]
    if previous and previous[-1].end == len(before) - 1:
        norm = previous[-1].norm
        return norm not in lang.abbreviations and norm not in lang.name_abbreviations
    return True


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
