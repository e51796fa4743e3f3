"""The first seed document ("Defining assets that depend on other assets"), its code run word for
word with ``import assetloom as dg`` in place of ``import dagster as dg``.

The snippets write under ``/tmp/data``; they run with ``open`` redirected to a temporary folder so
the test leaves nothing behind.
"""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import assetloom as dg

BASIC_DEPENDENCIES = '''
import assetloom as dg


@dg.asset
def sugary_cereals() -> None:
    execute_query(
        "CREATE TABLE sugary_cereals AS SELECT * FROM cereals WHERE sugar_grams > 10"
    )


@dg.asset(deps=[sugary_cereals])
def shopping_list() -> None:
    execute_query("CREATE TABLE shopping_list AS SELECT * FROM sugary_cereals")
'''

CODE_LOCATION_1 = '''
import json

import assetloom as dg


@dg.asset
def code_location_1_asset():
    with open("/tmp/data/code_location_1_asset.json", "w+") as f:
        json.dump(5, f)
'''

CODE_LOCATION_2 = '''
import json

import assetloom as dg


@dg.asset(deps=["code_location_1_asset"])
def code_location_2_asset():
    with open("/tmp/data/code_location_1_asset.json") as f:
        x = json.load(f)

    with open("/tmp/data/code_location_2_asset.json", "w+") as f:
        json.dump(x + 6, f)
'''


def _run_snippet(source: str, name: str, **extra_globals: Any) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": name, **extra_globals}
    exec(compile(source, f"<seed {name}>", "exec"), namespace)
    return namespace


def _open_under(root: Path) -> Callable[..., Any]:
    def redirected_open(path: str, *args: Any, **kwargs: Any) -> Any:
        return open(root / Path(path).relative_to("/tmp/data"), *args, **kwargs)

    return redirected_open


def test_shopping_list_runs_after_sugary_cereals() -> None:
    queries: list[str] = []
    ns = _run_snippet(BASIC_DEPENDENCIES, "basic", execute_query=queries.append)
    sugary_cereals, shopping_list = ns["sugary_cereals"], ns["shopping_list"]

    defs = dg.Definitions(assets=[shopping_list, sugary_cereals])
    graph = defs.resolve_asset_graph()
    assert graph.parents(dg.AssetKey("shopping_list")) == {dg.AssetKey("sugary_cereals")}
    assert graph.external_keys == frozenset()

    result = dg.materialize(defs)
    assert result.success
    assert queries == [
        "CREATE TABLE sugary_cereals AS SELECT * FROM cereals WHERE sugar_grams > 10",
        "CREATE TABLE shopping_list AS SELECT * FROM sugary_cereals",
    ]
    assert result.succeeded_keys == [dg.AssetKey("shopping_list"), dg.AssetKey("sugary_cereals")]
    assert result.output_for_node("shopping_list") is None


def test_code_location_2_asset_runs_with_its_dependency_external(tmp_path: Path) -> None:
    data_dir = tmp_path
    redirected = _open_under(data_dir)
    location_1 = _run_snippet(CODE_LOCATION_1, "code_location_1", open=redirected)
    location_2 = _run_snippet(CODE_LOCATION_2, "code_location_2", open=redirected)

    # Code location 1 materializes its asset on its own.
    defs_1 = dg.Definitions(assets=[location_1["code_location_1_asset"]])
    assert dg.materialize(defs_1).success
    assert json.loads((data_dir / "code_location_1_asset.json").read_text()) == 5

    # In code location 2 the upstream asset is known only by its key: an external asset.
    defs_2 = dg.Definitions(assets=[location_2["code_location_2_asset"]])
    graph = defs_2.resolve_asset_graph()
    upstream = dg.AssetKey("code_location_1_asset")
    assert graph.external_keys == {upstream}
    assert graph.parents(dg.AssetKey("code_location_2_asset")) == {upstream}

    result = dg.materialize(defs_2)
    assert result.success
    assert result.succeeded_keys == [dg.AssetKey("code_location_2_asset")]
    assert upstream not in result.outcomes
    assert json.loads((data_dir / "code_location_2_asset.json").read_text()) == 11
