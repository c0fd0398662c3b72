"""Stacks and exception chains: frames in call order, the raise site, collapsed library runs.

A stack is kept in call order (the entry point first, the frame that raised last), as Sentry
sends it and as a developer reads a traceback. The innermost frame is the raise site whatever
its origin (Ruby's `1 / 0` inside `raven/cli.rb` is raised there, not in the outermost in-app
frame). Context lines and (empty) local variables are kept for the raise site and in-app
frames; a run of library frames longer than `COLLAPSE_RUN` is folded into the next shown
frame's `hiddenBefore` ({"count", "first", "last"}), which pages and prompts show as one line.
"""

from sentry_manager.lib.secrets import is_blank

from .values import as_dict, as_int, as_list, text, values_of

MAX_FRAMES = 60
COLLAPSE_RUN = 4
MAX_CONTEXT_LINES = 7
MAX_EXCEPTIONS = 10
MAX_VARS = 20
# When an SDK says nothing about in_app, paths like these are somebody else's code.
LIBRARY_MARKERS = (
    "site-packages",
    "dist-packages",
    "node_modules",
    "/vendor/",
    "/gems/",
    "/.rubies/",
    "/lib/python",
    "/usr/lib/",
    "<frozen",
    "webpack/bootstrap",
)
LIBRARY_MODULES = ("java.", "javax.", "jdk.", "sun.", "kotlin.", "kotlinx.", "android.", "dalvik.")


def _context(raw: dict, lineno) -> tuple[list, str | None, list]:
    if isinstance(raw.get("context"), list):  # web API: [[lineno, text], ...]
        pre, line, post = [], None, []
        for item in raw["context"]:
            if not (isinstance(item, list) and len(item) == 2):
                continue
            number, source = item
            if number == lineno:
                line = source
            elif line is None:
                pre.append(source)
            else:
                post.append(source)
        return pre, line, post
    return (
        as_list(raw.get("pre_context")),
        raw.get("context_line"),
        as_list(raw.get("post_context")),
    )


def _in_app(raw: dict, path: str, module: str) -> bool:
    flag = raw.get("in_app", raw.get("inApp"))
    if flag is not None:
        return bool(flag)
    lowered = path.lower()
    return not (
        any(marker in lowered for marker in LIBRARY_MARKERS) or module.startswith(LIBRARY_MODULES)
    )


def _var_name(name) -> str:
    return text(name, 100).strip().strip("'\"")


def _empty_locals(variables) -> dict:
    """Only empty locals (None, 0, "", [], {}): the evidence of most crashes, and nobody's data
    (scrubbing keeps no others; this holds for unscrubbed input too)."""
    found = {}
    for name, value in as_dict(variables).items():
        if is_blank(value):
            found[_var_name(name)] = value if isinstance(value, str) else repr(value)
            if len(found) == MAX_VARS:
                break
    return found


