"""The package is the product: what the wheel holds, and the seams between the stages."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _wheel_files() -> list[str]:
    """The files setuptools' build_py would put in the wheel (packages found from pyproject.toml, their modules
    and package data), relative to the build folder: the wheel's file list without building it."""
    from setuptools.config.pyprojecttoml import apply_configuration
    from setuptools.dist import Distribution

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "[tool.setuptools] in pyproject.toml is still beta"
        dist = Distribution({"script_name": "setup.py"})
        apply_configuration(dist, str(ROOT / "pyproject.toml"))
        cmd = dist.get_command_obj("build_py")
        cmd.ensure_finalized()
        outputs = cmd.get_outputs(include_bytecode=False)
    return sorted({Path(o).relative_to(cmd.build_lib).as_posix() for o in outputs})


def test_layout_wheel_holds_the_packages_and_their_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    files = _wheel_files()
    assert "pipeline/__init__.py" in files and "extractors/__init__.py" in files
    assert any(f.startswith("extractors/patterns/") and f.endswith(".jsonl") for f in files)
    assert {f.split("/")[0] for f in files} == {"pipeline", "extractors"}


def test_layout_wheel_holds_no_evaluation_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    files = _wheel_files()
    names = [Path(f).stem for f in files if f.endswith(".py")]
    assert not [n for n in names if n in ("evaluate", "bench") or n.startswith("eval")], names
    for f in files:
        if f.endswith(".py"):
            text = (ROOT / f).read_text(encoding="utf-8")
            # the reference scorers and the gold files are evaluation's, never the product's
            assert "score.py" not in text and "gold/" not in text and "newsquant.py" not in text, f


def test_layout_evaluation_is_not_importable_from_the_package() -> None:
    import importlib

    for name in ("pipeline.evaluate", "pipeline.eval_web", "pipeline.bench"):
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(name)


# --- the store owns all SQL ---------------------------------------------------------------------------------
SQL_STATEMENT = re.compile(
    r"\bselect\b.+?\bfrom\b|\binsert\s+(?:or\s+\w+\s+)?into\b|\breplace\s+into\b|\bdelete\s+from\b"
    r"|\bupdate\s+\[?\w+\]?\s+set\b|\bcreate\s+(?:unique\s+|virtual\s+|temp\s+)?(?:table|index|view|trigger)\b"
    r"|\bdrop\s+(?:table|index|view|trigger)\b|\balter\s+table\b|\bpragma\b|\bbegin\s+immediate\b",
    re.I | re.S,
)
STORE = ROOT / "pipeline" / "store"


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant in a module (docstrings and the literal parts of f-strings included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _sql_in(path: Path) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{line}: {text.strip()[:80]!r}" for line, text in _string_literals(path)
            if SQL_STATEMENT.search(text)]


def _modules_outside_store() -> list[Path]:
    files = sorted((ROOT / "pipeline").rglob("*.py")) + sorted((ROOT / "extractors").rglob("*.py"))
    return [f for f in files if not f.is_relative_to(STORE)]


@pytest.mark.parametrize("text", [
    "select id from articles where id = ?", "SELECT count(*)\nFROM claims", "insert or ignore into x values (1)",
    "delete from [flags] where 1", "update claim_keys set cluster_id = ?", "create index i on t(c)",
    "PRAGMA journal_mode=wal", "create virtual table f using fts5(x)",
])
def test_layout_sql_pattern_finds_statements(text: str) -> None:
    assert SQL_STATEMENT.search(text)


@pytest.mark.parametrize("text", ["the selectors come from the site adapter", "Updated figures", "delete it"])
def test_layout_sql_pattern_leaves_prose(text: str) -> None:
    assert not SQL_STATEMENT.search(text)


def test_layout_the_store_holds_sql() -> None:
    """The check below can fail: the store's own modules are full of what it looks for."""
    for name in ("core.py", "crossref.py", "query.py"):
        assert len(_sql_in(STORE / name)) >= 5, name


def test_layout_no_sql_outside_the_store() -> None:
    modules = _modules_outside_store()
    assert len(modules) > 40
    found = [hit for m in modules for hit in _sql_in(m)]
    assert not found, "SQL outside pipeline/store/:\n" + "\n".join(found)


