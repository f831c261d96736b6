"""`civicdesk assistant emergency-evaluate`: the figures, the misses and the false alarms."""

import pytest
from django.core.management import CommandError, call_command

from civicdesk.assistant.emergency_evaluation import LabelledFileError, labelled_read

SMALL_SET = """text,language,label,category
the garage is on fire,en,emergency,fire
fire hydrant leaking,en,routine,
my basement is damp,en,emergency,flooding_home
huele a gas en la cocina,es,emergency,gas
"nadie salió herido, pero hay un herido",es,routine,
"""


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("assistant", "emergency-evaluate", *args, stdout=out)
    return out.getvalue()


def test_it_prints_figures_per_language_and_overall_with_every_mistake(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text(SMALL_SET, encoding="utf-8")

    output = run("--file", str(path))

    assert "small.csv: 5 sentences, 3 emergencies, 2 routine" in output
    rows = {line.split()[0]: line.split()[1:] for line in output.splitlines()[2:5]}
    # n TP FP FN TN precision recall F1
    assert rows["en"] == ["3", "1", "0", "1", "1", "1.000", "0.500", "0.667"]
    assert rows["es"] == ["2", "1", "1", "0", "0", "0.500", "1.000", "0.667"]
    assert rows["all"] == ["5", "2", "1", "1", "1", "0.667", "0.667", "0.667"]
    assert "false negatives (1):\n  line 4 [en] my basement is damp" in output
    assert "false positives (1):\n  line 6 [es] nadie salió herido, pero hay un herido" in output
    assert "<- es.injury.heridos 'un herido'" in output
    assert "detector time per sentence: median" in output


def test_without_a_file_it_evaluates_both_labelled_sets():
    output = run()

    assert "emergency_sentences.csv:" in output
    assert "emergency_heldout.csv:" in output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("text,language\nfire,en\n", "the columns must be text, language, label, category"),
        ("text,language,label,category\nfire,fr,emergency,fire\n", "line 2: language must be"),
        ("text,language,label,category\nfire,en,maybe,fire\n", "line 2: label must be"),
        ("text,language,label,category\nfire,en,emergency,volcano\n", "line 2: unknown category"),
        ("text,language,label,category\nok,en,routine,\n,en,routine,\n", "line 3: the text is"),
    ],
)
def test_a_broken_file_is_refused_with_its_line(tmp_path, content, message):
    path = tmp_path / "broken.csv"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(LabelledFileError, match=message):
        labelled_read(path)
    with pytest.raises(CommandError, match=message):
        run("--file", str(path))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("--file", str(tmp_path / "nothing.csv"))