def frame_of(raw) -> dict:
    """One frame in our shape (any SDK's, the web API's, native ones)."""
    raw = as_dict(raw)
    lineno = as_int(raw.get("lineno", raw.get("lineNo")))
    package = text(raw.get("package"), 500)
    path = raw.get("filename") or raw.get("abs_path") or raw.get("absPath")
    filename = text(path or package.rsplit("/", 1)[-1], 500)
    module = text(raw.get("module"), 500)
    function = (
        raw.get("function")
        or raw.get("symbol")
        or raw.get("raw_function")
        or raw.get("rawFunction")
        or raw.get("instruction_addr")
        or raw.get("instructionAddr")
    )
    pre, line, post = _context(raw, lineno)
    return {
        "filename": filename,
        "absPath": text(raw.get("abs_path") or raw.get("absPath"), 500),
        "module": module,
        "package": package,
        "function": text(function, 500),
        "lineno": lineno,
        "colno": as_int(raw.get("colno", raw.get("colNo"))),
        "instructionAddr": text(raw.get("instruction_addr") or raw.get("instructionAddr"), 40),
        "inApp": _in_app(raw, f"{filename} {raw.get('abs_path') or ''}", module),
        "isRaiseSite": False,
        "preContext": [text(x, 300) for x in pre[-(MAX_CONTEXT_LINES // 2) :]],
        "contextLine": text(line, 300).rstrip("\n") if line is not None else "",
        "postContext": [text(x, 300) for x in post[: MAX_CONTEXT_LINES // 2]],
        "vars": _empty_locals(raw.get("vars")),
        "hiddenBefore": None,
    }


def frame_label(frame: dict) -> str:
    """`checkout/pricing.py:43 in apply_discount`."""
    where = frame["filename"] or frame["module"] or frame["package"] or "?"
    line = f":{frame['lineno']}" if frame["lineno"] is not None else ""
    return f"{where}{line} in {frame['function'] or '?'}"


def _bare(frame: dict) -> dict:
    """A library frame away from the raise site: where it is, without source or locals."""
    for key in ("preContext", "postContext"):
        frame[key] = []
    frame["contextLine"] = ""
    frame["vars"] = {}
    return frame


def stack_of(raw_frames) -> list[dict]:
    """The frames to show, in call order, the raise site last, long library runs folded."""
    frames = [frame_of(raw) for raw in as_list(raw_frames)]
    if not frames:
        return []
    last = len(frames) - 1
    frames[last]["isRaiseSite"] = True
    keep = {0, last, last - 1} if last else {0}
    run = []
    for index, frame in enumerate(frames + [{"inApp": True}]):  # a sentinel closes the last run
        if frame["inApp"]:
            if len(run) < COLLAPSE_RUN:
                keep.update(run)
            keep.add(min(index, last))
            run = []
        else:
            run.append(index)
    kept = sorted(keep)
    if len(kept) > MAX_FRAMES:  # the outermost few and the innermost many
        kept = kept[:10] + kept[-(MAX_FRAMES - 10) :]
    shown, previous = [], -1
    for index in kept:
        frame = frames[index]
        if not (frame["inApp"] or frame["isRaiseSite"]):
            _bare(frame)
        hidden = frames[previous + 1 : index]
        if hidden:
            frame["hiddenBefore"] = {
                "count": len(hidden),
                "first": frame_label(hidden[0]),
                "last": frame_label(hidden[-1]),
                "library": not any(f["inApp"] for f in hidden),
            }
        shown.append(frame)
        previous = index
    return shown


def raise_site(stack: list[dict]) -> dict | None:
    return stack[-1] if stack else None


def _link(raw: dict, platform: str) -> str:
    """How the exception raised after this one relates to it."""
    source = as_dict(raw.get("mechanism")).get("source")
    if source == "__cause__" or (platform != "python" and source != "__context__"):
        return "caused by"
    return "raised while handling"


def exceptions_of(values, threads: list[dict], platform: str) -> list[dict]:
    """The chain, the raised exception first, then what it was handling (or caused by)."""
    chain = []
    for raw in reversed(as_list(values)[-MAX_EXCEPTIONS:]):
        raw = as_dict(raw)
        mechanism = as_dict(raw.get("mechanism"))
        stacktrace = as_dict(raw.get("stacktrace") or raw.get("rawStacktrace"))
        raw_frames = as_list(stacktrace.get("frames"))
        thread = None
        if not raw_frames:  # native and JVM SDKs put the stack on the crashed thread
            thread = _thread_for(raw, threads)
            raw_frames = thread["rawFrames"] if thread else []
        stack = stack_of(raw_frames)
        chain.append(
            {
                "type": text(raw.get("type"), 300) or "Error",
                "value": text(raw.get("value")),
                "module": text(raw.get("module"), 300),
                "mechanism": text(mechanism.get("type"), 100),
                "handled": mechanism.get("handled"),
                "link": _link(raw, platform) if chain else "",
                "thread": thread["name"] if thread else "",
                "frames": stack,
                "frameCount": len(raw_frames),
                "libraryFrameCount": sum(
                    not f["inApp"] for f in (frame_of(r) for r in raw_frames[-200:])
                ),
            }
        )
    return chain


def threads_of(container) -> list[dict]:
    threads = []
    for raw in values_of(container)[:50]:
        raw = as_dict(raw)
        stacktrace = as_dict(raw.get("stacktrace") or raw.get("rawStacktrace"))
        threads.append(
            {
                "id": text(raw.get("id"), 40),
                "name": text(raw.get("name") or raw.get("id"), 100),
                "crashed": bool(raw.get("crashed")),
                "current": bool(raw.get("current")),
                "rawFrames": as_list(stacktrace.get("frames")),
            }
        )
    return threads


def _thread_for(raw_exception: dict, threads: list[dict]) -> dict | None:
    thread_id = raw_exception.get("thread_id", raw_exception.get("threadId"))
    with_frames = [t for t in threads if t["rawFrames"]]
    for thread in with_frames:
        if thread_id is not None and thread["id"] == str(thread_id):
            return thread
    return next((t for t in with_frames if t["crashed"]), None) or next(
        (t for t in with_frames if t["current"]), None
    )


def exception_label(exc: dict) -> str:
    return f"{exc['type']}: {exc['value']}" if exc["value"] else exc["type"]


def chain_lines(exceptions: list[dict]) -> list[str]:
    """The chain as a person says it: "`RuntimeError: …` at `a.py:51 in quote`", then
    "raised while handling `KeyError: 'SPRING24'` at `a.py:43 in load`"."""
    lines = []
    for exc in exceptions:
        site = raise_site(exc["frames"])
        where = f" at `{frame_label(site)}`" if site else ""
        prefix = f"{exc['link']} " if exc["link"] else ""
        lines.append(f"{prefix}`{exception_label(exc)[:400]}`{where}")
    return lines


def frame_anchor(exception_index, frame_index) -> str:
    """The id of a frame on a page: `frame-0-3` (exception 0, frame 3; `s` for a bare stack)."""
    return f"frame-{exception_index}-{frame_index}"


def _same_file(a: str, b: str) -> bool:
    a, b = a.strip().lstrip("/"), b.strip().lstrip("/")
    return bool(a and b) and (a == b or a.endswith("/" + b) or b.endswith("/" + a))


def _anchor_of(location: dict, stacks) -> str:
    """The frame a location points at: same file and line, else same file and function."""
    file = str(location.get("file") or "")
    candidates = [
        (index, position, frame)
        for index, frames in stacks
        for position, frame in enumerate(frames)
        if _same_file(file, frame["filename"])
    ]
    for key, wanted in (("lineno", location.get("line")), ("function", location.get("function"))):
        for index, position, frame in candidates:
            if wanted is not None and frame[key] == wanted:
                return frame_anchor(index, position)
    return ""


def link_locations(locations, event: dict | None) -> list[dict]:
    """Code locations (file, line, function) with the anchor of the frame they point at."""
    stacks = []
    if event:
        stacks = [(index, exc["frames"]) for index, exc in enumerate(event.get("exceptions", []))]
        if event.get("stack"):
            stacks.append(("s", event["stack"]["frames"]))
    return [{**location, "anchor": _anchor_of(location, stacks)} for location in locations or []]
