"""The shape of a table's definition: columns, keys, and what each output derives from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl
import pyarrow as pa

# Timestamps are stored in Hanoi time (the sources' own clock; see the spec).
TIME_ZONE = "Asia/Ho_Chi_Minh"


FieldType = Literal["string", "integer", "number", "datetime", "date", "boolean", "list"]
# A list of strings is stored as one string, items joined by this delimiter: the Table Schema v2
# `list` type, which the stock frictionless validator reads from Parquet (a Parquet list column
# it reads as an array object and rejects). The database's base views split it into a list.
LIST_DELIMITER = "; "

_POLARS: dict[str, pl.DataType] = {
    "string": pl.String(),
    "integer": pl.Int64(),
    "number": pl.Float64(),
    "datetime": pl.Datetime("us", TIME_ZONE),
    "date": pl.Date(),
    "boolean": pl.Boolean(),
    "list": pl.String(),
}
_ARROW: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "datetime": pa.timestamp("us", tz=TIME_ZONE),
    "date": pa.date32(),
    "boolean": pa.bool_(),
    "list": pa.string(),
}


@dataclass(frozen=True)
class Field:
    """A column: its name, logical type, meaning and the constraints that hold for it."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None

    @property
    def polars_dtype(self) -> pl.DataType:
        return _POLARS[self.type]

    @property
    def arrow_field(self) -> pa.Field:
        return pa.field(
            self.name,
            _ARROW[self.type],
            nullable=not self.required,
            metadata={"description": self.description},
        )

    @property
    def sql(self) -> str:
        """The column as the database's base view shows it: a list field as a list."""
        if self.type == "list":
            return f"string_split({self.name}, '{LIST_DELIMITER}') AS {self.name}"
        return self.name

    def frictionless(self) -> dict[str, Any]:
        """The Table Schema field descriptor."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.type in ("datetime", "date"):
            out["format"] = "default"
        if self.type == "list":
            out["delimiter"] = LIST_DELIMITER
            out["itemType"] = "string"
        out["description"] = self.description
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum is not None:
            constraints["enum"] = list(self.enum)
        if self.pattern is not None:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            out["constraints"] = constraints
        if self.type in ("integer", "number") and not self.required:
            # frictionless reads Parquet through pandas, which turns a null number into NaN.
            out["missingValues"] = ["", "nan"]
        return out


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A resource of the package: its columns, keys and description."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    @property
    def path(self) -> str:
        return f"{self.name}.parquet"

    @property
    def view(self) -> str:
        """The table's base view in the database: plural, as analysts name what they query."""
        return f"{self.name}s"

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    def __getitem__(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")

    def polars_schema(self) -> pl.Schema:
        return pl.Schema({f.name: f.polars_dtype for f in self.fields})

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [f.arrow_field for f in self.fields],
            metadata={"description": self.description, "primary_key": ",".join(self.primary_key)},
        )

    def conform(self, df: pl.DataFrame) -> pl.DataFrame:
        """Select and cast exactly this table's columns, in order."""
        return df.select(pl.col(f.name).cast(f.polars_dtype) for f in self.fields)

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema())

    def frictionless(self) -> dict[str, Any]:
        """The Frictionless Table Schema (v2) of this table."""
        schema: dict[str, Any] = {
            "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
            "fields": [f.frictionless() for f in self.fields],
            "primaryKey": list(self.primary_key),
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {
                    "fields": list(fk.fields),
                    "reference": {"resource": fk.resource, "fields": list(fk.reference_fields)},
                }
                for fk in self.foreign_keys
            ]
        return schema
