# Writes the PyTorch side of the parity tests: ops.json (torch_ops.py), modules.json
# (torch_modules.py) and onnx/*.onnx with onnx.json (torch_onnx_models.py), read by ops.test.ts,
# modules.test.ts and onnx_import.test.ts. Needs PyTorch (Debian:
# `apt-get install python3-torch`, 1.13), then from the project root:
#   /usr/bin/python3 test/parity/generate.py
# Inputs come from numpy generators seeded by each case's name, so a rerun writes the same files
# (up to PyTorch version differences in the last bits). Numbers keep 9 significant digits (float32
# round-trips); NaN and ±Infinity are written as strings.
import json, math, os, sys, zlib
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from torch_ops import CASES
from torch_modules import MODS, OPTS
from torch_onnx_models import models as onnx_models


def rng_for(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def compact(o):
    if isinstance(o, float):
        if o != o: return 'NaN'
        if math.isinf(o): return 'Infinity' if o > 0 else '-Infinity'
        return float('%.9g' % o)
    if isinstance(o, list): return [compact(v) for v in o]
    if isinstance(o, dict): return {k: compact(v) for k, v in o.items()}
    return o


def enc(t):
    t = t.detach()
    return {'shape': list(t.shape), 'data': t.reshape(-1).double().numpy().tolist()}


def make_input(kind, shape, rng):
    if kind == 'randn': return rng.standard_normal(shape).astype(np.float32)
    if kind == 'rand': return rng.random(shape).astype(np.float32)
    if kind == 'pos': return (rng.random(shape) * 1.9 + 0.1).astype(np.float32)
    if kind == 'prob': return (rng.random(shape) * 0.9 + 0.05).astype(np.float32)
    if kind == 'ties': return (np.round(rng.standard_normal(shape) * 2) / 2).astype(np.float32)
    if kind == 'half': return (np.round(rng.standard_normal(shape) * 4) / 2 + 0.5 * (rng.random(shape) < 0.3)).astype(np.float32)
    if kind == 'sign': return np.where(rng.random(shape) < 0.5, -1.0, 1.0).astype(np.float32)
    if kind.startswith('int:'): return rng.integers(0, int(kind[4:]), shape).astype(np.int64)
    if kind == 'bool': return rng.random(shape) < 0.5
    raise ValueError(f'unknown input kind {kind}')


def flat_outputs(r):
    if isinstance(r, (tuple, list)):
        return [t for v in r for t in flat_outputs(v)]
    return [] if r is None else [r]


def op_case(c):
    """Forward outputs, a random cotangent per float output, and the input gradients of sum(out · cot)."""
    rng = rng_for(c['name'])
    arrays = [make_input(k, s, rng) for k, s in c['inputs']]
    grad = c.get('grad', True)
    ts = [torch.tensor(a).requires_grad_(grad and a.dtype == np.float32) for a in arrays]
    fn = eval(c['torch'])
    try:
        outs = flat_outputs(fn(*ts))
    except RuntimeError as e:
        # Targets PyTorch does not differentiate (soft_margin_loss's labels): only the first input requires grad.
        if 'differentiable' not in str(e): raise
        for t in ts[1:]: t.requires_grad_(False)
        outs = flat_outputs(fn(*ts))
    cots = [rng.standard_normal(tuple(o.shape)).astype(np.float32) if o.requires_grad else None for o in outs]
    grads = [None] * len(ts)
    loss = sum((o * torch.tensor(k)).sum() for o, k in zip(outs, cots) if k is not None)
    wanted = [t for t in ts if t.requires_grad]
    if wanted and torch.is_tensor(loss):
        gs = iter(torch.autograd.grad(loss, wanted, allow_unused=True))
        grads = [(lambda g: None if g is None else enc(g))(next(gs)) if t.requires_grad else None for t in ts]
    return {
        'name': c['name'], 'js': c['js'], 'tol': c.get('tol', 1e-4),
        'inputs': [{'kind': k, 'shape': list(s), 'data': a.reshape(-1).astype(np.float64).tolist(), 'grad': bool(t.requires_grad)}
                   for a, (k, s), t in zip(arrays, c['inputs'], ts)],
        'outputs': [enc(o) for o in outs],
        'cots': [None if k is None else k.reshape(-1).astype(np.float64).tolist() for k in cots],
        'grads': grads,
    }


def module_case(c):
    torch.manual_seed(0)
    rng = rng_for(c['name'])
    m = eval(c['ctor'])
    if c.get('eval'): m.eval()
    state0 = {k: enc(v) for k, v in m.state_dict().items()}
    xs = [torch.tensor(make_input(k, s, rng)).requires_grad_(not k.startswith('int:')) for k, s in c['inputs']]
    outs = flat_outputs(eval(c['fwd'])(m, *xs))
    cots = [rng.standard_normal(tuple(o.shape)).astype(np.float32) for o in outs]
    sum((o * torch.tensor(k)).sum() for o, k in zip(outs, cots) if o.requires_grad).backward()
    return {
        'name': c['name'], 'ctor': c['jsctor'], 'fwd': c['jsfwd'], 'eval': c.get('eval', False), 'tol': c.get('tol', 1e-4),
        'state0': state0,
        'inputs': [{'kind': k, 'shape': list(s), 'data': x.detach().reshape(-1).double().numpy().tolist()} for x, (k, s) in zip(xs, c['inputs'])],
        'outputs': [enc(o) for o in outs],
        'cots': [k.reshape(-1).astype(np.float64).tolist() for k in cots],
        'inputGrads': [None if x.grad is None else enc(x.grad) for x in xs],
        'paramGrads': {n: enc(p.grad) for n, p in m.named_parameters() if p.grad is not None},
        # Parameters do not change in a forward; buffers (running statistics) may.
        'buffers1': {k: enc(v) for k, v in m.state_dict().items() if k not in dict(m.named_parameters())},
    }


def optimizer_case(c):
    torch.manual_seed(1)
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    x, y = torch.randn(7, 5), torch.randn(7, 3)
    start = [enc(w), enc(b)]
    opt = eval(c['torch'])([w, b])
    sched = eval(c['sched'])(opt) if c.get('sched') else None
    steps = []
    for _ in range(c.get('steps', 6)):
        opt.zero_grad()
        loss = ((x @ w + b - y) ** 2).mean() + (w ** 4).sum() * 0.01
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step(loss.item()) if c.get('plateau') else sched.step()
        g = opt.param_groups[0]
        steps.append({'lr': g['lr'], 'params': [enc(w), enc(b)], **({'mom': g['betas'][0] if 'betas' in g else g['momentum']} if c.get('mom') else {})})
    return {'name': c['name'], 'js': c['js'], 'jsSched': c.get('jssched'), 'plateau': c.get('plateau', False),
            'start': start, 'x': enc(x), 'y': enc(y), 'steps': steps}


def write(name, obj):
    with open(os.path.join(HERE, name), 'w') as f:
        json.dump(compact(obj), f, separators=(',', ':'))
        f.write('\n')


def export_onnx():
    os.makedirs(os.path.join(HERE, 'onnx'), exist_ok=True)
    out = []
    for name, m, x in onnx_models():
        m.eval()
        with torch.no_grad():
            y = m(x)
        torch.onnx.export(m, (x,), os.path.join(HERE, 'onnx', f'{name}.onnx'), input_names=['x'], output_names=['y'],
                          opset_version=14, dynamic_axes={'x': {0: 'batch'}})
        out.append({'name': name, 'x': {**enc(x), 'int': x.dtype == torch.int64}, 'y': enc(y)})
    return out


write('onnx.json', {'torch': torch.__version__, 'models': export_onnx()})
write('ops.json', {'torch': torch.__version__, 'cases': [op_case(c) for c in CASES]})
write('modules.json', {'torch': torch.__version__, 'modules': [module_case(c) for c in MODS], 'optimizers': [optimizer_case(c) for c in OPTS]})
print(f'torch {torch.__version__}: {len(CASES)} op cases, {len(MODS)} modules, {len(OPTS)} optimizers, {len(onnx_models())} ONNX exports')
