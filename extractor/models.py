"""Local Stanza models: where they are, what they scored, and how to get them.

A model set is a folder with one subfolder per language; each model file has a JSON manifest
beside it (`tokenize.pt` + `tokenize.json`) naming its data, steps, held-out scores, size
and date. Nothing here touches the network except `download`, which a user runs on purpose.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from extractor.resources import data_dir

BUNDLED = data_dir("models") / "stanza"  # the source tree's models/, or the installed package's copy
PARTS = ("tokenize", "pos", "lemma")  # what the tagger needs, in pipeline order
FIX_HINT = (
    "run `derek models download --models {dir}` on a machine with internet, "
    "or train them offline with `python scripts/train_stanza.py --lang {lang}`"
)


class ModelsMissing(RuntimeError):
    """Raised when a tagger is asked for and the models it needs are not on disk."""


@dataclass(frozen=True)
class ModelInfo:
    lang: str
    part: str
    path: Path  # the model file
    manifest: dict

    @property
    def scores(self) -> dict:
        return dict(self.manifest.get("scores") or {})


def models_dir(given: str | Path | None = None) -> Path:
    """--models, else $DEREK_MODELS, else the set bundled with derek."""
    if given:
        return Path(given)
    env = os.environ.get("DEREK_MODELS")
    return Path(env) if env else BUNDLED


def installed(directory: Path) -> list[ModelInfo]:
    """Every model in the folder that has a manifest and a file."""
    found = []
    for manifest_path in sorted(directory.glob("*/*.json")):
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(manifest, dict) or "file" not in manifest:
            continue
        path = manifest_path.parent / str(manifest["file"])
        if path.is_file():
            found.append(ModelInfo(manifest_path.parent.name, manifest_path.stem, path, manifest))
    return found


def languages_with_tagger(directory: Path) -> list[str]:
    """Languages for which every part the tagger needs is installed."""
    have: dict[str, set[str]] = {}
    for info in installed(directory):
        have.setdefault(info.lang, set()).add(info.part)
    return sorted(lang for lang, parts in have.items() if set(PARTS) <= parts)


def tagger_models(directory: Path, lang: str) -> dict[str, ModelInfo]:
    """The tagger's models for one language, or ModelsMissing naming the fix."""
    parts = {i.part: i for i in installed(directory) if i.lang == lang}
    missing = [p for p in PARTS if p not in parts]
    if missing:
        raise ModelsMissing(
            f"no Stanza {'/'.join(missing)} model for {lang!r} in {directory}: "
            + FIX_HINT.format(dir=directory, lang=lang)
        )
    return parts


def describe(directory: Path) -> str:
    """The `derek models` listing."""
    infos = installed(directory)
    if not infos:
        return f"no models in {directory}\n" + FIX_HINT.format(dir=directory, lang="LANG")
    lines = [f"models in {directory}:"]
    for info in infos:
        size = info.path.stat().st_size / 1e6
        scores = ", ".join(f"{k} {v}" for k, v in info.scores.items()) or "no scores recorded"
        lines.append(f"  {info.lang}/{info.part:9} {size:5.1f} MB  {info.manifest.get('date', '')}  {scores}")
    return "\n".join(lines)


def download(directory: Path, languages: list[str]) -> list[ModelInfo]:
    """Fetch Stanza's official packages into the folder and write manifests for them."""
    import stanza

    written = []
    for lang in languages:
        stanza.download(lang, model_dir=str(directory), processors=",".join(PARTS), verbose=False)
        resources = json.loads((directory / "resources.json").read_text(encoding="utf-8"))
        default = resources.get(lang, {}).get("default_processors", {})
        for part in (*PARTS, "mwt"):
            package = default.get(part)
            if isinstance(package, dict):
                package = package.get("package")
            path = directory / lang / part / f"{package}.pt"
            if package and path.is_file():
                written.append(_write_official_manifest(directory, lang, part, path))
    return written


def _write_official_manifest(directory: Path, lang: str, part: str, path: Path) -> ModelInfo:
    import stanza

    manifest = {
        "model": f"{lang}/{part}",
        "file": str(path.relative_to(directory / lang)),
        "source": f"Stanza {stanza.__version__} official package",
        "loader": "resources",  # loaded through stanza's resources.json, with its pretrain and charlm
        "size_bytes": path.stat().st_size,
        "scores": {},
    }
    target = directory / lang / f"{part}.json"
    target.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return ModelInfo(lang, part, path, manifest)
