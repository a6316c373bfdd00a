"""`embedder.identity()`: the model's name and dimension without loading it (the similar-goals panel)."""

from charter.search import embedder


class Fake:
    name = "fake-model"
    dimension = 8

    def embed(self, texts):
        raise AssertionError("identity must not embed")


def test_identity_follows_an_override():
    with embedder.use(Fake()):
        assert embedder.identity() == ("fake-model", 8)
    with embedder.use(None):
        assert embedder.identity() is None


def test_identity_is_none_without_model_files(settings, tmp_path):
    settings.CHARTER_EMBEDDING_MODEL_DIR = str(tmp_path)
    assert embedder.identity() is None


def test_identity_does_not_load_the_model(settings, tmp_path):
    (tmp_path / "model.onnx").write_bytes(b"")
    (tmp_path / "tokenizer.json").write_text("{}")
    settings.CHARTER_EMBEDDING_MODEL_DIR = str(tmp_path)
    key = f"{tmp_path / 'model.onnx'}|{tmp_path / 'tokenizer.json'}"
    assert embedder.identity() == (embedder.MODEL_NAME, embedder.OnnxEmbedder.dimension)
    assert key not in embedder._cache


def test_identity_is_none_once_the_model_failed_to_load(settings, tmp_path):
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    (tmp_path / "tokenizer.json").write_text("{}")
    settings.CHARTER_EMBEDDING_MODEL_DIR = str(tmp_path)
    assert embedder.load()[0] is None
    assert embedder.identity() is None
