"""The header strip showing the client in focus: name, age, alerts."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from frontdesk import formatting
from frontdesk.services import clients
from ui.widgets import SEVERITY_ROLE, chip


class ClientHeader(QFrame):
    """Shown wherever a client is in focus; hidden otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientHeader")
        self.name_label = QLabel(self)
        self.name_label.setAccessibleName("Client in focus")
        font = self.name_label.font()
        font.setBold(True)
        self.name_label.setFont(font)
        self.details = QLabel(self)
        self.chips = QHBoxLayout()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(self.name_label)
        layout.addWidget(self.details)
        layout.addLayout(self.chips)
        layout.addStretch(1)
        self.hide()

    def show_client(self, client_id: int) -> None:
        client = clients.get_client(client_id)
        self.name_label.setText(client.display_name)
        self.details.setText(
            f"Age {formatting.age(client.date_of_birth)} · "
            f"born {formatting.us_date(client.date_of_birth)}"
        )
        while self.chips.count():
            self.chips.takeAt(0).widget().deleteLater()
        for alert in clients.health_alerts(client):
            self.chips.addWidget(chip(alert.label, SEVERITY_ROLE[alert.severity], self))
        self.show()

    def clear(self) -> None:
        self.hide()
