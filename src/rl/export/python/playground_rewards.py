"""The GRPO Playground's rubric criteria, ported to plain Python (standard library only).

Each built-in criterion kind of the playground (src/rl/rubric/kinds/*.ts) is one function here,
``score_<kind>(ctx, params) -> float``, that gives the same score for the same completion: the same parsing
(XML fields, numbers, lists, expressions), the same normalisation, and JavaScript's notions of whitespace,
trim() and number formatting where they differ from Python's. ``ctx`` is a dict with the keys the playground's
ScoreContext has: prompt, completion, answer, info, state, messages, completion_tokens, max_new_tokens.
A criterion that cannot score a completion raises; ``score_rubric`` then scores it 0 and counts the error, as
the playground's Rubric does.

Two kinds run user code and say how: ``regex`` uses Python's ``re`` (the same on the usual syntax; see
README.md for the differences), ``custom_code`` runs the same JavaScript in QuickJS (the ``quickjs`` package,
as the playground does) or, without it, in Node.js (``node`` on PATH).
"""

import json
import math
import os
import re
import shutil
import subprocess
import time
import unicodedata
import urllib.error
import urllib.request
from decimal import Decimal

# ---- JavaScript's text rules ------------------------------------------------------------------------------

# JavaScript's \s and String.prototype.trim(): WhiteSpace and LineTerminator code points.
JS_WS = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_WS = "[" + re.escape(JS_WS) + "]"
_WS_RUN = re.compile(_WS + "+")


def js_trim(s):
    return s.strip(JS_WS)


def js_trim_end(s):
    return s.rstrip(JS_WS)


def js_words(text):
    """text.split(/\\s+/u).filter(w => w.length > 0)"""
    return [w for w in _WS_RUN.split(text) if w]


def js_len(s):
    """String length in UTF-16 code units, as JavaScript counts it."""
    return len(s.encode("utf-16-le")) // 2


def js_number_to_string(v):
    """Number.prototype.toString() for a finite float (ECMAScript Number::toString)."""
    if v == 0:
        return "0"
    if v < 0:
        return "-" + js_number_to_string(-v)
    if v == int(v) and v < 1e21:
        return str(int(v))
    # repr gives the shortest digits that round-trip, as JavaScript uses: v = 0.DIGITS * 10**n
    _, digit_tuple, exp = Decimal(repr(v)).as_tuple()
    all_digits = "".join(map(str, digit_tuple))
    digits = all_digits.rstrip("0")
    k = len(digits)
    n = len(all_digits) + exp
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    return (digits if k == 1 else digits[0] + "." + digits[1:]) + "e" + ("+" if e >= 0 else "-") + str(abs(e))


def js_round(x):
    """Math.round: halves round up."""
    return math.floor(x + 0.5)


