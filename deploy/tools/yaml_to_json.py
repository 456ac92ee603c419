#!/usr/bin/env python3
"""Writes the JSON twin of a CloudFormation YAML template (long-form intrinsics only, so plain
YAML maps onto JSON one to one). Needs PyYAML (Debian: python3-yaml).

    python3 deploy/tools/yaml_to_json.py deploy/cloudformation/cluster.yaml > deploy/cloudformation/cluster.json

dist's CloudFormationTest fails when the committed JSON differs from the YAML.
"""
import json
import sys

import yaml


def main(path):
    with open(path, encoding="utf-8") as source:
        template = yaml.safe_load(source)
    json.dump(template, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: yaml_to_json.py TEMPLATE.yaml > TEMPLATE.json")
    main(sys.argv[1])
