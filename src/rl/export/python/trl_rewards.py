"""TRL reward functions from the exported rubric (rubric.json): one function per criterion, named after it, so
TRL logs rewards/<criterion>/mean as the playground does; their weights go to GRPOConfig.reward_weights.

TRL calls each function with the prompts, the completions (conversational: lists of messages) and the dataset's
other columns as keyword lists: answer, and info (a JSON string: {"question": the row's prompt text,
"row_info": the task row's info}), and completion_ids (the sampled tokens, for token-length criteria).
"""

import json
import os

from playground_rewards import score_criterion

HERE = os.path.dirname(os.path.abspath(__file__))


def load_rubric(path=os.path.join(HERE, "rubric.json")):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _text(completion):
    return completion[-1]["content"] if isinstance(completion, list) else completion


def _info(value):
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return value or {}


def make_reward_func(criterion, max_new_tokens):
    def reward(prompts, completions, answer=None, info=None, completion_ids=None, **kwargs):
        out = []
        for i, completion in enumerate(completions):
            row = _info(info[i]) if info is not None else {}
            prompt_messages = prompts[i] if isinstance(prompts[i], list) else [{"role": "user", "content": prompts[i]}]
            completion_messages = completion if isinstance(completion, list) else [{"role": "assistant", "content": completion}]
            ctx = {
                "prompt": row.get("question", _text(prompt_messages)),
                "completion": _text(completion),
                "answer": answer[i] if answer is not None else "",
                "info": row.get("row_info", {}),
                "state": None,
                "messages": [m for m in prompt_messages if m["role"] != "system"] + completion_messages,
                "completion_tokens": len(completion_ids[i]) if completion_ids is not None else None,
                "max_new_tokens": max_new_tokens,
            }
            out.append(score_criterion(criterion, ctx)[0])
        return out

    reward.__name__ = criterion["name"]
    return reward


def reward_funcs_and_weights(rubric=None):
    rubric = rubric or load_rubric()
    funcs = [make_reward_func(c, rubric["max_new_tokens"]) for c in rubric["criteria"]]
    return funcs, [float(c["weight"]) for c in rubric["criteria"]]
