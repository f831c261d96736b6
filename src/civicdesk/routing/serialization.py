"""Classifier bytes as stored in the database: a signed, compressed pickle of scikit-learn objects.

Trust boundary: unpickling runs code named in the data, so only bytes this deployment wrote are
ever loaded. Every stored model starts with an HMAC-SHA256 of the rest, keyed by the Django
secret key (`CIVICDESK_SECRET_KEY`, or one of `SECRET_KEY_FALLBACKS` while a key is rotated);
a row written by anything that does not hold the key (a restored dump from another deployment,
a write through some other hole in the database) is refused before it is unpickled. On top of
that the unpickler accepts only scikit-learn classes and numpy's array and scalar types. A
deployment that changes its secret key without keeping the old one as a fallback retrains
(`civicdesk routing train`). Pickles also tie a model to the scikit-learn version that wrote it:
after upgrading scikit-learn, train again.
"""

import hmac
import io
import pickle
import zlib
from typing import Any

import numpy
from django.conf import settings
from django.utils.crypto import salted_hmac

MODEL_FORMAT = "pickle-zlib+hmac-sha256/1"
_SALT = "civicdesk.routing.classifier"
_SIGNATURE_BYTES = 32
_NUMPY_MODULES = ("numpy", "numpy._core.multiarray", "numpy._core.numeric", "numpy.core")
_NUMPY_NAMES = frozenset({"dtype", "ndarray", "_reconstruct", "scalar", "_frombuffer"})


class ModelIntegrityError(ValueError):
    """Stored model bytes that this deployment did not write, or that are damaged."""


def _signature(payload: bytes, secret: str | bytes) -> bytes:
    return salted_hmac(_SALT, payload, secret=secret, algorithm="sha256").digest()


def _numpy_scalar_type(name: str) -> bool:
    candidate = getattr(numpy, name, None)
    return isinstance(candidate, type) and issubclass(candidate, numpy.generic)


class _AllowListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "sklearn" or module.startswith("sklearn."):
            return super().find_class(module, name)
        if module.startswith(_NUMPY_MODULES) and (name in _NUMPY_NAMES or _numpy_scalar_type(name)):
            return super().find_class(module, name)
        raise ModelIntegrityError(f"a stored model may not contain {module}.{name}")


def model_dump(model: Any) -> bytes:
    """The bytes to store for a fitted scikit-learn object: signature, then zlib'd pickle."""
    payload = zlib.compress(pickle.dumps(model, protocol=5), 6)
    return _signature(payload, settings.SECRET_KEY) + payload


def model_load(data: bytes | memoryview) -> Any:
    """The object back from `model_dump`'s bytes; `ModelIntegrityError` if they are not ours."""
    data = bytes(data)
    signature, payload = data[:_SIGNATURE_BYTES], data[_SIGNATURE_BYTES:]
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not payload or not any(
        hmac.compare_digest(signature, _signature(payload, secret)) for secret in secrets
    ):
        raise ModelIntegrityError(
            "the stored model's signature does not match this deployment's secret key"
        )
    try:
        raw = zlib.decompress(payload)
    except zlib.error as error:
        raise ModelIntegrityError(f"the stored model is damaged: {error}") from error
    return _AllowListUnpickler(io.BytesIO(raw)).load()
