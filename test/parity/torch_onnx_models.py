# Models exported by torch.onnx.export (opset 14, dynamic batch): generate.py writes each to
# onnx/<name>.onnx with PyTorch's output on a seeded input in onnx.json; onnx_import.test.ts runs
# them with importOnnx. They cover what PyTorch's exporter emits for a conv net with batch norm,
# stacked bidirectional LSTM and GRU after an embedding, a Transformer encoder (its attention and
# layer norm as primitive ops) and transposed conv, group norm, bilinear resize and ceil-mode pooling.
import torch
import torch.nn as nn


class ConvBN(nn.Module):
    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 8, 3, padding=1, stride=2)
        self.bn = nn.BatchNorm2d(8)
        self.c2 = nn.Conv2d(8, 4, 3, dilation=2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(4, 5)

    def forward(self, x):
        h = torch.relu(self.c2(torch.relu(self.bn(self.c(x)))))
        return torch.log_softmax(self.fc(self.pool(h).flatten(1)), 1)


class Recurrent(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(20, 8)
        self.lstm = nn.LSTM(8, 6, num_layers=2, bidirectional=True, batch_first=True)
        self.gru = nn.GRU(12, 5, batch_first=True)
        self.fc = nn.Linear(5, 3)

    def forward(self, x):
        o, _ = self.lstm(self.emb(x))
        o2, _ = self.gru(o)
        return self.fc(o2[:, -1])


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True), 2)
        self.ln = nn.LayerNorm(16)

    def forward(self, x):
        return self.ln(self.enc(x)).mean(1)


class Decoderish(nn.Module):
    def __init__(self):
        super().__init__()
        self.ct = nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1)
        self.gn = nn.GroupNorm(1, 3)
        self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)
        self.mp = nn.MaxPool2d(3, 2, 1, ceil_mode=True)

    def forward(self, x):
        return torch.sigmoid(self.mp(self.up(nn.functional.gelu(self.gn(self.ct(x))))))


def models():
    """(name, module, example input): modules made after torch.manual_seed(0), in eval mode."""
    torch.manual_seed(0)
    return [
        ('conv_bn', ConvBN(), torch.randn(2, 3, 17, 15)),
        ('recurrent', Recurrent(), torch.randint(0, 20, (2, 7))),
        ('encoder', Encoder(), torch.randn(2, 5, 16)),
        ('decoderish', Decoderish(), torch.randn(1, 2, 5, 6)),
    ]
