"""A fake OpenAI-compatible server speaking the real Chat Completions wire format.

Install it on pytest-httpserver (`FakeOpenAI().install(httpserver)`) and set
`OPENAI_BASE_URL` to `fake.base_url` (".../v1"). Queue what the next calls answer with
`reply(fields)`, `reply_text(content)`, `fail(status)`, `slow(seconds)`, `refuse(text)`,
`no_choices()` or `raw(body, content_type)` (anything but a completion); when nothing is
queued it answers with `GOOD`. `reject_json_schema = True` makes it answer 400 to a
`json_schema` response format, as servers without structured outputs do. Every request body
is recorded in `requests`.
"""

import json
import time

from werkzeug import Response

GOOD = {
    "summary": "The checkout view reads `entry.price` of an entry that is undefined. It "
    "happens when the cart holds an item that was removed from the catalogue.",
    "rootCause": "`computeTotal` in `src/cart.js` line 42 assumes every cart entry exists.",
    "specification": "## Problem\n\nThe total fails for removed items.\n\n"
    "## Affected components\n\n- `src/cart.js`\n\n## Proposed change\n\nSkip missing "
    "entries.\n\n## Acceptance criteria\n\n- No TypeError\n\n## Test plan\n\n- A unit test\n\n"
    "## Risks\n\n- Totals may hide data problems",
    "reproductionSteps": "1. Add an item to the cart.\n2. Remove it from the catalogue.\n"
    "3. Open `/cart`: `TypeError` in `computeTotal`.",
    "codeLocations": [
        {
            "file": "src/cart.js",
            "line": 42,
            "function": "computeTotal",
            "why": "reads `entry.price` of a removed item",
        }
    ],
    "suggestedFix": "```js\nif (!entry) continue;\n```",
    "confidence": "high",
    "confidenceReason": "The failing line and the breadcrumbs agree; the catalogue is not shown.",
    "evidence": ["frame: computeTotal (src/cart.js line 42)", "breadcrumb: GET /api/cart"],
}


class FakeOpenAI:
    def __init__(self, model="gpt-4o-mini-2024-07-18"):
        self.model = model
        self.queue = []
        self.requests = []
        self.reject_json_schema = False
        self.base_url = ""

    def install(self, httpserver):
        httpserver.expect_request("/v1/chat/completions", method="POST").respond_with_handler(
            self.handle
        )
        self.base_url = httpserver.url_for("/v1")
        return self

    def reply(self, fields=None, times=1):
        for _ in range(times):
            self.queue.append(("content", json.dumps(GOOD if fields is None else fields)))

    def reply_text(self, content, times=1):
        for _ in range(times):
            self.queue.append(("content", content))

    def fail(self, status, times=1, body=None, headers=None):
        for _ in range(times):
            self.queue.append(("fail", (status, body, headers)))

    def slow(self, seconds):
        self.queue.append(("slow", seconds))

    def refuse(self, text, times=1):
        for _ in range(times):
            self.queue.append(("refuse", text))

    def no_choices(self, times=1):
        for _ in range(times):
            self.queue.append(("no_choices", None))

    def raw(self, body: str, content_type="application/json"):
        self.queue.append(("raw", (body, content_type)))

    def _completion(self, content, prompt_tokens=812, completion_tokens=240):
        return {
            "id": "chatcmpl-fake123",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
            "system_fingerprint": "fp_fake",
        }

    @staticmethod
    def _json(body, status=200, headers=None):
        return Response(
            json.dumps(body), status=status, headers=headers, content_type="application/json"
        )

    def handle(self, request):
        body = json.loads(request.get_data())
        self.requests.append({"body": body, "headers": dict(request.headers)})
        if self.reject_json_schema and body.get("response_format", {}).get("type") == (
            "json_schema"
        ):
            error = {"message": "response_format json_schema is not supported", "type": "x"}
            return self._json({"error": error}, 400)
        kind, value = self.queue.pop(0) if self.queue else ("content", json.dumps(GOOD))
        if kind == "refuse":
            completion = self._completion(None)
            completion["choices"][0]["message"]["refusal"] = value
            return self._json(completion)
        if kind == "no_choices":
            return self._json({**self._completion(None), "choices": []})
        if kind == "raw":
            body, content_type = value
            return Response(body, status=200, content_type=content_type)
        if kind == "slow":
            time.sleep(value)
            return self._json(self._completion(json.dumps(GOOD)))
        if kind == "fail":
            status, error_body, headers = value
            error_body = error_body or {
                "error": {"message": f"fake error {status}", "type": "server_error", "code": None}
            }
            return self._json(error_body, status, headers)
        return self._json(self._completion(value))
