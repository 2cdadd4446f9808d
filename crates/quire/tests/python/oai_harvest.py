"""Harvests a Quire OAI-PMH repository with the third-party `sickle`
client (PyPI), the way a union catalog or discovery service would.

Usage: oai_harvest.py BASE_URL

Prints one JSON object: Identify fields, set specs, and for each metadata
prefix the identifiers harvested (ListIdentifiers, following resumption
tokens), the number of pages, and for ListRecords the count of records
with metadata and of deleted headers.
"""

import json
import sys

from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch


def harvest_identifiers(s, prefix):
    it = s.ListIdentifiers(metadataPrefix=prefix, ignore_deleted=False)
    ids = []
    tokens = set()
    for header in it:
        ids.append(header.identifier)
        tok = getattr(it, "resumption_token", None)
        if tok is not None and tok.token:
            tokens.add(tok.token)
    return ids, len(tokens) + 1


def harvest_records(s, prefix):
    with_metadata = 0
    deleted = 0
    titles = 0
    ids = []
    for rec in s.ListRecords(metadataPrefix=prefix, ignore_deleted=False):
        ids.append(rec.header.identifier)
        if rec.header.deleted:
            deleted += 1
            continue
        with_metadata += 1
        if prefix == "oai_dc" and rec.metadata.get("title"):
            titles += 1
    return {"ids": ids, "with_metadata": with_metadata, "deleted": deleted, "titles": titles}


def main():
    base = sys.argv[1]
    s = Sickle(base, max_retries=2, timeout=60)
    ident = s.Identify()
    out = {
        "repositoryName": ident.repositoryName,
        "adminEmail": ident.adminEmail,
        "granularity": ident.granularity,
        "deletedRecord": ident.deletedRecord,
        "sets": [x.setSpec for x in s.ListSets()],
        "formats": [f.metadataPrefix for f in s.ListMetadataFormats()],
    }
    for prefix in ("oai_dc", "marc21"):
        ids, pages = harvest_identifiers(s, prefix)
        out[prefix] = {"identifiers": ids, "pages": pages, "records": harvest_records(s, prefix)}
    first_set = out["sets"][0] if out["sets"] else None
    if first_set:
        try:
            n = sum(1 for _ in s.ListIdentifiers(metadataPrefix="oai_dc", set=first_set))
        except NoRecordsMatch:
            n = 0
        out["first_set"] = {"spec": first_set, "count": n}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
