#!/usr/bin/python3
# The bench's PyTorch contender (bench/torch-section.ts runs it; benchmark only, never a runtime or test
# dependency): the same Llama-style model step as our engine, written as a Python user would in PyTorch's CPU
# build (float32, eager, autograd, torch.optim.AdamW): embedding, per layer RMSNorm -> q/k/v -> RoPE (rotate_half)
# -> causal grouped-query attention -> o, RMSNorm -> SwiGLU MLP, final RMSNorm, tied LM head, log-softmax, gather;
# loss -sum(weights * logp); clip the gradient norm; AdamW (decay on matrices only, as ours). Greedy decoding
# with a preallocated KV cache (prefill each prompt once, share it with its G rows).
#
# Usage: torch-step.py DIR THREADS. DIR holds spec.json (model dims, parameter entries, shapes, AdamW settings),
# params.f32 (our flat parameter buffer), batch.bin (tokens, targets int32; weights f32) and prompts.i32. On start
# it writes check-THREADS.bin (log-probs [N], loss [1], gradients in the flat layout, decode step-0 logits [R, V], greedy
# tokens [R, newTokens] as f32) and prints one JSON line {"ready": ...}; then each stdin line 'train', 'forward'
# or 'decode' runs that once and prints {"ms": wall time}; 'quit' exits.

import json
import math
import os
import sys
import time

import torch

DIR, THREADS = sys.argv[1], int(sys.argv[2])
torch.set_num_threads(THREADS)
torch.set_num_interop_threads(1)
spec = json.load(open(os.path.join(DIR, 'spec.json')))
d = spec['dims']
C, F, L, NH, KVH, D, V, eps, theta = d['C'], d['F'], d['L'], d['NH'], d['KVH'], d['D'], d['V'], d['eps'], d['ropeTheta']
B, T = spec['B'], spec['T']
N = B * T

flat = torch.from_numpy(__import__('numpy').fromfile(os.path.join(DIR, 'params.f32'), dtype='<f4').copy())
params = {}
for e in spec['entries']:
    params[e['name']] = flat[e['offset']:e['offset'] + e['size']].clone().view(e['shape']).requires_grad_(True)
raw = open(os.path.join(DIR, 'batch.bin'), 'rb').read()
tokens = torch.frombuffer(bytearray(raw[:4 * N]), dtype=torch.int32).long().view(B, T)
targets = torch.frombuffer(bytearray(raw[4 * N:8 * N]), dtype=torch.int32).long().view(B, T)
weights = torch.frombuffer(bytearray(raw[8 * N:12 * N]), dtype=torch.float32).view(B, T)
P, G, Tp, new_tokens = spec['P'], spec['G'], spec['Tp'], spec['newTokens']
prompts = torch.frombuffer(bytearray(open(os.path.join(DIR, 'prompts.i32'), 'rb').read()), dtype=torch.int32).long().view(P, Tp)

max_t = max(T, Tp + new_tokens)
inv_freq = 1.0 / (theta ** (torch.arange(0, D, 2, dtype=torch.float64) / D))
angles = torch.outer(torch.arange(max_t, dtype=torch.float64), inv_freq)
COS = torch.cat((angles, angles), -1).cos().float()  # [maxT, D]
SIN = torch.cat((angles, angles), -1).sin().float()


def rms_norm(x, w):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rope(x, pos):  # x [B, H, S, D], pos [S]
    half = D // 2
    rot = torch.cat((-x[..., half:], x[..., :half]), -1)
    return x * COS[pos] + rot * SIN[pos]


def layer_qkv(p, l, x, pos):
    pre = f'model.layers.{l}.'
    Bx, S, _ = x.shape
    xn = rms_norm(x, p[pre + 'input_layernorm.weight'])
    q = (xn @ p[pre + 'self_attn.q_proj.weight'].T).view(Bx, S, NH, D).transpose(1, 2)
    k = (xn @ p[pre + 'self_attn.k_proj.weight'].T).view(Bx, S, KVH, D).transpose(1, 2)
    v = (xn @ p[pre + 'self_attn.v_proj.weight'].T).view(Bx, S, KVH, D).transpose(1, 2)
    return rope(q, pos), rope(k, pos), v


def attend(q, k, v, mask):  # q [B, NH, S, D], k/v [B, KVH, Tk, D]; grouped heads read kv head h // (NH / KVH)
    rep = NH // KVH
    k = k.repeat_interleave(rep, dim=1)
    v = v.repeat_interleave(rep, dim=1)
    s = (q @ k.transpose(-1, -2)) / math.sqrt(D)
    if mask is not None:
        s = s.masked_fill(mask, float('-inf'))
    return torch.softmax(s, -1) @ v


