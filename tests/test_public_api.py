import fashionnet


def test_public_api_is_pinned():
    assert sorted(fashionnet.__all__) == [
        "CLASSES",
        "CLASSES_JA",
        "Checkpoint",
        "CheckpointError",
        "DataCorruptError",
        "DataNotFoundError",
        "EpochStats",
        "Evaluation",
        "ImageError",
        "NeuralNetwork",
        "Prediction",
        "Recipe",
        "Tensors",
        "TrainingResult",
        "cached_model",
        "class_names",
        "evaluate",
        "fit",
        "get_device",
        "load_checkpoint",
        "load_dataset",
        "load_image",
        "matmul_dtype",
        "predict",
        "save_checkpoint",
        "to_tensors",
        "train_model",
    ]


def test_public_api_names_exist():
    for name in fashionnet.__all__:
        assert getattr(fashionnet, name) is not None
