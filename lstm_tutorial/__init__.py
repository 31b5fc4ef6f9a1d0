"""lstm_tutorial: the companion package of the book "LSTM, from scratch and in Keras".

Modules, one idea each:

    data         the sine wave, sliding windows, a chronological split, the adding problem
    activations  sigmoid and tanh that never overflow
    rnn          a vanilla RNN: forward pass and backpropagation through time
    lstm         the LSTM: LSTMParams, lstm_step, lstm_forward, lstm_backward
    gru          the GRU (Keras' layout): GRUParams, gru_forward, gru_backward, GRURegressor
    variants     the peephole LSTM and Greff et al.'s variants, one configurable cell
    model        LSTMRegressor, the classic LSTM + Dense(1) sine model in NumPy
    optim        SGD and Keras 3's Adam
    train        fit(), mini-batch training with a loss history
    forecast     persistence and linear-autoregression baselines, recursive multi-step forecasts
    gradcheck    finite differences and the relative error
    keras_model  build_sine_model(), the classic Keras model (torch backend by default)
    interop      weights to and from Keras and PyTorch
    agree        measured differences between NumPy, Keras and PyTorch

Importing the package loads only NumPy; Keras and PyTorch (the ``frameworks``
extra, which the bare install leaves out) are imported by the functions that need
them, which say how to install them when they are missing.
"""

from __future__ import annotations

from .data import adding_problem, make_windows, sine_wave, train_test_split
from .gradcheck import numerical_gradient, rel_error
from .lstm import LSTMParams, lstm_backward, lstm_forward, lstm_step
from .model import LSTMRegressor
from .optim import SGD, Adam
from .rnn import RNNParams, rnn_backward, rnn_forward, rnn_step
from .train import fit

__version__ = "0.1.0"

__all__ = [
    "SGD",
    "Adam",
    "LSTMParams",
    "LSTMRegressor",
    "RNNParams",
    "__version__",
    "adding_problem",
    "fit",
    "lstm_backward",
    "lstm_forward",
    "lstm_step",
    "make_windows",
    "numerical_gradient",
    "rel_error",
    "rnn_backward",
    "rnn_forward",
    "rnn_step",
    "sine_wave",
    "train_test_split",
]
