"""The jinja2 sandbox templates run in: plain data in, plain data out, bounded work.

jinja2's own sandbox blocks underscore attributes and mutation of builtin containers, but it
calls any other public method of any object it is handed, and nothing bounds time or size.
This one is stricter:

- **Attributes**: a dict's keys; the allow-listed methods of plain values
  (:data:`guards.METHODS`); the documented attributes of ``loop`` and of a ``groupby`` group.
  Nothing else — no dunder, no ``str.format``, no method of any other object.
- **Calls**: ``env``, the scope's :class:`TemplateFunction` s, ``range`` (bounded), ``dict``,
  macros, ``loop`` and the allow-listed methods. ``cycler``, ``joiner``, ``namespace`` and
  ``lipsum`` are gone; ``self`` is an undefined name like any other; ``include``/``import``/
  ``extends`` do not compile; the ``attr`` filter and the filters that only make HTML
  (``urlize``, ``striptags``, ``xmlattr``, ``wordwrap``, ``pprint``) or are random are gone.
- **Work**: each call, lookup, operator, filter, comparison, loop iteration and printed chunk
  spends from the render's :class:`RenderBudget` (time, iterations, printed characters);
  operators and filters that multiply their input are checked before they run
  (:mod:`guards`), and every value built is weighed against ``max_output``. The compiled code
  is made to report these steps by rewriting the template's syntax tree before code
  generation: loops iterate through a counting filter, literals and ``~`` through weighing
  ones, comparisons and printed text through ticking ones.
"""

from __future__ import annotations

import functools
import itertools
import types
from collections.abc import Callable, Iterable, Iterator, MappingView
from typing import Any, Final

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from jinja2.filters import _GroupTuple
from jinja2.runtime import Context, LoopContext, Macro, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing, pass_context
from jinja2.visitor import NodeTransformer

from assetloom.errors import TemplateError
from assetloom.templating.guards import FILTER_GUARDS, METHODS, check_binop, check_method
from assetloom.templating.limits import TemplateLimits, active_budget
from assetloom.templating.plain import TooLargeError, to_plain, weigh
from assetloom.templating.scope import EnvAccessor, TemplateFunction

__all__ = ["LoomSandbox", "UndefinedUsed", "attributes_of"]

REMOVED_FILTERS: Final = frozenset(
    {"attr", "pprint", "random", "striptags", "urlize", "wordwrap", "xmlattr"}
)
LOOP_ATTRIBUTES: Final = frozenset(
    {
        "index", "index0", "revindex", "revindex0", "first", "last", "length",
        "depth", "depth0", "previtem", "nextitem", "cycle", "changed",
    }
)
GROUP_ATTRIBUTES: Final = frozenset({"grouper", "list", "count", "index"})
LOOP_METHODS: Final = frozenset({"cycle", "changed"})
# Internal filters the rewritten syntax tree calls; a `-` keeps template code from naming them.
_LOOP: Final = "loom-loop"
_WEIGH: Final = "loom-weigh"
_CONCAT: Final = "loom-concat"
_TICK: Final = "loom-tick"
_NAME: Final = "loom-name"
_REFUSED_NODES: Final = {
    nodes.Extends: "extends",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from ... import",
}


class UndefinedUsed(UndefinedError):
    """An undefined value was used; carries it so the message can name what was missing."""

    def __init__(self, undefined: Undefined) -> None:
        super().__init__(undefined._undefined_message)
        self.undefined = undefined


def _fail(self: Undefined, *args: Any, **kwargs: Any) -> Any:
    if self._undefined_exception is SecurityError:
        raise SecurityError(self._undefined_message)
    raise UndefinedUsed(self)


class LoudUndefined(StrictUndefined):
    """Using an undefined value fails, with the value attached to the error."""

    __slots__ = ()


# jinja2 binds `__str__`, `__iter__`, `__add__`... to the failing method itself when it
# defines the class, so overriding only the method would not reach them.
for _klass in StrictUndefined.__mro__:
    for _name, _attribute in list(vars(_klass).items()):
        if _attribute is Undefined._fail_with_undefined_error:
            setattr(LoudUndefined, _name, _fail)


def _tick() -> None:
    budget = active_budget()
    if budget is not None:
        budget.tick()


def _ticked(value: Any) -> Any:
    _tick()
    return value


