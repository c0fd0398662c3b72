"""The knowledge base of the built-in analysis: common exception types and what they mean.

Data only. Each entry names the exception types it covers (as SDKs report them, without
module or namespace), optional phrases of the message that select it (lowercase; for generic
types such as `TypeError`, `Error` or a Go `panic`), the usual cause, the usual fix, and which
piece of evidence to look for at the raise site (`probe`: a zero divisor, a null receiver, a
missing key, an empty collection). Entries without types match on the message alone: they
give an unknown type a category when its message says enough ("connection refused").
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    topic: str  # what went wrong, as a noun phrase: "a division by zero"
    cause: str
    fix: str
    types: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    probe: str = ""  # "divisor" | "null" | "key" | "index" | ""


PY, JS, JAVA, RUBY, PHP, GO, NET = "python", "javascript", "java", "ruby", "php", "go", "dotnet"
NATIVE = "native"

ENTRIES = [
    # --- Null / None / undefined ------------------------------------------------------------
    Entry(
        "a null reference (a value is None/null/undefined/nil where an object was expected)",
        "The code reads an attribute, calls a method or indexes a value that is empty at this "
        "point: a lookup found nothing, an optional field was absent, or a step that fills it "
        "did not run.",
        "Find where the value should have been set; handle the empty case explicitly (return "
        "early, use a default, or raise a clear error) and make the upstream step guarantee it.",
        types=(
            "NullPointerException",
            "KotlinNullPointerException",
            "NullReferenceException",
            "ArgumentNullException",
            "NoMethodError",
        ),
        phrases=(
            "'nonetype'",
            "of undefined",
            "of null",
            "is undefined",
            "is null",
            "null object",
            "on null",
            "for nil",
            "nil pointer dereference",
            "undefined is not an object",
            "null is not an object",
            'because "',
        ),
        languages=(PY, JS, JAVA, RUBY, PHP, GO, NET),
        probe="null",
    ),
    Entry(
        "a call of something that is not a function",
        "The code calls a value that is not callable: a misspelt or renamed method, a property "
        "that holds data, or a module imported the wrong way (default vs named export).",
        "Check the name and the import of the callee; if it may be absent, test for it before "
        "calling.",
        types=("TypeError",),
        phrases=("is not a function", "object is not callable", "is not callable"),
        languages=(PY, JS),
    ),
    # --- Arithmetic -------------------------------------------------------------------------
    Entry(
        "a division by zero",
        "The divisor is 0 for this input: a count, a rate or a length that the code assumes to "
        "be positive is zero (an empty list, a missing setting read as 0, a rounding to 0).",
        "Handle a zero divisor before dividing: return a defined result (0, None, a message) or "
        "reject the input that makes it zero, at the place where that value is computed.",
        types=(
            "ZeroDivisionError",
            "DivisionByZeroError",
            "DivideByZeroException",
            "ArithmeticException",
            "FloatingPointError",
        ),
        phrases=(
            "division by zero",
            "divided by 0",
            "divide by zero",
            "/ by zero",
            "modulo by zero",
        ),
        languages=(PY, RUBY, PHP, JAVA, NET, GO),
        probe="divisor",
    ),
    Entry(
        "an arithmetic overflow",
        "A number grew past what its type holds (a loop that accumulates, a unit mistake such "
        "as milliseconds as seconds, or an unchecked input).",
        "Bound or validate the input, use a wider type or arbitrary precision where the domain "
        "needs it.",
        types=("OverflowError", "OverflowException"),
        languages=(PY, NET),
    ),
    # --- Lookups ----------------------------------------------------------------------------
    Entry(
        "a lookup of a key the mapping does not hold",
        "The code reads a key (from a dict, a hash, a config, a JSON body) that this input does "
        "not have: the key is optional, was renamed, or the data comes from another source.",
        "Read the key with a default or check for it first, and decide what the absence means; "
        "if it must be there, validate the data where it enters and say which key is missing.",
        types=("KeyError", "KeyNotFoundException", "NoSuchElementException"),
        phrases=("key not found", "undefined index", "undefined array key", "not present in"),
        languages=(PY, RUBY, PHP, JAVA, NET),
        probe="key",
    ),
    Entry(
        "an index outside the collection",
        "The code reads position N of a list, array or string that has fewer elements for this "
        "input (often an empty result).",
        "Check the length first (or iterate instead of indexing) and handle the empty case.",
        types=(
            "IndexError",
            "IndexOutOfBoundsException",
            "ArrayIndexOutOfBoundsException",
            "StringIndexOutOfBoundsException",
            "IndexOutOfRangeException",
            "ArgumentOutOfRangeException",
        ),
        phrases=("index out of range", "out of bounds", "list index", "index was out of range"),
        languages=(PY, JAVA, NET, GO),
        probe="index",
    ),
    Entry(
        "a record that does not exist",
        "The code fetches one row by id or filter and there is none: it was deleted, belongs to "
        "another tenant, or the id in the request is stale.",
        "Answer with a 404 (or a clear message) where ids come from users; elsewhere find out "
        "why the row is missing (deletion order, a race, a wrong filter).",
        types=(
            "DoesNotExist",
            "ObjectDoesNotExist",
            "Http404",
            "RecordNotFound",
            "ModelNotFoundException",
            "EntityNotFoundException",
            "EmptyResultDataAccessException",
        ),
        phrases=("matching query does not exist", "couldn't find", "no query results"),
        languages=(PY, RUBY, PHP, JAVA),
    ),
    Entry(
        "a sequence that was empty or held more than one element",
        "The code expects exactly one (or at least one) element and the data has none or several.",
        "Handle the empty and the duplicate case, or enforce uniqueness where the data is written.",
        types=("MultipleObjectsReturned", "StopIteration"),
        phrases=(
            "sequence contains no elements",
            "more than one element",
            "returned more than one",
        ),
        languages=(PY, NET),
    ),
    # --- Types and values -------------------------------------------------------------------
    Entry(
        "a value of the wrong type",
        "A value of an unexpected type reaches this code: a string where a number was expected "
        "(form and query values are strings), a list instead of an object, or a changed API.",
        "Convert or validate the value where it enters the system and reject the wrong type "
        "with a clear message.",
        types=("TypeError", "ClassCastException", "InvalidCastException", "ArgumentTypeError"),
        languages=(PY, JS, JAVA, RUBY, PHP, NET),
    ),
    Entry(
        "an attribute or method that the object does not have",
        "The object is not of the type the code assumes, or the attribute was renamed or is set "
        "only on some paths.",
        "Check the object's type and where the attribute is set; use the right type or guard "
        "the optional attribute.",
        types=("AttributeError",),
        languages=(PY,),
    ),
    Entry(
        "input the code cannot parse or accept",
        "A value does not have the format the code parses (a number, a date, an enum, JSON) or is "
        "outside the accepted range.",
        "Validate the input where it enters (form, serializer, request parsing) and answer with "
        "a clear error instead of failing deep in the code.",
        types=(
            "ValueError",
            "NumberFormatException",
            "FormatException",
            "IllegalArgumentException",
            "ArgumentException",
            "ArgumentError",
            "InvalidArgumentException",
            "ValidationError",
            "RecordInvalid",
            "ValidationException",
            "UnprocessableEntity",
            "DateTimeParseException",
        ),
        languages=(PY, JAVA, NET, RUBY, PHP),
    ),
    Entry(
        "text that is not valid JSON (or not the expected JSON)",
        "A body or file was parsed as JSON but holds something else: an HTML error page from an "
        "upstream service, an empty body, or a truncated document.",
        "Check the status and content type before parsing, log the first bytes on failure, and "
        "handle the non-JSON answer.",
        types=(
            "JSONDecodeError",
            "JsonException",
            "JsonParseException",
            "JsonMappingException",
            "ParserError",
            "SyntaxError",
        ),
        phrases=("unexpected token", "json", "expecting value"),
        languages=(PY, JS, JAVA, RUBY, PHP, NET),
    ),
    Entry(
        "text in an unexpected encoding",
        "Bytes were decoded with the wrong encoding (binary data, Latin-1 read as UTF-8).",
        "Decode with the encoding the source declares, or handle undecodable bytes explicitly.",
        types=("UnicodeDecodeError", "UnicodeEncodeError", "DecoderFallbackException"),
        languages=(PY, NET),
    ),
    Entry(
        "a name that is not defined at this point",
        "The code refers to a variable, function or constant that does not exist here: a typo, "
        "a missing import, or a variable set only on some branches.",
        "Define or import the name, or initialise the variable on every path before it is used.",
        types=(
            "NameError",
            "UnboundLocalError",
            "ReferenceError",
            "UninitializedPropertyAccessException",
        ),
        phrases=("is not defined", "undefined local variable", "undefined variable"),
        languages=(PY, JS, RUBY, PHP, JAVA),
    ),
    Entry(
        "a function called with the wrong arguments",
        "A function was called with too many or too few arguments, or with an unexpected keyword: "
        "the caller and the callee disagree after a change of signature.",
        "Align the call with the function's signature (or give the new parameter a default).",
        types=("ArgumentCountError",),
        phrases=("positional argument", "unexpected keyword argument", "wrong number of arguments"),
        languages=(PY, RUBY, PHP),
    ),
    # --- State -------------------------------------------------------------------------------
    Entry(
        "an operation called in a state that does not allow it",
        "The object is not ready for this call: it was already done (paid, closed, disposed), not "
        "yet initialised, or changed concurrently.",
        "Check the state before acting, make the operation idempotent, and handle the repeated "
        "or out-of-order call explicitly.",
        types=(
            "IllegalStateException",
            "InvalidOperationException",
            "InvalidStateError",
            "ObjectDisposedException",
            "ConcurrentModificationException",
            "UnsupportedOperationException",
            "NotSupportedException",
            "LogicException",
        ),
        languages=(JAVA, NET, JS, PHP),
    ),
    Entry(
        "code that is not implemented",
        "A branch or method that was left as a stub (NotImplementedError) was reached by real "
        "traffic.",
        "Implement the case, or reject it with a clear message before it gets here.",
        types=("NotImplementedError", "NotImplementedException"),
        languages=(PY, NET),
    ),
    Entry(
        "an explicit failure raised by the code",
        "The application (or a library) raised this error on purpose after a check failed; the "
        "message and the exception it was handling say which check.",
        "Read the check at the raise site and the chained exception; fix the condition it reports "
        "rather than the raise itself.",
        types=("RuntimeError", "AssertionError", "Exception", "Error", "StandardError"),
        languages=(PY, RUBY, JS, PHP, JAVA),
    ),
    Entry(
        "a process exit or signal",
        "The process was told to stop (exit, SIGTERM, Ctrl-C) while this work was running: a "
        "deploy, a scale-down, a timeout of the supervisor, or an explicit `exit` in the code.",
        "Make the work resumable or idempotent and finish or hand it back on shutdown; do not "
        "call exit inside library code.",
        types=("SystemExit", "SignalException", "Interrupt", "KeyboardInterrupt", "exit"),
        languages=(PY, RUBY),
    ),
    # --- Resources ---------------------------------------------------------------------------
    Entry(
        "recursion that never ends (or is too deep)",
        "A function calls itself (directly or through others) without reaching its base case for "
        "this input, or the data is nested deeper than the stack allows.",
        "Fix the base case or the cycle in the data; process deep structures iteratively.",
        types=("RecursionError", "StackOverflowError", "StackOverflowException"),
        phrases=("maximum call stack", "maximum recursion depth", "stack level too deep"),
        languages=(PY, JS, JAVA, NET, RUBY),
    ),
    Entry(
        "memory exhaustion",
        "The process ran out of memory: a whole table or file loaded at once, an unbounded cache "
        "or list, or a leak.",
        "Stream or paginate large data, bound caches, and look for what grows between requests.",
        types=("MemoryError", "OutOfMemoryError", "OutOfMemoryException", "NoMemoryError"),
        phrases=("out of memory", "allowed memory size"),
        languages=(PY, JAVA, NET, PHP, RUBY),
    ),
    # --- Dependencies ------------------------------------------------------------------------
    Entry(
        "a dependency that did not answer in time",
        "A database, HTTP service or queue was slower than the timeout: it is overloaded, the "
        "query is slow, or the network path is broken.",
        "Set explicit timeouts, retry idempotent calls with backoff, and check the dependency's "
        "latency and the query behind this call.",
        types=(
            "TimeoutError",
            "Timeout",
            "ReadTimeout",
            "ConnectTimeout",
            "SocketTimeoutException",
            "TimeoutException",
            "TaskCanceledException",
            "OperationCanceledException",
            "ReadTimeoutError",
        ),
        phrases=("timed out", "timeout", "deadline exceeded", "etimedout"),
        languages=(PY, JAVA, NET, RUBY, GO, JS),
    ),
    Entry(
        "a dependency that could not be reached",
        "The connection to a database, HTTP service or cache was refused or reset: it is down, "
        "restarting, listening elsewhere, or the host name does not resolve here.",
        "Check the dependency's address and health from this host; retry with backoff and fail "
        "with a clear message when it stays unreachable.",
        types=(
            "ConnectionError",
            "ConnectionRefusedError",
            "ConnectionResetError",
            "ConnectException",
            "UnknownHostException",
            "HttpRequestException",
            "FetchError",
            "NetworkError",
            "ECONNREFUSED",
            "OperationalError",
        ),
        phrases=(
            "connection refused",
            "econnrefused",
            "econnreset",
            "enotfound",
            "failed to fetch",
            "could not connect",
            "name or service not known",
            "network error",
        ),
        languages=(PY, JAVA, NET, JS, RUBY, GO),
    ),
    Entry(
        "an upstream service that answered with an error",
        "An HTTP call got an error status (4xx: this request was refused; 5xx: the service "
        "failed) and the code raised on it.",
        "Handle the error statuses the service documents; retry 5xx and 429 with backoff; show "
        "4xx causes to the caller.",
        types=("HTTPError", "ApiException", "ClientError", "ServerError", "RequestException"),
        phrases=(" 500 ", " 502 ", " 503 ", "bad gateway", "service unavailable", "failed with 5"),
        languages=(PY, JAVA, JS, RUBY, PHP),
    ),
    Entry(
        "missing permissions or credentials",
        "The code runs without the rights it needs: a file mode, a database grant, an expired or "
        "revoked token, a missing scope.",
        "Check which identity the code runs as and what it may do; renew or widen the credential, "
        "and handle the refusal with a clear message.",
        types=(
            "PermissionError",
            "PermissionDenied",
            "AccessDeniedException",
            "UnauthorizedAccessException",
            "SecurityException",
            "AuthenticationError",
            "Forbidden",
            "Unauthorized",
        ),
        phrases=("permission denied", "access denied", "unauthorized", "forbidden", "401", "403"),
        languages=(PY, JAVA, NET, PHP, JS),
    ),
    Entry(
        "a file or module that is not where the code looks",
        "A path or an import does not exist in this environment: a missing deploy artefact, a "
        "relative path resolved from another directory, or an optional package not installed.",
        "Resolve paths from a known base, ship the file with the release, and pin and install "
        "the dependency.",
        types=(
            "FileNotFoundError",
            "FileNotFoundException",
            "NoSuchFileException",
            "ModuleNotFoundError",
            "ImportError",
            "LoadError",
            "ChunkLoadError",
            "ClassNotFoundException",
            "NoClassDefFoundError",
        ),
        phrases=("no such file", "cannot find module", "loading chunk", "failed to load"),
        languages=(PY, JAVA, NET, RUBY, JS),
    ),
    Entry(
        "data that breaks a database constraint or a concurrent write",
        "A write conflicts with existing data (a duplicate unique key, a missing foreign row) or "
        "with another transaction (deadlock, serialization failure).",
        "Make the write idempotent (get-or-create, upsert), order writes consistently, and retry "
        "serialization failures.",
        types=(
            "IntegrityError",
            "UniqueViolation",
            "DataIntegrityViolationException",
            "DbUpdateException",
            "RecordNotUnique",
            "QueryException",
            "PDOException",
            "SQLException",
            "SqlException",
            "DatabaseError",
        ),
        phrases=("duplicate key", "deadlock", "unique constraint", "foreign key", "serialization"),
        languages=(PY, JAVA, NET, RUBY, PHP),
    ),
    Entry(
        "a Go map or slice misuse",
        "A nil map was written to, or a map was written from several goroutines at once.",
        "Initialise the map with make() before writing; guard shared maps with a mutex or use "
        "sync.Map.",
        phrases=("assignment to entry in nil map", "concurrent map writes", "concurrent map read"),
        languages=(GO,),
    ),
    Entry(
        "a cancelled operation",
        "The context or request was cancelled (the client went away, a deadline passed) and the "
        "work stopped.",
        "Treat cancellation as a normal outcome: stop quietly, and do not report it as an error "
        "unless the deadline itself is too short.",
        phrases=(
            "context canceled",
            "context cancelled",
            "aborterror",
            "the operation was aborted",
        ),
        languages=(GO, JS),
    ),
    Entry(
        "a native crash on invalid memory",
        "The process read or wrote memory it does not own: an object used after it was released "
        "(a dangling pointer or unretained delegate), a null pointer, or an overrun buffer. The "
        "frame that crashed is often system code; the application frame below it made the call.",
        "Look at the application frame nearest to the crash: check the lifetime of the objects it "
        "passes (weak references, callbacks after deallocation) and run it with the address "
        "sanitizer or zombies enabled.",
        types=("EXC_BAD_ACCESS", "SIGSEGV", "SIGBUS", "EXC_BAD_INSTRUCTION", "SIGILL"),
        phrases=("kern_invalid_address", "segmentation fault", "bad access"),
        languages=(NATIVE,),
    ),
    Entry(
        "an abort of the process",
        "The process aborted itself: an uncaught exception, a failed assertion or precondition, "
        "or a fatal error in the runtime.",
        "Find the exception or assertion that led to the abort (the thread's last frames and the "
        "breadcrumbs) and handle that condition.",
        types=("SIGABRT", "EXC_CRASH", "abort", "NSInternalInconsistencyException"),
        languages=(NATIVE,),
    ),
]
