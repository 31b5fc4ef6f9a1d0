"""The from-scratch core: NumPy only, and nothing else of this package below it.

Cells know one step; ``sequence`` owns time; layers stack into a model; a loss,
an optimizer and ``fit`` train it; ``saving`` writes it to disk.

    activations  sigmoid and tanh that never overflow
    cell         what every cell shares: CellParams (weights, checks, state), step / step_backward
    sequence     one loop over time for any cell: forward, BPTT, truncated BPTT, state gradients
    rnn          the vanilla RNN cell
    lstm         the LSTM cell, the book's equations; it picks its own fast path (lstm_fast)
    lstm_fast    the LSTM rearranged for speed, held equal to the textbook path by a test
    gru          the GRU cell (Keras' layout)
    variants     the peephole LSTM and Greff et al.'s variants
    layer        Layer, the base every layer derives from: what it takes and gives, its config; LAYERS
    layers       Recurrent (any cell over time, optionally stateful, optionally dropping its inputs) and Dense
    embedding    Embedding: integer ids in, one learned vector per id out
    bidirectional  Bidirectional: one recurrent layer forward, one backward, merged
    repeat       RepeatVector: one vector in, the same vector at each of n steps out
    dropout      inverted dropout: dropout_forward / dropout_backward and the Dropout layer
    losses       mean squared error, softmax cross-entropy at every step (class ids or one-hot)
    masking      any cell over padded sequences with Keras' mask semantics; the masked loss
    attention    Luong's dot-product attention (Keras' Attention()), forward and backward
    seq2seq      EncoderDecoder: encoder and decoder LSTMs, teacher forcing, optional attention,
                 encode / decode_step for greedy and beam search (its input checks: _seq2seq_checks)
    decoding     greedy, beam and exhaustive search over any step-by-step decoder; the length penalty
    model        Sequential: layers in a row and a loss, Keras' model API
    regressors   LSTMRegressor, the classic sine model, and its RNN, GRU and variant twins
    optim        SGD and Keras 3's Adam, gradient clipping
    train        fit(): mini-batch training with a loss history
    saving       .npz files for any cell or model, loaded without pickle
    gradcheck    finite differences and the relative error

Nothing here imports Keras, PyTorch, matplotlib or another subpackage of
``lstm_tutorial`` (``tests/unit/test_layering.py`` holds it to that).
"""

__all__: list[str] = []