class LoomSandbox(ImmutableSandboxedEnvironment):
    """A jinja2 environment whose templates see plain data only and do bounded work."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, limits: TemplateLimits) -> None:
        super().__init__(
            undefined=LoudUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            finalize=self._printable,
        )
        self.limits = limits
        self.globals = {"range": self._range, "dict": dict}
        self.filters = {
            name: self._metered(name, function)
            for name, function in DEFAULT_FILTERS.items()
            if name not in REMOVED_FILTERS
        }
        self.filters.update(
            {
                _LOOP: pass_context(lambda _, iterable: self._counted(iterable)),
                _WEIGH: pass_context(lambda _, value: self._settle(value)),
                _CONCAT: pass_context(lambda _, parts: self._concat(parts)),
                _TICK: pass_context(lambda _, value: _ticked(value)),
                _NAME: pass_context(lambda context, name: self._resolve(context, name)),
            }
        )

    # --- what a template can reach ----------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return attr in attributes_of(obj)

    def is_safe_callable(self, obj: Any) -> bool:
        if isinstance(obj, EnvAccessor | TemplateFunction | Macro | LoopContext):
            return True
        if obj is dict or obj == self._range:
            return True
        if isinstance(obj, types.BuiltinMethodType | types.MethodType):
            owner = obj.__self__
            if isinstance(owner, LoopContext):
                return obj.__name__ in LOOP_METHODS
            return obj.__name__ in _methods_of(owner)
        return False

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        if type(obj) is dict and attribute in obj:  # a data key wins over a method name
            return obj[attribute]
        return self._attribute(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        if isinstance(obj, Undefined):
            return obj._fail_with_undefined_error()
        if isinstance(obj, EnvAccessor) and isinstance(argument, str):
            return self._environment_variable(obj, argument)
        if isinstance(obj, str | list | tuple | dict):
            try:
                return obj[argument]
            except (TypeError, LookupError):
                pass
        if isinstance(argument, str):
            return self._attribute(obj, argument)
        return self.undefined(obj=obj, name=argument)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        if isinstance(__obj, Undefined):  # `nope()` fails naming `nope`
            return __obj._fail_with_undefined_error()
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"{_describe(__obj)} cannot be called in templates")
        if isinstance(__obj, types.BuiltinMethodType):
            check_method(__self.limits, __obj.__self__, __obj.__name__, args)
        if isinstance(__obj, LoopContext) and args:  # a recursive loop's next level
            args = (__self._counted(args[0]), *args[1:])
        return __self._settle(__context.call(__obj, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _tick()
        check_binop(self.limits, operator, left, right)
        return self._settle(self.binop_table[operator](left, right))

    # --- compiling --------------------------------------------------------------------

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        """Rewrite the syntax tree so the generated code reports its work (see module doc)."""
        source = _Metering().visit(source)
        source.set_environment(self)
        return super()._generate(source, name, filename, defer_init=defer_init)

    # --- the budget's hooks -----------------------------------------------------------

    def _metered(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function`` (a jinja2 filter) checked before it runs and weighed after."""
        guard = FILTER_GUARDS.get(name)
        skip = 0 if getattr(function, "jinja_pass_arg", None) is None else 1
        limits = self.limits

        @functools.wraps(function)  # keeps `jinja_pass_arg`
        def metered(*args: Any, **kwargs: Any) -> Any:
            _tick()
            if guard is not None:
                guard(limits, *args[skip:], **kwargs)
            return self._settle(function(*args, **kwargs))

        return metered

    def _settle(self, value: Any) -> Any:
        """A value the template goes on with: iterators and dict views become lists, and
        nothing weighs more than ``max_output``."""
        if isinstance(value, Iterator | MappingView):
            items: Iterable[Any] = value  # type: ignore[assignment]
            value = list(itertools.islice(items, self.limits.max_output + 1))
        if isinstance(value, str | list | tuple | dict):
            weigh(value, self.limits.max_output)
        return value

    def _counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        budget = active_budget()
        for item in iterable:
            if budget is not None:
                budget.iterate()
            yield item

    def _range(self, *args: Any) -> list[int]:
        numbers = range(*args)
        try:
            size = len(numbers)
        except OverflowError:
            size = self.limits.max_range + 1
        if size > self.limits.max_range:
            raise TemplateError(
                f"range of {size:,} numbers exceeds {self.limits.max_range:,} "
                "(template_max_range)"
            )
        return list(numbers)

    def _concat(self, parts: list[Any]) -> str:
        texts = [self._text(part) for part in parts]
        if sum(map(len, texts)) > self.limits.max_output:
            raise TooLargeError(self.limits.max_output)
        return "".join(texts)

    def _printable(self, value: Any) -> str:
        """What ``{{ value }}`` prints; counts towards the template's output."""
        text = self._text(value)
        budget = active_budget()
        if budget is not None:
            budget.emit(len(text))
        return text

    def _text(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        return str(self.plain(value))

    def plain(self, value: Any) -> Any:
        """``value`` as the template's result: plain data, or an error — an undefined value
        fails as itself, a macro or function is refused."""
        return to_plain(value, limit=self.limits.max_output, other=_refuse_as_result)

    def _resolve(self, context: Context, name: str) -> Any:
        """A name jinja2 would bind to one of its own objects (``self``), looked up as data."""
        found = context.resolve_or_missing(name)
        return self.undefined(name=name) if found is missing else found

    # --- attributes -------------------------------------------------------------------

    def _attribute(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, Undefined):
            return obj._fail_with_undefined_error()
        if isinstance(obj, EnvAccessor) and not attribute.startswith("__"):
            return self._environment_variable(obj, attribute)
        if attribute in attributes_of(obj):
            return getattr(obj, attribute)
        if attribute.startswith("_") or hasattr(obj, attribute):
            return self.unsafe_undefined(obj, attribute)
        return self.undefined(obj=obj, name=attribute)

    def _environment_variable(self, env: EnvAccessor, name: str) -> Any:
        value = env.lookup(name)
        return self.undefined(obj=env, name=name) if value is None else value

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        return self.undefined(
            f"access to attribute {attribute!r} of {_kind(obj)!r} object is unsafe",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )


def _methods_of(value: Any) -> frozenset[str]:
    if isinstance(value, str):  # str subclasses too: Markup, from `escape`
        return METHODS[str]
    if isinstance(value, tuple):
        return GROUP_ATTRIBUTES if isinstance(value, _GroupTuple) else METHODS[tuple]
    return METHODS.get(type(value), frozenset())


def attributes_of(value: Any) -> frozenset[str]:
    """The attributes a template may read on ``value`` (its keys aside, for a dict)."""
    return LOOP_ATTRIBUTES if isinstance(value, LoopContext) else _methods_of(value)


def _kind(value: Any) -> str:
    if isinstance(value, TemplateFunction | types.FunctionType | types.BuiltinFunctionType):
        return "function"
    return type(value).__name__


def _describe(value: Any) -> str:
    if isinstance(value, types.BuiltinMethodType | types.MethodType):
        return f"`{_kind(value.__self__)}.{value.__name__}`"
    return f"a `{_kind(value)}` value"


def _refuse_as_result(value: Any) -> Any:
    if isinstance(value, Undefined):
        return value._fail_with_undefined_error()
    what = "a macro" if isinstance(value, Macro) else f"{_describe(value)}"
    raise TemplateError(f"a template must produce data, not {what}")


class _Metering(NodeTransformer):
    """The syntax-tree rewrite that makes compiled templates report their work."""

    def generic_visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> nodes.Node:
        for refused, statement in _REFUSED_NODES.items():
            if isinstance(node, refused):
                raise TemplateSyntaxError(
                    f"`{{% {statement} %}}` is not available in templates", node.lineno
                )
        return super().generic_visit(node, *args, **kwargs)

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _call(_LOOP, node.iter)
        return node

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        # Text between tags is printed through a ticking filter, so `{% for %}` bodies of
        # plain text count towards the output too.
        node.nodes = [
            _call(_TICK, nodes.Const(child.data, lineno=child.lineno))
            if isinstance(child, nodes.TemplateData)
            else child
            for child in node.nodes
        ]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _call(_CONCAT, nodes.List(node.nodes, lineno=node.lineno))

    def visit_List(self, node: nodes.List) -> nodes.Node:
        self.generic_visit(node)
        return _weighed(node, node.items)

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:
        if node.ctx == "store":
            return node
        self.generic_visit(node)
        return _weighed(node, node.items)

    def visit_Dict(self, node: nodes.Dict) -> nodes.Node:
        self.generic_visit(node)
        return _weighed(node, [part for pair in node.items for part in (pair.key, pair.value)])

    def visit_Compare(self, node: nodes.Compare) -> nodes.Node:
        self.generic_visit(node)
        return _call(_TICK, node)

    def visit_Test(self, node: nodes.Test) -> nodes.Node:
        self.generic_visit(node)
        return _call(_TICK, node)

    def visit_Name(self, node: nodes.Name) -> nodes.Node:
        if node.name == "self" and node.ctx == "load":
            return _call(_NAME, nodes.Const("self", lineno=node.lineno))
        return node


def _weighed(node: nodes.Expr, parts: list[nodes.Expr]) -> nodes.Expr:
    if all(isinstance(part, nodes.Const) for part in parts):
        return node  # a literal: as big as the template's own text
    return _call(_WEIGH, node)


def _call(filter_name: str, node: nodes.Node) -> nodes.Filter:
    return nodes.Filter(node, filter_name, [], [], None, None, lineno=node.lineno)

