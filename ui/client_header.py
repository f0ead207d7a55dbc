"""The header strip showing the client in focus: name, age, alerts."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QWidget

from frontdesk import formatting
from ui.flow_layout import FlowLayout
from ui.widgets import ElidedLabel, alert_chips


class ClientHeader(QFrame):
    """Shown wherever a client is in focus; hidden otherwise. Alerts wrap onto more lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientHeader")
        self.name_label = ElidedLabel(parent=self)
        self.name_label.setAccessibleName("Client in focus")
        font = self.name_label.font()
        font.setBold(True)
        self.name_label.setFont(font)
        self.details = QLabel(self)
        self.chips: list[QLabel] = []
        layout = FlowLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(self.name_label)
        layout.addWidget(self.details)
        self.hide()

    def show_client(self, client_id: int) -> None:
        from frontdesk.services import clients, coverage  # loaded after the window is shown

        client = clients.get_client(client_id)
        self.name_label.setText(client.display_name)
        payer = coverage.primary_payer_names([client.id]).get(client.id, "Self-pay")
        self.details.setText(
            f"Age {formatting.age(client.date_of_birth)} · "
            f"born {formatting.us_date(client.date_of_birth)} · {payer}"
        )
        for old in self.chips:
            self.layout().removeWidget(old)
            old.hide()
            old.deleteLater()
        self.chips = alert_chips(clients.health_alerts(client), self)
        for new in self.chips:
            self.layout().addWidget(new)
        self.show()

    def clear(self) -> None:
        self.hide()
