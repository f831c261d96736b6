"""The resident portal's "Report a problem" flow.

A short guided form under `/report/<code>/`: the service's start page (what happens next, the
documents to have ready, a Start button), then one step per page — details (the service's own
questions and a description), location, photos, contact details, review — and a confirmation
with the reference number. Every step is a plain POST form validated on the server, so the flow
works without JavaScript; `static/portal/report.js` only adds address suggestions, "use my
location" and the map pin.

- `draft`: what the resident entered so far, in their session, one draft per report in
  progress (the id is in the URL, so two tabs never clash);
- `forms`: the step forms, with every message in the resident's language;
- `photos`: validated photos waiting on disk until the report is sent;
- `selectors`: the map's extent (and open requests of one kind nearby);
- `duplicates`, `duplicate_views`: "Is this the same problem?" after the location step, and
  following an open report instead of sending a new one;
- `submit`: the final submit through `intake_submit`, the rate limits, consent to updates;
- `views`: thin views, one per step.
"""
