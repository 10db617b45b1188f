# Bridge between the worker and one running soffice: connects over a UNO pipe, then reads one
# JSON request per stdin line and answers one JSON line on stdout. Run with /usr/bin/python3
# (the interpreter that has the `uno` module of Debian's LibreOffice packages).
#   {"op": "ping"}                                    -> {"ok": true}
#   {"op": "convert", "input": path, "output": path, "load": {...}, "store": {...},
#    "filterData": {...}}                              -> {"ok": true} | {"ok": false, "error": "..."}
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException


def props(values):
    result = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name = name
        p.Value = value
        result.append(p)
    return tuple(result)


def reply(payload):
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def connect(pipe_name, timeout):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name)
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class TooManyPages(Exception):
    pass


def page_count(doc):
    """Pages as they would print: Writer lays the text out through its controller; the others
    count what their renderer would output (slides, spreadsheet pages)."""
    if doc.supportsService("com.sun.star.text.TextDocument"):
        return doc.getCurrentController().PageCount
    return doc.getRendererCount(doc, props({"IsPrinter": True}))


def convert(desktop, request):
    load = dict(request.get("load", {}))
    # Never run macros, never update links (no remote content is fetched), never show UI.
    load.update({"Hidden": True, "ReadOnly": True, "MacroExecutionMode": 0, "UpdateDocMode": 0})
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(request["input"]), "_blank", 0, props(load))
    if doc is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        limit = request.get("maxPages")
        if limit:
            pages = page_count(doc)
            if pages > limit:
                raise TooManyPages("the document has %d pages; this server converts at most %d (PDF_MAX_PAGES)" % (pages, limit))
        store = dict(request.get("store", {}))
        store["Overwrite"] = True
        filter_data = request.get("filterData") or {}
        if filter_data:
            store["FilterData"] = uno.Any("[]com.sun.star.beans.PropertyValue", props(filter_data))
        doc.storeToURL(uno.systemPathToFileUrl(request["output"]), props(store))
    finally:
        try:
            doc.close(True)
        except Exception:
            doc.dispose()


def main():
    desktop = connect(sys.argv[1], float(sys.argv[2]))
    reply({"ready": True})
    for line in sys.stdin:
        try:
            request = json.loads(line)
            if request.get("op") == "ping":
                desktop.getComponents()
            else:
                convert(desktop, request)
            reply({"ok": True})
        except TooManyPages as error:
            reply({"ok": False, "code": "too_many_pages", "error": str(error)})
        except Exception as error:  # every UNO failure becomes an answer, not a dead bridge
            message = getattr(error, "Message", "") or str(error) or type(error).__name__
            reply({"ok": False, "error": type(error).__name__ + ": " + message.strip().splitlines()[0] if message.strip() else type(error).__name__})


if __name__ == "__main__":
    main()
