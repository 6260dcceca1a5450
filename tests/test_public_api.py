import fashionnet


def test_public_api_is_pinned():
    assert sorted(fashionnet.__all__) == [
        "CLASSES",
        "CLASSES_JA",
        "DataCorruptError",
        "DataNotFoundError",
        "NeuralNetwork",
        "Prediction",
        "class_names",
        "get_device",
        "load_dataset",
        "predict",
    ]


def test_public_api_names_exist():
    for name in fashionnet.__all__:
        assert getattr(fashionnet, name) is not None