def layer_rest(p, l, x, att):
    pre = f'model.layers.{l}.'
    Bx, S, _ = x.shape
    x = x + att.transpose(1, 2).reshape(Bx, S, NH * D) @ p[pre + 'self_attn.o_proj.weight'].T
    xn = rms_norm(x, p[pre + 'post_attention_layernorm.weight'])
    mlp = torch.nn.functional.silu(xn @ p[pre + 'mlp.gate_proj.weight'].T) * (xn @ p[pre + 'mlp.up_proj.weight'].T)
    return x + mlp @ p[pre + 'mlp.down_proj.weight'].T


def head(p, x):
    return rms_norm(x, p['model.norm.weight']) @ p['model.embed_tokens.weight'].T


def logprobs(p):
    pos = torch.arange(T)
    causal = torch.ones(T, T, dtype=torch.bool).triu(1)
    x = p['model.embed_tokens.weight'][tokens]
    for l in range(L):
        q, k, v = layer_qkv(p, l, x, pos)
        x = layer_rest(p, l, x, attend(q, k, v, causal))
    return torch.log_softmax(head(p, x), -1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)


adam = spec['adam']
decay = [params[e['name']] for e in spec['entries'] if e['decay']]
no_decay = [params[e['name']] for e in spec['entries'] if not e['decay']]
opt = torch.optim.AdamW(
    [{'params': decay, 'weight_decay': adam['weightDecay']}, {'params': no_decay, 'weight_decay': 0.0}],
    lr=adam['lr'], betas=(adam['beta1'], adam['beta2']), eps=adam['eps'])
all_params = list(params.values())


def train_step():
    opt.zero_grad(set_to_none=False)
    loss = -(weights * logprobs(params)).sum()
    loss.backward()
    if adam['maxGradNorm'] > 0:
        torch.nn.utils.clip_grad_norm_(all_params, adam['maxGradNorm'])
    opt.step()
    return loss


@torch.no_grad()
def decode(on_first_logits=None):
    """Greedy: prefill the P prompts once, copy each one's cache to its G rows, then one token per row per step."""
    R = P * G
    kc = [torch.zeros(R, KVH, Tp + new_tokens, D) for _ in range(L)]
    vc = [torch.zeros(R, KVH, Tp + new_tokens, D) for _ in range(L)]
    x = params['model.embed_tokens.weight'][prompts]
    pos = torch.arange(Tp)
    causal = torch.ones(Tp, Tp, dtype=torch.bool).triu(1)
    for l in range(L):
        q, k, v = layer_qkv(params, l, x, pos)
        kc[l][:, :, :Tp] = k.repeat_interleave(G, dim=0)
        vc[l][:, :, :Tp] = v.repeat_interleave(G, dim=0)
        x = layer_rest(params, l, x, attend(q, k, v, causal))
    logits = head(params, x[:, -1]).repeat_interleave(G, dim=0)  # [R, V]
    if on_first_logits:
        on_first_logits(logits)
    out = torch.empty(R, new_tokens, dtype=torch.long)
    tok = logits.argmax(-1)
    out[:, 0] = tok
    for t in range(1, new_tokens):
        p = Tp + t - 1
        x = params['model.embed_tokens.weight'][tok].unsqueeze(1)  # [R, 1, C]
        pos = torch.tensor([p])
        for l in range(L):
            q, k, v = layer_qkv(params, l, x, pos)
            kc[l][:, :, p:p + 1] = k
            vc[l][:, :, p:p + 1] = v
            x = layer_rest(params, l, x, attend(q, kc[l][:, :, :p + 1], vc[l][:, :, :p + 1], None))
        tok = head(params, x[:, 0]).argmax(-1)
        out[:, t] = tok
    return out


# ---- the check, before any update ----
logp = logprobs(params)
loss = -(weights * logp).sum()
loss.backward()
grads = torch.zeros(flat.numel())
for e in spec['entries']:
    grads[e['offset']:e['offset'] + e['size']] = params[e['name']].grad.reshape(-1)
first = []
greedy = decode(first.append)
with open(os.path.join(DIR, f'check-{THREADS}.bin'), 'wb') as f:
    for t in (logp.detach().reshape(-1), loss.detach().reshape(1), grads, first[0].reshape(-1), greedy.float().reshape(-1)):
        f.write(t.contiguous().numpy().astype('<f4').tobytes())
opt.zero_grad(set_to_none=False)
print(json.dumps({'ready': {'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': 'openblas-pthread' if os.path.exists('/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3') else 'unknown'}}), flush=True)

for line in sys.stdin:
    cmd = line.strip()
    if cmd == 'quit':
        break
    t0 = time.perf_counter()
    if cmd == 'train':
        train_step()
    elif cmd == 'forward':
        with torch.no_grad():
            logprobs(params)
    elif cmd == 'decode':
        decode()
    else:
        print(json.dumps({'error': f'unknown command {cmd!r}'}), flush=True)
        continue
    print(json.dumps({'ms': (time.perf_counter() - t0) * 1000}), flush=True)
