# Module and optimizer parity cases. MODS: a torch module built after torch.manual_seed(0) and the
# asgrad module of the same configuration loaded with its state_dict; generate.py records outputs,
# input and parameter gradients, and the state_dict after the forward (running statistics).
# OPTS: optimizer steps (with a learning-rate scheduler where given) on one small regression loss;
# generate.py records the parameters and the learning rate after every step.
MODS = []
def mod(name, ctor, inputs, fwd, jsctor, jsfwd, **kw):
    MODS.append(dict(name=name, ctor=ctor, inputs=inputs, fwd=fwd, jsctor=jsctor, jsfwd=jsfwd, **kw))
mod('lstm_bi_2l_bf', 'nn.LSTM(5, 4, num_layers=2, bidirectional=True, batch_first=True)', [('randn', (2,3,5))],
    'lambda m, x: m(x)', 'new ag.nn.LSTM(5, 4, {numLayers: 2, bidirectional: true, batchFirst: true})', '(m, x) => { const [o, [h, c]] = m.forward(x); return [o, h, c]; }')
mod('lstm_h0', 'nn.LSTM(3, 4)', [('randn', (5,2,3)), ('randn', (1,2,4)), ('randn', (1,2,4))],
    'lambda m, x, h, c: m(x, (h, c))', 'new ag.nn.LSTM(3, 4)', '(m, x, h, c) => { const [o, [hn, cn]] = m.forward(x, [h, c]); return [o, hn, cn]; }')
mod('gru_bi_2l', 'nn.GRU(5, 4, num_layers=2, bidirectional=True)', [('randn', (3,2,5))],
    'lambda m, x: m(x)', 'new ag.nn.GRU(5, 4, {numLayers: 2, bidirectional: true})', '(m, x) => { const [o, h] = m.forward(x); return [o, h]; }')
mod('rnn_relu_nobias', "nn.RNN(5, 4, nonlinearity='relu', bias=False)", [('randn', (3,2,5))],
    'lambda m, x: m(x)', "new ag.nn.RNN(5, 4, {nonlinearity: 'relu', bias: false})", '(m, x) => { const [o, h] = m.forward(x); return [o, h]; }')
mod('lstm_unbatched', 'nn.LSTM(3, 4)', [('randn', (5,3))],
    'lambda m, x: m(x)', 'new ag.nn.LSTM(3, 4)', '(m, x) => { const [o, [h, c]] = m.forward(x); return [o, h, c]; }')
