"""deploy to S3-compatible object storage, against a real S3-compatible server on 127.0.0.1
(moto's standalone server): only what changed goes up, what is gone is deleted, a failed
upload leaves the published site whole, and every mistake is one line."""

from __future__ import annotations

import functools
import http.client
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from generator.build import build_site

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "papersite-test",
    "AWS_SECRET_ACCESS_KEY": "papersite-test-secret",
    "AWS_EC2_METADATA_DISABLED": "true",
}
BUCKET = "papers-site"


@pytest.fixture(scope="module")
def storage() -> Iterator[str]:
    """An S3-compatible server on a free port of 127.0.0.1; its endpoint URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@functools.cache
def client(endpoint: str):
    """A client of the server at `endpoint` (one each: making one takes 0.2 s)."""
    return boto3.session.Session(
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    ).client("s3", endpoint_url=endpoint, region_name="us-east-1")


def bucket_files(endpoint: str, bucket: str = BUCKET) -> dict[str, bytes]:
    s3 = client(endpoint)
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found


def built_files(root: Path, output: Path) -> dict[str, bytes]:
    build_site(root, output)
    return {
        p.relative_to(output).as_posix(): p.read_bytes()
        for p in output.rglob("*")
        if p.is_file() and p.name != ".papersite"
    }


def deploy(root: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **CREDENTIALS, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "generator", "deploy", "-C", str(root)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=180,
    )


def storage_site(make_site, endpoint: str, bucket: str = BUCKET) -> Path:
    site_yml = (
        "title: Test Site\nurl: https://papers.example.org/\n"
        f"deploy:\n  to: s3\n  bucket: {bucket}\n  endpoint: {endpoint}\n  region: us-east-1\n"
    )
    return make_site("standard.txt", site_yml=site_yml)


def edit_listing(root: Path, old: str, new: str) -> None:
    listing = root / "content" / "listings" / "standard.txt"
    text = listing.read_text("utf-8")
    assert old in text
    listing.write_text(text.replace(old, new, 1), "utf-8")


def counts(line: str) -> tuple[int, int, int]:
    """(uploaded, deleted, unchanged) from deploy's summary line."""
    words = line.replace(",", "").split()
    return (
        int(words[words.index("uploaded") - 2]),
        int(words[words.index("deleted") - 1]),
        int(words[words.index("unchanged") - 1]),
    )


def test_deploy_sends_what_changed_and_deletes_what_is_gone(make_site, storage, tmp_path):
    client(storage).create_bucket(Bucket=BUCKET)
    root = storage_site(make_site, storage)
    # The first deploy uploads everything, with the types and caching a host needs.
    first = built_files(root, tmp_path / "first")
    done = deploy(root)
    assert done.returncode == 0, done.stderr
    assert counts(done.stdout) == (len(first), 0, 0)
    assert bucket_files(storage) == first
    head = client(storage).head_object(Bucket=BUCKET, Key="index.html")
    assert head["ContentType"] == "text/html; charset=utf-8"
    assert head["CacheControl"] == "public, max-age=0, must-revalidate"
    card = client(storage).head_object(Bucket=BUCKET, Key="card.png")
    assert card["ContentType"] == "image/png" and card["CacheControl"] == "public, max-age=86400"
    # Again, with nothing changed: nothing sent.
    again = deploy(root)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("Nothing to deploy: s3://papers-site/ already holds this site")
    # One paper's abstract changed: exactly the files whose bytes changed go up.
    edit_listing(
        root, "We study beta transformers in depth", "We study beta transformers at length"
    )
    second = built_files(root, tmp_path / "second")
    changed = sorted(path for path in second if first.get(path) != second[path])
    assert "papers/beta-better-transformers/index.html" in changed
    assert len(changed) < len(second) / 2
    done = deploy(root)
    assert done.returncode == 0, done.stderr
    assert counts(done.stdout) == (len(changed), 0, len(second) - len(changed))
    assert bucket_files(storage) == second
    # A paper removed: its files are deleted from the bucket.
    edit_listing(root, "Beta: Better Transformers", "")
    third = built_files(root, tmp_path / "third")
    gone = sorted(set(second) - set(third))
    assert "papers/beta-better-transformers/index.html" in gone
    done = deploy(root)
    assert done.returncode == 0, done.stderr
    assert counts(done.stdout)[1] == len(gone)
    assert bucket_files(storage) == third


