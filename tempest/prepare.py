#!/usr/bin/python3
"""Readies a fresh Cloud.Actors cluster for Tempest; run by `./cluster.sh tempest`.

usage: prepare.py AUTH_URL USER PROJECT PASSWORD DOMAIN ALT_IMAGE_ID

Authenticates as USER in PROJECT (the admin of the cluster's openrc), then
- uploads the second image Tempest needs (compute.image_ref_alt), "cirros-alt", a 1 MiB raw image with the given id,
  through the image API (POST /v2/images, PUT /v2/images/{id}/file), unless it is there already;
- reads the compute API's version document (GET / of the catalog's compute endpoint).
Prints shell assignments for tempest.conf: MIN_MICROVERSION=... and MAX_MICROVERSION=...
Only the standard library: it runs with Debian's python3, the one Tempest runs with.
"""
import json
import sys
import time
import urllib.error
import urllib.request

TIMEOUT = 30  # seconds for one request


def request(method, url, token=None, body=None, content_type="application/json"):
    data = None
    headers = {"Accept": "application/json"}
    if token:
        headers["X-Auth-Token"] = token
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
        return resp.status, resp.headers, resp.read()


def endpoint(catalog, service_type):
    for service in catalog:
        if service["type"] == service_type:
            for ep in service["endpoints"]:
                if ep["interface"] == "public":
                    return ep["url"].rstrip("/")
    sys.exit(f"prepare.py: the token's catalog has no public {service_type} endpoint")


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    auth_url, user, project, password, domain, alt_id = sys.argv[1:]
    auth = {"auth": {
        "identity": {"methods": ["password"],
                     "password": {"user": {"name": user, "domain": {"name": domain}, "password": password}}},
        "scope": {"project": {"name": project, "domain": {"name": domain}}}}}
    _, headers, body = request("POST", auth_url.rstrip("/") + "/auth/tokens", body=auth)
    token = headers["X-Subject-Token"]
    catalog = json.loads(body)["token"]["catalog"]
    image_url, compute_url = endpoint(catalog, "image"), endpoint(catalog, "compute")

    try:
        request("GET", f"{image_url}/v2/images/{alt_id}", token)
    except urllib.error.HTTPError as e:
        if e.code != 404:
            raise
        request("POST", f"{image_url}/v2/images", token, {
            "id": alt_id, "name": "cirros-alt", "disk_format": "raw", "container_format": "bare",
            "visibility": "public"})
        request("PUT", f"{image_url}/v2/images/{alt_id}/file", token, bytes(1 << 20), "application/octet-stream")
    deadline = time.monotonic() + 60
    while json.loads(request("GET", f"{image_url}/v2/images/{alt_id}", token)[2])["status"] != "active":
        if time.monotonic() > deadline:
            sys.exit(f"prepare.py: image {alt_id} is not active after 60 s")
        time.sleep(1)

    # The compute root lists v2.1 with its microversion range; the catalog's URL ends in /v2.1.
    root = compute_url.rsplit("/v2.1", 1)[0] + "/"
    versions = json.loads(request("GET", root)[2])["versions"]
    v21 = next(v for v in versions if v["id"] == "v2.1")
    print(f"MIN_MICROVERSION={v21['min_version']}")
    print(f"MAX_MICROVERSION={v21['version']}")


if __name__ == "__main__":
    main()
