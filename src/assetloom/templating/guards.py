"""The methods of plain values a template may call, and the size checks made *before* an
operation that multiplies its input (``'a' * n``, ``2 ** n``, ``s.center(n)``,
``x | batch(n)``) builds its result — a check after the fact would come too late.

Operations that can at most grow their input by a small factor (``upper``, ``escape``,
``tojson``) are not checked here; the sandbox weighs every result.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, Final

from assetloom.errors import TemplateError
from assetloom.templating.limits import TemplateLimits
from assetloom.templating.plain import TooLargeError, weigh

__all__ = ["FILTER_GUARDS", "METHODS", "check_binop", "check_method"]

#: The methods a template may call on plain values: none mutates, none reads or formats
#: through another object (``str.format`` is the classic escape), none returns bytes.
METHODS: Final[dict[type, frozenset[str]]] = {
    str: frozenset(
        {
            "capitalize", "casefold", "center", "count", "endswith", "find", "index", "isalnum",
            "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric",
            "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip",
            "partition", "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust",
            "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
            "swapcase", "title", "upper", "zfill"
        }
    ),
    list: frozenset({"count", "index", "copy"}),
    tuple: frozenset({"count", "index"}),
    dict: frozenset({"get", "items", "keys", "values", "copy"}),
    int: frozenset({"bit_length"}),
    float: frozenset({"is_integer"}),
    bool: frozenset(),
    type(None): frozenset(),
}

# A %-format conversion, with its width and precision.
_PERCENT_SPEC: Final = re.compile(
    r"%(?:\([^)]*\))?[#0\- +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?[hlL]?[a-zA-Z%]"
)


def check_binop(limits: TemplateLimits, operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` when its result would pass a limit."""
    if operator == "+":
        if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
            _within(limits, weigh(left, limits.max_output) + weigh(right, limits.max_output))
    elif operator == "*":
        _check_product(limits, left, right)
    elif operator == "**":
        _check_power(limits, left, right)
    elif operator == "%" and isinstance(left, str):
        check_percent_format(limits, left)


def check_method(limits: TemplateLimits, value: Any, name: str, args: tuple[Any, ...]) -> None:
    """Refuse a call of ``value.name(*args)`` whose result would pass a limit."""
    if not isinstance(value, str):
        return
    if name in ("center", "ljust", "rjust", "zfill") and args:
        _check_width(limits, args[0])
    elif name == "join" and args:
        _check_join(limits, value, args[0])
    elif name == "replace" and len(args) >= 2:
        _check_replace(limits, value, *args[:3])


def check_percent_format(limits: TemplateLimits, template: str) -> None:
    """``%``-formatting with a width or precision past the output limit is refused."""
    for match in _PERCENT_SPEC.finditer(template):
        for part in ("width", "precision"):
            number = match[part]
            if number == "*":
                raise TemplateError(f"a `*` {part} in %-formatting is not available in templates")
            if number is not None:
                _check_width(limits, int(number) if len(number) < 10 else math.inf)


def _within(limits: TemplateLimits, size: float) -> None:
    if size > limits.max_output:
        raise TooLargeError(limits.max_output)


def _check_width(limits: TemplateLimits, width: Any) -> None:
    if isinstance(width, int | float):
        _within(limits, width)


def _check_product(limits: TemplateLimits, left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        bits = abs(left).bit_length() + abs(right).bit_length()
        if bits > limits.max_int_bits:
            raise _too_big_integer(limits)
        return
    sequence, count = (left, right) if isinstance(right, int) else (right, left)
    if not isinstance(count, int) or count <= 0:
        return
    if isinstance(sequence, str):
        _within(limits, len(sequence) * count)
    elif isinstance(sequence, list | tuple):
        _within(limits, 1 + (weigh(sequence, limits.max_output) - 1) * count)


def _check_power(limits: TemplateLimits, base: Any, exponent: Any) -> None:
    if not (isinstance(base, int) and isinstance(exponent, int)):
        return
    if exponent > 0 and abs(base) > 1 and math.log2(abs(base)) * exponent > limits.max_int_bits:
        raise _too_big_integer(limits)


def _too_big_integer(limits: TemplateLimits) -> TemplateError:
    return TemplateError(
        f"integer result would exceed {limits.max_int_bits:,} bits (template_max_int_bits)"
    )


def _check_join(limits: TemplateLimits, separator: str, items: Any) -> None:
    if isinstance(items, str | list | tuple | dict):
        size = len(separator) * len(items) + weigh(items, limits.max_output)
        _within(limits, size)


def _check_replace(
    limits: TemplateLimits, text: str, old: Any, new: Any, count: Any = -1
) -> None:
    if not (isinstance(old, str) and isinstance(new, str)) or len(new) <= len(old):
        return
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    _within(limits, len(text) + found * (len(new) - len(old)))


# Filters: each guard takes the filter's own arguments (after any context it is passed).


def _center_guard(limits: TemplateLimits, value: Any, width: Any = 80, *_: Any) -> None:
    _check_width(limits, width)


def _indent_guard(
    limits: TemplateLimits, value: Any, width: Any = 4, *_: Any, **__: Any
) -> None:
    prefix = len(width) if isinstance(width, str) else width
    if isinstance(prefix, int):
        lines = str(value).count("\n") + 1 if isinstance(value, str) else 1
        _within(limits, prefix * lines)


def _join_guard(limits: TemplateLimits, value: Any, d: Any = "", *_: Any, **__: Any) -> None:
    if isinstance(d, str):
        _check_join(limits, d, value)


def _replace_guard(
    limits: TemplateLimits, value: Any, old: Any = "", new: Any = "", count: Any = None
) -> None:
    if isinstance(value, str):
        _check_replace(limits, value, old, new, -1 if count is None else count)


def _format_guard(limits: TemplateLimits, value: Any, *_: Any, **__: Any) -> None:
    if isinstance(value, str):
        check_percent_format(limits, value)


def _count_guard(limits: TemplateLimits, value: Any, count: Any = 1, *_: Any, **__: Any) -> None:
    """``batch(n)`` pads to ``n``, ``slice(n)`` makes ``n`` lists."""
    _check_width(limits, count)


def _tojson_guard(limits: TemplateLimits, value: Any, indent: Any = None) -> None:
    if isinstance(indent, int) and indent > 16:
        raise TemplateError("tojson: an indent over 16 is not available in templates")


def _sum_guard(
    limits: TemplateLimits, value: Any, attribute: Any = None, start: Any = 0, *_: Any
) -> None:
    # Adding lists copies the running total each time: quadratic, so only numbers add up.
    if not isinstance(start, int | float):
        raise TemplateError("sum: only numbers add up in templates")


FILTER_GUARDS: Final[dict[str, Callable[..., None]]] = {
    "center": _center_guard,
    "indent": _indent_guard,
    "join": _join_guard,
    "replace": _replace_guard,
    "format": _format_guard,
    "batch": _count_guard,
    "slice": _count_guard,
    "tojson": _tojson_guard,
    "sum": _sum_guard,
}
