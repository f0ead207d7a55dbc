"""The Settings screen: what the owner sets up once and changes now and then, one tab each."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.screens.audit_settings import AuditSection
from ui.screens.backups_settings import BackupsSection
from ui.screens.clinic_settings import ClinicSection, TherapistsSection
from ui.screens.export_settings import ExportSection
from ui.screens.fee_schedule import FeeScheduleSection
from ui.screens.users_settings import UsersSection
from ui.widgets import title


class SettingsScreen(QWidget):
    """The clinic's settings by section: the clinic, its therapists, the fee schedule."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clinic = ClinicSection(self)
        self.therapists = TherapistsSection(self)
        self.fee_schedule = FeeScheduleSection(self)
        self.backups = BackupsSection(self)
        self.audit = AuditSection(self)
        self.exports = ExportSection(self)
        self.users = UsersSection(self)
        self.sections = QTabWidget(self)
        self.sections.setAccessibleName("Settings sections")
        self.sections.setDocumentMode(True)
        self.sections.addTab(self.clinic, "Clinic")
        self.sections.addTab(self.therapists, "Therapists")
        self.sections.addTab(self.fee_schedule, "Fee schedule")
        self.sections.addTab(self.backups, "Backups")
        self.sections.addTab(self.audit, "Audit")
        self.sections.addTab(self.exports, "Export")
        self.sections.addTab(self.users, "Users")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title("Settings", self))
        layout.addWidget(self.sections, 1)

    def show_start(self) -> None:
        """The first section (the clinic) from its start."""
        self.sections.setCurrentIndex(0)
        self.clinic.show_start()

    def confirm_leave(self) -> bool:
        """Asks about unsaved changes to the clinic's profile; False keeps the screen."""
        return self.clinic.confirm_leave()
