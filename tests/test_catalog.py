"""Each name list exists once (pinnlab.catalog): the registries of the code and the config schema agree with it."""

import dataclasses

from pinnlab import catalog, paper
from pinnlab.config import schema
from pinnlab.nets import INITS
from pinnlab.pdes import PDE_CLASSES
from pinnlab.training.methods import BUILDERS


def test_registries_name_what_the_catalog_names():
    assert set(PDE_CLASSES) == set(catalog.PDES)
    assert {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in PDE_CLASSES.items()} == \
        catalog.PDE_CONSTANTS
    assert set(catalog.LBFGS_METHODS) == {m for m, build in BUILDERS.items() if build is BUILDERS["adam_lbfgs"]}
    assert set(INITS) == set(catalog.NETWORK_INITS)
    assert set(BUILDERS) == set(catalog.TRAINED_METHODS)
    assert set(catalog.CONTINUES) | set(catalog.CONTINUES.values()) <= set(catalog.TRAINED_METHODS)


def test_the_paper_s_table_uses_the_catalog_s_names():
    assert set(paper.TABLE2_PDES) <= set(catalog.PDES)
    assert list(paper.PAPER_METHODS) == [m for m in catalog.METHODS if m in paper.PAPER_METHODS]
    assert set(paper.PDE_LABELS) == set(catalog.PDES)


def test_the_schema_takes_its_enumerations_from_the_catalog():
    root = schema()
    assert root["$defs"]["pde_name"]["enum"] == list(catalog.PDES)
    assert root["$defs"]["scale_name"]["enum"] == list(catalog.SCALES)
    assert root["$defs"]["method_name"]["enum"] == [*catalog.METHODS, *catalog.CONTROLS]
    assert root["properties"]["scales"]["required"] == list(catalog.SCALES)
