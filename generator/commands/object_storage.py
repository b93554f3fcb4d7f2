"""`deploy` to S3-compatible object storage (AWS S3, Cloudflare R2, MinIO, Backblaze B2)
through boto3: only the files whose bytes changed go up, the files gone are deleted.

What the bucket holds is compared with the built site by each object's ETag (the MD5 of
its bytes, for objects put whole, as deploy puts them), so a deploy after a deploy sends
nothing, and a deploy after a failed one sends what is still missing. The changed files
are first uploaded beside the site (under .papersite-staging/), then copied into place
by the storage itself, pictures and data first and the pages last, then the files gone
and the staged copies are deleted: an upload that fails half-way, the slow part where
networks fail, leaves the published site as it was. Credentials come from the
environment or boto3's own configuration (~/.aws), never from site.yml.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import botocore.handlers

from generator.diagnostics import PapersiteError
from generator.model import DeployTarget
from generator.site.hosting import cache_control, content_type

STAGING = ".papersite-staging/"
DELETE_BATCH = 1000  # S3's DeleteObjects takes at most 1,000 keys a request


class StorageError(PapersiteError):
    """Publishing to the bucket failed; the message says why and what to do."""


@dataclass(frozen=True)
class Published:
    """What a deploy did: files uploaded, deleted, and left as they were."""

    uploaded: tuple[str, ...]
    deleted: tuple[str, ...]
    unchanged: int


def publish(site: Path, target: DeployTarget) -> Published:
    """Make the bucket hold the site built in `site`, sending only what changed."""
    client = _client(target)
    where = f"s3://{target.bucket}/{target.prefix}"
    left = "the published site was left as it was"
    try:
        client.head_bucket(Bucket=target.bucket)
        remote = _listed(client, target)
        local = {path: _md5(site / path) for path in _files(site)}
        changed = sorted(path for path, digest in local.items() if remote.get(path) != digest)
        gone = sorted(path for path in remote if path not in local)
        staged = _staging_name(local)
        for path in changed:  # beside the site: the published one is untouched
            client.put_object(
                Bucket=target.bucket,
                Key=target.prefix + staged + path,
                Body=(site / path).read_bytes(),
                ContentType=content_type(path),
                CacheControl=cache_control(path),
                ContentMD5=_base64_md5(local[path]),
            )
        left = "some changed files are in place and some not: deploy again to finish"
        for path in sorted(changed, key=_pages_last):
            client.copy_object(
                Bucket=target.bucket,
                Key=target.prefix + path,
                CopySource={"Bucket": target.bucket, "Key": target.prefix + staged + path},
                MetadataDirective="COPY",
            )
        _delete(client, target, [staged + path for path in changed] + gone)
    except botocore.exceptions.NoCredentialsError:
        raise StorageError(
            f"no credentials for {where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "(or AWS_PROFILE); they are never read from site.yml"
        ) from None
    except botocore.exceptions.EndpointConnectionError as error:
        endpoint = error.kwargs.get("endpoint_url", where)
        raise StorageError(f"cannot reach {endpoint}; {left}") from None
    except botocore.exceptions.ClientError as error:
        raise StorageError(f"{_said(error, target, where)}; {left}") from None
    except botocore.exceptions.BotoCoreError as error:
        raise StorageError(f"{where}: {error}; {left}") from None
    return Published(tuple(changed), tuple(gone), len(local) - len(changed))


def _client(target: DeployTarget) -> Any:
    config = botocore.config.Config(
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=10,
        read_timeout=60,
        # R2, MinIO and B2 answer for buckets in the path, not in the host name.
        s3={"addressing_style": "path"} if target.endpoint else {},
    )
    client = boto3.session.Session().client(
        "s3", endpoint_url=target.endpoint, region_name=target.region, config=config
    )
    # Site files are small: asking the storage before each body ("Expect: 100-continue")
    # costs a round trip a file, and a second a file with servers that never answer it.
    client.meta.events.unregister("before-call.s3", botocore.handlers.add_expect_header)
    return client


def _listed(client: Any, target: DeployTarget) -> dict[str, str]:
    """Every object of the site in the bucket (not the staged ones), by its path in the
    site, with its ETag."""
    found: dict[str, str] = {}
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=target.bucket, Prefix=target.prefix
    )
    for page in pages:
        for item in page.get("Contents", []):
            path = item["Key"][len(target.prefix) :]
            if not path.startswith(STAGING):
                found[path] = item["ETag"].strip('"')
    return found


def _files(site: Path) -> Iterator[str]:
    for path in sorted(site.rglob("*")):
        if path.is_file():
            yield path.relative_to(site).as_posix()


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()


def _base64_md5(digest: str) -> str:
    """The Content-MD5 header: the storage refuses an upload that arrived changed."""
    return base64.b64encode(bytes.fromhex(digest)).decode("ascii")


def _staging_name(local: dict[str, str]) -> str:
    """Where this site's changed files wait: named by the whole site's hashes, so a deploy
    of the same site after a failed one uses (and cleans) the same place."""
    digest = hashlib.blake2b(digest_size=8)
    for path, md5 in sorted(local.items()):
        digest.update(f"{path}\0{md5}\n".encode())
    return f"{STAGING}{digest.hexdigest()}/"


def _pages_last(path: str) -> tuple[int, str]:
    """Pictures, scripts and data first; pages after them (a page is never in place before
    what it shows); the home page last."""
    if path == "index.html":
        return (2, path)
    return (1 if path.endswith(".html") else 0, path)


def _delete(client: Any, target: DeployTarget, paths: list[str]) -> None:
    for start in range(0, len(paths), DELETE_BATCH):
        batch = paths[start : start + DELETE_BATCH]
        answer = client.delete_objects(
            Bucket=target.bucket,
            Delete={"Objects": [{"Key": target.prefix + path} for path in batch], "Quiet": True},
        )
        if answer.get("Errors"):
            first = answer["Errors"][0]
            raise StorageError(
                f"could not delete {first.get('Key')}: {first.get('Message', first.get('Code'))}"
            )


def _said(error: botocore.exceptions.ClientError, target: DeployTarget, where: str) -> str:
    code = str(error.response.get("Error", {}).get("Code", ""))
    if code in ("404", "NoSuchBucket"):
        at = target.endpoint or "AWS"
        return f"bucket '{target.bucket}' does not exist at {at}: create it, or fix site.yml"
    if code in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch"):
        return (
            f"{where}: access denied ({code}): check the credentials and that they may "
            "list, put, copy and delete objects in the bucket"
        )
    message = error.response.get("Error", {}).get("Message") or str(error)
    return f"{where}: {code or 'error'}: {message}"
