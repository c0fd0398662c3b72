"""Tables of the one detector's tests (tests/core/test_secret_detection.py), shared with the
self-monitoring tests: the same detector must keep the same prose and remove the same secrets.
"""

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36P"
)

# Error messages as applications raise them: every word of them helps the diagnosis.
PROSE = [
    "Authentication failed, token expired!",
    "Invalid token format",
    "basic authentication required",
    "password: must be at least 8 characters",
    "Module version 1.2.3.4",
    "KeyError: 'SPRING24'",
    "ZeroDivisionError: division by zero",
    "TypeError: Cannot read properties of undefined (reading 'price')",
    "connect ECONNREFUSED 127.0.0.1:6379",
    'could not connect to server: Connection refused. Is the server running on host "localhost" '
    "(127.0.0.1) and accepting TCP/IP connections on port 5432?",
    "java.lang.IllegalStateException: Payment already captured",
    "CSRF verification failed. Request aborted.",
    "Forbidden (CSRF token missing or incorrect.): /api/cart",
    "JWT signature verification failed",
    "Access token has expired; refresh it with the refresh token",
    "Session expired, please log in again",
    "Could not load file or assembly 'System.Runtime, Version=4.2.2.0, Culture=neutral, "
    "PublicKeyToken=b03f5f7f11d50a3a'",
    "redis.exceptions.TimeoutError: Timeout reading from socket",
    "IndexError: list index out of range",
    "NoMethodError: undefined method `name' for nil:NilClass",
    "Uncaught TypeError: Argument 1 passed to App\\Cart::add() must be of the type int, "
    "string given",
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "System.NullReferenceException: Object reference not set to an instance of an object.",
    "ValueError: invalid literal for int() with base 10: 'abc'",
    "401 Client Error: Unauthorized for url: https://api.example.com/v1/orders?page=2",
    "upstream timed out (110: Connection timed out) while reading response header from upstream",
    'duplicate key value violates unique constraint "shop_order_pkey" DETAIL: Key '
    "(id)=(4504123456) already exists.",
    "author=tolstoy bypass=true compass=270 prompt_tokens=812 session.status=crashed",
    "Rate limit exceeded: 100 requests per 60 s (retry after 2026-11-20T09:14:03Z)",
    "OSError: [Errno 28] No space left on device: '/var/lib/app/cache'",
    "RangeError: Maximum call stack size exceeded",
    "certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)",
    "Invalid API key provided: expected a key that starts with sk-…",
    "Bearer token required",
    "Token is not valid for any token type",
    "order 550e8400-e29b-41d4-a716-446655440000 not found at 12:30:45 on 2026-11-20",
    "std::bad_alloc in std::vector<int>::reserve (1700000000000 bytes)",
    "NameError: name 'prompt_tokens' is not defined",
    "token: expired",
    '{"password": ["This password is too short. It must contain at least 8 characters."]}',
    "Send it as 'Authorization: Bearer smk_abc123_…'.",
    "Deadlock found when trying to get lock; try restarting transaction",
]

# (text, the secret in it): the secret must go, a placeholder must say something was there.
SECRETS = [
    ("Authorization: Bearer abcDEF123456ghiJKL", "abcDEF123456ghiJKL"),
    ("calling with Bearer abc.def-ghi", "abc.def-ghi"),
    ("Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA"),
    (f"jwt {JWT} sent", "SflKxwRJSMeKKF2QT4fwpMeJf36P"),
    ("key smk_ab12cd34ef_Zk3J9xQ2v8LrT5nW1yB7cD4fG6hJ0kM2pQ9sU3wX5zA used", "Zk3J9xQ2v8LrT5"),
    ("OPENAI_API_KEY sk-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKL", "abcdefghijklmnop"),
    ("openai sk-proj-AbCdEf123456_GhIjKl-7890MnOpQr", "AbCdEf123456"),
    ("git ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 pushed", "aBcDeFgHiJkLmNoP"),
    ("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "11ABCDEFG0123456789"),
    ("gitlab glpat-xYz123AbC456dEf789GhI0 rejected", "xYz123AbC456"),
    ("slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "AbCdEfGhIjKlMnOp"),
    ("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "T00000000"),  # noqa: E501  # allowed: fake
    ("key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
    ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc charged", "4eC39HqLyjWDarjtT1zdp7dc"),
    ("publishable pk_live_51HxYzABCDEF0123", "51HxYzABCDEF"),
    ("webhook whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "MfKQ9r8GKYqrTwjUPD8"),
    ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----", "MIIEvQIBADANBg"),
    ("key: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "b3BlbnNzaC1rZX"),
    ("dsn https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42", "0123456789abcdef"),
    ("connecting to postgres://admin:p4ss-in-url@db.internal/app", "p4ss-in-url"),
    ("card 4242 4242 4242 4242 declined", "4242 4242 4242 4242"),
    ("amex 378282246310005 declined", "378282246310005"),
    ("mail jane.doe+shop@example.co.uk now", "jane.doe+shop@example.co.uk"),
    ("from 203.0.113.77", "203.0.113.77"),
    ("client 2001:db8:85a3::8a2e:370:7334 refused", "2001:db8:85a3::8a2e:370:7334"),
    ("call +44 20 7946 0958 back", "7946 0958"),
    ("tel 06 12 34 56 78", "06 12 34 56 78"),
    ("phone: 0612345678", "0612345678"),
    ("Checkout failed (session cookie: sessionid=8f7e6d5c4b3a): unknown code", "8f7e6d5c4b3a"),
    ("Set-Cookie: session=cookie-value-xyz; HttpOnly; Path=/", "cookie-value-xyz"),
    ("password=hunter2 retry", "hunter2"),
    ('{"api_key": "k3y-abc-123", "page": 2}', "k3y-abc-123"),
    ("X-Api-Key: k3y-abc-123", "k3y-abc-123"),
    ("GET https://rates.internal/api?token=abcd1234efgh&page=2", "abcd1234efgh"),
    ("sntrys_eyJpYXQiOjE2OTQwMDAwMDB9_Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4"),
    ("user token sntryu_" + "ab12" * 16, "ab12ab12ab12"),
    ("google AIzaSyD-1234567890abcdefghijklmnopqrstu", "1234567890abcdefghij"),
    ("client_secret=s3cr3t-v4lue", "s3cr3t-v4lue"),
    ("Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", "9944b09199c62bcf"),
    ("digest " + "a1" * 32, "a1a1a1a1a1a1"),
]
