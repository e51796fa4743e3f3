"""PythonScriptComponent: a script per group of assets, its exit code deciding success."""

from __future__ import annotations

import assetloom as dg
from tests.projects import WriteProject, load, load_errors, parents


def test_scripts_run_in_the_folder_and_their_exit_code_decides(project: WriteProject) -> None:
    root = project(
        {
            "defs/scripts/defs.yaml": """
            type: PythonScriptComponent
            attributes:
              scripts:
                - path: write.py
                  args: [hello]
                  env: {GREETING_SUFFIX: "!"}
                  assets:
                    - key: greeting
                      group_name: scripts
                - path: fail.py
                  assets:
                    - key: doomed
                      deps: [greeting]
            """,
            "defs/scripts/write.py": """
            import os
            import sys
            from pathlib import Path

            Path("out.txt").write_text(sys.argv[1] + os.environ["GREETING_SUFFIX"])
            print("wrote it")
            """,
            "defs/scripts/fail.py": "import sys\nprint('bad', file=sys.stderr)\nsys.exit(3)\n",
        }
    )
    defs = load(root)
    assert parents(defs, "doomed") == {"greeting"}
    graph = defs.resolve_asset_graph()
    assert str(graph.location(dg.AssetKey("greeting"))) == "defs/scripts/defs.yaml:8:16"
    result = dg.materialize(defs, raise_on_error=False)
    assert (root / "defs" / "scripts" / "out.txt").read_text() == "hello!"
    assert result.succeeded_keys == [dg.AssetKey("greeting")]
    assert result.failed_keys == [dg.AssetKey("doomed")]
    [materialization] = [
        m
        for m in result.get_asset_materialization_events()
        if m.asset_key == dg.AssetKey("greeting")
    ]
    assert materialization.metadata["exit_code"] == 0
    assert "wrote it" in materialization.metadata["stdout_tail"]


def test_a_missing_script_is_reported(project: WriteProject) -> None:
    root = project(
        {
            "defs/scripts/defs.yaml": """
            type: PythonScriptComponent
            attributes:
              scripts:
                - path: nope.py
                  assets: [{key: a}]
            """,
        }
    )
    [error] = load_errors(root)
    assert error.startswith(
        "defs/scripts/defs.yaml:1:7: `PythonScriptComponent.build_defs` raised "
        "FileNotFoundError: no script nope.py in "
    )


def test_asset_specs_of_a_script_are_validated(project: WriteProject) -> None:
    root = project(
        {
            "defs/scripts/defs.yaml": """
            type: PythonScriptComponent
            attributes:
              scripts:
                - path: a.py
                  assets: [{key: a, group: x}]
            """,
        }
    )
    assert load_errors(root) == [
        "defs/scripts/defs.yaml:5:25: attributes.scripts[0].assets[0]: unknown attribute "
        "`group` — did you mean `group_name`?"
    ]


def test_one_script_materializes_several_assets(project: WriteProject) -> None:
    root = project(
        {
            "defs/scripts/defs.yaml": """
            type: PythonScriptComponent
            attributes:
              scripts:
                - path: both.py
                  assets: [{key: left}, {key: right}]
            """,
            "defs/scripts/both.py": "print('ok')\n",
        }
    )
    result = dg.materialize(load(root))
    assert sorted(k.to_user_string() for k in result.succeeded_keys) == ["left", "right"]
    assert {m.metadata["exit_code"] for m in result.get_asset_materialization_events()} == {0}


def test_dagsters_attribute_shape_execution_and_assets(project: WriteProject) -> None:
    root = project(
        {
            "defs/generate_revenue_report/defs.yaml": """
            type: dagster.PythonScriptComponent
            attributes:
              execution:
                path: generate_revenue_report.py
              assets:
                - key: revenue_report
                  deps: [sales]
            """,
            "defs/generate_revenue_report/generate_revenue_report.py": (
                "from pathlib import Path\nPath('report.txt').write_text('42')\n"
            ),
        }
    )
    defs = load(root)
    assert parents(defs, "revenue_report") == {"sales"}
    result = dg.materialize(defs)
    assert result.succeeded_keys == [dg.AssetKey("revenue_report")]
    assert (root / "defs/generate_revenue_report/report.txt").read_text() == "42"


def test_execution_without_assets_is_reported(project: WriteProject) -> None:
    root = project(
        {
            "defs/s/defs.yaml": """
            type: PythonScriptComponent
            attributes:
              execution: {path: a.py}
            """,
        }
    )
    [error] = load_errors(root)
    assert "`execution` and `assets` go together" in error