def is_safe_integer(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() and abs(v) <= 2**53 - 1


def fill_template(template, ctx):
    """Replace {prompt}, {completion} and {answer} in one pass."""
    return re.sub(r"\{(prompt|completion|answer)\}", lambda m: ctx[m.group(1)], template)


# ---- the XML parser (src/rl/parsers/xml.ts) ---------------------------------------------------------------

_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")


def parse_field(text, field):
    """Content of the last <field> block, trimmed; to the end of the text when never closed; None without one."""
    open_tag = "<" + field + ">"
    start = text.rfind(open_tag)
    if start == -1:
        return None
    content_start = start + len(open_tag)
    close = text.find("</" + field + ">", content_start)
    return js_trim(text[content_start : len(text) if close == -1 else close])


def _count(text, needle, start):
    n = 0
    i = text.find(needle, start)
    while i != -1:
        n += 1
        i = text.find(needle, i + len(needle))
    return n


def _xml_whitespace(text, start, end):
    return all(ord(c) in (32, 9, 10, 13, 12, 11, 0xA0) for c in text[start:end])


def format_score(text, fields):
    """Graded format score in [0, 1]: tags present once, in order, nothing but whitespace outside them."""
    for f in fields:
        if not _FIELD_NAME.fullmatch(f):
            raise ValueError("invalid XML field name '%s'" % f)
    n = len(fields)
    opening = closing = 0.0
    blocks = []
    for f in fields:
        open_tag, close_tag = "<" + f + ">", "</" + f + ">"
        o = text.find(open_tag)
        c = -1 if o == -1 else text.find(close_tag, o + len(open_tag))
        opens = 0 if o == -1 else _count(text, open_tag, o)
        closes = 0 if c == -1 else _count(text, close_tag, c)
        opening += 1 if opens == 1 else 0.5 if opens > 1 else 0
        closing += 1 if closes == 1 else 0.5 if closes > 1 else 0
        blocks.append((o, c, -1 if c == -1 else c + len(close_tag)))
    passed = 0
    for k in range(n):
        if blocks[k][1] != -1:
            passed += 1
        if k + 1 < n and blocks[k][2] != -1 and blocks[k + 1][0] != -1 and blocks[k][2] <= blocks[k + 1][0]:
            passed += 1
    order = passed / (2 * n - 1)
    clean = 0
    if order == 1:
        ok = _xml_whitespace(text, 0, blocks[0][0])
        for k in range(n - 1):
            ok = ok and _xml_whitespace(text, blocks[k][2], blocks[k + 1][0])
        ok = ok and _xml_whitespace(text, blocks[n - 1][2], len(text))
        clean = 1 if ok else 0
    opening /= n
    closing /= n
    return (n * opening + n * closing + order + clean) / (2 * n + 2)


def select_text(ctx, field):
    return ctx["completion"] if field == "" else parse_field(ctx["completion"], field)


# ---- kinds ------------------------------------------------------------------------------------------------


def normalize_answer(text):
    s = " ".join(_WS_RUN.split(js_trim(text))).lower()
    if s.endswith("."):
        s = js_trim_end(s[:-1])
    if len(s) <= 40 and re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", s):
        v = float(s)
        if math.isfinite(v):
            s = js_number_to_string(0.0 if v == 0 else v)
    return s


def score_correct_answer(ctx, p):
    got = parse_field(ctx["completion"], p["field"])
    return 1.0 if got is not None and normalize_answer(got) == normalize_answer(ctx["answer"]) else 0.0


def score_xml_format(ctx, p):
    fields = [f.strip() for f in p["fields"].split(",") if f.strip()]
    return format_score(ctx["completion"], fields)


_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[+-]?[0-9]+)?", re.I)
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_FRACTION = re.compile(r"([+-]?[0-9]+)" + _WS + r"*/" + _WS + r"*([0-9]+)")


def parse_number(text, loose=False):
    """ "42", "-3.5", "1e3", "1,234.5", "3/4", with $ or % around it; loose: the first number in the text."""
    s = "" if js_len(text) > 400 else js_trim(text)
    if s.startswith("$"):
        s = s[1:]
    if s.endswith("%"):
        s = s[:-1]
    s = js_trim(s)
    if s.endswith(".") and not s.endswith(".."):
        s = s[:-1]
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    if _PLAIN.fullmatch(s):
        v = float(s)
        return v if math.isfinite(v) else None
    f = _FRACTION.fullmatch(s)
    if f:
        if int(f.group(2)) == 0:
            return None
        v = int(f.group(1)) / int(f.group(2))
        return v if math.isfinite(v) else None
    if not loose:
        return None
    m = _PLAIN.search(text[:100000])
    if not m:
        return None
    v = float(m.group(0))
    return v if math.isfinite(v) else None


def score_numeric_match(ctx, p):
    ref = parse_number(ctx["answer"])
    if ref is None:
        raise ValueError("reference answer '%s' is not a number" % ctx["answer"][:40])
    text = select_text(ctx, p["field"])
    got = None if text is None else parse_number(text, True)
    return 1.0 if got is not None and abs(got - ref) <= max(p["absTol"], p["relTol"] * abs(ref)) else 0.0


