"""lstm_tutorial: the companion package of the book "LSTM, from scratch and in Keras".

Modules, one idea each, in the order the book meets them:

    data         the sine wave, sliding windows, a chronological split, the adding problem
    mackey_glass the Mackey-Glass delay equation's chaotic series
    activations  sigmoid and tanh that never overflow
    cell         what every cell shares: CellParams (weights, checks, state), step / step_backward
    sequence     one loop over time for any cell: forward, BPTT, truncated BPTT, state gradients
    rnn          the vanilla RNN cell: RNNParams, rnn_step, rnn_forward, rnn_backward
    lstm         the LSTM cell: LSTMParams, lstm_step, lstm_step_backward, lstm_forward, lstm_backward
    lstm_fast    the LSTM's fast path (fused gates, precomputed factors), what training runs
    gru          the GRU cell (Keras' layout): GRUParams, gru_step, gru_forward, gru_backward
    variants     the peephole LSTM and Greff et al.'s variants: PeepholeParams, Variant, VARIANTS
    layer        Layer, the base every layer derives from: what it takes and gives, get_config/from_config
    layers       Recurrent (any cell over time, optionally stateful) and Dense
    embedding    Embedding: integer ids in, one learned vector per id out
    bidirectional  Bidirectional: one recurrent layer forward, one backward, merged
    repeat       RepeatVector: one vector in, the same vector at each of n steps out
    losses       mean squared error, softmax cross-entropy at every step
    model        Sequential: any stack of layers that can work, and a loss (Keras' model API)
    regressors   LSTMRegressor (the classic sine model), RNNRegressor, GRURegressor, VariantRegressor
    optim        SGD and Keras 3's Adam, gradient clipping
    train        fit(), mini-batch training with a loss history (a progress bar at verbose=1);
                 DivergenceError when the loss diverges
    language     the character-level language model: char_model, sample (batches come from text)
    forecast     persistence and linear-autoregression baselines, recursive multi-step forecasts
    gradcheck    finite differences and the relative error
    text         the standard library as a corpus, a character vocabulary, stateful batches,
                 tokenize labels (string, comment, bracket depth, column)
    ngram        smoothed character n-gram baselines (Kneser-Ney, absolute discounting)
    metrics      bits per character and perplexity
    keras        build_sine_model(), the classic Keras model (torch backend by default);
                 to_keras / from_keras for every cell and model
    torch        to_torch / from_torch for every cell with a PyTorch twin, and whole models
    agree        measured differences between NumPy, Keras and PyTorch
    saving       .npz files for any cell or model, loaded without pickle
    kept         a trained model kept on disk for a later chapter (same recipe, same code)
    exercises    checked exercises, one module per chapter

Importing the package loads only NumPy; Keras and PyTorch (the ``frameworks``
extra, which the bare install leaves out) are imported by the functions that need
them, which say how to install them when they are missing.
"""

from __future__ import annotations

from .nn.bidirectional import Bidirectional
from .nn.cell import CellParams
from .nn.embedding import Embedding
from .nn.gradcheck import numerical_gradient, rel_error
from .nn.gru import GRUParams, gru_backward, gru_forward, gru_step
from .nn.layers import Dense, Recurrent
from .nn.lstm import LSTMParams, lstm_backward, lstm_forward, lstm_step, lstm_step_backward
from .nn.model import Sequential
from .nn.optim import SGD, Adam
from .nn.regressors import GRURegressor, LSTMRegressor, RNNRegressor, VariantRegressor
from .nn.repeat import RepeatVector
from .nn.rnn import RNNParams, rnn_backward, rnn_forward, rnn_step
from .nn.train import DivergenceError, fit
from .nn.variants import VARIANTS, PeepholeParams, Variant, variant_backward, variant_forward, variant_step
from .tasks.data import adding_problem, make_windows, sine_wave, train_test_split
from .tasks.language import char_model
from .tasks.mackey_glass import mackey_glass
from .tasks.metrics import bits_per_char, perplexity
from .tasks.ngram import NGramModel, fit_ngram
from .tasks.sampling import sample
from .tasks.text import Corpus, SourceLabels, Vocabulary, load_stdlib_corpus, python_labels, stream_batches

__version__ = "0.1.0"

__all__ = [
    "SGD",
    "VARIANTS",
    "Adam",
    "Bidirectional",
    "CellParams",
    "Corpus",
    "Dense",
    "DivergenceError",
    "Embedding",
    "GRUParams",
    "GRURegressor",
    "LSTMParams",
    "LSTMRegressor",
    "NGramModel",
    "PeepholeParams",
    "RNNParams",
    "RNNRegressor",
    "Recurrent",
    "RepeatVector",
    "Sequential",
    "SourceLabels",
    "Variant",
    "VariantRegressor",
    "Vocabulary",
    "__version__",
    "adding_problem",
    "bits_per_char",
    "char_model",
    "fit",
    "fit_ngram",
    "gru_backward",
    "gru_forward",
    "gru_step",
    "load_stdlib_corpus",
    "lstm_backward",
    "lstm_forward",
    "lstm_step",
    "lstm_step_backward",
    "mackey_glass",
    "make_windows",
    "numerical_gradient",
    "perplexity",
    "python_labels",
    "rel_error",
    "rnn_backward",
    "rnn_forward",
    "rnn_step",
    "sample",
    "sine_wave",
    "stream_batches",
    "train_test_split",
    "variant_backward",
    "variant_forward",
    "variant_step",
]
