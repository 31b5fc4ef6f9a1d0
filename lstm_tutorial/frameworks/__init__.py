"""Bridges to the real frameworks: Keras 3 (on its PyTorch backend) and PyTorch.

    keras_model  the classic Keras sine model, and Keras' own .keras files
    interop      weights to and from Keras and PyTorch, for every cell and model
    agree        measured differences between NumPy, Keras and PyTorch

Keras and PyTorch are imported only inside the functions that need them, so a
bare install (NumPy and matplotlib) can import every module. These modules build
on ``lstm_tutorial.nn`` and nothing above it.
"""

__all__: list[str] = []
