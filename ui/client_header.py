"""The header strip showing the client in focus: name, age, alerts."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QWidget

from frontdesk import formatting
from ui.flow_layout import FlowLayout
from ui.widgets import ElidedLabel, alert_chips


class ClientHeader(QFrame):
    """Shown wherever a client is in focus; hidden otherwise. Alerts wrap onto more lines.

    The program starts with no client in focus, so the strip's labels are made when the
    first client is shown.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientHeader")
        self.chips: list[QLabel] = []
        self.hide()

    def _make_labels(self) -> None:
        self.name_label = ElidedLabel(parent=self)
        self.name_label.setAccessibleName("Client in focus")
        font = self.name_label.font()
        font.setBold(True)
        self.name_label.setFont(font)
        self.details = QLabel(self)
        layout = FlowLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(self.name_label)
        layout.addWidget(self.details)

    def show_client(self, client_id: int) -> None:
        from frontdesk.services import clients, coverage  # loaded after the window is shown

        if self.layout() is None:
            self._make_labels()
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
