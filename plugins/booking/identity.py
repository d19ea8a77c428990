"""The clinic as schema.org JSON-LD, from the same CLINIC setting the header and footer show.

Pure Python: returns a dict. The ``clinic_jsonld`` component serialises it with Jinja's ``tojson``,
which escapes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c`` ..., so no value (``</script>``, ``<!--``)
can end the ``<script type="application/ld+json">`` element early.
"""

from __future__ import annotations


def clinic_jsonld(clinic: dict, siteurl: str) -> dict:
    """A Physiotherapy / MedicalClinic node: name, url, telephone, e-mail, address, opening hours."""
    data = {
        "@context": "https://schema.org",
        "@type": ["Physiotherapy", "MedicalClinic"],
        "name": clinic["name"],
        "url": siteurl.rstrip("/") + "/",
        "telephone": clinic["phone_tel"].removeprefix("tel:"),
        "email": clinic["email"].removeprefix("mailto:"),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": clinic["street"],
            "addressLocality": clinic["locality"],
            "postalCode": clinic["postcode"],
            "addressCountry": clinic["country"],
        },
    }
    if clinic.get("opening_hours"):
        data["openingHours"] = list(clinic["opening_hours"])
    return data
