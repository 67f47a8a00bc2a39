#!/usr/bin/env python3
"""Reads calendar invitations out of raw e-mails with an independent iCalendar parser.

    python3 tools/ics_read.py message.eml [...]

Prints one JSON object per text/calendar part: the recipient, the MIME method parameter, and
what Python's `icalendar` package parsed (METHOD, UID, SEQUENCE, STATUS, ORGANIZER, ATTENDEEs,
DTSTART/DTEND as UTC plus their TZID, LOCATION, SUMMARY). Exits non-zero when a part does not
parse, so a malformed invitation fails the test that reads it.
"""
import email
import email.policy
import json
import sys
from datetime import timezone

import icalendar


def when(prop):
    dt = prop.dt
    tzid = prop.params.get("TZID")
    if dt.tzinfo is None:
        raise SystemExit(f"floating time without a zone: {prop.to_ical()!r}")
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), tzid


def main():
    for path in sys.argv[1:]:
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        for part in msg.walk():
            if part.get_content_type() != "text/calendar":
                continue
            cal = icalendar.Calendar.from_ical(part.get_content())
            events = [c for c in cal.walk("VEVENT")]
            if len(events) != 1:
                raise SystemExit(f"{path}: expected one VEVENT, got {len(events)}")
            ev = events[0]
            start, tzid = when(ev["DTSTART"])
            end, _ = when(ev["DTEND"])
            attendees = ev.get("ATTENDEE", [])
            if not isinstance(attendees, list):
                attendees = [attendees]
            print(json.dumps({
                "to": str(msg["To"]),
                "subject": str(msg["Subject"]),
                "content_type_method": part.get_param("method"),
                "method": str(cal.get("METHOD")),
                "uid": str(ev["UID"]),
                "sequence": int(ev.get("SEQUENCE", 0)),
                "status": str(ev.get("STATUS", "")),
                "organizer": str(ev.get("ORGANIZER", "")),
                "attendees": sorted(str(a).removeprefix("mailto:") for a in attendees),
                "dtstart": start,
                "dtend": end,
                "tzid": tzid,
                "location": str(ev.get("LOCATION", "")),
                "summary": str(ev.get("SUMMARY", "")),
            }))


if __name__ == "__main__":
    main()
