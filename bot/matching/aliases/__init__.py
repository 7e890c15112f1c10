"""One entity, all its names: the alias table (`table`, data in `entities.toml`) and how a
query expands with it at compile time (`expand`). Import the modules themselves: this package
imports nothing, so the analyzer can use the table without a cycle."""
