"""Bridges to the real frameworks: Keras 3 (on its PyTorch backend) and PyTorch.

    keras        the classic Keras sine model, Keras' own .keras files, and to_keras / from_keras
                 for every cell and model (_keras_layers: each layer's Keras twin, the one table)
    keras_seq2seq  the encoder-decoder's functional Keras twin: build_keras_twin, to_keras, from_keras
    torch        to_torch / from_torch for every cell with a PyTorch twin, and for whole models
    torch_seq2seq  the encoder-decoder as a torch.nn.Module (pack_padded_sequence): to_torch, from_torch
    agree        measured differences between NumPy, Keras and PyTorch

PyTorch is imported only inside the functions that need it, so a bare install
(NumPy and matplotlib) can import ``torch`` and ``agree``; ``keras`` imports Keras
when it is imported, and without the ``frameworks`` extra says how to install it.
These modules build on ``lstm_tutorial.nn`` and nothing above it.
"""

__all__: list[str] = []
