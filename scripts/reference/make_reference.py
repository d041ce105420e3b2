#!/usr/bin/python3
# Outside reference for the engine: builds tiny Llama / Qwen2 / Qwen3 checkpoints in Hugging Face format and dumps
# log-probs, full logits, a GRPO-style loss and every parameter gradient computed by PyTorch (float64 autograd).
#
# Run by hand (not in CI), from the repository root:
#   apt-get install -y python3-torch python3-numpy libopenblas0-pthread   # Debian's torch; no pip packages needed
#   /usr/bin/python3 scripts/reference/make_reference.py                   # rewrites src/engine/testdata/reference/*
# It is deterministic (fixed seeds), so rerunning it reproduces the committed fixtures bit for bit on one machine.
#
# The reference model is written from the transformers modelling conventions (modeling_llama / qwen2 / qwen3), not
# from the engine: RMSNorm x * rsqrt(mean(x^2) + eps) * w; RoPE rotate_half over the two halves of each head with
# inv_freq = theta^(-2i/D); Qwen3 q_norm / k_norm per head BEFORE RoPE; GQA by repeat_kv (q head h reads kv head
# h // (NH / KVH)); SwiGLU down(silu(gate) * up); tied or untied lm_head; Qwen2 q/k/v bias without o bias.
#
# Per fixture folder src/engine/testdata/reference/<name>/:
#   config.json, model.safetensors   the checkpoint (F32, or BF16 for one model)
#   tokenizer.json, tokenizer_config.json   a character vocabulary of vocab_size tokens, so the folder loads as is
#   batch.json                       tokens [B][T] (right-padded with pad_token_id), targets [B][T], lengths [B],
#                                    loss_mask [B][T] (completion positions), advantages [B]
#   reference.safetensors            F32: logprobs [B,T] (log p(targets) at every real position, 0 elsewhere),
#                                    logits [B,T,V] (0 at pad positions), loss [1], grad.<HF tensor name> per tensor
# Loss (GRPO-style, sequence advantages): L = -sum_{b,t} adv_b * mask[b,t] * logp[b,t] / sum(mask),
# so dL/dlogp[b,t] = -adv_b * mask[b,t] / sum(mask).

import json
import math
import os
import struct
import sys

import torch

torch.set_num_threads(2)
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
OUT_DIR = os.path.join(ROOT, 'src', 'engine', 'testdata', 'reference')

# ---------------------------------------------------------------- safetensors (8-byte LE header size, JSON, data)

DTYPE_NAMES = {torch.float32: 'F32', torch.bfloat16: 'BF16', torch.int32: 'I32'}


def tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        # numpy has no bfloat16: reinterpret the 2-byte patterns as int16, which keeps the bits.
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder('<')).tobytes()


