"""A verifiers environment for the exported playground run: load_environment() returns a SingleTurnEnv over
data/train.jsonl (eval: data/eval.jsonl) whose Rubric has one reward function per playground criterion, with
the same weights (weight 0: logged, not rewarded).

verifiers hands reward functions the prompt, completion (messages), answer, info and state by name.
"""

import json
import os

import verifiers as vf
from datasets import load_dataset

from playground_rewards import score_criterion

HERE = os.path.dirname(os.path.abspath(__file__))


def _text(completion):
    return completion[-1]["content"] if isinstance(completion, list) else completion


def _reward_func(criterion, rubric):
    def reward(prompt, completion, answer, info=None, state=None, **kwargs):
        info = json.loads(info) if isinstance(info, str) and info else (info or {})
        user = [m["content"] for m in prompt if m["role"] == "user"] if isinstance(prompt, list) else [prompt]
        ctx = {
            "prompt": info.get("question", user[-1] if user else ""),
            "completion": _text(completion),
            "answer": answer,
            "info": info.get("row_info", {}),
            "state": None,
            "messages": None,
            "completion_tokens": None,
            "max_new_tokens": rubric["max_new_tokens"],
        }
        return score_criterion(criterion, ctx)[0]

    reward.__name__ = criterion["name"]
    return reward


def load_environment(data_dir=os.path.join(HERE, "data"), **kwargs):
    with open(os.path.join(HERE, "rubric.json"), encoding="utf-8") as f:
        spec = json.load(f)
    files = {"train": os.path.join(data_dir, "train.jsonl"), "eval": os.path.join(data_dir, "eval.jsonl")}
    data = load_dataset("json", data_files=files)
    rubric = vf.Rubric(
        funcs=[_reward_func(c, spec) for c in spec["criteria"]],
        weights=[float(c["weight"]) for c in spec["criteria"]],
    )
    return vf.SingleTurnEnv(dataset=data["train"], eval_dataset=data["eval"], rubric=rubric, **kwargs)