mod('lstmcell', 'nn.LSTMCell(3, 4)', [('randn', (2,3))], 'lambda m, x: m(x)', 'new ag.nn.LSTMCell(3, 4)', '(m, x) => m.forward(x)')
mod('grucell', 'nn.GRUCell(3, 4)', [('randn', (2,3))], 'lambda m, x: m(x)', 'new ag.nn.GRUCell(3, 4)', '(m, x) => m.forward(x)')
mod('conv2d_mod', "nn.Conv2d(4, 6, 3, stride=2, padding=1, groups=2)", [('randn', (2,4,7,6))], 'lambda m, x: m(x)', 'new ag.nn.Conv2d(4, 6, 3, {stride: 2, padding: 1, groups: 2})', '(m, x) => m.forward(x)')
mod('conv2d_same', "nn.Conv2d(3, 2, (3, 4), padding='same', dilation=(1, 2))", [('randn', (1,3,6,7))], 'lambda m, x: m(x)', "new ag.nn.Conv2d(3, 2, [3, 4], {padding: 'same', dilation: [1, 2]})", '(m, x) => m.forward(x)')
mod('conv1d_mod', "nn.Conv1d(3, 4, 3, stride=1, padding=2, dilation=2)", [('randn', (2,3,9))], 'lambda m, x: m(x)', 'new ag.nn.Conv1d(3, 4, 3, {padding: 2, dilation: 2})', '(m, x) => m.forward(x)')
mod('convT2d_mod', "nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1, dilation=1)", [('randn', (1,4,4,5))], 'lambda m, x: m(x)', 'new ag.nn.ConvTranspose2d(4, 3, 3, {stride: 2, padding: 1, outputPadding: 1})', '(m, x) => m.forward(x)')
mod('bn2d_train', 'nn.BatchNorm2d(3, momentum=0.2)', [('randn', (4,3,2,3))], 'lambda m, x: m(x)', 'new ag.nn.BatchNorm2d(3, {momentum: 0.2})', '(m, x) => m.forward(x)')
mod('bn1d_train_3d', 'nn.BatchNorm1d(3)', [('randn', (4,3,5))], 'lambda m, x: m(x)', 'new ag.nn.BatchNorm1d(3)', '(m, x) => m.forward(x)')
mod('bn1d_eval', 'nn.BatchNorm1d(3)', [('randn', (4,3))], 'lambda m, x: m(x)', 'new ag.nn.BatchNorm1d(3)', '(m, x) => m.forward(x)', eval=True)
mod('embedding_pad', 'nn.Embedding(10, 4, padding_idx=0)', [('int:4', (3,5))], 'lambda m, x: m(x)', 'new ag.nn.Embedding(10, 4, {paddingIdx: 0})', '(m, x) => m.forward(x)')
mod('mha', 'nn.MultiheadAttention(8, 2, batch_first=True)', [('randn', (2,3,8)), ('randn', (2,4,8)), ('randn', (2,4,8))], 'lambda m, q, k, v: m(q, k, v)', 'new ag.nn.MultiheadAttention(8, 2, {batchFirst: true})', '(m, q, k, v) => { const [o, w] = m.forward(q, k, v); return [o, w]; }')
mod('mha_kdim', 'nn.MultiheadAttention(8, 2, kdim=5, vdim=6)', [('randn', (3,2,8)), ('randn', (4,2,5)), ('randn', (4,2,6))], 'lambda m, q, k, v: m(q, k, v, average_attn_weights=False)', 'new ag.nn.MultiheadAttention(8, 2, {kdim: 5, vdim: 6})', '(m, q, k, v) => { const [o, w] = m.forward(q, k, v, {averageAttnWeights: false}); return [o, w]; }')
mod('tel', 'nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)', [('randn', (2,3,8))], 'lambda m, x: m(x)', 'new ag.nn.TransformerEncoderLayer(8, 2, {dimFeedforward: 16, dropout: 0, batchFirst: true})', '(m, x) => m.forward(x)')
mod('tel_normfirst_gelu', "nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, norm_first=True, activation='gelu')", [('randn', (3,2,8))], 'lambda m, x: m(x)', "new ag.nn.TransformerEncoderLayer(8, 2, {dimFeedforward: 16, dropout: 0, normFirst: true, activation: 'gelu'})", '(m, x) => m.forward(x)')
mod('tdl', 'nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0)', [('randn', (3,2,8)), ('randn', (4,2,8))], 'lambda m, x, mem: m(x, mem)', 'new ag.nn.TransformerDecoderLayer(8, 2, {dimFeedforward: 16, dropout: 0})', '(m, x, mem) => m.forward(x, mem)')
mod('groupnorm_mod', 'nn.GroupNorm(2, 4)', [('randn', (2,4,3))], 'lambda m, x: m(x)', 'new ag.nn.GroupNorm(2, 4)', '(m, x) => m.forward(x)')
mod('instnorm_affine_track', 'nn.InstanceNorm1d(3, affine=True, track_running_stats=True)', [('randn', (2,3,5))], 'lambda m, x: m(x)', 'new ag.nn.InstanceNorm1d(3, {affine: true, trackRunningStats: true})', '(m, x) => m.forward(x)')
mod('layernorm_mod', 'nn.LayerNorm((3, 4), elementwise_affine=True)', [('randn', (2,3,4))], 'lambda m, x: m(x)', 'new ag.nn.LayerNorm([3, 4])', '(m, x) => m.forward(x)')
mod('linear_mod', 'nn.Linear(5, 3)', [('randn', (2,4,5))], 'lambda m, x: m(x)', 'new ag.nn.Linear(5, 3)', '(m, x) => m.forward(x)')

