"""A record's form page in a window of its own (a physician, an insurer)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from ui.form_page import RecordFormPage


class FormDialog(QDialog):
    """Shows `page`; accepted once it saves (`record_id` is then set), Esc asks first."""

    def __init__(self, page: RecordFormPage, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.page = page
        self.record_id: int | None = None
        page.setParent(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page)
        page.saved.connect(self._saved)
        page.cancelled.connect(self.reject)
        self.resize(560, 620)

    def _saved(self, record_id: int) -> None:
        self.record_id = record_id
        self.accept()

    def reject(self) -> None:
        """Esc or closing the window asks first about anything typed."""
        if self.page.confirm_leave():
            super().reject()