def write_safetensors(path, tensors, metadata=None):
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name]
        data = tensor_bytes(t)
        header[name] = {'dtype': DTYPE_NAMES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header['__metadata__'] = metadata
    head = json.dumps(header, separators=(',', ':')).encode('utf-8')
    head += b' ' * ((8 - len(head) % 8) % 8)  # the format allows trailing spaces; keeps the data 8-byte aligned
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Read back what write_safetensors wrote (round-trip check of the writer)."""
    with open(path, 'rb') as f:
        raw = f.read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        s, e = info['data_offsets']
        buf = bytearray(raw[base + s:base + e])
        if info['dtype'] == 'BF16':
            t = torch.frombuffer(buf, dtype=torch.int16).view(torch.bfloat16)
        elif info['dtype'] == 'F32':
            t = torch.frombuffer(buf, dtype=torch.float32)
        else:
            t = torch.frombuffer(buf, dtype=torch.int32)
        out[name] = t.reshape(info['shape']).clone()
    return out

# ---------------------------------------------------------------- the reference model (HF conventions, float64)


def rms_norm(x, w, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def rope_cos_sin(T, D, theta, dtype):
    inv_freq = 1.0 / (theta ** (torch.arange(0, D, 2, dtype=torch.float64) / D))
    freqs = torch.outer(torch.arange(T, dtype=torch.float64), inv_freq)  # [T, D/2]
    emb = torch.cat((freqs, freqs), dim=-1)  # [T, D]: the same angle for dims i and i + D/2
    return emb.cos().to(dtype), emb.sin().to(dtype)


def repeat_kv(x, n_rep):
    B, KVH, T, D = x.shape
    return x[:, :, None].expand(B, KVH, n_rep, T, D).reshape(B, KVH * n_rep, T, D)


def forward(cfg, p, tokens):
    """tokens [B, T] -> logits [B, T, V]. p maps HF tensor names to float64 leaf tensors."""
    B, T = tokens.shape
    C = cfg['hidden_size']
    NH = cfg['num_attention_heads']
    KVH = cfg['num_key_value_heads']
    D = cfg.get('head_dim', C // NH)
    eps = cfg['rms_norm_eps']
    qwen3 = cfg['model_type'] == 'qwen3'
    qkv_bias = cfg['model_type'] == 'qwen2'
    cos, sin = rope_cos_sin(T, D, cfg['rope_theta'], p['model.embed_tokens.weight'].dtype)
    causal = torch.ones(T, T, dtype=torch.bool).tril()

    h = p['model.embed_tokens.weight'][tokens]  # [B, T, C]
    for l in range(cfg['num_hidden_layers']):
        pre = f'model.layers.{l}.'
        x = rms_norm(h, p[pre + 'input_layernorm.weight'], eps)

        def proj(name, heads):
            y = x @ p[pre + f'self_attn.{name}.weight'].T
            if qkv_bias:
                y = y + p[pre + f'self_attn.{name}.bias']
            return y.view(B, T, heads, D)

        q, k, v = proj('q_proj', NH), proj('k_proj', KVH), proj('v_proj', KVH)
        if qwen3:  # per-head RMSNorm over head_dim, before RoPE
            q = rms_norm(q, p[pre + 'self_attn.q_norm.weight'], eps)
            k = rms_norm(k, p[pre + 'self_attn.k_norm.weight'], eps)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)  # [B, heads, T, D]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k, v = repeat_kv(k, NH // KVH), repeat_kv(v, NH // KVH)
        scores = (q @ k.transpose(2, 3)) / math.sqrt(D)
        scores = scores.masked_fill(~causal, float('-inf'))
        att = torch.softmax(scores, dim=-1) @ v  # [B, NH, T, D]
        att = att.transpose(1, 2).reshape(B, T, NH * D)
        h = h + att @ p[pre + 'self_attn.o_proj.weight'].T

        x = rms_norm(h, p[pre + 'post_attention_layernorm.weight'], eps)
        gate = x @ p[pre + 'mlp.gate_proj.weight'].T
        up = x @ p[pre + 'mlp.up_proj.weight'].T
        h = h + (torch.nn.functional.silu(gate) * up) @ p[pre + 'mlp.down_proj.weight'].T

    h = rms_norm(h, p['model.norm.weight'], eps)
    head = p['model.embed_tokens.weight'] if cfg['tie_word_embeddings'] else p['lm_head.weight']
    return h @ head.T

# ---------------------------------------------------------------- fixtures


def make_params(cfg, gen):
    C, F, V = cfg['hidden_size'], cfg['intermediate_size'], cfg['vocab_size']
    NH, KVH = cfg['num_attention_heads'], cfg['num_key_value_heads']
    D = cfg.get('head_dim', C // NH)

    def w(rows, cols):  # std 1/sqrt(fan_in): activations stay O(1), softmaxes neither flat nor one-hot
        return torch.randn(rows, cols, generator=gen) / math.sqrt(cols)

    def norm(n):  # not all ones, so a norm weight applied to the wrong thing shows
        return 1.0 + 0.2 * torch.randn(n, generator=gen)

    p = {'model.embed_tokens.weight': 0.4 * torch.randn(V, C, generator=gen)}
    for l in range(cfg['num_hidden_layers']):
        pre = f'model.layers.{l}.'
        p[pre + 'input_layernorm.weight'] = norm(C)
        p[pre + 'self_attn.q_proj.weight'] = w(NH * D, C)
        p[pre + 'self_attn.k_proj.weight'] = w(KVH * D, C)
        p[pre + 'self_attn.v_proj.weight'] = w(KVH * D, C)
        p[pre + 'self_attn.o_proj.weight'] = w(C, NH * D)
        if cfg['model_type'] == 'qwen2':
            p[pre + 'self_attn.q_proj.bias'] = 0.3 * torch.randn(NH * D, generator=gen)
            p[pre + 'self_attn.k_proj.bias'] = 0.3 * torch.randn(KVH * D, generator=gen)
            p[pre + 'self_attn.v_proj.bias'] = 0.3 * torch.randn(KVH * D, generator=gen)
        if cfg['model_type'] == 'qwen3':
            p[pre + 'self_attn.q_norm.weight'] = norm(D)
            p[pre + 'self_attn.k_norm.weight'] = norm(D)
        p[pre + 'post_attention_layernorm.weight'] = norm(C)
        p[pre + 'mlp.gate_proj.weight'] = w(F, C)
        p[pre + 'mlp.up_proj.weight'] = w(F, C)
        p[pre + 'mlp.down_proj.weight'] = w(C, F)
    p['model.norm.weight'] = norm(C)
    if not cfg['tie_word_embeddings']:
        p['lm_head.weight'] = w(V, C)
    return p


def make_batch(cfg, gen, T, lengths, prompt_lengths, advantages):
    """Right-padded batch as the trainer builds it: target t is token t+1; loss on completion positions only."""
    V, pad = cfg['vocab_size'], cfg['pad_token_id']
    tokens, targets, mask = [], [], []
    for n, pl in zip(lengths, prompt_lengths):
        seq = torch.randint(1, V, (n,), generator=gen).tolist()  # 0 is the pad token: keep it out of real text
        tokens.append(seq + [pad] * (T - n))
        targets.append(seq[1:] + [pad] * (T - n + 1))
        # position t predicts token t+1; the completion starts at token pl, so positions pl-1 .. n-2 count.
        mask.append([1.0 if pl - 1 <= t <= n - 2 else 0.0 for t in range(T)])
    return {'tokens': tokens, 'targets': targets, 'lengths': lengths, 'loss_mask': mask, 'advantages': advantages}


def grpo_loss(logits, batch):
    logp_all = torch.log_softmax(logits, dim=-1)
    targets = torch.tensor(batch['targets'])
    logp = logp_all.gather(-1, targets[..., None])[..., 0]  # [B, T]
    mask = torch.tensor(batch['loss_mask'], dtype=logits.dtype)
    adv = torch.tensor(batch['advantages'], dtype=logits.dtype)[:, None]
    return -(adv * mask * logp).sum() / mask.sum(), logp


def run_reference(cfg, weights, batch, dtype):
    p = {k: v.to(dtype).clone().requires_grad_(True) for k, v in weights.items()}
    logits = forward(cfg, p, torch.tensor(batch['tokens']))
    loss, logp = grpo_loss(logits, batch)
    grads = torch.autograd.grad(loss, list(p.values()))
    return logits.detach(), logp.detach(), loss.detach(), dict(zip(p.keys(), grads)), p


def finite_difference_check(cfg, weights, batch, grads, gen, per_tensor=2):
    """Central differences in float64 on a few entries of every tensor: a check on the reference itself."""
    worst = 0.0
    tokens = torch.tensor(batch['tokens'])
    p = {k: v.to(torch.float64).clone() for k, v in weights.items()}
    for name, t in p.items():
        for _ in range(per_tensor):
            i = int(torch.randint(0, t.numel(), (1,), generator=gen))
            h = 1e-6
            flat = t.view(-1)
            old = float(flat[i])
            flat[i] = old + h
            lp = grpo_loss(forward(cfg, p, tokens), batch)[0].item()
            flat[i] = old - h
            lm = grpo_loss(forward(cfg, p, tokens), batch)[0].item()
            flat[i] = old
            fd = (lp - lm) / (2 * h)
            g = float(grads[name].view(-1)[i])
            worst = max(worst, abs(fd - g) / (abs(g) + 1e-6))
    return worst


def write_tokenizer(folder, V):
    """A BPE tokenizer without merges over V - 3 single characters, ids 0-2 special: a loadable HF folder."""
    specials = ['<|endoftext|>', '<s>', '</s>']
    chars = [chr(c) for c in range(ord('!'), ord('!') + V - len(specials))]
    vocab = {t: i for i, t in enumerate(specials + chars)}
    added = [{'id': i, 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False,
              'special': True} for i, t in enumerate(specials)]
    tok = {'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': added, 'normalizer': None,
           'pre_tokenizer': None, 'post_processor': None, 'decoder': {'type': 'Fuse'},
           'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': None,
                     'end_of_word_suffix': None, 'fuse_unk': False, 'byte_fallback': False, 'ignore_merges': False,
                     'vocab': vocab, 'merges': []}}
    tok_cfg = {'tokenizer_class': 'PreTrainedTokenizerFast', 'bos_token': '<s>', 'eos_token': '</s>',
               'pad_token': '<|endoftext|>', 'unk_token': None, 'model_max_length': 64,
               'added_tokens_decoder': {str(a['id']): {k: v for k, v in a.items() if k != 'id'} for a in added}}
    with open(os.path.join(folder, 'tokenizer.json'), 'w') as f:
        json.dump(tok, f)
        f.write('\n')
    with open(os.path.join(folder, 'tokenizer_config.json'), 'w') as f:
        json.dump(tok_cfg, f, indent=2)
        f.write('\n')


def real_positions(batch):
    T = len(batch['tokens'][0])
    return torch.tensor([[1.0 if t < n else 0.0 for t in range(T)] for n in batch['lengths']], dtype=torch.float64)


def build(name, cfg, storage_dtype, seed):
    gen = torch.Generator().manual_seed(seed)
    weights = make_params(cfg, gen)
    # What the file holds is the truth: round to the storage dtype first, compute from the decoded values.
    weights = {k: v.to(storage_dtype) for k, v in weights.items()}
    batch = make_batch(cfg, gen, T=12, lengths=[12, 7], prompt_lengths=[4, 3], advantages=[1.25, -0.75])

    logits, logp, loss, grads, _ = run_reference(cfg, weights, batch, torch.float64)
    logits32, logp32, loss32, grads32, _ = run_reference(cfg, weights, batch, torch.float32)
    real = real_positions(batch)
    # Positions past a sequence's end (pads and the last real token's "next" target) carry no reference value.
    has_target = torch.tensor([[1.0 if t < n - 1 else 0.0 for t in range(len(real[0]))] for n in batch['lengths']],
                              dtype=torch.float64)

    folder = os.path.join(OUT_DIR, name)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(cfg, f, indent=2)
        f.write('\n')
    write_safetensors(os.path.join(folder, 'model.safetensors'), weights, {'format': 'pt'})
    write_tokenizer(folder, cfg['vocab_size'])
    with open(os.path.join(folder, 'batch.json'), 'w') as f:
        json.dump(batch, f)
        f.write('\n')
    ref = {
        'logprobs': (logp * has_target).float(),
        'logits': (logits * real[..., None]).float(),
        'loss': loss.float().reshape(1),
    }
    for k, g in grads.items():
        ref['grad.' + k] = g.float()
    write_safetensors(os.path.join(folder, 'reference.safetensors'), ref, {'source': 'scripts/reference/make_reference.py'})

    # Self-checks: the writer round-trips, autograd agrees with finite differences, and how far PyTorch's own
    # float32 run lands from float64 (the scale of error to expect from any float32 engine).
    back = read_safetensors(os.path.join(folder, 'model.safetensors'))
    assert all(torch.equal(back[k].view(-1).view(torch.int16 if v.dtype == torch.bfloat16 else torch.int32),
                           v.contiguous().view(-1).view(torch.int16 if v.dtype == torch.bfloat16 else torch.int32))
               for k, v in weights.items()), 'safetensors round trip failed'
    fd = finite_difference_check(cfg, weights, batch, grads, gen)
    d_logp = ((logp32.double() - logp) * has_target).abs().max().item()
    d_logits = ((logits32.double() - logits) * real[..., None]).abs().max().item()
    d_grad = max(((grads32[k].double() - g).abs().max() / g.abs().max()).item() for k, g in grads.items())
    sizes = sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    print(f'{name}: loss {loss.item():.6f}; fp32-vs-fp64 max |d logp| {d_logp:.2e}, |d logits| {d_logits:.2e}, '
          f'max |d grad|/max|grad| {d_grad:.2e}; finite-difference worst rel err {fd:.1e}; {sizes / 1024:.0f} KiB')


BASE = {
    'max_position_embeddings': 64,
    'rms_norm_eps': 1e-6,
    'bos_token_id': 1,
    'eos_token_id': 2,
    'pad_token_id': 0,
    'hidden_act': 'silu',
}

MODELS = [
    # Llama: GQA 4 q heads / 2 kv heads, head_dim = hidden / heads, untied head, F32.
    ('tiny-llama', dict(BASE, architectures=['LlamaForCausalLM'], model_type='llama', vocab_size=64, hidden_size=32,
                        intermediate_size=48, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                        rope_theta=10000.0, tie_word_embeddings=False, attention_bias=False, torch_dtype='float32'),
     torch.float32, 1),
    # Qwen2: q/k/v bias (no o bias), tied head, stored in BF16.
    ('tiny-qwen2', dict(BASE, architectures=['Qwen2ForCausalLM'], model_type='qwen2', vocab_size=64, hidden_size=32,
                        intermediate_size=48, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                        rope_theta=1000000.0, tie_word_embeddings=True, torch_dtype='bfloat16'),
     torch.bfloat16, 2),
    # Qwen3: q/k norm, head_dim 16 while hidden / heads = 8, GQA, tied head, F32.
    ('tiny-qwen3', dict(BASE, architectures=['Qwen3ForCausalLM'], model_type='qwen3', vocab_size=64, hidden_size=32,
                        intermediate_size=48, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                        head_dim=16, rope_theta=1000000.0, tie_word_embeddings=True, attention_bias=False,
                        torch_dtype='float32'),
     torch.float32, 3),
]

if __name__ == '__main__':
    print(f'torch {torch.__version__}; writing {OUT_DIR}')
    for model_name, model_cfg, storage, model_seed in MODELS:
        build(model_name, model_cfg, storage, model_seed)
    sys.exit(0)
