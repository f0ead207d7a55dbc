"""The command line finds the desktop window through the program's own entry points."""

from __future__ import annotations

from frontdesk import cli

ENTRY_POINTS = """
[console_scripts]
frontdesk = frontdesk.cli:main

[frontdesk.shell]
run = ui.app:run
selftest=ui.app:self_test
"""


def test_a_group_of_entry_points_is_read_from_its_section():
    assert cli._section(ENTRY_POINTS, "frontdesk.shell") == {
        "run": "ui.app:run",
        "selftest": "ui.app:self_test",
    }
    assert cli._section(ENTRY_POINTS, "nothing") == {}


def test_the_installed_program_names_its_desktop_commands():
    assert cli._own_entry_points(cli.SHELL_ENTRY_POINTS) == {
        "run": "ui.app:run",
        "selftest": "ui.app:self_test",
    }
