#!/usr/bin/env python3
"""Reads back what the S3 test uploaded to s3rver, through botocore's own S3
client: the bucket "feeds" under "public/crowdfeed/" must hold exactly the
files of ./feeds. With --check-objects, each object's Content-Type,
Cache-Control and bytes are checked too.

usage: s3_objects.py PORT [--check-objects]
"""
import json
import os
import sys

import botocore.session

PREFIX = "public/crowdfeed/"
client = botocore.session.get_session().create_client(
    "s3", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
    aws_access_key_id="S3RVER", aws_secret_access_key="S3RVER")
listed = client.list_objects_v2(Bucket="feeds", Prefix=PREFIX)["Contents"]
names = sorted(item["Key"].removeprefix(PREFIX) for item in listed)
local = sorted(os.path.relpath(os.path.join(root, name), "feeds") for root, _, files in os.walk("feeds") for name in files)
assert names == local, sorted(set(names) ^ set(local))

if "--check-objects" in sys.argv:
    file_of = {f["by_hash"]: f["name"] for f in json.load(open("feeds/manifest.json"))["files"]}
    for name in names:
        head = client.head_object(Bucket="feeds", Key=PREFIX + name)
        file_name = file_of.get(name, name)  # a by-hash object has its file's type
        expected_type = ("application/gzip" if file_name.endswith(".gz") else
                         "application/json" if file_name.endswith(".json") else
                         "text/html; charset=utf-8" if file_name.endswith(".html") else "text/plain; charset=utf-8")
        assert head["ContentType"] == expected_type, (name, head["ContentType"])
        expected_cache = "public, max-age=31536000, immutable" if name.startswith("by-hash/") else "public, max-age=300"
        assert head["CacheControl"] == expected_cache, (name, head.get("CacheControl"))
        body = client.get_object(Bucket="feeds", Key=PREFIX + name)["Body"].read()
        assert body == open(os.path.join("feeds", name), "rb").read(), name