def score_contains(ctx, p):
    needle = fill_template(p["text"], {"prompt": ctx["prompt"], "answer": ctx["answer"], "completion": ""})
    if needle == "":
        raise ValueError("nothing to look for: the text is empty once {answer}/{prompt} are filled in")
    hay = select_text(ctx, p["field"])
    if hay is None:
        return 0.0
    if not p["caseSensitive"]:
        needle, hay = needle.lower(), hay.lower()
    return 1.0 if needle in hay else 0.0


def _python_pattern(pattern):
    # JavaScript's named groups (?<name>...) are (?P<name>...) in Python; lookbehinds stay as they are.
    return re.sub(r"\(\?<(?![=!])", "(?P<", pattern)


def score_regex(ctx, p):
    flags = 0
    for f in p["flags"]:
        flags |= {"i": re.I, "m": re.M, "s": re.S, "u": 0}[f]
    text = select_text(ctx, p["field"])
    if text is None:
        return 0.0
    return 1.0 if re.search(_python_pattern(p["pattern"]), text[:100000], flags) else 0.0


def score_length_target(ctx, p):
    text = select_text(ctx, p["field"])
    if text is None:
        return 0.0
    unit = p["unit"]
    if unit == "words":
        length = len(js_words(text))
    elif unit == "chars":
        length = len(text)  # code points, as Array.from counts
    else:
        if ctx.get("completion_tokens") is None:
            raise ValueError("needs the completion length in tokens (completion_tokens)")
        length = ctx["completion_tokens"]
    d = abs(length - p["target"]) / p["width"]
    return math.exp(-0.5 * d * d) if p["shape"] == "gaussian" else max(0.0, 1 - d)


def lcs_length(a, b):
    if len(a) < len(b):
        a, b = b, a
    row = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        diag = 0
        for j in range(1, len(b) + 1):
            up = row[j]
            row[j] = diag + 1 if a[i - 1] == b[j - 1] else max(up, row[j - 1])
            diag = up
    return row[len(b)]


def score_similarity(ctx, p):
    text = select_text(ctx, p["field"])
    if text is None:
        return 0.0
    fold = (lambda s: s) if p["caseSensitive"] else (lambda s: s.lower())
    split = js_words if p["unit"] == "words" else list
    a = split(js_trim(fold(text)))[:2000]
    b = split(js_trim(fold(ctx["answer"])))[:2000]
    if len(a) + len(b) == 0:
        return 1.0
    return 2 * lcs_length(a, b) / (len(a) + len(b))


def strip_fence(text):
    s = js_trim(text)
    if not s.startswith("```") or not s.endswith("```") or len(s) < 6:
        return s
    first = s.find("\n")
    if first == -1:
        return js_trim(s[3:-3])
    info = js_trim(s[3:first])
    if info != "" and info.lower() != "json":
        return s
    return js_trim(s[first + 1 : -3])


def _reject_constant(name):
    raise ValueError("not JSON: " + name)


