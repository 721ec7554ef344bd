"""Run by tests/test_consumer_doccano.py with doccano's own Python (.venv-doccano): upload
each file through doccano's import code (data_import.datasets.load_dataset, as its upload
task does) into a text classification project, each file by its own member, and print
what doccano stored as JSON: examples, labels per member, example metadata keys, errors.

usage: doccano_import.py WORKDIR MEMBER=FILE [MEMBER=FILE ...]
"""

import json
import os
import sys
from pathlib import Path

import backend

work = Path(sys.argv[1])
sys.path.insert(0, str(Path(backend.__file__).parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.development"
os.environ["DATABASE_URL"] = f"sqlite:///{work / 'doccano.sqlite3'}"
os.environ.setdefault("SECRET_KEY", "throwaway-test-key")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)

from data_import.datasets import load_dataset  # noqa: E402
from data_import.pipeline.catalog import create_file_format  # noqa: E402
from data_import.pipeline.readers import FileName  # noqa: E402
from examples.models import Example  # noqa: E402
from labels.models import Category  # noqa: E402
from projects.models import ProjectType, TextClassificationProject  # noqa: E402

admin = User.objects.create_superuser("admin", "admin@example.com", "throwaway")
project = TextClassificationProject.objects.create(
    name="annotator", project_type=ProjectType.DOCUMENT_CLASSIFICATION, created_by=admin
)
errors = []
for spec in sys.argv[2:]:
    member, path = spec.split("=", 1)
    user = User.objects.filter(username=member).first() or User.objects.create_user(member)
    name = FileName(full_path=path, generated_name=Path(path).name, upload_name=Path(path).name)
    dataset = load_dataset(
        ProjectType.DOCUMENT_CLASSIFICATION, create_file_format("JSONL"), [name], project
    )
    dataset.save(user)
    errors += [str(e.dict()) for e in dataset.errors]

labels = {}
for c in Category.objects.filter(example__project=project).select_related("user", "label"):
    labels[c.user.username] = labels.get(c.user.username, 0) + 1
meta_keys = sorted({k for e in Example.objects.filter(project=project) for k in e.meta})
print(
    json.dumps(
        {
            "examples": Example.objects.filter(project=project).count(),
            "labels_by_member": labels,
            "label_types": sorted(project.categorytype_set.values_list("text", flat=True)),
            "meta_keys": meta_keys,
            "errors": errors,
        }
    )
)
