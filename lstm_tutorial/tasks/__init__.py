"""What the book does with the core: data, baselines, the language model, probes.

    data          the sine wave, sliding windows, a chronological split, the adding problem
    mackey_glass  the Mackey-Glass delay equation's chaotic series
    forecast      persistence and linear-autoregression baselines, multi-step forecasts
    mlp           a feed-forward baseline: an MLP on a flattened window, early stopping
    text          the standard library as a corpus, a vocabulary, stream batches, tokenize labels
    ngram         smoothed character n-gram baselines (Kneser-Ney, absolute discounting)
    metrics       bits per character and perplexity
    language      the character-level language model: build, sample, evaluate, train
    probe         what the cells learn: units by correlation, gate saturation, cell internals
    vocab         characters as ids for sequence to sequence: PAD, START, END
    addition      addition questions drawn as Keras' example draws them, the held-out split

They build on ``lstm_tutorial.nn`` (and ``frameworks`` for the Keras twins).
"""

__all__: list[str] = []