OPTS = []
def opt(name, torch_ctor, js, **kw): OPTS.append(dict(name=name, torch=torch_ctor, js=js, **kw))
opt('sgd_plain', 'lambda p: torch.optim.SGD(p, lr=0.1)', '(p) => new ag.optim.SGD(p, {lr: 0.1})')
opt('sgd_mom_damp_wd', 'lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01)', '(p) => new ag.optim.SGD(p, {lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01})')
opt('sgd_nesterov', 'lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)', '(p) => new ag.optim.SGD(p, {lr: 0.05, momentum: 0.9, nesterov: true})')
opt('adam', 'lambda p: torch.optim.Adam(p, lr=0.05)', '(p) => new ag.optim.Adam(p, {lr: 0.05})')
opt('adam_amsgrad_wd', 'lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1, amsgrad=True)', '(p) => new ag.optim.Adam(p, {lr: 0.05, betas: [0.8, 0.9], eps: 1e-6, weightDecay: 0.1, amsgrad: true})')
opt('adamw', 'lambda p: torch.optim.AdamW(p, lr=0.05)', '(p) => new ag.optim.AdamW(p, {lr: 0.05})')
opt('adamw_amsgrad', 'lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.3, amsgrad=True)', '(p) => new ag.optim.AdamW(p, {lr: 0.05, weightDecay: 0.3, amsgrad: true})')
opt('rmsprop', 'lambda p: torch.optim.RMSprop(p, lr=0.01)', '(p) => new ag.optim.RMSprop(p, {lr: 0.01})')
opt('rmsprop_centered_mom', 'lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)', '(p) => new ag.optim.RMSprop(p, {lr: 0.01, alpha: 0.9, momentum: 0.5, centered: true, weightDecay: 0.1})')
opt('adagrad', 'lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.05)', '(p) => new ag.optim.Adagrad(p, {lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1, weightDecay: 0.05})')
opt('sched_step', 'lambda p: torch.optim.SGD(p, lr=0.1)', '(p) => new ag.optim.SGD(p, {lr: 0.1})', sched='lambda o: torch.optim.lr_scheduler.StepLR(o, 2, gamma=0.5)', jssched='(o) => new ag.optim.StepLR(o, 2, 0.5)')
opt('sched_cosine', 'lambda p: torch.optim.SGD(p, lr=0.1)', '(p) => new ag.optim.SGD(p, {lr: 0.1})', sched='lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 4, eta_min=0.01)', jssched='(o) => new ag.optim.CosineAnnealingLR(o, 4, 0.01)', steps=9)
opt('sched_plateau', 'lambda p: torch.optim.SGD(p, lr=0.5)', '(p) => new ag.optim.SGD(p, {lr: 0.5})', sched='lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, patience=0, factor=0.5)', jssched='(o) => new ag.optim.ReduceLROnPlateau(o, {patience: 0, factor: 0.5})', plateau=True, steps=8)
mod('bn_momentum_none', 'nn.BatchNorm1d(3, momentum=None)', [('randn', (4,3))], 'lambda m, x: (m(x), m(x * 2))', 'new ag.nn.BatchNorm1d(3, {momentum: null})', '(m, x) => [m.forward(x), m.forward(x.mul(2))]')
mod('gru_h0_bf', 'nn.GRU(3, 4, batch_first=True, bidirectional=True)', [('randn', (2,5,3)), ('randn', (2,2,4))], 'lambda m, x, h: m(x, h)', 'new ag.nn.GRU(3, 4, {batchFirst: true, bidirectional: true})', '(m, x, h) => { const [o, hn] = m.forward(x, h); return [o, hn]; }')
mod('conv2d_nobias_valid', "nn.Conv2d(2, 3, 2, bias=False, padding='valid', stride=2)", [('randn', (1,2,5,5))], 'lambda m, x: m(x)', "new ag.nn.Conv2d(2, 3, 2, {bias: false, padding: 'valid', stride: 2})", '(m, x) => m.forward(x)')
mod('mha_masks', 'nn.MultiheadAttention(4, 2, batch_first=True)', [('randn', (2,3,4))], 'lambda m, x: m(x, x, x, key_padding_mask=torch.tensor([[False,False,True],[False,False,False]]), attn_mask=torch.triu(torch.ones(3,3, dtype=torch.bool), 1))', "new ag.nn.MultiheadAttention(4, 2, {batchFirst: true})", "(m, x) => { const [o, w] = m.forward(x, x, x, {keyPaddingMask: ag.tensor([[false,false,true],[false,false,false]]), attnMask: ag.ones([3,3]).triu(1).gt(0)}); return [o, w]; }")
mod('transformer_enc_stack', 'nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0), 2)', [('randn', (3,2,4))], 'lambda m, x: m(x)', 'new ag.nn.TransformerEncoder(new ag.nn.TransformerEncoderLayer(4, 2, {dimFeedforward: 8, dropout: 0}), 2)', '(m, x) => m.forward(x)')
mod('conv2d_reflect', "nn.Conv2d(2, 3, 3, padding=1, padding_mode='reflect')", [('randn', (1,2,5,5))], 'lambda m, x: m(x)', "new ag.nn.Conv2d(2, 3, 3, {padding: 1, paddingMode: 'reflect'})", '(m, x) => m.forward(x)')
mod('conv2d_circular_stride', "nn.Conv2d(2, 4, (3, 2), stride=2, padding=(1, 2), padding_mode='circular')", [('randn', (2,2,6,7))], 'lambda m, x: m(x)', "new ag.nn.Conv2d(2, 4, [3, 2], {stride: 2, padding: [1, 2], paddingMode: 'circular'})", '(m, x) => m.forward(x)')
mod('conv2d_replicate_same', "nn.Conv2d(2, 2, (4, 3), padding='same', dilation=(1, 2), padding_mode='replicate')", [('randn', (1,2,6,7))], 'lambda m, x: m(x)', "new ag.nn.Conv2d(2, 2, [4, 3], {padding: 'same', dilation: [1, 2], paddingMode: 'replicate'})", '(m, x) => m.forward(x)')
mod('conv1d_reflect_same', "nn.Conv1d(3, 2, 4, padding='same', padding_mode='reflect')", [('randn', (2,3,9))], 'lambda m, x: m(x)', "new ag.nn.Conv1d(3, 2, 4, {padding: 'same', paddingMode: 'reflect'})", '(m, x) => m.forward(x)')
mod('prelu_mod', 'nn.PReLU(3, init=0.1)', [('randn', (2,3,4))], 'lambda m, x: m(x)', 'new ag.nn.PReLU(3, 0.1)', '(m, x) => m.forward(x)')
opt('sgd_maximize', 'lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.5, maximize=True)', '(p) => new ag.optim.SGD(p, {lr: 0.01, momentum: 0.5, maximize: true})')
opt('adam_maximize_amsgrad', 'lambda p: torch.optim.Adam(p, lr=0.01, amsgrad=True, maximize=True)', '(p) => new ag.optim.Adam(p, {lr: 0.01, amsgrad: true, maximize: true})')
opt('rmsprop_maximize', 'lambda p: torch.optim.RMSprop(p, lr=0.01, maximize=True)', '(p) => new ag.optim.RMSprop(p, {lr: 0.01, maximize: true})')
opt('adagrad_maximize', 'lambda p: torch.optim.Adagrad(p, lr=0.05, maximize=True)', '(p) => new ag.optim.Adagrad(p, {lr: 0.05, maximize: true})')
opt('groups', 'lambda p: torch.optim.SGD([{"params": [p[0]], "lr": 0.05}, {"params": [p[1]], "momentum": 0.9}], lr=0.1)', '(p) => new ag.optim.SGD([{params: [p[0]], lr: 0.05}, {params: [p[1]], momentum: 0.9}], {lr: 0.1})')
opt('sched_exponential', 'lambda p: torch.optim.SGD(p, lr=0.1)', '(p) => new ag.optim.SGD(p, {lr: 0.1})', sched='lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.7)', jssched='(o) => new ag.optim.ExponentialLR(o, 0.7)')
opt('sched_linear', 'lambda p: torch.optim.SGD(p, lr=0.1)', '(p) => new ag.optim.SGD(p, {lr: 0.1})', sched='lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4)', jssched='(o) => new ag.optim.LinearLR(o, 0.25, 1.0, 4)', steps=7)
opt('sched_cosine_wrap', 'lambda p: torch.optim.SGD(p, lr=0.1)', '(p) => new ag.optim.SGD(p, {lr: 0.1})', sched='lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 3)', jssched='(o) => new ag.optim.CosineAnnealingLR(o, 3)', steps=10)
opt('sched_plateau_max_abs_cooldown', 'lambda p: torch.optim.SGD(p, lr=0.5)', '(p) => new ag.optim.SGD(p, {lr: 0.5})', sched="lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, mode='max', patience=1, factor=0.3, threshold=0.01, threshold_mode='abs', cooldown=1, min_lr=0.05)", jssched="(o) => new ag.optim.ReduceLROnPlateau(o, {mode: 'max', patience: 1, factor: 0.3, threshold: 0.01, thresholdMode: 'abs', cooldown: 1, minLr: 0.05})", plateau=True, steps=10)
mod('sequential_names', 'nn.Sequential(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(), nn.Linear(27, 4))', [('randn', (2,2,5,5))], 'lambda m, x: m(x)', 'new ag.nn.Sequential(new ag.nn.Conv2d(2, 3, 3), new ag.nn.BatchNorm2d(3), new ag.nn.ReLU(), new ag.nn.Flatten(), new ag.nn.Linear(27, 4))', '(m, x) => m.forward(x)')
mod('sequential_dict_names', 'nn.Sequential(__import__("collections").OrderedDict([("enc", nn.Linear(3, 5)), ("act", nn.Tanh()), ("dec", nn.Linear(5, 2))]))', [('randn', (4,3))], 'lambda m, x: m(x)', 'new ag.nn.Sequential({enc: new ag.nn.Linear(3, 5), act: new ag.nn.Tanh(), dec: new ag.nn.Linear(5, 2)})', '(m, x) => m.forward(x)')
S, LRS = 'lambda p: torch.optim.SGD(p, lr=0.1)', 'torch.optim.lr_scheduler'
SJ = '(p) => new ag.optim.SGD(p, {lr: 0.1})'
opt('sched_multistep', S, SJ, sched=f'lambda o: {LRS}.MultiStepLR(o, [5, 2, 5], gamma=0.5)', jssched='(o) => new ag.optim.MultiStepLR(o, [5, 2, 5], 0.5)', steps=8)
opt('sched_lambda_groups', 'lambda p: torch.optim.SGD([{"params": [p[0]]}, {"params": [p[1]], "lr": 0.05}], lr=0.1)', '(p) => new ag.optim.SGD([{params: [p[0]]}, {params: [p[1]], lr: 0.05}], {lr: 0.1})', sched=f'lambda o: {LRS}.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9 ** e])', jssched='(o) => new ag.optim.LambdaLR(o, [(e) => 1 / (e + 1), (e) => 0.9 ** e])')
opt('sched_onecycle_adam', 'lambda p: torch.optim.Adam(p, lr=0.01)', '(p) => new ag.optim.Adam(p, {lr: 0.01})', sched=f'lambda o: {LRS}.OneCycleLR(o, max_lr=0.1, total_steps=10)', jssched='(o) => new ag.optim.OneCycleLR(o, {maxLr: 0.1, totalSteps: 10})', steps=10, mom=True)
opt('sched_onecycle_sgd_3phase_linear', 'lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)', '(p) => new ag.optim.SGD(p, {lr: 0.1, momentum: 0.9})', sched=f"lambda o: {LRS}.OneCycleLR(o, max_lr=0.2, epochs=3, steps_per_epoch=4, pct_start=0.25, three_phase=True, anneal_strategy='linear', div_factor=10.0)", jssched="(o) => new ag.optim.OneCycleLR(o, {maxLr: 0.2, epochs: 3, stepsPerEpoch: 4, pctStart: 0.25, threePhase: true, annealStrategy: 'linear', divFactor: 10})", steps=12, mom=True)
opt('sched_onecycle_groups_rmsprop', 'lambda p: torch.optim.RMSprop([{"params": [p[0]]}, {"params": [p[1]]}], lr=0.01)', '(p) => new ag.optim.RMSprop([{params: [p[0]]}, {params: [p[1]]}], {lr: 0.01})', sched=f'lambda o: {LRS}.OneCycleLR(o, max_lr=[0.05, 0.02], total_steps=8, pct_start=0.4, base_momentum=[0.8, 0.7], max_momentum=0.9)', jssched='(o) => new ag.optim.OneCycleLR(o, {maxLr: [0.05, 0.02], totalSteps: 8, pctStart: 0.4, baseMomentum: [0.8, 0.7], maxMomentum: 0.9})', steps=8, mom=True)