class FailingProxy(http.server.BaseHTTPRequestHandler):
    """Forwards every request to the storage server, until `allowed` uploads have gone
    through: every later PUT is answered 500 (the server is failing, and stays so)."""

    upstream: tuple[str, int]
    allowed = 0
    puts = 0

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.command == "PUT" and "x-amz-copy-source" not in self.headers:
            type(self).puts += 1
            if type(self).puts > self.allowed:
                error = b"<Error><Code>InternalError</Code><Message>failing</Message></Error>"
                self.send_response(500)
                self.send_header("Content-Length", str(len(error)))
                self.end_headers()
                self.wfile.write(error)
                return
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        headers = {key: value for key, value in self.headers.items() if key.lower() != "host"}
        headers["Host"] = f"{self.upstream[0]}:{self.upstream[1]}"
        connection.request(self.command, self.path, body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        connection.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_an_upload_failing_half_way_leaves_the_published_site_whole(make_site, storage, tmp_path):
    bucket = "half-way"
    client(storage).create_bucket(Bucket=bucket)
    host, port = storage.removeprefix("http://").split(":")
    proxy_class = type("Proxy", (FailingProxy,), {"upstream": (host, int(port))})
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), proxy_class)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    through = f"http://127.0.0.1:{proxy.server_address[1]}"
    try:
        root = storage_site(make_site, through, bucket)
        proxy_class.allowed = 10**6
        first = built_files(root, tmp_path / "first")
        assert deploy(root).returncode == 0
        assert bucket_files(storage, bucket) == first
        # Every paper's text changes; the storage fails after three uploads, twice in a row.
        for word in ("in depth", "on several", "Extensive"):
            listing = root / "content" / "listings" / "standard.txt"
            listing.write_text(listing.read_text("utf-8").replace(word, word + " too"), "utf-8")
        for _ in range(2):
            proxy_class.puts, proxy_class.allowed = 0, 3
            failed = deploy(root)
            assert failed.returncode == 1, failed.stdout
            assert "Traceback" not in failed.stderr
            [line] = [line for line in failed.stderr.splitlines() if "error:" in line]
            assert "the published site was left as it was" in line, line
            assert proxy_class.puts > 3  # it did get half-way
            published = {
                key: data
                for key, data in bucket_files(storage, bucket).items()
                if not key.startswith(".papersite-staging/")
            }
            assert published == first
        # The storage works again: the next deploy finishes, and leaves nothing staged.
        proxy_class.allowed = 10**6
        done = deploy(root)
        assert done.returncode == 0, done.stderr
        assert bucket_files(storage, bucket) == built_files(root, tmp_path / "second")
    finally:
        proxy.shutdown()


def test_a_bucket_that_does_not_exist_is_one_line(make_site, storage):
    root = storage_site(make_site, storage, "no-such-bucket")
    done = deploy(root)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"papersite: error: bucket 'no-such-bucket' does not exist at {storage}: create it, "
        "or fix site.yml; the published site was left as it was"
    )


def test_no_credentials_is_one_line_and_site_yml_never_holds_them(make_site, storage, tmp_path):
    root = storage_site(make_site, storage)
    nowhere = str(tmp_path / "none")
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")} | {
        "AWS_SHARED_CREDENTIALS_FILE": nowhere,
        "AWS_CONFIG_FILE": nowhere,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    done = subprocess.run(
        [sys.executable, "-m", "generator", "deploy", "-C", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert done.returncode == 1
    [line] = [line for line in done.stderr.splitlines() if "error:" in line]
    assert "no credentials for s3://papers-site/: set AWS_ACCESS_KEY_ID" in line
    site_yml = root / "content" / "site.yml"
    site_yml.write_text(site_yml.read_text("utf-8") + "  secret: x\n", "utf-8")
    done = deploy(root)
    assert done.returncode == 1 and "unknown key 'secret' in deploy to s3" in done.stderr


@pytest.mark.parametrize(
    ("deploy_yml", "said"),
    [
        ("  to: ftp\n", "deploy: to: must be gh-pages or s3"),
        ("  to: s3\n", "deploy to s3 needs bucket: NAME"),
        ("  to: s3\n  bucket: Bad_Name\n", "is not a bucket name"),
        ("  to: s3\n  bucket: b-1\n  endpoint: 127.0.0.1:9000\n", "endpoint: must start with"),
        ("  to: s3\n  bucket: b-1\n  branch: x\n", "unknown key 'branch' in deploy to s3"),
    ],
)
def test_a_deploy_setting_that_cannot_work_is_one_line(make_site, deploy_yml, said):
    root = make_site("standard.txt", site_yml=f"title: T\ndeploy:\n{deploy_yml}")
    done = deploy(root)
    assert done.returncode == 1
    [line] = [line for line in done.stderr.splitlines() if "error:" in line]
    assert said in line and "Traceback" not in done.stderr


def test_without_boto3_deploy_to_s3_says_how_to_install_it(make_site, storage, tmp_path):
    """boto3 is the s3 extra (pip install "papersite[s3]"): without it, one line."""
    missing = tmp_path / "missing"
    (missing / "boto3").mkdir(parents=True)
    (missing / "boto3" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'boto3'\", name='boto3')\n", "utf-8"
    )
    root = storage_site(make_site, storage)
    done = deploy(root, {"PYTHONPATH": str(missing)})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1] == (
        "papersite: error: deploy to s3 needs boto3, which is not installed: pip install "
        '"papersite[s3]"'
    )