def has_path(value, path):
    node = value
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def score_json_valid(ctx, p):
    text = select_text(ctx, p["field"])
    if text is None:
        return 0.0
    keys = [js_trim(k) for k in p["requiredKeys"].split(",")]
    keys = [k for k in keys if k]
    try:
        value = json.loads(strip_fence(text) if p["allowFence"] else text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return 0.0
    present = sum(1 for k in keys if has_path(value, k))
    return (1 + present) / (1 + len(keys))


def score_repetition_penalty(ctx, p):
    text = select_text(ctx, p["field"])
    if text is None:
        return 0.0
    units = list(text) if p["unit"] == "chars" else js_words(text)
    n = int(p["n"])
    total = len(units) - n + 1
    if total <= 0:
        return 0.0
    seen = {tuple(units[i : i + n]) for i in range(total)}
    return 0.0 - (1 - len(seen) / total)


def score_overlong_penalty(ctx, p):
    if ctx.get("completion_tokens") is None:
        raise ValueError("needs the completion length in tokens (completion_tokens)")
    max_length = p["maxLength"] or ctx.get("max_new_tokens")
    if not max_length:
        raise ValueError("needs maxLength, or the sampling limit (max_new_tokens)")
    cache = min(p["cache"] or max(1, js_round(max_length / 5)), max_length)
    start = max_length - cache
    length = ctx["completion_tokens"]
    if length <= start:
        return 0.0
    if length > max_length:
        return -1.0
    return (start - length) / cache


# countdown: the expression grammar of src/rl/parsers/expression.ts
class _ExprError(Exception):
    pass


def evaluate_expression(text):
    """(value, numbers) of an integer expression with + - * / and parentheses, or raise _ExprError."""
    if js_len(text) > 200:
        raise _ExprError("expression too long")
    tokens = []
    i = 0
    while i < len(text):
        c = text[i]
        if c in " \t":
            i += 1
        elif "0" <= c <= "9":
            j = i
            while j < len(text) and "0" <= text[j] <= "9":
                j += 1
            digits = text[i:j]
            if len(digits) > 9 or (len(digits) > 1 and digits[0] == "0"):
                raise _ExprError("bad number")
            tokens.append(("num", int(digits)))
            i = j
        elif c in "+-*/()":
            tokens.append(("op", c))
            i += 1
        else:
            raise _ExprError("unexpected character")
    if not tokens:
        raise _ExprError("empty expression")
    numbers = []
    pos = [0]

    def peek():
        t = tokens[pos[0]] if pos[0] < len(tokens) else None
        return t[1] if t and t[0] == "op" else None

    def apply(op, a, b):
        if op == "/":
            if b == 0 or a % b != 0:
                raise _ExprError("inexact division")
            v = a // b
        else:
            v = a + b if op == "+" else a - b if op == "-" else a * b
        if abs(v) > 2**53 - 1:
            raise _ExprError("too large")
        return v

    def factor(depth):
        t = tokens[pos[0]] if pos[0] < len(tokens) else None
        if t and t[0] == "num":
            pos[0] += 1
            numbers.append(t[1])
            return t[1]
        if t and t == ("op", "("):
            if depth >= 16:
                raise _ExprError("nested too deep")
            pos[0] += 1
            v = expr(depth + 1)
            if peek() != ")":
                raise _ExprError("expected )")
            pos[0] += 1
            return v
        raise _ExprError("expected a number or (")

    def term(depth):
        v = factor(depth)
        while peek() in ("*", "/"):
            op = peek()
            pos[0] += 1
            v = apply(op, v, factor(depth))
        return v

    def expr(depth):
        v = term(depth)
        while peek() in ("+", "-"):
            op = peek()
            pos[0] += 1
            v = apply(op, v, term(depth))
        return v

    value = expr(0)
    if pos[0] < len(tokens):
        raise _ExprError("trailing input")
    return value, numbers


# Python's division of negative integers floors where JavaScript's exact division does not matter: a % b == 0
# there, so a // b equals a / b.

_INT_LIST = re.compile(_WS + r"*[0-9]{1,9}(?:(?:" + _WS + r"|,)+[0-9]{1,9})*" + _WS + r"*")


def _int_list(text):
    if not _INT_LIST.fullmatch(text):
        return None
    return [int(x) for x in re.split("(?:" + _WS + "|,)+", js_trim(text))]


def score_countdown(ctx, p):
    info = ctx.get("info") or {}
    numbers = None
    if isinstance(info.get("numbers"), list) and all(is_safe_integer(n) for n in info["numbers"]):
        numbers = [int(n) for n in info["numbers"]]
    elif isinstance(info.get("numbers"), str):
        numbers = _int_list(info["numbers"])
    else:
        m = re.search(r"(?:\bfrom|numbers:)([^\n]*)", ctx["prompt"], re.I | re.A)
        if m:
            numbers = _int_list(m.group(1))
    if numbers is None:
        raise ValueError("countdown: the row has no numbers")
    raw = info["target"] if "target" in info and info["target"] is not None else ctx["answer"]
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        target = raw
    elif isinstance(raw, str) and re.fullmatch(_WS + r"*-?[0-9]{1,15}" + _WS + r"*", raw):
        target = int(js_trim(raw))
    else:
        target = None
    if target is None or not is_safe_integer(target):
        raise ValueError("countdown: the target must be an integer")
    expression = parse_field(ctx["completion"], p["field"])
    if expression is None:
        return 0.0
    try:
        value, used = evaluate_expression(expression)
    except _ExprError:
        return 0.0
    left = {}
    for n in numbers:
        left[n] = left.get(n, 0) + 1
    for n in used:
        if left.get(n, 0) == 0:
            return 0.0
        left[n] -= 1
    return 1.0 if value == target else 0.0


def count_words(text):
    return sum(1 for tok in _WS_RUN.split(text) if any(unicodedata.category(ch)[0] in "LN" for ch in tok))


def score_exact_word_count(ctx, p):
    answer = ctx["answer"]
    if not re.fullmatch(_WS + r"*[0-9]{1,6}" + _WS + r"*", answer):
        raise ValueError("exact_word_count: the reference answer must be a word count")
    text = ctx["completion"] if p["field"] == "" else parse_field(ctx["completion"], p["field"])
    return 1.0 if text is not None and count_words(text) == int(js_trim(answer)) else 0.0


def split_list(text, case_sensitive=False):
    s = js_trim(text)
    if s.endswith("."):
        s = js_trim_end(s[:-1])
    if s == "":
        return []
    items = re.split(_WS + "*," + _WS + "*|" + _WS + "+", s)
    out = []
    for item in items:
        if re.fullmatch(r"-?[0-9]{1,15}", item):
            out.append(str(int(item)))
        else:
            out.append(item if case_sensitive else item.lower())
    return out


def score_list_match(ctx, p):
    got = parse_field(ctx["completion"], p["field"])
    if got is None:
        return 0.0
    return 1.0 if split_list(got, p["caseSensitive"]) == split_list(ctx["answer"], p["caseSensitive"]) else 0.0


def _game(ctx):
    s = ctx.get("state")
    num = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if not isinstance(s, dict) or not isinstance(s.get("solved"), bool) or not num(s.get("turns")) or not num(s.get("maxTurns")):
        raise ValueError("needs a multi-turn game task whose state says solved/turns/maxTurns")
    return s["solved"], s["turns"], s["maxTurns"]


def score_solved(ctx, p):
    return 1.0 if _game(ctx)[0] else 0.0


def score_solved_in_turns(ctx, p):
    won, turns, max_turns = _game(ctx)
    k = p["turns"] if p["turns"] > 0 else max_turns
    if not won or turns > k:
        return 0.0
    return 1 - (p["shaping"] * (turns - 1)) / (k - 1) if k > 1 else 1.0


def score_tool_use(ctx, p):
    s = ctx.get("state")
    num = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
    if not isinstance(s, dict) or not num(s.get("toolCalls")) or not num(s.get("toolFailures")):
        raise ValueError("needs a tool-using multi-turn task whose state counts toolCalls/toolFailures")
    return min(1.0, (s["toolCalls"] - s["toolFailures"]) / p["min"])


# ---- llm_judge: an OpenAI-compatible chat-completions endpoint (judge.ts) --------------------------------

JUDGE_KEY_ENV_VAR = "GRPO_JUDGE_API_KEY"
_judge_cache = {}


def redact(message, key):
    return message.replace(key, "[redacted]") if key else message


def parse_judge_score(reply, mode, max_score):
    text = reply[:10000]
    if mode == "yes_no":
        m = re.search(r"[A-Za-z]+", text)
        first = m.group(0).lower() if m else None
        if first in ("yes", "true", "correct"):
            return 1.0
        if first in ("no", "false", "incorrect"):
            return 0.0
        raise ValueError("judge reply is not yes or no")
    num = r"(-?[0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)"
    m = re.search(r"score\s*(?:[:=]\s*)?(?:\*+\s*)?" + num, text, re.I) or re.search(num, text, re.I)
    if not m:
        raise ValueError("judge reply has no score")
    value = float(m.group(1))
    if not (0 <= value <= max_score):
        raise ValueError("judge score %s is outside 0-%s" % (value, max_score))
    return value / max_score


def _judge_request(p, messages, key):
    url = p["baseUrl"].rstrip("/") + "/chat/completions"
    body = json.dumps({"model": p["model"], "messages": messages, "temperature": 0, "max_tokens": int(p["maxTokens"])}).encode()
    headers = {"content-type": "application/json"}
    if key:
        headers["authorization"] = "Bearer " + key
    delay = p["retryDelayMs"] / 1000
    for attempt in range(int(p["retries"]) + 1):
        try:
            req = urllib.request.Request(url, data=body, headers=headers, method="POST")
            with urllib.request.urlopen(req, timeout=p["timeoutMs"] / 1000) as res:
                reply = json.loads(res.read(1024 * 1024))
            return reply["choices"][0]["message"]["content"]
        except urllib.error.HTTPError as e:
            retryable = e.code in (408, 409, 429) or e.code >= 500
            if not retryable or attempt == int(p["retries"]):
                raise RuntimeError(redact("judge: %s from %s" % (e.code, url), key)) from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            if attempt == int(p["retries"]):
                raise RuntimeError(redact("judge: cannot reach %s (%s)" % (url, e), key)) from None
        time.sleep(min(delay * 2**attempt, 8.0))
    raise RuntimeError("judge: no answer")


def score_llm_judge(ctx, p):
    messages = []
    if p["system"]:
        messages.append({"role": "system", "content": p["system"]})
    messages.append({"role": "user", "content": fill_template(p["template"], ctx)})
    cache_key = json.dumps([p["baseUrl"], p["model"], messages])
    if cache_key not in _judge_cache:
        key = (os.environ.get(JUDGE_KEY_ENV_VAR) or "").strip() or None
        _judge_cache[cache_key] = _judge_request(p, messages, key)
    return parse_judge_score(_judge_cache[cache_key], p["parse"], p["maxScore"])


# ---- custom_code: the same JavaScript, in QuickJS or Node.js ----------------------------------------------

# The playground's sandbox prelude: a seeded Math.random and a clock frozen at 2024-01-01 (sandbox-quickjs.ts).
_JS_PRELUDE = """Math.random = (function () { var s = 0x2545f491; return function random() {
  s = (s + 0x6d2b79f5) | 0; var t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; })();
(function (RealDate, NOW) { function Date() { if (new.target === undefined) return new RealDate(NOW).toString();
  return Reflect.construct(RealDate, arguments.length === 0 ? [NOW] : Array.prototype.slice.call(arguments), new.target); }
  Date.prototype = RealDate.prototype; Date.now = function now() { return NOW; }; Date.parse = RealDate.parse; Date.UTC = RealDate.UTC;
  Object.defineProperty(globalThis, 'Date', { value: Date, writable: true, configurable: true }); })(Date, 1704067200000);
"""


def _js_call_source(code, ctx):
    """JavaScript that calls the user's code on this completion. As in the playground, the code is a function
    expression when evaluating it as one gives a function, else a function body."""
    messages = ctx.get("messages") or [{"role": "user", "content": ctx["prompt"]}, {"role": "assistant", "content": ctx["completion"]}]
    state = ctx.get("state") if ctx.get("state") is not None else (ctx.get("info") or {})
    args = json.dumps([ctx["prompt"], ctx["completion"], ctx["answer"], messages, state])
    code_json = json.dumps(code)
    return (
        _JS_PRELUDE
        + "(function () { var f; try { f = (0, eval)('(\\n' + %s + '\\n)'); } catch (e) { f = undefined; }\n" % code_json
        + "if (typeof f !== 'function') f = (0, eval)('(function (prompt, completion, answer, messages, state) {\\n' + %s + '\\n})');\n" % code_json
        + "return f.apply(null, %s); })()" % args
    )


# One Node.js process answers every call (starting one per completion would be slow): a line of JSON
# {source, timeout} in, a line {value} or {error} out; each call runs in a fresh vm context.
_NODE_WORKER = r"""
const vm = require('vm');
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const { source, timeout } = JSON.parse(line);
  let out;
  try {
    const v = vm.runInNewContext(source, {}, { timeout });
    out = typeof v === 'number' ? { value: v } : { value: String(v), notNumber: true };
  } catch (e) {
    out = { error: String(e && e.message || e) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
});
"""
_node = None


def _node_eval(source, time_limit_ms):
    global _node
    if _node is None or _node.poll() is not None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("custom_code needs the quickjs package (pip install quickjs) or node on PATH")
        _node = subprocess.Popen([node, "-e", _NODE_WORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    _node.stdin.write(json.dumps({"source": source, "timeout": max(1, int(time_limit_ms))}) + "\n")
    _node.stdin.flush()
    out = json.loads(_node.stdout.readline())
    if "error" in out:
        raise RuntimeError("custom code threw: " + out["error"])
    if out.get("notNumber"):
        raise ValueError("custom code returned %s, not a number" % out["value"])
    return out["value"]


def score_custom_code(ctx, p):
    source = _js_call_source(p["code"], ctx)
    try:
        import quickjs  # the engine the playground uses

        context = quickjs.Context()
        context.set_time_limit(p["timeLimitMs"] / 1000)
        context.set_memory_limit(int(p["memoryLimitMb"]) * 1024 * 1024)
        value = context.eval(source)
    except ImportError:
        value = _node_eval(source, p["timeLimitMs"])
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        raise ValueError("custom code returned %r, not a number" % (value,))
    return float(value)


# ---- the rubric -------------------------------------------------------------------------------------------

SCORERS = {
    "correct_answer": score_correct_answer,
    "xml_format": score_xml_format,
    "numeric_match": score_numeric_match,
    "contains": score_contains,
    "regex": score_regex,
    "length_target": score_length_target,
    "similarity": score_similarity,
    "json_valid": score_json_valid,
    "repetition_penalty": score_repetition_penalty,
    "overlong_penalty": score_overlong_penalty,
    "custom_code": score_custom_code,
    "llm_judge": score_llm_judge,
    "countdown": score_countdown,
    "exact_word_count": score_exact_word_count,
    "list_match": score_list_match,
    "solved": score_solved,
    "solved_in_turns": score_solved_in_turns,
    "tool_use": score_tool_use,
}


def score_criterion(criterion, ctx):
    """(score, error message or None): a criterion that raises or gives a non-finite number scores 0."""
    try:
        value = float(SCORERS[criterion["kind"]](ctx, criterion["params"]))
    except Exception as e:  # noqa: BLE001 - any failure scores 0, as in the playground
        return 0.0, "%s: %s" % (type(e).__name__, e)
    if not math.isfinite(value):
        return 0.0, "returned a non-finite score"
    return value, None


def score_rubric(criteria, ctx):
    """{'total': weighted sum, 'scores': {name: score}, 'errors': {name: message}} for one completion."""
    out = {"total": 0.0, "scores": {}, "errors": {}}
    for c in criteria:
        value, error = score_criterion(c, ctx)
        out["scores"][c["name"]] = value
        if error is not None:
            out["errors"][c["name"]] = error
        out["total"] += c["weight"] * value
    return out
