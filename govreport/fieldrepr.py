"""One ``repr`` for govreport's attrs classes, written once instead of compiled for each class.

attrs makes a class's methods by writing their source and compiling it when the class is made. A repr is
an f-string with a part for each field, which Python 3.11's compiler parses field by field: for the ~50
classes ``import govreport`` makes, the reprs were a third of the compiling, about 10 ms of every start.
The classes are therefore made with ``repr=False`` and take :class:`FieldRepr`'s method, which gives the
text attrs would (the class's name and each shown field as ``name=value``) by reading the fields when a
repr is asked for, which is rare.

>>> import attrs
>>> @attrs.frozen(repr=False)
... class Money(FieldRepr):
...     amount: int
...     unit: str = attrs.field(default="元", repr=False)
>>> Money(3)
Money(amount=3)
"""

from __future__ import annotations

from typing import cast

import attrs


class FieldRepr:
    """The repr of an attrs class from its fields (``repr=False`` fields left out, a field's own repr
    callable used)."""

    __slots__ = ()

    def __repr__(self) -> str:
        cls = cast("type[attrs.AttrsInstance]", type(self))  # every subclass is an attrs class
        parts = []
        for field in attrs.fields(cls):
            if field.repr is False:
                continue
            show = field.repr if callable(field.repr) else repr
            parts.append(f"{field.name}={show(getattr(self, field.name))}")
        return f"{cls.__qualname__}({', '.join(parts)})"
