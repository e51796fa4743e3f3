"""Templates in defs.yaml: native values, env, context, @template_var functions."""

from __future__ import annotations

import pytest

from assetloom.loading.session import LoadSession
from assetloom.project import Project
from tests.projects import WriteProject, load, load_errors, parents

COMPONENT = '''
import assetloom as dg


class Tables(dg.Component, dg.Model, dg.Resolvable):
    names: list[str]
    deps: list[str] = []
    retries: int = 0
    note: str | None = None

    @staticmethod
    @dg.template_var
    def default_deps() -> list[str]:
        return ["upstream"]

    def build_defs(self, context: dg.ComponentLoadContext) -> dg.Definitions:
        return dg.Definitions(
            assets=[
                dg.AssetSpec(
                    n,
                    deps=self.deps,
                    description=self.note,
                    metadata={"retries": self.retries},
                )
                for n in self.names
            ]
        )
'''

TEMPLATE_VARS = '''
import assetloom as dg


@dg.template_var
def regions() -> list[str]:
    return ["eu", "us"]


@dg.template_var
def root_name(context: dg.ComponentLoadContext) -> str:
    return context.project_root.name


@dg.template_var
def prefixed():
    return lambda prefix, name: f"{prefix}_{name}"


def not_a_template_var() -> str:
    return "hidden"
'''


def _project(project: WriteProject, defs_yaml: str) -> dict[str, object]:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/template_vars.py": TEMPLATE_VARS,
            "defs/t/defs.yaml": defs_yaml,
        }
    )
    graph = load(root).resolve_asset_graph()
    return {
        k.to_user_string(): (graph.spec(k).description, dict(graph.spec(k).metadata))
        for k in graph.executable_keys | {k for k in graph.all_keys if graph.location(k)}
    }


def test_a_template_yields_native_lists_and_numbers(project: WriteProject) -> None:
    assets = _project(
        project,
        """
        type: components.tables.Tables
        template_vars_module: .template_vars
        attributes:
          names: "{{ regions }}"
          retries: "{{ 2 + 1 }}"
        """,
    )
    assert assets == {"eu": (None, {"retries": 3}), "us": (None, {"retries": 3})}


def test_context_taking_vars_udfs_and_context_project_root(project: WriteProject) -> None:
    assets = _project(
        project,
        """
        type: components.tables.Tables
        template_vars_module: .template_vars
        attributes:
          names: ["{{ prefixed('raw', 'orders') }}"]
          note: "{{ root_name }} at {{ context.project_root.split('/')[-1] }}"
        """,
    )
    assert assets == {"raw_orders": ("proj at proj", {"retries": 0})}


def test_a_static_template_var_of_the_component_class(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [a]
              deps: "{{ default_deps }}"
            """,
        }
    )
    assert parents(load(root), "a") == {"upstream"}


def test_env_attribute_and_env_call_with_default(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOM_TEST_TABLE", "from_env")
    monkeypatch.delenv("QZX_NEVER_SET_IN_TESTS", raising=False)
    assets = _project(
        project,
        """
        type: components.tables.Tables
        attributes:
          names:
            - "{{ env.LOOM_TEST_TABLE }}"
            - "{{ env('QZX_NEVER_SET_IN_TESTS', 'fallback') }}"
          note: "{{ env.QZX_NEVER_SET_IN_TESTS | default('no note') }}"
        """,
    )
    assert assets == {
        "from_env": ("no note", {"retries": 0}),
        "fallback": ("no note", {"retries": 0}),
    }


def test_env_call_without_default_is_an_error(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QZX_NEVER_SET_IN_TESTS", raising=False)
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: ["{{ env('QZX_NEVER_SET_IN_TESTS') }}"]
            """,
        }
    )
    assert load_errors(root) == [
        "defs/t/defs.yaml:3:11: environment variable `QZX_NEVER_SET_IN_TESTS` is not set and no "
        "default was given"
    ]


def test_an_undefined_name_lists_every_available_name(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/template_vars.py": TEMPLATE_VARS,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            template_vars_module: .template_vars
            attributes:
              names: "{{ region }}"
            """,
        }
    )
    assert load_errors(root) == [
        "defs/t/defs.yaml:4:10: undefined name `region` in template; available names: "
        "context, default_deps, env, prefixed, regions, root_name — did you mean `regions`?"
    ]


def test_a_missing_template_vars_module(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            template_vars_module: .nothing_here
            attributes:
              names: "{{ 1 }}"
            """,
        }
    )
    assert load_errors(root) == [
        "defs/t/defs.yaml:2:23: template_vars_module `.nothing_here` not found: no module "
        "`.nothing_here`"
    ]


def test_a_template_var_that_raises(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/vars.py": """
            import assetloom as dg


            @dg.template_var
            def broken() -> str:
                raise RuntimeError("no catalog")
            """,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            template_vars_module: .vars
            attributes:
              names: "{{ broken }}"
            """,
        }
    )
    assert load_errors(root) == [
        "defs/t/defs.yaml:2:23: template var `defs.t.vars.broken` raised RuntimeError: "
        "no catalog"
    ]


