"""Score completions with the exported rubric, to compare with the playground: python3 check_rewards.py CASES.jsonl

Each input line is a JSON object with the playground's ScoreContext fields (prompt, completion, answer, and
optionally info, state, messages, completion_tokens, max_new_tokens); each output line is
{"total": ..., "scores": {criterion: score}, "errors": {criterion: message}} for that completion.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from playground_rewards import score_rubric  # noqa: E402


def main(path):
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "rubric.json"), encoding="utf-8") as f:
        criteria = json.load(f)["criteria"]
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                case = json.loads(line)
                ctx = {"info": {}, "state": None, "messages": None, "completion_tokens": None, "max_new_tokens": None, **case}
                print(json.dumps(score_rubric(criteria, ctx)))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 check_rewards.py CASES.jsonl")
    main(sys.argv[1])
