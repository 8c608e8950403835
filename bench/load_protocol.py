"""A browserless Streamlit client: speaks the app's own websocket protocol, as a browser tab does.

It connects to ``/_stcore/stream`` (subprotocol ``streamlit``), sends ``BackMsg.rerun_script``
with the client state a browser would send (page, query string, widget values) and reads the
``ForwardMsg`` answers until the run's ``script_finished``. From the deltas of a run it keeps what
a user sees: the widgets (id, label, options), the metric labels, the number of plotly charts and
of exception boxes. Nothing is drawn, so twenty of these cost a few percent of one core where
twenty Chromium tabs took more than one of the two cores the server runs on.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

FINISHED = ForwardMsg.ScriptFinishedStatus
# a run that ended in st.rerun / st.switch_page is followed by the run that answers it
ENDS_THE_ANSWER = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR}


@dataclass(frozen=True)
class Widget:
    """A widget the last run drew: its id and what the user sees of it."""

    kind: str
    id: str
    label: str
    options: tuple[str, ...] = ()


@dataclass
class Screen:
    """What one answer (the runs after one request) drew."""

    widgets: dict[str, Widget] = field(default_factory=dict)  # by label
    metric_labels: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    charts: int = 0
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False
    runs: int = 0  # script runs the answer took (a switch_page adds one)
    bytes: int = 0  # ForwardMsg bytes received

    def add(self, element: Any) -> None:
        """Keep what a user would see of one drawn element."""
        kind = element.WhichOneof("type")
        if kind is None:
            return
        body = getattr(element, kind)
        if kind == "metric":
            self.metric_labels.append(body.label)
        elif kind == "plotly_chart":
            self.charts += 1
        elif kind == "exception":
            self.exceptions.append(f"{body.type}: {body.message}"[:200])
        elif kind == "heading":
            self.headings.append(body.body)
        elif kind == "markdown" and body.body.lstrip().startswith("#"):
            self.headings.append(body.body.lstrip("# ").strip())
        if hasattr(body, "id") and hasattr(body, "label") and body.id:
            options = tuple(body.options) if hasattr(body, "options") else ()
            self.widgets[body.label] = Widget(kind, body.id, body.label, options)


class ProtocolSession:
    """One browser tab's worth of the Streamlit protocol, without the browser."""

    def __init__(self, url: str, timeout_s: float = 180.0) -> None:
        self.ws_url = url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.timeout_s = timeout_s
        self.ws: ClientConnection | None = None
        self.pages: dict[str, str] = {}  # url path -> page script hash, from the navigation
        self.page_hash = ""  # the page the server last ran

    async def open(self, cookie: str | None = None) -> None:
        """Open the websocket as a tab loading the app does (optionally with a cookie)."""
        headers = {"Cookie": cookie} if cookie else {}
        self.ws = await connect(
            self.ws_url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=headers,
            max_size=None,
            compression=None,
            open_timeout=self.timeout_s,
        )

    async def close(self) -> None:
        """Close the tab."""
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def load(self, path: str = "", query: str = "") -> Screen:
        """A page load of ``/path?query``: the first run of a tab, or typing the URL."""
        return await self._rerun(page_name=path, page_hash="", query=query, widgets={})

    async def open_page(self, path: str, query: str = "") -> Screen:
        """A click on a sidebar link: the page by its script hash, widget values kept."""
        return await self._rerun(
            page_name="", page_hash=self.pages.get(path, ""), query=query, widgets={}
        )

    async def set_widget(self, widget: Widget, value: Any, query: str = "") -> Screen:
        """A user changing one widget (a text, the option shown, or True for a button).

        Only the changed widget is sent: the server keeps the values of the others.
        """
        values = {widget.id: (widget.kind, value)}
        return await self._rerun("", self.page_hash, query, values)

    async def submit(self, fields: dict[Widget, Any], button: Widget) -> Screen:
        """Fill a form's fields and press its submit button, in one rerun as a browser does."""
        values = {w.id: (w.kind, v) for w, v in fields.items()}
        values[button.id] = (button.kind, True)
        return await self._rerun(page_name="", page_hash=self.page_hash, query="", widgets=values)

    async def _rerun(
        self, page_name: str, page_hash: str, query: str, widgets: dict[str, tuple[str, Any]]
    ) -> Screen:
        if self.ws is None:
            raise RuntimeError("open() first")
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = page_name
        state.page_script_hash = page_hash
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = self.ws_url
        for widget_id, (kind, value) in widgets.items():
            _put(state.widget_states.widgets.add(), widget_id, kind, value)
        await self.ws.send(msg.SerializeToString())
        return await asyncio.wait_for(self._answer(), self.timeout_s)

    async def _answer(self) -> Screen:
        """Read ForwardMsgs until the run that answers the request has finished."""
        assert self.ws is not None
        screen = Screen()
        async for raw in self.ws:
            data = raw if isinstance(raw, bytes) else raw.encode()
            screen.bytes += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                screen = Screen(bytes=screen.bytes)  # a fresh run: what an earlier one drew is gone
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                screen.add(fwd.delta.new_element)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_not_found":
                screen.page_not_found = True
            elif kind == "script_finished":
                screen.runs += 1
                if fwd.script_finished in ENDS_THE_ANSWER:
                    break
                # ended early for a rerun (st.rerun / st.switch_page): the next run draws anew
                screen = Screen(bytes=screen.bytes, runs=screen.runs)
        return screen


def _put(state: Any, widget_id: str, kind: str, value: Any) -> None:
    """One widget's value in the field a browser uses for that kind of widget."""
    state.id = widget_id
    if kind == "button":
        state.trigger_value = bool(value)
    elif kind in ("text_input", "text_area", "radio", "selectbox"):
        state.string_value = str(value)  # a radio or selectbox sends the option as shown
    elif kind == "checkbox":
        state.bool_value = bool(value)
    else:
        raise ValueError(f"no value encoding for a {kind} widget")


async def timed(step: Any) -> tuple[Screen, float]:
    """Await ``step``; its screen and the seconds it took."""
    t0 = time.perf_counter()
    screen = await step
    return screen, time.perf_counter() - t0