def test_layout_no_sql_in_the_site_files() -> None:
    files = [f for f in (ROOT / "pipeline").rglob("*") if f.suffix in (".html", ".yaml", ".yml", ".sql", ".json")]
    assert any(f.suffix == ".html" for f in files)
    found = [str(f.relative_to(ROOT)) for f in files if SQL_STATEMENT.search(f.read_text(encoding="utf-8"))]
    assert not found, f"SQL in {found}: the site imports its SQL from pipeline/store/query.py"


# --- stages stay in their lane: the import graph ------------------------------------------------------------
def _modules() -> dict[str, Path]:
    out = {}
    for top in ("pipeline", "extractors"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of pipeline/ and extractors/ it imports, counting every import statement wherever
    it stands (module level, inside functions, under TYPE_CHECKING). ``from a.b import c`` is an import of the
    module ``a.b.c`` when there is one, else of ``a.b``; an import of a package is one of its ``__init__``."""
    mods = _modules()

    def known(name: str) -> str | None:
        while name and name not in mods:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([base] if base else []))
                names = [f"{base}.{a.name}" if f"{base}.{a.name}" in mods else base for a in node.names]
            for name in names:
                target = known(name)
                if target and target != mod:
                    graph[mod].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_layout_import_graph_sees_function_level_imports() -> None:
    graph = import_graph()
    assert "pipeline.crossref" in graph["pipeline.engines.load"]  # `from pipeline.crossref import` in a function
    assert "extractors.quantities" in graph["pipeline.cli.quantities"]  # inside cmd_quantities
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_layout_import_graph_is_acyclic() -> None:
    cycles = _cycles(import_graph())
    assert not cycles, f"import cycles: {cycles}"


def test_layout_extractors_never_import_pipeline() -> None:
    back = {m: sorted(t for t in ts if t.startswith("pipeline")) for m, ts in import_graph().items()
            if m.startswith("extractors")}
    assert not {m: ts for m, ts in back.items() if ts}


@pytest.mark.parametrize(("module", "banned"), [
    ("pipeline.inputs", "pipeline.parse"),  # inputs read; the reader (pipeline.read) parses
    ("pipeline.web_inputs", "pipeline.parse"),
    ("pipeline.fetch", "pipeline.parse"),
    ("pipeline.parse", "pipeline.extract"),
    ("pipeline.extract", "pipeline.store"),
    ("pipeline.store", "pipeline.crossref"),
    ("pipeline.store", "pipeline.query"),
])
def test_layout_no_stage_calls_the_next(module: str, banned: str) -> None:
    graph = import_graph()
    mine = [m for m in graph if m == module or m.startswith(module + ".")]
    assert mine
    for m in mine:
        assert not [t for t in graph[m] if t == banned or t.startswith(banned + ".")], m


# --- one copy of each idea ------------------------------------------------------------------------------------
def test_layout_one_version_string() -> None:
    import tomllib

    from pipeline import __version__
    from pipeline.fetch.fetcher import FetchSettings

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "pipeline.__version__"}
    assert f"newsclaims/{__version__} " in FetchSettings().agent
    assigned = []  # every `<...version...> = "<a string>"` in the package
    for m in _modules_outside_store() + sorted(STORE.glob("*.py")):
        for node in ast.walk(ast.parse(m.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(
                    node.value.value, str):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                if any(re.search(r"(^|_)version(_|$)", n.lower()) for n in names):
                    assigned.append((m.relative_to(ROOT).as_posix(), names))
    assert assigned == [("pipeline/__init__.py", ["__version__"])]


def test_layout_one_jsonl_reader() -> None:
    """pipeline/ and extractors/ read their JSONL data files through extractors.jsonl.read_jsonl (manifests
    have their own bounded, streaming reader in pipeline/inputs.py)."""
    files = sorted((ROOT / "pipeline").rglob("*.py")) + sorted((ROOT / "extractors").rglob("*.py"))
    hand_written = {m.relative_to(ROOT).as_posix() for m in files
                    if re.search(r"json\.loads\((line|ln|x)\b", m.read_text(encoding="utf-8"))}
    # the discourse layer's own reader is the attribution change's to fold in
    assert hand_written - {"extractors/discourse/cues.py"} == {"pipeline/inputs.py", "extractors/jsonl.py"}


# --- extractors: one job per module, rules as data, no benchmark's conventions --------------------------------
EXTRACTORS = ROOT / "extractors"
PACKAGES = ("quantities", "officials")  # the extractors split into packages (issue 13)
MAX_MODULE_LINES = 450


@pytest.mark.parametrize("package", PACKAGES)
def test_layout_extractor_packages_keep_modules_small(package: str) -> None:
    modules = sorted((EXTRACTORS / package).glob("*.py"))
    assert len(modules) >= 8
    big = {m.name: n for m in modules if (n := len(m.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not big, f"one job per module: split {big}"


def test_layout_no_benchmark_conventions_in_extractors() -> None:
    """Output conventions that exist only for a benchmark (NewsQuant, CQE) live behind the CLI's
    `newsclaims quantities --style`, never in the extractors or their data."""
    files = [f for f in EXTRACTORS.rglob("*") if f.is_file() and f.suffix in (".py", ".jsonl", ".json")]
    assert len(files) > 40
    found = [f.relative_to(ROOT).as_posix() for f in files
             if re.search(r"news\s*quant|\bcqe\b", f.read_text(encoding="utf-8"), re.I)]
    assert not found


def _pattern_rows() -> list[dict]:
    from extractors.jsonl import read_jsonl

    return [r for f in sorted((EXTRACTORS / "patterns").glob("*.jsonl")) for r in read_jsonl(f)]


RULE_ID = re.compile(
    r"^(?!.*\.jsonl?$)(?:count|money|percent|unit|year|identifier|date|pronoun|official|org)(?:\.[a-z_]+)+$")


def _rule_id_literals(package: str) -> dict[str, str]:
    """Rule ids written in the package's Python: every string constant shaped like one -> where it stands."""
    out = {}
    for m in sorted((EXTRACTORS / package).glob("*.py")):
        for line, text in _string_literals(m):
            if RULE_ID.match(text):
                out.setdefault(text, f"{m.relative_to(ROOT)}:{line}")
    return out


@pytest.mark.parametrize("package", PACKAGES)
def test_layout_every_rule_id_in_python_is_declared_in_patterns(package: str) -> None:
    """A rule decided in Python (a "shape") still has its stable id and description as data under
    extractors/patterns/: quantities_rules.jsonl, officials_rules.jsonl."""
    declared = {r["id"] for r in _pattern_rows()}
    used = _rule_id_literals(package)
    assert len(used) >= 10
    assert not {i: w for i, w in used.items() if i not in declared}


@pytest.mark.parametrize(("package", "rules"), [("quantities", "quantities_rules.jsonl"),
                                                ("officials", "officials_rules.jsonl")])
def test_layout_every_declared_shape_is_decided_in_python(package: str, rules: str) -> None:
    from extractors.jsonl import read_jsonl

    shapes = {r["id"] for r in read_jsonl(EXTRACTORS / "patterns" / rules) if r["kind"] == "shape"}
    documented = {"official.coref.definite"}  # later mentions carry no rule id: the row documents the behaviour
    assert shapes and not shapes - documented - set(_rule_id_literals(package))


def test_layout_rule_id_suffixes_are_declared() -> None:
    """Ids derived from another rule's id ("money.usd.prefix", "percent.sign.range") add a suffix that
    patterns/quantities_rules.jsonl declares (kind "suffix")."""
    declared = {r["suffix"] for r in _pattern_rows() if r.get("kind") == "suffix"}
    used = set()
    for m in sorted((EXTRACTORS / "quantities").glob("*.py")):
        for node in ast.walk(ast.parse(m.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and isinstance(node.right, ast.Constant)
                    and isinstance(node.right.value, str) and re.fullmatch(r"\.[a-z_]+", node.right.value)):
                used.add(node.right.value)
    assert used and used == declared