def test_a_rendered_value_is_validated_at_the_template_position(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [a]
              retries: "{{ 'three' }}"
            """,
        }
    )
    assert load_errors(root) == [
        'defs/t/defs.yaml:4:12: attributes.retries: expected an integer, got "three" '
        "(a string)"
    ]


def test_an_unset_environment_variable_fails_the_load_with_a_suggestion(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendered as None, it used to pass every check and break inside the SQL at run time."""
    monkeypatch.setenv("LOOM_TEST_MIN_AMOUNT", "5")
    monkeypatch.delenv("LOOM_TEST_MIN_AMOUNTT", raising=False)
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [a]
              note: "WHERE amount > {{ env.LOOM_TEST_MIN_AMOUNTT }}"
            """,
        }
    )
    assert load_errors(root) == [
        "defs/t/defs.yaml:4:9: environment variable `LOOM_TEST_MIN_AMOUNTT` is not set and no "
        "default was given — did you mean `LOOM_TEST_MIN_AMOUNT`?"
    ]


def test_a_validation_error_hides_the_value_of_a_variable(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOOM_TEST_RETRIES", "s3cr3t-t0ken")
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: [a]
              retries: "{{ env.LOOM_TEST_RETRIES }}"
            """,
        }
    )
    [error] = load_errors(root)
    assert "s3cr3t" not in error
    assert error.startswith("defs/t/defs.yaml:4:12: attributes.retries: ")
    assert "<value of $LOOM_TEST_RETRIES>" in error


def test_template_vars_cross_over_as_plain_data(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/vars.py": """
            from pathlib import Path

            import assetloom as dg


            @dg.template_var
            def folder(context: dg.ComponentLoadContext) -> Path:
                return context.path


            @dg.template_var
            def names() -> tuple[str, ...]:
                return ("x", "y")
            """,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            template_vars_module: .vars
            attributes:
              names: "{{ names }}"
              note: "{{ folder.split('/')[-2:] | join('/') }}"
            """,
        }
    )
    graph = load(root).resolve_asset_graph()
    assert {k.to_user_string(): graph.spec(k).description for k in graph.all_keys} == {
        "x": "defs/t",
        "y": "defs/t",
    }


def test_a_template_var_that_is_not_data_is_refused_at_the_module(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/vars.py": """
            import threading

            import assetloom as dg


            @dg.template_var
            def lock():
                return threading.Lock()
            """,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            template_vars_module: .vars
            attributes:
              names: ["{{ lock }}"]
            """,
        }
    )
    assert load_errors(root) == [
        "defs/t/defs.yaml:2:23: template var `defs.t.vars.lock`: template name `lock` is a "
        "`lock`, which templates cannot use (only strings, numbers, booleans, None, lists, "
        "dicts and functions)"
    ]


def test_the_load_context_gives_templates_strings_not_paths(project: WriteProject) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: ["{{ context.project_root.joinpath('defs', 'evil.py') }}"]
            """,
        }
    )
    assert load_errors(root) == [
        "defs/t/defs.yaml:3:11: the template sandbox does not allow this: access to attribute "
        "'joinpath' of 'str' object is unsafe"
    ] or load_errors(root) == [
        "defs/t/defs.yaml:3:11: str value has no attribute `joinpath` — did you mean `join`?"
    ]
    assert not (root / "defs" / "evil.py").exists()


def test_check_yaml_reports_template_syntax_errors_without_importing_template_vars(
    project: WriteProject,
) -> None:
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/vars.py": """
            raise RuntimeError("imported")
            """,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            template_vars_module: .vars
            attributes:
              names: ["{{ upstream( }}", "fine", "{{ x | lenght }}"]
              note: "{% if x %}unclosed"
            """,
        }
    )
    [report] = LoadSession(Project.at(root)).check_documents([root / "defs/t/defs.yaml"])
    assert sorted(str(problem) for problem in report.problems) == [
        "defs/t/defs.yaml:4:11: template syntax error: unexpected '}', expected ')'",
        "defs/t/defs.yaml:4:38: template syntax error: no filter named `lenght` — did you "
        "mean `length`?",
        "defs/t/defs.yaml:5:9: template syntax error: Unexpected end of template. Jinja was "
        "looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block "
        "that needs to be closed is 'if'",
    ]


def test_every_failing_template_of_a_document_is_reported(
    project: WriteProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QZX_NEVER_SET_IN_TESTS", raising=False)
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: ["{{ self }}", "ok", "{{ 'x'.format() }}"]
              note: "{{ env.QZX_NEVER_SET_IN_TESTS }}"
            """,
        }
    )
    errors = load_errors(root)
    assert [error.split(": ")[0] for error in errors] == [
        "defs/t/defs.yaml:3:11",
        "defs/t/defs.yaml:3:31",
        "defs/t/defs.yaml:4:9",
    ]
    assert "undefined name `self`" in errors[0]
    assert "'format' of 'str' object is unsafe" in errors[1]
    assert "`QZX_NEVER_SET_IN_TESTS` is not set" in errors[2]


def test_a_failing_template_does_not_hide_a_wrong_value_next_to_it(
    project: WriteProject,
) -> None:
    """The load reports what check yaml reports about the rest of the document as well."""
    root = project(
        {
            "components/tables.py": COMPONENT,
            "defs/t/defs.yaml": """
            type: components.tables.Tables
            attributes:
              names: ["{{ undefined_name }}"]
              retries: "3"
            """,
        }
    )
    errors = load_errors(root)
    assert [e.split(": ")[0] for e in errors] == ["defs/t/defs.yaml:3:11", "defs/t/defs.yaml:4:12"]
    assert "undefined_name" in errors[0]
    assert 'retries: expected an integer, got "3" (a string)' in errors[1]
