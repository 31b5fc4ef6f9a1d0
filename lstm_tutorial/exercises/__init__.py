"""Checkers for the book's exercises, one module per chapter.

Each ``check_*`` function takes the reader's function, runs it on several
random cases (fixed seeds; edge cases such as batch 1 and hidden size 1
included), compares the result with the reference solution and prints one
verdict: pass, "not implemented yet", or the first failing case with its
shapes, the relative error and, when the mistake is a known one, a hint. It
never prints the solution. It returns a ``CheckResult``; the book's solution
cells call ``.raise_if_failed()`` so that a wrong solution fails the build.

    from lstm_tutorial.exercises import check_lstm_step
    check_lstm_step(my_lstm_step)

Every reference solution is the package's own function (``data.make_windows``,
``lstm.lstm_step``, ``optim.Adam`` ...), wrapped to take the exercise's
arguments; every known mistake is that reference called with the mistake made.
``checking`` holds the machinery; ``EXERCISES`` lists every exercise by id.
"""

from __future__ import annotations

from .ch01_rnn import EXERCISES as _CH01
from .ch01_rnn import check_make_windows, check_rnn_step
from .ch02_vanishing_gradients import EXERCISES as _CH02
from .ch02_vanishing_gradients import check_clip_by_global_norm, check_hidden_grad_norms
from .ch03_lstm_gates import EXERCISES as _CH03
from .ch03_lstm_gates import check_lstm_step, check_sigmoid, check_split_keras_lstm, check_torch_to_keras
from .ch04_cell_state import EXERCISES as _CH04
from .ch04_cell_state import check_cell_path_gain
from .ch05_bptt import EXERCISES as _CH05
from .ch05_bptt import check_adam_step, check_lstm_bptt, check_lstm_step_backward
from .ch06_keras_sine import EXERCISES as _CH06
from .ch06_keras_sine import check_sine_model_param_count
from .ch07_two_implementations import EXERCISES as _CH07
from .ch07_two_implementations import check_sine_model_predict
from .ch08_forecasting import EXERCISES as _CH08
from .ch08_forecasting import (
    check_fit_ar,
    check_persistence_forecast,
    check_recursive_forecast,
    check_split_in_time,
)
from .ch09_variants import EXERCISES as _CH09
from .ch09_variants import check_cifg_step, check_gru_step, check_peephole_step
from .ch10_char_language_model import EXERCISES as _CH10
from .ch10_char_language_model import (
    check_bigram_bits_per_char,
    check_copied_share,
    check_input_dropout_grad,
    check_perplexity_from_bits,
    check_sample_next,
)
from .ch11_keras_language_model import EXERCISES as _CH11
from .ch11_keras_language_model import check_softmax_cross_entropy_grad
from .ch12_what_cells_learn import EXERCISES as _CH12
from .ch12_what_cells_learn import check_best_unit
from .ch13_bidirectional_and_memory import EXERCISES as _CH13
from .ch13_bidirectional_and_memory import check_bidirectional_lstm, check_mlp_predict
from .ch14_keras_addition import EXERCISES as _CH14
from .ch14_keras_addition import check_repeat_vector_grad, check_whole_answer_accuracy
from .ch15_encoder_decoder import EXERCISES as _CH15
from .ch15_encoder_decoder import check_decoder_inputs, check_masked_cross_entropy, check_masked_lstm_step
from .ch16_beam_search import EXERCISES as _CH16
from .ch16_beam_search import check_beam_step, check_normalised_scores
from .ch17_attention import EXERCISES as _CH17
from .ch17_attention import check_attention_weights
from .checking import CheckResult, Exercise

__all__ = [
    "EXERCISES",
    "CheckResult",
    "Exercise",
    "check_adam_step",
    "check_attention_weights",
    "check_beam_step",
    "check_best_unit",
    "check_bidirectional_lstm",
    "check_bigram_bits_per_char",
    "check_cell_path_gain",
    "check_cifg_step",
    "check_clip_by_global_norm",
    "check_copied_share",
    "check_decoder_inputs",
    "check_fit_ar",
    "check_gru_step",
    "check_hidden_grad_norms",
    "check_input_dropout_grad",
    "check_lstm_bptt",
    "check_lstm_step",
    "check_lstm_step_backward",
    "check_make_windows",
    "check_masked_cross_entropy",
    "check_masked_lstm_step",
    "check_mlp_predict",
    "check_normalised_scores",
    "check_peephole_step",
    "check_perplexity_from_bits",
    "check_persistence_forecast",
    "check_recursive_forecast",
    "check_repeat_vector_grad",
    "check_rnn_step",
    "check_sample_next",
    "check_sigmoid",
    "check_sine_model_param_count",
    "check_sine_model_predict",
    "check_softmax_cross_entropy_grad",
    "check_split_in_time",
    "check_split_keras_lstm",
    "check_torch_to_keras",
    "check_whole_answer_accuracy",
]

EXERCISES: dict[str, Exercise] = {
    exercise.id: exercise
    for exercise in (
        *_CH01,
        *_CH02,
        *_CH03,
        *_CH04,
        *_CH05,
        *_CH06,
        *_CH07,
        *_CH08,
        *_CH09,
        *_CH10,
        *_CH11,
        *_CH12,
        *_CH13,
        *_CH14,
        *_CH15,
        *_CH16,
        *_CH17,
    )
}
"""Every exercise of the book by its id, in the book's order: ``EXERCISES["ch01-windows"]`` is the
exercise the chapter labels ``ex-ch01-windows``."""
